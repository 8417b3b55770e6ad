"""Run one ``hyosan`` command line in-process inside a sandbox, and check the contract.

A sandbox is a fresh temporary folder laid out so that anything written where
it should not be shows::

    TOP/planted.txt, TOP/w1/planted.txt, TOP/w1/w2/planted.txt   sentinels
    TOP/outside/                     a folder outside the case (symlink target)
    TOP/outside-out/                 an empty folder outside (target of a linked --out)
    TOP/w1/w2/case/                  the current folder while hyosan runs

The case folder holds the case's own files (``scenario.toml`` ...) and fixed
traps: an empty folder, an empty and a binary ``.toml``, links to the outside
folder and to a sentinel file, a broken link, a plain file, a folder holding a
previous result, a folder whose result files are links to sentinel files, and
a named pipe (which hyosan must refuse rather than wait on).
``../../..`` from the case still lands inside TOP, so every relative path a
case names stays observable.

Before and after the run the whole of TOP is snapshotted (kind, size, mtime,
content hash, link target of every entry, without following links). The
contract checked by :func:`problems`, from ``../shared/DESIGN.md``:

- the exit status is 0 (done) or 2 (bad input), never 1 or anything else;
- with 2, stderr is exactly one line starting ``hyosan: error:``; a message
  of ours (not one of the parser's usage errors, which end in
  ``see 'hyosan ... --help'``) says what is ``allowed:``;
- no ``Traceback`` anywhere, no warning that a terminal would show;
- with 2 nothing changed anywhere in TOP; with 0 only the ``--out`` folder
  (its resolved path) and the folders created to hold it; a ``run`` that
  exits 0 with ``--out`` leaves a complete result there;
- the case ends within :data:`LIMIT` seconds, and hyosan gives back the
  process's signal handlers and current folder as it found them.

What hyosan prints is captured with :func:`contextlib.redirect_stdout` and
``redirect_stderr``: the rich consoles of :mod:`hyosan.cli.shared`, made at
import, look up ``sys.stdout`` and ``sys.stderr`` each time they print, so they
see the redirection too (a sample in a real process,
``test_endless_files_are_refused_in_a_real_process``, checks the same contract
at the file-descriptor level).

The time limit is enforced by a ``SIGALRM`` watchdog that raises
:class:`CaseTimeout` (a ``BaseException``, so that hyosan's own ``except
Exception`` does not swallow it) in the Python code that is running, and
again every second, since one raised inside a ``__del__`` is dropped. A hang
inside native code (a numba kernel, a blocking system call that retries) does
not return to the interpreter and is not cut short here: pytest's overall
timeout in CI catches that one.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import shutil
import signal
import tempfile
import time
import traceback
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

import pytest

from hyosan.cli.main import main

__all__ = [
    "COMPILING",
    "LIMIT",
    "TALLY",
    "Case",
    "CaseTimeout",
    "Outcome",
    "changes",
    "plant",
    "problems",
    "report",
    "run_case",
    "snapshot",
]

LIMIT = 20.0
COMPILING = 600.0
"""The limit of a case that compiles the kernels on a fresh machine (numba: 10 to 60 s
each); the watchdog must not fire inside numba's compiler, which it can crash."""
"""Seconds a case may take, startup of its kernel included."""

TALLY = pytest.StashKey[list[str]]()
"""Lines for the end of the session's report (``hyosan fuzz: N inputs tried ...``)."""

SENTINEL = b"sentinel: hyosan must never write here\n"
"""The bytes of every planted file."""

HIDDEN_BY_DEFAULT = (DeprecationWarning, PendingDeprecationWarning, ImportWarning, ResourceWarning)
"""Warning classes Python's default filters hide from a command-line user; others are shown."""


@dataclass(frozen=True)
class Case:
    """One command line and the files it needs in the case folder (path -> bytes)."""

    argv: tuple[str, ...]
    files: tuple[tuple[str, bytes], ...] = ()
    label: str = ""

    def describe(self) -> str:
        """The case as a reader would retype it: the files, then the command line."""
        parts = [f"--- {name} ---\n{data.decode('utf-8', 'replace')}" for name, data in self.files]
        parts.append("$ hyosan " + " ".join(repr(a) if not a or " " in a else a for a in self.argv))
        return f"[{self.label}]\n" + "\n".join(parts)


@dataclass
class Outcome:
    """What happened when a case ran."""

    case: Case
    code: int | str
    out: str
    err: str
    seconds: float
    changed: list[str] = field(default_factory=list)
    shown_warnings: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)
    incomplete: str = ""
    limit: float = 20.0


class CaseTimeout(BaseException):
    """Raised by the watchdog in a case that ran past :data:`LIMIT`."""


@contextlib.contextmanager
def watchdog(seconds: float) -> Iterator[None]:
    """Raise :class:`CaseTimeout` in the running Python code after ``seconds``, and again
    every second until the block is left."""

    def expire(_signum: int, _frame: FrameType | None) -> None:
        raise CaseTimeout(f"still running after {seconds:g} s")

    before = signal.signal(signal.SIGALRM, expire)
    # again every second: an exception raised while a __del__ or a garbage-collector
    # callback runs is printed and dropped ("Exception ignored in ..."), not propagated
    signal.setitimer(signal.ITIMER_REAL, seconds, 1.0)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, before)


def plant(top: Path, previous: Path | None) -> Path:
    """Lay out the sandbox under ``top``; return the case folder."""
    case = top / "w1" / "w2" / "case"
    case.mkdir(parents=True)
    for folder in (top, top / "w1", top / "w1" / "w2"):
        (folder / "planted.txt").write_bytes(SENTINEL)
    (top / "outside" / "sub").mkdir(parents=True)
    (top / "outside" / "planted.txt").write_bytes(SENTINEL)
    (top / "outside-out").mkdir()
    (case / "afolder").mkdir()
    (case / "empty.toml").write_bytes(b"")
    (case / "binary.toml").write_bytes(b"\xff\xfe\x00\x80 = \xc3\x28\n")
    (case / "afile.txt").write_bytes(SENTINEL)
    (case / "link-outside").symlink_to(top / "outside", target_is_directory=True)
    (case / "link-planted").symlink_to(top / "planted.txt")
    (case / "broken-link").symlink_to(top / "nowhere")
    os.mkfifo(case / "fifo")  # opening it to read would wait for a writer for ever
    links = case / "prev-links"  # result files that point outside: replacing must not follow them
    links.mkdir()
    for name in ("totals.parquet", "summary.json", "scenario.toml", "story.md"):
        (links / name).symlink_to(top / "planted.txt")
    if previous is not None:
        shutil.copytree(previous, case / "prev", symlinks=True)
    return case


def snapshot(top: Path) -> dict[str, tuple[object, ...]]:
    """Every entry under ``top``, links not followed: kind and what identifies its content."""
    seen: dict[str, tuple[object, ...]] = {}
    stack = [top]
    while stack:
        folder = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                path = Path(entry.path)
                rel = str(path.relative_to(top))
                if entry.is_symlink():
                    seen[rel] = ("link", os.readlink(path))
                elif entry.is_dir(follow_symlinks=False):
                    seen[rel] = ("dir",)
                    stack.append(path)
                else:
                    st = entry.stat(follow_symlinks=False)
                    digest = (
                        hashlib.sha256(path.read_bytes()).hexdigest() if entry.is_file() else ""
                    )
                    seen[rel] = ("file", st.st_size, st.st_mtime_ns, digest)
    return seen


def _out_option(argv: tuple[str, ...]) -> str | None:
    """Where ``argv`` may write: the value of the last ``--out`` (``--out X`` or
    ``--out=X``) or ``--sbml`` (a file), or the folder ``hyosan export DIR`` writes into."""
    found = argv[1] if argv[:1] == ("export",) and len(argv) > 1 else None
    for i, arg in enumerate(argv):
        for option in ("--out", "--sbml"):
            if arg == option and i + 1 < len(argv):
                found = argv[i + 1]
            elif arg.startswith(f"{option}="):
                found = arg.removeprefix(f"{option}=")
    return found


def changes(
    before: dict[str, tuple[object, ...]],
    after: dict[str, tuple[object, ...]],
    top: Path,
    allowed: Path | None,
) -> list[str]:
    """Entries added, removed or changed outside ``allowed`` (a resolved folder) and the
    folders created to hold it."""

    def permitted(rel: str, created: bool) -> bool:
        if allowed is None:
            return False
        path = top / rel
        if path == allowed or allowed in path.parents:
            return True
        return created and path in allowed.parents and after[rel] == ("dir",)

    changed = []
    for rel in sorted(set(before) | set(after)):
        old, new = before.get(rel), after.get(rel)
        if old != new and not permitted(rel, created=old is None):
            what = "created" if old is None else "removed" if new is None else "changed"
            changed.append(f"{what}: {rel}")
    return changed


def run_case(case: Case, previous: Path | None = None, limit: float = LIMIT) -> Outcome:
    """Run ``case`` in a fresh sandbox (``previous``: a result folder copied to ``prev``)
    within ``limit`` seconds (more for a case that compiles kernels: see :data:`COMPILING`)."""
    top = Path(tempfile.mkdtemp(prefix="hyosan-fuzz-")).resolve()
    try:
        return _run_in(case, top, previous, limit)
    finally:
        shutil.rmtree(top, ignore_errors=True)


def _run_in(case: Case, top: Path, previous: Path | None, limit: float) -> Outcome:
    folder = plant(top, previous)
    for name, data in case.files:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    before = snapshot(top)
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    out, err = io.StringIO(), io.StringIO()
    cwd = os.getcwd()
    code: int | str
    started = time.monotonic()
    try:
        os.chdir(folder)
        with (
            warnings.catch_warnings(record=True) as caught,
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
            watchdog(limit),
        ):
            warnings.simplefilter("always")
            code = main(list(case.argv))
    except CaseTimeout as stop:
        code = f"timeout: {stop}"
        caught = []
    except BaseException as escaped:  # main must turn everything into a status
        code = f"main raised {type(escaped).__name__}: {escaped}\n{traceback.format_exc()}"
        caught = []
    finally:
        seconds = time.monotonic() - started
        now = os.getcwd()
        os.chdir(cwd)
    outcome = Outcome(case, code, out.getvalue(), err.getvalue(), seconds, limit=limit)
    outcome.shown_warnings = [
        f"{w.category.__name__}: {w.message} ({w.filename}:{w.lineno})"
        for w in caught
        if not issubclass(w.category, HIDDEN_BY_DEFAULT)
    ]
    if now != str(folder):
        outcome.leaks.append(f"the current folder became {now}")
    for s, handler in handlers.items():
        if signal.getsignal(s) != handler:
            outcome.leaks.append(f"the handler of {signal.Signals(s).name} was not restored")
    out_value = _out_option(case.argv)
    allowed = Path(os.path.realpath(folder / out_value)) if out_value is not None else None
    outcome.changed = changes(before, snapshot(top), top, allowed if code == 0 else None)
    if code == 0 and case.argv[:1] == ("run",) and "--help" not in case.argv and allowed:
        missing = [n for n in ("totals.parquet", "summary.json") if not (allowed / n).is_file()]
        if missing:
            outcome.incomplete = f"{allowed} lacks {', '.join(missing)}"
    return outcome


def problems(outcome: Outcome) -> list[str]:
    """Every way ``outcome`` breaks the command-line contract (empty: none)."""
    found = []
    code = outcome.code
    if code not in (0, 2):
        found.append(f"exit status {code!s} (allowed: 0 done, 2 bad input)")
    if "Traceback" in outcome.out + outcome.err:
        found.append("a traceback was printed")
    if code == 2:
        lines = outcome.err.splitlines()
        if len(lines) != 1 or not lines[0].startswith("hyosan: error:"):
            found.append(f"stderr is not one 'hyosan: error:' line but {len(lines)} line(s)")
        elif not lines[0].rstrip().endswith("--help'") and "; allowed: " not in lines[0]:
            found.append("the message does not say what is allowed")
    if outcome.seconds >= outcome.limit:
        found.append(f"took {outcome.seconds:.1f} s (limit {outcome.limit:g} s)")
    found += [f"wrote outside the --out folder: {c}" for c in outcome.changed]
    found += [f"a terminal would show a warning: {w}" for w in outcome.shown_warnings]
    found += outcome.leaks
    if outcome.incomplete:
        found.append(f"exit 0 but the result is incomplete: {outcome.incomplete}")
    return found


def report(outcome: Outcome, found: list[str]) -> str:
    """A failure message: the problems, the case, and the first lines of what it printed."""
    head = "\n".join(f"  - {p}" for p in found)
    err = "\n".join(outcome.err.splitlines()[:12])
    return (
        f"hyosan broke its command-line contract:\n{head}\n{outcome.case.describe()}\n"
        f"exit status: {outcome.code!s}\n--- stderr (first lines) ---\n{err}"
    )
