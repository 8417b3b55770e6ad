"""Worlds glued together: ``World.join``, ``[[include]]`` in world files, and the built-in
city of Hyosan (its school included) and the season-2 quarantine camp."""

from __future__ import annotations

from collections import deque
from pathlib import Path

import numpy as np
import pytest

from hyosan.errors import InputError
from hyosan.space import World, builtin_world, load_world_file
from hyosan.space.graph import BUILTIN_WORLDS, _includes

SCHOOL = builtin_world("hyosan-school")


def _reachable(world: World, start: str, *, backwards: bool = False) -> set[str]:
    """Patches reachable from ``start`` along the edges (against them if ``backwards``)."""
    src, dst = (world.dst, world.src) if backwards else (world.src, world.dst)
    seen = {world.index(start)}
    todo = deque(seen)
    while todo:
        i = todo.popleft()
        for j in dst[src == i].tolist():
            if j not in seen:
                seen.add(j)
                todo.append(j)
    return {world.patches[i] for i in seen}


# --- World.join -------------------------------------------------------------------


def _town() -> World:
    return World.from_edges(
        "town",
        ["centre", "suburb"],
        [("centre", "suburb", 2.0)],
        population=[100.0, 50.0],
        kinds=["district", "district"],
        regions={"all-town": ["centre", "suburb"]},
    )


def _house() -> World:
    return World.from_edges(
        "house",
        ["hall", "door"],
        [("hall", "door", 1.0)],
        population=[3.0, 0.0],
        x=[10.0, 11.0],
        y=[5.0, 5.0],
        regions={"inside": ["hall"]},
    )


def test_join_keeps_both_worlds_and_adds_two_edges_per_door() -> None:
    """Patches, people, kinds, edges and regions of both worlds, the second's indices
    shifted; each door is an edge each way with its weight and closability."""
    town, house = _town(), _house()
    city = town.join(house, doors=[("door", "suburb", 0.5, True)])
    assert city.name == "town" and city.unit == town.unit
    assert city.patches == ("centre", "suburb", "hall", "door")
    np.testing.assert_array_equal(city.population, [100.0, 50.0, 3.0, 0.0])
    np.testing.assert_array_equal(city.x, [*town.x, 10.0, 11.0])
    assert city.kinds == ("district", "district", "room", "room")
    assert city.n_edges == town.n_edges + house.n_edges + 2
    edges = set(
        zip(
            city.src.tolist(),
            city.dst.tolist(),
            city.weight.tolist(),
            city.closable.tolist(),
            strict=True,
        )
    )
    assert {(3, 1, 0.5, True), (1, 3, 0.5, True), (2, 3, 1.0, False)} <= edges
    assert dict(city.regions) == {"all-town": (0, 1), "inside": (2,)}
    np.testing.assert_array_equal(city.floor, [-1, -1, -1, -1])  # from_edges leaves -1


def test_join_with_prefix_and_name() -> None:
    """A prefix goes before the second world's patch and region names; doors use them."""
    city = _town().join(
        _house(), doors=[("h-door", "centre", 1.0, False)], prefix="h-", name="both"
    )
    assert city.name == "both"
    assert city.patches[2:] == ("h-hall", "h-door")
    assert dict(city.regions)["h-inside"] == (2,)
    assert not city.closable[-2:].any()


def test_join_of_the_school_into_a_town_keeps_its_57_rooms() -> None:
    """Joining the built-in school keeps its rooms, doors and regions whole."""
    city = _town().join(SCHOOL, doors=[("main-gate", "suburb", 1.0, True)])
    assert city.n_patches == 2 + SCHOOL.n_patches == 59
    assert city.n_edges == 2 + SCHOOL.n_edges + 2
    assert city.population.sum() == 150.0 + 1000.0
    for region, members in SCHOOL.regions.items():
        assert city.regions[region] == tuple(i + 2 for i in members)
    assert {"suburb", "centre"} <= _reachable(city, "science-lab")


def test_join_refuses_clashing_patch_names() -> None:
    """A patch name in both worlds raises InputError naming it; a prefix settles it."""
    with pytest.raises(InputError) as err:
        _house().join(_house())
    assert err.value.key == "patches" and err.value.value == "door"
    assert _house().join(_house(), prefix="x-").n_patches == 4


@pytest.mark.parametrize(
    ("door", "value"),
    [
        (("hall", "nowhere", 1.0, True), "nowhere"),
        (("x-hall", "x-hall", 1.0, True), ("x-hall", "x-hall")),
        (("hall", "x-hall", -1.0, True), -1.0),
        (("hall", "x-hall", float("inf"), True), float("inf")),
        (("hall", "x-hall", "wide", True), "wide"),
        (("hall", "x-hall", 1.0), ("hall", "x-hall", 1.0)),
    ],
)
def test_join_refuses_bad_doors(door: tuple[object, ...], value: object) -> None:
    """A door to an unknown patch, from a patch to itself, with a weight that is not a
    finite number >= 0, or not of four values raises InputError naming the door."""
    good = ("door", "x-door", 1.0, True)
    with pytest.raises(InputError) as err:
        _house().join(_house(), doors=[good, door], prefix="x-")  # type: ignore[list-item]
    assert err.value.key == "doors[1]"
    assert err.value.value == value


def test_join_refuses_a_region_in_both_worlds_and_a_raster_second() -> None:
    """A region of the same name in both worlds, or a raster world joined second: InputError."""
    twin = World.from_edges("twin", ["stair"], [], regions={"inside": ["stair"]})
    with pytest.raises(InputError) as err:
        _house().join(twin)
    assert err.value.key == "regions" and err.value.value == "inside"
    assert "prefix" in err.value.allowed
    _house().join(twin, prefix="t-")  # a prefix settles it
    with pytest.raises(InputError) as err:
        _house().join(World.lattice(np.ones((2, 2))))
    assert err.value.key == "other"


def test_join_onto_a_raster_puts_the_building_off_the_grid() -> None:
    """A building joined to a lattice keeps the grid; its patches have row and col -1."""
    grid = World.lattice(np.ones((2, 2)), cell=1000.0)
    both = grid.join(_house(), doors=[("r0c0", "door", 1.0, True)])
    assert both.grid_shape == (2, 2) and both.is_raster
    np.testing.assert_array_equal(both.row[-2:], [-1, -1])
    np.testing.assert_array_equal(both.col[-2:], [-1, -1])


# --- [[include]] in world files ---------------------------------------------------------

TOWN = """\
name = "town"
unit = "km"

[[include]]
world = "hyosan-school"
region = "school"
at = [5.0, -2.0]
scale = 0.01

[[patches]]
name = "centre"
kind = "district"
x = 0.0
y = 0.0
people = 500

[[patches]]
name = "suburb"
kind = "district"
x = 3.0
y = 0.0
people = 200

[[doors]]
between = ["centre", "suburb"]

[[doors]]
between = ["main-gate", "suburb"]
weight = 0.5

[regions]
"town" = ["centre", "suburb"]
"all" = ["town", "school"]
"upstairs" = ["classrooms", "rooftop", "centre"]
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "town.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_include_moves_scales_and_joins_the_school(tmp_path: Path) -> None:
    """The school's patches follow the file's own, at ``at + scale * (x, y)``, with their
    people, floors and doors; the file's doors may name them."""
    w = load_world_file(_write(tmp_path, TOWN))
    assert w.name == "town" and w.unit == "km"
    assert w.patches == ("centre", "suburb", *SCHOOL.patches)
    np.testing.assert_allclose(w.x[2:], 5.0 + 0.01 * SCHOOL.x)
    np.testing.assert_allclose(w.y[2:], -2.0 + 0.01 * SCHOOL.y)
    np.testing.assert_array_equal(w.floor[2:], SCHOOL.floor)
    np.testing.assert_array_equal(w.floor[:2], 0)
    assert w.population.sum() == 700.0 + 1000.0
    assert w.n_edges == SCHOOL.n_edges + 4
    gate, suburb = w.index("main-gate"), w.index("suburb")
    door = (w.src == gate) & (w.dst == suburb)
    assert door.sum() == 1 and w.weight[door][0] == 0.5 and w.closable[door][0]
    assert "centre" in _reachable(w, "science-lab")


def test_include_regions(tmp_path: Path) -> None:
    """The include's region holds exactly the 57 school patches; the school's regions are
    kept; the file's regions may name patches and regions of either."""
    w = load_world_file(_write(tmp_path, TOWN))
    school = {w.patches[i] for i in w.regions["school"]}
    assert school == set(SCHOOL.patches) and len(w.regions["school"]) == 57
    for region, members in SCHOOL.regions.items():
        assert [w.patches[i] for i in w.regions[region]] == [SCHOOL.patches[i] for i in members]
    assert len(w.regions["all"]) == 59
    assert {w.patches[i] for i in w.regions["upstairs"]} == {
        *(SCHOOL.patches[i] for i in SCHOOL.regions["classrooms"]),
        "rooftop",
        "centre",
    }


def test_include_floors_false_and_prefix(tmp_path: Path) -> None:
    """``floors = false`` puts every included patch on floor 0; ``prefix`` renames its
    patches and regions (and then two schools fit in one world)."""
    text = TOWN.replace("scale = 0.01", 'scale = 0.01\nfloors = false\nprefix = "a-"')
    text = text.replace('"main-gate"', '"a-main-gate"').replace('"classrooms"', '"a-classrooms"')
    text = text.replace('"rooftop"', '"a-rooftop"')
    text += '\n[[include]]\nworld = "hyosan-school"\nregion = "school-b"\nprefix = "b-"\n'
    w = load_world_file(_write(tmp_path, text))
    assert w.n_patches == 2 + 2 * 57
    assert w.patches[2] == "a-" + SCHOOL.patches[0] and w.patches[-1] == "b-" + SCHOOL.patches[-1]
    np.testing.assert_array_equal(w.floor[2:59], 0)
    np.testing.assert_array_equal(w.floor[59:], SCHOOL.floor)
    assert {"a-classrooms", "b-classrooms", "school", "school-b"} <= set(w.regions)


def test_a_world_file_of_includes_only(tmp_path: Path) -> None:
    """A file may include a world and have no patches of its own."""
    path = _write(tmp_path, 'name = "copy"\n[[include]]\nworld = "hyosan-school"\nregion = "s"\n')
    w = load_world_file(path)
    assert w.name == "copy" and w.patches == SCHOOL.patches and w.n_edges == SCHOOL.n_edges
    assert w.unit == "m" and len(w.regions["s"]) == 57


_INC = '[[patches]]\nname = "centre"\n[[include]]\nworld = "hyosan-school"\nregion = "school"\n'


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('include = "hyosan-school"\n[[patches]]\nname = "a"\n', "include"),
        ('[[patches]]\nname = "a"\ninclude = [1]\n', "patches[0].include"),
        ('include = [1]\n[[patches]]\nname = "a"\n', "include[0]"),
        (_INC + 'colour = "red"\n', "include[0].colour"),
        (_INC.replace('"hyosan-school"', '"hyosan-mall"'), "include[0].world"),
        (_INC.replace('world = "hyosan-school"\n', ""), "include[0].world"),
        (_INC.replace('region = "school"\n', ""), "include[0].region"),
        (_INC.replace('"school"', '""'), "include[0].region"),
        (_INC.replace('"school"', '"gym"'), "include[0].region"),
        (_INC + "at = [1.0]\n", "include[0].at"),
        (_INC + 'at = [1.0, "north"]\n', "include[0].at"),
        (_INC + "scale = 0\n", "include[0].scale"),
        (_INC + "scale = -1.0\n", "include[0].scale"),
        (_INC + 'scale = "big"\n', "include[0].scale"),
        (_INC + 'floors = "no"\n', "include[0].floors"),
        (_INC + "prefix = 3\n", "include[0].prefix"),
        (_INC.replace('"centre"', '"gym"'), "include[0]"),
        (_INC + '[regions]\n"school" = ["centre"]\n', "regions.school"),
        (_INC + '[regions]\n"r" = ["centre", "nowhere"]\n', "regions.r"),
        (_INC + '[[doors]]\nbetween = ["centre", "main-gat"]\n', "doors[0].between"),
        (_INC + '[[include]]\nworld = "hyosan-school"\nregion = "again"\n', "include[1]"),
    ],
)
def test_bad_includes_name_the_key(tmp_path: Path, text: str, key: str) -> None:
    """Each kind of bad include raises InputError naming the file and the key."""
    path = _write(tmp_path, text)
    with pytest.raises(InputError) as err:
        load_world_file(path)
    assert err.value.key == key, str(err.value)
    assert err.value.source == str(path)


def test_a_world_cannot_include_itself() -> None:
    """An include of a world that is being built (a cycle) is refused, not followed."""
    with pytest.raises(InputError) as err:
        _includes([{"world": "hyosan-school", "region": "s"}], ("hyosan-school",))
    assert err.value.key == "include[0].world" and "itself" in err.value.problem


# --- the built-in city ---------------------------------------------------------------

CITY_DISTRICTS = 20


@pytest.fixture(scope="module")
def city() -> World:
    """The built-in city of Hyosan."""
    return builtin_world("hyosan-city")


@pytest.fixture(scope="module")
def camp() -> World:
    """The built-in season-2 quarantine camp."""
    return builtin_world("hyosan-camp")


def test_builtin_list_has_the_new_worlds() -> None:
    """The city and the camp are built-in worlds, beside the school."""
    assert set(BUILTIN_WORLDS) >= {"hyosan-school", "hyosan-city", "hyosan-camp"}


def test_city_holds_the_school_whole(city: World) -> None:
    """The region "school" is the 57 school patches with their 1,000 people; the school's
    own regions are there too."""
    members = city.regions["school"]
    assert len(members) == 57
    assert {city.patches[i] for i in members} == set(SCHOOL.patches)
    assert city.population[list(members)].sum() == 1000.0
    assert {"classrooms", "floor-3", "rooftop"} <= set(city.regions)
    assert city.unit == "km" and city.name == "hyosan-city"


def test_city_regions_and_populations(city: World) -> None:
    """Regions exist and hold the people the file says: 400,000 in the city, 78,000 in
    the strike zone, nobody at the checkpoints (a scenario places soldiers there), in the
    camp or beyond."""

    def people(region: str) -> float:
        return float(city.population[list(city.regions[region])].sum())

    assert city.population.sum() == 400_000.0
    assert people("city") == 400_000.0
    assert people("strike-zone") == 78_000.0
    assert people("downtown") == 59_000.0
    assert people("perimeter") == 0.0
    assert people("beyond") == 0.0 and people("camp") == 0.0
    assert 60_000 <= people("strike-zone") <= 100_000
    strike = set(city.regions["strike-zone"])
    assert set(city.regions["school"]) <= strike and set(city.regions["downtown"]) <= strike
    assert city.index("hyosan-dong") in strike
    assert not strike & set(city.regions["residential"]) - {city.index("hyosan-dong")}
    everything = set(range(city.n_patches))
    outside_city = {*city.regions["perimeter"], *city.regions["beyond"], *city.regions["camp"]}
    assert set(city.regions["city"]) == everything - outside_city


def test_city_districts(city: World) -> None:
    """Twenty city districts of kind "district", all in "districts"; the camp is kind
    "camp"; the checkpoints are gates."""
    districts = city.regions["districts"]
    assert len(districts) == CITY_DISTRICTS
    assert {city.kinds[i] for i in districts} == {"district"}
    assert city.kinds[city.index("quarantine-camp")] == "camp"
    assert {city.kinds[i] for i in city.regions["perimeter"]} == {"gate"}


def test_city_is_connected_and_the_camp_has_no_road(city: World) -> None:
    """From the school's gate every patch but the camp can be reached, and the gate can be
    reached from each; the camp has no edges at all."""
    camp = city.index("quarantine-camp")
    assert not np.any(city.src == camp) and not np.any(city.dst == camp)
    others = set(city.patches) - {"quarantine-camp"}
    assert _reachable(city, "main-gate") == others
    assert _reachable(city, "main-gate", backwards=True) == others


def test_city_roads_can_all_be_closed(city: World) -> None:
    """Every edge that is not a door inside the school can be closed by a cordon, and the
    only ways beyond the perimeter go through the checkpoints."""
    school = set(city.regions["school"])
    inside = np.isin(city.src, list(school)) & np.isin(city.dst, list(school))
    assert city.closable[~inside].all()
    beyond = set(city.regions["beyond"])
    for s, d in zip(city.src.tolist(), city.dst.tolist(), strict=True):
        if d in beyond:
            assert city.patches[s].startswith("checkpoint-")
    without = World.from_edges(
        "w",
        city.patches,
        [
            (city.patches[s], city.patches[d], 1.0)
            for s, d in zip(city.src.tolist(), city.dst.tolist(), strict=True)
            if not {city.patches[s], city.patches[d]} & {"checkpoint-north", "checkpoint-south"}
        ],
        two_way=False,
    )
    assert not {"beyond-north", "beyond-south"} & _reachable(without, "main-gate")


def test_city_school_sits_in_the_south_west_in_km(city: World) -> None:
    """The school's plan is scaled into the city's km and placed beside its district."""
    school = list(city.regions["school"])
    gate, home = city.index("main-gate"), city.index("hyosan-dong")
    assert np.ptp(city.x[school]) == pytest.approx(0.02 * np.ptp(SCHOOL.x))
    assert np.hypot(city.x[gate] - city.x[home], city.y[gate] - city.y[home]) < 3.0
    assert city.x[school].max() < city.x[city.index("jungang-dong")]


# --- the built-in camp ----------------------------------------------------------------


def test_camp_regions_and_populations(camp: World) -> None:
    """Ten blocks; some 4,000 people inside the fence, 23,000 in the town beyond; the
    regions camp, blocks, city and isolation exist."""

    def people(region: str) -> float:
        return float(camp.population[list(camp.regions[region])].sum())

    assert camp.name == "hyosan-camp" and camp.unit == "m"
    assert len(camp.regions["blocks"]) == 10
    assert 3_000 <= people("camp") <= 5_000 and people("camp") == 3_972.0
    assert people("blocks") == 3_600.0 and people("city") == 23_000.0
    assert camp.population.sum() == people("camp") + people("city")
    assert set(camp.regions["blocks"]) <= set(camp.regions["camp"])
    assert not set(camp.regions["camp"]) & set(camp.regions["city"])
    assert set(camp.regions["camp"]) | set(camp.regions["city"]) == set(range(camp.n_patches))
    assert [camp.patches[i] for i in camp.regions["isolation"]] == ["isolation-unit"]
    assert {camp.kinds[i] for i in camp.regions["city"]} == {"district"}


def test_camp_is_connected_through_its_gate(camp: World) -> None:
    """Every patch is reachable from the camp gate and back; the town is reached only
    through the gate; the isolation unit only through the medical tent; all doors close."""
    assert _reachable(camp, "camp-gate") == set(camp.patches)
    assert _reachable(camp, "camp-gate", backwards=True) == set(camp.patches)
    assert camp.closable.all()
    iso = camp.index("isolation-unit")
    assert {camp.patches[i] for i in camp.src[camp.dst == iso]} == {"medical-tent"}
    town = set(camp.regions["city"])
    into_town = {camp.patches[s] for s, d in zip(camp.src, camp.dst, strict=True) if d in town}
    assert into_town - {camp.patches[i] for i in town} == {"camp-gate"}


# --- the map of the city ----------------------------------------------------------------


def test_city_map_draws_the_school_on_a_block_at_its_own_scale(city: World) -> None:
    """On the city's map the school's rooms get pies on a scale of their own (a
    classroom is not a dot beside a district) and a grey block beneath them."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyBboxPatch, Wedge

    from hyosan.results import Result
    from hyosan.viz.maps import plot_map

    fields = np.zeros((1, 2, 2, city.n_patches))
    fields[0, :, 0] = city.population
    fields[0, 1, 1, city.index("science-lab")] = 2.0
    result = Result.from_arrays(
        fields.sum(axis=3), [0.0, 1.0], ("S", "Z"), events=[0], engine="ssa", seed=1,
        scenario_name="city", model="aouad", humans=("S",), zombies=("Z",), time_unit="hour",
        fields=fields, world=city,
    )  # fmt: skip
    ax = plot_map(result).axes[0]
    try:
        wedges = [w for w in ax.patches if isinstance(w, Wedge) and w.get_visible()]

        def radii(patch: str) -> set[float]:
            x = city.x[city.index(patch)]
            return {round(w.r, 9) for w in wedges if w.center[0] == pytest.approx(x)}

        # 40 in the teachers' office, the most in the school; 34 in each class x-4
        (office,) = radii("teachers-office")
        (classes,) = radii("class-2-4")
        assert classes == pytest.approx(office * np.sqrt(34 / 40), rel=1e-6)
        (district,) = radii("songnim-dong")  # 36,000 (the most: 48,000)
        assert district > 3 * office
        blocks = [p for p in ax.patches if isinstance(p, FancyBboxPatch)]
        assert len(blocks) == 1
        legend = ax.get_legend().get_title().get_text()
        assert "48,000" in legend and "grey block" in legend
        labels = {t.get_text() for t in ax.texts}
        assert {"hyosan-dong", "jungang-dong", "quarantine-camp"} <= labels
        assert "science-lab" not in labels
    finally:
        plt.close("all")
