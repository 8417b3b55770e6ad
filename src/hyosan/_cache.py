"""Where hyosan may keep compiled kernels: only in a folder no one else can write.

Compiled kernels are code: hyosan imports the generated kernel modules it
finds in its cache folder, and numba unpickles the index files it finds
beside them. A folder another user could write (one they created first in
the shared temporary directory, a link they planted there, a folder open to
its group) would let them run code as whoever runs hyosan. So a folder is
used only if it is a real folder (not a symbolic link), owned by the current
user, and not writable by its group or others; a folder hyosan creates is
created with mode 0700, and checked again after creation.

The candidates, in order: ``$HYOSAN_CACHE_DIR/kernels`` (else
``$XDG_CACHE_HOME/hyosan/kernels`` or ``~/.cache/hyosan/kernels``), where the
named folder and its ``kernels`` folder must both pass; then
``hyosan-<uid>`` in the system's temporary directory (only that last folder is
created, never through a link). When none passes, nothing is cached:
kernels are compiled in memory at each run, and one line on stderr says so,
once per process. The variables are read at each call, not at import.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from pathlib import Path

__all__ = ["kernel_folder"]

_RULE = "must be a folder of yours, not writable by others"
_said = False  # the notice is printed once per process


def kernel_folder() -> Path | None:
    """The folder for compiled kernels, or ``None`` when no safe one can be had.

    ``None`` comes with one line on stderr (once per process) that names
    each refused candidate and why.
    """
    refusals = []
    for chain in _candidates():
        problem = _claim(chain)
        if problem is None:
            return chain[-1]
        refusals.append(problem)
    _say(
        "hyosan: not caching compiled kernels: "
        + "; ".join(refusals)
        + "; each run compiles them again (set HYOSAN_CACHE_DIR to a private folder)"
    )
    return None


def _candidates() -> list[tuple[Path, ...]]:
    """The candidate folders, each as the chain of folders hyosan creates and checks."""
    chains: list[tuple[Path, ...]] = []
    named = _named_folder()
    if named is not None:
        chains.append((named, named / "kernels"))
    chains.append((Path(tempfile.gettempdir()) / f"hyosan-{os.getuid()}",))
    return chains


def _named_folder() -> Path | None:
    """``$HYOSAN_CACHE_DIR``, else ``hyosan`` in ``$XDG_CACHE_HOME`` or ``~/.cache``."""
    given = os.environ.get("HYOSAN_CACHE_DIR")
    if given:
        return Path(given)
    try:
        return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "hyosan"
    except RuntimeError:  # no home folder known
        return None


def _claim(chain: tuple[Path, ...]) -> str | None:
    """Create the folders of ``chain`` as needed and check each; what is wrong, or ``None``.

    The folders above a named cache folder (a new home's ``.cache``) are
    created with the default mode; in the temporary directory, only the one
    folder is created.
    """
    try:
        if len(chain) > 1:  # a named folder and its kernels, not the temporary one
            chain[0].parent.mkdir(parents=True, exist_ok=True)
        for folder in chain:
            with contextlib.suppress(FileExistsError):
                folder.mkdir(mode=0o700)  # less the umask: never more open than 0700
            problem = _unsafe(folder)
            if problem is not None:
                return problem
        tempfile.TemporaryFile(dir=chain[-1]).close()  # writable, as numba checks
    except OSError as error:
        return f"{chain[-1]} cannot be used ({error.strerror or error})"
    return None


def _unsafe(folder: Path) -> str | None:
    """Why ``folder`` must not hold code hyosan runs, or ``None`` when it may."""
    info = os.lstat(folder)
    if stat.S_ISLNK(info.st_mode):
        return f"{folder} is a symbolic link ({_RULE})"
    if not stat.S_ISDIR(info.st_mode):
        return f"{folder} is not a folder ({_RULE})"
    if info.st_uid != os.getuid():
        return f"{folder} is owned by uid {info.st_uid} ({_RULE})"
    if info.st_mode & 0o022:
        return f"{folder} is writable by others (mode {stat.S_IMODE(info.st_mode):o}; {_RULE})"
    return None


def _say(line: str) -> None:
    """Print ``line`` on stderr, unless a notice was printed already in this process."""
    global _said
    if not _said:
        _said = True
        print(line, file=sys.stderr)
