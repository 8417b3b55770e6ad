"""The one way hyosan writes a file: all or nothing, through a fresh temporary file beside it.

:func:`replacing` hands out a new file in the target's folder, created
exclusively by :func:`tempfile.mkstemp` (never through a link another user
planted; readable by others, as the user's umask allows, only once it is
written), and moves it onto the target with
:func:`os.replace` once the writer is done; if the writer fails, the
temporary file is removed and the target is left as it was. The temporary
name starts with a dot and keeps the target's suffix, so that writers that
pick a format by the suffix (matplotlib, Pillow) still do.

A folder of files written together (a result folder) is written into a staging
folder beside it first (:func:`staging_folder`), named
``.{name}.{host}.{pid}.{random}.tmp`` so that one left behind by a process that
was killed (``kill -9``, a power cut) can be told from one still in use:
:func:`remove_abandoned_staging` removes those of this host whose process is
gone, and never those of a live process or of another host.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = [
    "locked",
    "remove_abandoned_staging",
    "replacing",
    "staging_folder",
    "write_bytes",
    "write_text",
]


def _mode() -> int:
    """The mode ``open`` gives a new file now: 0666 less the umask in force (``mkstemp``
    gives 0600). The umask is read by setting it, for an instant, to the strictest 077."""
    mask = os.umask(0o077)
    os.umask(mask)
    return 0o666 & ~mask


@contextlib.contextmanager
def replacing(path: str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary path to write; on success it replaces ``path``, on failure it is removed.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "note.txt"
    >>> with replacing(target) as tmp:
    ...     _ = tmp.write_text("hello")
    >>> target.read_text(), sorted(p.name for p in target.parent.iterdir())
    ('hello', ['note.txt'])
    """
    target = Path(path)
    fd, name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, _mode())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path``, all or nothing; returns the path."""
    with replacing(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)


def write_text(path: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path``, all or nothing; returns the path."""
    return write_bytes(path, text.encode("utf-8"))


@contextlib.contextmanager
def locked(folder: str | os.PathLike[str]) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` (``flock`` on the folder itself) while inside.

    Two processes that move files into one folder take turns, so the folder
    ends with the files of one of them, not a mix. Where ``flock`` is missing
    (Windows), nothing is locked.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on POSIX
        yield
        return
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def staging_folder(target: str | os.PathLike[str]) -> Path:
    """A new, empty folder beside ``target`` (private to this user) to write its files into
    first: ``.{name}.{host}.{pid}.{random}.tmp``."""
    target = Path(target)
    prefix = f".{target.name}.{_host()}.{os.getpid()}."
    return Path(tempfile.mkdtemp(prefix=prefix, suffix=".tmp", dir=target.parent))


def remove_abandoned_staging(target: str | os.PathLike[str]) -> list[Path]:
    """Remove the staging folders of ``target`` whose process, on this host, is gone.

    Only real folders (not links) named exactly as :func:`staging_folder` names
    them, with this host's name, are looked at; one whose process still runs, or
    might (another user's, or a process id this system cannot check), stays.
    Folders of the older form ``.{name}.{random}.tmp`` (without host and process)
    are left alone: nothing tells whether their writer still runs, maybe on
    another machine sharing the disk. Returns the folders removed.
    """
    target = Path(target)
    pattern = re.compile(
        rf"\.{re.escape(target.name)}\.{re.escape(_host())}\.([0-9]{{1,10}})\.[a-z0-9_]+\.tmp"
    )
    try:
        entries = list(os.scandir(target.parent))
    except OSError:  # no parent yet, or not readable: nothing of ours can be there
        return []
    removed = []
    for entry in entries:
        found = pattern.fullmatch(entry.name)
        if found and entry.is_dir(follow_symlinks=False) and not _alive(int(found[1])):
            shutil.rmtree(entry.path, ignore_errors=True)
            removed.append(Path(entry.path))
    return removed


def _host() -> str:
    """This machine's name as a staging folder carries it: letters, digits and ``-`` only."""
    return re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname())[:40] or "host"


def _alive(pid: int) -> bool:
    """Whether process ``pid`` of this host may still run (``True`` when in doubt)."""
    if pid <= 0 or os.name == "nt":  # 0 names a process group; on Windows os.kill kills
        return True
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):  # PermissionError: it exists, and is another user's
        return True
    return True
