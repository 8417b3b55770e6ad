"""Alemi's SZR written in GillesPy2's own terms, by hand.

Both reactions are custom propensities (GillesPy2's mass-action rates have no
``/N``): bite ``beta*S*Z/(S+Z+R)`` with ``S + Z -> 2 Z``, kill
``kappa*S*Z/(S+Z+R)`` with ``S + Z -> S + R``. Discrete species, a uniform
output grid of 101 points to day 1,000 (GillesPy2 needs a grid; both its
solvers stop drawing events when every propensity is zero).
"""

from __future__ import annotations

import warnings

import gillespy2
import numpy as np

from contenders._alemi import BETA, KAPPA, POINTS, T_END, zombies_at_start

# GillesPy2 1.8 parses propensity strings with the deprecated ast.NodeVisitor.visit_Num.
warnings.filterwarnings("ignore", category=DeprecationWarning)


def alemi_model(n: int) -> gillespy2.Model:
    """The GillesPy2 model with ``n`` people, 0.1% of them zombies."""
    z0 = zombies_at_start(n)
    m = gillespy2.Model(name="alemi")
    m.add_parameter(
        [
            gillespy2.Parameter(name="beta", expression=BETA),
            gillespy2.Parameter(name="kappa", expression=KAPPA),
        ]
    )
    s = gillespy2.Species(name="S", initial_value=n - z0, mode="discrete")
    z = gillespy2.Species(name="Z", initial_value=z0, mode="discrete")
    r = gillespy2.Species(name="R", initial_value=0, mode="discrete")
    m.add_species([s, z, r])
    m.add_reaction(
        [
            gillespy2.Reaction(
                name="bite",
                reactants={s: 1, z: 1},
                products={z: 2},
                propensity_function="beta*S*Z/(S+Z+R)",
            ),
            gillespy2.Reaction(
                name="kill",
                reactants={s: 1, z: 1},
                products={s: 1, r: 1},
                propensity_function="kappa*S*Z/(S+Z+R)",
            ),
        ]
    )
    m.timespan(np.linspace(0.0, T_END, POINTS))
    return m


def final_counts(results: gillespy2.Results) -> tuple[float, float, float]:
    """S, Z, R at the end of the first trajectory."""
    trajectory = results[0]
    return trajectory["S"][-1], trajectory["Z"][-1], trajectory["R"][-1]
