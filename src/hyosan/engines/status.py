"""What an engine's step ended with: a :class:`Status`, and the :class:`Step` it belongs to.

Kernels return the integer codes of ``_kernels/status.py``; the driver reads
them as :class:`Status` members, each of which carries what it means and,
for a failure, what a user can do about it (:meth:`Status.explain`).
"""

from __future__ import annotations

import enum
from typing import NamedTuple

from hyosan.engines._kernels import status as codes

__all__ = ["Status", "Step"]


class Status(enum.IntEnum):
    """How a call of an engine's stepper ended."""

    REACHED = codes.REACHED
    CONDITION = codes.CONDITION
    BUDGET = codes.BUDGET
    FAILED = 3
    RUNAWAY = 4

    @property
    def message(self) -> str:
        return _MESSAGES[self]

    @property
    def failed(self) -> bool:
        """Whether the run cannot go on."""
        return self in (Status.FAILED, Status.RUNAWAY)

    def explain(self, engine: str, t: float, detail: str = "") -> str:
        """One line for a user: what happened to ``engine`` at time ``t`` and what to try."""
        more = f" ({detail})" if detail else ""
        return f"the {engine} engine stopped at t = {t:g}: {self.message}{more}"


_MESSAGES = {
    Status.REACHED: "it reached the end of the segment",
    Status.CONDITION: "a condition of the scenario became true",
    Status.BUDGET: "it used the events one call may take; the driver calls it again",
    Status.FAILED: "the solver could not go on; the exact engine (--engine ssa) or "
    "tau-leaping (--engine tau) simulate the same model without it",
    Status.RUNAWAY: "it spent its budget of steps before the end of the segment",
}


class Step(NamedTuple):
    """What one call of a stepper did.

    ``status`` says how it ended; ``condition`` is the index of the condition
    that stopped it, or -1; ``detail`` says why it failed, for
    :meth:`Status.explain`.
    """

    status: Status
    t: float
    i_out: int
    events: int
    condition: int = -1
    detail: str = ""
