"""An intervention's time lies in the run (issue 15, item 9): one after ``time.end``
would never fire, so the scenario that holds it is refused, whether its end was set by
the file, by Python or by a sweep over ``time.end``; ``hyosan run --t-end`` runs the first
part of the story instead, leaving out the later times and saying so."""

from __future__ import annotations

from pathlib import Path

import pytest

from hyosan.cli.options import prepare
from hyosan.errors import InputError
from hyosan.scenario import BUILTIN_SCENARIOS, load_scenario, load_scenario_text, set_key

BASE = 'model = "sir"\n[time]\nend = 10\n[initial]\nS = 100\nI = 1\n'


def _with(at: str) -> str:
    return BASE + f"[[interventions]]\nat = {at}\nset = {{ beta = 0.1 }}\n"


def test_a_time_after_the_end_is_refused() -> None:
    """``at = 20`` with ``end = 10``: the key, the time and the times allowed."""
    with pytest.raises(InputError) as info:
        load_scenario_text(_with("20"), source="s.toml")
    assert str(info.value) == (
        "s.toml: interventions[0].at: after the end of the simulation (got 20.0); "
        "allowed: times from 0 to time.end = 10"
    )


def test_the_time_of_a_list_that_is_too_late_is_named() -> None:
    """``at = [5, 20]``: the second time is the one refused."""
    with pytest.raises(InputError) as info:
        load_scenario_text(_with("[5, 20]"), source="s.toml")
    assert info.value.key == "interventions[0].at[1]"
    assert info.value.value == 20.0


def test_times_up_to_the_end_are_accepted() -> None:
    """A time at the end itself, and conditions (which have no time), are fine."""
    assert load_scenario_text(_with("[0, 10]")).interventions[0].trigger.times == (0.0, 10.0)
    text = BASE + '[[interventions]]\nwhen = "I > 5"\nset = { beta = 0.1 }\n'
    assert len(load_scenario_text(text).interventions) == 1


def test_t_end_that_cuts_an_intervention_off_runs_the_first_part(tmp_path: Path) -> None:
    """``hyosan run --t-end 5`` on a scenario acting at 8 runs the first 5 time units: the
    later times are left out, with a note naming them; an end after them keeps them."""
    path = tmp_path / "s.toml"
    path.write_text(_with("[2, 8]"), encoding="utf-8")
    notes: list[str] = []
    short = prepare(str(path), None, None, None, "5", [], notes)
    assert short.time.end == 5.0 and short.interventions[0].trigger.times == (2.0,)
    assert notes == ["--t-end 5: left out what comes later: interventions[0] (at 8)"]
    path.write_text(_with("8"), encoding="utf-8")
    assert prepare(str(path), None, None, None, "5", []).interventions == ()
    assert prepare(str(path), None, None, None, "9", []).interventions[0].trigger.times == (8.0,)


def test_a_sweep_over_the_end_is_refused_at_the_point_that_cuts_one_off() -> None:
    """Setting ``time.end`` (what a sweep axis does) before an intervention is refused."""
    scenario = load_scenario_text(_with("8"))
    assert set_key(scenario, "time.end", 8.0).time.end == 8.0
    with pytest.raises(InputError) as info:
        set_key(scenario, "time.end", 7.5)
    assert info.value.key == "interventions[0].at"


@pytest.mark.parametrize("name", BUILTIN_SCENARIOS)
def test_every_built_in_scenario_still_loads(name: str) -> None:
    """No built-in scenario schedules an intervention after its end."""
    scenario = load_scenario(name)
    for iv in scenario.interventions:
        assert all(t <= scenario.time.end for t in iv.trigger.times)
