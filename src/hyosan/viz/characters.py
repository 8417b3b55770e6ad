"""The characters' picture: each one's state over time in one run, and survival across runs.

Left: a strip per character, coloured by the compartment it is in at each
output time, in the run the story follows (the median run). Right: each
character's chance of surviving to the end, with one standard error.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from hyosan.io.story import compartment_word, typical_run
from hyosan.results import Result
from hyosan.results.tracks import has_characters, survival
from hyosan.viz._figures import save_figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["plot_characters", "save_character_plots"]

_COLOURS = {
    "S": "#4c9be8",
    "E": "#f2b134",
    "Ez": "#f28e2b",
    "Z": "#c0392b",
    "H": "#8e44ad",
    "D": "#555555",
    "A": "#2e8b57",
    "Hc": "#c39bd3",  # helped hybrids: a lighter purple
    "Hf": "#4a235a",  # found-out hybrids: a darker one
    "Dh": "#1c1c1c",  # killed hybrids: darker than the dead
}


def plot_characters(result: Result) -> Figure:
    """The figure described in the module docstring."""
    from matplotlib.colors import ListedColormap
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    ds = result.dataset
    names = [str(n) for n in ds["character"].values]
    comps = result.compartments
    run = typical_run(result)
    states = ds["character_state"].values[run]  # (times, K, C)
    where = states.argmax(axis=-1).T  # (K, times)
    spare = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2"]
    colours = [_COLOURS.get(c, spare[i % len(spare)]) for i, c in enumerate(comps)]
    fig = Figure(figsize=(11, 1.2 + 0.55 * len(names)), layout="constrained")
    left, right = fig.subplots(1, 2, width_ratios=[3, 1.3])
    times = result.times
    edges = np.append(times, times[-1] + (times[-1] - times[-2] if len(times) > 1 else 1.0))
    left.pcolormesh(
        edges,
        np.arange(len(names) + 1),
        where,
        cmap=ListedColormap(colours),
        vmin=-0.5,
        vmax=len(comps) - 0.5,
    )
    left.set_yticks(np.arange(len(names)) + 0.5, names)
    left.invert_yaxis()
    left.set_xlabel(f"time ({result.time_unit})" if result.time_unit else "time")
    left.set_title(f"where each character is, run {run + 1} (the median run)")
    if result.engine == "ode":
        left.set_title("most likely state of each character (ODE: shares, not a person)")
    seen = sorted(set(where.ravel().tolist()))
    fig.legend(
        handles=[Patch(color=colours[i], label=_label(result, comps[i])) for i in seen],
        loc="outside lower left",
        ncol=len(seen),
        fontsize="small",
        frameon=False,
    )
    table = survival(result)
    y = np.arange(len(names))
    right.barh(y, table["survived"], xerr=table["se"], color="#4c9be8", capsize=3)
    right.set_yticks(y, [])
    right.invert_yaxis()
    right.set_xlim(0, 1)
    right.set_xlabel("survived (± 1 SE)")
    right.set_title(f"over {result.runs} run{'s' if result.runs > 1 else ''}")
    return fig


def _label(result: Result, compartment: str) -> str:
    """``"Z (zombie)"`` for the series' models, else the compartment's name."""
    word = compartment_word(str(result.dataset.attrs.get("model", "")), compartment)
    return compartment if word == compartment else f"{compartment} ({word})"


def save_character_plots(result: Result, directory: str | os.PathLike[str]) -> list[Path]:
    """Write ``characters.png`` into ``directory`` if the result follows characters."""
    if not has_characters(result):
        return []
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    return [save_figure(plot_characters(result), folder / "characters.png")]
