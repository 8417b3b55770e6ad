"""How a stepper's call ended: ``Status`` codes, their meanings, and ``Step``."""

from __future__ import annotations

from hyosan.engines import Status, Step
from hyosan.engines._kernels import status as codes


def test_status_values_are_the_kernels_codes() -> None:
    """REACHED, CONDITION and BUDGET are the integers the kernels return; FAILED and
    RUNAWAY (the ODE's) are none of them, so a kernel's code always reads as what it means."""
    assert (Status.REACHED, Status.CONDITION, Status.BUDGET) == (
        codes.REACHED,
        codes.CONDITION,
        codes.BUDGET,
    )
    assert Status(codes.CONDITION) is Status.CONDITION
    for own in (Status.FAILED, Status.RUNAWAY):
        assert int(own) not in {codes.REACHED, codes.CONDITION, codes.BUDGET}
    assert len({int(s) for s in Status}) == len(Status) == 5


def test_only_failed_and_runaway_fail() -> None:
    """The driver goes on after every status but FAILED and RUNAWAY (a solver over its
    budget of evaluations, :mod:`hyosan.engines.runaway`)."""
    ends = (Status.FAILED, Status.RUNAWAY)
    assert [s.failed for s in Status] == [s in ends for s in Status]


def test_explain_is_one_line_naming_the_engine_and_the_time() -> None:
    """Every status explains itself in one line: the engine, the time (``%g``), its
    meaning and the detail given; a failure says what to try instead."""
    for status in Status:
        text = status.explain("ode", 12.5)
        assert "\n" not in text and status.message
        assert text == f"the ode engine stopped at t = 12.5: {status.message}"
    failed = Status.FAILED.explain("ode", 1 / 3, "step size too small")
    assert failed.startswith("the ode engine stopped at t = 0.333333: the solver could not go on")
    assert failed.endswith("(step size too small)")
    assert "--engine ssa" in failed and "--engine tau" in failed
    assert len({s.message for s in Status}) == len(Status)


def test_step_defaults() -> None:
    """A step names no condition (-1) and no detail unless given."""
    step = Step(Status.REACHED, 5.0, 3, 10)
    assert (step.condition, step.detail) == (-1, "")
    assert Step(Status.CONDITION, 1.0, 0, 2, 1).condition == 1
