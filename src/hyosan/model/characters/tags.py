"""The layout of a tagged model as index arrays, and reading its runs back.

:func:`~hyosan.model.characters.tag_model` lays the tagged model's
compartments out as the base compartments, then each character's copy of
every base compartment. :class:`Tags` describes that layout with index
arrays (each compartment's base compartment and owner), which is all that
interventions, engines and results need: nothing reads the names.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from hyosan._typing import BoolArray, FloatArray, IntArray
from hyosan.model.characters.tagging import (
    Reach,
    check_characters,
    expand_compartments,
    version_counts,
)
from hyosan.model.core import Model

__all__ = ["Tags"]


@dataclass(frozen=True, slots=True, eq=False)
class Tags:
    """How :func:`tag_model` expanded a model; reads its results back.

    Attributes
    ----------
    base
        The base model's compartments (``C`` of them).
    characters
        The characters (``K``).
    base_index
        For each of the ``C (K + 1)`` expanded compartments, its base compartment.
    owner
        For each expanded compartment, its character, or -1 for the untagged ones.
    reaction_base
        For each reaction of the tagged model, the base reaction it is a version of.
    zombies
        The base model's zombie compartments (a camp's default ``move`` list leaves them out).
    """

    base: tuple[str, ...]
    characters: tuple[str, ...]
    base_index: IntArray
    owner: IntArray
    reaction_base: IntArray
    zombies: tuple[str, ...] = ()

    @classmethod
    def of(cls, model: Model, characters: Sequence[str], reach: Reach = None) -> Tags:
        """The expansion ``tag_model(model, characters, reach)`` makes."""
        chars = check_characters(characters, model)
        c, k = len(model.compartments), len(chars)
        counts = version_counts(model, chars, reach)
        return cls(
            base=model.compartments,
            characters=chars,
            base_index=np.tile(np.arange(c, dtype=np.int64), k + 1),
            owner=np.repeat(np.arange(-1, k, dtype=np.int64), c),
            reaction_base=np.repeat(np.arange(len(counts), dtype=np.int64), counts),
            zombies=model.zombies,
        )

    @classmethod
    def none(cls, model: Model) -> Tags:
        """The layout of ``model`` itself: no characters, every compartment its own base."""
        return cls.of(model, ())

    @property
    def tagged(self) -> BoolArray:
        """For each expanded compartment, whether it holds a character (its count is 0 or 1)."""
        return self.owner >= 0

    def copy_index(self, target: str) -> IntArray:
        """For each expanded compartment, the index of the same owner's copy of ``target``.

        ``X__a`` maps to ``target__a`` and an untagged ``X`` to ``target``;
        all -1 if the base model has no ``target``. Strikes send everyone to
        ``copy_index("D")``; a camp sends the people it catches to the copy
        of its ``detected_to``.

        Examples
        --------
        >>> from hyosan.model import builtin_model
        >>> tags = Tags.of(builtin_model("munz-basic"), ["Onjo"])
        >>> tags.compartments, tags.copy_index("R").tolist()
        (('S', 'Z', 'R', 'S__Onjo', 'Z__Onjo', 'R__Onjo'), [2, 2, 2, 5, 5, 5])
        """
        if target not in self.base:
            return np.full(len(self.owner), -1, dtype=np.int64)
        return (self.owner + 1) * len(self.base) + self.base.index(target)

    @property
    def compartments(self) -> tuple[str, ...]:
        """The expanded compartments' names."""
        return expand_compartments(self.base, self.characters)

    def expand(self, names: Sequence[str]) -> tuple[str, ...]:
        """Base ``names`` and all their tagged copies (see :func:`expand_compartments`)."""
        return expand_compartments(names, self.characters)

    def _matrix(self, a: npt.ArrayLike, axis: int) -> FloatArray:
        moved = np.moveaxis(np.asarray(a, dtype=np.float64), axis, -1)
        if moved.shape[-1] != len(self.base_index):
            raise ValueError(
                f"axis {axis} has {moved.shape[-1]} entries; "
                f"the tagged model has {len(self.base_index)} compartments"
            )
        return moved

    def fold(self, a: npt.ArrayLike, axis: int = -1) -> FloatArray:
        """Sum every tagged compartment into its base along ``axis``: ``(..., C (K + 1), ...)``
        becomes ``(..., C, ...)``, the base model's counts."""
        moved = self._matrix(a, axis)
        m = np.zeros((len(self.base_index), len(self.base)))
        m[np.arange(len(self.base_index)), self.base_index] = 1.0
        return np.moveaxis(moved @ m, -1, axis)

    def shares(self, a: npt.ArrayLike, axis: int = -1) -> FloatArray:
        """Each character's tagged counts: ``(..., K, C)``, the other axes first, in order.

        In an ODE run, the probability that the character is in each base
        compartment; in an exact run, 0 or 1.
        """
        moved = self._matrix(a, axis)
        k, c = len(self.characters), len(self.base)
        m = np.zeros((len(self.base_index), k * c))
        mine = np.flatnonzero(self.owner >= 0)
        m[mine, self.owner[mine] * c + self.base_index[mine]] = 1.0
        return (moved @ m).reshape(*moved.shape[:-1], k, c)

    def states(self, a: npt.ArrayLike, axis: int = -1) -> IntArray:
        """The base compartment each character is in, ``(..., K)``; -1 where it is in none.

        For exact (stochastic) runs, where each tagged count is 0 or 1 and a
        character is in at most one compartment; -1 means it left the model
        (``Z ->``, an impulse with no ``to``) or, for counts by patch, that it
        is in another patch. For ODE runs use :meth:`shares`.
        """
        sh = self.shares(a, axis)
        total = sh.sum(axis=-1)
        if np.any((sh != 0.0) & (sh != 1.0)) or np.any(total > 1.0):
            raise ValueError(
                "states needs counts of 0 or 1 per character (use shares for ODE runs)"
            )
        return np.where(total > 0.0, sh.argmax(axis=-1), -1).astype(np.int64)

    def split(
        self, stacked: FloatArray, n_patches: int
    ) -> tuple[FloatArray, FloatArray | None, IntArray | None]:
        """Split runs' output ``(runs, times, P * C')`` into base counts and characters.

        Returns the base counts per patch ``(runs, times, P, C)``, the
        characters' shares ``(runs, times, K, C)`` (0 or 1 in a stochastic run)
        and their patch ``(runs, times, K)`` (-1 where no patch holds all of
        one, as under the ODE), or ``None`` for both without characters.
        """
        runs, times = stacked.shape[:2]
        per_patch = stacked.reshape(runs, times, n_patches, -1)
        if not self.characters:
            return per_patch, None, None
        base = self.fold(per_patch, axis=-1)
        states = self.shares(per_patch.sum(axis=2), axis=-1)
        k = len(self.characters)
        patch = np.full((runs, times, k), -1, dtype=np.int64)
        for i in range(k):
            mine = per_patch[..., self.owner == i].sum(axis=-1)  # (runs, times, P)
            whole = np.isclose(mine, 1.0)
            patch[..., i] = np.where(whole.any(axis=-1), whole.argmax(axis=-1), -1)
        return base, states, patch
