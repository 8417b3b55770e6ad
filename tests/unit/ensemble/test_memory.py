"""A result too large for the machine is refused before any work, as bad input."""

from __future__ import annotations

import pytest

import hyosan
from hyosan.errors import InputError
from hyosan.scenario import load_scenario_text

HUGE = """
name = "huge"
model = "alemi"
engine = "tau"
[time]
end = 1.0
points = 2000000
[world]
lattice = { rows = 200, cols = 200, people = 10 }
"""


def test_a_result_larger_than_memory_is_refused_naming_the_output_grid() -> None:
    """2e6 output times x 40,000 patches x 3 compartments (about 3.6 TiB) cannot be held:
    InputError on ``time.points`` instead of failing halfway (from the loader, which
    checks that one run on a lattice fits before it builds the lattice)."""
    with pytest.raises(InputError) as info:
        hyosan.simulate(load_scenario_text(HUGE, source="huge.toml"), seed=1)
    assert info.value.key == "time.points"
    assert info.value.value == 2_000_000
    assert "GiB" in info.value.problem
