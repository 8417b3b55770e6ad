"""The series as scenarios: season1 and season2 load, run under every engine, keep their people.

Runs are cut short (hours, a few runs) to keep the suite fast; the full
scenarios are run by ``hyosan run season1`` and measured in docs/series.md.
"""

from __future__ import annotations

import numpy as np
import pytest

from hyosan import load_scenario, simulate
from hyosan.interventions import until
from hyosan.io.story import story
from hyosan.results.tracks import survival
from hyosan.scenario import TimeGrid

SHORT = {"ssa": 4.0, "tau": 24.0, "ode": 24.0}


def _short(name: str, end: float):
    """The first ``end`` time units of a season, without the interventions that come later
    (a scenario refuses an intervention after its end)."""
    sc = load_scenario(name)
    grid = TimeGrid(end=end, points=int(end) + 1, unit=sc.time.unit)
    return sc.replace(time=grid, interventions=until(sc.interventions, end)[0])


@pytest.mark.parametrize("name", ["season1", "season2"])
def test_the_seasons_load_with_their_world_characters_and_milestones(name: str) -> None:
    """Each season loads on its world with characters and milestones, its initial counts are
    the world's people (season1: the city, the bitten student, the soldiers; season2: three
    hybrids, Nam-ra the helped one, the seven survivors of season 1, with a sweep)."""
    sc = load_scenario(name)
    model = {"season1": "aouad-army", "season2": "aouad-camp"}[name]
    assert sc.model.name == model and sc.world is not None
    assert sc.characters and sc.milestones
    assert {"S", "H", "A"} <= set(sc.model.surviving)
    people = sum(sc.initial.values())
    assert people == sc.world.counts(sc.model).sum()
    if name == "season1":
        assert people == 400_000 + 1 + 2_500  # the city, the bitten student, the soldiers
        assert [c.name for c in sc.characters][:4] == [
            "Nam On-jo",
            "Lee Cheong-san",
            "Lee Su-hyeok",
            "Choi Nam-ra",
        ]
    else:
        assert sc.initial["H"] == 2 and sc.initial["Hc"] == 1 and sc.sweep is not None
        assert [(c.name, c.compartment or "S") for c in sc.characters] == [
            ("Lee Su-hyeok", "S"),
            ("Nam On-jo", "S"),
            ("Yoon Hyo-ryeong", "S"),
            ("Jang Ha-ri", "S"),
            ("Yang Dae-su", "S"),
            ("Seo Mi-jin", "S"),
            ("Choi Nam-ra", "Hc"),
        ]


@pytest.mark.parametrize("name", ["season1", "season2"])
@pytest.mark.parametrize("engine", ["ssa", "tau", "ode"])
def test_the_seasons_run_under_every_engine_and_keep_their_people(name: str, engine: str) -> None:
    """A short run under each engine keeps the total population, never goes negative, its
    fields sum to the counts, each character is in exactly one state, and the story names them."""
    sc = _short(name, SHORT[engine])
    r = simulate(sc, engine=engine, runs=2, seed=7)
    total = r.counts.sum(axis=-1)
    np.testing.assert_allclose(total, np.full_like(total, sum(sc.initial.values())), rtol=1e-9)
    assert (r.counts >= -1e-9).all()
    np.testing.assert_allclose(r.fields.sum(axis=-1), r.counts, rtol=1e-9, atol=1e-6)
    states = r.dataset["character_state"].values
    np.testing.assert_allclose(states.sum(axis=-1), 1.0, atol=1e-6)
    text = story(r, sc)
    for c in sc.characters:
        assert c.name in text


def test_season1_the_strike_kills_everyone_in_the_strike_zone() -> None:
    """The day-96 strike lowers the living in the strike zone across it, and its recorded
    change moves people into ``D`` while keeping the total."""
    sc = _short("season1", 97.0)
    r = simulate(sc, runs=1, seed=3)
    world = sc.world.world
    zone = list(world.regions["strike-zone"])
    t = int(np.searchsorted(r.times, 96.0))
    alive = [sc.model.compartments.index(c) for c in ("S", "E", "Ez", "Z", "H", "A")]
    assert r.fields[0, t + 1][alive][:, zone].sum() < r.fields[0, t - 1][alive][:, zone].sum()
    names = list(r.dataset["intervention"].values)
    i = names.index("the strike on downtown and the school")
    change = r.dataset["change"].values[0, i]
    d = sc.model.compartments.index("D")
    assert change[d] > 0 and change.sum() == pytest.approx(0.0)


def test_season1_characters_survival_converges_with_its_standard_error() -> None:
    """Two independent batches of runs agree within their standard errors, and each
    reported SE is the binomial one."""
    sc = _short("season1", 24.0)
    a = survival(simulate(sc, runs=24, seed=101))
    b = survival(simulate(sc, runs=24, seed=202))
    for (_, x), (_, y) in zip(a.iterrows(), b.iterrows(), strict=True):
        p, q = x["survived"], y["survived"]
        assert x["se"] == pytest.approx(np.sqrt(p * (1 - p) / 24))
        pooled = (p + q) / 2
        se = np.sqrt(2 * pooled * (1 - pooled) / 24)
        assert abs(p - q) <= 4 * se + 1e-12


def test_season2_tells_the_seven_survivors_and_whether_the_hybrids_survived() -> None:
    """Two days of season 2, three runs: the story names all seven survivors of season 1
    in the survival table, gives the chance of each moment (a second outbreak, a hybrid
    found out or killed) and whether the hybrids survived, each with a standard error."""
    from hyosan import set_keys

    sc = set_keys(load_scenario("season2"), [("time.end", 48.0), ("runs", 3)])
    r = simulate(sc, seed=5)
    text = story(r, sc)
    table = text.split("Survival over 3 runs")[1]
    for c in sc.characters:
        assert f"| {c.name} | " in table
    chances = text.split("## How often, over 3 runs")[1].split("##")[0]
    for moment in ("A second outbreak", "A hybrid was found out", "A hybrid was killed"):
        assert f"| {moment}: " in chances or f"| {moment} | " in chances
    hybrids = text.split("## The hybrids")[1].split("##")[0]
    assert "3 hybrids at the start" in hybrids
    assert "every hybrid survived in " in hybrids and " ± " in hybrids
