"""Models in a scenario: a built-in name, a model file (TOML or SBML), or a ``[model]`` table.

An SBML file (``.xml``, ``.sbml``; :mod:`hyosan.model.sbml`) also gives each
compartment's initial amount: :func:`resolve_model_counts` hands them to the
scenario, as the counts of the compartments its ``[initial]`` leaves out.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from hyosan.errors import InputError
from hyosan.model import BUILTIN_MODELS, Model, Parameter, Reaction, builtin_model
from hyosan.model.sbml import is_sbml, read_sbml
from hyosan.scenario.parse import join, read_toml, validate
from hyosan.scenario.schema import ModelSpec

__all__ = ["load_model", "model_from_dict", "resolve_model_counts"]


def load_model(path: str | os.PathLike[str]) -> Model:
    """Load a model from a model TOML file (the keys of ``[model]`` at top level), or from
    an SBML file (a path ending in ``.xml`` or ``.sbml``, see :func:`hyosan.model.sbml.read_sbml`).

    The model's name defaults to the file's stem.
    """
    path = Path(path)
    if is_sbml(path):
        return read_sbml(path).model
    if not os.path.exists(path):  # anything else there is read only if a regular file
        raise InputError(
            "no such model file",
            source=str(path),
            value=str(path),
            allowed="a path to a model .toml file",
        )
    return model_from_dict(read_toml(path), source=str(path), name=path.stem)


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
    spec = validate(ModelSpec, data, source, key_prefix)
    reactions = []
    for i, r in enumerate(spec.reactions):
        try:
            reactions.append(Reaction.parse(r.equation, r.rate, law=r.law, name=r.name))
        except InputError as err:
            raise err.at(source, join(key_prefix, f"reactions[{i}]")) from None
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
            hybrids=tuple(spec.hybrids),
            time_unit=spec.time_unit,
            description=spec.description,
            references=tuple(spec.references),
        )
    except InputError as err:
        raise _as_written(err, spec).at(source, key_prefix) from None


def _as_written(err: InputError, spec: ModelSpec) -> InputError:
    """The model's error in the file's terms: a parameter by its name, not its position,
    and an equation as the file writes it (``"2 S + I -> 3 I"``, not ``"S + S + I -> ..."``)."""
    key, value = err.key, err.value
    match = re.fullmatch(r"parameters\[(\d+)\](.*)", key)
    if match:
        key = f"parameters.{list(spec.parameters)[int(match[1])]}{match[2]}"
    match = re.fullmatch(r"reactions\[(\d+)\]\.equation", key)
    if match and int(match[1]) < len(spec.reactions):
        written = spec.reactions[int(match[1])].equation
        if Reaction.parse(written, "0").equation == value:
            value = written
    return InputError(err.problem, key=key, value=value, allowed=err.allowed)


def resolve_model_counts(
    ref: Any, *, source: str, base_dir: str | os.PathLike[str] | None, default_name: str
) -> tuple[Model, str, dict[str, float]]:
    """The model a scenario's ``model`` key names, its built-in name (or ``""``), and the
    initial counts the model's file gives: an SBML file's initial amounts (every other
    model gives none)."""
    allowed = (
        f"a built-in model ({', '.join(BUILTIN_MODELS)}), a path to a model .toml file "
        "or an SBML .xml file (relative to the scenario file), or a [model] table"
    )
    if isinstance(ref, dict):
        return model_from_dict(ref, source=source, key_prefix="model", name=default_name), "", {}
    if not isinstance(ref, str):
        raise InputError(
            "the model is a name, a path or a table",
            source=source,
            key="model",
            value=ref,
            allowed=allowed,
        )
    if ref in BUILTIN_MODELS:
        return builtin_model(ref), ref, {}
    path = Path(ref)
    if not path.is_absolute() and base_dir is not None:
        path = Path(base_dir) / path
    if not os.path.exists(path):
        raise InputError(
            "no such built-in model or model file",
            source=source,
            key="model",
            value=ref,
            allowed=allowed,
        )
    if is_sbml(path):
        read = read_sbml(path)
        return read.model, "", dict(read.initial)
    return load_model(path), "", {}
