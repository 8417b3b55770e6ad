"""TOML text in, and pydantic's verdicts out as one :class:`~hyosan.errors.InputError`.

Every problem with the input, from a TOML syntax error to a value of the
wrong type, becomes one error that names the file (or ``builtin:NAME``), the
key path (``interventions[1].set.alpah``), the bad value and what is
allowed. Only the first problem is reported.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from hyosan.errors import InputError, unknown
from hyosan.space.graph import MAX_DEPTH, parse_toml_text, read_toml_file

__all__ = ["join", "parse_toml", "read_toml", "validate"]

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


def read_toml(path: Path) -> dict[str, Any]:
    """The TOML document in the file ``path``; see :func:`hyosan.space.graph.read_toml_file`.

    Only a regular file of at most 64 MiB is read, and an error never quotes
    the bytes of a file that is not TOML: it gives the line, the column and
    the reason. Tables and arrays nest at most :data:`~hyosan.space.graph.MAX_DEPTH`
    deep.
    """
    return _shallow(read_toml_file(path), str(path))


def parse_toml(text: str, source: str) -> dict[str, Any]:
    """``text`` parsed as TOML, or :class:`InputError` placed in ``source``."""
    return _shallow(parse_toml_text(text, source), source)


def _shallow(data: dict[str, Any], source: str) -> dict[str, Any]:
    """``data``, unless its tables and arrays nest deeper than ``MAX_DEPTH``: tomllib reads
    a few hundred levels, and the copies, messages and TOML written from them would not."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            allowed = f"tables and arrays nested at most {MAX_DEPTH} deep"
            raise InputError("nested too deeply", source=source, allowed=allowed)
        inside = node.values() if isinstance(node, dict) else node
        stack += [(item, depth + 1) for item in inside if isinstance(item, dict | list)]
    return data


def validate(cls: type[_Spec], data: Any, source: str, key_prefix: str = "") -> _Spec:
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
        key = join(key_prefix, _key_path([*loc, ctx["key"]]))
        return unknown("key", ctx["key"], ctx["allowed"].split(", "), source=source, key=key)
    if first["type"] == "missing":
        return InputError(
            "missing key",
            source=source,
            key=join(key_prefix, _key_path(loc)),
            allowed=_REQUIRED.get(str(loc[-1]) if loc else "", "this key is required"),
        )
    else:
        problem, allowed = _TYPE_WORDS.get(first["type"], (first["msg"], ""))
        allowed = ctx.get("allowed", allowed)
    return InputError(
        problem, source=source, key=join(key_prefix, _key_path(loc)), value=value, allowed=allowed
    )


def _key_path(loc: list[int | str]) -> str:
    """``("interventions", 1, "set")`` -> ``"interventions[1].set"``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def join(prefix: str, key: str) -> str:
    return ".".join(p for p in (prefix, key) if p)
