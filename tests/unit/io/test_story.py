"""Tests of :mod:`hyosan.io.story`: ``story.md`` from small results built by hand.

The results use the ``aouad`` model's compartments (S, E, Ez, Z, H, D), so the
story's words are the model's (human, zombie, dead...).
"""

from __future__ import annotations

import numpy as np
import pytest

from hyosan.interventions import Condition, Op
from hyosan.io.story import compartment_word, milestone_times, story, typical_run
from hyosan.results import Result
from hyosan.results.tracks import with_characters, with_firings, with_milestones
from hyosan.scenario import Scenario, load_scenario_text
from hyosan.space import World

COMPS = ("S", "E", "Ez", "Z", "H", "D")
TIMES = [0.0, 1.0, 2.0, 3.0]
SCENARIO = """
name = "tiny"
model = "aouad"
description = "A small test."
[time]
end = 3.0
points = 4
[initial]
S = 10
Z = 1
[[milestones]]
text = "half the humans are gone"
when = "S < 5"
"""


def _scenario() -> Scenario:
    return load_scenario_text(SCENARIO)


def _counts(final_s: list[float]) -> np.ndarray:
    """Runs of 10 humans and 1 zombie at first, 8 humans at t = 1 and ``final_s[run]`` from
    t = 2 on; the rest are zombies (so they first peak at t = 2)."""
    counts = np.zeros((len(final_s), len(TIMES), len(COMPS)))
    for r, s in enumerate(final_s):
        humans = np.array([10.0, 8.0, s, s])
        counts[r, :, 0] = humans
        counts[r, :, 3] = 11.0 - humans
    return counts


def _result(
    final_s: list[float], engine: str = "ssa", world: World | None = None, **more: object
) -> Result:
    counts = _counts(final_s)
    fields = None
    if world is not None:  # everyone in the first patch, but for one human in the camp
        fields = np.zeros((*counts.shape, world.n_patches))
        fields[..., 0] = counts
        fields[:, :, 0, 0] -= 1.0
        fields[:, :, 0, -1] = 1.0
    return Result.from_arrays(
        counts,
        TIMES,
        COMPS,
        events=[0] * len(final_s),
        engine=engine,
        seed=9,
        scenario_name="tiny",
        model="aouad",
        humans=("S",),
        zombies=("Z",),
        time_unit="hour",
        fields=fields,
        world=world,
        **more,  # type: ignore[arg-type]
    )


def test_the_story_opens_with_the_scenario_and_what_was_run() -> None:
    """The story starts with the scenario's name and description, the runs, the engine, the
    seed and the end time, and says which run its timeline follows."""
    text = story(_result([6.0, 2.0, 4.0]), _scenario())
    lines = text.splitlines()
    assert lines[0] == "# tiny: what happened"
    assert lines[2] == "A small test."
    assert lines[4].startswith("3 runs with the ssa engine (seed 9), to hour 3.0. ")
    assert "The timeline follows run 3" in lines[4]
    assert "## Timeline of run 3" in text
    assert text.endswith("\n") and not text.endswith("\n\n")


def test_typical_run_is_the_median_of_the_final_humans() -> None:
    """typical_run picks the run whose final humans are the median; of two middle runs, the
    one with fewer humans."""
    assert typical_run(_result([6.0, 2.0, 4.0])) == 2
    assert typical_run(_result([5.0, 1.0, 9.0, 3.0])) == 3
    assert typical_run(_result([7.0])) == 0


def test_milestone_times_are_the_first_grid_time_it_holds() -> None:
    """milestone_times gives the first output time at which the condition holds in each run,
    NaN in a run where it never does."""
    r = _result([6.0, 2.0])
    when = milestone_times(r, Condition(("S",), Op.LT, 5.0), None)
    assert when[1] == 2.0 and np.isnan(when[0])


def test_the_timeline_tells_start_moments_peak_and_end_in_order() -> None:
    """Run 1 (one run) goes from 10 humans and a zombie, through the first zombie, the
    milestone at hour 2 and the zombies' peak, to its end, in time order and in words."""
    text = story(_result([2.0]), _scenario())
    timeline = [x for x in text.splitlines() if x.startswith("- **")]
    assert timeline == [
        "- **hour 0.0.** The start: 10 humans, 1 zombie.",
        "- **hour 0.0.** The first zombie.",
        "- **hour 2.0.** Half the humans are gone.",
        "- **hour 2.0.** The zombies at their peak: 9.",
        "- **hour 3.0, the end.** 2 humans, 9 zombies.",
    ]
    assert "runs" not in text.split("## Timeline")[1]  # one run: no brackets across runs


def test_a_moment_that_missed_the_told_run_is_listed_with_the_others() -> None:
    """A milestone that happened in some runs but not the one told is listed after the
    timeline with in how many runs it happened, their median time and range."""
    text = story(_result([6.0, 2.0, 7.0]), _scenario())  # the told run is run 1: S ends at 6
    assert "- Half the humans are gone: not in run 1 (in 1 of 3 runs; median hour 2.0, " in text
    assert "from hour 2.0 to hour 2.0)." in text


def test_recorded_milestones_are_used_as_recorded() -> None:
    """When the result records its milestones (exact times), the story tells those times,
    not the grid's."""
    r = with_milestones(_result([2.0]), ["the first zombie", "the hall fell"], [[0.0, 1.25]])
    text = story(r, _scenario())
    assert "- **hour 1.2.** The hall fell." in text
    assert "Half the humans" not in text


def test_an_intervention_is_told_with_its_toll() -> None:
    """A strike that fired is told at its time with whom it killed; one that never fired in
    the told run is listed as missed."""
    change = np.zeros((1, 2, len(COMPS)))
    change[0, 0, [0, 3, 5]] = [-1.0, -4.0, 5.0]
    r = with_firings(_result([2.0]), ["the army strikes", "a wall"], [[1.5, np.nan]], change)
    text = story(r, _scenario())
    assert "- **hour 1.5.** The army strikes. It killed 5: 1 human, 4 zombies." in text
    assert "- A wall: not in run 1." in text


def test_camps_are_counted_at_the_end() -> None:
    """A camp (a patch of kind camp that no edge leaves) gets its people at the end of the
    told run and, across runs, their median and range."""
    world = World.from_edges(
        "town", ["square", "camp"], [], kinds=["room", "camp"], x=[0.0, 1.0], y=[0.0, 0.0]
    )
    text = story(_result([6.0, 2.0, 7.0], world=world), _scenario())
    assert "## The camps" in text
    assert "- camp: 1 people at the end of run 1 (1 human); over all runs, median 1" in text


def test_characters_are_followed_and_their_survival_given() -> None:
    """A character's changes of state are told with their times, and the survival table gives
    each character's survival with its standard error and its end states."""
    states = np.zeros((2, 4, 1, len(COMPS)))
    states[0, :, 0, 0] = 1.0  # run 1: human throughout
    states[1, :2, 0, 0] = 1.0  # run 2: a zombie from hour 2
    states[1, 2:, 0, 3] = 1.0
    r = with_characters(_result([6.0, 2.0]), ["Ada"], states, None, ["S", "H"])
    text = story(r, _scenario())
    assert typical_run(r) == 1
    assert "- **Ada** (run 2): human; zombie by hour 2.0." in text
    assert "Survival over 2 runs (ending as human or hybrid; ± one standard error)" in text
    assert "| Ada | 0.50 ± 0.35 | 0.50 | 0.00 | 0.00 | 0.50 | 0.00 | 0.00 |" in text


def test_under_the_ode_a_character_is_a_probability() -> None:
    """Under the ODE the story tells no path for a character, only its table."""
    states = np.zeros((1, 4, 1, len(COMPS)))
    states[0, :, 0, 0] = [1.0, 0.9, 0.8, 0.75]
    states[0, :, 0, 3] = [0.0, 0.1, 0.2, 0.25]
    r = with_characters(_result([2.0], engine="ode"), ["Ada"], states, None, ["S"])
    text = story(r, _scenario())
    assert "Under the ODE a character is a probability" in text
    assert "**Ada**" not in text
    assert "| Ada | 0.75 ± 0.00 |" in text


@pytest.mark.parametrize(
    ("model", "compartment", "word"),
    [
        ("aouad", "Z", "zombie"),
        ("aouad-army", "A", "soldier"),
        ("aouad-camp", "Hc", "helped hybrid"),
        ("aouad-camp", "Dh", "killed hybrid"),
        ("sir", "I", "I"),
    ],
)
def test_compartment_word(model: str, compartment: str, word: str) -> None:
    """compartment_word gives the model's word for one of a compartment, else its name."""
    assert compartment_word(model, compartment) == word


CAMP = """
name = "camp"
model = "aouad-camp"
[time]
end = 1.0
points = 2
[initial]
S = 10
H = 2
Hc = 1
[[milestones]]
text = "a hybrid was killed"
when = "Dh >= 1"
"""
CAMP_COMPS = ("S", "E", "Ez", "Z", "H", "D", "A", "Hc", "Hf", "Dh")


def _camp(killed: list[float], engine: str = "ssa") -> Result:
    """Runs of 10 humans, 2 hybrids on their own and 1 helped; in run ``r`` ``killed[r]``
    of the hybrids on their own are killed by t = 1 (the milestone is recorded then)."""
    counts = np.zeros((len(killed), 2, len(CAMP_COMPS)))
    counts[:, :, [0, 4, 7]] = [10.0, 2.0, 1.0]
    for r, k in enumerate(killed):
        counts[r, 1, [4, 9]] = [2.0 - k, k]
    r = Result.from_arrays(
        counts,
        [0.0, 1.0],
        CAMP_COMPS,
        events=[0] * len(killed),
        engine=engine,
        seed=9,
        scenario_name="camp",
        model="aouad-camp",
        humans=("S", "A"),
        zombies=("Z",),
        time_unit="hour",
    )
    times = [[1.0 if k else np.nan] for k in killed]
    return with_milestones(r, ["a hybrid was killed"], times)


def test_the_story_tells_whether_the_hybrids_survived_with_standard_errors() -> None:
    """With aouad-camp's hybrids, one killed in the second of four runs (the told one): the
    moments' chances with binomial errors, the told run's hybrids (3 at the start, 2 alive
    in words, 1 killed) and over runs every hybrid surviving in 3 of 4 (0.75 ± 0.22) and a
    mean share alive of 0.92 ± 0.08 (shares 1, 2/3, 1, 1)."""
    text = story(_camp([0.0, 1.0, 0.0, 0.0]), load_scenario_text(CAMP))
    assert "## How often, over 4 runs" in text
    assert "| A hybrid was killed | 1 | 0.25 ± 0.22 |" in text
    hybrids = text.split("## The hybrids")[1].strip().splitlines()
    assert hybrids[0] == (
        "- **Run 2:** 3 hybrids at the start; at the end 2 alive (1 hybrid, 1 helped hybrid), "
        "1 killed."
    )
    assert hybrids[1] == (
        "- **Over 4 runs** (± one standard error): every hybrid survived in 3 of 4 runs "
        "(0.75 ± 0.22); the share of a run's hybrids alive at the end (those at the start "
        "and any newly turned) averages 0.92 ± 0.08."
    )


def test_a_chance_of_one_gets_the_rule_of_three() -> None:
    """When every hybrid survived in every run, the standard error of 0 comes with the
    rule of three's bound on the other outcome (3 / 4 runs)."""
    text = story(_camp([0.0] * 4), load_scenario_text(CAMP))
    assert "in 4 of 4 runs (1.00 ± 0.00; the other outcome's chance is still up to 0.75)" in text


def test_no_hybrids_section_without_hybrids_and_none_across_one_run() -> None:
    """aouad names no hybrids: no hybrids section (and a result that records no moments has
    no chances); one run: no chances across runs, and the hybrids of that run alone."""
    text = story(_result([6.0, 2.0, 4.0]), _scenario())
    assert "## The hybrids" not in text and "## How often" not in text
    text = story(_camp([1.0]), load_scenario_text(CAMP))
    assert "## How often" not in text and "**Over" not in text
    assert "- **Run 1:** 3 hybrids at the start; at the end 2 alive" in text
