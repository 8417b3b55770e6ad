"""Conditions on counts and the one comparison type (``Op``) that kernels share."""

from __future__ import annotations

import numpy as np
import pytest

from hyosan.engines._kernels.conditions import _holds
from hyosan.errors import InputError
from hyosan.interventions import Condition, Op
from hyosan.space import Selection, World

COMPS = ("S", "Z", "R")
TOWN = World.from_edges(
    "town", ["a", "b", "c"], [("a", "b", 1.0), ("b", "c", 1.0)], regions={"east": ["b", "c"]}
)


def test_op_codes_are_the_kernels_codes() -> None:
    """0 <, 1 <=, 2 >, 3 >=, as the kernels read ``cond_op``; and the kernel's test agrees
    with ``Op.holds`` on each side of the threshold and on it."""
    assert [(int(op), op.symbol) for op in Op] == [(0, "<"), (1, "<="), (2, ">"), (3, ">=")]
    for op in Op:
        for total in (9.0, 10.0, 11.0):
            assert _holds.py_func(total, int(op), 10.0) == op.holds(total, 10.0)


def test_op_parse_and_rising() -> None:
    """A symbol reads as its Op (an Op as itself); > and >= rise with the total."""
    assert [Op.parse(s) for s in ("<", "<=", ">", ">=")] == list(Op)
    assert Op.parse(Op.GE) is Op.GE
    assert [op.rising for op in Op] == [False, False, True, True]
    assert str(Op.LE) == "<="


@pytest.mark.parametrize("symbol", ["=", "==", "=>", "", "gt"])
def test_op_parse_refuses_other_symbols(symbol: str) -> None:
    """An unknown comparison is bad input keyed 'op', listing the four."""
    with pytest.raises(InputError) as err:
        Op.parse(symbol)
    assert err.value.key == "op" and err.value.allowed == "<, <=, >, >="


def test_op_holds_elementwise_on_arrays() -> None:
    """On an array of totals each op gives one answer per total, against a scalar or an
    array of thresholds."""
    totals = np.array([1.0, 2.0, 3.0])
    assert Op.LT.holds(totals, 2.0).tolist() == [True, False, False]
    assert Op.LE.holds(totals, 2.0).tolist() == [True, True, False]
    assert Op.GT.holds(totals, 2.0).tolist() == [False, False, True]
    assert Op.GE.holds(totals, np.array([2.0, 2.0, 4.0])).tolist() == [False, True, False]
    cond = Condition(("Z",), ">", 1.5)  # type: ignore[arg-type]
    assert cond.holds(totals).tolist() == [False, True, True]


@pytest.mark.parametrize(
    "text",
    [
        "Z > 100.0",
        "S + Z <= 0.5",
        "Z >= 10.0 in downtown",
        "R < -3.0",
        "Z > 0.1",
        "Z > 1e-07",
        "Z > 1.2345678901234567",
        "Z > 1e+22",
    ],
)
def test_parse_and_text_round_trip_exactly(text: str) -> None:
    """``text()`` reads back as the same condition, the threshold to the last bit."""
    cond = Condition.parse(text)
    again = Condition.parse(cond.text())
    assert again == cond and again.threshold == cond.threshold
    assert again.text() == cond.text()


def test_parse_reads_the_parts() -> None:
    """Compartments joined by '+', the op, the number, and 'in' a region; spaces are free."""
    cond = Condition.parse("  S+E  >=2.5e1 in  floor-2 ")
    assert cond.compartments == ("S", "E") and cond.op is Op.GE and cond.threshold == 25.0
    assert cond.where == Selection(patches=("floor-2",))
    assert Condition.parse("Z < 1").where is None
    by_symbol = Condition(("Z",), "<=", 2.0)  # type: ignore[arg-type]
    assert by_symbol.op is Op.LE, "an op given as its symbol"


def test_str_rounds_and_text_does_not() -> None:
    """``str`` is for people (``%g``), ``text`` for files (exact)."""
    cond = Condition(("Z",), Op.GT, 1 / 3)
    assert str(cond) == "Z > 0.333333"
    assert Condition.parse(cond.text()).threshold == 1 / 3


@pytest.mark.parametrize(
    "text", ["Z", "Z > ", "> 3", "Z >> 3", "Z = 3", "Z > 3 on x", "Z + > 3", "1Z > 3", 5]
)
def test_parse_refuses_what_it_cannot_read(text: object) -> None:
    """Anything else is bad input under the key given, showing the text and the forms."""
    with pytest.raises(InputError) as err:
        Condition.parse(text, key="interventions[2].when")  # type: ignore[arg-type]
    assert err.value.key == "interventions[2].when"
    assert err.value.value == text and '"Z > 100"' in err.value.allowed


def test_total_sums_its_compartments_over_every_patch_or_its_region() -> None:
    """Well mixed one row; in a world every patch, or only the region's patches."""
    X = np.array([[1.0, 10.0, 100.0], [2.0, 20.0, 200.0], [3.0, 30.0, 300.0]])
    assert Condition.parse("S + R > 0").total(X[:1], COMPS, None) == 101.0
    assert Condition.parse("Z > 0").total(X, COMPS, TOWN) == 60.0
    assert Condition.parse("S + Z > 0 in east").total(X, COMPS, TOWN) == 55.0
    assert Condition.parse("Z > 0 in a").total(X, COMPS, TOWN) == 10.0


def test_check_names_the_key() -> None:
    """An unknown compartment suggests the close one; a region needs a world that has it."""
    with pytest.raises(InputError, match="did you mean 'Z'") as err:
        Condition.parse("S + ZZ > 1").check(COMPS, None, key="milestones[0].when")
    assert err.value.key == "milestones[0].when" and err.value.value == "ZZ"
    with pytest.raises(InputError, match="no world") as err:
        Condition.parse("Z > 1 in east").check(COMPS, None, key="k")
    assert err.value.key == "k"
    with pytest.raises(InputError, match="unknown") as err:
        Condition.parse("Z > 1 in west").check(COMPS, TOWN, key="k")
    assert err.value.key == "k"
    Condition.parse("Z > 1 in east").check(COMPS, TOWN, key="k")
