"""Characters, interventions' records and the story, through ``simulate`` and the result folder."""

from __future__ import annotations

import numpy as np
import pytest

from hyosan import simulate
from hyosan.errors import InputError
from hyosan.io import load_result, save_result
from hyosan.io.story import milestone_times, story, typical_run
from hyosan.results.tracks import character_frame, survival
from hyosan.scenario import load_scenario_text

SCHOOL = """
name = "school-cast"
model = "aouad"
engine = "ssa"
runs = 12
seed = 5
[time]
end = 12.0
points = 49
[world]
builtin = "hyosan-school"
fill = "S"
movement = { S = 0.1, Z = 3.0, H = 1.0 }
[[world.seed]]
compartment = "E"
count = 1
where = "science-lab"
[[interventions]]
name = "the army strikes the third floor"
at = 6.0
strike = { region = "floor-3" }
[[interventions]]
name = "barricades on floor 2"
when = "Z >= 3 in floor-2"
barricade = { region = "floor-2" }
[[characters]]
name = "Nam On-jo"
where = "class-2-5"
[[characters]]
name = "Lee Su-hyeok"
where = "class-3-1"
[[milestones]]
text = "the third floor fell"
when = "S < 150 in floor-3"
"""

WELL_MIXED = """
name = "sir-cast"
model = "sir"
engine = "ssa"
runs = 400
seed = 11
[time]
end = 30.0
points = 31
[initial]
S = 190
I = 10
[[characters]]
name = "Ada"
compartment = "S"
"""


@pytest.fixture(scope="module")
def school():
    sc = load_scenario_text(SCHOOL)
    return sc, simulate(sc)


@pytest.mark.parametrize("engine", ["ssa", "tau", "ode"])
def test_characters_are_in_one_place_at_a_time_and_counts_fold_back(engine: str) -> None:
    """Each character is in exactly one state at every time, the total population is kept, the
    fields fold back to the counts and the tags are folded away; a stochastic engine puts each
    character, whole, in one patch (starting in its class) whose compartment holds someone."""
    sc = load_scenario_text(SCHOOL)
    r = simulate(sc, engine=engine, runs=3)
    states = r.dataset["character_state"].values  # (runs, times, K, C)
    np.testing.assert_allclose(states.sum(axis=-1), 1.0, atol=1e-6)
    totals = r.counts.sum(axis=-1)
    np.testing.assert_allclose(totals, np.broadcast_to(totals[:, :1], totals.shape), rtol=1e-6)
    np.testing.assert_allclose(r.fields.sum(axis=-1), r.counts, rtol=1e-9, atol=1e-6)
    assert r.compartments == sc.model.compartments  # the tags are folded away
    if engine != "ode":
        assert set(np.unique(states)) <= {0.0, 1.0}
        patch = r.dataset["character_patch"].values
        assert (patch >= 0).all()
        assert r.patches[patch[0, 0, 0]] == "class-2-5"
        # where a character is, its compartment holds at least one person
        for run in range(r.runs):
            for t in range(0, len(r.times), 8):
                for k in range(2):
                    c = int(states[run, t, k].argmax())
                    assert r.fields[run, t, c, patch[run, t, k]] >= 1


def test_a_strike_records_its_toll_and_keeps_characters(school) -> None:
    """The strike's recorded change moves the floor's living (over 100 each run) into the
    dead at hour 6, and Su-hyeok, on floor 3 across the strike in most runs, is dead after it."""
    sc, r = school
    i = list(r.dataset["intervention"].values).index("the army strikes the third floor")
    change = r.dataset["change"].values[:, i]  # (runs, C)
    d = sc.model.compartments.index("D")
    assert np.all(change.sum(axis=1) == 0)  # the dead gain what the living lose
    assert np.all(change[:, d] > 100)  # floor 3 holds about 300 people
    np.testing.assert_array_equal(r.dataset["fired"].values[:, i], 6.0)
    # Su-hyeok is on floor 3 at the strike unless he left it: dead or elsewhere after
    patch = r.dataset["character_patch"].values[:, :, 1]
    states = r.dataset["character_state"].values[:, :, 1]
    floor3 = list(sc.world.world.regions["floor-3"])
    after = int(np.searchsorted(r.times, 6.0))
    stayed = np.isin(patch[:, after - 1], floor3) & np.isin(patch[:, after], floor3)
    assert stayed.sum() >= r.runs // 2  # his class is on floor 3: in most runs he is there
    np.testing.assert_array_equal(states[stayed, after, d], 1.0)


def test_a_condition_in_a_region_fires_when_the_region_reaches_it(school) -> None:
    """``Z >= 3 in floor-2`` fires only in runs where floor 2 held 3 zombies, and at the output
    time before it fired fewer than 3 stood there; some runs fire and some do not."""
    sc, r = school
    i = list(r.dataset["intervention"].values).index("barricades on floor 2")
    fired = r.dataset["fired"].values[:, i]
    floor2 = list(sc.world.world.regions["floor-2"])
    z = sc.model.compartments.index("Z")
    on_floor = r.fields[:, :, z, :][:, :, floor2].sum(axis=-1)
    never = np.isnan(fired)
    assert 0 < never.sum() < r.runs  # both kinds of run are checked (4 of 12 never fire)
    assert np.all(on_floor[never].max(axis=1) < 3)
    # at the grid time before it fired, fewer than 3 stood there
    j = np.searchsorted(r.times, fired[~never], side="right") - 1
    assert np.all(r.times[j] < fired[~never])  # fired between grid times, never on one
    assert np.all(on_floor[~never, j] < 3)


def test_survival_matches_everyone_elses_within_standard_errors() -> None:
    """A character is one of the S: its survival equals S(end) / S(0) in expectation."""
    sc = load_scenario_text(WELL_MIXED)
    r = simulate(sc)
    table = survival(r)
    p, se = float(table["survived"].iloc[0]), float(table["se"].iloc[0])
    assert se == pytest.approx(np.sqrt(p * (1 - p) / r.runs))
    s = sc.model.compartments.index("S")
    frac = r.counts[:, -1, s] / r.counts[:, 0, s]  # the others' survival, run by run
    se_frac = frac.std(ddof=1) / np.sqrt(r.runs)
    assert abs(p - frac.mean()) < 4 * np.hypot(se, se_frac)


def test_the_folder_keeps_characters_and_firings(school, tmp_path) -> None:
    """A saved and reloaded result keeps the characters' states and patches, the firings, the
    tolls and the milestones exactly, and writes the story beside them."""
    sc, r = school
    save_result(r, tmp_path / "out", texts={"story.md": story(r, sc)})
    back = load_result(tmp_path / "out")
    for var in ("character_state", "character_patch", "fired", "change", "milestone_time"):
        np.testing.assert_array_equal(back.dataset[var].values, r.dataset[var].values)
    assert list(back.dataset["character"].values) == ["Nam On-jo", "Lee Su-hyeok"]
    pd_a, pd_b = character_frame(back), character_frame(r)
    assert pd_a.equals(pd_b)
    assert (tmp_path / "out" / "story.md").read_text().startswith("# school-cast")


def test_the_story_says_what_the_result_holds(school) -> None:
    """The story follows the median run, ends with its humans, zombies and dead, times the
    milestone and the strike (with its toll) in that run, and gives each character's survival
    with its standard error."""
    sc, r = school
    text = story(r, sc)
    run = typical_run(r)
    final_s = r.counts[:, -1, 0]
    assert final_s[run] == np.sort(final_s)[(r.runs - 1) // 2]
    assert f"Timeline of run {run + 1}" in text
    end = r.counts[run, -1]
    line = next(x for x in text.splitlines() if "the end." in x)
    nouns = {"humans": "S", "zombies": "Z", "dead": "D"}
    left = {c: end[sc.model.compartments.index(k)] for c, k in nouns.items()}
    assert left["dead"] > 0  # the strike killed floor 3
    for c in (c for c, n in left.items() if n):
        assert f"{left[c]:,.0f} {c}" in line
    at = r.dataset["milestone_time"].values[run, 1]  # 0 is the first zombie
    assert not np.isnan(at)  # the strike empties floor 3 at hour 6: it always falls
    assert f"hour {at:.1f}.** The third floor fell." in text

    table = survival(r)
    for row in table.itertuples(index=False):
        assert f"| {row.character} | {row.survived:.2f} ± {row.se:.2f} |" in text
    fired = r.dataset["fired"].values[run, 0]
    killed = r.dataset["change"].values[run, 0, sc.model.compartments.index("D")]
    assert f"hour {fired:.1f}.** The army strikes the third floor. It killed {killed:,.0f}" in text


def test_milestones_are_timed_at_the_event_not_the_grid(school) -> None:
    """The recorded time is never after the first output time at which it held, and
    at the output time before it the condition did not yet hold."""
    sc, r = school
    names = list(r.dataset["milestone"].values)
    assert names == ["the first zombie", "the third floor fell"]
    exact = r.dataset["milestone_time"].values
    grid = milestone_times(r, sc.milestones[0].when, sc.world.world)
    held = ~np.isnan(grid)
    assert held.any()
    np.testing.assert_array_equal(np.isnan(exact[:, 1]), np.isnan(grid))
    assert np.all(exact[held, 1] <= grid[held])
    before = np.searchsorted(r.times, exact[held, 1], side="left") - 1
    assert np.all(r.times[before] < exact[held, 1])


@pytest.mark.parametrize(
    ("extra", "key"),
    [
        ('[[characters]]\nname = "X"\nwhere = "nowhere"\n', "characters[2].where"),
        ('[[characters]]\nname = "Nam On-jo"\nwhere = "gym"\n', "characters[2].name"),
        ('[[characters]]\nname = "Y"\n', "characters[2].where"),
        ('[[characters]]\nname = "Y"\ncompartment = "Q"\nwhere = "gym"\n', "characters[2]"),
        ('[[characters]]\nname = "Y"\ncompartment = "H"\nwhere = "gym"\n', "characters[2]"),
        ('[[milestones]]\ntext = "x"\nwhen = "Z > 1 in attic"\n', "milestones[1].when"),
    ],
)
def test_bad_characters_and_milestones_name_the_key(extra: str, key: str) -> None:
    """An unknown patch, a repeated name, a missing place, an unknown or impossible compartment
    and an unknown region each raise an ``InputError`` naming the key at fault."""
    with pytest.raises(InputError) as err:
        load_scenario_text(SCHOOL + extra)
    assert err.value.key.startswith(key)


def test_a_region_needs_a_world() -> None:
    """A condition ``in`` a region, in a well-mixed scenario, raises an ``InputError`` naming
    the intervention's ``when``."""
    text = WELL_MIXED + '[[interventions]]\nwhen = "I > 5 in town"\nset = { beta = 0.1 }\n'
    with pytest.raises(InputError) as err:
        load_scenario_text(text)
    assert err.value.key == "interventions[0].when"
