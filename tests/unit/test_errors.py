"""Errors: what an InputError says, where it is placed, and the one "unknown name" error."""

from __future__ import annotations

import pytest

from hyosan.errors import EngineError, HyosanError, InputError, unknown


def test_input_error_message_parts() -> None:
    """Source, key, problem, value (by repr) and what is allowed, each only when given."""
    full = InputError("must be >= 0", source="a.toml", key="initial.S", value=-1, allowed="0+")
    assert str(full) == "a.toml: initial.S: must be >= 0 (got -1); allowed: 0+"
    assert str(InputError("bad")) == "bad"
    assert str(InputError("bad", key="runs", value="2")) == "runs: bad (got '2')"
    assert str(InputError("bad", value=None)) == "bad (got None)", "None is a value shown"


def test_input_error_is_a_value_error_and_engine_error_a_runtime_error() -> None:
    """Callers may catch the standard types; both are HyosanErrors."""
    assert issubclass(InputError, ValueError) and issubclass(InputError, HyosanError)
    assert issubclass(EngineError, RuntimeError) and issubclass(EngineError, HyosanError)
    assert not issubclass(EngineError, ValueError)


def test_at_places_an_error_in_a_source_and_under_a_prefix() -> None:
    """``at`` keeps the problem, value and allowed, prefixes the key and sets the source
    (keeping the old one when none is given)."""
    err = InputError("unknown", source="old", key="to", value="Zz", allowed="S, Z")
    moved = err.at("new.toml", "interventions[0].remove[1]")
    assert (moved.source, moved.key) == ("new.toml", "interventions[0].remove[1].to")
    assert (moved.problem, moved.value, moved.allowed) == ("unknown", "Zz", "S, Z")
    assert (
        str(moved) == "new.toml: interventions[0].remove[1].to: unknown (got 'Zz'); allowed: S, Z"
    )
    kept = InputError("x", source="old").at(key_prefix="p")
    assert (kept.source, kept.key, str(kept)) == ("old", "p", "old: p: x")
    assert str(InputError("x").at("s")) == "s: x"


def test_unknown_suggests_the_closest_name() -> None:
    """A name close to an allowed one is suggested; the allowed names are listed in order."""
    err = unknown("engine", "sas", ["ode", "ssa", "tau"], key="engine", source="--engine")
    assert isinstance(err, InputError)
    assert str(err) == (
        "--engine: engine: unknown engine (did you mean 'ssa'?) (got 'sas'); allowed: ode, ssa, tau"
    )


@pytest.mark.parametrize("name", ["zzzzzz", 3, None])
def test_unknown_without_a_close_name_suggests_nothing(name: object) -> None:
    """Nothing alike, or a value that is not a name: no 'did you mean'."""
    err = unknown("compartment", name, ["S", "I", "R"])
    assert err.problem == "unknown compartment"
    assert err.value == name and err.allowed == "S, I, R"


def test_unknown_with_nothing_allowed_and_an_extra() -> None:
    """An empty list reads '(none)'; ``extra`` follows the names."""
    assert unknown("region", "north", []).allowed == "(none)"
    err = unknown("compartment", "DD", ("D", "Z"), extra=" (or leave out)")
    assert err.allowed == "D, Z (or leave out)" and "did you mean 'D'?" in err.problem
