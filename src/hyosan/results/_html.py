"""A result as a small HTML card, for :meth:`hyosan.Result._repr_html_` (Jupyter).

The card says where the result came from (scenario, model, engine, runs, seed,
time span and unit, the world in space), then a row per compartment: its final
count (the mean over runs, and the lowest and highest where there are several
runs) and a sparkline of its mean over runs, an inline SVG polyline on at most
:data:`SPARK_POINTS` times. No file, no script, no style sheet: inline styles
only, so the card looks the same wherever the notebook is opened.

Its cost is that of a few means over ``counts`` (runs x times x compartments):
about 0.015 s for 10,000 runs of a six-compartment model on 193 times. No run is
drawn by itself. Every text that comes from the user (the scenario's, model's,
world's and compartments' names, the time unit) goes through
:func:`html.escape`.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import numpy as np

from hyosan._typing import FloatArray

if TYPE_CHECKING:
    from hyosan.results.result import Result

__all__ = ["SPARK_POINTS", "result_html", "sparkline"]

SPARK_POINTS = 120
"""The most times a sparkline is drawn at (evenly spaced indices of the output grid)."""

_WIDTH, _HEIGHT = 120, 22
_HUMAN, _ZOMBIE, _OTHER = "#0072B2", "#D55E00", "#7F7F7F"
"""Blue for humans, vermillion for zombies (as in :mod:`hyosan.viz`'s pictures), grey."""

_CELL = "padding:1px 8px;text-align:{align};white-space:nowrap"


def result_html(result: Result) -> str:
    """The card: a heading, a table of provenance, and a table of compartments."""
    counts = result.counts
    times = result.times
    finals = counts[:, -1, :]
    means = counts.mean(axis=0)  # (times, compartments)
    rows = [
        _compartment_row(result, k, finals[:, k], times, means[:, k])
        for k in range(len(result.compartments))
    ]
    several = result.runs > 1
    head = "final (mean)" if several else "final"
    headers = ["compartment", head, *(["range (min – max)"] if several else []), "over time"]
    header = "".join(
        f'<th style="{_CELL.format(align="left" if i in (0, len(headers) - 1) else "right")}">'
        f"{h}</th>"
        for i, h in enumerate(headers)
    )
    title = html.escape(result.scenario_name or "(unnamed scenario)")
    return (
        '<div class="hyosan-result" style="font-size:0.9em;line-height:1.35">'
        f"<div><strong>hyosan.Result</strong> · <strong>{title}</strong></div>"
        f"{_provenance(result, times)}"
        f'<table style="border-collapse:collapse;margin-top:4px">'
        f"<thead><tr>{header}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        "</div>"
    )


def _provenance(result: Result, times: FloatArray) -> str:
    span = f"{times[0]:g} – {times[-1]:g} {result.time_unit}".rstrip()
    seed = str(result.seed) if result.seed >= 0 else "not an int (a SeedSequence or Generator)"
    items = [
        ("model", str(result._attr("model")) or "defined in the scenario"),
        ("engine", result.engine),
        ("runs", f"{result.runs:,}"),
        ("seed", seed),
        ("time", f"{span}, {times.size:,} point{'s' if times.size > 1 else ''}"),
    ]
    if result.in_space:
        world = str(result._attr("world")) or "a world"
        items.append(("world", f"{world}, {len(result.patches):,} patches"))
    cells = "".join(
        f'<tr><th style="{_CELL.format(align="left")};font-weight:normal;opacity:0.7">'
        f'{name}</th><td style="{_CELL.format(align="left")}">{html.escape(value)}</td></tr>'
        for name, value in items
    )
    return f'<table style="border-collapse:collapse;margin-top:4px">{cells}</table>'


def _compartment_row(
    result: Result, k: int, finals: FloatArray, times: FloatArray, mean: FloatArray
) -> str:
    name = result.compartments[k]
    right, left = _CELL.format(align="right"), _CELL.format(align="left")
    cells = [
        f'<td style="{left}"><code>{html.escape(name)}</code></td>',
        f'<td style="{right}">{_number(float(finals.mean()))}</td>',
    ]
    if finals.size > 1:
        low, high = _number(float(finals.min())), _number(float(finals.max()))
        cells.append(f'<td style="{right}">{low} – {high}</td>')
    peak = int(np.argmax(mean))
    over = f"mean over {result.runs:,} runs" if result.runs > 1 else "one run"
    if mean[peak] > 0:
        when = f"{float(times[peak]):g} {result.time_unit}".rstrip()
        label = f"{name}, {over}: highest {_number(float(mean[peak]))} at {when}"
    else:
        label = f"{name}, {over}: zero throughout"
    picked = np.unique(np.linspace(0, mean.size - 1, min(mean.size, SPARK_POINTS)).round())
    line = sparkline(mean[picked.astype(np.intp)], _colour(result, name), label)
    cells.append(f'<td style="{left}">{line}</td>')
    return f"<tr>{''.join(cells)}</tr>"


def sparkline(values: FloatArray, colour: str, label: str) -> str:
    """``values`` as an inline SVG polyline, scaled to its own highest value (0 at the bottom).

    ``label`` (escaped here) is its accessible name and tooltip.
    """
    y = np.nan_to_num(np.asarray(values, dtype=np.float64), nan=0.0, posinf=0.0, neginf=0.0)
    if y.size == 1:
        y = np.repeat(y, 2)  # one time: a level line
    top = float(y.max()) if y.size and y.max() > 0 else 1.0
    x = np.linspace(1.0, _WIDTH - 1.0, y.size)
    ys = (_HEIGHT - 2) - (_HEIGHT - 4) * y.clip(0.0) / top
    points = " ".join(f"{a:.1f},{b:.1f}" for a, b in zip(x, ys, strict=True))
    text = html.escape(label)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_WIDTH}" height="{_HEIGHT}" '
        f'viewBox="0 0 {_WIDTH} {_HEIGHT}" role="img" aria-label="{text}" '
        f'style="vertical-align:middle"><title>{text}</title>'
        f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="1.5"/></svg>'
    )


def _colour(result: Result, name: str) -> str:
    if name in result.humans:
        return _HUMAN
    if name in result.zombies:
        return _ZOMBIE
    return _OTHER


def _number(x: float) -> str:
    """A count as people read it: ``12,345``, ``612``, ``3.8``, ``0.00012``."""
    if not np.isfinite(x):
        return str(x)
    if abs(x) >= 100 or x == round(x):
        return f"{x:,.0f}"
    return f"{x:.3g}"
