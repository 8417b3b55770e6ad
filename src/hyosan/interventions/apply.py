"""Apply an intervention to a state between engine segments."""

from __future__ import annotations

from collections.abc import Callable

from hyosan._typing import FloatArray
from hyosan.interventions.core import Intervention

__all__ = ["apply_intervention"]


def apply_intervention(
    intervention: Intervention,
    x: FloatArray,
    values: dict[str, float],
    compartments: tuple[str, ...],
    take: Callable[[float, float], float],
) -> bool:
    """Apply ``intervention`` to counts ``x`` and parameter ``values``, in place.

    ``take(count, fraction)`` says how many of ``count`` an impulse removes
    (a binomial draw in stochastic engines, the exact fraction in the ODE).
    Returns whether a parameter changed (so rate constants must be rebuilt).
    """
    for r in intervention.remove:
        i = compartments.index(r.compartment)
        n = take(float(x[i]), r.fraction)
        x[i] -= n
        if r.to is not None:
            x[compartments.index(r.to)] += n
    values.update(intervention.set)
    return bool(intervention.set)
