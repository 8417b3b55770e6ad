"""The files of a sweep's table (``hyosan.io.sweep``): sweep.csv reads back as the
table, sweep.md shows each cell as mean ± SE with notes on the outcomes, and a
failure leaves every file whole."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from hyosan.errors import InputError
from hyosan.io.sweep import (
    cell_text,
    sweep_columns,
    sweep_label,
    sweep_markdown,
    sweep_title,
    write_sweep,
)

NAN = math.nan


def table(**attrs: object) -> pd.DataFrame:
    """A table shaped like the one ``sweep()`` returns: two axes (a number and a text),
    then seed and runs, then outcomes each with its standard error."""
    frame = pd.DataFrame(
        {
            "parameters.beta": [0.2, 0.2, 0.4, 0.4],
            "engine": ["ssa", "tau", "ssa", "tau"],
            "seed": [11, 12, 13, 14],
            "runs": [3, 3, 3, 3],
            "p_outbreak": [0.666667, 1.0, 0.0, 1 / 3],
            "p_outbreak_se": [0.272166, 0.0, 0.0, 0.272166],
            "outbreaks": [2, 3, 0, 1],
            "outbreak_size": [152.0, 153.333333, NAN, 194.0],
            "outbreak_size_se": [5.0, 7.423686, NAN, NAN],
            "final_Z": [12.5, 0.0, 40.0, 1234.6],
            "final_Z_se": [0.25, 0.0, 12.0, 150.0],
        }
    )
    frame.attrs.update(
        {"scenario": "sir", "seed": 1, "outbreak": "I >= 20", "labels": {"final_Z": "final Z"}}
    )
    frame.attrs.update(attrs)
    return frame


def test_write_sweep_writes_the_csv_and_the_markdown(tmp_path: Path) -> None:
    """write_sweep makes the folder and writes sweep.csv, which reads back as the table,
    and sweep.md, titled after the scenario; nothing else (no picture, no temporary file)."""
    frame = table()
    out = tmp_path / "new" / "out"
    paths = write_sweep(frame, out)
    assert paths == (out / "sweep.csv", out / "sweep.md")
    assert sorted(p.name for p in out.iterdir()) == ["sweep.csv", "sweep.md"]
    pd.testing.assert_frame_equal(pd.read_csv(out / "sweep.csv"), frame)
    markdown = (out / "sweep.md").read_text(encoding="utf-8")
    assert markdown == sweep_markdown(frame, title="sweep of sir")


def test_write_sweep_uses_the_title_given(tmp_path: Path) -> None:
    """A title given to write_sweep heads sweep.md instead of the scenario's name."""
    write_sweep(table(), tmp_path, title="beta against the engine")
    markdown = (tmp_path / "sweep.md").read_text(encoding="utf-8")
    assert markdown.startswith("# beta against the engine\n\n")


def test_a_table_that_cannot_be_written_writes_nothing(tmp_path: Path) -> None:
    """A table that is not a sweep's is refused before anything is written: an older
    sweep.csv stays as it was and the folder holds nothing new."""
    (tmp_path / "sweep.csv").write_text("old", encoding="utf-8")
    with pytest.raises(InputError, match="not a sweep table"):
        write_sweep(pd.DataFrame({"beta": [0.1]}), tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["sweep.csv"]
    assert (tmp_path / "sweep.csv").read_text(encoding="utf-8") == "old"


def test_a_failure_while_writing_leaves_each_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk fills up halfway through sweep.md: the older sweep.md is left as it was,
    sweep.csv (written before) is whole, and no temporary file is left behind."""
    (tmp_path / "sweep.md").write_text("old", encoding="utf-8")
    real = Path.write_bytes

    def half_then_full(self: Path, data: bytes) -> int:
        if self.suffix == ".md":
            real(self, data[: len(data) // 2])
            raise OSError(28, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", half_then_full)
    with pytest.raises(OSError, match="No space left"):
        write_sweep(table(), tmp_path)
    monkeypatch.undo()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sweep.csv", "sweep.md"]
    assert (tmp_path / "sweep.md").read_text(encoding="utf-8") == "old"
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "sweep.csv"), table())


def test_markdown_cells_are_mean_and_standard_error() -> None:
    """Each row of sweep.md: the axis values, the runs, then mean ± SE with two digits of
    the error; a mean alone where the error is zero or unknown, a dash where there is
    no mean, and the number of outbreaks beside the outbreak size."""
    lines = sweep_markdown(table()).splitlines()
    assert lines[2:4] == [
        "| parameters.beta | engine | runs | P(outbreak) | outbreak size | final Z |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    assert lines[4:8] == [
        "| 0.2 | ssa | 3 | 0.67 ± 0.27 | 152.0 ± 5.0 (n = 2) | 12.50 ± 0.25 |",
        "| 0.2 | tau | 3 | 1 | 153.3 ± 7.4 (n = 3) | 0 |",
        "| 0.4 | ssa | 3 | 0 | – (n = 0) | 40 ± 12 |",
        "| 0.4 | tau | 3 | 0.33 ± 0.27 | 194 (n = 1) | 1235 ± 150 |",
    ]


def test_markdown_says_what_each_outcome_is() -> None:
    """Below the table, a note per outcome: the outbreak condition of the sweep, the runs
    the outbreak size counts, and what a "final" outcome measures."""
    notes = sweep_markdown(table()).splitlines()[9:]
    assert notes == [
        "- P(outbreak): fraction of runs in which I >= 20 held at some output time",
        "- outbreak size: humans lost, over the n runs with an outbreak only",
        "- final Z: Z at the end",
    ]


def test_markdown_title_and_seed_only_when_known() -> None:
    """With a title, sweep.md starts with it as a heading, then the seed; without either,
    it starts with the sentence on the cells."""
    titled = sweep_markdown(table(), title="a study").splitlines()
    assert titled[:3] == [
        "# a study",
        "",
        "Seed 1. Each cell: the mean over the runs of its grid point ± one standard error.",
    ]
    bare = sweep_markdown(table(seed=None)).splitlines()
    assert bare[0] == "Each cell: the mean over the runs of its grid point ± one standard error."


def test_markdown_says_when_points_shared_their_random_numbers() -> None:
    """A sweep run on common random numbers says so after its seed; an independent one
    does not."""
    paired = sweep_markdown(table(common_random_numbers=True)).splitlines()[0]
    assert paired.startswith("Seed 1. Every point ran from one seed (common random numbers).")
    assert "common random numbers" not in sweep_markdown(table(common_random_numbers=False))


def test_columns_split_into_axes_and_outcomes() -> None:
    """The axes are the columns before seed; the outcomes are those with an _se column."""
    assert sweep_columns(table()) == (
        ["parameters.beta", "engine"],
        ["p_outbreak", "outbreak_size", "final_Z"],
    )


def test_a_table_without_seed_or_runs_is_not_a_sweep() -> None:
    """A table lacking seed or runs is bad input keyed "columns", listing the columns."""
    for missing in ("seed", "runs"):
        with pytest.raises(InputError, match="not a sweep table") as info:
            sweep_columns(table().drop(columns=missing))
        assert info.value.key == "columns"
        assert missing not in info.value.value


def test_labels_come_from_the_table_then_the_defaults() -> None:
    """An outcome's label is the one kept in attrs, else the built-in one, else its
    column name with spaces."""
    frame = table()
    assert sweep_label(frame, "final_Z") == "final Z"
    assert sweep_label(frame, "p_outbreak") == "P(outbreak)"
    assert sweep_label(frame, "humans_lost") == "humans lost"


def test_title_is_the_one_given_else_the_scenarios() -> None:
    """sweep_title keeps a given title, else names the scenario, else says "a scenario"."""
    assert sweep_title(table(), "mine") == "mine"
    assert sweep_title(table()) == "sweep of sir"
    assert sweep_title(table(scenario=None)) == "sweep of a scenario"


@pytest.mark.parametrize(
    ("value", "text"),
    [(0.005, "0.005"), (2.0, "2"), (1e-7, "1e-07"), (3, "3"), ("ssa", "ssa"), ("a|b", "a\\|b")],
)
def test_cell_text(value: object, text: str) -> None:
    """Grid values are written short (floats with :g) and a | cannot break the table."""
    assert cell_text(value) == text
