"""starsim: Alemi's SZR as a Starsim disease module over N agents (Starsim's natural form).

Mapping (a chain-binomial step, how Starsim's own diseases turn rates into
per-step probabilities): every step of ``AGENT_DT`` = 0.5 day, from the
counts at the start of the step, each human is bitten (becomes a zombie)
with probability ``1 - exp(-beta Z/N dt)`` and each zombie is destroyed
with probability ``1 - exp(-kappa S/N dt)``; each decision is an
``ss.bernoulli`` with its own random stream. The expected changes per day
are those of the model; the step adds an O(dt) discretisation error, and
halving dt doubles the cost. Steps run one at a time (``sim.run_one_step``)
until humans or zombies are gone (at most ``T_END`` days).

Timed ("run"): the steps; creating and initialising the sim (the agents'
arrays) is ``setup_s``. "Events" are state changes, read off the final
counts; "steps" are time steps.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import starsim as ss

from contenders._alemi import AGENT_DT, BETA, KAPPA, T_END, outcome, zombies_at_start


class SZR(ss.Disease):
    """Humans, zombies, removed: bites and kills drawn per agent each step."""

    def __init__(self, zombies: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.zombies_at_start = zombies
        self.define_states(
            ss.BoolState("human", default=True),
            ss.BoolState("zombie"),
            ss.BoolState("removed"),
        )
        self.bitten = ss.bernoulli(p=0.0)
        self.destroyed = ss.bernoulli(p=0.0)

    def init_post(self) -> None:
        super().init_post()
        first = ss.uids(np.arange(self.zombies_at_start))
        self.human[first] = False
        self.zombie[first] = True

    def step(self) -> None:
        n = len(self.sim.people)
        s, z = self.human.count(), self.zombie.count()
        self.bitten.set(p=-np.expm1(-BETA * z / n * AGENT_DT))
        self.destroyed.set(p=-np.expm1(-KAPPA * s / n * AGENT_DT))
        new_zombies = self.bitten.filter(self.human.uids)
        destroyed = self.destroyed.filter(self.zombie.uids)
        self.zombie[destroyed] = False
        self.removed[destroyed] = True
        self.human[new_zombies] = False
        self.zombie[new_zombies] = True


def run(n: int, seed: int) -> dict[str, Any]:
    start = time.perf_counter()
    sim = ss.Sim(
        n_agents=n,
        diseases=SZR(zombies_at_start(n), name="szr"),
        start=ss.days(0),
        stop=ss.days(T_END),
        dt=ss.days(AGENT_DT),
        rand_seed=seed,
        people_results=False,
        verbose=0,
    )
    sim.init()
    szr = sim.diseases.szr
    ready = time.perf_counter()
    steps = 0
    while szr.human.count() > 0 and szr.zombie.count() > 0 and steps * AGENT_DT < T_END:
        sim.run_one_step()
        steps += 1
    done = time.perf_counter()
    s, z, r = szr.human.count(), szr.zombie.count(), szr.removed.count()
    return outcome(n, s, z, r, steps=steps, setup_s=ready - start, run_s=done - ready)
