"""Tagging: split every compartment and reaction of a model for named characters.

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
versions, one with a single reactant ``K + 1``, an inflow one. Given where
each character can ever be (:func:`reachable`: what the reactions and the
interventions can make of where it starts), the versions that put a
character where it never is are left out: their rate is always 0, so the
process is the same, and the exact engines draw the same numbers (a channel
of rate 0 is never chosen and no draw is made for it). Season 2's seven
characters (six humans and a hybrid, who never becomes a soldier) make 453
versions instead of 716.

The tagged model's compartments are the base compartments, then for each
character, in order, the tagged copy of every base compartment;
:class:`~hyosan.model.characters.Tags` describes that layout with index
arrays, so that nothing downstream reads the names.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace

from hyosan.errors import InputError
from hyosan.model.core import Model, Reaction

__all__ = [
    "TAG",
    "check_characters",
    "expand_compartments",
    "expand_movement",
    "reachable",
    "tag_model",
    "tagged",
    "version_counts",
]

Reach = Sequence[frozenset[str]] | None
"""Each character's compartments (:func:`reachable`), or None: every compartment."""

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
            raise InputError(
                "character listed twice",
                key=f"characters[{i}].name",
                value=name,
                allowed="a different name for each character",
            )
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


def reachable(model: Model, start: str, also: Iterable[str] = ()) -> frozenset[str]:
    """The compartments a person who starts in ``start`` can ever be in.

    Closed under the reactions as tags follow them (reactant ``i`` becomes
    product ``i``), from ``start`` and from ``also``: where interventions send
    people (a strike's ``D``, a camp's ``detected_to``, an impulse's ``to``).

    Examples
    --------
    >>> from hyosan.model import builtin_model
    >>> sorted(reachable(builtin_model("aouad-army"), "S"))  # a human never becomes a soldier
    ['D', 'E', 'Ez', 'H', 'S', 'Z']
    """
    seen = {start, *(c for c in also if c in model.compartments)}
    grown = True
    while grown:
        grown = False
        for r in model.reactions:
            for i, c in enumerate(r.reactants):
                if c in seen and i < len(r.products) and r.products[i] not in seen:
                    seen.add(r.products[i])
                    grown = True
    return frozenset(seen)


def _positions(r: Reaction, k: int, reach: Reach = None) -> Iterator[tuple[int, ...]]:
    """Who takes each of ``r``'s reactant positions: -1 nobody in particular, else a character.

    The untagged version comes first; no character takes two positions, nor
    one in a compartment it never reaches (``reach``).
    """
    for who in itertools.product(range(-1, k), repeat=len(r.reactants)):
        named = [w for w in who if w >= 0]
        if len(set(named)) != len(named):
            continue
        pairs = zip(r.reactants, who, strict=True)
        if reach is None or all(w < 0 or c in reach[w] for c, w in pairs):
            yield who


def _versions(r: Reaction, chars: tuple[str, ...], reach: Reach) -> Iterator[Reaction]:
    """The versions of ``r``, named ``"bite [Onjo as S, Namra as Z]"`` (unnamed stay unnamed)."""
    n = len(r.reactants)
    for who in _positions(r, len(chars), reach):
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


def tag_model(model: Model, characters: Sequence[str], reach: Reach = None) -> Model:
    """``model`` with every compartment and reaction split for ``characters``.

    Parameters, rate expressions and laws are unchanged; ``population``,
    ``humans`` and ``zombies`` gain the tagged copies of their compartments.
    With ``reach`` (each character's :func:`reachable` compartments), the
    versions that put a character where it never is are left out. See the
    module docstring for the rules and :class:`Tags` for the layout.

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
        reactions=tuple(v for r in model.reactions for v in _versions(r, chars, reach)),
        population=expand_compartments(model.population, chars),
        humans=expand_compartments(model.humans, chars),
        zombies=expand_compartments(model.zombies, chars),
    )


def version_counts(model: Model, characters: Sequence[str], reach: Reach = None) -> list[int]:
    """How many versions :func:`tag_model` makes of each reaction of ``model``."""
    k = len(characters)
    return [sum(1 for _ in _positions(r, k, reach)) for r in model.reactions]


def expand_movement(movement: Mapping[str, float], characters: Sequence[str]) -> dict[str, float]:
    """Movement rates for the tagged model: each tagged copy moves as its base compartment."""
    out = dict(movement)
    for c, rate in movement.items():
        out.update({tagged(c, a): rate for a in characters})
    return out
