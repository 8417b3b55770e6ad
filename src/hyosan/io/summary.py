"""``summary.json`` in a result folder: the summaries and the ``meta`` block, written and read back.

The file holds :func:`hyosan.results.summarize` of the result plus a ``meta``
block with what :func:`hyosan.io.load_result` needs to rebuild the
:class:`~hyosan.results.Result` that ``totals.parquet`` does not hold: the
model, the humans and the zombies, the characters and their survivor
compartments, and the folder's format version. Reading checks the block and
says, for anything missing or malformed, which key of which file is at fault.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hyosan._checks import check_whole
from hyosan.errors import InputError
from hyosan.io._errors import missing, unreadable
from hyosan.results import Result, summarize

__all__ = ["FORMAT_VERSION", "SUMMARY", "read_events", "read_summary", "summary_json"]

FORMAT_VERSION = 1
"""Version of the folder layout, stored as ``meta.format`` in ``summary.json``."""

SUMMARY = "summary.json"
_META_KEYS = ("scenario_name", "model", "engine", "seed", "time_unit", "humans", "zombies")
_OURS = f"the {SUMMARY} written by `hyosan run --out`"


def summary_json(result: Result) -> str:
    """The text of ``summary.json`` for ``result`` (strict JSON, ending in a newline)."""
    attrs = result.dataset.attrs
    coords = result.dataset.coords
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
        "characters": [str(c) for c in coords["character"].values] if "character" in coords else [],
        "survivors": [part for part in str(attrs.get("survivors", "")).split(",") if part],
        "hyosan_version": str(attrs.get("hyosan_version", "unknown")),
    }
    return json.dumps(summary, indent=2, allow_nan=False) + "\n"


def read_summary(path: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The ``meta`` block and the ``per_run`` list of ``path``, checked."""
    if not path.is_file():
        raise missing(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise unreadable(path, "JSON", err) from None
    meta = data.get("meta") if isinstance(data, dict) else None
    per_run = data.get("per_run") if isinstance(data, dict) else None
    if not isinstance(meta, dict):
        raise _bad(path, "no meta block", "meta")
    absent = [k for k in _META_KEYS if k not in meta]
    if absent:
        raise _bad(path, "missing key", f"meta.{absent[0]}")
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
        raise _bad(path, "no per_run list", "per_run", "a list with one entry per run")
    return meta, per_run


def read_events(per_run: list[dict[str, Any]], path: Path) -> list[int]:
    """The number of events of each run, from ``per_run`` of the summary at ``path``."""
    return [
        check_whole(entry.get("events"), key=f"per_run[{i}].events", source=str(path))
        for i, entry in enumerate(per_run)
    ]


def _bad(path: Path, problem: str, key: str, allowed: str = _OURS) -> InputError:
    return InputError(problem, source=str(path), key=key, allowed=allowed)
