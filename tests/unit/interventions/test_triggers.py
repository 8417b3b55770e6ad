"""Triggers: the times an ``At`` fires at, the condition a ``When`` waits for."""

from __future__ import annotations

import math

import pytest

from hyosan.errors import InputError
from hyosan.interventions import At, Condition, Op, When
from hyosan.model import builtin_model
from hyosan.model.characters import Tags
from hyosan.space import Selection

COMPS = ("S", "Z", "R")


@pytest.mark.parametrize(
    ("at", "times"),
    [(5, (5,)), (2.5, (2.5,)), ((1.0, 3.0), (1.0, 3.0)), ([4.0, 2.0], (4.0, 2.0))],
)
def test_at_takes_a_number_or_several(at: object, times: tuple[float, ...]) -> None:
    """A number is one time; a list or tuple is kept in order, as a tuple."""
    trigger = At(at)  # type: ignore[arg-type]
    assert trigger.times == times and trigger.at == times
    assert trigger.condition is None
    assert At(at) == trigger, "equal whatever the form given"  # type: ignore[arg-type]


def test_at_to_toml_reads_back() -> None:
    """One time is written as a number, several as a list; either reads back as equal."""
    assert At(6).to_toml() == {"at": 6.0}
    assert At((1, 2.5)).to_toml() == {"at": [1.0, 2.5]}
    for trigger in (At(6.0), At((1.0, 2.5))):
        assert At(trigger.to_toml()["at"]) == trigger  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [-1.0, math.nan, math.inf, True, "5"])
def test_at_check_refuses_bad_times(bad: object) -> None:
    """A time is a finite number >= 0 (not a bool); the error is keyed '<key>.at'."""
    with pytest.raises(InputError, match="finite and >= 0") as err:
        At((1.0, bad)).check(COMPS, None, key="interventions[3]")  # type: ignore[arg-type]
    assert err.value.key == "interventions[3].at" and err.value.value is bad


def test_at_check_needs_a_time() -> None:
    """An empty list of times is refused, under '<key>.at'."""
    with pytest.raises(InputError, match="needs a time") as err:
        At(()).check(COMPS, None, key="interventions[0]")
    assert err.value.key == "interventions[0].at"
    At((0.0, 1e9)).check(COMPS, None, key="k")


def test_when_waits_for_its_condition() -> None:
    """A ``When`` has no times, gives its condition, and writes it exactly."""
    cond = Condition.parse("Z >= 0.1 in east")
    trigger = When(cond)
    assert trigger.times == () and trigger.condition is cond
    assert trigger.to_toml() == {"when": "Z >= 0.1 in east"}
    assert Condition.parse(trigger.to_toml()["when"]) == cond  # type: ignore[arg-type]


def test_when_check_keys_errors_under_when() -> None:
    """A compartment the model lacks is refused under '<key>.when'."""
    with pytest.raises(InputError, match="unknown compartment") as err:
        When(Condition.parse("H > 1")).check(COMPS, None, key="interventions[1]")
    assert err.value.key == "interventions[1].when"


def test_when_for_characters_counts_the_tagged_copies() -> None:
    """``Z + S > 3`` on a tagged model sums each base compartment and its copies, in the
    tagged layout's order; op, threshold and region are kept."""
    tags = Tags.of(builtin_model("alemi"), ["Onjo", "Namra"])
    cond = Condition(("Z", "S"), Op.GT, 3.0, Selection(patches=("east",)))
    out = When(cond).for_characters(tags)
    assert isinstance(out, When)
    assert out.when.compartments == ("Z", "S", "Z__Onjo", "S__Onjo", "Z__Namra", "S__Namra")
    assert (out.when.op, out.when.threshold, out.when.where) == (Op.GT, 3.0, cond.where)
    assert When(cond).for_characters(Tags.none(builtin_model("alemi"))) == When(cond)


def test_at_for_characters_is_itself() -> None:
    """Times do not depend on the characters."""
    trigger = At((1.0, 2.0))
    assert trigger.for_characters(Tags.of(builtin_model("alemi"), ["Onjo"])) is trigger
