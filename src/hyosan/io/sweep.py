"""The table of a sweep as files: ``sweep.csv``, and ``sweep.md`` (a table with standard errors).

Its picture, ``sweep.png``, is drawn by :mod:`hyosan.viz.sweep`; the command
line writes all three. See :func:`hyosan.ensemble.sweep.sweep` for the
table's columns.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

import pandas as pd

from hyosan._files import write_text
from hyosan.errors import InputError

__all__ = [
    "cell_text",
    "sweep_columns",
    "sweep_label",
    "sweep_markdown",
    "sweep_title",
    "write_sweep",
]

_LABELS = {"p_outbreak": "P(outbreak)", "outbreak_size": "outbreak size"}


def write_sweep(
    frame: pd.DataFrame, out_dir: str | os.PathLike[str], *, title: str | None = None
) -> tuple[Path, ...]:
    """Write ``sweep.csv`` and ``sweep.md`` into ``out_dir`` (made if need be); return their paths.

    Both are made in memory first, so a table that cannot be written out
    writes nothing; each is then written whole or not at all
    (:func:`hyosan._files.write_text`).
    """
    texts = {
        "sweep.csv": frame.to_csv(index=False),
        "sweep.md": sweep_markdown(frame, title=sweep_title(frame, title)),
    }
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    return tuple(write_text(folder / name, text) for name, text in texts.items())


def sweep_title(frame: pd.DataFrame, title: str | None = None) -> str:
    """``title``, or ``"sweep of NAME"`` with the scenario's name kept in ``attrs``."""
    return title or f"sweep of {frame.attrs.get('scenario') or 'a scenario'}"


def sweep_markdown(frame: pd.DataFrame, *, title: str | None = None) -> str:
    """The table of :func:`sweep` in markdown: a row per grid point, ``mean ± SE`` cells."""
    axes, outcomes = sweep_columns(frame)
    seed = frame.attrs.get("seed")
    common = " Every point ran from one seed (common random numbers)." * bool(
        frame.attrs.get("common_random_numbers")
    )
    lines = [f"# {title}", ""] if title else []
    lines += [
        (f"Seed {seed}.{common} " if seed is not None else "")
        + "Each cell: the mean over the runs of its grid point ± one standard error.",
        "",
        "| " + " | ".join([*axes, "runs", *(sweep_label(frame, c) for c in outcomes)]) + " |",
        "|" + " ---: |" * (len(axes) + 1 + len(outcomes)),
    ]
    for _, row in frame.iterrows():
        cells = [cell_text(row[a]) for a in axes] + [str(int(row["runs"]))]
        for c in outcomes:
            n = f" (n = {int(row['outbreaks'])})" if c == "outbreak_size" else ""
            cells.append(_pm(row[c], row[f"{c}_se"]) + n)
        lines.append("| " + " | ".join(cells) + " |")
    outbreak = frame.attrs.get("outbreak") or "the outbreak condition"
    notes = {
        "p_outbreak": f"fraction of runs in which {outbreak} held at some output time",
        "outbreak_size": "humans lost, over the n runs with an outbreak only",
        "humans_lost": "humans at the start minus humans at the end",
    }
    lines.append("")
    for c in outcomes:
        label = sweep_label(frame, c)
        kind, _, what = label.partition(" ")
        text = {"final": f"{what} at the end", "peak": f"most {what} at one output time"}
        if label.startswith("P(") and label.endswith(")"):
            text[kind] = f"fraction of runs in which {label[2:-1]} held at some output time"
        lines.append(f"- {label}: {notes.get(c) or text.get(kind) or c}")
    return "\n".join(lines) + "\n"


def sweep_columns(frame: pd.DataFrame) -> tuple[list[str], list[str]]:
    """Axis columns (those before ``seed``) and outcome columns (those with an ``_se``)."""
    cols = [str(c) for c in frame.columns]
    if "seed" not in cols or "runs" not in cols:
        raise InputError(
            "not a sweep table", key="columns", value=cols, allowed="the table sweep() returns"
        )
    return cols[: cols.index("seed")], [c for c in cols if f"{c}_se" in cols]


def sweep_label(frame: pd.DataFrame, column: str) -> str:
    """The outcome's name as written (``"peak Z + H"``), kept in ``attrs["labels"]``."""
    named = frame.attrs.get("labels", {}).get(column)
    return str(named or _LABELS.get(column) or column.replace("_", " "))


def cell_text(value: Any) -> str:
    """A grid value as written in a cell: ``0.02``, ``ssa``; a ``|`` escaped for markdown."""
    return (f"{value:g}" if isinstance(value, float) else str(value)).replace("|", "\\|")


def _pm(mean: float, se: float) -> str:
    """``0.420 ± 0.049``: two significant digits of the error, the mean to match."""
    if not math.isfinite(mean):
        return "–"
    if not (math.isfinite(se) and se > 0):
        return f"{mean:.4g}"
    d = max(0, 1 - math.floor(math.log10(se)))
    return f"{mean:.{d}f} ± {se:.{d}f}"
