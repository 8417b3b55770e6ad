"""The result folder written by ``hyosan run --out DIR``, and reading it back.

A result folder holds:

- ``totals.parquet`` (:mod:`hyosan.io.totals`): one row per (run, time),
  columns ``run``, ``time`` and one per compartment, with the provenance
  (scenario, seed, engine, parameter values) as Parquet metadata;
- ``summary.json`` (:mod:`hyosan.io.summary`): :func:`hyosan.results.summarize`
  plus a ``meta`` block with what is needed to rebuild the
  :class:`~hyosan.results.Result`;
- ``scenario.toml``: the resolved scenario, when there is one;
- ``fields.nc`` (:mod:`hyosan.io.fields`): for runs in space, the counts per
  patch over time with the patches' coordinates and the map's projection
  (netCDF-4, CF-1.10, compressed; a raster on ``y``/``x`` for a map or a lattice);
- ``interventions.csv``, ``milestones.csv`` and ``characters.csv`` (see
  :mod:`hyosan.io.tracks`): when each intervention fired and what it changed,
  when each milestone first held, and where each named character was;
- any text files the caller adds (``story.md``).

This module ties them together. Writing is all or nothing: the files are
written into a fresh staging folder beside the target and then moved in one by
one with :func:`os.replace`; if anything fails, the files moved so far are put
back as they were and the staging folder is removed. Other files in the target
folder are never touched, with two exceptions that keep the folder describing
one run only:

- a result file the new result has not (``fields.nc`` after a run in space,
  ``scenario.toml`` when there is none) is removed;
- the pictures ``hyosan plot`` drew from the previous result, the page
  ``hyosan view`` wrote (:data:`PICTURES`) and the ``geotiff/`` folder
  ``hyosan export`` wrote are removed: they showed another run. ``hyosan plot
  DIR``, ``hyosan view DIR`` and ``hyosan export DIR`` make them again.

Both removals are part of the same move: the files removed go to a backup in
the staging folder first and come back if anything fails.

The staging folder is named ``.{name}.{host}.{pid}.{random}.tmp``
(:func:`hyosan._files.staging_folder`); one left behind by a process that was
killed is removed by the next save into the same folder on the same host. A
process killed during the move itself (a few renames) may leave the folder
mixing two results; the next save replaces it whole. Two saves into one folder
at once take turns for the move (:func:`hyosan._files.locked`), so the folder
ends with the complete files of one of them.

Reading refuses a result file that is a link leading out of the folder
(anyone can hand over a folder; its ``totals.parquet`` must not turn
``hyosan plot`` into a reader of ``/etc``). Links that stay inside the
folder are followed.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path

from hyosan._files import locked, remove_abandoned_staging, staging_folder, write_text
from hyosan.errors import InputError
from hyosan.io._errors import FOLDER
from hyosan.io.fields import FIELDS, read_fields, write_fields
from hyosan.io.geotiff import GEOTIFF
from hyosan.io.summary import FORMAT_VERSION, SUMMARY, read_events, read_summary, summary_json
from hyosan.io.totals import TOTALS, read_totals, write_totals
from hyosan.io.tracks import (
    CHARACTERS,
    INTERVENTIONS,
    MILESTONES,
    read_tracks,
    write_characters,
    write_firings,
    write_milestones,
)
from hyosan.results import Result
from hyosan.results.tracks import has_characters, has_firings, has_milestones

__all__ = [
    "FORMAT_VERSION",
    "PAGES",
    "PICTURES",
    "PLOTS",
    "load_result",
    "pictures_in",
    "save_result",
]

SCENARIO = "scenario.toml"
SCENARIO_ATTR = "scenario_toml"

READ = (TOTALS, SUMMARY, SCENARIO, FIELDS, INTERVENTIONS, MILESTONES, CHARACTERS)
"""The files :func:`load_result` reads."""

PLOTS = ("totals.png", "characters.png", "map.png", "spread.gif")
"""The pictures ``hyosan plot`` draws into a result folder (the names :mod:`hyosan.viz`
gives them; a test holds the two together)."""
PAGES = ("view.html",)
"""The page ``hyosan view`` writes into a result folder."""
PICTURES = PLOTS + PAGES
"""What a new result in the folder removes: the pictures and the page of the previous one."""

Writer = Callable[[Path], object]
"""Writes one file of the folder at the path it is given (in the staging folder)."""


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
        The target folder. Files of the same names are replaced, the result files
        this result has not and the pictures of the previous result
        (:data:`PICTURES`) are removed; other files stay.
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
    if not os.fspath(directory):  # Path("") is the current folder: never meant
        raise InputError("an empty path", key="directory", value="", allowed="a folder path")
    target = Path(directory).absolute()
    if target.exists() and not target.is_dir():
        raise InputError(
            "cannot write a result folder over a file",
            source=str(target),
            allowed="a folder path, new or existing",
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    toml_text = scenario_toml if scenario_toml else str(result.dataset.attrs.get(SCENARIO_ATTR, ""))
    writers = _writers(result, toml_text)
    for name, text in (texts or {}).items():
        writers[name] = functools.partial(write_text, text=text)
    remove_abandoned_staging(target)
    wanted = {name: w is not None for name, w in writers.items()}
    for name in (*PICTURES, GEOTIFF):
        wanted.setdefault(name, False)  # drawn from the previous result: they go too
    staging = staging_folder(target)
    try:
        for name, write in writers.items():
            if write is not None:
                write(staging / name)
        _move_in(staging, target, wanted)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _writers(result: Result, toml_text: str) -> dict[str, Writer | None]:
    """The writer of each file of the folder; ``None`` for a file this result has not."""

    def when(present: bool, write: Writer) -> Writer | None:
        return write if present else None

    return {
        TOTALS: lambda path: write_totals(result, path),
        SUMMARY: lambda path: write_text(path, summary_json(result)),
        SCENARIO: when(bool(toml_text), lambda path: write_text(path, toml_text)),
        FIELDS: when(result.in_space, lambda path: write_fields(result, path)),
        INTERVENTIONS: when(has_firings(result), lambda path: write_firings(result, path)),
        MILESTONES: when(has_milestones(result), lambda path: write_milestones(result, path)),
        CHARACTERS: when(has_characters(result), lambda path: write_characters(result, path)),
    }


def load_result(directory: str | os.PathLike[str]) -> Result:
    """Rebuild a :class:`~hyosan.results.Result` from a folder written by :func:`save_result`.

    Raises
    ------
    InputError
        If the folder, ``totals.parquet`` or ``summary.json`` is missing or unreadable,
        or a file of the result is a link leading out of the folder.
    """
    folder = Path(directory)
    if not folder.is_dir():
        raise InputError("no such folder", source=str(folder), allowed=FOLDER)
    _refuse_links_out(folder)
    counts, times, compartments, parameters, units = read_totals(folder / TOTALS)
    meta, per_run = read_summary(folder / SUMMARY)
    if len(per_run) != counts.shape[0]:
        raise InputError(
            f"per_run has {len(per_run)} entries but {TOTALS} has {counts.shape[0]} runs",
            source=str(folder / SUMMARY),
            key="per_run",
            allowed="the summary written with the totals",
        )
    events = read_events(per_run, folder / SUMMARY)
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
            parameters=parameters,
            parameter_units=units,
        )
    except InputError as err:
        raise err.at(str(folder / SUMMARY), "meta") from None
    result.dataset.attrs["hyosan_version"] = str(meta.get("hyosan_version", "unknown"))
    if (folder / FIELDS).is_file():
        result = read_fields(result, folder / FIELDS)
    return read_tracks(
        result,
        folder,
        [str(c) for c in meta.get("characters", [])],
        [str(c) for c in meta.get("survivors", [])],
    )


def pictures_in(directory: str | os.PathLike[str]) -> list[str]:
    """The pictures of :data:`PICTURES` in ``directory`` now: those a save there removes."""
    folder = Path(directory)
    return [name for name in PICTURES if os.path.lexists(folder / name)]


def _refuse_links_out(folder: Path) -> None:
    """Refuse a file of :data:`READ` in ``folder`` that is a link leading out of it.

    Checked once, before anything is read.
    """
    home = folder.resolve()
    for name in READ:
        path = folder / name
        if not path.is_symlink():
            continue
        try:
            there = path.resolve(strict=False)
        except (OSError, RuntimeError):  # a loop of links
            there = Path(os.readlink(path))
        if not there.is_relative_to(home):
            raise InputError(
                "a link to a file outside the folder",
                source=str(path),
                value=str(there),
                allowed="the files `hyosan run --out` wrote",
            )


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
    with locked(target):  # two results moving into one folder take turns
        try:
            for name, present in wanted.items():
                if os.path.lexists(target / name):  # a link counts: moved, never followed
                    os.replace(target / name, backup / name)
                done.append(name)
                if present:
                    os.replace(staging / name, target / name)
        except BaseException:
            for name in reversed(done):
                if os.path.lexists(backup / name):
                    os.replace(backup / name, target / name)
                else:
                    (target / name).unlink(missing_ok=True)
            if created:
                with contextlib.suppress(OSError):  # only if still empty
                    target.rmdir()
            raise
