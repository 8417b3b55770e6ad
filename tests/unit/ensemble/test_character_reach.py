"""Characters' reaction versions are only those that can happen: the runs are the same."""

from __future__ import annotations

import numpy as np
import pytest

import hyosan.ensemble.cast as cast_module
from hyosan import simulate
from hyosan.ensemble.cast import Cast
from hyosan.model.characters import tag_model, tagged
from hyosan.scenario import load_scenario_text

# Soldiers who shoot, a camp that shoots the bitten it catches, a strike: a human
# character can be bitten, turn, be shot or struck, but never become a soldier.
ARMY = """
name = "school-army"
model = "aouad-army"
engine = "ssa"
runs = 4
seed = 3
[time]
end = 8.0
points = 33
[world]
builtin = "hyosan-school"
fill = "S"
movement = { S = 0.1, Z = 3.0, H = 1.0, A = 0.2 }
[[world.seed]]
compartment = "E"
count = 2
where = "science-lab"
[[world.seed]]
compartment = "A"
count = 30
where = "gym"
[[interventions]]
name = "the army takes survivors to the gym"
at = [3.0, 5.0]
[interventions.camp]
patches = { region = "floor-2" }
to = "gym"
fraction = 0.3
sensitivity = 0.9
detected_to = "D"
[[interventions]]
name = "the strike"
at = 6.0
strike = { region = "floor-3" }
[[characters]]
name = "Nam On-jo"
where = "class-2-5"
[[characters]]
name = "Lee Su-hyeok"
where = "class-3-1"
[[characters]]
name = "a soldier"
compartment = "A"
where = "gym"
"""


def test_a_human_character_never_takes_a_soldiers_place() -> None:
    """Versions with On-jo (c1) as a soldier are left out, and only those: the soldier
    character (c3) keeps its versions as a soldier, and On-jo keeps hers as D."""
    cast = Cast.of(load_scenario_text(ARMY))
    reactants = [set(r.reactants) for r in cast.model.reactions]
    assert not any(tagged("A", "c1") in r or tagged("A", "c2") in r for r in reactants)
    assert any(tagged("A", "c3") in r for r in reactants)
    assert any(tagged("Z", "c1") in r for r in reactants)
    every = tag_model(load_scenario_text(ARMY).model, ["c1", "c2", "c3"])
    lost = {r.equation for r in every.reactions} - {r.equation for r in cast.model.reactions}
    never = {"c1": {"A"}, "c2": {"A"}, "c3": {"S", "E", "Ez", "Z", "H"}}  # the soldier: A, D
    wrong = {tagged(x, c) for c, xs in never.items() for x in xs}
    assert lost and all(set(e.split(" -> ")[0].split(" + ")) & wrong for e in lost), lost
    assert len(cast.tags.reaction_base) == len(cast.model.reactions)


@pytest.mark.parametrize("engine", ["ssa", "tau", "ode"])
def test_leaving_out_what_never_happens_changes_no_number(
    engine: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same seed gives the same counts and characters to the bit, with every version
    kept (each character may be anywhere) and with the unreachable ones left out."""
    sc = load_scenario_text(ARMY)
    pruned = simulate(sc, engine=engine)
    few = len(Cast.of(sc).model.reactions)
    everywhere = frozenset(sc.model.compartments)
    monkeypatch.setattr(cast_module, "reachable", lambda *_a, **_k: everywhere)
    full = simulate(sc, engine=engine)
    assert len(Cast.of(sc).model.reactions) > few  # the second ran every version
    for name in ("counts", "character_state", "change"):
        np.testing.assert_array_equal(pruned.dataset[name].values, full.dataset[name].values)
