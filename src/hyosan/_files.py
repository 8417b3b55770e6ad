"""The one way hyosan writes a file: all or nothing, through a fresh temporary file beside it.

:func:`replacing` hands out a new file in the target's folder, created
exclusively by :func:`tempfile.mkstemp` (never through a link another user
planted; readable by others, as the user's umask allows, only once it is
written), and moves it onto the target with
:func:`os.replace` once the writer is done; if the writer fails, the
temporary file is removed and the target is left as it was. The temporary
name starts with a dot and keeps the target's suffix, so that writers that
pick a format by the suffix (matplotlib, Pillow) still do.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = ["replacing", "write_bytes", "write_text"]


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
