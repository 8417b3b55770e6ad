"""mesa: Alemi's SZR as Mesa agents, each a person that acts in its turn (Mesa's natural form).

Mapping (an encounter model): every step of ``AGENT_DT`` = 0.5 day, all
agents act in random order (``agents.shuffle_do("step")``); humans and the
removed do nothing; a zombie meets someone with probability
``1 - exp(-(beta + kappa) dt)``, picked uniformly among all N agents; if that
someone is human, the zombie bites (the human becomes a zombie) with
probability ``beta / (beta + kappa)``, else the human destroys the zombie.
So a zombie bites at ``beta S/N`` and is destroyed at ``kappa S/N`` per day
to first order in dt (an O(dt) discretisation error, as in any time-stepped
agent model; halving dt doubles the cost). Steps run until humans or zombies
are gone (at most ``T_END`` days).

Timed ("run"): the steps; creating the N agents is ``setup_s``. "Events"
are state changes, read off the final counts; "steps" are time steps.
"""

from __future__ import annotations

import math
import time
from typing import Any

import mesa

from contenders._alemi import AGENT_DT, BETA, KAPPA, T_END, outcome, zombies_at_start

P_MEET = -math.expm1(-(BETA + KAPPA) * AGENT_DT)
P_BITE = BETA / (BETA + KAPPA)


class Person(mesa.Agent):
    """A human ``"S"``, a zombie ``"Z"`` or removed ``"R"``."""

    def __init__(self, model: SZR, state: str) -> None:
        super().__init__(model)
        self.state = state

    def step(self) -> None:
        if self.state != "Z" or self.random.random() >= P_MEET:
            return
        model = self.model
        other = model.people[self.random.randrange(model.n)]
        if other.state != "S":
            return
        if self.random.random() < P_BITE:
            other.state = "Z"
            model.s -= 1
            model.z += 1
        else:
            self.state = "R"
            model.z -= 1
            model.r += 1


class SZR(mesa.Model):
    """N people, 0.1% of them zombies; keeps running counts for the stopping rule."""

    def __init__(self, n: int, seed: int) -> None:
        super().__init__(seed=seed)
        z0 = zombies_at_start(n)
        self.n, self.s, self.z, self.r = n, n - z0, z0, 0
        self.people = [Person(self, "Z" if i < z0 else "S") for i in range(n)]

    def step(self) -> None:
        self.agents.shuffle_do("step")


def run(n: int, seed: int) -> dict[str, Any]:
    start = time.perf_counter()
    model = SZR(n, seed)
    ready = time.perf_counter()
    steps = 0
    while model.s > 0 and model.z > 0 and steps * AGENT_DT < T_END:
        model.step()
        steps += 1
    done = time.perf_counter()
    return outcome(
        n, model.s, model.z, model.r, steps=steps, setup_s=ready - start, run_s=done - ready
    )
