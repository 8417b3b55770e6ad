"""Result folders that cannot be abused: links out of the folder are refused, the pictures
of a previous result go with it, staging folders of killed processes are cleaned up, and
an interrupted save leaves the previous result exactly as it was."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import hyosan.io.output as output
from hyosan._files import _host
from hyosan.errors import InputError
from hyosan.io import load_result, save_result
from hyosan.io.output import PICTURES, PLOTS, READ, pictures_in
from hyosan.results import Result
from hyosan.space import World

from ..results.hall_result import hall_result


def _hall() -> World:
    return World.from_edges("hall", ["lab", "gym", "roof"], [("lab", "gym", 1.0)])


def _spatial() -> Result:
    return hall_result(world=_hall())


def _snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every entry of ``folder``: a file's bytes, or ``-> target`` for a link."""
    return {
        p.name: f"-> {os.readlink(p)}" if p.is_symlink() else p.read_bytes()
        for p in sorted(folder.iterdir())
    }


def _dead_pid() -> int:
    """The id of a process that has ended (and been reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


# -- links out of the folder -------------------------------------------------------------


@pytest.mark.parametrize("name", READ)
def test_a_result_file_linking_out_of_the_folder_is_refused(
    tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each file load_result reads, replaced by a link to a readable file outside the folder,
    is refused before anything is read, naming the file and where the link leads."""
    folder = save_result(_spatial(), tmp_path / "r")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    real = folder / name
    if real.exists():
        os.replace(real, outside / name)  # the same bytes, one link away
    else:
        (outside / name).write_text("secret\n")
    real.symlink_to(outside / name)

    def never(*args: object) -> None:
        raise AssertionError("nothing may be read")

    monkeypatch.setattr(output, "read_totals", never)
    with pytest.raises(InputError) as caught:
        load_result(folder)
    assert str(caught.value) == (
        f"{real}: a link to a file outside the folder (got '{outside / name}'); "
        "allowed: the files `hyosan run --out` wrote"
    )


def test_a_relative_or_dangling_link_out_is_refused_too(tmp_path: Path) -> None:
    """``summary.json -> ../v.txt`` is refused whether ``v.txt`` exists or not."""
    folder = save_result(_spatial(), tmp_path / "r")
    (folder / "summary.json").unlink()
    (folder / "summary.json").symlink_to("../v.txt")
    with pytest.raises(InputError, match="outside the folder"):
        load_result(folder)
    (tmp_path / "v.txt").write_text("{}")
    with pytest.raises(InputError, match=re.escape(f"(got '{tmp_path / 'v.txt'}')")):
        load_result(folder)


def test_links_inside_the_folder_are_followed(tmp_path: Path) -> None:
    """A result file that links to a file inside the folder (or a folder linked as a whole)
    loads as usual."""
    folder = save_result(_spatial(), tmp_path / "r")
    (folder / "kept").mkdir()
    os.replace(folder / "totals.parquet", folder / "kept" / "totals.parquet")
    (folder / "totals.parquet").symlink_to(Path("kept") / "totals.parquet")
    (tmp_path / "alias").symlink_to(folder)
    for where in (folder, tmp_path / "alias"):
        back = load_result(where)
        np.testing.assert_array_equal(back.counts, _spatial().counts)


# -- the pictures of the previous result ---------------------------------------------------


def test_picture_names_are_those_hyosan_plot_draws(tmp_path: Path) -> None:
    """PLOTS names exactly the files the viz writers put into a result folder; PICTURES adds
    the page of hyosan view."""
    from hyosan import simulate
    from hyosan.scenario import load_scenario_text
    from hyosan.viz import save_character_plots, save_map_plots, save_plots

    cast = load_scenario_text(
        'name = "cast"\nmodel = "sir"\nruns = 2\nseed = 4\n[time]\nend = 5.0\npoints = 6\n'
        '[initial]\nS = 20\nI = 2\n[[characters]]\nname = "Ada"\n'
    )
    written = [
        *save_plots(_spatial(), tmp_path),
        *save_map_plots(_spatial(), tmp_path),
        *save_character_plots(simulate(cast), tmp_path),
    ]
    assert sorted(p.name for p in written) == sorted(PLOTS)
    assert (*PLOTS, "view.html") == PICTURES


def test_a_new_result_removes_the_pictures_of_the_previous_one(tmp_path: Path) -> None:
    """Rerunning into a folder that held a plotted run in space removes totals.png, map.png,
    spread.gif and characters.png (they showed the other run) and fields.nc; a planted link
    at a picture's name is removed, not followed; other files stay."""
    folder = save_result(_spatial(), tmp_path / "r")
    for name in (*PICTURES[:3], "view.html"):
        (folder / name).write_bytes(b"old picture")
    (tmp_path / "v.txt").write_text("victim")
    (folder / "spread.gif").symlink_to("../v.txt")
    (folder / "notes.txt").write_text("keep me")
    assert pictures_in(folder) == list(PICTURES)
    save_result(hall_result(), folder)
    assert sorted(p.name for p in folder.iterdir()) == [
        "notes.txt",
        "summary.json",
        "totals.parquet",
    ]
    assert (tmp_path / "v.txt").read_text() == "victim"
    assert pictures_in(folder) == []


def test_pictures_come_back_when_the_save_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pictures are removed as part of the move: if a later step fails, they are back,
    byte for byte."""
    folder = save_result(_spatial(), tmp_path / "r")
    for name in PICTURES:
        (folder / name).write_bytes(name.encode())
    before = _snapshot(folder)
    real_replace = os.replace

    def fails_on_the_last_picture(src: object, dst: object) -> None:
        if Path(str(src)) == folder / PICTURES[-1]:
            raise OSError("device gone")
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(output.os, "replace", fails_on_the_last_picture)
    with pytest.raises(OSError, match="device gone"):
        save_result(hall_result(), folder)
    assert _snapshot(folder) == before
    assert [p.name for p in tmp_path.iterdir()] == ["r"]


def test_an_empty_path_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """save_result(result, "") would write into the current folder: bad input instead."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError, match="an empty path"):
        save_result(hall_result(), "")
    assert list(tmp_path.iterdir()) == []


# -- staging folders -------------------------------------------------------------------------


def test_the_staging_folder_names_the_host_and_the_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The staging folder is ``.{name}.{host}.{pid}.{random}.tmp`` beside the target, the
    host reduced to letters, digits and '-'; it is gone after the save."""
    staged: list[Path] = []
    real = output.staging_folder

    def recording(target: Path) -> Path:
        staged.append(real(target))
        return staged[-1]

    monkeypatch.setattr(output, "staging_folder", recording)
    monkeypatch.setattr("hyosan._files.socket.gethostname", lambda: "lab.hyosan_high")
    save_result(hall_result(), tmp_path / "out")
    (path,) = staged
    assert path.parent == tmp_path
    assert re.fullmatch(rf"\.out\.lab-hyosan-high\.{os.getpid()}\.[a-z0-9_]+\.tmp", path.name)
    assert not path.exists()


def test_staging_folders_of_dead_processes_on_this_host_are_removed(tmp_path: Path) -> None:
    """A save removes the staging folders of the same target left by a process of this host
    that is gone; it keeps those of a live process, of another host, of another target, of
    the old form without a process, and anything that is not a real folder."""
    host, dead = _host(), _dead_pid()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious").write_text("keep")
    names = {
        "dead": f".out.{host}.{dead}.abcd1234.tmp",
        "live": f".out.{host}.{os.getpid()}.abcd1234.tmp",
        "other host": f".out.{host}x.{dead}.abcd1234.tmp",
        "other target": f".out2.{host}.{dead}.abcd1234.tmp",
        "old form": ".out.abcd1234.tmp",
        "group": f".out.{host}.0.abcd1234.tmp",
    }
    for name in names.values():
        (tmp_path / name).mkdir()
        (tmp_path / name / "totals.parquet").write_text("half")
    link = tmp_path / f".out.{host}.{dead}.link5678.tmp"
    link.symlink_to(outside, target_is_directory=True)
    file = tmp_path / f".out.{host}.{dead}.file5678.tmp"
    file.write_text("a file")
    save_result(hall_result(), tmp_path / "out")
    left = {p.name for p in tmp_path.iterdir()}
    assert names["dead"] not in left
    assert left == {"out", "outside", link.name, file.name, *names.values()} - {names["dead"]}
    assert (outside / "precious").read_text() == "keep"


# -- interrupted saves ---------------------------------------------------------------------


def _previous(tmp_path: Path) -> tuple[Path, dict[str, bytes | str]]:
    """A complete result in space with its pictures and a note: what must survive."""
    folder = save_result(_spatial(), tmp_path / "r", texts={"story.md": "old story"})
    for name in PICTURES:
        (folder / name).write_bytes(b"picture " + name.encode())
    (folder / "notes.txt").write_text("mine")
    return folder, _snapshot(folder)


def test_an_interrupt_while_writing_leaves_the_previous_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C while the files are written (in the staging folder): the folder is exactly the
    previous result, and no staging folder is left."""
    folder, before = _previous(tmp_path)

    def interrupted(path: Path, text: str) -> None:
        path.write_text(text[:5])
        raise KeyboardInterrupt

    monkeypatch.setattr(output, "write_text", interrupted)
    with pytest.raises(KeyboardInterrupt):
        save_result(hall_result(runs=3), folder, texts={"story.md": "new story"})
    assert _snapshot(folder) == before
    assert [p.name for p in tmp_path.iterdir()] == ["r"]


@pytest.mark.parametrize("when", [1, 2, 6, 11])
def test_an_interrupt_while_moving_in_leaves_the_previous_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, when: int
) -> None:
    """Ctrl-C at the ``when``-th of the 11 renames of the move (8 files out: totals, summary,
    fields, story and the 4 pictures; 3 in), the last included: everything moved is put
    back, the folder is exactly the previous result, and no staging folder is left."""
    folder, before = _previous(tmp_path)
    real_replace = os.replace
    renames = {"n": 0}

    def interrupted(src: object, dst: object) -> None:
        if folder in (Path(str(src)).parent, Path(str(dst)).parent):  # a rename of the move
            renames["n"] += 1
            if renames["n"] == when:
                raise KeyboardInterrupt
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(output.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        save_result(hall_result(runs=3), folder, texts={"story.md": "new story"})
    monkeypatch.setattr(output.os, "replace", real_replace)
    assert renames["n"] >= when
    assert _snapshot(folder) == before
    assert [p.name for p in tmp_path.iterdir()] == ["r"]
