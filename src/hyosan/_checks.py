"""The one number checker: every number read from a user goes through :func:`check_number`
(or :func:`check_whole` for whole numbers).

A number is an ``int`` or a ``float`` (numpy's included), never a ``bool``
(TOML's ``true`` is not 1), never NaN and never infinite; the bounds say the
rest. The error names the key and the value and says what is allowed, in the
same words everywhere.

Examples
--------
>>> check_number(0.5, key="camp.fraction", high=1.0)
0.5
>>> check_whole(3, key="runs", low=1)
3
>>> check_number(-1, key="beta")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
hyosan.errors.InputError: beta: must be a finite number >= 0 (got -1); allowed: ...
"""

from __future__ import annotations

import math
import numbers
from typing import Any

from hyosan.errors import InputError

__all__ = ["allowed_range", "check_number", "check_whole", "is_number"]


def is_number(value: Any) -> bool:
    """Whether ``value`` is a real number and not a bool (finite or not)."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool | _np_bool())


def _np_bool() -> type:
    import numpy as np

    return np.bool_


def allowed_range(
    low: float = 0.0, high: float = math.inf, *, low_open: bool = False, whole: bool = False
) -> str:
    """The words for a range: ``"a finite number >= 0"``, ``"a number from 0 to 1"``..."""
    kind = "a whole number" if whole else "a number"
    lo, hi = _text(low, whole), _text(high, whole)
    if math.isfinite(high):
        return f"{kind} > {lo} and <= {hi}" if low_open else f"{kind} from {lo} to {hi}"
    if low_open:
        return f"{kind} > {lo}"
    if math.isinf(low):
        return f"a finite {kind[2:]}"
    return f"{kind} >= {lo}" if whole else f"a finite number >= {lo}"


def _text(bound: float, whole: bool) -> str:
    return str(int(bound)) if whole and math.isfinite(bound) else f"{bound:g}"


def check_number(
    value: Any,
    *,
    key: str,
    low: float = 0.0,
    high: float = math.inf,
    low_open: bool = False,
    source: str = "",
    problem: str = "",
) -> float:
    """``value`` as a float, or :class:`InputError` naming ``key``.

    Parameters
    ----------
    value
        What the user gave.
    key
        Where it was given (``"world.movement.Z"``), for the message.
    low, high
        Bounds, both included (``low`` excluded with ``low_open``). The value
        is finite whatever the bounds; ``low = -inf`` allows any finite number.
    source
        The file or option it came from, for the message.
    problem
        The first words of the message (default: ``"must be "`` and the range).
    """
    _check(value, key, low, high, low_open, False, source, problem)
    return float(value)


def check_whole(
    value: Any,
    *,
    key: str,
    low: float = 0.0,
    high: float = math.inf,
    source: str = "",
    problem: str = "",
) -> int:
    """``value`` as an int (an integer type: ``2.0`` is not one), or :class:`InputError`."""
    _check(value, key, low, high, False, True, source, problem)
    return int(value)


def _check(
    value: Any,
    key: str,
    low: float,
    high: float,
    low_open: bool,
    whole: bool,
    source: str,
    problem: str,
) -> None:
    ok = is_number(value) and (isinstance(value, numbers.Integral) or not whole)
    if ok:  # whole numbers compare exactly: 2**63 is not <= 2**63 - 1
        v: float | int = int(value) if whole else float(value)
        ok = math.isfinite(v) and (v > low if low_open else v >= low) and v <= high
    if not ok:
        allowed = allowed_range(low, high, low_open=low_open, whole=whole)
        raise InputError(
            problem or f"must be {allowed}", source=source, key=key, value=value, allowed=allowed
        )
