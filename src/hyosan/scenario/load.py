"""Read scenarios from TOML.

Every problem with the input, from a TOML syntax error to a misspelt
compartment, becomes one :class:`~hyosan.errors.InputError` that names the
file (or ``builtin:NAME``), the key path (``interventions[1].set.alpah``), the
bad value and what is allowed. Only the first problem is reported.

The work is split in three steps: :mod:`tomllib` parses the text and the
pydantic models of :mod:`hyosan.scenario.schema` check its shape
(:mod:`hyosan.scenario.parse`), and the domain objects
(:class:`~hyosan.model.Model`, :class:`~hyosan.scenario.Scenario`, ...)
check what the values mean. This module only turns the second step's output
into the third step's input (models: :mod:`hyosan.scenario.models`) and
places every error in its file.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from hyosan.errors import InputError
from hyosan.interventions import ACTIONS, At, Condition, Intervention, When
from hyosan.model import Model, resolve_parameters
from hyosan.model.sbml import is_sbml, read_sbml
from hyosan.scenario.builtin import BUILTIN_SCENARIOS, builtin_scenario_path
from hyosan.scenario.characters import Character, Milestone
from hyosan.scenario.core import Scenario, TimeGrid
from hyosan.scenario.models import load_model, model_from_dict, resolve_model_counts
from hyosan.scenario.parse import parse_toml, read_toml, validate
from hyosan.scenario.schema import InterventionInSpaceSpec, ScenarioSpec
from hyosan.scenario.sizes import MOST_EXACT_PEOPLE
from hyosan.scenario.world import setup_from_spec
from hyosan.space import WorldSetup

__all__ = [
    "load_model",
    "load_scenario",
    "load_scenario_text",
    "model_from_dict",
    "sbml_scenario",
    "scenario_from_dict",
]

SBML_END = 100.0
"""How long a bare SBML model runs (``hyosan run model.xml``), in its time unit, unless
``--t-end`` says otherwise: SBML says nothing of a simulation's length."""


def load_scenario(source: str | os.PathLike[str]) -> Scenario:
    """Load a scenario from a ``.toml`` file or by the name of a built-in scenario.

    A string that is exactly a built-in scenario's name (see
    :data:`~hyosan.scenario.BUILTIN_SCENARIOS`) loads that scenario; anything
    else is a path (write ``./NAME`` for a file that shares a built-in's name).
    A path ending in ``.xml`` or ``.sbml`` is an SBML model, run with the
    defaults of :func:`sbml_scenario`.

    Raises
    ------
    InputError
        If the file does not exist or anything in it is wrong.

    Examples
    --------
    >>> s = load_scenario("munz-basic")
    >>> s.source, s.model_ref, s.initial["Z"]
    ('builtin:munz-basic', 'munz-basic', 1)
    """
    if isinstance(source, str) and source in BUILTIN_SCENARIOS:
        text = builtin_scenario_path(source).read_text(encoding="utf-8")
        return load_scenario_text(text, source=f"builtin:{source}", name=source)
    path = Path(source)
    if is_sbml(path):
        return sbml_scenario(path)
    if os.path.isdir(path):
        # `hyosan run DIR --out ...` written for `hyosan run DIR/scenario.toml`
        inside = path / "scenario.toml"
        raise InputError(
            "a folder, not a scenario file",
            value=os.fspath(source),
            allowed=f"a path to a .toml file{f' such as {inside}' if inside.is_file() else ''}"
            f" or a built-in scenario ({', '.join(BUILTIN_SCENARIOS)})",
        )
    if not os.path.exists(path):  # anything else there is read only if a regular file
        raise InputError(
            "no such scenario file or built-in scenario",
            value=os.fspath(source),
            allowed=", ".join(BUILTIN_SCENARIOS) + " or a path to a .toml file",
        )
    data = read_toml(path)
    return scenario_from_dict(data, source=str(path), base_dir=path.parent, name=path.stem)


def sbml_scenario(path: str | os.PathLike[str]) -> Scenario:
    """A scenario around the SBML model in ``path``: what ``hyosan run model.xml`` runs.

    Its name is the file's stem; every parameter has the file's value and every
    compartment its initial amount; it runs for :data:`SBML_END` (100) units of
    the model's time on 201 output times; the engine is ``ssa`` when every
    initial amount is a whole number (and there are at most
    :data:`~hyosan.scenario.sizes.MOST_EXACT_PEOPLE`), else ``ode``; one run,
    no seed (a fresh one is drawn and recorded); no interventions.
    """
    source = os.fspath(path)
    read = read_sbml(source)
    model, initial = read.model, dict(read.initial)
    whole = all(float(v).is_integer() for v in initial.values())
    exact = whole and sum(initial.values()) <= MOST_EXACT_PEOPLE
    return Scenario(
        name=Path(source).stem,
        model=model,
        parameters=resolve_parameters(model, source=source),
        initial=initial,
        time=TimeGrid(end=SBML_END, unit=model.time_unit),
        engine="ssa" if exact else "ode",
        description=f"the SBML model {model.name} ({Path(source).name}), hyosan's defaults",
        source=source,
    )


def load_scenario_text(
    text: str,
    source: str = "<string>",
    *,
    base_dir: str | os.PathLike[str] | None = None,
    name: str | None = None,
) -> Scenario:
    """Load a scenario from TOML text.

    Parameters
    ----------
    text
        The TOML document.
    source
        Where it came from, shown in errors and kept as ``Scenario.source``.
    base_dir
        Folder against which a relative ``model = "path.toml"`` is resolved
        (default: the working directory).
    name
        The scenario's name when the text has no ``name`` key (default: the
        stem of ``source`` if it ends in ``.toml``, else ``"scenario"``).
    """
    return scenario_from_dict(parse_toml(text, source), source=source, base_dir=base_dir, name=name)


def scenario_from_dict(
    data: Mapping[str, Any],
    *,
    source: str = "python",
    base_dir: str | os.PathLike[str] | None = None,
    name: str | None = None,
) -> Scenario:
    """Build a :class:`Scenario` from a parsed scenario document (see :mod:`.schema`).

    Parameters and initial counts are resolved: every parameter gets its value
    (the model's default unless overridden) and every compartment its count
    (0 unless given).
    """
    spec = validate(ScenarioSpec, data, source)
    scenario_name = spec.name if spec.name is not None else (name or _stem(source))
    model, model_ref, counts = resolve_model_counts(
        spec.model, source=source, base_dir=base_dir, default_name=scenario_name
    )
    initial = {c: spec.initial.get(c, counts.get(c, 0)) for c in model.compartments}
    initial.update({c: v for c, v in spec.initial.items() if c not in initial})
    return Scenario(
        name=scenario_name,
        model=model,
        parameters=resolve_parameters(model, spec.parameters, source=source),
        initial=initial,
        time=TimeGrid(
            end=spec.time.end,
            points=spec.time.points,
            unit=spec.time.unit if spec.time.unit is not None else model.time_unit,
        ),
        interventions=tuple(
            _intervention(iv, f"interventions[{i}]", source)
            for i, iv in enumerate(spec.interventions)
        ),
        engine=spec.engine,
        runs=spec.runs,
        seed=spec.seed,
        model_ref=model_ref,
        description=spec.description,
        source=source,
        world=_world(spec, model, source, base_dir),
        characters=tuple(
            _read(Character.parse, c.model_dump(exclude_unset=True), f"characters[{i}]", source)
            for i, c in enumerate(spec.characters)
        ),
        milestones=tuple(
            Milestone(m.text, _read(Condition.parse, m.when, f"milestones[{i}].when", source))
            for i, m in enumerate(spec.milestones)
        ),
        sweep=spec.sweep,
    )


def _world(
    spec: ScenarioSpec,
    model: Model,
    source: str,
    base_dir: str | os.PathLike[str] | None,
) -> WorldSetup | None:
    """The ``[world]`` table's setup; a scenario with one has no ``[initial]``."""
    if spec.world is None:
        return None
    if spec.initial:
        raise InputError(
            "a scenario with a world places people by [world], not [initial]",
            source=source,
            key="initial",
            allowed="leave out [initial]; the world's population fills "
            "world.fill and [[world.seed]] adds the rest",
        )
    # what one run of the tagged model (a copy per character) holds, for a lattice's size
    compartments = len(model.compartments) * (1 + len(spec.characters))
    try:
        return setup_from_spec(
            spec.world, base_dir=base_dir, points=spec.time.points, compartments=compartments
        )
    except InputError as err:  # an error inside a world file names that file
        raise err.at(err.source or source) from None


def _read(parse: Any, value: Any, key: str, source: str) -> Any:
    try:
        return parse(value, key=key)
    except InputError as err:
        raise err.at(source) from None


def _intervention(spec: InterventionInSpaceSpec, key: str, source: str) -> Intervention:
    """An ``[[interventions]]`` table: its trigger, then its actions in :data:`ACTIONS` order."""
    table = spec.model_dump()
    try:
        if (spec.at is None) == (spec.when is None):
            raise InputError(
                "an intervention needs exactly one of 'at' and 'when'",
                key=key,
                allowed='at = TIME (or a list of times), or when = "Z > 100"',
            )
        trigger: At | When = (
            When(Condition.parse(spec.when, key=f"{key}.when"))
            if spec.when is not None
            else At(tuple(spec.at or ()))
        )
        actions = tuple(
            action.from_toml(table[name], key=f"{key}.{name}")
            for name, action in ACTIONS.items()
            if _given(name, table[name])
        )
    except InputError as err:
        raise err.at(source) from None
    return Intervention(trigger, actions, name=spec.name)


def _given(action: str, value: Any) -> bool:
    """Whether an intervention's table gives ``action``: ``set`` and ``remove`` are empty
    when absent; a selection of patches is absent only when missing (``lockdown = {}``
    locks the whole world down)."""
    return bool(value) if action in ("set", "remove") else value is not None


def _stem(source: str) -> str:
    return Path(source).stem if source.endswith(".toml") else "scenario"
