"""Runs that would not end: the event budget, and the message that names the culprit.

A model whose rates explode (``beta = 1e200``; ``A -> B`` and ``B -> A`` at
1e12; ``Z + Z -> Z + Z + Z``, which blows up in finite time) would keep an
engine busy for ever. Each run has a budget: at most ``max_events`` events
(exact and tau-leaping engines; the driver checks it between kernel calls),
and at most :attr:`~hyosan.engines.settings.MeanFieldSettings.max_evaluations`
evaluations of the right-hand side for each ODE segment. A run over budget
ends with a :class:`~hyosan.errors.RunawayError` (bad input, exit status 2)
naming the reaction that runs fastest at that moment, its rate and its
value, so that a user sees which number to fix.

The default budget, :func:`default_max_events`, is generous: a thousand
events per person and at least 1e8; the built-in scenarios use a
small part of it (season 1, the largest, about 4e7 events a run).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from hyosan._typing import FloatArray
from hyosan.engines._kernels import propensities
from hyosan.errors import RunawayError
from hyosan.model import Model, compile_model

__all__ = ["MIN_MAX_EVENTS", "MOST_MAX_EVENTS", "default_max_events", "runaway"]

MIN_MAX_EVENTS = 10**8
"""The least default event budget of a run, whatever its population."""

EVENTS_PER_PERSON = 1000
"""The default event budget per person at the start."""

MOST_MAX_EVENTS = 2**62
"""The default budget of any population, however large (an event count fits int64)."""


def default_max_events(population: float) -> int:
    """The default event budget of one run for ``population`` people at the start.

    >>> default_max_events(1000), default_max_events(306.7e6), default_max_events(1e308)
    (100000000, 306700000000, 4611686018427387904)
    """
    if not population < MOST_MAX_EVENTS / EVENTS_PER_PERSON:  # huge, infinite or NaN
        return MOST_MAX_EVENTS
    return max(MIN_MAX_EVENTS, int(EVENTS_PER_PERSON * max(population, 0.0)))


def runaway(
    model: Model,
    values: Mapping[str, float],
    x: FloatArray,
    t: float,
    spent: str,
    allow: str,
    moves: Mapping[str, float] | None = None,
) -> RunawayError:
    """The error for a run that spent its budget (``spent``: what it did, in words) at ``t``.

    Names the reaction with the largest propensity in the state ``x`` (counts,
    patch by patch in space: summed over patches), with its rate expression
    and the value of its rate constant; ``allow`` says how to allow more. In
    space ``moves`` gives each compartment's moves per unit time; when one
    moves faster than any reaction fires, its movement rate is named instead.
    """
    totals = np.asarray(x, dtype=np.float64).reshape(-1, len(model.compartments)).sum(axis=0)
    totals = np.where(np.isfinite(totals), totals, 0.0)
    cm = compile_model(model, values)
    a = np.empty(cm.n_reactions)
    propensities(totals, cm.k, cm.law, cm.r1, cm.r2, cm.in_n, False, a)
    a = np.where(np.isfinite(a), a, np.inf)
    j = int(np.argmax(a)) if np.any(a > 0) else int(np.argmax(cm.k))
    fastest_move = max((moves or {}).items(), key=lambda item: item[1], default=("", 0.0))
    if fastest_move[1] > a[j]:
        return _moving(model, fastest_move, t, spent, allow)
    reaction = model.reactions[j]
    # the largest parameter of its rate (``slow * k``: k), or the rate itself if none
    names = sorted(reaction.rate_expression.names, key=lambda n: -abs(values[n]))
    key = f"parameters.{names[0]}" if names else f"model.reactions[{j}].rate"
    value = values[names[0]] if names else float(cm.k[j])
    return RunawayError(
        f"the run did not end: {spent} by t = {t:g}; the fastest reaction is "
        f"'{reaction.equation}' (rate {reaction.rate} = {cm.k[j]:g}), "
        f"{a[j]:.3g} events per {model.time_unit} at that moment",
        key=key,
        value=value,
        allowed=f"rates that do not explode, or {allow}",
    )


def _moving(
    model: Model, move: tuple[str, float], t: float, spent: str, allow: str
) -> RunawayError:
    """The error when moves, not reactions, are what never ends."""
    compartment, rate = move
    return RunawayError(
        f"the run did not end: {spent} by t = {t:g}; most of them are moves of "
        f"{compartment}, {rate:.3g} per {model.time_unit} at that moment",
        key=f"world.movement.{compartment}",
        allowed=f"a shorter time.end, slower movement, or {allow}",
    )
