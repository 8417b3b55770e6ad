"""``Tags``: the tagged model's layout as index arrays, and reading runs back by it."""

from __future__ import annotations

import numpy as np
import pytest

from hyosan.model import builtin_model
from hyosan.model.characters import Tags, tag_model, tagged
from hyosan.model.characters.tagging import version_counts

SIR = builtin_model("sir")
AOUAD = builtin_model("aouad")


def test_layout_arrays() -> None:
    """Base compartments first, then each character's copy of every one: ``base_index``
    and ``owner`` say which, and ``reaction_base`` repeats each reaction index by its
    number of versions, in the tagged model's order."""
    tags = Tags.of(SIR, ["A", "B"])
    assert tags.base_index.tolist() == [0, 1, 2] * 3
    assert tags.owner.tolist() == [-1] * 3 + [0] * 3 + [1] * 3
    assert tags.tagged.tolist() == [False] * 3 + [True] * 6
    counts = version_counts(SIR, ["A", "B"])
    assert tags.reaction_base.tolist() == [j for j, n in enumerate(counts) for _ in range(n)]
    tm = tag_model(SIR, ["A", "B"])
    assert [tm.reactions[i].equation for i in np.flatnonzero(tags.reaction_base == 1)] == [
        "I -> R",
        "I__A -> R__A",
        "I__B -> R__B",
    ]
    assert tags.zombies == SIR.zombies and tags.base == SIR.compartments


def test_none_is_the_model_itself() -> None:
    """Without characters every compartment is its own base, owned by nobody."""
    tags = Tags.none(AOUAD)
    assert tags.characters == () and tags.compartments == AOUAD.compartments
    assert tags.base_index.tolist() == list(range(6)) and (tags.owner == -1).all()
    assert tags.reaction_base.tolist() == list(range(len(AOUAD.reactions)))
    assert tags.expand(["Z"]) == ("Z",)


@pytest.mark.parametrize("target", AOUAD.compartments)
def test_copy_index_is_the_same_owners_copy_of_the_target(target: str) -> None:
    """For every compartment, ``copy_index(target)`` names the target owned by the same
    character (the base target for the untagged)."""
    chars = ["A", "B", "C"]
    tags = Tags.of(AOUAD, chars)
    names = tags.compartments
    got = [names[i] for i in tags.copy_index(target)]
    want = [target if o < 0 else tagged(target, chars[o]) for o in tags.owner]
    assert got == want
    assert tags.copy_index(target).dtype == np.int64


def test_copy_index_of_a_missing_target_is_all_minus_one() -> None:
    """A target the base model lacks gives -1 everywhere (a strike without D)."""
    tags = Tags.of(SIR, ["A"])
    assert tags.copy_index("D").tolist() == [-1] * 6


def _stacked() -> tuple[Tags, np.ndarray]:
    """Two runs, three times, two patches of SIR with characters A and B.

    Base counts ``10 r + t`` in S, ``p + 1`` in I; A in I of patch ``t % 2`` (run 0)
    or in R of patch 1 (run 1); B out of the model (run 0) or half in S of each
    patch (run 1, an ODE-like share).
    """
    tags = Tags.of(SIR, ["A", "B"])
    x = np.zeros((2, 3, 2, 9))
    for r in range(2):
        for t in range(3):
            x[r, t, :, 0] = 10 * r + t
            x[r, t, :, 1] = [1.0, 2.0]
            if r == 0:
                x[r, t, t % 2, 3 + 1] = 1.0
            else:
                x[r, t, 1, 3 + 2] = 1.0
                x[r, t, :, 6 + 0] = 0.5
    return tags, x.reshape(2, 3, 18)


def test_split_gives_base_counts_shares_and_patches() -> None:
    """``split`` folds each patch's counts to the base model, gives each character's
    shares over the base compartments (summed over patches) and the patch holding all of
    it, -1 where none does (out of the model, or spread over patches)."""
    tags, stacked = _stacked()
    base, shares, patch = tags.split(stacked, n_patches=2)
    assert base.shape == (2, 3, 2, 3) and shares.shape == (2, 3, 2, 3)  # type: ignore[union-attr]
    assert patch.shape == (2, 3, 2) and patch.dtype == np.int64  # type: ignore[union-attr]
    np.testing.assert_array_equal(base, tags.fold(stacked.reshape(2, 3, 2, 9)))
    assert base[0, 1, 1].tolist() == [1.0, 3.0, 0.0], "A in I of patch 1, counted in I"
    assert base[1, 0, 0].tolist() == [10.5, 1.0, 0.0], "half of B in S of patch 0"
    assert shares[0, :, 0].tolist() == [[0.0, 1.0, 0.0]] * 3  # type: ignore[index]
    assert shares[0, :, 1].tolist() == [[0.0, 0.0, 0.0]] * 3  # type: ignore[index]
    assert shares[1, :, 1].tolist() == [[1.0, 0.0, 0.0]] * 3  # type: ignore[index]
    assert patch[0].tolist() == [[0, -1], [1, -1], [0, -1]]  # type: ignore[index]
    assert patch[1].tolist() == [[1, -1]] * 3  # type: ignore[index]


def test_split_without_characters_is_counts_by_patch() -> None:
    """No characters: the counts reshaped by patch, and no shares or patches."""
    stacked = np.arange(2 * 4 * 6, dtype=float).reshape(2, 4, 6)
    base, shares, patch = Tags.none(SIR).split(stacked, n_patches=2)
    np.testing.assert_array_equal(base, stacked.reshape(2, 4, 2, 3))
    assert shares is None and patch is None


def test_reading_an_array_of_the_wrong_width_is_refused() -> None:
    """An axis that is not the tagged model's compartments is an error naming the axis."""
    tags = Tags.of(SIR, ["A"])
    with pytest.raises(ValueError, match="axis 0 has 3 entries; the tagged model has 6"):
        tags.fold(np.zeros((3, 6)), axis=0)
    with pytest.raises(ValueError, match="has 6 compartments"):
        tags.shares(np.zeros(5))
