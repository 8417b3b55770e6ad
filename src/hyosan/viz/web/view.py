"""``hyosan view DIR``: a finished run as one HTML page that opens from disk, offline.

:func:`write_view` reads a result folder (``hyosan run --out DIR``) and writes
``DIR/view.html``: the map of the run the story tells (:func:`typical_run`)
with a time slider and a Play button, the totals of each group over time
(median over runs and the 10-90% band), readouts of the time shown and of each
group's total then, the named characters' table and ``story.md``. Bokeh's
scripts, the styles and the data are inline (``bokeh.resources.INLINE``):
nothing is fetched, no server runs.

The map sends one byte per place per output time (:func:`colours.encode`),
which Bokeh writes gzip-compressed and base64-encoded: a run of ``usa`` at
10 km (121 times, 79,765 cells) makes a page of about 9 MB. This module
gathers the data (:class:`ViewData`); :mod:`.view_parts` draws it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from hyosan._files import replacing
from hyosan._typing import FloatArray, IntArray
from hyosan.errors import HyosanError
from hyosan.io.output import load_result
from hyosan.io.story import compartment_word, typical_run
from hyosan.results import Result
from hyosan.results.tracks import has_characters, survival
from hyosan.viz._colours import BLUE, GREEN, PURPLE, VERMILLION
from hyosan.viz._space import read_space
from hyosan.viz.web.colours import Roles, encode
from hyosan.viz.web.geometry import MapLayout

__all__ = ["Cast", "Group", "ViewData", "write_view"]

VIEW = "view.html"
"""The page's name in the result folder."""
STORY = "story.md"


@dataclass(frozen=True, slots=True)
class Group:
    """A group of compartments drawn as one series: its name, colour and columns."""

    name: str
    colour: str
    columns: tuple[int, ...]


@dataclass(frozen=True, slots=True, eq=False)
class Cast:
    """The named characters in the run shown (plain text: the page escapes it)."""

    names: tuple[str, ...]
    state: IntArray  # (time, character): index into ``words``
    place: IntArray  # (time, character): index into ``places``, -1 for none
    words: tuple[str, ...]  # a word per compartment ("zombie")
    survived: tuple[str, ...]  # "0.67 ± 0.27" over all runs


@dataclass(frozen=True, slots=True, eq=False)
class ViewData:
    """Everything the page shows, read from a result folder."""

    title: str
    description: str
    note: str  # what was run, which run the map shows
    times: FloatArray
    clocks: tuple[str, ...]  # "t = 12.0 hours" per output time
    time_label: str  # "time (hours)"
    groups: tuple[Group, ...]
    bands: FloatArray  # (group, 3, time): 10%, median, 90% over runs
    totals: FloatArray  # (time, group) in the run shown
    run: int
    layout: MapLayout | None
    frames: np.ndarray | None  # (time, places drawn): uint8 codes, grid patches then sites
    site_people: FloatArray | None  # (2, time, site): humans, zombies at each site
    edges: IntArray | None  # (2, n): doors between sites, as site indices
    places: tuple[str, ...]  # each patch's label
    scale: float
    cast: Cast | None
    story: str  # story.md as HTML, or ""

    @classmethod
    def read(cls, directory: str | os.PathLike[str]) -> ViewData:
        """Read the result folder ``directory``; :class:`InputError` if it is not one."""
        folder = Path(directory)
        result = load_result(folder)
        survivors, description = _scenario_facts(folder, result)
        roles = Roles.of(result.compartments, result.humans, result.zombies, survivors)
        groups = _groups(result, roles)
        run = typical_run(result)
        counts = result.counts
        sums = np.stack([counts[:, :, list(g.columns)].sum(axis=2) for g in groups])
        bands = np.percentile(sums, [10.0, 50.0, 90.0], axis=1).transpose(1, 0, 2)
        unit = _plural(result.time_unit)
        drawn = _map(result, run, roles) if result.in_space else None
        layout, frames, people, edges, scale = drawn or (None, None, None, None, 0.0)
        return cls(
            title=result.scenario_name or folder.name,
            description=description,
            note=_note(result, run, drawn is not None),
            times=result.times,
            clocks=_clocks(result.times, unit),
            time_label=f"time ({unit})" if unit else "time",
            groups=groups,
            bands=bands,
            totals=sums[:, run, :].T,
            run=run,
            layout=layout,
            frames=frames,
            site_people=people,
            edges=edges,
            places=_places(result),
            scale=scale,
            cast=_cast(result, run) if has_characters(result) else None,
            story=_story(folder),
        )


def write_view(
    directory: str | os.PathLike[str], html: str | os.PathLike[str] | None = None
) -> Path:
    """Write the offline page of the result folder ``directory``; return its path.

    Parameters
    ----------
    directory
        A folder written by ``hyosan run --out``.
    html
        Where to write the page; default ``directory/view.html``. Written all or
        nothing (:func:`hyosan._files.replacing`).

    Raises
    ------
    InputError
        If ``directory`` is not a result folder.
    """
    from hyosan.viz.web.view_parts import page_html

    data = ViewData.read(directory)
    text = page_html(data)
    target = Path(html) if html is not None else Path(directory) / VIEW
    with replacing(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return target


def _scenario_facts(folder: Path, result: Result) -> tuple[tuple[str, ...], str]:
    """The model's survivors and the scenario's description, from ``scenario.toml``.

    Without a readable scenario: the survivors the characters were judged by, if
    any, and no description (then no hybrids are told apart).
    """
    try:
        from hyosan.scenario import load_scenario

        scenario = load_scenario(folder / "scenario.toml")
        return tuple(scenario.model.survivors), scenario.description
    except (HyosanError, OSError, ValueError):
        named = str(result.dataset.attrs.get("survivors", "") or "")
        return tuple(c for c in named.split(",") if c), ""


def _groups(result: Result, roles: Roles) -> tuple[Group, ...]:
    """Humans, zombies, hybrids, the dead, and the other compartments together."""
    comps = result.compartments
    named: tuple[tuple[str, str, tuple[int, ...]], ...] = (
        ("humans", BLUE, roles.humans),
        ("zombies", VERMILLION, roles.zombies),
        ("hybrids", PURPLE, roles.hybrids),
        ("dead", "#555555", roles.dead),
    )
    taken = {j for _, _, cols in named for j in cols}
    rest = tuple(j for j in range(len(comps)) if j not in taken)
    if rest:
        named += ((f"others ({', '.join(comps[j] for j in rest)})", GREEN, rest),)
    return tuple(Group(name, colour, cols) for name, colour, cols in named if cols)


def _map(
    result: Result, run: int, roles: Roles
) -> tuple[MapLayout, np.ndarray, FloatArray, IntArray, float]:
    """The layout, the codes per output time, the people at each site and the doors."""
    space = read_space(result, run)
    fields = result.dataset["fields"].isel(run=run)
    first = fields.isel(time=0).sum("compartment").values
    scale = float(np.max(first, initial=0.0))
    layout = MapLayout.of(space, first)
    drawn = np.concatenate([layout.on, layout.sites])
    frames = np.empty((len(result.times), drawn.size), dtype=np.uint8)
    for t in range(len(result.times)):
        X = fields.isel(time=t).transpose("patch", "compartment").values
        frames[t] = encode(X, roles, scale)[drawn]
    people = np.stack([space.humans[:, layout.sites], space.zombies[:, layout.sites]])
    at = np.full(layout.n_patches, -1, dtype=np.int64)
    at[layout.sites] = np.arange(layout.sites.size)
    src, dst = at[space.src], at[space.dst]
    keep = (src >= 0) & (dst >= 0) & (src < dst)
    return layout, frames, people, np.stack([src[keep], dst[keep]]), scale


def _cast(result: Result, run: int) -> Cast:
    """The characters' state and place at each output time of ``run``, and survival."""
    ds = result.dataset
    model = str(ds.attrs.get("model", ""))
    table = survival(result)
    stochastic = result.engine != "ode"
    survived = tuple(
        f"{p:.2f} ± {se:.2f}" if stochastic else f"{p:.2f}"
        for p, se in zip(table["survived"], table["se"], strict=True)
    )
    return Cast(
        names=tuple(str(n) for n in ds["character"].values),
        state=np.asarray(ds["character_state"].values[run].argmax(axis=-1), dtype=np.int64),
        place=np.asarray(ds["character_patch"].values[run], dtype=np.int64),
        words=tuple(compartment_word(model, c) for c in result.compartments),
        survived=survived,
    )


def _places(result: Result) -> tuple[str, ...]:
    """Each patch's label ("Class 2-5"), else its name; none well mixed."""
    ds = result.dataset
    for name in ("patch_label", "patch"):
        if name in ds.variables:
            return tuple(str(p) for p in ds[name].values)
    return ()


def _story(folder: Path) -> str:
    """``story.md`` as HTML (raw HTML in it escaped), or ``""`` without one in the folder."""
    path = folder / STORY
    try:
        if path.is_symlink() and not path.resolve().is_relative_to(folder.resolve()):
            return ""  # a link out of the folder: not ours to show
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError, RuntimeError):
        return ""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable("table").render(text)


def _note(result: Result, run: int, mapped: bool) -> str:
    """``"3 runs with the ssa engine (seed 1); the map and the readouts show run 3, ..."``"""
    runs = result.runs
    what = f"{runs} run{'s' if runs != 1 else ''} with the {result.engine} engine"
    what += f" (seed {result.seed})"
    shown = "the map and the readouts show" if mapped else "the readouts show"
    if runs == 1:
        return f"{what}; {shown} it."
    return f"{what}; {shown} run {run + 1}, the median run by its final count of humans."


def _plural(unit: str) -> str:
    """``"hours"`` for ``"hour"``; ``""`` stays ``""``."""
    return unit if not unit or unit.endswith("s") else f"{unit}s"


def _clocks(times: FloatArray, unit: str) -> tuple[str, ...]:
    """``"t = 12.0 hours"`` for each time, with the decimals the time step needs (1 to 3)."""
    decimals = 1
    while decimals < 3 and np.any(np.abs(times - np.round(times, decimals)) > 1e-9):
        decimals += 1
    tail = f" {unit}" if unit else ""
    return tuple(f"t = {t:,.{decimals}f}{tail}" for t in times)
