"""Parameter sweeps: an ensemble at every point of a grid over scenario keys.

An :class:`Axis` names a key of the scenario's TOML table by its dotted path
(``"parameters.beta_h"``, ``"world.seed[0].count"``, ``"interventions[1].at"``,
``"runs"``) and the values it takes. A grid point is the scenario written to
its table (:func:`~hyosan.scenario.scenario_to_dict`), keys set, and read back
(:func:`~hyosan.scenario.scenario_from_dict`), so every value meets the
loader's own checks. :func:`sweep` runs an ensemble at each point of the full
factorial grid and summarises it by :class:`Outcome` means with standard
errors; :func:`write_sweep` writes the table and a picture.

Grid point ``k`` (row-major order) runs from the ``k``-th child of
``SeedSequence(seed)``, written down as an int in the ``seed`` column: a sweep
is reproducible, and any one point can be rerun alone.
"""

from __future__ import annotations

import copy
import itertools
import math
import re
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel

from hyosan._seeds import spawn_seeds
from hyosan._typing import FloatArray, SeedLike
from hyosan.ensemble.simulate import simulate
from hyosan.errors import InputError
from hyosan.interventions import Condition
from hyosan.model import Model
from hyosan.results import Result
from hyosan.scenario import Scenario, scenario_from_dict, scenario_to_dict
from hyosan.scenario.schema import ModelSpec, ScenarioSpec

__all__ = [
    "Axis",
    "Outcome",
    "SweepProgress",
    "apply_axes",
    "summarize_runs",
    "sweep",
    "sweep_from_table",
]

SweepProgress = Callable[[float, float], None]
"""Called with (runs done, runs in all); a run under way counts by the time it reached."""

_OPS = {"<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal}
_SEGMENT = re.compile(r"([A-Za-z0-9_-]+)((?:\[\d+\])*)")
_KEY_HELP = 'a dotted key such as "parameters.beta_h", "world.seed[0].count" or "runs"'
_OUTCOME_HELP = '"P(outbreak)", "humans lost", "final X" or "peak X" (X: a compartment, '
_OUTCOME_HELP += '"A + B", "humans" or "zombies")'


def _bad(problem: str, key: str, value: Any, allowed: str) -> InputError:
    return InputError(problem, key=key, value=value, allowed=allowed)


@dataclass(frozen=True, slots=True)
class Axis:
    """A scenario key (a dotted path into its TOML table) and the values it takes."""

    key: str
    values: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Outcome:
    """One number per run, from the totals over time; build one with :meth:`parse`.

    ``kind`` is ``"outbreak"`` (1 if ``condition`` held at some output time,
    t = 0 included, else 0; a peak between output times is not seen),
    ``"lost"`` (the total of ``compartments`` at the start minus at the end),
    ``"final"`` (the total at the end) or ``"peak"`` (its largest value).
    """

    name: str
    column: str
    kind: str
    compartments: tuple[str, ...]
    condition: Condition | None = None

    @property
    def probability(self) -> bool:
        """Whether the per-run numbers are 0 or 1, so that their mean is a probability."""
        return self.kind == "outbreak"

    @classmethod
    def parse(
        cls, text: str, model: Model, outbreak: str | None = None, *, key: str = "outcomes"
    ) -> Outcome:
        """``"P(outbreak)"`` (with ``outbreak``, e.g. ``"Z >= 10"``), ``"humans lost"``,
        ``"final X"`` or ``"peak X"``."""
        words = text.split(maxsplit=1) if isinstance(text, str) else []
        if text == "P(outbreak)":
            if outbreak is None:
                raise _bad("P(outbreak) needs an outbreak", key, text, 'a condition like "Z >= 10"')
            cond = Condition.parse(outbreak, key="sweep.outbreak")
            names = _known(cond.compartments, model, "sweep.outbreak")
            return cls(text, "p_outbreak", "outbreak", names, cond)
        if text == "humans lost":
            if not model.humans:
                raise _bad(f"{model.name} names no humans", key, text, 'e.g. "final S"')
            return cls(text, "humans_lost", "lost", tuple(model.humans))
        if len(words) == 2 and words[0] in ("final", "peak"):
            group = {"humans": model.humans, "zombies": model.zombies}.get(words[1])
            names = _known(group or [c.strip() for c in words[1].split("+")], model, key)
            column = words[0] + "_" + re.sub(r"\W+", "_", words[1])
            return cls(text, column, words[0], names)
        raise _bad("unknown outcome", key, text, _OUTCOME_HELP)

    def per_run(self, result: Result) -> FloatArray:
        """The outcome of each run of ``result``, shape ``(runs,)``."""
        idx = [result.compartments.index(c) for c in self.compartments]
        total = result.counts[:, :, idx].sum(axis=2)
        if self.condition is not None:
            held = _OPS[self.condition.op](total, self.condition.threshold).any(axis=1)
            return np.asarray(held, dtype=np.float64)
        if self.kind == "lost":
            return np.asarray(total[:, 0] - total[:, -1])
        return np.asarray(total[:, -1] if self.kind == "final" else total.max(axis=1))


def _known(names: Sequence[str], model: Model, key: str) -> tuple[str, ...]:
    for c in names:
        if c not in model.compartments:
            raise _bad("unknown compartment", key, c, ", ".join(model.compartments))
    return tuple(names)


def summarize_runs(result: Result, outcomes: Sequence[Outcome]) -> dict[str, float]:
    """Mean and standard error of every outcome over the runs of ``result``.

    The standard error is ``sqrt(p (1 - p) / n)`` for a probability and
    ``sd / sqrt(n)`` (sample sd) for a mean: NaN for one run, 0 for the
    deterministic ODE. At p = 0 or 1 it is 0, yet with no outbreak in n runs
    the probability may still be up to about 3 / n (95%, the "rule of three").
    ``p_outbreak`` is followed by ``outbreaks`` (how many runs had one) and
    ``outbreak_size``: humans lost, over those runs only (NaN when none).
    """
    from hyosan.engines import get_engine

    exact = not get_engine(result.engine).stochastic
    row: dict[str, float] = {}
    for o in outcomes:
        values = o.per_run(result)
        row[o.column], row[f"{o.column}_se"] = _mean_se(values, o.probability, exact)
        if o.kind == "outbreak" and result.humans:
            hit = values > 0.5
            lost = Outcome("humans lost", "", "lost", result.humans).per_run(result)
            row["outbreaks"] = int(hit.sum())
            row["outbreak_size"], row["outbreak_size_se"] = _mean_se(lost[hit], False, exact)
    return row


def _mean_se(values: FloatArray, probability: bool, exact: bool) -> tuple[float, float]:
    n = values.size
    if n == 0:
        return math.nan, math.nan
    mean = float(values.mean())
    if exact:
        return mean, 0.0
    if probability:
        return mean, math.sqrt(mean * (1.0 - mean) / n)
    return mean, float(values.std(ddof=1)) / math.sqrt(n) if n > 1 else math.nan


# -- keys and grid points -------------------------------------------------------------


def _parse_key(key: object, where: str) -> list[str | int]:
    """``"world.seed[0].count"``: ``["world", "seed", 0, "count"]``."""
    parts: list[str | int] = []
    for segment in key.split(".") if isinstance(key, str) else [""]:
        match = _SEGMENT.fullmatch(segment)
        if match is None:
            raise _bad("cannot read this key", where, key, _KEY_HELP)
        parts += [match[1], *(int(i) for i in re.findall(r"\d+", match[2]))]
    if parts[0] == "seed":
        raise _bad("a sweep gives every grid point its own seed", where, key, "seed= or --seed")
    return parts


def _unwrap(tp: Any) -> Any:
    """The type inside ``Annotated[...]`` and ``X | None``."""
    while typing.get_origin(tp) in (typing.Annotated, typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        tp = inner[0] if typing.get_origin(tp) is typing.Annotated or len(inner) == 1 else Any
    return tp


def _is_table(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _path(parts: Sequence[str | int]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts).lstrip(".")


def _locate(data: dict[str, Any], key: str, model: Model, where: str) -> tuple[Any, str | int]:
    """The dict or list that holds ``key`` and the key in it; missing tables are made.

    The keys allowed at each level are the schema's (:mod:`hyosan.scenario.schema`),
    the model's names in ``parameters``, ``initial``, ``movement`` and ``set``,
    and the keys present in any other table.
    """
    params, comps = model.parameter_names, model.compartments
    names = {"parameters": params, "set": params, "initial": comps, "movement": comps}
    parts = _parse_key(key, where)
    node: Any = data
    tp: Any = ScenarioSpec
    for depth, part in enumerate(parts):
        tp, here = _unwrap(tp), _path(parts[:depth]) or "the scenario"
        if isinstance(part, int):
            if not isinstance(node, list) or part >= len(node):
                n = len(node) if isinstance(node, list) else 0
                raise _bad(f"no item [{part}] in {here}", where, key, f"0 to {n - 1}" if n else "")
            tp = typing.get_args(tp)[0] if typing.get_origin(tp) is list else Any
        else:
            if _is_table(tp):
                top = ("seed", "sweep", "initial" if "world" in data else "world")
                known = [k for k in tp.model_fields if depth or k not in top]
            elif typing.get_origin(tp) is dict:  # a free table: any name but the model's
                known = list(names.get(str(parts[depth - 1]), [*node, part]))
            else:
                known = list(node) if isinstance(node, dict) else []
            if part not in known or not isinstance(node, dict):
                hint = f"an index: {here}[0]" if isinstance(node, list) else ", ".join(known)
                raise _bad(f"no key {part!r} in {here}", where, key, hint)
            if _is_table(tp):
                tp = ModelSpec if part == "model" else tp.model_fields[part].annotation
            else:
                tp = typing.get_args(tp)[1] if typing.get_origin(tp) is dict else Any
        if depth < len(parts) - 1:
            if isinstance(node, dict) and part not in node:
                node[part] = [] if typing.get_origin(_unwrap(tp)) is list else {}
            node = node[part]
    return node, parts[-1]


def _apply(
    scenario: Scenario, base: dict[str, Any], items: Sequence[tuple[int, Axis, Any]]
) -> Scenario:
    """``scenario`` with, for each ``(i, axis, value)``, the axis's key set to ``value``."""
    data = copy.deepcopy(base)
    for i, axis, value in items:
        try:
            holder, last = _locate(data, axis.key, scenario.model, f"sweep.vary[{i}].key")
        except InputError as err:
            raise err.at(scenario.source) from None
        holder[last] = copy.deepcopy(value)
    try:
        return scenario_from_dict(data, source=scenario.source, name=scenario.name)
    except InputError as err:
        if len(items) > 1:
            point = ", ".join(f"{a.key} = {v!r}" for _, a, v in items)
            raise err.at(f"{err.source} at the grid point {point}") from None
        i, axis, value = items[0]
        j = next((f"[{j}]" for j, v in enumerate(axis.values) if v == value), "")
        where = f" (at {err.key})" if err.key not in ("", axis.key) else ""
        bad = _bad(
            f"{axis.key} = {value!r}: {err.problem}{where}",
            f"sweep.vary[{i}].values{j}",
            err.value,
            err.allowed,
        )
        raise bad.at(err.source) from None


def apply_axes(scenario: Scenario, axes: Sequence[Axis], values: Sequence[Any]) -> Scenario:
    """``scenario`` with the key of ``axes[i]`` set to ``values[i]``, checked by the loader.

    Raises
    ------
    InputError
        Keyed ``sweep.vary[i].key`` for a key the scenario's table has no place
        for (naming the keys allowed there); for a value the loader refuses,
        ``sweep.vary[i].values[j]`` with one axis, the loader's key with several.

    Examples
    --------
    >>> from hyosan import load_scenario
    >>> s = apply_axes(load_scenario("sir"), [Axis("parameters.beta", (0.5,))], [0.5])
    >>> s.parameters["beta"]
    0.5
    """
    items = list(zip(range(len(axes)), axes, values, strict=True))
    return _apply(scenario, scenario_to_dict(scenario), items)


def _check_axes(axes: Sequence[Axis]) -> None:
    if not axes:
        raise _bad("nothing to vary", "sweep.vary", [], "one or more axes: Axis(key, values)")
    for i, axis in enumerate(axes):
        _parse_key(axis.key, f"sweep.vary[{i}].key")
        vals, at = axis.values, f"sweep.vary[{i}]"
        if not isinstance(vals, tuple | list) or not vals:
            raise _bad("an axis needs values", f"{at}.values", vals, "a list, e.g. [0.01, 0.02]")
        for j, v in enumerate(vals):
            if any(v == w for w in vals[:j]):
                raise _bad("this value is listed twice", f"{at}.values[{j}]", v, "distinct values")
        if any(a.key == axis.key for a in axes[:i]):
            raise _bad("this key is varied twice", f"{at}.key", axis.key, "each key on one axis")


def sweep(
    scenario: Scenario,
    axes: Sequence[Axis],
    *,
    outbreak: str | None = None,
    outcomes: Sequence[str] | None = None,
    runs: int | None = None,
    seed: SeedLike = None,
    executor: Executor | None = None,
    progress: SweepProgress | None = None,
) -> pd.DataFrame:
    """Run an ensemble at every point of the full factorial grid over ``axes``.

    Parameters
    ----------
    scenario
        The base scenario; each axis sets one key of its table.
    axes
        The keys and their values; the first axis varies slowest.
    outbreak
        What counts as an outbreak (``"Z >= 10"``), or None for no P(outbreak).
    outcomes
        Outcome names (see :meth:`Outcome.parse`); default P(outbreak) with an
        ``outbreak``, then humans lost and peak zombies where the model names them.
    runs
        Runs per point; default the scenario's (an axis ``"runs"`` wins).
    seed
        Seed of the whole sweep; default the scenario's, else a fresh one.
    executor, progress
        Passed on to :func:`~hyosan.simulate`; see :data:`SweepProgress`.

    Returns
    -------
    pandas.DataFrame
        A row per grid point: a column per axis key, ``seed``, ``runs``, then
        the columns of :func:`summarize_runs`; ``attrs`` holds ``scenario``,
        ``seed``, ``outbreak`` and ``labels`` (outcome names by column). Every
        point is checked before any runs.
    """
    _check_axes(axes)
    base = scenario if runs is None else scenario.replace(runs=runs)
    table = scenario_to_dict(base)
    for i, axis in enumerate(axes):  # one value at a time, so that errors name it
        for v in axis.values:
            _apply(base, table, [(i, axis, v)])
    grid = list(itertools.product(*(a.values for a in axes)))
    points = [
        _apply(base, table, list(zip(range(len(axes)), axes, vs, strict=True))) for vs in grid
    ]
    m = scenario.model
    wanted = [("P(outbreak)", outbreak), ("humans lost", m.humans), ("peak zombies", m.zombies)]
    names = outcomes if outcomes is not None else [name for name, on in wanted if on]
    defs = [  # per point: an axis may change the model
        [
            Outcome.parse(t, p.model, outbreak, key=f"sweep.outcomes[{k}]")
            for k, t in enumerate(names)
        ]
        for p in points
    ]
    recorded, children = spawn_seeds(seed if seed is not None else scenario.seed, len(points))
    seeds = [int(c.generate_state(1, np.uint64)[0] >> np.uint64(1)) for c in children]
    sizes = [p.runs if p.engine != "ode" else 1 for p in points]
    total, done, rows = float(sum(sizes)), 0.0, []
    for values, point, s, n, outs in zip(grid, points, seeds, sizes, defs, strict=True):
        report = _reporter(progress, done, point.time.end, total)
        result = simulate(point, seed=s, executor=executor, progress=report)
        row = {a.key: v for a, v in zip(axes, values, strict=True)} | {"seed": s, "runs": n}
        rows.append(row | summarize_runs(result, outs))
        done += n
        if progress is not None:
            progress(done, total)
    frame = pd.DataFrame(rows)
    labels = {o.column: o.name for o in defs[0]} if defs else {}
    frame.attrs.update(
        scenario=scenario.name, seed=recorded, outbreak=outbreak or "", labels=labels
    )
    return frame


def _reporter(
    progress: SweepProgress | None, done: float, end: float, total: float
) -> Callable[[int, float, int], None] | None:
    if progress is None:
        return None
    tell = progress
    return lambda run, t, _events: tell(done + run + t / end, total)


def sweep_from_table(table: Mapping[str, Any]) -> tuple[tuple[Axis, ...], str | None]:
    """The axes and the outbreak condition of a scenario's ``[sweep]`` table::

        [sweep]
        outbreak = "Z >= 10"        # optional: what counts as an outbreak
        runs = 40                   # optional: runs per grid point (default: the scenario's)
        [[sweep.vary]]              # one or more axes
        key = "parameters.beta_h"   # a dotted key of the scenario's table
        values = [0.005, 0.01, 0.02]

    Raises :class:`InputError` keyed ``sweep``, ``sweep.outbreak``,
    ``sweep.vary[i].key`` ... for a table of the wrong shape; whether each key
    has a place in the scenario is checked by :func:`sweep`.
    """
    if not isinstance(table, Mapping):
        raise _bad("[sweep] must be a table", "sweep", table, "a [sweep] table")
    _only(table, ("outbreak", "vary", "runs"), "sweep")
    runs = table.get("runs", 1)
    if isinstance(runs, bool) or not isinstance(runs, int) or runs < 1:
        raise _bad("runs per grid point is a whole number >= 1", "sweep.runs", runs, ">= 1")
    outbreak = table.get("outbreak")
    if outbreak is not None:
        if not isinstance(outbreak, str):
            raise _bad("must be text", "sweep.outbreak", outbreak, 'a condition like "Z >= 10"')
        Condition.parse(outbreak, key="sweep.outbreak")
    vary = _need(table, "vary", list, "sweep", "[[sweep.vary]] tables with key and values")
    axes = []
    for i, entry in enumerate(vary):
        at = f"sweep.vary[{i}]"
        if not isinstance(entry, Mapping):
            raise _bad("must be a table", at, entry, "a table with key and values")
        _only(entry, ("key", "values"), at)
        key = _need(entry, "key", str, at, _KEY_HELP)
        values = _need(entry, "values", list, at, "a list of values, e.g. [0.01, 0.02]")
        axes.append(Axis(key, tuple(values)))
    _check_axes(axes)
    return tuple(axes), outbreak


def _only(table: Mapping[str, Any], keys: tuple[str, ...], at: str) -> None:
    for k in table:
        if k not in keys:
            raise _bad("unknown key", f"{at}.{k}", k, ", ".join(keys))


def _need(table: Mapping[str, Any], key: str, kind: type, at: str, allowed: str) -> Any:
    """``table[key]``: present, of type ``kind``, not empty."""
    if key not in table:
        raise InputError("missing key", key=f"{at}.{key}", allowed=allowed)
    if not isinstance(table[key], kind) or not table[key]:
        what = "a non-empty list" if kind is list else "text"
        raise _bad(f"must be {what}", f"{at}.{key}", table[key], allowed)
    return table[key]
