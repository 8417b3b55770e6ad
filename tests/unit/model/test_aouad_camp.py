"""The built-in model ``aouad-camp``: helped, found-out and killed hybrids (issue 20).

Each dynamic test runs the exact engine with every rate but the one under test
set to 0, so a count can only move through that reaction.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import hyosan
from hyosan.engines import get_engine, run_path
from hyosan.errors import InputError
from hyosan.model import builtin_model, compile_model, rate_constants
from hyosan.model.core import probabilities, resolve_parameters
from hyosan.scenario import load_scenario_text
from hyosan.scenario.dump import model_to_dict
from hyosan.scenario.models import model_from_dict

MODEL = builtin_model("aouad-camp")
COMPS = MODEL.compartments
TIMES = np.linspace(0.0, 10.0, 11)
STILL = {p.name: 0.0 for p in MODEL.parameters}  # nothing happens


def _run(x: dict[str, float], seed: int = 1, **rates: float) -> dict[str, float]:
    """The counts at t = 10 of one exact run from ``x`` with only ``rates`` above 0."""
    x0 = np.array([x.get(c, 0.0) for c in COMPS])
    out, _ = run_path(
        MODEL, {**STILL, **rates}, x0, TIMES, (), get_engine("ssa"), np.random.default_rng(seed)
    )
    return dict(zip(COMPS, out[-1], strict=True))


def test_its_reactions_roles_and_parameters() -> None:
    """aouad-army's reactions but for the fight with hybrids, which now kills into Dh, plus
    the helped hybrids' lapses, help, relapse, screening and the hunt; every reaction keeps
    the total; the hybrids role names H, Hc, Hf (alive) and Dh (killed); every parameter
    has a description, and every rate a unit per hour."""
    army = builtin_model("aouad-army")
    equations = {r.equation: r.rate for r in MODEL.reactions}
    old = {r.equation: r.rate for r in army.reactions if r.name != "fight hybrid"}
    assert old.items() <= equations.items()
    assert set(equations.items()) - set(old.items()) == {
        ("S + Hc -> Ez + Hc", "beta_h * (1 - control)"),
        ("S + Hf -> Ez + Hf", "beta_h"),
        ("S + H -> S + Dh", "alpha_h"),
        ("S + Hc -> S + Dh", "alpha_h"),
        ("H + Hc -> Hc + Hc", "help"),
        ("Hc -> H", "relapse"),
        ("H + A -> Hf + A", "screen"),
        ("Hc + A -> Hf + A", "screen"),
        ("A + Hf -> A + Dh", "alpha_f"),
    }
    assert MODEL.conserves_population
    assert MODEL.hybrids == ("H", "Hc", "Hf", "Dh")
    assert set(MODEL.surviving) == {"S", "H", "Hc", "Hf", "A"}
    assert set(MODEL.counted) == set(COMPS) - {"D", "Dh"}
    assert probabilities(MODEL) == {"p_hybrid", "control"}
    for p in MODEL.parameters:
        assert p.description
        assert p.unit == ("" if p.name in probabilities(MODEL) else "1/h"), p.name


def test_a_helped_hybrid_lapses_at_beta_h_times_one_minus_control() -> None:
    """The helped hybrid's bite has rate constant beta_h (1 - control) in the compiled
    model; a hybrid on its own and a found-out one bite at beta_h."""
    setting = {"beta_h": 0.002, "control": 0.75}
    compiled = compile_model(MODEL, setting)
    k = dict(zip([r.equation for r in MODEL.reactions], compiled.k, strict=True))
    assert k["S + Hc -> Ez + Hc"] == pytest.approx(0.0005)
    assert k["S + H -> Ez + H"] == k["S + Hf -> Ez + Hf"] == pytest.approx(0.002)
    np.testing.assert_array_equal(
        compiled.k, rate_constants(MODEL, resolve_parameters(MODEL, setting))
    )


def test_help_needs_a_helped_hybrid() -> None:
    """Well mixed, help turns H into Hc when an Hc is there and never when none is."""
    alone = _run({"S": 20, "H": 5}, help=50.0)
    assert alone["H"] == 5 and alone["Hc"] == 0
    helped = _run({"S": 20, "H": 5, "Hc": 1}, help=50.0)
    assert helped["H"] == 0 and helped["Hc"] == 6


TWO_BLOCKS = """
model = "aouad-camp"
engine = "ssa"
runs = 3
seed = 4
[time]
end = 10
points = 11
[parameters]
{rates}
[world]
fill = "S"
[world.plan]
name = "two-blocks"
[[world.plan.patches]]
name = "a"
people = 20
[[world.plan.patches]]
name = "b"
people = 20
[[world.plan.doors]]
between = ["a", "b"]
[[world.seed]]
compartment = "H"
count = 5
where = "a"
[[world.seed]]
compartment = "H"
count = 5
where = "b"
[[world.seed]]
compartment = "Hc"
count = 1
where = "a"
"""


def test_help_reaches_only_the_hybrids_who_share_the_helpers_patch() -> None:
    """In a world of two blocks with nobody moving, the hybrids in the helper's block are
    all helped within 10 hours (each at 50/26 an hour) and the five in the other block
    never are."""
    rates = "\n".join(f"{p} = {0.0 if p != 'help' else 50.0}" for p in STILL)
    sc = load_scenario_text(TWO_BLOCKS.format(rates=rates))
    r = hyosan.simulate(sc)
    fields = r.fields[:, -1]  # runs, compartments, patches
    h, hc = COMPS.index("H"), COMPS.index("Hc")
    np.testing.assert_array_equal(fields[:, h], [[0, 5]] * 3)
    np.testing.assert_array_equal(fields[:, hc], [[6, 0]] * 3)


def test_screen_zero_finds_nobody_and_screening_finds_hybrids() -> None:
    """With screen = 0 no hybrid, on its own or helped, is ever found out among soldiers;
    with screen > 0 all of them are."""
    start = {"S": 40, "A": 40, "H": 5, "Hc": 5}
    hidden = _run(start, screen=0.0)
    assert hidden["Hf"] == 0 and hidden["H"] == 5 and hidden["Hc"] == 5
    found = _run(start, screen=20.0)
    assert found["Hf"] == 10 and found["H"] == found["Hc"] == 0


def test_the_hunt_kills_only_found_out_hybrids_into_dh() -> None:
    """Soldiers hunting at alpha_f kill every found-out hybrid into Dh and no other hybrid,
    no human and none into D."""
    end = _run({"S": 40, "A": 40, "H": 5, "Hc": 5, "Hf": 5}, alpha_f=50.0)
    assert end["Hf"] == 0 and end["Dh"] == 5 and end["D"] == 0
    assert end["H"] == end["Hc"] == 5 and end["S"] == end["A"] == 40


def test_humans_fight_the_hybrids_they_do_not_know_into_dh() -> None:
    """alpha_h kills hybrids on their own and helped ones into Dh, never found-out ones
    (the army hunts those) and none into D."""
    end = _run({"S": 40, "H": 5, "Hc": 5, "Hf": 5}, alpha_h=50.0)
    assert end["H"] == end["Hc"] == 0 and end["Hf"] == 5
    assert end["Dh"] == 10 and end["D"] == 0


def test_the_hybrids_role_is_checked_and_kept_in_a_model_file() -> None:
    """A hybrids role naming no compartment is refused with its key; the role survives the
    model's TOML table both ways (SBML's round trip is tested for every built-in model)."""
    with pytest.raises(InputError) as info:
        dataclasses.replace(MODEL, hybrids=("H", "Hx"))
    assert info.value.key == "hybrids" and info.value.value == "Hx"
    table = model_to_dict(MODEL)
    assert table["hybrids"] == ["H", "Hc", "Hf", "Dh"]
    assert model_from_dict(table) == MODEL
