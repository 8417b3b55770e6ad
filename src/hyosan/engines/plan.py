"""A :class:`Plan`: what every run of one study shares, prepared once and passed down.

``simulate`` builds one plan for all its runs and hands it to the driver
(:func:`hyosan.engines.driver.run_plan`) for each: the compiled model, the engine chosen for it and
its prepared stepper (a generated kernel found or compiled once), the stop
conditions of every conditional intervention as arrays, the identity of
each intervention's random stream, and what actions read (the compartments'
layout, the world). Nothing of a run is kept between calls anywhere else.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from hyosan._typing import FloatArray
from hyosan.engines.base import Compiled, Engine, Stepper
from hyosan.engines.choose import get_engine
from hyosan.engines.stops import Stops
from hyosan.interventions import Intervention, Setting
from hyosan.interventions.actions import BinomialDraws, Draws, ExactDraws, RunSeed
from hyosan.interventions.core import stream_keys
from hyosan.model import Model, compile_model, resolve_parameters
from hyosan.model.characters import Tags
from hyosan.space import WorldSetup, compile_space

__all__ = ["Plan"]


@dataclass(frozen=True, slots=True, eq=False)
class Plan:
    """Everything the runs of one study share; build one with :meth:`build`.

    Attributes
    ----------
    model, values
        The model the runs simulate (tagged, with characters) and every
        parameter's value at the start.
    engine, stepper
        The engine chosen for the model (well mixed or in space) and its
        stepper, prepared for ``compiled``.
    compiled
        The model as arrays at the start (rates, edge weights).
    interventions
        What happens during the runs, each with its stream key (``keys``) and
        whether it draws (``drawing``).
    waiting, stops
        The indices of the interventions triggered by a condition, and those
        conditions as arrays (row ``r`` is intervention ``waiting[r]``'s).
    setting
        What actions read: the layout of compartments, the world.
    setup
        The world with its movement rates, or ``None`` well mixed.
    """

    model: Model
    values: Mapping[str, float]
    engine: Engine
    compiled: Compiled
    stepper: Stepper
    interventions: tuple[Intervention, ...]
    keys: tuple[int, ...]
    drawing: tuple[bool, ...]
    waiting: tuple[int, ...]
    stops: Stops
    setting: Setting
    setup: WorldSetup | None

    @classmethod
    def build(
        cls,
        model: Model,
        parameters: Mapping[str, float] | None,
        engine: str | Engine,
        *,
        setup: WorldSetup | None = None,
        interventions: Sequence[Intervention] = (),
        tags: Tags | None = None,
    ) -> Plan:
        """Compile ``model`` (in ``setup``'s world), choose and prepare the engine.

        ``parameters`` override the model's defaults; ``tags`` describe the
        model's characters when it is a tagged model.
        """
        values = resolve_parameters(model, parameters)
        tags = tags if tags is not None else Tags.none(model)
        well_mixed = compile_model(model, values)
        compiled: Compiled = well_mixed
        world = setup.world if setup is not None else None
        if setup is not None:
            compiled = compile_space(
                model, well_mixed, setup.world, setup.movement, coupling=setup.coupling
            )
        eng = get_engine(engine, in_space=setup is not None)
        ivs = tuple(interventions)
        waiting = tuple(i for i, iv in enumerate(ivs) if iv.trigger.condition is not None)
        conditions = [c for iv in ivs if (c := iv.trigger.condition) is not None]
        return cls(
            model=model,
            values=values,
            engine=eng,
            compiled=compiled,
            stepper=eng.prepare(compiled, tags),
            interventions=ivs,
            keys=stream_keys(ivs),
            drawing=tuple(any(a.draws for a in iv.actions) for iv in ivs),
            waiting=waiting,
            stops=Stops.build(conditions, model.compartments, world),
            setting=Setting(model.compartments, model.zombies, tags, world),
            setup=setup,
        )

    def draws(
        self, rng: np.random.Generator, seed: np.random.SeedSequence | None = None
    ) -> list[Draws]:
        """Each intervention's draws in a run whose engine draws from ``rng``.

        Call it at the start of the run. Interventions that take random
        shares draw from streams of their own (:class:`~hyosan.interventions.RunSeed`):
        children of ``seed``, the run's seed, when given; else of a seed made
        from ``rng``'s state now (which they leave as it is). The others, and
        every intervention under the ODE, take exact shares.
        """
        exact = ExactDraws()
        if not self.engine.stochastic or not any(self.drawing):
            return [exact] * len(self.interventions)
        run = RunSeed(seed, rng)
        return [
            BinomialDraws(run, key) if drawing else exact
            for key, drawing in zip(self.keys, self.drawing, strict=True)
        ]

    def needs_compiling(self) -> bool:
        """Whether the first run will compile a kernel (not loaded, not in numba's cache)."""
        return self.stepper.needs_compiling()


@dataclass(frozen=True, slots=True)
class Firings:
    """What each intervention of one run did: when it first fired, and what it changed.

    ``time[i]`` is the first time intervention ``i`` fired (NaN if it never
    did); ``change[i, c]`` the net change of compartment ``c``'s world total
    over all its firings (a strike's toll shows as the losses of the living
    and the dead's gain; moving people between patches changes no total).
    """

    time: FloatArray
    change: FloatArray

    @classmethod
    def empty(cls, n_interventions: int, n_compartments: int) -> Firings:
        return cls(np.full(n_interventions, np.nan), np.zeros((n_interventions, n_compartments)))
