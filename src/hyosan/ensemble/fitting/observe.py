"""The model's counts at the observed times, for values of the fitted keys.

A :class:`Predictor` sets the keys on the scenario (:func:`hyosan.scenario.set_keys`,
so every value meets the scenario's checks), prepares it as ``simulate``
does and runs the plan once on the observation times with the driver
(:func:`hyosan.engines.driver.run_plan`), so interventions act as in
``hyosan run``. The counts come back summed over places and folded over
characters, one column per observed column (a compartment or a sum).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from hyosan._typing import FloatArray
from hyosan.engines import get_engine
from hyosan.engines.driver import run_plan
from hyosan.ensemble.batch import Ensemble
from hyosan.ensemble.fitting.types import FitRange, Observed
from hyosan.scenario import Scenario, set_keys

__all__ = ["Predictor"]


class Predictor:
    """Counts of ``observed``'s columns at ``times`` (default: the observed times).

    ``engine``: ``"ode"`` (the mean) or a stochastic engine (one run per call).
    """

    def __init__(
        self,
        scenario: Scenario,
        ranges: Sequence[FitRange],
        observed: Observed,
        engine: str = "ode",
        times: FloatArray | None = None,
    ) -> None:
        self.base = scenario
        self.ranges = tuple(ranges)
        self.members = observed.members
        self.engine = get_engine(engine, in_space=scenario.world is not None)
        want = np.asarray(observed.times if times is None else times, dtype=np.float64)
        self.times = want
        self._run_times = np.unique(np.concatenate([[0.0], want]))
        self._take = np.searchsorted(self._run_times, want)

    def scenario_at(self, values: Sequence[float]) -> Scenario:
        """The scenario with each fitted key set to its value (whole keys rounded)."""
        items = [
            (r.key, round(float(v)) if r.integer else float(v))
            for r, v in zip(self.ranges, values, strict=True)
        ]
        return set_keys(self.base, items)

    def counts(self, values: Sequence[float], seed: int | np.random.SeedSequence = 0) -> FloatArray:
        """``(times, columns)``: the observed columns' counts for ``values`` (one run)."""
        return self.columns(self.run(self.scenario_at(values), seed))

    def run(self, scenario: Scenario, seed: int | np.random.SeedSequence = 0) -> FloatArray:
        """``(run times, compartments)``: the counts of one run of ``scenario``."""
        ss = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
        ens = Ensemble.prepare(scenario, engine=self.engine, seed=ss, runs=1)
        shared = ens.shared
        rng = np.random.Generator(np.random.PCG64(ens.seeds[0]))
        out, _events = run_plan(
            shared.plan,
            shared.x0,
            self._run_times,
            rng,
            seed=ens.seeds[0],
            max_events=shared.max_events,
        )
        patches = scenario.world.world.n_patches if scenario.world is not None else 1
        per_patch, _states, _where = ens.cast.tags.split(out[None], patches)
        return np.asarray(per_patch[0].sum(axis=1), dtype=np.float64)

    def columns(self, counts: FloatArray) -> FloatArray:
        """The observed columns of a run's ``(run times, compartments)`` counts."""
        picked = counts[self._take]
        return np.stack([picked[:, list(m)].sum(axis=1) for m in self.members], axis=1)
