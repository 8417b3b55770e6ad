"""Characters: follow named individuals exactly through a run, without agents.

Every compartment ``X`` of a model is split into ``X`` (everyone else) and,
for each character ``a``, a tagged compartment ``X__a`` that holds the
character when it is in ``X`` (a count of 0 or 1 in the exact engines, the
probability of being in ``X`` in the ODE). Every reaction is split into its
*versions*: each reactant position is taken by nobody in particular or by one
character, never by the same character twice. Products inherit the tag by
position, the rule space already uses for coupled reactions: reactant ``i``'s
tag goes to product ``i``; without a product ``i`` the tag is lost (``Z ->``
takes the character out of the model); products beyond the reactants never
carry a tag. So ``S + Z -> E + Z`` gives ``S__a + Z -> E__a + Z`` (a is
bitten) and ``S + Z__b -> E + Z__b`` (b bites), and ``S + Z -> S + D`` gives
``S + Z__b -> S + D__b`` (b is destroyed).

The rates split exactly. For a frequency-dependent bite,
``k (S + S__a) Z / N = k S Z / N + k S__a Z / N`` with ``N`` counting the
tagged compartments too; with the same compartment twice the exact engines'
ordered pairs ``X (X - 1)`` split into ``X (X - 1) + 2 X T + T^2 - T`` over
the versions (``T`` the characters in ``X``, each 0 or 1), which is
``(X + T)(X + T - 1)``. The base model's process, read on the folded counts
``X + sum_a X__a``, is therefore unchanged, and a character is an individual
like any other of its compartment (exchangeable). In the ODE a character's
counts are shares (the probability of being in each compartment, summing to
at most 1); there a character can be partly in ``S`` and partly in ``Z``, and
the versions miss exactly the self-pairs ``k S__a Z__a / N`` (a character
never bites itself), each at most ``k / 4`` per character (``k / 4N`` when
frequency dependent), the mean-field reading of the exact rule.

With ``K`` characters a reaction with two reactants has ``(K + 1)^2 - K``
versions, one with a single reactant ``K + 1``, an inflow one.

Layout of the tagged model's compartments: the base compartments, then for
each character, in order, the tagged copy of every base compartment.
:class:`Tags` describes it and folds results back.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from hyosan._typing import FloatArray, IntArray
from hyosan.errors import InputError
from hyosan.model.core import Model, Reaction

if TYPE_CHECKING:
    from hyosan.interventions import Camp, Condition, Intervention, Remove

__all__ = [
    "TAG",
    "Tags",
    "copy_of",
    "dead_of",
    "expand_compartments",
    "expand_interventions",
    "expand_movement",
    "place_characters",
    "tag_model",
    "tagged",
]

TAG = "__"
"""What joins a compartment and a character: ``S__Onjo``."""

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


def tagged(compartment: str, character: str) -> str:
    """The name of ``character``'s copy of ``compartment``.

    Examples
    --------
    >>> tagged("S", "Onjo")
    'S__Onjo'
    """
    return f"{compartment}{TAG}{character}"


def check_characters(characters: Sequence[str], model: Model) -> tuple[str, ...]:
    """The characters as a tuple; :class:`InputError` for names that cannot tag ``model``.

    A character's name is an identifier that starts with a letter and holds no
    ``__``, and the model's compartments hold no ``__``: then the last ``__`` of
    a compartment name is always the tag's, and no tagged copy can clash with
    another compartment.
    """
    chars = tuple(characters)
    for i, name in enumerate(chars):
        if not isinstance(name, str) or not _NAME.match(name) or TAG in name:
            raise InputError(
                "a character's name is an identifier without '__'",
                key=f"characters[{i}].name",
                value=name,
                allowed="letters, digits and single _, starting with a letter (e.g. On_jo)",
            )
        if name in chars[:i]:
            raise InputError("character listed twice", key=f"characters[{i}].name", value=name)
    if chars:
        for i, c in enumerate(model.compartments):
            if TAG in c:
                raise InputError(
                    f"compartment names cannot hold {TAG!r} in a model with characters "
                    f"(tagged copies are named like {tagged('S', chars[0])!r})",
                    source=f"model {model.name!r}",
                    key=f"compartments[{i}]",
                    value=c,
                    allowed=f"names without {TAG!r}",
                )
    return chars


def _positions(n: int, k: int) -> Iterator[tuple[int, ...]]:
    """Who takes each of ``n`` reactant positions: -1 nobody in particular, else a character.

    The untagged version comes first; no character takes two positions.
    """
    for who in itertools.product(range(-1, k), repeat=n):
        named = [w for w in who if w >= 0]
        if len(set(named)) == len(named):
            yield who


def _versions(r: Reaction, chars: tuple[str, ...]) -> Iterator[Reaction]:
    """The versions of ``r``, named ``"bite [Onjo as S, Namra as Z]"`` (unnamed stay unnamed)."""
    n = len(r.reactants)
    for who in _positions(n, len(chars)):
        reactants = tuple(
            c if w < 0 else tagged(c, chars[w]) for c, w in zip(r.reactants, who, strict=True)
        )
        products = tuple(
            tagged(c, chars[who[i]]) if i < n and who[i] >= 0 else c
            for i, c in enumerate(r.products)
        )
        named = [f"{chars[w]} as {c}" for c, w in zip(r.reactants, who, strict=True) if w >= 0]
        name = f"{r.name} [{', '.join(named)}]" if r.name and named else r.name
        yield replace(r, reactants=reactants, products=products, name=name)


def expand_compartments(names: Sequence[str], characters: Sequence[str]) -> tuple[str, ...]:
    """``names``, then each character's copies of them: what a list of base names means.

    Examples
    --------
    >>> expand_compartments(["Z", "H"], ["Onjo", "Namra"])
    ('Z', 'H', 'Z__Onjo', 'H__Onjo', 'Z__Namra', 'H__Namra')
    """
    return (*names, *(tagged(c, a) for a in characters for c in names))


def tag_model(model: Model, characters: Sequence[str]) -> Model:
    """``model`` with every compartment and reaction split for ``characters``.

    Parameters, rate expressions and laws are unchanged; ``population``,
    ``humans`` and ``zombies`` gain the tagged copies of their compartments.
    See the module docstring for the rules and :class:`Tags` for the layout.

    Examples
    --------
    >>> from hyosan.model import builtin_model
    >>> m = tag_model(builtin_model("sir"), ["Onjo", "Suhyeok"])
    >>> m.compartments[:5], len(m.reactions)  # S + I -> 2 I: 3^2 - 2 = 7; I -> R: 3
    (('S', 'I', 'R', 'S__Onjo', 'I__Onjo'), 10)
    >>> m.reactions[1].equation
    'S + I__Onjo -> I + I__Onjo'
    """
    chars = check_characters(characters, model)
    if not chars:
        return model
    return replace(
        model,
        compartments=expand_compartments(model.compartments, chars),
        reactions=tuple(v for r in model.reactions for v in _versions(r, chars)),
        population=expand_compartments(model.population, chars),
        humans=expand_compartments(model.humans, chars),
        zombies=expand_compartments(model.zombies, chars),
    )


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
    def of(cls, model: Model, characters: Sequence[str]) -> Tags:
        """The expansion ``tag_model(model, characters)`` makes."""
        chars = check_characters(characters, model)
        c, k = len(model.compartments), len(chars)
        counts = [sum(1 for _ in _positions(len(r.reactants), k)) for r in model.reactions]
        return cls(
            base=model.compartments,
            characters=chars,
            base_index=np.tile(np.arange(c, dtype=np.int64), k + 1),
            owner=np.repeat(np.arange(-1, k, dtype=np.int64), c),
            reaction_base=np.repeat(np.arange(len(counts), dtype=np.int64), counts),
            zombies=model.zombies,
        )

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


def copy_of(compartments: Sequence[str], target: str) -> IntArray:
    """For each compartment, the index of the same owner's copy of ``target``.

    ``X__a`` maps to ``target__a`` and an untagged ``X`` to ``target``; where
    that copy is missing, to ``target``, and to -1 if there is no ``target``.
    Reads the names only, so that interventions can call it on any model.

    Examples
    --------
    >>> copy_of(("S", "D", "S__Onjo", "D__Onjo"), "D").tolist()
    [1, 1, 3, 3]
    """
    index = {c: i for i, c in enumerate(compartments)}
    base = index.get(target, -1)
    out = np.full(len(compartments), base, dtype=np.int64)
    for i, c in enumerate(compartments):
        _, sep, who = c.rpartition(TAG)
        if sep:
            out[i] = index.get(tagged(target, who), base)
    return out


def dead_of(compartments: Sequence[str]) -> IntArray:
    """Each compartment's ``D`` copy (``D__a`` for a character's), -1 without ``D``: for strikes."""
    return copy_of(compartments, "D")


def expand_movement(movement: Mapping[str, float], tags: Tags) -> dict[str, float]:
    """Movement rates for the tagged model: each tagged copy moves as its base compartment."""
    out = dict(movement)
    for c, rate in movement.items():
        out.update({tagged(c, a): rate for a in tags.characters})
    return out


def _expand_condition(cond: Condition, tags: Tags) -> Condition:
    return replace(cond, compartments=tags.expand(cond.compartments))


def _expand_remove(r: Remove, tags: Tags) -> Iterator[Remove]:
    yield r
    for a in tags.characters:
        to = None if r.to is None else tagged(r.to, a)
        yield replace(r, compartment=tagged(r.compartment, a), to=to)


def _expand_camp(camp: Camp, tags: Tags) -> Camp:
    move, screen = camp.roles(tags.base, tags.zombies)  # the defaults, made explicit
    return replace(
        camp,
        move=tags.expand([tags.base[i] for i in move]),
        screen=tags.expand([tags.base[i] for i in screen]),
    )


def expand_interventions(
    interventions: Sequence[Intervention], tags: Tags
) -> tuple[Intervention, ...]:
    """Interventions that act on the tagged model as ``interventions`` act on the base one.

    - ``Remove(X, f, to)`` becomes one impulse per copy: ``X`` to ``to`` and
      ``X__a`` to ``to__a`` (out of the model where ``to`` is ``None``). Each
      copy is drawn on its own, so a character is taken with probability ``f``
      like anyone else.
    - A condition counts the tagged copies too: ``Z > 100`` reads
      ``Z + Z__a + ... > 100``.
    - A camp's ``move`` and ``screen`` lists (their defaults made explicit
      first) gain the tagged copies. ``detected_to`` stays the base name, and
      the camp step sends a caught ``E__a`` to the same owner's copy of it,
      ``copy_of(compartments, detected_to)`` (a caught character stays
      followed: its fate is the same as anyone's caught with it).
    - Parameters, cordons and the other edge actions name no compartment and
      are unchanged; a strike must send ``X__a`` to ``D__a`` (:func:`dead_of`).
    """
    out: list[Intervention] = []
    for iv in interventions:
        remove = tuple(v for r in iv.remove for v in _expand_remove(r, tags))
        out.append(
            replace(
                iv,
                remove=remove,
                when=None if iv.when is None else _expand_condition(iv.when, tags),
                camp=None if iv.camp is None else _expand_camp(iv.camp, tags),
            )
        )
    return tuple(out)


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
            raise InputError(
                "unknown start compartment",
                key=f"{key}.start",
                value=comp,
                allowed=", ".join(tags.base),
            )
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
