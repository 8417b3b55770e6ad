"""Characters are exchangeable with the people around them.

A character who starts in compartment ``X`` (in patch ``p``) is, in the exact
engines, one of ``X``'s individuals like any other; so the probability that it
is in ``X`` (in patch ``q``) at time ``T`` equals the expected share of the
untagged individuals who started in ``X`` (in ``p``) and are there at ``T``.
The untagged counts give that share where nobody else can enter ``X``: humans
``S`` have no inflow, and hybrids ``H`` none with ``p_hybrid = 0``. In space
every human starts in patch 0 and every hybrid in patch 3, so the untagged
count of ``S`` (``H``) in patch ``q`` counts exactly the survivors from there.

Each run gives the character's indicator ``I`` and the untagged share ``f``;
both estimate the same probability, and their difference ``d = I - f`` has
mean 0. It is z-tested on its paired standard error at 4 standard errors
(two-sided false alarm 6.3e-5 each; 6 + 24 comparisons, so below 2e-3 in
all for a random choice of seeds; the seeds are fixed, so a run repeats
exactly). With 10000 runs the standard error of ``d``'s mean is below 0.005,
so a character whose chance is off by 0.02 (one tagged bite version lost
out of the ~40 that bite it, say) shows.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from hyosan._typing import FloatArray
from hyosan.engines import DirectSSA, Plan, run_plan
from hyosan.interventions import At, Condition, Impulse, Intervention, Remove, SetParameters, When
from hyosan.model import builtin_model
from hyosan.model.characters import Tags, expand_movement, place_characters, tag_model
from hyosan.space import World, WorldSetup

pytestmark = pytest.mark.slow

Z_LIMIT = 4.0
RUNS = 10_000
AOUAD = builtin_model("aouad")
CHARS = ("On_jo", "Cheong_san", "Nam_ra")
START = {"On_jo": "S", "Cheong_san": "S", "Nam_ra": "H"}
#: hybrids bite and die often enough to matter, and nobody new becomes one
PARAMS = {**AOUAD.defaults, "p_hybrid": 0.0, "beta_h": 0.3, "alpha_h": 0.5}
TIMES = np.array([0.0, 1.0, 3.0])  # hours
S, H = AOUAD.compartments.index("S"), AOUAD.compartments.index("H")


def _z(indicator: FloatArray, share: FloatArray) -> float:
    """z-score of the mean of ``indicator - share`` on its paired standard error."""
    d = indicator - share
    se = d.std(ddof=1) / math.sqrt(len(d))
    return float(d.mean() / se) if se > 0 else 0.0


def test_characters_are_exchangeable_well_mixed() -> None:
    """aouad with 40 humans (On_jo and Cheong_san among them), 2 zombies, 5 hybrids
    (Nam_ra among them); 20% of the humans evacuated out of the model at 0.5 h, and
    alpha raised when Z >= 6: at 1 h and 3 h, P(On_jo human) = P(Cheong_san human) =
    E[S / 38] and P(Nam_ra a hybrid still) = E[H / 4]."""
    tags = Tags.of(AOUAD, CHARS)
    model = tag_model(AOUAD, CHARS)
    x0 = place_characters([40.0, 0.0, 0.0, 2.0, 5.0, 0.0], tags, START)
    ivs = [
        iv.for_characters(tags)
        for iv in (
            Intervention(At(0.5), (Remove((Impulse("S", 0.2),)),)),
            Intervention(When(Condition.parse("Z >= 6")), (SetParameters({"alpha": 1.0}),)),
        )
    ]
    plan = Plan.build(model, PARAMS, DirectSSA(), interventions=ivs, tags=tags)
    rng = np.random.default_rng(20220128)
    runs = np.stack(
        [run_plan(plan, x0, TIMES, rng)[0] for _ in range(RUNS)]
    )  # (runs, times, C (K + 1))
    states, counts = tags.states(runs), runs[..., : len(tags.base)]
    for t in (1, 2):
        human = counts[:, t, S] / 38.0
        for i, who in enumerate(CHARS[:2]):
            z = _z((states[:, t, i] == S).astype(float), human)
            assert abs(z) < Z_LIMIT, f"{who} at {TIMES[t]} h: z = {z:.2f}"
        z = _z((states[:, t, 2] == H).astype(float), counts[:, t, H] / 4.0)
        assert abs(z) < Z_LIMIT, f"Nam_ra at {TIMES[t]} h: z = {z:.2f}"
    assert 0.2 < (states[:, -1, 0] == S).mean() < 0.8, "the test needs a real chance"


def test_characters_are_exchangeable_in_space() -> None:
    """A 2 x 2 lattice: 60 humans in patch 0 (On_jo, Cheong_san), a zombie in each other
    patch, 4 hybrids in patch 3 (Nam_ra); everyone moves (zombies faster). For every
    patch q at 1 h and 3 h, P(On_jo human in q) = E[S_q / 58] and P(Nam_ra a hybrid in
    q) = E[H_q / 3]; every character is in exactly one patch throughout."""
    tags = Tags.of(AOUAD, CHARS)
    model = tag_model(AOUAD, CHARS)
    world = World.lattice([[20.0, 20.0], [20.0, 20.0]])
    rates = {"S": 0.3, "E": 0.3, "Ez": 0.3, "Z": 0.5, "H": 0.3}
    setup = WorldSetup(world, movement=expand_movement(rates, tags.characters))
    base = np.zeros((4, len(tags.base)))
    base[0, S], base[1:, AOUAD.compartments.index("Z")], base[3, H] = 60.0, 1.0, 4.0
    x0 = place_characters(base, tags, START, {"On_jo": 0, "Cheong_san": 0, "Nam_ra": 3})
    plan = Plan.build(model, PARAMS, DirectSSA(), setup=setup, tags=tags)
    rng = np.random.default_rng(20220129)
    runs = np.stack([run_plan(plan, x0, TIMES, rng)[0] for _ in range(RUNS)]).reshape(
        RUNS, len(TIMES), world.n_patches, -1
    )
    shares = tags.shares(runs)  # (runs, times, patches, K, C)
    assert np.all(shares.sum(axis=(2, 4)) == 1.0), "a character lost or doubled"
    counts = runs[..., : len(tags.base)]
    for t in (1, 2):
        for q in range(world.n_patches):
            for i, who in enumerate(CHARS[:2]):
                z = _z(shares[:, t, q, i, S], counts[:, t, q, S] / 58.0)
                assert abs(z) < Z_LIMIT, f"{who} in patch {q} at {TIMES[t]} h: z = {z:.2f}"
            z = _z(shares[:, t, q, 2, H], counts[:, t, q, H] / 3.0)
            assert abs(z) < Z_LIMIT, f"Nam_ra in patch {q} at {TIMES[t]} h: z = {z:.2f}"


def test_characters_leap_with_the_crowd_under_tau_leaping() -> None:
    """Spatial tau-leaping with crowds large enough to leap: 30,000 humans and 3,000
    zombies in patch 0 (On_jo among the humans), 3,000 zombies next door, everyone
    moving (this leaps: 3.7 times faster than with every patch exact). A character's reactions
    are Poisson draws like the crowd's (a double firing halves the step), its moves
    Bernoulli draws like each person's; so P(On_jo human in q) = E[S_q / 29,999] up to
    tau-leaping's own error, second order in the step. With 2,000 runs the paired
    standard error is about 0.01: the test shows a character that lags or outruns the
    crowd by a few hundredths (a lost bite version, frozen moves), not that error."""
    from hyosan.engines import TauLeap

    tags = Tags.of(AOUAD, CHARS[:1])
    model = tag_model(AOUAD, CHARS[:1])
    world = World.lattice([[1500.0, 1500.0], [1500.0, 1500.0]])
    rates = {"S": 0.3, "E": 0.3, "Ez": 0.3, "Z": 1.0, "H": 0.3}
    setup = WorldSetup(world, movement=expand_movement(rates, tags.characters))
    base = np.zeros((4, len(tags.base)))
    z = AOUAD.compartments.index("Z")
    base[0, S], base[0, z], base[1, z] = 30_000.0, 3_000.0, 3_000.0
    x0 = place_characters(base, tags, {"On_jo": "S"}, {"On_jo": 0})
    plan = Plan.build(model, PARAMS, TauLeap(), setup=setup, tags=tags)
    rng = np.random.default_rng(20220128)
    n = 2_000
    runs = np.stack([run_plan(plan, x0, TIMES, rng)[0] for _ in range(n)]).reshape(
        n, len(TIMES), world.n_patches, -1
    )
    shares = tags.shares(runs)
    assert np.all(shares.sum(axis=(2, 4)) == 1.0), "a character lost or doubled"
    counts = runs[..., : len(tags.base)]
    human = shares[:, :, :, 0, S].sum(axis=2)
    assert 0.05 < human[:, 2].mean() < 0.95  # the question is not trivial at 3 h
    for t in (1, 2):
        for q in range(world.n_patches):
            score = _z(shares[:, t, q, 0, S], counts[:, t, q, S] / 29_999.0)
            assert abs(score) < Z_LIMIT, f"On_jo in patch {q} at {TIMES[t]} h: z = {score:.2f}"
