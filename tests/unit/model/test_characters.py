"""Characters: the tagged model splits every reaction exactly, and Tags reads results back."""

from __future__ import annotations

import numpy as np
import pytest

from hyosan.engines import DirectSSA, OdeEngine, run_path
from hyosan.engines._kernels.propensity import propensities
from hyosan.errors import InputError
from hyosan.interventions import (
    At,
    Camp,
    Condition,
    Impulse,
    Intervention,
    Remove,
    SetParameters,
    When,
)
from hyosan.model import CompiledModel, Model, Parameter, Reaction, builtin_model, compile_model
from hyosan.model.characters import (
    Tags,
    expand_compartments,
    expand_movement,
    place_characters,
    tag_model,
    tagged,
)
from hyosan.space import Selection

AOUAD = builtin_model("aouad")
CHARS = ("On_jo", "Cheong_san", "Nam_ra")


def _brawl() -> Model:
    """Every law, the same compartment twice, an inflow and a removal."""
    R = Reaction.parse
    return Model(
        name="brawl",
        compartments=("S", "Z", "D"),
        parameters=(Parameter("k", 0.7), Parameter("m", 0.2), Parameter("Pi", 1.5)),
        reactions=(
            R("Z + Z -> Z + D", "k", law="mass_action", name="zombie fight"),
            R("S + S -> S + Z", "k", law="frequency", name="quarrel"),
            R("S + Z -> Z + Z", "m", law="mass_action"),
            R("-> S", "Pi", name="birth"),
            R("Z ->", "m", name="decay"),
        ),
        population=("S", "Z"),
    )


def _random_state(tags: Tags, rng: np.random.Generator) -> np.ndarray:
    """Base counts plus each character in one random compartment, or in none."""
    c = len(tags.base)
    x = np.zeros(len(tags.base_index))
    x[:c] = rng.integers(0, 6, size=c)
    for i in range(len(tags.characters)):
        j = rng.integers(-1, c)
        if j >= 0:
            x[(i + 1) * c + j] = 1.0
    return x


def _propensities(cm: CompiledModel, x: np.ndarray, exact: bool) -> np.ndarray:
    """Every reaction's propensity in state ``x``, by the kernel's Python function."""
    a = np.empty(cm.n_reactions)
    propensities.py_func(x, cm.k, cm.law, cm.r1, cm.r2, cm.in_n, exact, a)
    return a


@pytest.mark.parametrize("model", [AOUAD, _brawl()], ids=["aouad", "brawl"])
@pytest.mark.parametrize("k", [1, 3])
def test_versions_split_every_propensity_exactly(model: Model, k: int) -> None:
    """For random states, each base reaction's propensity on the folded state is the sum
    of its versions' propensities (exact engines' ordered pairs included)."""
    chars = CHARS[:k]
    split_cm, base_cm, tags = (
        compile_model(tag_model(model, chars)),
        compile_model(model),
        Tags.of(model, chars),
    )
    rng = np.random.default_rng(5)
    for _ in range(200):
        x = _random_state(tags, rng)
        split = _propensities(split_cm, x, exact=True)
        summed = np.bincount(tags.reaction_base, weights=split, minlength=len(model.reactions))
        np.testing.assert_allclose(summed, _propensities(base_cm, tags.fold(x), exact=True))


def test_with_shares_the_split_misses_only_a_character_meeting_itself() -> None:
    """With fractional shares (the ODE's case) a character can be partly in ``S`` and
    partly in ``Z``; the versions then sum to the base propensity less exactly the
    self-pairs ``k S__a Z__a / N`` that no version has (a character never bites itself)."""
    tags = Tags.of(AOUAD, CHARS)
    split_cm, base_cm = compile_model(tag_model(AOUAD, CHARS)), compile_model(AOUAD)
    k = base_cm.k
    rng = np.random.default_rng(6)
    c = len(tags.base)
    for _ in range(50):
        x = rng.uniform(0.0, 5.0, size=len(tags.base_index))
        split = _propensities(split_cm, x, exact=False)
        summed = np.bincount(tags.reaction_base, weights=split)
        missing = np.zeros(len(AOUAD.reactions))
        n = tags.fold(x)[: len(AOUAD.population)].sum()
        for j, r in enumerate(AOUAD.reactions):
            if len(r.reactants) == 2:
                i1, i2 = (AOUAD.compartments.index(s) for s in r.reactants)
                missing[j] = sum(k[j] * x[a * c + i1] * x[a * c + i2] / n for a in (1, 2, 3))
        np.testing.assert_allclose(
            summed + missing, _propensities(base_cm, tags.fold(x), exact=False)
        )


@pytest.mark.parametrize("k", [0, 1, 2, 3, 5])
def test_number_of_versions(k: int) -> None:
    """(K + 1)^2 - K versions with two reactants, K + 1 with one, one inflow."""
    model = _brawl()
    tags = Tags.of(model, CHARS[:k] + ("Su_hyeok", "Mi_jin")[: max(0, k - 3)])
    per = np.bincount(tags.reaction_base, minlength=len(model.reactions))
    want = [len(r.reactants) for r in model.reactions]
    expect = {2: (k + 1) ** 2 - k, 1: k + 1, 0: 1}
    assert per.tolist() == [expect[n] for n in want]
    assert len(tag_model(model, tags.characters).reactions) == per.sum()


def test_versions_conserve_population_and_fold_to_the_base_change() -> None:
    """Every version changes the folded counts as its base reaction does, keeps each
    character (at most one copy gained, only where one was lost) and conserves
    the population when the base model does."""
    for model in (AOUAD, _brawl()):
        tm, tags = tag_model(model, CHARS), Tags.of(model, CHARS)
        cm, base = compile_model(tm), compile_model(model)
        assert tm.conserves_population == model.conserves_population
        np.testing.assert_array_equal(tags.fold(cm.stoich), base.stoich[tags.reaction_base])
        per_char = tags.shares(cm.stoich).sum(axis=-1)  # (reactions, K)
        assert set(per_char.ravel().tolist()) <= {0.0, -1.0}
    lost = tags.shares(compile_model(tag_model(_brawl(), CHARS)).stoich).sum(axis=-1)
    decay = tags.reaction_base == 4
    assert (lost[decay] == -1.0).sum() == len(CHARS), "Z__a -> takes a out of the model"
    assert not lost[~decay].any()


def test_tagged_reactions_follow_the_tag_by_position() -> None:
    """Products inherit reactant i's tag at position i; names say who is in which role."""
    tm = tag_model(AOUAD, ["On_jo", "Nam_ra"])
    eqs = {(r.name, r.equation) for r in tm.reactions}
    assert ("bite", "S + Z -> E + Z") in eqs
    assert ("bite [On_jo as S]", "S__On_jo + Z -> E__On_jo + Z") in eqs
    assert (
        "fight zombie [On_jo as S, Nam_ra as Z]",
        "S__On_jo + Z__Nam_ra -> S__On_jo + D__Nam_ra",
    ) in eqs
    assert tm.parameters == AOUAD.parameters
    assert tm.population[:5] == AOUAD.population and "H__Nam_ra" in tm.population
    assert tm.humans == ("S", "S__On_jo", "S__Nam_ra")
    assert tm.zombies == ("Z", "Z__On_jo", "Z__Nam_ra")
    assert tag_model(AOUAD, []) is AOUAD


def test_fold_shares_and_states_round_trip() -> None:
    """Counts built from base counts and each character's compartment fold back to the
    totals, and states gives the compartments back (-1 for a character in none), on
    any axis."""
    tags = Tags.of(AOUAD, CHARS)
    rng = np.random.default_rng(7)
    c, t = len(tags.base), 4
    base = rng.integers(0, 50, size=(t, c)).astype(float)
    where = rng.integers(-1, c, size=(t, len(CHARS)))
    x = np.zeros((t, len(tags.base_index)))
    x[:, :c] = base
    for i in range(len(CHARS)):
        has = where[:, i] >= 0
        x[np.flatnonzero(has), (i + 1) * c + where[has, i]] = 1.0
    totals = base.copy()
    for i in range(len(CHARS)):
        has = where[:, i] >= 0
        totals[np.flatnonzero(has), where[has, i]] += 1.0
    np.testing.assert_array_equal(tags.fold(x), totals)
    np.testing.assert_array_equal(tags.states(x), where)
    np.testing.assert_array_equal(tags.fold(x.T, axis=0), totals.T)
    np.testing.assert_array_equal(tags.states(x.T, axis=0), where)
    assert tags.shares(x).shape == (t, len(CHARS), c)
    assert tags.compartments == tag_model(AOUAD, CHARS).compartments
    with pytest.raises(ValueError, match="use shares"):
        tags.states(x * 0.5)


@pytest.mark.parametrize(
    ("name", "index"),
    [("On-jo", 0), ("Nam__ra", 0), ("_x", 0), ("1st", 0), ("", 0), ("Onjo", 1)],
)
def test_bad_character_names_are_refused(name: str, index: int) -> None:
    """Names must be identifiers starting with a letter, without '__', each listed once."""
    with pytest.raises(InputError) as err:
        tag_model(AOUAD, ["Onjo", name] if index else [name])
    assert err.value.key == f"characters[{index}].name"
    assert repr(name) in str(err.value)


def test_compartments_with_the_tag_are_refused() -> None:
    """A compartment named like a tagged copy would clash: it is refused, with its key."""
    m = Model("m", ("S", "Z__x"), (Parameter("b", 1.0),), (Reaction.parse("S -> Z__x", "b"),))
    with pytest.raises(InputError, match="cannot hold") as err:
        tag_model(m, ["x"])
    assert err.value.key == "compartments[1]"
    assert tag_model(m, []) is m


def test_copy_index_follows_the_owner() -> None:
    """A tagged compartment's copy is its owner's; untagged ones go to the base copy."""
    tags = Tags.of(AOUAD, ["On_jo", "Nam_ra"])
    comps = tags.compartments
    assert comps == tag_model(AOUAD, ["On_jo", "Nam_ra"]).compartments
    dead = tags.copy_index("D")
    assert [comps[i] for i in dead[[0, 3, 6, 9, 17]]] == [
        "D",
        "D",
        "D__On_jo",
        "D__On_jo",
        "D__Nam_ra",
    ]
    assert (Tags.none(builtin_model("sir")).copy_index("D") == -1).all()
    assert [comps[i] for i in tags.copy_index("Ez")[[1, 7]]] == ["Ez", "Ez__On_jo"]
    assert tags.tagged.tolist() == [False] * 6 + [True] * 12


def test_interventions_expand_over_the_copies() -> None:
    """Impulses split per copy (the copy's ``to`` tagged), conditions count the copies,
    camps list the copies in move and screen (defaults made explicit)."""
    tags = Tags.of(AOUAD, ["A", "B"])
    iv = Intervention(
        When(Condition.parse("Z + H >= 10")),
        (
            SetParameters({"alpha": 1.0}),
            Remove((Impulse("Z", 0.5, "D"), Impulse("S", 0.1))),
            Camp(Selection(), "camp", detected_to="D"),
        ),
    )
    out = iv.for_characters(tags)
    setting, remove, camp = out.actions
    assert setting == SetParameters({"alpha": 1.0}) and isinstance(camp, Camp)
    assert isinstance(remove, Remove) and isinstance(out.trigger, When)
    assert [(r.compartment, r.to) for r in remove.impulses] == [
        ("Z", "D"),
        ("Z__A", "D__A"),
        ("Z__B", "D__B"),
        ("S", None),
        ("S__A", None),
        ("S__B", None),
    ]
    assert out.trigger.when.compartments == ("Z", "H", "Z__A", "H__A", "Z__B", "H__B")
    assert camp.move == expand_compartments(("S", "E", "Ez", "H"), ["A", "B"])
    assert camp.screen == ("E", "Ez", "E__A", "Ez__A", "E__B", "Ez__B")
    assert camp.detected_to == "D"
    tagged_model = tag_model(AOUAD, ["A", "B"])
    Intervention(out.trigger, (setting, remove)).check(tagged_model, None)
    assert expand_movement({"Z": 0.5}, ["A", "B"]) == {"Z": 0.5, "Z__A": 0.5, "Z__B": 0.5}


def test_place_characters_takes_them_out_of_the_base_counts() -> None:
    """Each character is one of its start compartment's people, in its patch."""
    tags = Tags.of(AOUAD, ["A", "B"])
    x = place_characters(
        np.array([[5.0, 0, 0, 1, 0, 0], [3.0, 0, 0, 0, 2, 0]]),
        tags,
        {"A": "S", "B": "H"},
        {"A": 0, "B": 1},
    )
    np.testing.assert_array_equal(tags.fold(x), [[5, 0, 0, 1, 0, 0], [3, 0, 0, 0, 2, 0]])
    assert x[0, tags.compartments.index(tagged("S", "A"))] == 1.0
    np.testing.assert_array_equal(tags.states(x), [[0, -1], [-1, 4]])
    with pytest.raises(InputError, match="nobody") as err:
        place_characters(np.zeros(6), tags, {"A": "S", "B": "H"})
    assert err.value.key == "characters[0].start"


def test_a_run_moves_characters_with_the_interventions() -> None:
    """Through the driver: an impulse moving all of S to D at t = 1 takes On_jo to D__On_jo,
    and in the ODE a character's shares sum to 1 and its share in S is S(t) / S(0) of the
    untagged humans, up to the self-exclusion (a share of order 1 / N)."""
    model = tag_model(AOUAD, ["On_jo"])
    tags = Tags.of(AOUAD, ["On_jo"])
    x0 = place_characters([30.0, 0, 0, 1, 0, 0], tags, {"On_jo": "S"})
    times = np.array([0.0, 0.5, 2.0])
    still = {**AOUAD.defaults, "beta": 0.0}
    cull = Intervention(At(1.0), (Remove((Impulse("S", 1.0, "D"),)),))
    ivs = [cull.for_characters(tags)]
    rng = np.random.default_rng(1)
    out, _ = run_path(model, still, x0, times, ivs, DirectSSA(), rng, tags=tags)
    assert tags.states(out)[:, 0].tolist() == [0, 0, AOUAD.compartments.index("D")]
    assert tags.fold(out)[-1, 0] == 0.0
    params = {**AOUAD.defaults, "beta": 0.5}
    ode, _ = run_path(model, params, x0, times, (), OdeEngine(), np.random.default_rng(0))
    shares = tags.shares(ode)[:, 0, :]
    np.testing.assert_allclose(shares.sum(axis=1), 1.0, rtol=1e-6)
    # exact but for the self-exclusion: S__On_jo is not bitten by Z__On_jo (<= beta / N)
    np.testing.assert_allclose(shares[:, 0], ode[:, 0] / 29.0, rtol=1e-3)
