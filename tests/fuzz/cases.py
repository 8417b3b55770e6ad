"""Malformed scenario files for the fuzz suite, as Hypothesis strategies of cases.

Every case starts from one of the small valid scenarios of :mod:`.bases` and
changes one thing, sometimes two: a value of the wrong type or out of range, a
key unknown or misspelt, a name hyosan does not know, a size too large to run,
a path that is no scenario, an intervention or a reaction that cannot be, or
broken TOML text. A case is a :class:`~.sandbox.Case`: its files and its
``argv``. The changes stay small on purpose, so that a failing case is already
close to the smallest input that shows the bug (the tests do not shrink).
Command lines, ``--out`` folders and sweeps are in :mod:`.lines`.
"""

from __future__ import annotations

import copy
import datetime
import math
from typing import Any

from hypothesis import strategies as st

from .bases import (
    BASES,
    EXTRA_RUN_OPTIONS,
    INLINE,
    SIR,
    WORLD,
    KeyPath,
    Table,
    bases,
    commands,
    dump,
    leaves,
    options,
    put,
    scenario_case,
    with_out,
)
from .sandbox import Case

__all__ = [
    "interventions",
    "keys",
    "names",
    "paths",
    "reactions",
    "sizes",
    "toml_syntax",
    "values",
]


# --- values: every key of a base given a value of the wrong type or out of range ---

TRICKY_NUMBERS = [
    -1, 0, 1, -0.0, 0.5, 1.5, -1e-300, 5e-324, 1e308, -1e308, 2**53 + 1, 2**63 - 1,
    2**63, 2**64, -(2**63), 10**30, -(10**30), math.nan, math.inf, -math.inf,
]  # fmt: skip

TRICKY_TEXTS = [
    "", " ", "abc", "10", "1e3", "nan", "None", "\x00", "S\nI", "é", "🧟", "x" * 300,
    "../../etc/passwd", "{beta}", "%s%n", "__import__('os').system('touch pwned')",
]  # fmt: skip

scalars = st.one_of(
    st.sampled_from(TRICKY_NUMBERS),
    st.sampled_from(TRICKY_TEXTS),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.text(max_size=8),
    st.datetimes(min_value=datetime.datetime(1, 1, 1), max_value=datetime.datetime(9999, 1, 1)),
    st.dates(),
)
bad_values = st.one_of(
    scalars,
    st.lists(scalars, max_size=3),
    st.dictionaries(st.sampled_from(["a", "value", "S", "beta", ""]), scalars, max_size=2),
)


@st.composite
def values(draw: st.DrawFn) -> Case:
    """One key of a base (any depth) set to a value of the wrong type or out of range."""
    base = draw(bases)
    table = BASES[base]
    path = draw(st.sampled_from(leaves(table)))
    value = draw(bad_values)
    label = f"value: {base} {'.'.join(map(str, path))} = {value!r}"
    return scenario_case(label, put(table, path, value), draw(commands), draw(options))


# --- keys: unknown, misspelt, missing -------------------------------------------


def misspell(key: str, how: int) -> str:
    """``key`` misspelt in one of a few ways people do."""
    spellings = [
        key[:-1],  # a letter dropped
        key + "s",  # a plural
        key.upper(),
        key.capitalize(),
        key.replace("_", "-"),
        key[1:2] + key[0:1] + key[2:],  # two letters swapped
        " " + key,
        key + "_",
    ]
    spelt = spellings[how % len(spellings)]
    return spelt if spelt and spelt != key else key + "x"


@st.composite
def keys(draw: st.DrawFn) -> Case:
    """A key misspelt, removed, or a new unknown key added, at any depth of a base."""
    base = draw(bases)
    table = BASES[base]
    path = draw(st.sampled_from(leaves(table)))
    how = draw(st.sampled_from(["misspell", "remove", "add"]))
    parent = copy.deepcopy(table)
    holder: Any = parent
    for key in path[:-1]:
        holder = holder[key]
    key = path[-1]
    if how == "remove" or isinstance(key, int):
        new = put(table, path, ...)
        label = f"key removed: {base} {'.'.join(map(str, path))}"
    elif how == "misspell":
        spelt = misspell(key, draw(st.integers(0, 7)))
        holder[spelt] = holder.pop(key)
        new, label = parent, f"key misspelt: {base} {key!r} -> {spelt!r}"
    else:
        name = draw(st.sampled_from(["bogus", "Runs", "seeds", "enigne", "lattice", "at", "end"]))
        holder.setdefault(name, draw(scalars))
        new, label = parent, f"key added: {base} {'.'.join(map(str, path[:-1]))}.{name}"
    return scenario_case(label, new, draw(commands), draw(options))


# --- names: models, engines, compartments, parameters, worlds -----------------------

NAME_PATHS: dict[str, list[KeyPath]] = {
    "sir": [
        ("model",), ("engine",), ("initial", "S"), ("parameters", "beta"),
        ("interventions", 0, "set", "beta"), ("interventions", 1, "remove", 0, "compartment"),
        ("interventions", 1, "remove", 0, "to"),
    ],
    "inline": [
        ("model", "compartments"), ("model", "humans"), ("model", "zombies"),
        ("model", "reactions", 0, "rate"), ("model", "reactions", 0, "law"),
        ("initial", "I"), ("model", "parameters", "gamma"),
    ],
    "world": [
        ("world", "fill"), ("world", "movement", "I"), ("world", "seed", 0, "compartment"),
        ("world", "seed", 0, "where"), ("interventions", 0, "lockdown"), ("world", "builtin"),
        ("world", "map"), ("world", "cell"),
    ],
}  # fmt: skip

unknown_names = st.one_of(
    st.sampled_from(["Z", "s", "SS", "Beta", "sirr", "munz", "ssa ", "SSA", "odee", "korea2",
                     "hyosan-schol", "usa", "all", "nowhere", "3km", "1km", "", "I R"]),
    st.text(alphabet="SIRZbetagmx_-. ", min_size=1, max_size=6),
)  # fmt: skip


@st.composite
def names(draw: st.DrawFn) -> Case:
    """A name hyosan does not know where a name is expected (or a known name renamed)."""
    base = draw(bases)
    table = BASES[base]
    path = draw(st.sampled_from(NAME_PATHS[base]))
    name = draw(unknown_names)
    holder: Any = table
    for key in path[:-1]:
        holder = holder[key]
    current = holder.get(path[-1]) if isinstance(holder, dict) else holder[path[-1]]
    if isinstance(current, list):
        new = put(table, path, [*current[:-1], name])
    elif isinstance(path[-1], str) and path[-2:-1] in (("initial",), ("parameters",), ("set",)):
        new = put(put(table, path, ...), (*path[:-1], name), current)  # the key renamed
    elif path in (("world", "builtin"), ("world", "map")):
        new = put(put(table, ("world", "lattice"), ...), path, name)
    else:
        new = put(table, path, name)
    label = f"name: {base} {'.'.join(map(str, path))} -> {name!r}"
    return scenario_case(label, new, draw(commands), draw(options))


# --- sizes: far too large to run, refused before anything runs ---------------------

HUGE = [10**11, 10**12, 2**62, 2**63 - 1, 2**63, 2**64, 10**30, 10**100]


@st.composite
def sizes(draw: st.DrawFn) -> Case:
    """Runs, output times or lattice cells whose result could not fit any machine's memory."""
    huge = draw(st.sampled_from(HUGE))
    where = draw(st.sampled_from(["runs", "points", "rows", "cols", "both", "cli-runs", "mix"]))
    base = "world" if where in ("rows", "cols", "both") else draw(bases)
    table = BASES[base]
    extra: tuple[str, ...] = ()
    if where == "runs":
        table = put(table, ("runs",), huge)
    elif where == "points":
        table = put(table, ("time", "points"), huge)
    elif where in ("rows", "cols"):
        table = put(table, ("world", "lattice", where), huge)
    elif where == "both":
        side = draw(st.sampled_from([10**5, 10**6, 10**9]))
        table = put(
            put(table, ("world", "lattice", "rows"), side), ("world", "lattice", "cols"), side
        )
    elif where == "cli-runs":
        extra = ("--runs", str(huge))
    else:  # each alone allowed, together too large: 10**7 runs x 10**7 output times
        table = put(put(table, ("runs",), 10**7), ("time", "points"), 10**7)
    label = f"size: {base} {where} = {huge}"
    engine = draw(st.sampled_from([(), ("--engine", "tau")]))  # ode runs once whatever runs says
    return scenario_case(label, table, draw(commands), (*extra, *engine, *draw(with_out)))


# --- paths: files that are no scenario, model or world ----------------------------

PATHS = [
    "missing.toml", "afolder", "afolder/", ".", "..", "/", "/dev/null", "/proc/self/environ",
    "/etc/passwd", "../../etc/passwd", "../../../planted.txt", "link-outside", "link-planted",
    "broken-link", "empty.toml", "binary.toml", "afile.txt", "~/nothing.toml", "", " ",
    "x" * 300 + ".toml", "sub\x00dir.toml", "prev", "prev/scenario.toml", "/proc/self/fd/0",
    "fifo", "/dev/stdin", "/proc/self/mem", "/dev/full", "link-outside/planted.txt",
]  # fmt: skip


@st.composite
def paths(draw: st.DrawFn) -> Case:
    """A path that is no scenario, model or world file: as the scenario argument, as
    ``model = PATH`` or as ``[world] file = PATH``."""
    path = draw(st.sampled_from(PATHS))
    where = draw(st.sampled_from(["argument", "model", "world"]))
    command = draw(st.sampled_from(["run", "validate", "sweep"]))
    if where == "argument":
        if "\x00" in path:  # a command line cannot hold a NUL byte
            path = path.replace("\x00", "")
        argv = (command, path, *(EXTRA_RUN_OPTIONS if command == "run" else ()))
        return Case(argv, (), f"path: scenario argument {path!r}")
    if where == "model":
        table = put(SIR, ("model",), path)
    else:
        table = put(put(WORLD, ("world", "lattice"), ...), ("world", "file"), path)
    label = f"path: {where} = {path!r}"
    return scenario_case(label, table, "validate" if command == "sweep" else command)


# --- interventions ---------------------------------------------------------------

BAD_CONDITIONS = [
    "", " ", "I >", "> 5", "I >> 5", "I => 5", "Q > 1", "I > nan", "I > inf", "I > 1e400",
    "I > 1 and", "I > 1 and R < 2", "I > 1 or", "(I > 1)", "I > 1 in nowhere", "I > -1",
    "I", "5", "I > 1; R < 2", "I ≥ 1", "__import__('os').system('touch pwned') > 1",
    "I > 1" * 50, "I == I", "S + I > 3", "I > 1 in",
]  # fmt: skip

BAD_TIMES: list[Any] = [
    -1, -1e-9, -math.inf, math.nan, math.inf, 1e9, 1e308, 5.0, 5.000001, "soon", "2", [],
    [1, "x"], [[1.0]], {"t": 1}, [2.0, 2.0], [3.0, 1.0], True,
]  # fmt: skip

ACTIONS: list[tuple[str, Any]] = [
    ("set", {"nonexistent": 1.0}), ("set", {"beta": -1.0}), ("set", {"beta": math.nan}),
    ("set", {"beta": math.inf}), ("set", {"beta": "x"}), ("set", {}), ("set", {"S": 5.0}),
    ("remove", [{"compartment": "Q", "fraction": 0.5}]),
    ("remove", [{"compartment": "I", "fraction": -0.5}]),
    ("remove", [{"compartment": "I", "fraction": 1.5}]),
    ("remove", [{"compartment": "I", "fraction": math.nan}]),
    ("remove", [{"compartment": "I", "fraction": 0.5, "to": "nowhere"}]),
    ("remove", [{"compartment": "I", "fraction": 0.5, "to": "I"}]), ("remove", [{}]),
    ("remove", []), ("cordon", "nowhere"), ("strike", {"region": "x"}), ("lockdown", 5),
    ("barricade", {"region": "classrooms"}), ("reopen", []),
    ("camp", {"patches": "all", "to": "nope"}),
    ("camp", {"patches": "all", "to": "p0-0", "fraction": 2.0, "sensitivity": -1.0}),
]  # fmt: skip


@st.composite
def interventions(draw: st.DrawFn) -> Case:
    """An intervention at a bad time, when a bad condition holds, or doing what cannot be."""
    base = draw(st.sampled_from(["sir", "world"]))
    intervention: Table = {"name": draw(st.sampled_from(["x", "", "care"]))}
    trigger = draw(st.sampled_from(["at", "when", "both", "neither"]))
    if trigger in ("at", "both"):
        intervention["at"] = draw(st.sampled_from(BAD_TIMES))
    if trigger in ("when", "both"):
        intervention["when"] = draw(st.sampled_from(BAD_CONDITIONS))
    action, spec = draw(st.sampled_from(ACTIONS))
    intervention[action] = spec
    table = put(BASES[base], ("interventions",), [intervention])
    label = f"intervention: {base} {intervention!r}"
    return scenario_case(label, table, draw(commands), draw(options))


# --- reactions ------------------------------------------------------------------

EQUATIONS = [
    "2 S + I -> 3 I", "S + I -> ", " -> ", "->", "", "S + + I -> I", "S I -> I", "S -> X",
    "S -> S -> I", "S + I + R -> I", "S => I", "S + I -> I + I + I + I", "0.5 S -> I",
    "-1 S -> I", "S + I -> 1e400 I", "é -> I", "S + I <- I", "S + I -> I + I ; R", "S", "I -> I",
    "-> S", "S ->", "s -> i", "S + S -> I + S",
]  # fmt: skip

RATES: list[Any] = [
    "beta * ", "unknown", "beta ** 2", "__import__('os')", "beta * (1 - )", "(1 - beta",
    "-beta", "beta / 0", "1 / 0", "", "nan", "inf", "1e400", -1, -0.0, 1e308, math.inf,
    math.nan, "beta * gamma * 1e308", "beta(1)", "beta * (1 - gamma)", "beta beta",
]  # fmt: skip

LAWS = ["bogus", "frequency", "mass_action", "", "FREQUENCY", "first_order", "constant"]

COMPARTMENTS: list[Any] = [
    [], ["S", "S", "I", "R"], ["S", "", "I", "R"], ["1x", "S", "I", "R"], [1, 2, 3],
    ["S", "I"], ["S", "I", "R", "N"], "SIR", ["S I", "I", "R"],
]  # fmt: skip


@st.composite
def reactions(draw: st.DrawFn) -> Case:
    """A reaction of the inline model with a bad equation, rate or law, or bad compartments."""
    which = draw(st.sampled_from(["equation", "rate", "law", "compartments", "two"]))
    index = draw(st.sampled_from([0, 1]))
    model = copy.deepcopy(INLINE["model"])
    reaction = model["reactions"][index]
    if which in ("equation", "two"):
        reaction["equation"] = draw(st.sampled_from(EQUATIONS))
    if which in ("rate", "two"):
        reaction["rate"] = draw(st.sampled_from(RATES))
    if which == "law":
        reaction["law"] = draw(st.sampled_from(LAWS))
    if which == "compartments":
        model["compartments"] = draw(st.sampled_from(COMPARTMENTS))
    as_file = draw(st.booleans())  # the model inline, or in its own file
    if as_file:
        table = put(INLINE, ("model",), "model.toml")
        label = f"reaction (model file): {which}: {reaction!r} {model['compartments']!r}"
        return scenario_case(label, table, draw(commands), draw(options), **{
            "model.toml": dump(model)
        })  # fmt: skip
    label = f"reaction: {which}: {reaction!r} {model['compartments']!r}"
    return scenario_case(label, put(INLINE, ("model",), model), draw(commands), draw(options))


# --- TOML syntax -----------------------------------------------------------------

JUNK = [
    "[", "]", "[[", "=", '"', "'", '"""', "\x00", "\ufeff", "\t", "\r", "\\", "#", "{", "}",
    ",", "[time]\n", "[[interventions]]\n", "runs = 1\n", "a.b.c = 1\n", "=\n", "\n\n[",
    "é", "\x7f", "\u2028",
]  # fmt: skip


@st.composite
def toml_syntax(draw: st.DrawFn) -> Case:
    """The text of a base cut, spliced with junk, a line doubled, or not UTF-8."""
    base = draw(bases)
    text = dump(BASES[base]).decode("utf-8")
    how = draw(st.sampled_from(["cut", "insert", "double", "drop", "bytes", "crlf", "bom"]))
    at = draw(st.integers(0, len(text)))
    lines = text.splitlines(keepends=True)
    line = draw(st.integers(0, len(lines) - 1))
    if how == "cut":
        data = text[:at].encode("utf-8")
    elif how == "insert":
        data = (text[:at] + draw(st.sampled_from(JUNK)) + text[at:]).encode("utf-8")
    elif how == "double":
        data = "".join([*lines[: line + 1], lines[line], *lines[line + 1 :]]).encode("utf-8")
    elif how == "drop":
        data = "".join(lines[:line] + lines[line + 1 :]).encode("utf-8")
    elif how == "bytes":
        junk = draw(st.binary(min_size=1, max_size=4))
        data = text[:at].encode("utf-8") + junk + text[at:].encode("utf-8")
    elif how == "crlf":
        data = text.replace("\n", "\r\n").encode("utf-8")
    else:
        data = b"\xef\xbb\xbf" + text.encode("utf-8")
    label = f"toml: {base} {how} at {at} / line {line}"
    command = draw(commands)
    extra = (*draw(with_out), *(EXTRA_RUN_OPTIONS if command == "run" else ()))
    return Case((command, "scenario.toml", *extra), (("scenario.toml", data),), label)
