"""The small valid scenarios every fuzz case starts from, and helpers to change them.

Each base (:data:`BASES`: the built-in ``sir`` model with 52 people and two
interventions, a tiny inline model, a 3 x 3 lattice world) runs in well under a
second: at most 3 runs, end times of a few days. Every ``hyosan run`` of the
suite also gets :data:`EXTRA_RUN_OPTIONS` (``--max-events 100000`` where this
hyosan has the option; read at import from the parser that ``hyosan run
--help`` prints).
"""

from __future__ import annotations

import copy
from typing import Any

import tomli_w
import typer
from hypothesis import strategies as st

from hyosan.cli.main import app

from .sandbox import Case

__all__ = [
    "BASES",
    "EXTRA_RUN_OPTIONS",
    "INLINE",
    "SIR",
    "WORLD",
    "bases",
    "commands",
    "dump",
    "engines",
    "leaves",
    "options",
    "put",
    "scenario_case",
    "with_out",
]

Table = dict[str, Any]
KeyPath = tuple[str | int, ...]


def _run_options() -> set[str]:
    """The options ``hyosan run --help`` lists (read from the parser that prints them)."""
    command = getattr(typer.main.get_command(app), "commands", {})["run"]
    return {opt for p in command.params for opt in getattr(p, "opts", [])}


EXTRA_RUN_OPTIONS: tuple[str, ...] = (
    ("--max-events", "100000") if "--max-events" in _run_options() else ()
)
"""Appended to every ``hyosan run``: a budget of events, where this hyosan has the option."""

SIR: Table = {
    "model": "sir",
    "engine": "ssa",
    "runs": 2,
    "seed": 1,
    "time": {"end": 5.0, "points": 11},
    "parameters": {"beta": 0.3, "gamma": 0.1},
    "initial": {"S": 50, "I": 2},
    "interventions": [
        {"name": "care", "at": 2.0, "set": {"beta": 0.2}},
        {"when": "I > 5", "remove": [{"compartment": "I", "fraction": 0.5, "to": "R"}]},
    ],
}

INLINE: Table = {
    "name": "tiny",
    "engine": "ssa",
    "runs": 2,
    "seed": 3,
    "model": {
        "name": "tiny-sir",
        "compartments": ["S", "I", "R"],
        "humans": ["S"],
        "zombies": ["I"],
        "parameters": {"beta": {"value": 0.3, "unit": "1/day"}, "gamma": 0.1},
        "reactions": [
            {"name": "infection", "equation": "S + I -> I + I", "rate": "beta", "law": "frequency"},
            {"equation": "I -> R", "rate": "gamma"},
        ],
    },
    "time": {"end": 5.0, "points": 11, "unit": "day"},
    "initial": {"S": 30, "I": 2},
}

WORLD: Table = {
    "model": "sir",
    "engine": "ssa",
    "runs": 2,
    "seed": 5,
    "time": {"end": 3.0, "points": 7},
    "world": {
        "lattice": {"rows": 3, "cols": 3, "people": 10},
        "movement": {"I": 0.5, "S": 0.1},
        "fill": "S",
        "seed": [{"compartment": "I", "count": 1}],
    },
    "interventions": [{"when": "I >= 3", "lockdown": ["r1c1"]}],
}

BASES: dict[str, Table] = {"sir": SIR, "inline": INLINE, "world": WORLD}
"""The valid starting points (checked to run, with exit 0, by the suite)."""


def dump(table: Table) -> bytes:
    """The TOML text of ``table``."""
    return tomli_w.dumps(table).encode("utf-8")


def leaves(table: Any, prefix: KeyPath = ()) -> list[KeyPath]:
    """The key paths of every value in ``table`` (tables and lists of tables looked into)."""
    found: list[KeyPath] = []
    items: list[tuple[str | int, Any]]
    if isinstance(table, dict):
        items = list(table.items())
    elif isinstance(table, list) and table and all(isinstance(v, dict) for v in table):
        items = list(enumerate(table))
    else:
        return found
    for key, value in items:
        found.append((*prefix, key))
        found += leaves(value, (*prefix, key))
    return found


def put(table: Table, path: KeyPath, value: Any) -> Table:
    """A copy of ``table`` with the value at ``path`` replaced (``...``: removed)."""
    new = copy.deepcopy(table)
    parent: Any = new
    for key in path[:-1]:
        parent = parent[key]
    if value is ...:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return new


def scenario_case(
    label: str, table: Table, command: str, extra: tuple[str, ...] = (), **files: bytes
) -> Case:
    """``hyosan COMMAND scenario.toml`` with ``table`` as the scenario file."""
    argv: tuple[str, ...] = (command, "scenario.toml")
    if command == "run":  # validate takes the scenario alone
        argv += (*extra, *EXTRA_RUN_OPTIONS)
    return Case(argv, (("scenario.toml", dump(table)), *files.items()), label)


bases = st.sampled_from(sorted(BASES))
commands = st.sampled_from(["run", "run", "validate"])
with_out = st.sampled_from([(), ("--out", "out")])
engines = st.sampled_from([(), (), ("--engine", "ode"), ("--engine", "tau"), ("--engine", "ssa")])
options = st.builds(lambda out, engine: (*engine, *out), with_out, engines)
"""What a scenario case adds to its command line: maybe ``--out``, maybe another engine."""
