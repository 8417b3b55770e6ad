"""Models written by independent tools, read by hyosan: the Munz et al. (2009) models.

The SZR, latent (SIZR) and quarantine (SIZRQ) models are written twice
outside hyosan: in Antimony, as the paper's equations read reaction by
reaction in BioModels' idiom (``S -> Z; beta*S*Z``: the zombie in the law is
a modifier), converted to SBML by the ``antimony`` package; and as GillesPy2
models (mass-action reactions ``S + Z -> 2 Z``) exported by GillesPy2's SBML
writer. Each file is read by hyosan and solved by hyosan's ODE engine, and
the solution must match the built-in model's (``munz-basic``,
``munz-latent``, ``munz-quarantine``) with the same parameter values and
initial counts to a relative 1e-9 at every output time: the models are the
same equations, so only rounding separates them, and LSODA runs at
tolerances (1e-12) far below that.

Every parameter is given a value that matters (births ``Pi`` too, which the
paper sets to 0), so that a reaction read wrongly would show.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from hyosan.engines.ode import OdeEngine
from hyosan.ensemble import simulate
from hyosan.model import Model, builtin_model
from hyosan.model.sbml import SbmlModel, read_sbml, sbml_from_string
from hyosan.scenario import Scenario, TimeGrid

antimony = pytest.importorskip("antimony")
gillespy2 = pytest.importorskip("gillespy2")

VALUES = {
    "Pi": 0.5,  # births a day (the paper: 0); counts in thousands, as the paper's
    "delta": 0.0001,
    "beta": 0.0095,
    "alpha": 0.005,
    "zeta": 0.0001,
    "rho": 0.5,
    "kappa": 0.02,
    "sigma": 0.01,
    "gamma": 0.004,
}
INITIAL = {"S": 500, "I": 0, "Z": 1, "R": 0, "Q": 0}

# The paper's equations, term by term, as reactions (Munz et al. 2009, eqs. 1, 2 and 3).
ANTIMONY = {
    "munz-basic": """
        birth: -> S; Pi
        death: S -> R; delta*S
        bite: S -> Z; beta*S*Z
        destroy: Z -> R; alpha*S*Z
        resurrect: R -> Z; zeta*R
    """,
    "munz-latent": """
        birth: -> S; Pi
        death: S -> R; delta*S
        bite: S -> I; beta*S*Z
        infected_death: I -> R; delta*I
        turn: I -> Z; rho*I
        destroy: Z -> R; alpha*S*Z
        resurrect: R -> Z; zeta*R
    """,
}
ANTIMONY["munz-quarantine"] = (  # the latent model, and quarantine (eq. 3)
    ANTIMONY["munz-latent"]
    + """
        quarantine_infected: I -> Q; kappa*I
        quarantine_zombie: Z -> Q; sigma*Z
        killed: Q -> R; gamma_q*Q
    """
)

# (name, reactants, products, rate) of each GillesPy2 mass-action reaction.
GILLESPY2 = {
    "munz-basic": [
        ("birth", {}, {"S": 1}, "births"),
        ("death", {"S": 1}, {"R": 1}, "delta"),
        ("bite", {"S": 1, "Z": 1}, {"Z": 2}, "beta"),
        ("destroy", {"S": 1, "Z": 1}, {"S": 1, "R": 1}, "alpha"),
        ("resurrect", {"R": 1}, {"Z": 1}, "zeta"),
    ],
}
GILLESPY2["munz-latent"] = [
    *(r for r in GILLESPY2["munz-basic"] if r[0] != "bite"),
    ("bite", {"S": 1, "Z": 1}, {"I": 1, "Z": 1}, "beta"),
    ("infected_death", {"I": 1}, {"R": 1}, "delta"),
    ("turn", {"I": 1}, {"Z": 1}, "rho"),
]
GILLESPY2["munz-quarantine"] = [
    *GILLESPY2["munz-latent"],
    ("quarantine_infected", {"I": 1}, {"Q": 1}, "kappa"),
    ("quarantine_zombie", {"Z": 1}, {"Q": 1}, "sigma"),
    ("killed", {"Q": 1}, {"R": 1}, "gamma"),
]
IN_ANTIMONY = {"gamma": "gamma_q"}
"""``gamma`` is a reserved word in Antimony (a built-in function): the tool's name for it."""
IN_GILLESPY2 = {"Pi": "births"}
"""GillesPy2's SBML writer parses each propensity with libsbml's ``parseL3Formula``, which
reads a name ``Pi`` as the constant pi (3.14159...): its birth rate is called ``births``."""


def from_antimony(name: str) -> str:
    """The SBML the ``antimony`` package makes of the model ``name``, with the values."""
    model = builtin_model(name)
    lines = [f"model {name.replace('-', '_')}", ANTIMONY[name]]
    lines += [f"  {c} = {INITIAL[c]}" for c in model.compartments]
    lines += [f"  {IN_ANTIMONY.get(p, p)} = {VALUES[p]!r}" for p in model.parameter_names]
    antimony.clearPreviousLoads()
    assert antimony.loadAntimonyString("\n".join([*lines, "end"])) >= 0, antimony.getLastError()
    return str(antimony.getSBMLString(name.replace("-", "_")))


def from_gillespy2(name: str, folder: Path) -> Path:
    """The SBML file GillesPy2's exporter writes for the model ``name``, with the values."""
    model = gillespy2.Model(name=name.replace("-", "_"))
    values = {IN_GILLESPY2.get(p, p): v for p, v in VALUES.items()}
    used = {rate for *_, rate in GILLESPY2[name]}
    model.add_parameter([gillespy2.Parameter(name=p, expression=values[p]) for p in sorted(used)])
    comps = builtin_model(name).compartments
    species = {c: gillespy2.Species(name=c, initial_value=INITIAL[c]) for c in comps}
    model.add_species(list(species.values()))
    for rname, left, right, rate in GILLESPY2[name]:
        model.add_reaction(
            gillespy2.Reaction(
                name=rname,
                reactants={species[c]: n for c, n in left.items()},
                products={species[c]: n for c, n in right.items()},
                rate=rate,
            )
        )
    return Path(gillespy2.export_SBML(model, str(folder / f"{name}.xml")))


def ode(
    model: Model, parameters: Mapping[str, float], initial: Mapping[str, float]
) -> pd.DataFrame:
    """hyosan's ODE solution over 20 days, 101 output times, at LSODA tolerances 1e-12."""
    sc = Scenario(
        name=model.name,
        model=model,
        parameters=dict(parameters),
        initial=dict(initial),
        time=TimeGrid(end=20.0, points=101),
        engine="ode",
    )
    return simulate(sc, engine=OdeEngine(rtol=1e-12, atol=1e-12)).totals


def renamed(read: SbmlModel, names: Mapping[str, str]) -> Model:
    """The model read, with the parameters a tool had to call otherwise (``names``: hyosan's
    name -> the tool's) given hyosan's names back."""
    back = {theirs: mine for mine, theirs in names.items()}
    model = read.model
    return dataclasses.replace(
        model,
        parameters=tuple(
            dataclasses.replace(p, name=back.get(p.name, p.name)) for p in model.parameters
        ),
        reactions=tuple(
            dataclasses.replace(r, rate=back.get(r.rate, r.rate)) for r in model.reactions
        ),
    )


def compare(name: str, model: Model, initial: Mapping[str, float]) -> float:
    """Solve ``model`` and the built-in one with its values; check that they agree to a relative
    1e-9 at every output time and return the largest relative difference."""
    builtin = builtin_model(name)
    assert model.defaults == {p: VALUES[p] for p in builtin.parameter_names}
    assert set(model.compartments) == set(builtin.compartments)
    assert dict(initial) == {c: INITIAL[c] for c in builtin.compartments}
    mine = ode(builtin, model.defaults, initial)
    theirs = ode(model, model.defaults, initial)
    worst = 0.0
    for c in builtin.compartments:
        a, b = theirs[c].to_numpy(), mine[c].to_numpy()
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=0.0, err_msg=c)
        nonzero = b != 0
        worst = max(worst, float(np.max(np.abs(a - b)[nonzero] / np.abs(b[nonzero]))))
    assert mine["Z"].max() > 100 * INITIAL["Z"]  # an outbreak: every reaction had a part
    return worst


def shapes(m: Model) -> Counter[tuple[object, ...]]:
    """A model's reactions as a multiset of (reactants, products, rate, law)."""
    return Counter(
        (tuple(sorted(r.reactants)), tuple(sorted(r.products)), r.rate, r.rate_law)
        for r in m.reactions
    )


@pytest.mark.parametrize("name", ANTIMONY)
def test_antimony_models_match_the_builtin_ode_solution(name: str) -> None:
    """The Munz model written in Antimony (modifiers in the laws) and converted by ``antimony``
    reads as the built-in model's reactions, and its ODE solution matches to 1e-9."""
    read = sbml_from_string(from_antimony(name), source=f"{name} (antimony)")
    model = renamed(read, IN_ANTIMONY)
    assert shapes(model) == shapes(builtin_model(name))
    compare(name, model, read.initial)


@pytest.mark.parametrize("name", GILLESPY2)
def test_gillespy2_models_match_the_builtin_ode_solution(name: str, tmp_path: Path) -> None:
    """The Munz model built with GillesPy2 and exported by its SBML writer (mass-action
    propensities ``beta*S*Z/vol``, a compartment ``vol`` of size 1) reads as the built-in
    model's reactions, and its ODE solution matches to 1e-9."""
    read = read_sbml(from_gillespy2(name, tmp_path))
    model = renamed(read, IN_GILLESPY2)
    assert shapes(model) == shapes(builtin_model(name))
    compare(name, model, read.initial)
