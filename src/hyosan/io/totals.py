"""``totals.parquet`` in a result folder: the counts as a table, with their provenance.

One row per (run, time): columns ``run``, ``time`` and one per compartment
(:attr:`hyosan.results.Result.totals`). The file's key-value metadata holds,
under the key ``hyosan``, a JSON object with the provenance, so that a reader
with pyarrow alone knows where the numbers came from::

    {"version": "0.4.0", "scenario": "classroom", "seed": 7, "engine": "tau",
     "time_unit": "hour", "parameters": {"beta": 0.5, "zeta": 0.1},
     "parameter_units": {"beta": "1/hour", "zeta": "1/hour"},
     "scenario_toml": "name = \"classroom\"\n..."}

(``version`` is the hyosan that simulated the runs, ``parameters`` the
scenario's resolved parameter values, ``scenario_toml`` the resolved scenario,
which ``hyosan run`` runs again to the same numbers). Each column's field
metadata holds its ``unit`` (``1`` for counts of people and runs, the scenario's
time unit for ``time``) and a ``description``. Read them with pyarrow alone::

    schema = pyarrow.parquet.read_schema("out/totals.parquet")
    json.loads(schema.metadata[b"hyosan"])
    schema.field("time").metadata  # {b"unit": b"hour", b"description": b"..."}

A file written before this metadata existed reads as having no parameters.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from hyosan._checks import check_number
from hyosan._typing import FloatArray
from hyosan.errors import InputError
from hyosan.io._errors import missing, unreadable
from hyosan.results import Result

__all__ = [
    "METADATA_KEY",
    "TOTALS",
    "Totals",
    "provenance",
    "read_totals",
    "write_totals",
]

TOTALS = "totals.parquet"
METADATA_KEY = "hyosan"
"""The Parquet key-value metadata key under which the provenance is stored."""


def provenance(result: Result) -> dict[str, Any]:
    """The JSON object stored under ``hyosan`` in the file's metadata."""
    return {
        "version": str(result.dataset.attrs.get("hyosan_version", "unknown")),
        "scenario": result.scenario_name,
        "seed": result.seed,
        "engine": result.engine,
        "time_unit": result.time_unit,
        "parameters": result.parameters,
        "parameter_units": result.parameter_units,
        "scenario_toml": str(result.dataset.attrs.get("scenario_toml", "")),
    }


def _described(table: Any, result: Result) -> Any:
    """``table`` with a ``unit`` and a ``description`` in each column's field metadata."""
    import pyarrow as pa

    unit = result.time_unit or "1"
    about = {
        "run": ("1", "run of the ensemble (0, 1, ...)"),
        "time": (unit, f"time since the outbreak began, in {unit}s"),
    }
    fields = []
    for field in table.schema:
        u, text = about.get(field.name, ("1", f"people in {field.name}, summed over all places"))
        fields.append(field.with_metadata({b"unit": u.encode(), b"description": text.encode()}))
    return table.cast(pa.schema(fields, metadata=table.schema.metadata))


def write_totals(result: Result, path: Path) -> None:
    """Write ``result.totals`` to ``path`` as Parquet, with :func:`provenance` as metadata."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = _described(pa.Table.from_pandas(result.totals, preserve_index=False), result)
    mine = json.dumps(provenance(result), allow_nan=False).encode("utf-8")
    metadata = {**(table.schema.metadata or {}), METADATA_KEY.encode("utf-8"): mine}
    pq.write_table(table.replace_schema_metadata(metadata), path)


class Totals(NamedTuple):
    """What ``totals.parquet`` holds: counts ``(runs, times, compartments)``, the time
    grid, the compartments, and the parameters' values and units (empty for a file
    written without them)."""

    counts: FloatArray
    times: FloatArray
    compartments: list[str]
    parameters: dict[str, float]
    parameter_units: dict[str, str]


def read_totals(path: Path) -> Totals:
    """The table at ``path`` (see :class:`Totals`)."""
    if not path.is_file():
        raise missing(path)
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except Exception as err:  # pyarrow raises several types for a damaged file
        raise unreadable(path, "Parquet", err) from None
    frame = table.to_pandas()
    if list(frame.columns[:2]) != ["run", "time"] or frame.shape[1] < 3:
        raise InputError(
            "unexpected columns",
            source=str(path),
            value=list(frame.columns),
            allowed="run, time, then one column per compartment",
        )
    counts, times = _unstack(frame, path)
    stored = _provenance((table.schema.metadata or {}).get(METADATA_KEY.encode()), path)
    names = [str(c) for c in frame.columns[2:]]
    return Totals(counts, times, names, _parameters(stored, path), _units(stored))


def _provenance(raw: bytes | None, path: Path) -> Any:
    """The stored provenance, read as JSON (None when there is none)."""
    if raw is None:
        return None
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InputError(
            f"cannot read the provenance as JSON ({err})", source=str(path), key=METADATA_KEY
        ) from None


def _units(stored: Any) -> dict[str, str]:
    """The parameters' units of the stored provenance (empty where it has none)."""
    units = stored.get("parameter_units", {}) if isinstance(stored, dict) else {}
    return {str(k): str(v) for k, v in units.items()} if isinstance(units, dict) else {}


def _parameters(stored: Any, path: Path) -> dict[str, float]:
    """The ``parameters`` of the stored provenance, checked (empty when there is none)."""
    if stored is None:
        return {}
    given = stored.get("parameters", {}) if isinstance(stored, dict) else None
    if not isinstance(given, dict):
        raise InputError(
            "expected an object of parameter values",
            source=str(path),
            key=f"{METADATA_KEY}.parameters",
            value=given,
            allowed='e.g. {"beta": 0.5}',
        )
    return {
        str(name): check_number(
            value, key=f"{METADATA_KEY}.parameters.{name}", low=-math.inf, source=str(path)
        )
        for name, value in given.items()
    }


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
