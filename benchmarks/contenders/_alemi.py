"""The benchmark's model, shared by every contender: Alemi et al.'s SZR, well mixed.

Bite ``S + Z -> Z + Z`` at ``beta S Z / N`` and kill ``S + Z -> S + R`` at
``kappa S Z / N``, ``N = S + Z + R``, with beta = 1 and kappa = 0.5 per day
(alpha = kappa / beta = 0.5), 0.1% zombies at the start (at least one), until
humans or zombies are gone.

Every path of this model obeys ``bites = S0 - S`` and ``kills = R``, so the
number of events is read off the final counts, the same way for every
simulator (agent models included, where the "events" are state changes).

References
----------
.. [1] A. A. Alemi, M. Bierbaum, C. R. Myers, J. P. Sethna, "You can run, you
   can hide: The epidemiology and statistical mechanics of zombies",
   Phys. Rev. E 92, 052801 (2015).
"""

from __future__ import annotations

from typing import Any

BETA = 1.0
"""Bites per zombie per day among humans."""
KAPPA = 0.5
"""Zombies destroyed per zombie per day among humans."""
T_END = 1000.0
"""Days; far past absorption (about 30 days at N = 1e4, 60 at N = 1e7)."""
POINTS = 101
"""Output grid of the simulators that keep one (hyosan, GillesPy2)."""
AGENT_DT = 0.5
"""Days per step of the agent models (Starsim, Mesa)."""


def zombies_at_start(n: int) -> int:
    """0.1% of ``n``, at least one."""
    return max(1, n // 1000)


def outcome(n: int, s: float, z: float, r: float, **measured: Any) -> dict[str, Any]:
    """The final counts of one run, its events, and whether it ended as the model must.

    ``absorbed``: humans or zombies are gone; ``conserved``: ``S + Z + R = n``.
    """
    s0 = n - zombies_at_start(n)
    s, z, r = round(float(s)), round(float(z)), round(float(r))
    return {
        "S": s,
        "Z": z,
        "R": r,
        "events": (s0 - s) + r,
        "absorbed": s == 0 or z == 0,
        "conserved": s + z + r == n,
        **measured,
    }
