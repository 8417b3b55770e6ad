"""Reading observed counts: good files read right, and each problem is one error that names
the file, the line or column, the value and what is allowed."""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import hyosan
from hyosan.ensemble.fitting import data as data_module
from hyosan.ensemble.fitting.data import MAX_ROWS, read_observed
from hyosan.ensemble.fitting.ranges import parse_fits
from hyosan.ensemble.fitting.types import Observed
from hyosan.errors import InputError
from hyosan.scenario import Scenario
from hyosan.scenario.load import scenario_from_dict

SIR = hyosan.load_scenario("sir")  # S, I, R; 10,000 people; days
SCHOOL = hyosan.load_scenario("school")  # S, E, Ez, Z, H, D; 1,000 people; hours
ROOMS = hyosan.load_scenario("hyosan-school")  # a world of 1,001 people (1,000 and a seed)


def _csv(tmp_path: Path, text: str | bytes, name: str = "cases.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def _error(tmp_path: Path, text: str | bytes, scenario: Scenario = SIR, fits=()) -> InputError:
    """The error of reading ``text`` as a file; checks that it names the file."""
    path = _csv(tmp_path, text)
    ranges = parse_fits(fits, scenario) if fits else ()
    with pytest.raises(InputError) as err:
        read_observed(str(path), scenario, ranges)
    assert err.value.source == str(path) and str(err.value).startswith(f"{path}: ")
    return err.value


def test_a_good_file_reads_right(tmp_path: Path) -> None:
    """Times, columns as written (stripped), the compartments each sums in the order written,
    counts with NaN where a cell is empty, fractional counts kept, the path as the source."""
    text = "time, S , I + R ,R\n0,9990,10,0\n0.5,,12.5,\n2,9000.0,,3\n"
    path = _csv(tmp_path, text)
    out = read_observed(str(path), SIR)
    assert isinstance(out, Observed) and out.source == str(path)
    assert out.times.dtype == np.float64 and out.times.tolist() == [0.0, 0.5, 2.0]
    assert out.columns == ("S", "I + R", "R") and out.members == ((0,), (1, 2), (2,))
    assert out.counts.dtype == np.float64 and out.counts.shape == (3, 3)
    expected = [[9990, 10, 0], [math.nan, 12.5, math.nan], [9000, math.nan, 3]]
    np.testing.assert_array_equal(out.counts, expected)
    assert out.seen.tolist() == [[True, True, True], [False, True, False], [True, False, True]]


def test_sum_members_keep_the_order_written(tmp_path: Path) -> None:
    """``Z+E`` sums Z then E (indices in the model's compartments), ``E+Ez+Z`` three."""
    path = _csv(tmp_path, "time,Z+E,E+Ez+Z,H\n0,1,1,0\n1,3,3,0\n")
    out = read_observed(path, SCHOOL)
    assert out.members == ((3, 1), (1, 2, 3), (4,))
    assert out.source == str(path), "a Path is shown as given"


def test_digest_is_the_files_bytes_and_changes_with_any_byte(tmp_path: Path) -> None:
    """The digest is SHA-256 of the bytes read: the same file gives the same digest, and
    ``10`` written as ``10.0`` (the same numbers) gives another."""
    text = "time,I\n0,10\n1,12\n"
    path = _csv(tmp_path, text)
    first = read_observed(path, SIR).digest
    assert first == hashlib.sha256(text.encode()).hexdigest()
    assert read_observed(path, SIR).digest == first
    changed = read_observed(_csv(tmp_path, text.replace("10", "10.0"), "b.csv"), SIR)
    assert changed.digest != first
    np.testing.assert_array_equal(changed.counts, read_observed(path, SIR).counts)


def test_blank_lines_are_skipped_and_lines_keep_their_numbers(tmp_path: Path) -> None:
    """Blank lines (and a UTF-8 byte order mark) are no rows; an error names the file's line."""
    good = read_observed(_csv(tmp_path, "\ufefftime,I\n\n0,1\n\n1,2\n\n"), SIR)
    assert good.times.tolist() == [0.0, 1.0] and good.counts.ravel().tolist() == [1.0, 2.0]
    err = _error(tmp_path, "time,I\n0,1\n\n\n1,-2\n")
    assert err.key == "line 5, I" and "line 5, I" in str(err)


def test_a_frame_reads_like_a_file() -> None:
    """A data frame: NaN is a count not observed, numbers or text cells, source ``data``
    unless given, the digest of its values and column names."""
    frame = pd.DataFrame({"time": [0, 1.5], "S": [np.nan, 3], "I+R": ["4", " 5 "]})
    out = read_observed(frame, SIR)
    assert out.source == "data" and out.columns == ("S", "I+R") and out.members == ((0,), (1, 2))
    assert out.times.tolist() == [0.0, 1.5]
    np.testing.assert_array_equal(out.counts, [[math.nan, 4], [3, 5]])
    assert out.digest == hashlib.sha256(frame.to_csv(index=False).encode()).hexdigest()
    assert read_observed(frame.copy(), SIR, source="cases").source == "cases"
    assert read_observed(frame.copy(), SIR).digest == out.digest
    other = frame.assign(S=[np.nan, 4])
    assert read_observed(other, SIR).digest != out.digest
    renamed = frame.rename(columns={"S": "R"})
    assert read_observed(renamed, SIR).digest != out.digest


@pytest.mark.parametrize(
    ("frame", "key", "value", "problem"),
    [
        (pd.DataFrame({"time": [0, np.nan], "S": [1, 2]}), "line 3, time", math.nan, "empty time"),
        (pd.DataFrame({"time": [0, 1], "S": [np.inf, 2]}), "line 2, S", math.inf, "not finite"),
        (pd.DataFrame({"time": [0, 1], "S": [1, True]}), "line 3, S", True, "not a number"),
        (pd.DataFrame({"time": [0, 1], "S": [1, "nan"]}), "line 3, S", "nan", "not finite"),
        (pd.DataFrame({"time": [0, 1], "S": [1, -2]}), "line 3, S", -2.0, "negative count"),
        (pd.DataFrame([[0, 1, 2]], columns=["time", "S", "S"]), "S", "time, S, S", "twice"),
    ],
)
def test_a_frame_is_checked_like_a_file(
    frame: pd.DataFrame, key: str, value: object, problem: str
) -> None:
    """Each cell of a frame is checked, row ``i`` counted as line ``i + 2`` (the header is 1)."""
    with pytest.raises(InputError) as err:
        read_observed(frame, SIR, source="frame")
    assert err.value.source == "frame" and err.value.key == key and problem in err.value.problem
    shown = err.value.value
    assert (math.isnan(shown) and math.isnan(value)) if value is math.nan else shown == value


NO_COUNTS = "at least one count in each column"
TIME = "a time in days, a number >= 0 greater than the time before it"
COUNT = "a count from 0 to 10,000, or an empty cell if not observed"


@pytest.mark.parametrize(
    ("text", "key", "value", "problem", "allowed"),
    [
        ("S,I\n9990,10\n", "time", "S, I", "no time column", "a column named time (in days)"),
        ("Time,S\n0,1\n", "time", "Time, S", "no time column", "(S, I, R) or sum"),
        ("time,S,S\n0,1,2\n", "S", "time, S, S", "a column named twice", "each name once"),
        ("time,I+I\n0,1\n", "I+I", "I", "names a compartment twice", "each compartment once"),
        ("time,I+R,R + I\n0,1,1\n", "R + I", "R + I", "same compartments as column 'I+R'", "once"),
        ("time,Ii\n0,1\n", "Ii", "Ii", "unknown compartment (did you mean 'I'?)", "S, I, R"),
        ("time,S+Q\n0,1\n", "S+Q", "Q", "unknown compartment", "S, I, R (or sums"),
        ("time\n0\n1\n", "time", "time", "no column of counts", "a column per compartment"),
        ("time,S,I\n0,1,\n1,2,\n", "I", "I", "a column with no count", NO_COUNTS),
        ("time,S\n0,1\n,2\n", "line 3, time", "", "an empty time", TIME),
        ("time,S\n0,1\nday 2,2\n", "line 3, time", "day 2", "not a number", TIME),
        ("time,S\nnan,1\n", "line 2, time", "nan", "not finite", TIME),
        ("time,S\n0,1\ninf,1\n", "line 3, time", "inf", "not finite", TIME),
        ("time,S\n-1,1\n", "line 2, time", "-1", "a negative time", TIME),
        ("time,S\n0,1\n2,1\n2,1\n", "line 4, time", "2", "not after the one before it (2", TIME),
        ("time,S\n0,1\n2,1\n1,1\n", "line 4, time", "1", "not after the one before it (2", TIME),
        ("time,S\n0,1\n1,many\n", "line 3, S", "many", "a count that is not a number", COUNT),
        ("time,S\n0,1\n1,1_000\n", "line 3, S", "1_000", "a count that is not a number", COUNT),
        ("time,S\n0,1\n1,NaN\n", "line 3, S", "NaN", "leave the cell empty", "an empty cell"),
        ("time,S\n0,1\n1,-inf\n", "line 3, S", "-inf", "not finite", COUNT),
        ("time,S\n0,1\n1,-0.5\n", "line 3, S", "-0.5", "a negative count", COUNT),
        ("time,S\n0,10000.5\n", "line 2, S", "10000.5", "10,000 people at the start", COUNT),
        ("time,S\n0,1\n1,1,1\n", "line 3", 3, "more cells than the header", "2 cells a line"),
        ("time,S\n", "line 2", None, "no rows of observations", "one line per observed time"),
        ("", "", None, "the file is empty", "a header such as time,S,E+Z"),
        (b"time,S\n0,\xff\n", "", None, "not UTF-8 text", "a header such as time,S,E+Z"),
    ],
)
def test_each_problem_is_one_error_naming_file_place_value_and_allowed(
    tmp_path: Path, text: str, key: str, value: object, problem: str, allowed: str
) -> None:
    """Columns are keyed by their name, cells by ``line N, COLUMN`` (the header is line 1);
    the message says what is wrong, shows the value and says what is allowed."""
    err = _error(tmp_path, text)
    assert err.key == key and problem in err.problem and allowed in err.allowed
    message = str(err)
    assert key in message and problem in message and allowed in message
    if value is not None:
        assert err.value == value and repr(value) in message


def test_a_count_of_the_whole_population_is_allowed(tmp_path: Path) -> None:
    """The population itself (10,000) and 0 are counts; one more person is not."""
    out = read_observed(_csv(tmp_path, "time,S+I+R,R\n0,10000,0\n"), SIR)
    assert out.counts.tolist() == [[10000.0, 0.0]]
    assert "10,000 people" in _error(tmp_path, "time,S+I+R\n0,10001\n").problem


def test_fitted_initial_counts_raise_the_population(tmp_path: Path) -> None:
    """Fitting ``initial.I`` up to 500 allows counts up to 9,990 + 500 people, and the
    message names the population and the key taken at its most."""
    text = "time,S+I+R\n0,10490\n"
    out = read_observed(_csv(tmp_path, text), SIR, parse_fits(["I=1:500"], SIR))
    assert out.counts.tolist() == [[10490.0]]
    err = _error(tmp_path, "time,S+I+R\n0,10491\n", fits=["I=1:500", "beta=0.1:1"])
    assert "10,490 people at the start with initial.I = 500" in str(err)
    assert err.allowed == "a count from 0 to 10,490, or an empty cell if not observed"


def test_in_a_world_the_population_is_the_worlds(tmp_path: Path) -> None:
    """In a world, the population is its people and seeds (1,001), and a fitted seed's count
    is taken at its most (200: 1,200 people)."""
    err = _error(tmp_path, "time,Z\n0,1002\n", ROOMS)
    assert "1,001 people at the start" in err.problem and err.key == "line 2, Z"
    out = read_observed(
        _csv(tmp_path, "time,Z\n0,1200\n"), ROOMS, parse_fits(["world.seed[0].count=1:200"], ROOMS)
    )
    assert out.counts.tolist() == [[1200.0]]


def test_fitted_keys_are_taken_at_their_highs_together(tmp_path: Path) -> None:
    """A lattice of 3 x 3 cells of 100 people, fitting its rows up to 5 and its people per
    cell up to 200: up to 5 x 3 x 200 = 3,000 people, not the sum of each key's increase."""
    table = {
        "model": "sir",
        "time": {"end": 10.0},
        "parameters": {"beta": 0.3, "gamma": 0.1},
        "world": {"lattice": {"rows": 3, "cols": 3, "people": 100}, "fill": "S"},
    }
    grid = scenario_from_dict(table)
    fits = parse_fits(["world.lattice.rows=2:5", "world.lattice.people=10:200"], grid)
    assert read_observed(_csv(tmp_path, "time,S\n0,3000\n"), grid, fits).counts[0, 0] == 3000
    with pytest.raises(
        InputError, match=r"3,000 people at the start with world\.lattice\.rows = 5"
    ):
        read_observed(_csv(tmp_path, "time,S\n0,3001\n"), grid, fits)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    """A file that cannot be read: an error naming it, not an OSError."""
    path = tmp_path / "nowhere.csv"
    with pytest.raises(InputError, match="cannot read the file") as err:
        read_observed(path, SIR)
    assert err.value.source == str(path) and err.value.value == str(path)
    with pytest.raises(InputError, match="cannot read the file"):
        read_observed(tmp_path, SIR)  # a folder


def test_more_rows_than_the_limit_are_refused(tmp_path: Path) -> None:
    """A file or a frame of MAX_ROWS + 1 rows is refused, the message saying the limit."""
    assert MAX_ROWS == 100_000
    rows = "".join(f"{i},1\n" for i in range(MAX_ROWS + 1))
    err = _error(tmp_path, "time,I\n" + rows)
    assert err.value == MAX_ROWS + 1 and "at most 100,000 rows" in str(err)
    frame = pd.DataFrame({"time": np.arange(MAX_ROWS + 1.0), "I": 1.0})
    with pytest.raises(InputError, match="at most 100,000 rows"):
        read_observed(frame, SIR)


def test_the_limit_itself_is_allowed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Exactly MAX_ROWS rows read (blank lines do not count); one more does not."""
    monkeypatch.setattr(data_module, "MAX_ROWS", 3)
    out = read_observed(_csv(tmp_path, "time,I\n0,1\n\n1,1\n2,1\n\n"), SIR)
    assert out.times.tolist() == [0.0, 1.0, 2.0]
    assert "at most 3 rows" in str(_error(tmp_path, "time,I\n0,1\n1,1\n2,1\n3,1\n"))
