"""hyosan: zombie outbreaks from a classroom to a continent.

The public API, loaded lazily so that ``import hyosan`` stays light:

- :func:`load_scenario` reads a scenario (a TOML file or a built-in name);
- :func:`simulate` runs it with the ``ode``, ``ssa`` or ``tau`` engine;
- :class:`Result` holds the runs (``.totals``, ``.to_xarray()``,
  ``.summary()``, ``.save(dir)``);
- :class:`Model`, :class:`Reaction`, :class:`Parameter` define models;
- :class:`Intervention` (a trigger, :class:`At` or :class:`When`, and
  actions such as :class:`SetParameters` and :class:`Remove`) changes a run;
- :func:`set_key` changes a scenario by a dotted key, checked;
- :func:`fit` finds the values of keys that explain observed counts.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "load_scenario": "hyosan.scenario",
    "set_key": "hyosan.scenario",
    "set_keys": "hyosan.scenario",
    "Scenario": "hyosan.scenario",
    "TimeGrid": "hyosan.scenario",
    "simulate": "hyosan.ensemble",
    "fit": "hyosan.ensemble.fitting",
    "Result": "hyosan.results",
    "Model": "hyosan.model",
    "Reaction": "hyosan.model",
    "Parameter": "hyosan.model",
    "builtin_model": "hyosan.model",
    "Intervention": "hyosan.interventions",
    "At": "hyosan.interventions",
    "When": "hyosan.interventions",
    "Condition": "hyosan.interventions",
    "SetParameters": "hyosan.interventions",
    "Remove": "hyosan.interventions",
    "Impulse": "hyosan.interventions",
    "InputError": "hyosan.errors",
    "HyosanError": "hyosan.errors",
}

__all__ = [
    "At",
    "Condition",
    "HyosanError",
    "Impulse",
    "InputError",
    "Intervention",
    "Model",
    "Parameter",
    "Reaction",
    "Remove",
    "Result",
    "Scenario",
    "SetParameters",
    "TimeGrid",
    "When",
    "__version__",
    "builtin_model",
    "fit",
    "load_scenario",
    "set_key",
    "set_keys",
    "simulate",
]

if TYPE_CHECKING:
    from hyosan.ensemble import simulate
    from hyosan.ensemble.fitting import fit
    from hyosan.errors import HyosanError, InputError
    from hyosan.interventions import (
        At,
        Condition,
        Impulse,
        Intervention,
        Remove,
        SetParameters,
        When,
    )
    from hyosan.model import Model, Parameter, Reaction, builtin_model
    from hyosan.results import Result
    from hyosan.scenario import Scenario, TimeGrid, load_scenario, set_key, set_keys


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'hyosan' has no attribute {name!r}")
