"""The one number checker: what a number is, the bounds, and the words of the error."""

from __future__ import annotations

import math

import numpy as np
import pytest

from hyosan._checks import allowed_range, check_number, check_whole, is_number
from hyosan.errors import InputError


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1, True),
        (1.5, True),
        (math.inf, True),
        (math.nan, True),
        (np.float32(2.0), True),
        (np.int64(3), True),
        (True, False),
        (False, False),
        (np.bool_(True), False),
        ("1", False),
        (None, False),
        (1 + 0j, False),
    ],
)
def test_is_number_means_real_and_not_bool(value: object, expected: bool) -> None:
    """ints and floats (numpy's too, finite or not) are numbers; bools and text are not."""
    assert is_number(value) is expected


@pytest.mark.parametrize("value", [True, False, np.bool_(True), math.nan, math.inf, -math.inf])
def test_bools_nan_and_infinities_are_refused(value: object) -> None:
    """TOML's true is not 1, and no bound lets NaN or an infinity through."""
    with pytest.raises(InputError):
        check_number(value, key="k", low=-math.inf)
    with pytest.raises(InputError):
        check_whole(value, key="k", low=-math.inf)


def test_the_error_names_key_source_value_and_what_is_allowed() -> None:
    """The message carries where, what and what would do; the fields are set for callers."""
    with pytest.raises(InputError) as err:
        check_number(-0.5, key="world.scale", source="s.toml")
    e = err.value
    assert (e.key, e.source, e.value) == ("world.scale", "s.toml", -0.5)
    assert e.allowed == "a finite number >= 0"
    assert str(e) == (
        "s.toml: world.scale: must be a finite number >= 0 (got -0.5); "
        "allowed: a finite number >= 0"
    )


def test_a_problem_replaces_the_first_words_only() -> None:
    """``problem`` replaces 'must be ...'; the allowed range is still given."""
    with pytest.raises(InputError) as err:
        check_number(2.0, key="f", high=1.0, problem="a fraction is between 0 and 1")
    assert err.value.problem == "a fraction is between 0 and 1"
    assert err.value.allowed == "a number from 0 to 1"


@pytest.mark.parametrize(
    ("kwargs", "inside", "outside"),
    [
        ({}, [0, 0.0, 1e300], [-1e-300]),
        ({"high": 1.0}, [0.0, 1.0], [1.0000001, -0.1]),
        ({"low_open": True}, [1e-300], [0.0]),
        ({"low": -math.inf}, [-1e300, 0.0], []),
        ({"low": 2.0, "high": 3.0, "low_open": True}, [2.5, 3.0], [2.0, 3.5]),
    ],
)
def test_bounds(kwargs: dict, inside: list[float], outside: list[float]) -> None:
    """``low`` and ``high`` are included, ``low`` excluded with ``low_open``; a number
    inside comes back as a float."""
    for v in inside:
        out = check_number(v, key="k", **kwargs)
        assert out == v and type(out) is float
    for v in outside:
        with pytest.raises(InputError):
            check_number(v, key="k", **kwargs)


def test_whole_numbers_are_integer_types() -> None:
    """2.0 is not a whole number (its type is float); numpy integers are, and come back
    as int."""
    assert check_whole(np.int64(7), key="runs") == 7
    assert type(check_whole(np.int32(7), key="runs")) is int
    with pytest.raises(InputError, match="a whole number >= 0"):
        check_whole(2.0, key="runs")


def test_whole_numbers_compare_exactly_at_2_63() -> None:
    """2**63 - 1 is inside ``high = 2**63 - 1`` and 2**63 is not, though as floats they
    are the same number."""
    top = 2**63 - 1
    assert float(2**63) == float(top)
    assert check_whole(top, key="seed", high=top) == top
    with pytest.raises(InputError) as err:
        check_whole(2**63, key="seed", high=top)
    assert err.value.value == 2**63
    assert check_whole(-(2**70), key="k", low=-math.inf) == -(2**70)


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({}, "a finite number >= 0"),
        ({"high": 1.0}, "a number from 0 to 1"),
        ({"low_open": True}, "a number > 0"),
        ({"low": 0.5, "high": 2.0, "low_open": True}, "a number > 0.5 and <= 2"),
        ({"low": -math.inf}, "a finite number"),
        ({"whole": True, "low": 1}, "a whole number >= 1"),
        ({"whole": True, "high": 2**63 - 1}, f"a whole number from 0 to {2**63 - 1}"),
        ({"whole": True, "low": -math.inf}, "a finite whole number"),
    ],
)
def test_allowed_range_words(kwargs: dict, words: str) -> None:
    """The same words for a range wherever a number is checked (whole bounds exact)."""
    assert allowed_range(**kwargs) == words
