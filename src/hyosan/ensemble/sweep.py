"""Parameter sweeps: an ensemble at every point of a grid over scenario keys.

An :class:`Axis` names a key of the scenario's TOML table by its dotted path
(``"parameters.beta_h"``, ``"world.seed[0].count"``, ``"interventions[1].at"``,
``"runs"``) and the values it takes. A grid point is the scenario with those
keys set by :func:`hyosan.scenario.set_keys`, so every value meets the checks
a scenario file meets. :func:`sweep` runs an ensemble at each point of the
full factorial grid and summarises it by :class:`~hyosan.ensemble.outcomes.Outcome`
means with standard errors; :func:`hyosan.io.write_sweep` writes the table.

Grid point ``k`` (row-major order) runs from the ``k``-th child of
``SeedSequence(seed)``, written down as an int in the ``seed`` column: a sweep
is reproducible, and any one point can be rerun alone. With common random
numbers every point runs from the same seed instead: run ``i`` draws the same
random numbers at every point (its engine's, and each intervention's own),
so two points differ only where their keys make them differ, and the
difference between them is measured with less noise.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import pandas as pd

from hyosan._checks import check_whole
from hyosan._seeds import spawn_seeds
from hyosan._typing import SeedLike
from hyosan.ensemble.bar import showing
from hyosan.ensemble.batch import Ensemble, Progress, run_ensembles, shifted
from hyosan.ensemble.chunks import Paths
from hyosan.ensemble.outcomes import OUTCOME_HELP, Outcome, summarize_runs
from hyosan.ensemble.runners import Runner, runner_for
from hyosan.errors import InputError, unknown
from hyosan.interventions import Condition
from hyosan.scenario import Scenario, scenario_to_toml
from hyosan.scenario.edit import KEY_HELP, check_key, parse_key, set_keys

__all__ = [
    "Axis",
    "RowStore",
    "SweepTable",
    "apply_axes",
    "sweep",
    "sweep_from_table",
]


def _bad(problem: str, key: str, value: Any, allowed: str) -> InputError:
    return InputError(problem, key=key, value=value, allowed=allowed)


@dataclass(frozen=True, slots=True)
class Axis:
    """A scenario key (a dotted path into its TOML table) and the values it takes."""

    key: str
    values: tuple[Any, ...]


# -- keys and grid points -------------------------------------------------------------


def _apply(scenario: Scenario, items: Sequence[tuple[int, Axis, Any]]) -> Scenario:
    """``scenario`` with, for each ``(i, axis, value)``, the axis's key set to ``value``."""
    for i, axis, _ in items:
        where = f"sweep.vary[{i}].key"
        try:
            if parse_key(axis.key, where=where)[0] == "seed":
                allowed = "seed= or --seed"
                raise _bad("a sweep gives every grid point its own seed", where, axis.key, allowed)
            check_key(scenario, axis.key)
        except InputError as err:
            raise _bad(err.problem, where, axis.key, err.allowed).at(scenario.source) from None
    try:
        return set_keys(scenario, [(axis.key, value) for _, axis, value in items])
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
    return _apply(scenario, items)


MAX_GRID_POINTS = 10_000
"""The most points a sweep's grid may have: each is an ensemble of its own."""


def _check_axes(axes: Sequence[Axis]) -> None:
    if not axes:
        raise _bad("nothing to vary", "sweep.vary", [], "one or more axes: Axis(key, values)")
    sizes = [len(a.values) if isinstance(a.values, tuple | list) else 1 for a in axes]
    if sum(sizes) > MAX_GRID_POINTS or np.prod(sizes, dtype=float) > MAX_GRID_POINTS:
        allowed = f"at most {MAX_GRID_POINTS:,} points (the product of the axes' lengths)"
        shape = " x ".join(str(n) for n in sizes)
        raise _bad("the grid has too many points", "sweep.vary", shape, allowed)
    for i, axis in enumerate(axes):
        parse_key(axis.key, where=f"sweep.vary[{i}].key")
        vals, at = axis.values, f"sweep.vary[{i}]"
        if not isinstance(vals, tuple | list) or not vals:
            raise _bad("an axis needs values", f"{at}.values", vals, "a list, e.g. [0.01, 0.02]")
        for j, v in enumerate(vals):
            if any(v == w for w in vals[:j]):
                raise _bad("this value is listed twice", f"{at}.values[{j}]", v, "distinct values")
        if any(a.key == axis.key for a in axes[:i]):
            raise _bad("this key is varied twice", f"{at}.key", axis.key, "each key on one axis")


class RowStore(Protocol):
    """Where a sweep keeps each finished grid point's row, so that a stopped sweep can go on."""

    def begin_sweep(self, description: Mapping[str, Any]) -> None:
        """Before any run: store ``description`` (or check that it is the one stored)."""
        ...

    def load_row(self, point: int) -> dict[str, Any] | None: ...

    def save_row(self, point: int, row: Mapping[str, Any]) -> None: ...


def sweep(
    scenario: Scenario,
    axes: Sequence[Axis],
    *,
    outbreak: str | None = None,
    outcomes: Sequence[str] | None = None,
    runs: int | None = None,
    seed: SeedLike = None,
    common_random_numbers: bool = False,
    executor: Executor | None = None,
    client: Any | None = None,
    progress: Progress | bool | None = None,
    compiling: Callable[[str], None] | None = None,
    max_events: int | None = None,
    store: RowStore | None = None,
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
        Outcome names (see :meth:`~hyosan.ensemble.outcomes.Outcome.parse`);
        default P(outbreak) with an ``outbreak``, then humans lost and peak
        zombies where the model names them.
    runs, seed, common_random_numbers
        Runs per point (or the scenario's; an axis ``"runs"`` wins), the sweep's seed,
        and whether every point runs from the same seed (see the module docstring).
    executor, client, progress, compiling, max_events
        As for :func:`~hyosan.simulate`; the runs of all points go out together.
    store
        Where each finished point's row is kept and found again (``--resume``).

    Returns a :class:`pandas.DataFrame`: a row per grid point (each checked before any
    runs), a column per axis key, ``seed``, ``runs``, then those of
    :func:`~hyosan.ensemble.outcomes.summarize_runs`; ``attrs``: ``scenario``, ``seed``,
    ``outbreak``, ``common_random_numbers``, ``labels``.
    """
    base = scenario if runs is None else scenario.replace(runs=runs)
    grid, points = _points(base, axes)
    defs = [_outcomes(p, outcomes, outbreak) for p in points]  # per point: an axis may change it
    recorded, seeds = _point_seeds(seed if seed is not None else scenario.seed, len(points))
    crn = common_random_numbers
    if crn:
        seeds = [seeds[0]] * len(points)
    if store is not None:
        store.begin_sweep(_description(base, axes, recorded, crn, outbreak, defs, max_events))
    grid_points = _Grid([a.key for a in axes], grid, points, seeds, defs)
    with showing(progress, compiling, f"sweep of {scenario.name}") as told:  # (progress, compiling)
        rows = grid_points.run(runner_for(executor, client), store, *told, max_events)
    frame = pd.DataFrame([rows[k] for k in range(len(points))])
    labels = {o.column: o.name for o in defs[0]} if defs else {}
    attrs = {"scenario": scenario.name, "seed": recorded, "outbreak": outbreak or ""}
    frame.attrs.update(attrs, common_random_numbers=crn, labels=labels)
    return frame


@dataclass(frozen=True, slots=True)
class _Grid:
    """A sweep's grid points, each checked, with its seed and outcomes."""

    keys: list[str]
    values: list[tuple[Any, ...]]
    points: list[Scenario]
    seeds: list[int]
    defs: list[list[Outcome]]

    def run(
        self,
        runner: Runner,
        store: RowStore | None,
        progress: Progress | None,
        compiling: Callable[[str], None] | None,
        max_events: int | None,
    ) -> dict[int, dict[str, Any]]:
        """A row per point: the rows ``store`` kept, and those of the points run now,
        all at once on ``runner`` (each saved to ``store`` as it finishes)."""
        n = len(self.points)
        rows = {k: r for k in range(n) if store is not None and (r := store.load_row(k))}
        todo = [k for k in range(n) if k not in rows]
        ensembles: list[Ensemble] = []
        told: set[str] = set()

        def prepared() -> Iterator[Ensemble]:
            """Each point prepared (0.4 s for season2's) as the runner takes it: its
            chunks go out before the next point is prepared."""
            for k in todo:
                ens = Ensemble.prepare(self.points[k], seed=self.seeds[k], max_events=max_events)
                name = ens.resolved.engine
                if compiling is not None and name not in told and ens.needs_compiling():
                    told.add(name)
                    compiling(name)
                ensembles.append(ens)
                yield ens

        def finished(i: int, paths: Paths) -> None:
            k, ens = todo[i], ensembles[i]
            where = dict(zip(self.keys, self.values[k], strict=True))
            summary = summarize_runs(ens.result(paths), self.defs[k])
            rows[k] = where | {"seed": self.seeds[k], "runs": ens.runs} | summary
            if store is not None:
                store.save_row(k, rows[k])

        before = sum(int(rows[k]["runs"]) for k in rows)
        total = sum(Ensemble.check(self.points[k])[1] for k in todo)  # all, before any run
        tell = shifted(progress, before)
        run_ensembles(prepared(), runner, finished, progress=tell, total=total)
        return rows


def _point_seeds(seed: SeedLike, n: int) -> tuple[int, list[int]]:
    """The sweep's recorded seed and grid point ``k``'s seed: its ``k``-th child, as an int."""
    recorded, children = spawn_seeds(seed, n)
    return recorded, [int(c.generate_state(1, np.uint64)[0] >> np.uint64(1)) for c in children]


def _description(
    base: Scenario,
    axes: Sequence[Axis],
    seed: int,
    crn: bool,
    outbreak: str | None,
    defs: list[list[Outcome]],
    max_events: int | None,
) -> dict[str, Any]:
    """What makes a sweep's numbers: a stopped sweep goes on only if this is the same."""
    return {
        "scenario": scenario_to_toml(base),
        "grid": [{"key": a.key, "values": list(a.values)} for a in axes],
        "seed": seed,
        "common_random_numbers": crn,
        "outbreak": outbreak or "",
        "outcomes": [o.name for o in defs[0]] if defs else [],
        "max_events": max_events,
    }


def _points(base: Scenario, axes: Sequence[Axis]) -> tuple[list[tuple[Any, ...]], list[Scenario]]:
    """The grid's values and its scenarios, every value checked before any run."""
    _check_axes(axes)
    for i, axis in enumerate(axes):  # one value at a time, so that errors name it
        for v in axis.values:
            _apply(base, [(i, axis, v)])
    grid = list(itertools.product(*(a.values for a in axes)))
    items = [list(zip(range(len(axes)), axes, vs, strict=True)) for vs in grid]
    return grid, [_apply(base, it) for it in items]


def _outcomes(point: Scenario, names: Sequence[str] | None, outbreak: str | None) -> list[Outcome]:
    m = point.model
    wanted = [("P(outbreak)", outbreak), ("humans lost", m.humans), ("peak zombies", m.zombies)]
    chosen = names if names is not None else [name for name, on in wanted if on]
    names = [i.name for i in point.interventions]
    return [
        Outcome.parse(t, m, outbreak, key=f"sweep.outcomes[{k}]", interventions=names)
        for k, t in enumerate(chosen)
    ]


@dataclass(frozen=True, slots=True)
class SweepTable:
    """A scenario's ``[sweep]`` table, read (see :func:`sweep_from_table`)."""

    axes: tuple[Axis, ...]
    outbreak: str | None = None
    runs: int | None = None
    common_random_numbers: bool = False
    outcomes: tuple[str, ...] | None = None


def sweep_from_table(table: Mapping[str, Any]) -> SweepTable:
    """The grid of a scenario's ``[sweep]`` table::

        [sweep]
        outbreak = "Z >= 10"          # optional: what counts as an outbreak
        runs = 40                     # optional: runs per grid point (default: the scenario's)
        common_random_numbers = true  # optional: every point from the same seed
        outcomes = ["P(outbreak)", "final H + Hc"]  # optional: what each point reports
        [[sweep.vary]]                # one or more axes
        key = "parameters.beta_h"     # a dotted key of the scenario's table
        values = [0.005, 0.01, 0.02]

    Raises :class:`InputError` keyed ``sweep``, ``sweep.outbreak``,
    ``sweep.vary[i].key`` ... for a table of the wrong shape; whether each key
    has a place in the scenario is checked by :func:`sweep`.
    """
    if not isinstance(table, Mapping):
        raise _bad("[sweep] must be a table", "sweep", table, "a [sweep] table")
    _only(table, ("outbreak", "vary", "runs", "common_random_numbers", "outcomes"), "sweep")
    runs = table.get("runs")
    if runs is not None:
        check_whole(runs, key="sweep.runs", low=1, problem="runs per grid point is a whole number")
    crn = table.get("common_random_numbers", False)
    if not isinstance(crn, bool):
        raise _bad(
            "true or false is needed here", "sweep.common_random_numbers", crn, "true, false"
        )
    outbreak = table.get("outbreak")
    if outbreak is not None:
        if not isinstance(outbreak, str):
            raise _bad("must be text", "sweep.outbreak", outbreak, 'a condition like "Z >= 10"')
        Condition.parse(outbreak, key="sweep.outbreak")
    outcomes = table.get("outcomes")
    if outcomes is not None:
        outcomes = _need(table, "outcomes", list, "sweep", f"a list of {OUTCOME_HELP}")
        for k, text in enumerate(outcomes):
            if not isinstance(text, str):
                raise _bad("must be text", f"sweep.outcomes[{k}]", text, OUTCOME_HELP)
    vary = _need(table, "vary", list, "sweep", "[[sweep.vary]] tables with key and values")
    axes = []
    for i, entry in enumerate(vary):
        at = f"sweep.vary[{i}]"
        if not isinstance(entry, Mapping):
            raise _bad("must be a table", at, entry, "a table with key and values")
        _only(entry, ("key", "values"), at)
        key = _need(entry, "key", str, at, KEY_HELP)
        values = _need(entry, "values", list, at, "a list of values, e.g. [0.01, 0.02]")
        axes.append(Axis(key, tuple(values)))
    _check_axes(axes)
    return SweepTable(tuple(axes), outbreak, runs, crn, tuple(outcomes) if outcomes else None)


def _only(table: Mapping[str, Any], keys: tuple[str, ...], at: str) -> None:
    for k in table:
        if k not in keys:
            raise unknown("key", k, keys, key=f"{at}.{k}")


def _need(table: Mapping[str, Any], key: str, kind: type, at: str, allowed: str) -> Any:
    """``table[key]``: present, of type ``kind``, not empty."""
    if key not in table:
        raise InputError("missing key", key=f"{at}.{key}", allowed=allowed)
    if not isinstance(table[key], kind) or not table[key]:
        what = "a non-empty list" if kind is list else "text"
        raise _bad(f"must be {what}", f"{at}.{key}", table[key], allowed)
    return table[key]
