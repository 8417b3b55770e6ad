"""The parts of an unfinished run or sweep, kept in its out folder so that it can go on.

``hyosan run ... --out DIR`` and ``hyosan sweep ... --out DIR`` keep what they
have finished in ``DIR/.hyosan-parts/`` as it finishes:

- ``manifest.json``, written before any run: what makes the numbers (each
  ensemble's resolved scenario with its seed, the event budget, the chunks;
  for a sweep its base scenario, grid, seed and outcomes);
- ``chunk-E-C.npz``: the count arrays of chunk ``C`` of ensemble ``E``
  (:class:`~hyosan.ensemble.chunks.Paths`), for a run;
- ``point-K.json``: the table row of grid point ``K``, for a sweep.

Every file is written whole or not at all (:mod:`hyosan._files`), so a run
stopped at any moment (``kill -9``, Ctrl-C, a lost machine) leaves finished
parts only. The same command with ``--resume`` runs what is missing, and its
final files equal those of a run never stopped; a ``--resume`` whose scenario,
seed or grid differs from the manifest is refused, naming the difference.
Once the final files are written, the parts are removed.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import shutil
import tomllib
import uuid
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from hyosan._files import write_text
from hyosan.ensemble.batch import Ensemble
from hyosan.ensemble.chunks import Paths
from hyosan.errors import InputError

__all__ = ["PARTS", "Parts"]

PARTS = ".hyosan-parts"
"""The folder of parts inside an out folder."""

MANIFEST = "manifest.json"
VERSION = 1


class Parts:
    """The parts folder of ``out``; open it with :meth:`open`."""

    def __init__(self, out: Path, kind: str) -> None:
        self.out = Path(out)
        self.folder = self.out / PARTS
        self.kind = kind  # "run" or "sweep"
        self.stored: dict[str, Any] | None = self._read_manifest()

    @classmethod
    def open(cls, out: Path, kind: str, *, resume: bool, command: str) -> Parts:
        """The parts of ``out`` for a ``kind`` ("run" or "sweep").

        Without ``resume``, a folder holding an unfinished run is refused (naming
        ``--resume``); with it, a folder holding none is refused.
        """
        parts = cls(out, kind)
        if parts.stored is None and parts.folder.exists():  # a manifest never written
            shutil.rmtree(parts.folder, ignore_errors=True)
        for trash in Path(out).glob(f"{PARTS}.*.trash"):  # parts whose removal was cut short
            shutil.rmtree(trash, ignore_errors=True)
        if parts.stored is not None and parts.stored.get("kind") != kind:
            what = f"an unfinished {parts.stored.get('kind', '?')}, not a {kind}"
            other = parts.stored.get("kind")
            allowed = f"a folder with no unfinished run, or `hyosan {other} ... --resume`"
            raise InputError(
                f"this folder holds {what}", source="--out", value=str(out), allowed=allowed
            )
        if not resume and parts.stored is not None:
            raise InputError(
                f"this folder holds an unfinished {kind} ({parts.finished()} part(s) done): "
                f"add --resume to the same command to finish it, or remove {parts.folder}",
                source="--out",
                value=str(out),
                allowed=f"--resume, or a folder with no unfinished {kind}",
            )
        if resume and parts.stored is None:
            raise InputError(
                f"nothing to resume: {out} holds no unfinished {kind}",
                source="--resume",
                value=str(out),
                allowed=f"the --out folder of a `hyosan {command}` that was stopped",
            )
        return parts

    def stored_seed(self) -> int | None:
        """The seed the stopped run or sweep used (so that ``--resume`` without ``--seed`` goes
        on with it)."""
        if self.stored is None:
            return None
        seed = self.stored.get("seed")
        return int(seed) if isinstance(seed, int) and seed >= 0 else None

    def finished(self) -> int:
        prefix = "chunk-" if self.kind == "run" else "point-"
        return sum(1 for p in self.folder.glob(f"{prefix}*") if not p.name.startswith("."))

    # -- a run: chunks ---------------------------------------------------------------

    def begin(
        self, ensembles: Sequence[Ensemble], proposed: list[list[tuple[int, int]]]
    ) -> list[list[tuple[int, int]]]:
        from hyosan.scenario import scenario_to_toml

        description = {
            "seed": ensembles[0].recorded if len(ensembles) == 1 else None,
            "scenarios": [scenario_to_toml(e.resolved) for e in ensembles],
            "max_events": [e.shared.max_events for e in ensembles],
        }
        self._begin(description, {"chunks": proposed})
        assert self.stored is not None
        return [[(int(a), int(b)) for a, b in c] for c in self.stored["chunks"]]

    def load(self, ensemble: int, chunk: int) -> Paths | None:
        path = self.folder / f"chunk-{ensemble}-{chunk}.npz"
        return Paths.load(path) if path.is_file() else None

    def save(self, ensemble: int, chunk: int, paths: Paths) -> None:
        with self._writing():
            paths.save(self.folder / f"chunk-{ensemble}-{chunk}.npz")

    # -- a sweep: rows -----------------------------------------------------------------

    def begin_sweep(self, description: Mapping[str, Any]) -> None:
        self._begin(dict(description), {})

    def load_row(self, point: int) -> dict[str, Any] | None:
        path = self.folder / f"point-{point}.json"
        if not path.is_file():
            return None
        row = json.loads(path.read_text(encoding="utf-8"))
        return {k: (math.nan if v is None else v) for k, v in row.items()}

    def save_row(self, point: int, row: Mapping[str, Any]) -> None:
        plain = {k: _plain(v) for k, v in row.items()}
        with self._writing():
            write_text(self.folder / f"point-{point}.json", json.dumps(plain, allow_nan=False))

    # -- both ----------------------------------------------------------------------------

    def remove(self) -> None:
        """Once the final files are written: the parts go, all at once (renamed away
        first, so that a process killed while it deletes them leaves them whole or
        gone, never a manifest without its chunks)."""
        trash = self.out / f"{PARTS}.{os.getpid()}.{uuid.uuid4().hex[:8]}.trash"
        try:
            os.rename(self.folder, trash)
        except FileNotFoundError:
            return
        try:
            shutil.rmtree(trash, ignore_errors=True)
        except KeyboardInterrupt:  # Ctrl-C, SIGTERM: finish first (the next signal waits)
            shutil.rmtree(trash, ignore_errors=True)
            raise

    def _begin(self, description: dict[str, Any], extra: dict[str, Any]) -> None:
        if self.stored is not None:
            _check_same(self.stored, description)
            return
        manifest = {"version": VERSION, "kind": self.kind, **description, **extra}
        text = json.dumps(manifest, indent=1)
        with self._writing():
            self.folder.mkdir(parents=True, exist_ok=True)
            write_text(self.folder / MANIFEST, text)
        self.stored = json.loads(text)  # as a resumed run reads it back

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """A part that cannot be written (a full disk, a link to nowhere) is bad input
        on ``--out``, as a result that cannot be written is."""
        try:
            yield
        except OSError as e:
            raise InputError(
                f"cannot write the finished parts: {e.strerror or e}",
                source="--out",
                value=str(self.out),
                allowed="a folder you can write to",
            ) from None

    def _read_manifest(self) -> dict[str, Any] | None:
        path = self.folder / MANIFEST
        if not path.is_file():
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) and data.get("version") == VERSION else None


def _plain(value: Any) -> Any:
    """A value of a table row as JSON keeps it exactly: NaN as null, numpy scalars as Python's."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _check_same(stored: Mapping[str, Any], now: Mapping[str, Any]) -> None:
    """Refuse to go on with other numbers: name the first thing that differs."""
    for key, value in now.items():
        before = stored.get(key)
        if _normal(before) == _normal(value):
            continue
        where, was, is_ = key, before, value
        if key in ("scenario", "scenarios"):
            where, was, is_ = _scenario_difference(before, value, key)
        raise InputError(
            f"the stopped {stored.get('kind')} differs: "
            f"{where} was {_short(was)}, now {_short(is_)}",
            source="--resume",
            value=where,
            allowed="the same scenario, seed, options and grid as the stopped run "
            "(or another --out folder)",
        )


def _normal(value: Any) -> Any:
    return json.loads(json.dumps(value))  # tuples as lists, as the manifest has them


def _scenario_difference(before: Any, now: Any, key: str) -> tuple[str, Any, Any]:
    """The first dotted key at which two scenario TOML texts (or lists of them) differ."""
    if isinstance(before, list) and isinstance(now, list):
        if len(before) != len(now):
            return "the number of ensembles", len(before), len(now)
        for a, b in zip(before, now, strict=True):
            if a != b:
                return _scenario_difference(a, b, "scenario")
    try:
        old, new = tomllib.loads(str(before)), tomllib.loads(str(now))
    except tomllib.TOMLDecodeError:
        return key, "another scenario", "this one"
    return _first_difference(old, new, "")


def _first_difference(old: Any, new: Any, at: str) -> tuple[str, Any, Any]:
    if isinstance(old, dict) and isinstance(new, dict):
        for k in [*old, *(k for k in new if k not in old)]:
            if old.get(k) != new.get(k):
                return _first_difference(old.get(k), new.get(k), f"{at}.{k}" if at else k)
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for i, (a, b) in enumerate(zip(old, new, strict=True)):
            if a != b:
                return _first_difference(a, b, f"{at}[{i}]")
    return at or "the scenario", old, new


def _short(value: Any) -> str:
    text = "nothing" if value is None else repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
