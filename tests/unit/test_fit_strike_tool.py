"""``tools/fit_strike.py``: its residual, and the scenarios it checks and writes."""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path
from types import ModuleType

import pytest

import hyosan
from hyosan.scenario import load_scenario_text, scenario_to_toml

TOOL = Path(__file__).resolve().parents[2] / "tools" / "fit_strike.py"


@pytest.fixture(scope="module")
def tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fit_strike", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["fit_strike"] = module  # its dataclass looks itself up there
    spec.loader.exec_module(module)
    return module


def test_the_residual_is_the_rms_of_the_relative_errors(tool: ModuleType) -> None:
    assert tool.residual(50_000, 10_000) == 0.0
    assert tool.residual(0, 0) == 1.0
    assert math.isclose(tool.residual(60_000, 10_000), math.sqrt(0.2**2 / 2))


@pytest.mark.parametrize(("kind", "value"), [("when", 44_000.0), ("at", 18.0)])
def test_a_rule_becomes_a_runnable_season1(tool: ModuleType, kind: str, value: float) -> None:
    """The rule's fraction, zone and moment replace season1's; the rest stays; the TOML
    written for it loads back to the same scenario."""
    base = hyosan.load_scenario("season1")
    rule = tool.Rule(0.05, "downtown", kind, value)
    sc = tool.as_scenario(base, rule)
    camp, strike = sc.interventions[tool.CAMP], sc.interventions[tool.STRIKE]
    assert camp.to_toml()["camp"]["fraction"] == 0.05
    written = strike.to_toml()
    assert written["strike"]["region"] == "downtown"
    if kind == "when":
        want = hyosan.Condition.parse("Z >= 44000 in downtown")
        assert hyosan.Condition.parse(written["when"]) == want and "at" not in written
    else:
        assert written["at"] == 18.0 and "when" not in written
    assert sc.name == "season1-toll" and sc.characters == base.characters
    again = load_scenario_text(scenario_to_toml(sc), source="season1-toll.toml")
    assert again.interventions[tool.STRIKE].to_toml() == written
