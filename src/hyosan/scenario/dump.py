"""Write a scenario back to TOML, fully resolved.

The output lists every parameter and every initial count (zeros included),
the engine, the number of runs, the seed when one is set, the time grid and
the interventions, so that loading it gives the same :class:`Scenario`
(everything but ``source``) and running it gives the same numbers. A built-in
model is written as its name; any other model as an inline ``[model]`` table.
A world read from a file is written inline too (``[world.plan]``, see
:mod:`hyosan.scenario.world`): the file holds every number it runs from.
"""

from __future__ import annotations

import operator
from typing import Any, SupportsIndex

import tomli_w

from hyosan.model import BUILTIN_MODELS, Model, Parameter, builtin_model
from hyosan.model.core import ROLES
from hyosan.scenario.core import Scenario
from hyosan.scenario.world import setup_to_dict

__all__ = ["model_to_dict", "scenario_to_dict", "scenario_to_toml"]

_HEADER = (
    "# A resolved hyosan scenario: every parameter and initial count is listed.\n"
    "# Run it again with: hyosan run THIS_FILE\n\n"
)


def scenario_to_toml(scenario: Scenario) -> str:
    """The scenario as a TOML document that :func:`~hyosan.scenario.load_scenario_text` reads back.

    Examples
    --------
    >>> from hyosan.scenario import load_scenario, load_scenario_text
    >>> s = load_scenario("sir")
    >>> load_scenario_text(scenario_to_toml(s)).replace(source=s.source) == s
    True
    """
    return _HEADER + tomli_w.dumps(scenario_to_dict(scenario))


def scenario_to_dict(scenario: Scenario) -> dict[str, Any]:
    """The scenario as plain TOML-ready data (see :func:`scenario_to_toml`)."""
    s = scenario
    out: dict[str, Any] = {"name": s.name}
    if s.description:
        out["description"] = s.description
    builtin = s.model_ref in BUILTIN_MODELS and builtin_model(s.model_ref) == s.model
    out["model"] = s.model_ref if builtin else model_to_dict(s.model)
    out["engine"] = s.engine
    out["runs"] = int(s.runs)
    if s.seed is not None:
        out["seed"] = int(s.seed)
    out["time"] = {"end": float(s.time.end), "points": int(s.time.points), "unit": s.time.unit}
    out["parameters"] = {p: float(s.parameters[p]) for p in s.model.parameter_names}
    if s.world is not None:
        out["world"] = setup_to_dict(s.world)
    else:
        out["initial"] = {c: _count(s.initial.get(c, 0)) for c in s.model.compartments}
    if s.interventions:
        out["interventions"] = [iv.to_toml() for iv in s.interventions]
    if s.characters:
        out["characters"] = [c.to_dict() for c in s.characters]
    if s.milestones:
        out["milestones"] = [m.to_dict() for m in s.milestones]
    if s.sweep is not None:
        out["sweep"] = dict(s.sweep)
    return out


def model_to_dict(model: Model) -> dict[str, Any]:
    """The model as the table a model file (or an inline ``[model]``) holds.

    Optional keys are left out when empty. Parameters are bare numbers when
    none has a description or unit, else ``{ value, description, unit }``
    tables (all of them, so that their order survives the TOML writer).
    """
    out: dict[str, Any] = {"name": model.name}
    if model.description:
        out["description"] = model.description
    out["compartments"] = list(model.compartments)
    for role in (*ROLES, "references"):
        if getattr(model, role):
            out[role] = list(getattr(model, role))
    out["time_unit"] = model.time_unit
    # TOML writers put bare values before sub-tables, which would reorder the
    # parameters; so either every parameter is a bare number or every one a table.
    if any(p.description or p.unit for p in model.parameters):
        out["parameters"] = {p.name: _parameter_table(p) for p in model.parameters}
    else:
        out["parameters"] = {p.name: float(p.default) for p in model.parameters}
    reactions = []
    for r in model.reactions:
        row: dict[str, Any] = {"name": r.name} if r.name else {}
        row["equation"] = r.equation
        row["rate"] = r.rate
        if r.law is not None:
            row["law"] = r.law.label
        reactions.append(row)
    out["reactions"] = reactions
    return out


def _parameter_table(p: Parameter) -> dict[str, Any]:
    table: dict[str, Any] = {"value": float(p.default)}
    if p.description:
        table["description"] = p.description
    if p.unit:
        table["unit"] = p.unit
    return table


def _count(value: float) -> int | float:
    """Whole counts as TOML integers (``S = 500000``), others as floats."""
    if isinstance(value, SupportsIndex):  # int, numpy integer: exact at any size
        return operator.index(value)
    v = float(value)
    return int(v) if v.is_integer() and abs(v) < 2.0**53 else v
