"""Tests of the maps of outbreaks in space: what is drawn, the animation, and the errors."""

from __future__ import annotations

import shutil
import types
from collections.abc import Iterator
from pathlib import Path

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.patches import Wedge
from PIL import Image

from hyosan.errors import InputError
from hyosan.results import Result
from hyosan.viz._animation import frame_indices
from hyosan.viz.maps import plot_map, save_animation, save_map_plots

ROWS, COLS, CELL = 20, 30, 10_000.0
SEA = [(r, c) for r in range(3) for c in range(4)] + [(19, 29)]  # cells with no patch
ROOMS = ("2-3", "2-4", "corridor", "stairs", "toilet", "lab", "gym", "roof")


def _spatial(
    fields: np.ndarray, times: np.ndarray, patches: dict[str, np.ndarray], **attrs: object
) -> Result:
    """A result with ``fields`` (run, time, compartment, patch) and the patch coordinates."""
    base = Result.from_arrays(
        fields.sum(axis=3),
        times,
        ("S", "E", "Z", "D"),
        events=[0] * fields.shape[0],
        engine="ssa",
        seed=7,
        scenario_name="test outbreak",
        model="aouad",
        humans=("S", "E"),
        zombies=("Z",),
        time_unit="hour",
    )
    edges = attrs.pop("edges", np.zeros((0, 2), dtype=np.int64))
    ds = base.dataset.assign(fields=(("run", "time", "compartment", "patch"), fields))
    ds = ds.assign_coords(
        patch=patches.pop("patch"), **{k: ("patch", v) for k, v in patches.items()}
    )
    ds = ds.assign_coords(
        edge_src=("edge", np.asarray(edges)[:, 0]), edge_dst=("edge", np.asarray(edges)[:, 1])
    )
    ds.attrs.update(attrs)
    return Result(ds)


def _zombies_at(t: float) -> np.ndarray:
    """Zombies per grid cell at time t: a disc around cell (10, 15) growing by a cell an hour."""
    rr, cc = np.mgrid[0:ROWS, 0:COLS]
    inside = np.hypot(rr - 10, cc - 15) <= t
    return np.where(inside, 1.0 + (rr + cc) % 7, 0.0)


def _raster(runs: int = 2, n_times: int = 25, camp: bool = False) -> Result:
    """A 20 x 30 raster with 13 empty cells, y = -row (north up), zombies spreading; with
    ``camp``, one more patch off the grid (row and column -1) south of it."""
    cells = [(r, c) for r in range(ROWS) for c in range(COLS) if (r, c) not in SEA]
    cells += [(-1, -1)] if camp else []
    row = np.array([r for r, _ in cells], dtype=np.int64)
    col = np.array([c for _, c in cells], dtype=np.int64)
    times = np.linspace(0.0, 24.0, n_times)
    fields = np.zeros((runs, times.size, 4, row.size))
    for k, t in enumerate(times):
        z = _zombies_at(t)[row, col]
        fields[:, k, 0] = np.where(z > 0, 0.0, 50.0 + 30.0 * row)
        fields[:, k, 1] = np.where(z > 0, 2.0, 0.0)
        fields[:, k, 2] = z
    patches = {
        "patch": np.array([f"r{r}c{c}" for r, c in cells]),
        "patch_x": 120_000.0 + np.where(row < 0, 5, col) * CELL,
        "patch_y": 4_000_000.0 - np.where(row < 0, 25, row) * CELL,
        "patch_row": row,
        "patch_col": col,
        "patch_kind": np.array(["cell"] * row.size),
    }
    if camp:
        patches["patch"][-1], patches["patch_kind"][-1] = "camp", "camp"
        fields[:, :, 0, -1] = 40.0
        fields[:, :, 1:, -1] = 0.0
    return _spatial(
        fields, times, patches, world="test-grid", world_kind="raster", map="", map_cell="10km",
        grid_rows=ROWS, grid_cols=COLS, crs="EPSG:5179", cell_m=CELL,
    )  # fmt: skip


def _graph() -> Result:
    """Eight rooms of a school floor joined to a corridor; zombies start in the lab."""
    x = np.array([0.0, 10.0, 10.0, 30.0, 20.0, 0.0, 20.0, 30.0])
    y = np.array([10.0, 10.0, 0.0, 0.0, 10.0, -10.0, -10.0, 10.0])
    times = np.arange(0.0, 6.0)
    fields = np.zeros((1, times.size, 4, 8))
    fields[0, :, 0] = [30, 30, 5, 2, 3, 0, 20, 0]
    fields[0, :, 2, 5] = [4, 6, 8, 10, 10, 10]
    fields[0, 3:, 2, 0] = 12
    fields[0, 3:, 0, 0] = 18
    edges = [(i, 2) for i in (0, 1, 4, 5, 6)] + [(2, 3), (3, 7), (2, 0)]
    patches = {
        "patch": np.array(ROOMS),
        "patch_x": x,
        "patch_y": y,
        "patch_row": np.full(8, -1, dtype=np.int64),
        "patch_col": np.full(8, -1, dtype=np.int64),
        "patch_kind": np.array(["room", "room", "corridor", "stairs"] + ["room"] * 4),
    }
    return _spatial(
        fields, times, patches, edges=np.array(edges), world="school", world_kind="graph", map="",
        map_cell="", grid_rows=0, grid_cols=0, crs="", cell_m=0.0,
    )  # fmt: skip


def _layer(ax: Axes, gid: str) -> AxesImage:
    (image,) = [im for im in ax.images if im.get_gid() == gid]
    return image


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    import matplotlib.pyplot as plt

    yield
    plt.close("all")


def test_raster_layers_sit_on_the_grid() -> None:
    """Both images are rows x cols; zombies are coloured exactly where zombies are; empty
    cells are clear; the time label names the nearest grid time and the unit."""
    fig = plot_map(_raster(), time=6.2)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    humans = np.ma.filled(_layer(ax, "humans").get_array(), np.nan)
    zombies = np.ma.filled(_layer(ax, "zombies").get_array(), np.nan)
    assert humans.shape == zombies.shape == (ROWS, COLS)
    expected = _zombies_at(6.0) > 0
    for r, c in SEA:
        expected[r, c] = False
    np.testing.assert_array_equal(np.isfinite(zombies) & (zombies > 0), expected)
    sea = np.zeros((ROWS, COLS), dtype=bool)
    sea[tuple(np.array(SEA).T)] = True
    np.testing.assert_array_equal(np.isnan(humans), sea)
    assert ax.get_title(loc="right") == "t = 6.0 hours"
    assert ax.get_title(loc="left") == "test outbreak"


def test_raster_extent_is_in_km_with_north_up() -> None:
    """The image spans the cells' edges in km, and row 0 (largest y) is drawn at the top."""
    ax = plot_map(_raster()).axes[0]
    image = _layer(ax, "humans")
    left, right, bottom, top = image.get_extent()
    assert (left, right) == pytest.approx((115.0, 115.0 + COLS * 10))
    assert (bottom, top) == pytest.approx((4005.0 - ROWS * 10, 4005.0))
    assert image.origin == "upper"
    assert ax.get_xlabel() == "west–east (km)"


def test_default_time_is_the_last() -> None:
    """Without a time the last time of the grid is drawn."""
    ax = plot_map(_raster()).axes[0]
    assert ax.get_title(loc="right") == "t = 24.0 hours"


def test_patch_off_the_grid_is_a_named_pie() -> None:
    """A camp beside a raster world is drawn as a pie at its place, with its name, and not
    on the grid."""
    ax = plot_map(_raster(camp=True)).axes[0]
    wedges = [p for p in ax.patches if isinstance(p, Wedge) and p.get_visible()]
    assert [w.center for w in wedges] == [pytest.approx((170.0, 3750.0))]
    assert "camp" in {t.get_text() for t in ax.texts}
    assert np.isnan(np.ma.filled(_layer(ax, "humans").get_array(), np.nan)).sum() == len(SEA)


def test_country_outline_drawn_when_the_map_loads(monkeypatch: pytest.MonkeyPatch) -> None:
    """A result naming a map gets the map's outlines, in km, as thin dark lines."""
    square = np.array([[120_000.0, 3_800_000.0], [400_000.0, 3_800_000.0], [400_000, 4e6]])
    fake = types.ModuleType("hyosan.space.maps")
    fake.load_map = lambda name, cell: types.SimpleNamespace(outlines=(square,))  # type: ignore[attr-defined]
    monkeypatch.setitem(__import__("sys").modules, "hyosan.space.maps", fake)
    result = _raster()
    result.dataset.attrs["map"] = "korea"
    ax = plot_map(result).axes[0]
    (lines,) = [c for c in ax.collections if isinstance(c, LineCollection)]
    np.testing.assert_allclose(lines.get_segments()[0], square / 1e3)


def test_graph_pies_edges_and_names() -> None:
    """A graph world draws one pie per patch with people, a zombie slice sized by the
    zombies' share, each door once as a grey line, and every patch's name."""
    ax = plot_map(_graph(), time=4).axes[0]
    wedges = [p for p in ax.patches if isinstance(p, Wedge) and p.get_visible()]
    zombie = {w.center: w.theta2 - w.theta1 for w in wedges if w.get_facecolor()[0] > 0.5}
    assert zombie == pytest.approx({(-0.0, -10.0): 360.0, (0.0, 10.0): 360.0 * 12 / 30})
    (doors,) = [c for c in ax.collections if isinstance(c, LineCollection)]
    assert len(doors.get_segments()) == 7  # 2 -> 0 and 0 -> 2 are one door
    assert {t.get_text() for t in ax.texts} >= set(ROOMS)
    assert ax.get_title(loc="right") == "t = 4.0 hours"


def test_plot_map_draws_into_given_axes() -> None:
    """With ax given, the map goes there and its figure is returned."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    assert plot_map(_graph(), ax=ax) is fig
    assert any(isinstance(p, Wedge) for p in ax.patches)


def test_gif_has_max_frames_at_the_given_speed(tmp_path: Path) -> None:
    """A GIF of a run with more times than max_frames has max_frames frames, shown for
    1/fps seconds each; nothing else is left in the folder."""
    path = save_animation(_raster(runs=1), tmp_path / "spread.gif", max_frames=5, fps=4)
    assert path == tmp_path / "spread.gif"
    with Image.open(path) as gif:
        assert gif.n_frames == 5
        assert gif.info["duration"] == 250
    assert [p.name for p in tmp_path.iterdir()] == ["spread.gif"]


def test_frames_are_evenly_spaced_and_keep_the_ends() -> None:
    """Subsampling keeps the first and last time and gives exactly max_frames frames."""
    idx = frame_indices(301, 120)
    assert idx.size == 120 and idx[0] == 0 and idx[-1] == 300
    assert np.all(np.diff(idx) >= 2)


def test_mp4_without_ffmpeg_is_bad_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An .mp4 asked for where ffmpeg is missing raises InputError naming the path."""
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    with pytest.raises(InputError, match="ffmpeg") as caught:
        save_animation(_graph(), tmp_path / "spread.mp4")
    assert caught.value.key == "path"
    assert caught.value.value == str(tmp_path / "spread.mp4")
    assert caught.value.allowed == ".gif, or .mp4 when ffmpeg is installed"
    assert list(tmp_path.iterdir()) == []


def test_other_suffix_is_bad_input(tmp_path: Path) -> None:
    """A suffix that is neither .gif nor .mp4 raises InputError."""
    with pytest.raises(InputError, match="gif"):
        save_animation(_graph(), tmp_path / "spread.png")


def test_result_without_patches_is_bad_input(tmp_path: Path) -> None:
    """A well-mixed result (no fields) raises InputError saying it has no patches, and
    save_map_plots writes nothing."""
    flat = Result.from_arrays(
        np.ones((1, 2, 2)), [0.0, 1.0], ("S", "Z"), events=[0], engine="ode", seed=1,
        scenario_name="flat", model="sz", humans=("S",), zombies=("Z",), time_unit="day",
    )  # fmt: skip
    for draw in (
        lambda: plot_map(flat),
        lambda: save_animation(flat, tmp_path / "a.gif"),
        lambda: save_map_plots(flat, tmp_path / "out"),
    ):
        with pytest.raises(InputError, match="no patches"):
            draw()
    assert list(tmp_path.iterdir()) == []


def test_bad_run_or_time_is_bad_input() -> None:
    """A run that does not exist or a time that is not a number raises InputError."""
    with pytest.raises(InputError, match="no such run"):
        plot_map(_graph(), run=1)
    with pytest.raises(InputError, match="time"):
        plot_map(_graph(), time=float("nan"))


@pytest.mark.parametrize(
    ("key", "value"), [("fps", 0), ("fps", 2.5), ("fps", True), ("max_frames", -3)]
)
def test_bad_fps_or_max_frames_is_bad_input(tmp_path: Path, key: str, value: object) -> None:
    """fps and max_frames are whole numbers >= 1 (True is not 1): anything else raises
    InputError naming the key, the value and what is allowed, and writes nothing."""
    with pytest.raises(InputError) as caught:
        save_animation(_graph(), tmp_path / "spread.gif", **{key: value})
    assert (caught.value.key, caught.value.value) == (key, value)
    assert caught.value.allowed == "a whole number >= 1"
    assert list(tmp_path.iterdir()) == []


def test_failure_leaves_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure while drawing frames keeps the file that was there and leaves no temp file."""
    from matplotlib.animation import PillowWriter

    calls = {"n": 0}
    grab = PillowWriter.grab_frame

    def failing(self: PillowWriter, **kw: object) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk full")
        grab(self, **kw)

    monkeypatch.setattr(PillowWriter, "grab_frame", failing)
    target = tmp_path / "spread.gif"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError, match="disk full"):
        save_animation(_graph(), target)
    assert [p.name for p in tmp_path.iterdir()] == ["spread.gif"]
    assert target.read_bytes() == b"old"


def test_save_map_plots_writes_png_and_gif(tmp_path: Path) -> None:
    """save_map_plots writes map.png and spread.gif (a frame per time: there are fewer
    than 120), and nothing else."""
    paths = save_map_plots(_graph(), tmp_path / "plots")
    assert paths == [tmp_path / "plots" / "map.png", tmp_path / "plots" / "spread.gif"]
    assert paths[0].read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    with Image.open(paths[1]) as gif:
        assert gif.n_frames == 6
    assert sorted(p.name for p in (tmp_path / "plots").iterdir()) == ["map.png", "spread.gif"]


def test_a_failed_map_png_leaves_the_old_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If writing map.png fails halfway, the map.png that was there stays as it was, no
    temporary file is left, and no animation is started."""
    (tmp_path / "map.png").write_bytes(b"old")

    def half(self: Figure, fname: Path, **_kwargs: object) -> None:
        Path(fname).write_bytes(b"\x89PNG half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Figure, "savefig", half)
    with pytest.raises(OSError, match="No space left"):
        save_map_plots(_graph(), tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["map.png"]
    assert (tmp_path / "map.png").read_bytes() == b"old"
