"""Interventions in space: cordons, lockdowns, barricades, camps and strikes.

Each acts on a :class:`~hyosan.space.Selection` of patches when its
intervention fires:

- ``cordon``: close every edge that crosses the selection's border, both ways
  (martial law: nobody leaves or enters, and with coupling nobody bites
  across the line);
- ``lockdown``: close every edge with an end in the selection (no movement);
- ``barricade``: close the closable edges (doors) with an end in the selection;
- ``reopen``: give every edge with an end in the selection its world weight back;
- ``strike``: everyone in the selection dies, infected or not (moved to the
  model's ``D`` compartment, or out of the model if it has none);
- ``camp``: a :class:`Camp` moves people to a camp patch through a screening.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from hyosan._typing import FloatArray
from hyosan.errors import InputError
from hyosan.model.characters import copy_of, dead_of
from hyosan.space import Selection, World

__all__ = ["Camp", "close_edges", "evacuate", "strike"]

Take = Callable[[float, float], float]
"""``take(count, fraction)``: how many of ``count`` a fraction takes (binomial or exact)."""


@dataclass(frozen=True, slots=True)
class Camp:
    """Move people from ``patches`` to the camp patch ``to``, screening them on the way.

    Of each compartment in ``move``, ``fraction`` is taken to the camp. Those
    in ``screen`` compartments (the bitten) are caught with probability
    ``sensitivity`` and go to ``detected_to`` (a compartment, in their own
    patch) or, if it is empty, are turned back and stay where they were.
    Hybrids are never detected: leave them out of ``screen``.

    ``move`` and ``screen`` default (when empty) to every compartment that is
    neither a zombie nor ``D``, and to ``E`` and ``Ez`` where the model has them.
    """

    patches: Selection
    to: str
    fraction: float = 1.0
    sensitivity: float = 0.9
    move: tuple[str, ...] = ()
    screen: tuple[str, ...] = ()
    detected_to: str = ""

    def check(self, compartments: tuple[str, ...], world: World, *, key: str) -> None:
        """Raise :class:`InputError` for names the model or world lacks, or bad numbers."""
        world.index(self.to, key=f"{key}.to")
        self.patches.resolve(world, key=f"{key}.patches")
        for name in ("fraction", "sensitivity"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int | float) or not 0 <= v <= 1:
                raise InputError(
                    "a probability is between 0 and 1",
                    key=f"{key}.{name}",
                    value=v,
                    allowed="0 to 1",
                )
        for name in ("move", "screen"):
            for c in getattr(self, name):
                if c not in compartments:
                    raise InputError(
                        "unknown compartment",
                        key=f"{key}.{name}",
                        value=c,
                        allowed=", ".join(compartments),
                    )
        if self.detected_to and self.detected_to not in compartments:
            raise InputError(
                "unknown compartment",
                key=f"{key}.detected_to",
                value=self.detected_to,
                allowed=", ".join(compartments) + ' (or "" to turn them back)',
            )

    def roles(
        self, compartments: tuple[str, ...], zombies: tuple[str, ...]
    ) -> tuple[list[int], list[int]]:
        """Indices of the compartments moved and of those screened."""
        move = self.move or tuple(c for c in compartments if c not in zombies and c != "D")
        screen = self.screen or tuple(c for c in ("E", "Ez") if c in compartments)
        return [compartments.index(c) for c in move], [compartments.index(c) for c in screen]


def close_edges(kind: str, patches: np.ndarray, world: World, weight: FloatArray) -> None:
    """Apply ``cordon``, ``lockdown``, ``barricade`` or ``reopen`` to ``weight``, in place."""
    inside = np.zeros(world.n_patches, dtype=bool)
    inside[patches] = True
    src_in, dst_in = inside[world.src], inside[world.dst]
    if kind == "cordon":
        hit = src_in != dst_in
    elif kind == "lockdown":
        hit = src_in | dst_in
    elif kind == "barricade":
        hit = (src_in | dst_in) & world.closable
    else:  # reopen
        hit = src_in | dst_in
        weight[hit] = world.weight[hit]
        return
    weight[hit] = 0.0


def strike(patches: np.ndarray, X: FloatArray, compartments: tuple[str, ...]) -> None:
    """Everyone in ``patches`` dies: each count of ``X`` (patches x compartments) moves to
    ``D`` (a character's copies to its own ``D__a``), or out of the model if it has no ``D``."""
    dead = dead_of(compartments)
    alive = np.flatnonzero(dead != np.arange(len(compartments)))
    for p in patches:
        killed = X[p, alive].copy()
        X[p, alive] = 0.0
        if "D" in compartments:
            np.add.at(X[p], dead[alive], killed)


def evacuate(
    camp: Camp,
    patches: np.ndarray,
    to: int,
    X: FloatArray,
    compartments: tuple[str, ...],
    zombies: tuple[str, ...],
    take: Take,
) -> None:
    """Move people from ``patches`` to patch ``to`` through the camp's screening, in place."""
    move, screen = camp.roles(compartments, zombies)
    detected = copy_of(compartments, camp.detected_to) if camp.detected_to else None
    for p in patches:
        if p == to:
            continue
        for c in move:
            n = take(float(X[p, c]), camp.fraction)
            caught = take(n, camp.sensitivity) if c in screen else 0.0
            X[p, c] -= n
            X[to, c] += n - caught
            if detected is not None:  # a character caught goes to its own copy
                X[p, detected[c]] += caught
            else:
                X[p, c] += caught
