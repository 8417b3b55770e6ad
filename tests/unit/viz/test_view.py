"""``hyosan view DIR``: one self-contained HTML page of a finished run, its data inline."""

from __future__ import annotations

import base64
import gzip
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from hyosan.cli.main import main
from hyosan.errors import InputError
from hyosan.io.output import PICTURES, load_result, pictures_in
from hyosan.io.story import typical_run
from hyosan.model import builtin_model
from hyosan.viz.web.colours import DEAD, HYBRID, Roles, encode
from hyosan.viz.web.view import write_view

from ..cli.cli_runner import Cli


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(capsys)


@pytest.fixture(scope="module")
def school(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three runs of the school, room by room, with its characters and story."""
    folder = tmp_path_factory.mktemp("view") / "school"
    assert main(["run", "hyosan-school", "--runs", "3", "--seed", "5", "--out", str(folder)]) == 0
    return folder


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four well-mixed runs (no patches, no characters)."""
    folder = tmp_path_factory.mktemp("view") / "sir"
    assert main(["run", "sir", "--runs", "4", "--seed", "2", "--out", str(folder)]) == 0
    return folder


class _Loads(HTMLParser):
    """Every address the page would load: ``src`` of any tag, ``href`` of a ``<link>``."""

    def __init__(self) -> None:
        super().__init__()
        self.loads: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.scripts += tag == "script"
        for name, value in attrs:
            if name == "src" or (tag == "link" and name == "href"):
                self.loads.append(f"<{tag} {name}={value}>")


def _document(page: str) -> Any:
    """The Bokeh document the page embeds, as JSON."""
    (text,) = re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', page, re.S)
    (doc,) = json.loads(text).values()
    return doc


def _named(node: Any, name: str) -> list[Any]:
    """Every value the document gives under ``name`` (a ``[name, value]`` entry of a map)."""
    found = []
    if isinstance(node, list):
        if len(node) == 2 and node[0] == name:
            found.append(node[1])
        for item in node:
            found += _named(item, name)
    elif isinstance(node, dict):
        for value in node.values():
            found += _named(value, name)
    return found


def _array(value: dict[str, Any]) -> np.ndarray:
    """A Bokeh ``ndarray`` of the document: base64, gzip-compressed when it starts so."""
    raw = base64.b64decode(value["array"]["data"])
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    return np.frombuffer(raw, dtype=value["dtype"])


def test_the_page_is_self_contained(school: Path) -> None:
    """Bokeh's scripts and the styles are inline: no tag loads anything (no ``src``, no
    stylesheet link), so the page opens from disk with no network."""
    path = write_view(school)
    assert path == school / "view.html"
    page = path.read_text(encoding="utf-8")
    parser = _Loads()
    parser.feed(page)
    assert parser.loads == []
    assert parser.scripts >= 2  # Bokeh inline, then the document and its embedding
    assert "Bokeh" in page and "cdn.bokeh.org" not in page


def test_the_page_holds_every_frame_of_the_run_the_story_tells(school: Path) -> None:
    """The map's codes of every output time of the typical run are in the page, equal to
    :func:`encode` of the counts in the folder; and so are the story, the characters and
    the time readouts."""
    page = write_view(school).read_text(encoding="utf-8")
    doc = _document(page)
    result = load_result(school)
    run = typical_run(result)
    fields = result.dataset["fields"].isel(run=run).transpose("time", "patch", "compartment")
    X = fields.values
    roles = Roles.of(result.compartments, result.humans, result.zombies, ("S", "H"))
    scale = float(X[0].sum(axis=1).max())
    want = np.stack([encode(x, roles, scale) for x in X])  # a plan: every patch is a site
    (frames,) = _named(doc, "frames")
    assert np.array_equal(_array(frames).reshape(want.shape), want)
    (clocks,) = _named(doc, "clocks")
    assert clocks[0] == "t = 0.00 hours" and clocks[-1] == "t = 24.00 hours"
    assert _named(doc, "names")[0][0] == "Nam On-jo"
    assert "hyosan-school: what happened" in page
    assert _named(doc, "groups")[0] == ["humans", "zombies", "hybrids", "dead", "others (E, Ez)"]


def test_a_well_mixed_result_has_no_map(mixed: Path, tmp_path: Path) -> None:
    """Without patches there is no map (no frames, no image), only the totals and the rest;
    ``html`` puts the page where it says."""
    path = write_view(mixed, tmp_path / "sir.html")
    assert path == tmp_path / "sir.html" and not (mixed / "view.html").exists()
    doc = _document(path.read_text(encoding="utf-8"))
    assert _array(_named(doc, "frames")[0]).size == 0
    assert _named(doc, "image") == [None] and _named(doc, "cast") == [None]
    assert _named(doc, "groups")[0] == ["humans", "zombies", "others (R)"]


def test_the_command_writes_the_page_and_says_where(cli: Cli, school: Path, tmp_path: Path) -> None:
    """``hyosan view DIR --html FILE``: exit 0, the page at FILE, its path and size printed."""
    target = tmp_path / "page.html"
    assert cli("view", school, "--html", target) == 0, cli.err
    assert target.stat().st_size > 100_000
    printed = "".join(cli.out.split())  # the console wraps long paths
    assert str(target) in printed
    assert re.search(r"\(\d+\.\dMB\)", printed)


def test_a_folder_that_is_not_a_result_is_bad_input(cli: Cli, tmp_path: Path) -> None:
    """An empty folder, or none: InputError from :func:`write_view`; exit 2 with one line
    naming the folder from the command; nothing is written."""
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError, match=r"no totals\.parquet"):
        write_view(empty)
    for folder in (empty, tmp_path / "missing"):
        assert cli("view", folder) == 2
        lines = cli.err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("hyosan: error: ")
        assert str(folder) in lines[0]
    assert list(empty.iterdir()) == []


def test_a_failed_write_leaves_the_old_page(
    school: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page is written all or nothing: a write that fails leaves the old page as it was
    and no temporary file beside it."""
    target = tmp_path / "page.html"
    target.write_text("old page")

    def full(self: Path, *args: object, **kwargs: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_text", full)
    with pytest.raises(OSError, match="No space"):
        write_view(school, target)
    monkeypatch.undo()
    assert target.read_text() == "old page"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.html"]


def test_a_new_result_in_the_folder_removes_the_page(school: Path, tmp_path: Path) -> None:
    """The page shows one result: ``view.html`` is one of the pictures a new result removes."""
    assert "view.html" in PICTURES
    folder = tmp_path / "again"
    assert main(["run", "sir", "--t-end", "1", "--out", str(folder)]) == 0
    write_view(folder)
    assert pictures_in(folder) == ["view.html"]
    assert main(["run", "sir", "--t-end", "2", "--out", str(folder)]) == 0
    assert not (folder / "view.html").exists()


@pytest.mark.slow
def test_a_usa_page_at_10_km_stays_under_25_mb(tmp_path: Path) -> None:
    """The US at 10 km (79,765 cells, 121 output times) sends one byte a cell a frame:
    the page stays under 25 MB. The run is cut to 30 days (the frames are as many)."""
    folder = tmp_path / "usa"
    argv = ["run", "usa", "--engine", "tau", "--t-end", "30", "--out", str(folder)]
    assert main(argv) == 0
    path = write_view(folder)
    doc = _document(path.read_text(encoding="utf-8"))
    assert _array(_named(doc, "frames")[0]).size == 121 * 79_765
    assert path.stat().st_size < 25e6


def test_the_page_links_no_file_of_panel(tmp_path: Path) -> None:
    """With Panel imported in the same process (the live page's), the page still loads
    nothing: Panel's models add a script of theirs to Bokeh's resources."""
    import panel  # noqa: F401

    from hyosan.viz.web.view_parts import _inline_only

    assert _inline_only().js_files == [] and _inline_only().css_files == []
    assert _inline_only().clone(components=["bokeh"]).js_files == []
    folder = tmp_path / "sir"
    assert main(["run", "sir", "--runs", "2", "--out", str(folder)]) == 0
    page = write_view(folder).read_text(encoding="utf-8")
    assert "static/extensions" not in page and not re.findall(r"<script[^>]*\bsrc=", page)


def test_aouad_camps_hybrids_and_killed_hybrids_take_their_colours() -> None:
    """With aouad-camp's roles the map counts H, Hc and Hf as hybrids and Dh with the dead:
    a place with only a found-out hybrid is purple, one with only killed hybrids grey."""
    m = builtin_model("aouad-camp")
    roles = Roles.of(m.compartments, m.humans, m.zombies, m.survivors)
    index = {c: i for i, c in enumerate(m.compartments)}
    assert roles.hybrids == (index["H"], index["Hc"], index["Hf"])
    assert roles.dead == (index["D"], index["Dh"])
    X = np.zeros((2, len(m.compartments)))
    X[0, index["Hf"]] = 1.0
    X[1, index["Dh"]] = 2.0
    assert list(encode(X, roles, 10.0)) == [HYBRID, DEAD]
