"""A result folder reproduces its numbers alone (issue 15, item 11).

The resolved ``scenario.toml`` holds a world read from a file inline
(``[world.plan]``: the file's patches, doors and regions), not the file's
absolute path, and a model read from a file inline (``[model]``); built-in
worlds, maps and lattices ship inside hyosan and are written by name.
"""

from __future__ import annotations

import shutil
import tomllib
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from hyosan.cli import main
from hyosan.errors import InputError
from hyosan.scenario import load_scenario, load_scenario_text
from hyosan.scenario.dump import scenario_to_dict, scenario_to_toml
from hyosan.space import builtin_world

PLAN = """name = "two-rooms"
unit = "m"

[[patches]]
name = "lab"
kind = "room"
floor = 3
x = 1.5
y = 2.0
people = 40
label = "Science lab"

[[patches]]
name = "hall"
kind = "corridor"
people = 20

[[patches]]
name = "yard"
kind = "yard"
people = 7

[[doors]]
between = ["lab", "hall"]
weight = 2.0

[[doors]]
between = ["hall", "yard"]
one_way = true
closable = false

[regions]
inside = ["lab", "hall"]
"""

MODEL = """compartments = ["S", "I", "R"]
humans = ["S"]
zombies = ["I"]
parameters = { beta = 0.02, gamma = 0.1 }
reactions = [
  { equation = "S + I -> 2 I", rate = "beta" },
  { equation = "I -> R", rate = "gamma" },
]
"""

SCENARIO = """model = "models/sir-file.toml"
engine = "ssa"
runs = 2
seed = 11
[time]
end = 5
points = 11
[world]
file = "plans/two-rooms.toml"
movement = {{ I = 0.5, S = 0.1 }}
fill = "S"
camps = ["camp"]
[[world.seed]]
compartment = "I"
count = 2
where = "lab"
{extra}"""


def _write(folder: Path, extra: str = "") -> Path:
    (folder / "plans").mkdir(parents=True)
    (folder / "models").mkdir()
    (folder / "plans" / "two-rooms.toml").write_text(PLAN, encoding="utf-8")
    (folder / "models" / "sir-file.toml").write_text(MODEL, encoding="utf-8")
    path = folder / "study.toml"
    path.write_text(SCENARIO.format(extra=extra), encoding="utf-8")
    return path


def test_the_resolved_scenario_holds_the_world_and_the_model_inline(tmp_path: Path) -> None:
    """No path of the world file or the model file is written: their content is."""
    scenario = load_scenario(_write(tmp_path / "study"))
    data = scenario_to_dict(scenario)
    assert "file" not in data["world"]
    plan = data["world"]["plan"]
    assert [p["name"] for p in plan["patches"]] == ["lab", "hall", "yard"]  # not the camp
    assert plan["patches"][0] == {
        "name": "lab",
        "kind": "room",
        "floor": 3,
        "x": 1.5,
        "y": 2.0,
        "people": 40,
        "label": "Science lab",
    }
    assert plan["doors"] == [
        {"between": ["lab", "hall"], "weight": 2.0},
        {"between": ["hall", "yard"], "closable": False, "one_way": True},
    ]
    assert plan["regions"] == {"inside": ["lab", "hall"]}
    assert data["model"]["compartments"] == ["S", "I", "R"]
    assert str(tmp_path) not in scenario_to_toml(scenario)


def test_a_result_folder_reruns_to_the_same_numbers_when_the_files_are_gone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Run with --out, delete the world and model files, run OUT/scenario.toml again:
    the same totals, to the bit."""
    path = _write(tmp_path / "study")
    first, second = tmp_path / "first", tmp_path / "second"
    assert main(["run", str(path), "--out", str(first)]) == 0, capsys.readouterr().err
    shutil.rmtree(tmp_path / "study")
    assert main(["run", str(first / "scenario.toml"), "--out", str(second)]) == 0
    a = pd.read_parquet(first / "totals.parquet")
    b = pd.read_parquet(second / "totals.parquet")
    pd.testing.assert_frame_equal(a, b)
    assert (first / "scenario.toml").read_text() == (second / "scenario.toml").read_text()


@pytest.mark.parametrize("name", ["hyosan-school", "hyosan-city", "hyosan-camp"])
def test_a_world_file_round_trips_through_the_inline_plan(tmp_path: Path, name: str) -> None:
    """The shipped worlds given as files (the city includes the school, scaled): the
    inline plan reads back to the same patches, places, people, kinds, floors, labels,
    edges in the same order, and regions."""
    source = resources.files("hyosan.space") / "worlds" / f"{name}.toml"
    (tmp_path / f"{name}.toml").write_text(source.read_text("utf-8"), encoding="utf-8")
    text = f'model = "sir"\n[time]\nend = 1\n[world]\nfile = "{name}.toml"\n'
    scenario = load_scenario_text(text, base_dir=tmp_path)
    again = load_scenario_text(scenario_to_toml(scenario))
    assert again.world == scenario.world
    w, v = scenario.world.world, again.world.world  # type: ignore[union-attr]
    reference = builtin_world(name)
    for world in (w, v):
        assert world.patches == reference.patches and world.kinds == reference.kinds
        assert world.labels == reference.labels and world.regions == reference.regions
        for field in ("x", "y", "population", "floor", "src", "dst", "weight", "closable"):
            assert np.array_equal(getattr(world, field), getattr(reference, field)), field


def test_an_inline_plan_can_be_written_by_hand() -> None:
    """``[world.plan]`` is a world file's tables under ``[world]``."""
    body = PLAN.replace("[[patches]]", "[[world.plan.patches]]")
    body = body.replace("[[doors]]", "[[world.plan.doors]]").replace("[regions]", "")
    body = body.replace('name = "two-rooms"\nunit = "m"\n', "")
    body = body.replace('inside = ["lab", "hall"]', "")
    body = body.replace("people = 7", "people = 0.5")
    text = 'model = "sir"\nengine = "ode"\n[time]\nend = 1\n[world]\nfill = "S"\n' + body
    scenario = load_scenario_text(text)
    assert scenario.world is not None
    assert scenario.world.world.patches == ("lab", "hall", "yard")
    plan = tomllib.loads(scenario_to_toml(scenario))["world"]["plan"]
    assert plan["patches"][2]["people"] == 0.5


def test_an_error_in_an_inline_plan_names_its_key() -> None:
    """A bad patch in ``[world.plan]`` is keyed under ``world.plan``, in the scenario."""
    plan = 'plan = { patches = [{ name = "a", x = "far" }] }\n'
    text = 'model = "sir"\n[time]\nend = 1\n[world]\n' + plan
    with pytest.raises(InputError) as info:
        load_scenario_text(text, source="s.toml")
    assert (info.value.source, info.value.key) == ("s.toml", "world.plan.patches[0].x")


def test_worlds_that_ship_with_hyosan_are_written_by_name() -> None:
    """A built-in world, a map and a lattice stay short references."""
    for name, ref in [("hyosan-school", "builtin"), ("korea", "map")]:
        assert ref in scenario_to_dict(load_scenario(name))["world"]
    lattice = 'model = "sir"\n[time]\nend = 1\n[world]\nlattice = { rows = 2, cols = 3 }\n'
    world = scenario_to_dict(load_scenario_text(lattice))["world"]
    assert world["lattice"]["rows"] == 2 and "plan" not in world
