"""Where the characters start: their people taken out of the base model's initial counts."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import numpy.typing as npt

from hyosan._typing import FloatArray
from hyosan.errors import InputError, unknown
from hyosan.model.characters.tags import Tags

__all__ = ["place_characters"]


def place_characters(
    x: npt.ArrayLike,
    tags: Tags,
    start: Mapping[str, str],
    patch: Mapping[str, int] | None = None,
) -> FloatArray:
    """The tagged model's initial counts: each character taken out of the base counts ``x``.

    ``x`` holds base counts, ``(C,)`` well mixed or ``(P, C)`` in space;
    character ``a`` starts in compartment ``start[a]`` (and, in space, in the
    patch of index ``patch[a]``), where ``x`` must count at least one person.
    Returns ``(C (K + 1),)`` or ``(P, C (K + 1))``.

    Examples
    --------
    >>> from hyosan.model import builtin_model
    >>> tags = Tags.of(builtin_model("sir"), ["Onjo"])
    >>> place_characters([10.0, 1.0, 0.0], tags, {"Onjo": "S"}).tolist()
    [9.0, 1.0, 0.0, 1.0, 0.0, 0.0]
    """
    base = np.array(x, dtype=np.float64)
    rows = np.atleast_2d(base)
    c = len(tags.base)
    if rows.ndim != 2 or rows.shape[1] != c:
        raise InputError(
            "initial counts do not fit the model",
            key="x",
            value=base.shape,
            allowed=f"(C,) or (P, C) with C = {c}",
        )
    out = np.zeros((rows.shape[0], len(tags.base_index)))
    out[:, :c] = rows
    for i, a in enumerate(tags.characters):
        key = f"characters[{i}]"
        comp = start.get(a)
        if comp not in tags.base:
            raise unknown("start compartment", comp, tags.base, key=f"{key}.start")
        p = 0 if base.ndim == 1 else (patch or {}).get(a, -1)
        if not 0 <= p < rows.shape[0]:
            raise InputError(
                "a character needs a patch",
                key=f"{key}.patch",
                value=p,
                allowed=f"0 to {rows.shape[0] - 1}",
            )
        j = tags.base.index(comp)
        if out[p, j] < 1.0:
            raise InputError(
                "nobody in this compartment to be the character",
                key=f"{key}.start",
                value=comp,
                allowed="a compartment with at least one person there",
            )
        out[p, j] -= 1.0
        out[p, (i + 1) * c + j] = 1.0
    return out[0] if base.ndim == 1 else out
