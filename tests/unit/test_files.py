"""All-or-nothing writes: a failing writer changes nothing and leaves nothing behind."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from hyosan import _files
from hyosan._files import replacing, write_bytes, write_text


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_write_text_and_bytes_write_and_return_the_path(tmp_path: Path) -> None:
    """The target holds exactly what was given (text as UTF-8), and nothing else is left."""
    target = tmp_path / "story.md"
    assert write_text(target, "좀비 z\n") == target
    assert target.read_bytes() == "좀비 z\n".encode()
    assert write_bytes(str(target), b"\x00\xff") == target
    assert target.read_bytes() == b"\x00\xff"
    assert _names(tmp_path) == ["story.md"]


def test_a_failing_writer_leaves_the_target_as_it_was(tmp_path: Path) -> None:
    """The writer raises after writing half: the old file is intact, no temporary file
    remains, and the error comes through unchanged."""
    target = tmp_path / "counts.csv"
    target.write_text("old")

    class Boom(Exception):
        pass

    with pytest.raises(Boom), replacing(target) as tmp:
        tmp.write_text("half of the new")
        raise Boom
    assert target.read_text() == "old"
    assert _names(tmp_path) == ["counts.csv"]


def test_a_failing_writer_creates_no_target(tmp_path: Path) -> None:
    """Where there was no file, a failed write leaves none."""
    target = tmp_path / "new.json"
    with pytest.raises(KeyError), replacing(target) as tmp:
        tmp.write_text("{")
        raise KeyError("x")
    assert _names(tmp_path) == []


def test_a_failing_replace_leaves_the_target_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even when the final move fails (a full disk, a target turned into a folder), the
    temporary file is removed."""
    target = tmp_path / "out.txt"
    target.write_text("old")

    def refuse(src: object, dst: object) -> None:
        raise OSError("no room")

    monkeypatch.setattr(_files.os, "replace", refuse)
    with pytest.raises(OSError, match="no room"):
        write_text(target, "new")
    assert target.read_text() == "old"
    assert _names(tmp_path) == ["out.txt"]


def test_the_temporary_file_is_beside_the_target_with_its_suffix(tmp_path: Path) -> None:
    """The temporary name is hidden (a dot first) and keeps the suffix, in the same folder
    (so that ``os.replace`` never crosses file systems and suffix-driven writers work)."""
    target = tmp_path / "map.png"
    with replacing(target) as tmp:
        assert tmp.parent == tmp_path and tmp.exists()
        assert tmp.name.startswith(".map.") and tmp.suffix == ".png"
        tmp.write_bytes(b"png")
    assert not tmp.exists() and target.read_bytes() == b"png"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_written_file_has_the_mode_open_would_give(tmp_path: Path) -> None:
    """mkstemp makes 0600 files; the written file is 0666 less the umask instead, as a
    plain ``open(path, "w")`` would make it, and it replaces a file of another mode."""
    mask = os.umask(0o022)
    os.umask(mask)
    plain = tmp_path / "plain.txt"
    plain.write_text("x")
    target = tmp_path / "result.txt"
    target.write_text("old")
    target.chmod(0o600)
    write_text(target, "new")
    assert _mode(target) == _mode(plain) == 0o666 & ~mask


def test_the_mode_follows_a_umask_set_after_import(tmp_path: Path) -> None:
    """A program that changes its umask after importing hyosan gets the mode ``open``
    gives under the new umask (private files under 077)."""
    current = os.umask(0o077)
    os.umask(current)
    new = 0o022 if current == 0o077 else 0o077  # not the umask in force before
    old = os.umask(new)
    try:
        target = write_text(tmp_path / "private.txt", "secret")
        plain = tmp_path / "plain.txt"
        plain.write_text("x")
    finally:
        os.umask(old)
    assert _mode(plain) == 0o666 & ~new
    assert _mode(target) == _mode(plain)
