"""Reading the observed counts a fit is given: a CSV file or a data frame, checked cell by cell.

The table has a ``time`` column, in the scenario's time unit, and one column
per observed compartment (``Z``) or sum of compartments (``E+Z``). An empty
cell is a count not observed. Every cell is read here, not by pandas' guesses,
so that each problem becomes one :class:`~hyosan.errors.InputError` naming
the file, the line and column, the value and what is allowed.
"""

from __future__ import annotations

import hashlib
import io
import math
import numbers
import os
import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from hyosan._typing import FloatArray
from hyosan.ensemble.fitting.types import FitRange, Observed
from hyosan.errors import InputError, unknown
from hyosan.scenario import Scenario
from hyosan.scenario.edit import set_keys

__all__ = ["MAX_ROWS", "read_observed"]

MAX_ROWS = 100_000
"""The most rows of observations a fit reads."""

_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_NOT_FINITE = re.compile(r"[+-]?(?:nan|inf|infinity)", re.IGNORECASE)
_LAYOUT = "a header such as time,S,E+Z, then one line per observed time"


def read_observed(
    data: str | os.PathLike[str] | pd.DataFrame,
    scenario: Scenario,
    ranges: Sequence[FitRange] = (),
    *,
    source: str | None = None,
) -> Observed:
    """The observed counts in ``data``, checked against ``scenario``.

    Parameters
    ----------
    data
        A CSV file's path, or a data frame (NaN: not observed).
    scenario
        The scenario fitted: its compartments name the columns, its population
        bounds the counts.
    ranges
        The keys fitted: each ``initial.*`` and ``world.*`` key is taken at its
        ``high`` when the population is worked out.
    source
        Where the data came from, for messages (default: the path, or ``"data"``).

    Raises
    ------
    InputError
        For the first problem found: a file that cannot be read, a missing
        ``time`` column, a column naming no compartment, a time that is not a
        number or not after the one before it, a count that is not a number,
        negative or above the population, more than :data:`MAX_ROWS` rows.
    """
    if isinstance(data, pd.DataFrame):
        where = source if source is not None else "data"
        names, cells, lines = _frame_table(data, where)
        digest = hashlib.sha256(data.to_csv(index=False).encode()).hexdigest()
    else:
        where = source if source is not None else os.fspath(data)
        raw = _read_bytes(data, where)
        digest = hashlib.sha256(raw).hexdigest()
        names, cells, lines = _csv_table(raw, where)
    members = _members(names, scenario, where)
    times = _times(cells[names.index("time")], lines, scenario.time.unit, where)
    columns = [n for n in names if n != "time"]
    limit = _population(scenario, ranges)
    counts = np.empty((len(lines), len(columns)))
    for j, name in enumerate(columns):
        counts[:, j] = _counts(cells[names.index(name)], lines, name, limit, where)
    return Observed(
        source=where,
        times=times,
        columns=tuple(columns),
        members=tuple(members),
        counts=counts,
        digest=digest,
    )


def _read_bytes(path: str | os.PathLike[str], where: str) -> bytes:
    try:
        with open(path, "rb") as file:
            return file.read()
    except OSError as err:
        raise InputError(
            f"cannot read the file: {err.strerror or err}",
            source=where,
            value=os.fspath(path),
            allowed="a CSV file that exists and can be read",
        ) from None


def _csv_table(raw: bytes, where: str) -> tuple[list[str], list[Sequence[Any]], list[int]]:
    """Column names, each column's cells (text) and each row's line, from a CSV file."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(
            f"not UTF-8 text (byte {err.start + 1})", source=where, allowed=_LAYOUT
        ) from None
    if not text.strip():
        raise InputError("the file is empty", source=where, allowed=_LAYOUT)
    _check_rows(sum(1 for line in text.splitlines() if line.strip()) - 1, where)
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            header=None,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
        )
    except (pd.errors.ParserError, ValueError) as err:
        raise _parse_error(str(err), where) from None
    frame = frame[~frame.map(_is_blank).all(axis=1)]  # blank lines, or only commas
    lines = [int(i) + 1 for i in frame.index]
    names = [_name(c) for c in frame.iloc[0]]
    return names, [list(frame.iloc[1:, j]) for j in range(len(names))], lines[1:]


def _parse_error(text: str, where: str) -> InputError:
    """pandas' complaint as one error: a line with more cells than the header, or else."""
    extra = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", text)
    if extra is None:
        return InputError(f"cannot read this CSV: {text.strip()}", source=where, allowed=_LAYOUT)
    return InputError(
        "more cells than the header has columns",
        source=where,
        key=f"line {extra[2]}",
        value=int(extra[3]),
        allowed=f"{extra[1]} cells a line, one per column of the header",
    )


def _frame_table(
    frame: pd.DataFrame, where: str
) -> tuple[list[str], list[Sequence[Any]], list[int]]:
    """Column names, each column's cells and each row's line (the header is line 1)."""
    _check_rows(len(frame), where)
    names = [_name(c) for c in frame.columns]
    cells: list[Sequence[Any]] = [list(frame.iloc[:, j]) for j in range(len(names))]
    return names, cells, list(range(2, len(frame) + 2))


def _name(cell: object) -> str:
    return cell.strip() if isinstance(cell, str) else "" if _is_nan(cell) else str(cell).strip()


def _check_rows(rows: int, where: str) -> None:
    if rows > MAX_ROWS:
        raise InputError(
            "too many rows of observations",
            source=where,
            value=rows,
            allowed=f"at most {MAX_ROWS:,} rows",
        )


def _members(names: list[str], scenario: Scenario, where: str) -> list[tuple[int, ...]]:
    """The compartments each column but ``time`` sums, in the order written."""
    comps = scenario.model.compartments
    shown = ", ".join(names)
    if "time" not in names:
        allowed = f"a column named time (in {scenario.time.unit}s), then {_columns_text(comps)}"
        raise InputError("no time column", source=where, key="time", value=shown, allowed=allowed)
    seen: dict[frozenset[int], str] = {}
    out = []
    for name in names:
        if names.count(name) > 1:
            raise InputError(
                "a column named twice",
                source=where,
                key=name,
                value=shown,
                allowed="each name once",
            )
        if name == "time":
            continue
        parts = [p.strip() for p in name.split("+")]
        for part in parts:
            if part not in comps:
                extra = f" (or sums such as {comps[0]}+{comps[-1]})"
                raise unknown("compartment", part, comps, key=name, source=where, extra=extra)
            if parts.count(part) > 1:
                raise InputError(
                    "a sum that names a compartment twice",
                    source=where,
                    key=name,
                    value=part,
                    allowed="each compartment once in a sum",
                )
        group = tuple(comps.index(p) for p in parts)
        if frozenset(group) in seen:
            problem = f"the same compartments as column {seen[frozenset(group)]!r}"
            raise InputError(problem, source=where, key=name, value=name, allowed="each sum once")
        seen[frozenset(group)] = name
        out.append(group)
    if not out:
        allowed = _columns_text(comps)
        raise InputError(
            "no column of counts", source=where, key="time", value=shown, allowed=allowed
        )
    return out


def _columns_text(comps: Sequence[str]) -> str:
    return f"a column per compartment observed ({', '.join(comps)}) or sum, such as {comps[-1]}"


def _times(cells: Sequence[Any], lines: list[int], unit: str, where: str) -> FloatArray:
    """The time column: finite numbers >= 0 that increase strictly."""
    if not lines:
        problem = "no rows of observations after the header"
        raise InputError(problem, source=where, key="line 2", allowed=_LAYOUT)
    allowed = f"a time in {unit}s, a number >= 0 greater than the time before it"
    out = np.empty(len(lines))
    for i, (cell, line) in enumerate(zip(cells, lines, strict=True)):
        try:
            value = _number(cell)
        except ValueError:
            value, problem = None, "a time that is not a number"
        else:
            problem = _time_problem(value, out[i - 1] if i else None, lines[i - 1])
        if problem:
            key = f"line {line}, time"
            raise InputError(problem, source=where, key=key, value=_shown(cell), allowed=allowed)
        out[i] = value
    return out


def _time_problem(value: float | None, before: float | None, line: int) -> str:
    """What is wrong with a time (``""``: nothing), given the time ``before`` it on ``line``."""
    if value is None:
        return "an empty time"
    if not math.isfinite(value):
        return "a time that is not finite"
    if value < 0:
        return "a negative time"
    if before is not None and value <= before:
        return f"a time not after the one before it ({before:g} on line {line})"
    return ""


def _counts(
    cells: Sequence[Any], lines: list[int], name: str, limit: tuple[float, str], where: str
) -> FloatArray:
    """One column of counts: numbers from 0 to the population, NaN where empty."""
    population, said = limit
    most = f"0 to {_people(population)}" if math.isfinite(population) else "0 up"
    allowed = f"a count from {most}, or an empty cell if not observed"
    out = np.full(len(lines), np.nan)
    for i, (cell, line) in enumerate(zip(cells, lines, strict=True)):
        try:
            value = _number(cell)
        except ValueError:
            value, problem = None, "a count that is not a number"
        else:
            problem = _count_problem(value, population, said)
        if problem:
            key = f"line {line}, {name}"
            raise InputError(problem, source=where, key=key, value=_shown(cell), allowed=allowed)
        out[i] = np.nan if value is None else value
    if np.isnan(out).all():
        allowed = "at least one count in each column (an empty cell is a count not observed)"
        raise InputError(
            "a column with no count", source=where, key=name, value=name, allowed=allowed
        )
    return out


def _count_problem(value: float | None, population: float, said: str) -> str:
    """What is wrong with a count (``""``: nothing; ``None`` is a count not observed)."""
    if value is None:
        return ""
    if not math.isfinite(value):
        return "a count that is not finite (leave the cell empty if not observed)"
    if value < 0:
        return "a negative count"
    if value > population:
        return f"more than the population, {_people(population)} people {said}"
    return ""


def _number(cell: object) -> float | None:
    """The number in a cell, ``None`` if empty (NaN in a frame); ValueError if not a number.

    Text NaN or infinity is returned as such, for the caller to refuse: in a
    file, a count not observed is an empty cell.
    """
    if isinstance(cell, str):
        text = cell.strip()
        if not text:
            return None
        if _NUMBER.fullmatch(text) or _NOT_FINITE.fullmatch(text):
            return float(text)
        raise ValueError(text)
    if _is_nan(cell):
        return None
    if isinstance(cell, numbers.Real) and not isinstance(cell, bool | np.bool_):
        return float(cell)
    raise ValueError(cell)


def _is_blank(cell: object) -> bool:
    return _is_nan(cell) or (isinstance(cell, str) and not cell.strip())


def _is_nan(cell: object) -> bool:
    return cell is None or cell is pd.NA or (isinstance(cell, float) and math.isnan(cell))


def _shown(cell: object) -> object:
    """A cell as the message shows it: text as written, numbers as floats."""
    if isinstance(cell, str):
        return cell.strip()
    if isinstance(cell, numbers.Real) and not isinstance(cell, bool | np.bool_):
        return float(cell)
    return cell


def _people(n: float) -> str:
    return f"{int(n):,}" if float(n).is_integer() else f"{n:,.6g}"


def _population(scenario: Scenario, ranges: Sequence[FitRange]) -> tuple[float, str]:
    """The people at the start, with the fitted ``initial.*`` and ``world.*`` keys at their
    ``high``; and the words that say so. No limit (infinity) where a reaction adds people.

    The keys are set together (a lattice's rows and people per cell multiply); if
    the scenario refuses them together, each key's own increase is added.
    """
    if any(sum(r.change().values()) > 0 for r in scenario.model.reactions):
        return math.inf, "(the model has births: no limit)"
    fitted = [r for r in ranges if re.match(r"(initial|world)\b", r.key)]
    if not fitted:
        return _total(scenario), "at the start"
    highs = [(r.key, round(r.high) if r.integer else r.high) for r in fitted]
    try:
        total = _total(set_keys(scenario, highs))
    except InputError:
        base = _total(scenario)
        total = base + sum(_total(set_keys(scenario, [h])) - base for h in highs)
    said = ", ".join(f"{key} = {value:g}" for key, value in highs)
    return max(total, _total(scenario)), f"at the start with {said}"


def _total(scenario: Scenario) -> float:
    return float(sum(scenario.initial.values()))
