"""Invariants of every engine on every built-in model, for random parameters and states."""

from __future__ import annotations

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from hyosan.engines import get_engine, run_path
from hyosan.model import BUILTIN_MODELS, builtin_model
from hyosan.model.core import probabilities

TIMES = np.linspace(0.0, 5.0, 11)


@st.composite
def cases(draw: st.DrawFn) -> tuple:
    name = draw(st.sampled_from(sorted(BUILTIN_MODELS)))
    model = builtin_model(name)
    params = {}
    unit_range = probabilities(model)  # used as 1 - p: p_hybrid, aouad-camp's control
    for p in model.parameters:
        if p.name in unit_range:
            params[p.name] = draw(st.floats(0.0, 1.0))
        elif name.startswith("munz") and p.name in ("beta", "alpha"):
            params[p.name] = draw(st.floats(0.0, 0.01))  # mass action: per pair of people
        else:
            params[p.name] = draw(st.floats(0.0, 5.0))
    x0 = np.array([draw(st.integers(0, 300)) for _ in model.compartments], dtype=float)
    seed = draw(st.integers(0, 2**32))
    return model, params, x0, seed


@settings(max_examples=60, deadline=None)
@given(cases(), st.sampled_from(["ssa", "tau"]))
def test_counts_are_whole_and_never_negative(case: tuple, engine: str) -> None:
    """Exact and tau-leaping paths stay on whole numbers >= 0."""
    model, params, x0, seed = case
    out, _ = run_path(model, params, x0, TIMES, (), get_engine(engine), np.random.default_rng(seed))
    assert np.all(out >= 0) and np.all(out == np.round(out))


@settings(max_examples=60, deadline=None)
@given(cases(), st.sampled_from(["ode", "ssa", "tau"]))
def test_population_is_conserved_where_the_model_conserves_it(case: tuple, engine: str) -> None:
    """Without births or removal the total over compartments never changes.

    Models that gain people only by births (a constant rate ``Pi``) are run with
    ``Pi = 0``; a model whose other reactions change the total is not a case.
    """
    model, params, x0, seed = case
    if not model.conserves_population:
        params = {**params, "Pi": 0.0}
        changers = [r for r in model.reactions if sum(r.change().values()) != 0]
        assume(all(r.rate_law == 0 for r in changers))  # only births change the total
    out, _ = run_path(model, params, x0, TIMES, (), get_engine(engine), np.random.default_rng(seed))
    np.testing.assert_allclose(out.sum(axis=1), x0.sum(), rtol=1e-6, atol=1e-6)


@settings(max_examples=30, deadline=None)
@given(cases(), st.sampled_from(["ssa", "tau"]))
def test_same_seed_gives_the_same_numbers(case: tuple, engine: str) -> None:
    """Two runs from the same seed are identical, number for number."""
    model, params, x0, seed = case
    a, ea = run_path(model, params, x0, TIMES, (), get_engine(engine), np.random.default_rng(seed))
    b, eb = run_path(model, params, x0, TIMES, (), get_engine(engine), np.random.default_rng(seed))
    np.testing.assert_array_equal(a, b)
    assert ea == eb
