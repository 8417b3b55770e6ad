"""The result folder written by ``hyosan run --out DIR``, and reading it back.

A result folder holds:

- ``totals.parquet``: one row per (run, time), columns ``run``, ``time`` and one
  per compartment;
- ``summary.json``: :func:`hyosan.results.summarize` plus a ``meta`` block with
  what is needed to rebuild the :class:`~hyosan.results.Result`;
- ``scenario.toml``: the resolved scenario, when there is one;
- ``fields.nc``: for runs in space, the counts per patch over time with the
  patches' coordinates and the map's projection (netCDF-4, compressed);
- ``interventions.csv``, ``milestones.csv`` and ``characters.csv`` (see
  :mod:`hyosan.io.tracks`): when each intervention fired and what it changed,
  when each milestone first held, and where each named character was;
- any text files the caller adds (``story.md``).

Writing is all or nothing: the files are written into a fresh temporary folder
beside the target and then moved in one by one with :func:`os.replace`; if
anything fails, the files moved so far are put back as they were and the
temporary folder is removed. Other files in the target folder are never touched.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from hyosan._typing import FloatArray
from hyosan.errors import InputError
from hyosan.io.tracks import (
    CHARACTERS,
    INTERVENTIONS,
    MILESTONES,
    read_tracks,
    write_characters,
    write_firings,
    write_milestones,
)
from hyosan.results import Result, summarize
from hyosan.results.tracks import has_characters, has_firings, has_milestones

__all__ = ["FORMAT_VERSION", "load_result", "save_result"]

FORMAT_VERSION = 1
"""Version of the folder layout, stored as ``meta.format`` in ``summary.json``."""

TOTALS, SUMMARY, SCENARIO = "totals.parquet", "summary.json", "scenario.toml"
FIELDS = "fields.nc"
_WORLD_ATTRS = (
    "world",
    "world_kind",
    "map",
    "map_cell",
    "grid_rows",
    "grid_cols",
    "crs",
    "cell_m",
    "world_unit",
)
SCENARIO_ATTR = "scenario_toml"
_ALLOWED = "a folder written by `hyosan run --out`"
_META_KEYS = ("scenario_name", "model", "engine", "seed", "time_unit", "humans", "zombies")


def save_result(
    result: Result,
    directory: str | os.PathLike[str],
    *,
    scenario_toml: str | None = None,
    texts: Mapping[str, str] | None = None,
) -> Path:
    """Write ``result`` into ``directory``, creating it if needed, all or nothing.

    Parameters
    ----------
    result
        The result to write.
    directory
        The target folder. Files of the same names are replaced; other files stay.
    scenario_toml
        The resolved scenario as TOML text; by default the one stored in the
        result. ``scenario.toml`` is not written when both are empty, and a
        ``scenario.toml`` left by an earlier result is then removed, so the folder
        never describes a scenario that did not produce it.
    texts
        More text files to write with the result, by name (``{"story.md": ...}``).

    Returns
    -------
    pathlib.Path
        The folder.
    """
    target = Path(directory).absolute()
    if target.exists() and not target.is_dir():
        raise InputError(
            "cannot write a result folder over a file",
            source=str(target),
            allowed="a folder path, new or existing",
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    toml_text = scenario_toml if scenario_toml else str(result.dataset.attrs.get(SCENARIO_ATTR, ""))
    writers: dict[str, Callable[[Path], None] | None] = {
        TOTALS: lambda path: _write_totals(result, path),
        SUMMARY: lambda path: _write_text(path, _summary_json(result) + "\n"),
        SCENARIO: (lambda path: _write_text(path, toml_text)) if toml_text else None,
        FIELDS: (lambda path: _write_fields(result, path)) if result.in_space else None,
        INTERVENTIONS: (lambda path: write_firings(result, path)) if has_firings(result) else None,
        MILESTONES: (lambda path: write_milestones(result, path))
        if has_milestones(result)
        else None,
        CHARACTERS: (lambda path: write_characters(result, path))
        if has_characters(result)
        else None,
    }
    for name, text in (texts or {}).items():
        writers[name] = lambda path, text=text: _write_text(path, text)  # type: ignore[misc]
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        for name, write in writers.items():
            if write is not None:
                write(staging / name)
        _move_in(staging, target, {name: w is not None for name, w in writers.items()})
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def load_result(directory: str | os.PathLike[str]) -> Result:
    """Rebuild a :class:`~hyosan.results.Result` from a folder written by :func:`save_result`.

    Raises
    ------
    InputError
        If the folder, ``totals.parquet`` or ``summary.json`` is missing or unreadable.
    """
    folder = Path(directory)
    if not folder.is_dir():
        raise InputError("no such folder", source=str(folder), allowed=_ALLOWED)
    totals = _read_totals(folder / TOTALS)
    meta, per_run = _read_summary(folder / SUMMARY)
    compartments = [str(c) for c in totals.columns[2:]]
    counts, times = _unstack(totals, folder / TOTALS)
    if len(per_run) != counts.shape[0]:
        raise InputError(
            f"per_run has {len(per_run)} entries but {TOTALS} has {counts.shape[0]} runs",
            source=str(folder / SUMMARY),
            key="per_run",
            allowed="the summary written with the totals",
        )
    events = _events(per_run, folder / SUMMARY)
    toml_path = folder / SCENARIO
    try:
        result = Result.from_arrays(
            counts,
            times,
            compartments,
            events=events,
            engine=str(meta["engine"]),
            seed=meta["seed"],
            scenario_name=str(meta["scenario_name"]),
            model=str(meta["model"]),
            humans=tuple(meta["humans"]),
            zombies=tuple(meta["zombies"]),
            time_unit=str(meta["time_unit"]),
            scenario_toml=toml_path.read_text(encoding="utf-8") if toml_path.is_file() else "",
        )
    except InputError as err:
        raise err.at(str(folder / SUMMARY), "meta") from None
    result.dataset.attrs["hyosan_version"] = str(meta.get("hyosan_version", "unknown"))
    if (folder / FIELDS).is_file():
        result = _read_fields(result, folder / FIELDS)
    return read_tracks(
        result,
        folder,
        [str(c) for c in meta.get("characters", [])],
        [str(c) for c in meta.get("survivors", [])],
    )


# -- writing ------------------------------------------------------------------------


def _write_totals(result: Result, path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pandas(result.totals, preserve_index=False), path)


def _write_fields(result: Result, path: Path) -> None:
    """Counts per patch as compressed netCDF-4, float32 where every count fits exactly."""
    ds = result.dataset
    fields = ds["fields"]
    exact32 = float(np.abs(fields.values).max(initial=0.0)) < 2.0**24 and bool(
        np.all(fields.values == np.round(fields.values))
    )
    keep = [
        c
        for c in ds.coords
        if str(c).startswith(("patch", "edge")) or c in ("run", "time", "compartment")
    ]
    out = xr.Dataset(
        {"fields": fields}, coords={c: ds.coords[c] for c in keep}, attrs=dict(ds.attrs)
    )
    out.attrs["description"] = (
        "hyosan: counts per patch over time (fields[run, time, compartment, patch]); "
        "patch_x, patch_y in the projection named by crs (metres) or the world's plan units"
    )
    encoding = {
        "fields": {"zlib": True, "complevel": 4, "dtype": "float32" if exact32 else "float64"}
    }
    out.to_netcdf(path, engine="h5netcdf", encoding=encoding)


def _read_fields(result: Result, path: Path) -> Result:
    try:
        with xr.open_dataset(path, engine="h5netcdf") as f:
            f.load()
            fields = f["fields"].astype(np.float64)
            coords = {c: f.coords[c] for c in f.coords if str(c).startswith(("patch", "edge"))}
            attrs = {k: f.attrs[k] for k in _WORLD_ATTRS if k in f.attrs}
    except (OSError, ValueError, KeyError) as err:
        raise InputError(f"cannot read the fields ({err})", source=str(path)) from None
    ds = result.dataset.assign_coords(coords)
    if fields.shape[:3] != ds["counts"].shape:
        raise InputError(
            "the fields do not match the totals beside them",
            source=str(path),
            key="fields",
            value=fields.shape,
            allowed=f"(runs, times, compartments) = {ds['counts'].shape} and patches",
        )
    ds["fields"] = (("run", "time", "compartment", "patch"), fields.values)
    ds.attrs.update(attrs)
    return Result(ds)


def _write_text(path: Path, text: str) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write(text)


def _summary_json(result: Result) -> str:
    attrs = result.dataset.attrs
    summary = summarize(result)
    summary["meta"] = {
        "format": FORMAT_VERSION,
        "scenario_name": result.scenario_name,
        "model": str(attrs.get("model", "")),
        "engine": result.engine,
        "seed": result.seed,
        "time_unit": result.time_unit,
        "humans": list(result.humans),
        "zombies": list(result.zombies),
        "compartments": list(result.compartments),
        "characters": [str(c) for c in result.dataset.coords["character"].values]
        if "character" in result.dataset.coords
        else [],
        "survivors": _split(result.dataset.attrs.get("survivors", "")),
        "hyosan_version": str(attrs.get("hyosan_version", "unknown")),
    }
    return json.dumps(summary, indent=2, allow_nan=False)


def _move_in(staging: Path, target: Path, wanted: dict[str, bool]) -> None:
    """Move the staged files into ``target``; on failure, put everything back as it was.

    ``wanted`` maps each file name to whether it is part of the new result; a
    name that is not is removed from ``target`` (it belongs to an older result).
    """
    created = not target.exists()
    target.mkdir(exist_ok=True)
    backup = staging / ".previous"
    backup.mkdir()
    done: list[str] = []
    try:
        for name, present in wanted.items():
            if (target / name).exists():
                os.replace(target / name, backup / name)
            done.append(name)
            if present:
                os.replace(staging / name, target / name)
    except BaseException:
        for name in reversed(done):
            if (backup / name).exists():
                os.replace(backup / name, target / name)
            else:
                (target / name).unlink(missing_ok=True)
        if created:
            with contextlib.suppress(OSError):  # only if still empty
                target.rmdir()
        raise


# -- reading ------------------------------------------------------------------------


def _read_summary(path: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    if not path.is_file():
        raise InputError(f"no {SUMMARY} here", source=str(path.parent), allowed=_ALLOWED)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InputError(
            f"cannot read this file as JSON ({err})",
            source=str(path),
            allowed=f"the {SUMMARY} written with the totals",
        ) from None
    meta = data.get("meta") if isinstance(data, dict) else None
    per_run = data.get("per_run") if isinstance(data, dict) else None
    if not isinstance(meta, dict):
        raise InputError(
            "no meta block",
            source=str(path),
            key="meta",
            allowed=f"the {SUMMARY} written by `hyosan run --out`",
        )
    missing = [k for k in _META_KEYS if k not in meta]
    if missing:
        raise InputError(
            "missing key",
            source=str(path),
            key=f"meta.{missing[0]}",
            allowed=f"the {SUMMARY} written by `hyosan run --out`",
        )
    for role in ("humans", "zombies"):
        names = meta[role]
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise InputError(
                "expected a list of compartment names",
                source=str(path),
                key=f"meta.{role}",
                value=names,
                allowed='e.g. ["S", "E"]',
            )
    if not isinstance(per_run, list) or not all(isinstance(e, dict) for e in per_run):
        raise InputError(
            "no per_run list",
            source=str(path),
            key="per_run",
            allowed="a list with one entry per run",
        )
    return meta, per_run


def _read_totals(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise InputError(f"no {TOTALS} here", source=str(path.parent), allowed=_ALLOWED)
    import pyarrow.parquet as pq

    try:
        frame = pq.read_table(path).to_pandas()
    except Exception as err:  # pyarrow raises several types for a damaged file
        raise InputError(
            f"cannot read this file as Parquet ({err})",
            source=str(path),
            allowed=f"the {TOTALS} written by `hyosan run --out`",
        ) from None
    if list(frame.columns[:2]) != ["run", "time"] or frame.shape[1] < 3:
        raise InputError(
            "unexpected columns",
            source=str(path),
            value=list(frame.columns),
            allowed="run, time, then one column per compartment",
        )
    return frame


def _events(per_run: list[dict[str, Any]], path: Path) -> list[int]:
    events = [entry.get("events") for entry in per_run]
    for i, n in enumerate(events):
        if isinstance(n, bool) or not isinstance(n, int):
            raise InputError(
                "the number of events is a whole number",
                source=str(path),
                key=f"per_run[{i}].events",
                value=n,
                allowed="an integer >= 0",
            )
    return [int(n) for n in events]  # type: ignore[arg-type]


def _unstack(frame: pd.DataFrame, path: Path) -> tuple[FloatArray, FloatArray]:
    """Counts of shape ``(runs, times, compartments)`` and the time grid from the table."""
    frame = frame.sort_values(["run", "time"], kind="stable")
    runs = pd.unique(frame["run"])
    n_runs = len(runs)
    n_times = len(frame) // n_runs if n_runs else 0
    times = frame["time"].to_numpy(dtype=np.float64)[:n_times]
    if (
        n_runs == 0
        or n_runs * n_times != len(frame)
        or not np.array_equal(frame["time"].to_numpy(dtype=np.float64), np.tile(times, n_runs))
    ):
        raise InputError(
            "every run must have the same output times",
            source=str(path),
            allowed="one row per (run, time) on a shared time grid",
        )
    counts = frame.iloc[:, 2:].to_numpy(dtype=np.float64).reshape(n_runs, n_times, -1)
    return counts, times


def _split(joined: object) -> list[str]:
    return [part for part in str(joined).split(",") if part]
