"""Placing characters in the initial counts: each is one person taken out of the crowd."""

from __future__ import annotations

import numpy as np
import pytest

from hyosan.errors import InputError
from hyosan.model import builtin_model
from hyosan.model.characters import Tags, place_characters

SIR = builtin_model("sir")
TAGS = Tags.of(SIR, ["A", "B"])


def test_well_mixed_counts_keep_their_shape_and_total() -> None:
    """``(C,)`` in, ``(C (K + 1),)`` out: each character moved from its base compartment to
    its own copy; the input is not changed and the folded counts are the input."""
    x = np.array([10.0, 2.0, 0.0])
    out = place_characters(x, TAGS, {"A": "S", "B": "I"})
    assert out.tolist() == [9.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0]
    assert x.tolist() == [10.0, 2.0, 0.0]
    np.testing.assert_array_equal(TAGS.fold(out), x)


def test_in_space_each_character_is_placed_in_its_patch() -> None:
    """``(P, C)`` in, ``(P, C (K + 1))`` out; two characters may start in one compartment
    of one patch while it has people enough."""
    x = np.array([[2.0, 0.0, 0.0], [0.0, 0.0, 3.0]])
    out = place_characters(x, TAGS, {"A": "S", "B": "S"}, {"A": 0, "B": 0})
    assert out.shape == (2, 9)
    assert out[0].tolist() == [0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    assert out[1].tolist() == [0.0, 0.0, 3.0] + [0.0] * 6
    np.testing.assert_array_equal(TAGS.fold(out), x)
    assert TAGS.states(out).tolist() == [[0, 0], [-1, -1]]


def test_no_characters_gives_the_counts_back() -> None:
    """Without characters the counts are returned unchanged (as floats)."""
    out = place_characters([5, 1, 0], Tags.none(SIR), {})
    assert out.tolist() == [5.0, 1.0, 0.0] and out.dtype == np.float64


def _error(x: object, start: dict, patch: dict | None = None) -> InputError:
    with pytest.raises(InputError) as err:
        place_characters(x, TAGS, start, patch)  # type: ignore[arg-type]
    return err.value


def test_errors_name_the_character_and_the_key() -> None:
    """A start compartment the model lacks (with a did-you-mean), a character without a
    patch in space or with a patch that is not there, too few people to be the second
    character: each is reported under that character's key."""
    two = np.array([[5.0, 1.0, 0.0], [5.0, 1.0, 0.0]])
    unknown = _error([5.0, 1.0, 0.0], {"A": "S", "B": "II"})
    assert unknown.key == "characters[1].start" and "did you mean 'I'" in unknown.problem
    assert _error(two, {"A": "S", "B": "S"}, {"A": 1}).key == "characters[1].patch"
    far = _error(two, {"A": "S", "B": "S"}, {"A": 1, "B": 2})
    assert far.key == "characters[1].patch" and far.value == 2 and far.allowed == "0 to 1"
    crowd = _error([5.0, 1.0, 0.0], {"A": "I", "B": "I"})
    assert crowd.key == "characters[1].start" and crowd.value == "I"
    assert _error([5.0, 1.0, 0.0], {"B": "S"}).key == "characters[0].start"


@pytest.mark.parametrize("shape", [(4,), (2, 2), (2, 3, 3)])
def test_counts_that_do_not_fit_the_model_are_refused(shape: tuple[int, ...]) -> None:
    """Counts are ``(C,)`` or ``(P, C)`` for the base model's C compartments."""
    err = _error(np.ones(shape), {"A": "S", "B": "S"})
    assert err.key == "x" and err.value == shape and "C = 3" in err.allowed
