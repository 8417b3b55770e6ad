"""The built-in scenarios: TOML files shipped in the package under ``hyosan/scenarios/``.

A built-in scenario's name is its file's stem (``munz-basic`` for
``scenarios/munz-basic.toml``). The files are found with
:mod:`importlib.resources`, so they work from a wheel as from a checkout.
"""

from __future__ import annotations

import tomllib
from importlib.resources import files
from importlib.resources.abc import Traversable

from hyosan.errors import InputError

__all__ = ["BUILTIN_SCENARIOS", "builtin_scenario_path", "list_scenarios"]


def _folder() -> Traversable:
    return files("hyosan") / "scenarios"


def _discover() -> tuple[str, ...]:
    folder = _folder()
    if not folder.is_dir():
        return ()
    return tuple(
        sorted(
            entry.name.removesuffix(".toml")
            for entry in folder.iterdir()
            if entry.name.endswith(".toml") and entry.is_file()
        )
    )


BUILTIN_SCENARIOS: tuple[str, ...] = _discover()
"""Names of the built-in scenarios, sorted."""


def builtin_scenario_path(name: str) -> Traversable:
    """The packaged TOML file of the built-in scenario ``name``.

    A :class:`~importlib.resources.abc.Traversable` (a :class:`pathlib.Path`
    for an ordinary install); read it with ``.read_text()``.

    Examples
    --------
    >>> builtin_scenario_path("sir").name
    'sir.toml'
    """
    if name not in BUILTIN_SCENARIOS:
        raise InputError(
            "no such built-in scenario",
            source=f"builtin:{name}",
            value=name,
            allowed=", ".join(BUILTIN_SCENARIOS),
        )
    return _folder() / f"{name}.toml"


def list_scenarios() -> list[tuple[str, str]]:
    """``(name, description)`` of every built-in scenario, sorted by name.

    Examples
    --------
    >>> "munz-basic" in dict(list_scenarios())
    True
    """
    out = []
    for name in BUILTIN_SCENARIOS:
        data = tomllib.loads(builtin_scenario_path(name).read_text(encoding="utf-8"))
        description = data.get("description", "")
        out.append((name, description if isinstance(description, str) else ""))
    return out
