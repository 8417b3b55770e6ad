"""World files: patches, doors and regions read from TOML, their defaults and their errors.

``[[include]]`` and the built-in city are tested in ``test_city.py``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from hyosan.errors import InputError
from hyosan.space import Selection, builtin_world, load_world_file
from hyosan.space.graph import BUILTIN_WORLDS, world_from_toml

# --- reading a file ---------------------------------------------------------------

GOOD = """\
name = "house"
unit = "m"

[[patches]]
name = "kitchen"
kind = "room"
x = 1.0
y = 2.0
people = 3
floor = 1
label = "The kitchen"

[[patches]]
name = "hall"
kind = "corridor"
people = 4

[[patches]]
name = "garden"
kind = "yard"

[[doors]]
between = ["kitchen", "hall"]
weight = 2.0

[[doors]]
between = ["hall", "garden"]
closable = false
one_way = true

[regions]
inside = ["kitchen", "hall"]
"""


def _write(tmp_path: Path, text: str, name: str = "plan.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_load_world_file_reads_every_field(tmp_path: Path) -> None:
    """Patches, doors (weights, closable, one-way), regions, labels and unit are read."""
    w = load_world_file(_write(tmp_path, GOOD))
    assert w.name == "house" and w.unit == "m"
    assert w.patches == ("kitchen", "hall", "garden")
    assert w.kinds == ("room", "corridor", "yard")
    assert w.labels == ("The kitchen", "hall", "garden")
    np.testing.assert_array_equal(w.population, [3.0, 4.0, 0.0])
    np.testing.assert_array_equal(w.floor, [1, 0, 0])
    assert (w.x[0], w.y[0]) == (1.0, 2.0)
    edges = sorted(
        zip(w.src.tolist(), w.dst.tolist(), w.weight.tolist(), w.closable.tolist(), strict=True)
    )
    assert edges == [(0, 1, 2.0, True), (1, 0, 2.0, True), (1, 2, 1.0, False)]
    assert dict(w.regions) == {"inside": (0, 1)}


_P2 = '[[patches]]\nname = "a"\n[[patches]]\nname = "b"\n'


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('colour = "red"\n' + _P2, "colour"),
        ('name = "x"\n', "patches"),
        ('[[patches]]\nkind = "room"\n', "patches[0].name"),
        ('[[patches]]\nname = "a"\nheight = 3\n', "patches[0].height"),
        (_P2 + '[[patches]]\nname = "c"\nkind = "castle"\n', "patches[2].kind"),
        ('[[patches]]\nname = "a"\n[[patches]]\nname = "b"\nkind = "dungeon"\n', "patches[1].kind"),
        (_P2 + '[[patches]]\nname = "a"\n', "patches[2].name"),
        ('[[patches]]\nname = "a"\npeople = -1\n', "patches[0].people"),
        ('[[patches]]\nname = "a"\nx = "left"\n', "patches[0].x"),
        (_P2 + '[[doors]]\nbetween = ["a"]\n', "doors[0].between"),
        (_P2 + '[[doors]]\nbetween = "a"\n', "doors[0].between"),
        (
            _P2 + '[[doors]]\nbetween = ["a", "b"]\n[[doors]]\nbetween = ["a", "z"]\n',
            "doors[1].between",
        ),
        (_P2 + '[[doors]]\nbetween = ["a", "b"]\nweight = -2\n', "doors[0].weight"),
        (_P2 + '[[doors]]\nbetween = ["a", "b"]\nweight = "wide"\n', "doors[0].weight"),
        (_P2 + '[regions]\nr = ["a", "q"]\n', "regions.r"),
        (_P2 + '[regions]\nr = "a"\n', "regions.r"),
        ('[[patches]]\nname = "a"\npeople = true\n', "patches[0].people"),
        ('[[patches]]\nname = "a"\ny = nan\n', "patches[0].y"),
        ('[[patches]]\nname = "a"\nfloor = 1.5\n', "patches[0].floor"),
        ("doors = 3\n" + _P2, "doors"),
        ("doors = [1]\n" + _P2, "doors[0]"),
        (_P2 + '[[doors]]\nbetween = ["a", "b"]\nweight = inf\n', "doors[0].weight"),
        (_P2 + '[[doors]]\nbetween = ["a", "b"]\nclosable = 1\n', "doors[0].closable"),
    ],
)
def test_bad_world_files_name_the_file_and_key(tmp_path: Path, text: str, key: str) -> None:
    """Each kind of bad content raises InputError with the file as source and the key path."""
    path = _write(tmp_path, text)
    with pytest.raises(InputError) as err:
        load_world_file(path)
    assert err.value.source == str(path)
    assert err.value.key == key, str(err.value)
    assert str(path) in str(err.value) and key in str(err.value)


def test_unreadable_and_invalid_world_files(tmp_path: Path) -> None:
    """A missing file and a file that is not TOML raise InputError naming the file."""
    missing = tmp_path / "nope.toml"
    with pytest.raises(InputError) as err:
        load_world_file(missing)
    assert err.value.source == str(missing)
    broken = _write(tmp_path, "[[patches]\nname = ", "broken.toml")
    with pytest.raises(InputError) as err:
        load_world_file(broken)
    assert err.value.source == str(broken) and "TOML" in err.value.problem


def test_regions_not_a_table_is_an_input_error(tmp_path: Path) -> None:
    """``regions = [...]`` (a list, not a table) is bad input: InputError naming ``regions``."""
    path = _write(tmp_path, 'regions = ["a"]\n' + _P2)
    with pytest.raises(InputError) as err:
        load_world_file(path)
    assert err.value.key == "regions" and err.value.source == str(path)


def test_unknown_door_key_is_an_input_error(tmp_path: Path) -> None:
    """A misspelt door key (``wieght``) is refused, as a misspelt patch key is."""
    path = _write(tmp_path, _P2 + '[[doors]]\nbetween = ["a", "b"]\nwieght = 5.0\n')
    with pytest.raises(InputError) as err:
        load_world_file(path)
    assert err.value.key == "doors[0].wieght"


def test_door_flags_must_be_booleans(tmp_path: Path) -> None:
    """``one_way = "no"`` is refused, not read as a one-way door."""
    path = _write(tmp_path, _P2 + '[[doors]]\nbetween = ["a", "b"]\none_way = "no"\n')
    with pytest.raises(InputError) as err:
        load_world_file(path)
    assert err.value.key == "doors[0].one_way"


def test_door_to_itself_names_the_door(tmp_path: Path) -> None:
    """A door between a patch and itself names ``doors[0].between``."""
    path = _write(tmp_path, _P2 + '[[doors]]\nbetween = ["a", "a"]\n')
    with pytest.raises(InputError) as err:
        load_world_file(path)
    assert err.value.key == "doors[0].between"


def test_builtin_school_loads() -> None:
    """The built-in school loads: named patches, two-way doors, 1000 pupils, its regions."""
    assert "hyosan-school" in BUILTIN_WORLDS
    w = builtin_world("hyosan-school")
    assert w.name == "hyosan-school"
    assert w.n_patches >= 35 and w.n_edges > 0
    assert w.population.sum() == 1000.0
    assert w.closable.any() and not w.closable.all()
    for region in ("floor-1", "classrooms", "corridors", "outside"):
        assert region in w.regions
    assert Selection(region="floor-3").resolve(w).size == len(w.regions["floor-3"])
    with pytest.raises(InputError) as err:
        builtin_world("hyosan-mall")
    assert err.value.key == "world"


# --- defaults -----------------------------------------------------------------------


def test_defaults_of_a_file_with_names_only() -> None:
    """With names alone: the world is called "world", in metres; patches are rooms at
    (index, 0) on floor 0 with nobody in them, labelled by their names; no edges."""
    w = world_from_toml({"patches": [{"name": "a"}, {"name": "b"}, {"name": "c"}]})
    assert w.name == "world" and w.unit == "m"
    assert w.kinds == ("room",) * 3 and w.labels == ("a", "b", "c")
    np.testing.assert_array_equal(w.x, [0.0, 1.0, 2.0])
    np.testing.assert_array_equal(w.y, 0.0)
    np.testing.assert_array_equal(w.population, 0.0)
    np.testing.assert_array_equal(w.floor, 0)
    assert w.n_edges == 0 and dict(w.regions) == {}


def test_a_door_is_two_way_closable_and_of_weight_one_by_default() -> None:
    """``between`` alone makes an edge each way, of weight 1, that can be barricaded."""
    w = world_from_toml(
        {"patches": [{"name": "a"}, {"name": "b"}], "doors": [{"between": ["b", "a"]}]}
    )
    edges = list(
        zip(w.src.tolist(), w.dst.tolist(), w.weight.tolist(), w.closable.tolist(), strict=True)
    )
    assert edges == [(1, 0, 1.0, True), (0, 1, 1.0, True)]


def test_patch_numbers_are_read_as_given() -> None:
    """Negative positions and floors (a basement) are allowed; integers become floats."""
    w = world_from_toml(
        {"patches": [{"name": "cellar", "x": -3, "y": -2.5, "floor": -1, "people": 2}]}
    )
    assert (w.x[0], w.y[0], w.floor[0], w.population[0]) == (-3.0, -2.5, -1, 2.0)


def test_errors_from_python_data_name_python_as_the_source() -> None:
    """A dictionary given in Python is reported as from "python", or the source given."""
    with pytest.raises(InputError) as err:
        world_from_toml({"patches": [{"name": "a", "kind": "castle"}]})
    assert err.value.source == "python" and err.value.key == "patches[0].kind"
    with pytest.raises(InputError) as err:
        world_from_toml({"patches": []}, source="plan.toml")
    assert err.value.source == "plan.toml" and err.value.key == "patches"


# --- regions ---------------------------------------------------------------------------


def test_regions_may_name_patches_and_regions_listed_before_them() -> None:
    """A region's members are patches or earlier regions, each patch once, in order of
    first mention; a region named later is not known yet."""
    patches = [{"name": n} for n in ("a", "b", "c")]
    w = world_from_toml(
        {"patches": patches, "regions": {"ab": ["b", "a", "b"], "all": ["ab", "c", "a"]}}
    )
    assert dict(w.regions) == {"ab": (1, 0), "all": (1, 0, 2)}
    with pytest.raises(InputError) as err:
        world_from_toml({"patches": patches, "regions": {"all": ["ab", "c"], "ab": ["a", "b"]}})
    assert err.value.key == "regions.all" and err.value.value == "ab"


# --- names that do not exist ----------------------------------------------------------


_AB = [{"name": "a"}, {"name": "b"}]
_HOUSE = [{"name": "kitchen"}, {"name": "hall"}]


@pytest.mark.parametrize(
    ("data", "key", "meant"),
    [
        ({"patches": _AB, "nmae": "x"}, "nmae", "name"),
        ({"patches": [{"name": "a", "peeple": 3}]}, "patches[0].peeple", "people"),
        ({"patches": [{"name": "a", "kind": "rom"}]}, "patches[0].kind", "room"),
        (
            {"patches": _HOUSE, "doors": [{"between": ["kitchn", "hall"]}]},
            "doors[0].between",
            "kitchen",
        ),
        (
            {"patches": _AB, "doors": [{"between": ["a", "b"], "wieght": 2}]},
            "doors[0].wieght",
            "weight",
        ),
        ({"patches": _HOUSE, "regions": {"r": ["kitchem"]}}, "regions.r", "kitchen"),
        (
            {"include": [{"world": "hyosan-scool", "region": "s"}]},
            "include[0].world",
            "hyosan-school",
        ),
    ],
)
def test_unknown_names_suggest_the_name_meant(
    data: dict[str, object], key: str, meant: str
) -> None:
    """A misspelt key, kind, patch or world raises InputError under its key that suggests
    the closest name and lists it as allowed."""
    with pytest.raises(InputError) as err:
        world_from_toml(data)
    assert err.value.key == key
    assert f"did you mean {meant!r}" in err.value.problem and meant in err.value.allowed


def test_builtin_world_names() -> None:
    """Every name in BUILTIN_WORLDS loads under its own name; another name is refused
    under the key "world", listing them."""
    for name in BUILTIN_WORLDS:
        assert builtin_world(name).name == name
    with pytest.raises(InputError) as err:
        builtin_world("hyosan-mall")
    assert err.value.key == "world" and err.value.allowed == ", ".join(BUILTIN_WORLDS)
