"""``[world] scale``: fewer or more people in every patch, the total kept exactly."""

from __future__ import annotations

import numpy as np
import pytest

from hyosan.errors import InputError
from hyosan.scenario import load_scenario, load_scenario_text, scenario_to_toml

BASE = """
name = "scaled"
model = "aouad"
[time]
end = 1.0
[world]
builtin = "hyosan-school"
fill = "S"
"""


@pytest.mark.parametrize("scale", [0.1, 0.5, 2.0, 3.7])
def test_scale_multiplies_every_patch_and_keeps_the_total(scale: float) -> None:
    """Each patch holds its count times ``scale`` to within one person, in whole people, the
    total is the rounded scaled total, and ``scale`` survives a TOML round trip."""
    sc = load_scenario_text(BASE + f"scale = {scale}\n")
    world = sc.world.world
    pop = sc.world.population
    assert pop.sum() == round(scale * world.population.sum())
    assert np.all(np.abs(pop - scale * world.population) < 1.0)  # no patch moves a whole person
    assert np.all(pop == np.round(pop))
    assert sc.initial["S"] == pop.sum()
    again = load_scenario_text(scenario_to_toml(sc))
    assert again.world.scale == scale and again.initial == sc.initial


@pytest.mark.parametrize("bad", ["0", "-1.0", "inf", '"half"'])
def test_a_bad_scale_names_the_key(bad: str) -> None:
    """A zero, negative, infinite or non-numeric scale raises an ``InputError`` naming
    ``world.scale``."""
    with pytest.raises(InputError) as err:
        load_scenario_text(BASE + f"scale = {bad}\n")
    assert err.value.key == "world.scale"


def test_scale_one_is_the_world_itself() -> None:
    """Without ``scale`` (a scale of 1) the scenario's patch populations are the world's own,
    exactly."""
    sc = load_scenario("hyosan-school")
    np.testing.assert_array_equal(sc.world.population, sc.world.world.population)
