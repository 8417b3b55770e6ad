"""Scenarios: a validated, frozen description of one study, read from and written to TOML.

- :class:`Scenario`, :class:`TimeGrid`: the objects (:mod:`.core`);
- :func:`load_scenario` (a file or a built-in name), :func:`load_scenario_text`,
  :func:`load_model`: TOML in (:mod:`.load`, format in :mod:`.schema`);
- :func:`scenario_to_toml`, :func:`model_to_dict`: TOML out (:mod:`.dump`);
- :func:`set_key`, :func:`set_keys`, :func:`set_names`: the one way to change
  a scenario, a dotted key at a time, checked once (:mod:`.edit`);
- :data:`BUILTIN_SCENARIOS`, :func:`list_scenarios`: the scenarios shipped
  with hyosan (:mod:`.builtin`).
"""

from hyosan.scenario.builtin import BUILTIN_SCENARIOS, builtin_scenario_path, list_scenarios
from hyosan.scenario.core import ENGINES, Scenario, TimeGrid
from hyosan.scenario.dump import model_to_dict, scenario_to_dict, scenario_to_toml
from hyosan.scenario.edit import set_key, set_keys, set_names
from hyosan.scenario.load import load_scenario, load_scenario_text, scenario_from_dict
from hyosan.scenario.models import load_model, model_from_dict

__all__ = [
    "BUILTIN_SCENARIOS",
    "ENGINES",
    "Scenario",
    "TimeGrid",
    "builtin_scenario_path",
    "list_scenarios",
    "load_model",
    "load_scenario",
    "load_scenario_text",
    "model_from_dict",
    "model_to_dict",
    "scenario_from_dict",
    "scenario_to_dict",
    "scenario_to_toml",
    "set_key",
    "set_keys",
    "set_names",
]
