"""Read scenarios and models from TOML.

Every problem with the input, from a TOML syntax error to a misspelt
compartment, becomes one :class:`~hyosan.errors.InputError` that names the
file (or ``builtin:NAME``), the key path (``interventions[1].set.alpah``), the
bad value and what is allowed. Only the first problem is reported.

The work is split in three steps: :mod:`tomllib` parses the text, the
pydantic models of :mod:`hyosan.scenario.schema` check its shape, and the
domain objects (:class:`~hyosan.model.Model`,
:class:`~hyosan.scenario.Scenario`, ...) check what the values mean. This
module only turns the second step's output into the third step's input and
places every error in its file.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from hyosan.errors import InputError
from hyosan.interventions import Condition, Intervention, Remove
from hyosan.model import (
    BUILTIN_MODELS,
    Model,
    Parameter,
    Reaction,
    builtin_model,
    resolve_parameters,
)
from hyosan.scenario.builtin import BUILTIN_SCENARIOS, builtin_scenario_path
from hyosan.scenario.cast import Character, Milestone
from hyosan.scenario.core import Scenario, TimeGrid
from hyosan.scenario.schema import InterventionInSpaceSpec, ModelSpec, ScenarioSpec
from hyosan.scenario.world import setup_from_spec, space_actions

__all__ = [
    "load_model",
    "load_scenario",
    "load_scenario_text",
    "model_from_dict",
    "scenario_from_dict",
]

_Spec = TypeVar("_Spec", bound=BaseModel)

_TYPE_WORDS = {
    "float_type": ("must be a number", "a number"),
    "int_type": ("must be a whole number", "an integer"),
    "int_from_float": ("must be a whole number", "an integer"),
    "string_type": ("must be text", 'a string in quotes, e.g. "text"'),
    "list_type": ("must be a list", "a list [ ... ]"),
    "dict_type": ("must be a table", "a table: [section] or { key = value }"),
    "model_type": ("must be a table", "a table: [section] or { key = value }"),
}

_REQUIRED = {
    "time": "a [time] table with at least end = NUMBER (when the simulation stops)",
    "end": "a number > 0: when the simulation stops",
    "model": 'a built-in model such as "sir", a path to a model .toml file, or a [model] table',
    "compartments": 'a list of names, e.g. ["S", "I", "R"]',
    "equation": 'a reaction such as "S + I -> I + I"',
    "rate": 'a number >= 0 or an expression such as "beta" or "sigma * (1 - p)"',
    "value": "a number >= 0",
    "compartment": "the name of one of the model's compartments",
    "fraction": "a number from 0 to 1",
}
"""What to write for a required key that is missing, by the key's last part."""


def load_scenario(source: str | os.PathLike[str]) -> Scenario:
    """Load a scenario from a ``.toml`` file or by the name of a built-in scenario.

    A string that is exactly a built-in scenario's name (see
    :data:`~hyosan.scenario.BUILTIN_SCENARIOS`) loads that scenario; anything
    else is a path (write ``./NAME`` for a file that shares a built-in's name).

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
    if path.is_dir():
        # `hyosan run DIR --out ...` written for `hyosan run DIR/scenario.toml`
        inside = path / "scenario.toml"
        raise InputError(
            "a folder, not a scenario file",
            value=os.fspath(source),
            allowed=f"a path to a .toml file{f' such as {inside}' if inside.is_file() else ''}"
            f" or a built-in scenario ({', '.join(BUILTIN_SCENARIOS)})",
        )
    if not path.is_file():
        raise InputError(
            "no such scenario file or built-in scenario",
            value=os.fspath(source),
            allowed=", ".join(BUILTIN_SCENARIOS) + " or a path to a .toml file",
        )
    data = _read_toml(path)
    return scenario_from_dict(data, source=str(path), base_dir=path.parent, name=path.stem)


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
    return scenario_from_dict(
        _parse_toml(text, source), source=source, base_dir=base_dir, name=name
    )


def load_model(path: str | os.PathLike[str]) -> Model:
    """Load a model from a model TOML file (the keys of ``[model]`` at top level).

    The model's name defaults to the file's stem.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(
            "no such model file",
            source=str(path),
            value=str(path),
            allowed="a path to a model .toml file",
        )
    return model_from_dict(_read_toml(path), source=str(path), name=path.stem)


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
    spec = _validate(ScenarioSpec, data, source)
    scenario_name = spec.name if spec.name is not None else (name or _stem(source))
    model, model_ref = _resolve_model(
        spec.model, source=source, base_dir=base_dir, default_name=scenario_name
    )
    comps = model.compartments
    initial = {c: spec.initial.get(c, 0) for c in comps}
    initial.update({c: v for c, v in spec.initial.items() if c not in initial})
    setup = None
    if spec.world is not None:
        if spec.initial:
            raise InputError(
                "a scenario with a world places people by [world], not [initial]",
                source=source,
                key="initial",
                allowed="leave out [initial]; the world's population fills "
                "world.fill and [[world.seed]] adds the rest",
            )
        try:
            setup = setup_from_spec(spec.world, base_dir=base_dir)
        except InputError as err:  # an error inside a world file names that file
            raise err.at(err.source or source) from None
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
        world=setup,
        characters=tuple(
            _read(Character.parse, c.model_dump(exclude_unset=True), f"characters[{i}]", source)
            for i, c in enumerate(spec.characters)
        ),
        milestones=tuple(
            Milestone(
                m.text,
                _read(Condition.parse, m.when, f"milestones[{i}].when", source),
            )
            for i, m in enumerate(spec.milestones)
        ),
        sweep=spec.sweep,
    )


def _read(parse: Any, value: Any, key: str, source: str) -> Any:
    try:
        return parse(value, key=key)
    except InputError as err:
        raise err.at(source) from None


def model_from_dict(
    data: Mapping[str, Any],
    *,
    source: str = "python",
    key_prefix: str = "",
    name: str | None = None,
) -> Model:
    """Build a :class:`Model` from a parsed model table.

    ``key_prefix`` places error keys under the table (``"model"`` for an
    inline ``[model]``); ``name`` is used when the table has no ``name``.
    """
    spec = _validate(ModelSpec, data, source, key_prefix)
    reactions = []
    for i, r in enumerate(spec.reactions):
        try:
            reactions.append(Reaction.parse(r.equation, r.rate, law=r.law, name=r.name))
        except InputError as err:
            raise err.at(source, _join(key_prefix, f"reactions[{i}]")) from None
    parameters = tuple(
        Parameter(n, p.value, p.description, p.unit) for n, p in spec.parameters.items()
    )
    try:
        return Model(
            name=spec.name if spec.name is not None else (name or "model"),
            compartments=tuple(spec.compartments),
            parameters=parameters,
            reactions=tuple(reactions),
            population=tuple(spec.population),
            humans=tuple(spec.humans),
            zombies=tuple(spec.zombies),
            survivors=tuple(spec.survivors),
            time_unit=spec.time_unit,
            description=spec.description,
            references=tuple(spec.references),
        )
    except InputError as err:
        # The model names a parameter by its position; in a file it is a key.
        match = re.fullmatch(r"parameters\[(\d+)\](.*)", err.key)
        if match:
            key = f"parameters.{parameters[int(match[1])].name}{match[2]}"
            err = InputError(err.problem, key=key, value=err.value, allowed=err.allowed)
        raise err.at(source, key_prefix) from None


def _resolve_model(
    ref: Any, *, source: str, base_dir: str | os.PathLike[str] | None, default_name: str
) -> tuple[Model, str]:
    """The model a scenario's ``model`` key names, and its built-in name (or ``""``)."""
    allowed = (
        f"a built-in model ({', '.join(BUILTIN_MODELS)}), a path to a model .toml file "
        "(relative to the scenario file), or a [model] table"
    )
    if isinstance(ref, dict):
        return model_from_dict(ref, source=source, key_prefix="model", name=default_name), ""
    if not isinstance(ref, str):
        raise InputError(
            "the model is a name, a path or a table",
            source=source,
            key="model",
            value=ref,
            allowed=allowed,
        )
    if ref in BUILTIN_MODELS:
        return builtin_model(ref), ref
    path = Path(ref)
    if not path.is_absolute() and base_dir is not None:
        path = Path(base_dir) / path
    if not path.is_file():
        raise InputError(
            "no such built-in model or model file",
            source=source,
            key="model",
            value=ref,
            allowed=allowed,
        )
    return load_model(path), ""


def _intervention(spec: InterventionInSpaceSpec, key: str, source: str) -> Intervention:
    when = None
    try:
        if spec.when is not None:
            when = Condition.parse(spec.when, key=f"{key}.when")
        actions = space_actions(spec, key)
    except InputError as err:
        raise err.at(source) from None
    return Intervention(
        at=tuple(spec.at or ()),
        when=when,
        set=dict(spec.set),
        remove=tuple(Remove(r.compartment, r.fraction, r.to) for r in spec.remove),
        name=spec.name,
        **actions,
    )


def _read_toml(path: Path) -> dict[str, Any]:
    source = str(path)
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise InputError(f"cannot read the file ({err.strerror})", source=source) from None
    try:
        text = raw.decode("utf-8-sig")  # a BOM (some Windows editors write one) is dropped
    except UnicodeDecodeError as err:
        raise InputError(
            f"not UTF-8 text (byte {err.start})", source=source, allowed="a TOML file in UTF-8"
        ) from None
    return _parse_toml(text, source)


def _parse_toml(text: str, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        # Python 3.11's message ends with "(at line L, column C)"; show that line too.
        message = str(err)
        match = re.search(r"at line (\d+)", message)
        lines = text.splitlines()
        extra: dict[str, Any] = {}
        if match and 1 <= int(match[1]) <= len(lines):
            extra["value"] = lines[int(match[1]) - 1].strip()
        raise InputError(
            f"not valid TOML: {message}",
            source=source,
            allowed="TOML syntax (https://toml.io)",
            **extra,
        ) from None


def _validate(cls: type[_Spec], data: Any, source: str, key_prefix: str = "") -> _Spec:
    try:
        return cls.model_validate(data)
    except ValidationError as err:
        raise _input_error(err, source, key_prefix) from None


def _input_error(err: ValidationError, source: str, key_prefix: str) -> InputError:
    """The first of pydantic's errors, as an :class:`InputError` with a key path."""
    first = err.errors(include_url=False)[0]
    loc = list(first["loc"])
    ctx = first.get("ctx") or {}
    value: Any = first.get("input")
    if first["type"] == "unknown_key":
        loc.append(ctx["key"])
        problem, value, allowed = f"unknown key{ctx['hint']}", ctx["key"], ctx["allowed"]
    elif first["type"] == "missing":
        return InputError(
            "missing key",
            source=source,
            key=_join(key_prefix, _key_path(loc)),
            allowed=_REQUIRED.get(str(loc[-1]) if loc else "", "this key is required"),
        )
    else:
        problem, allowed = _TYPE_WORDS.get(first["type"], (first["msg"], ""))
        allowed = ctx.get("allowed", allowed)
    return InputError(
        problem, source=source, key=_join(key_prefix, _key_path(loc)), value=value, allowed=allowed
    )


def _key_path(loc: list[int | str]) -> str:
    """``("interventions", 1, "set")`` -> ``"interventions[1].set"``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _join(prefix: str, key: str) -> str:
    return ".".join(p for p in (prefix, key) if p)


def _stem(source: str) -> str:
    return Path(source).stem if source.endswith(".toml") else "scenario"
