"""The Hyosan High School world file: a well-formed, connected building plan."""

from __future__ import annotations

import re
import tomllib
from collections import deque
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

WORLD_FILE = Path(__file__).parents[3] / "src/hyosan/space/worlds/hyosan-school.toml"
KINDS = {"room", "corridor", "stairs", "hall", "yard", "gate", "roof"}
NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@pytest.fixture(scope="module")
def world() -> dict[str, Any]:
    """The parsed world file."""
    with WORLD_FILE.open("rb") as f:
        return tomllib.load(f)


@pytest.fixture(scope="module")
def patches(world: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Patches by name."""
    return {p["name"]: p for p in world["patches"]}


def _edges(world: dict[str, Any], *, without: Iterable[str] = ()) -> dict[str, set[str]]:
    """Directed adjacency: each door both ways unless one-way; ``without`` patches left out."""
    skip = set(without)
    adj: dict[str, set[str]] = {p["name"]: set() for p in world["patches"] if p["name"] not in skip}
    for door in world["doors"]:
        a, b = door["between"]
        if a in skip or b in skip:
            continue
        adj[a].add(b)
        if not door.get("one_way", False):
            adj[b].add(a)
    return adj


def _reachable(adj: dict[str, set[str]], start: str) -> set[str]:
    """Every patch reachable from ``start`` along the directed edges."""
    seen = {start}
    todo = deque([start])
    while todo:
        for nxt in adj[todo.popleft()]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def test_header(world: dict[str, Any]) -> None:
    """The file names the world, describes it and gives its unit."""
    assert world["name"] == "hyosan-school"
    assert world["description"].startswith("Hyosan High School")
    assert world["unit"] == "m"


def test_patch_count_and_fields(world: dict[str, Any]) -> None:
    """35 to 60 patches, each with every field and values of the right type."""
    assert 35 <= len(world["patches"]) <= 60
    for p in world["patches"]:
        assert set(p) == {"name", "kind", "floor", "x", "y", "people", "label"}, p["name"]
        assert isinstance(p["floor"], int) and 0 <= p["floor"] <= 5, p["name"]
        assert isinstance(p["x"], float) and isinstance(p["y"], float), p["name"]
        assert isinstance(p["people"], int) and p["people"] >= 0, p["name"]
        assert isinstance(p["label"], str) and p["label"], p["name"]


def test_names_unique_and_well_formed(world: dict[str, Any]) -> None:
    """Patch names are unique, lowercase and hyphenated."""
    names = [p["name"] for p in world["patches"]]
    assert len(names) == len(set(names))
    assert all(NAME.match(n) for n in names), [n for n in names if not NAME.match(n)]


def test_kinds_allowed(world: dict[str, Any]) -> None:
    """Every kind is one of the allowed ones, and outside patches sit on floor 0."""
    for p in world["patches"]:
        assert p["kind"] in KINDS, p["name"]
        if p["kind"] in {"yard", "gate"}:
            assert p["floor"] == 0, p["name"]


def test_doors_refer_to_existing_patches(
    world: dict[str, Any], patches: dict[str, dict[str, Any]]
) -> None:
    """Each door joins two different existing patches, once, with valid fields."""
    seen: set[frozenset[str]] = set()
    for door in world["doors"]:
        a, b = door["between"]
        assert a in patches and b in patches, door["between"]
        assert a != b, a
        pair = frozenset((a, b))
        assert pair not in seen, door["between"]
        seen.add(pair)
        assert isinstance(door["weight"], float) and door["weight"] > 0, door["between"]
        assert isinstance(door["closable"], bool), door["between"]
        assert isinstance(door.get("one_way", False), bool), door["between"]


def test_stairs_links_cannot_be_closed(
    world: dict[str, Any], patches: dict[str, dict[str, Any]]
) -> None:
    """Links between stairs and corridors are open: they cannot be barricaded."""
    kinds = {"stairs", "corridor"}
    for door in world["doors"]:
        if {patches[n]["kind"] for n in door["between"]} == kinds:
            assert door["closable"] is False, door["between"]


def test_graph_connected(world: dict[str, Any]) -> None:
    """Everyone can reach the main gate, and the gate reaches every patch."""
    adj = _edges(world)
    assert _reachable(adj, "main-gate") == set(adj)
    reverse: dict[str, set[str]] = {n: set() for n in adj}
    for a, nbrs in adj.items():
        for b in nbrs:
            reverse[b].add(a)
    assert _reachable(reverse, "main-gate") == set(adj)


def test_every_floor_reachable_by_stairs(
    world: dict[str, Any], patches: dict[str, dict[str, Any]]
) -> None:
    """Floors 1-4 each have both stairwells, the rooftop is reached from them,
    and without the stairs no upper floor can be reached from the ground."""
    stairs = {n for n, p in patches.items() if p["kind"] == "stairs"}
    floors = sorted({p["floor"] for p in patches.values() if p["floor"] >= 1})
    assert floors == [1, 2, 3, 4, 5]
    for f in range(1, 5):
        on_floor = {n for n in stairs if patches[n]["floor"] == f}
        assert on_floor == {f"stairs-west-{f}f", f"stairs-east-{f}f"}
    # the stairwells alone link every floor, from the ground floor up
    only_stairs = _edges(world, without=set(patches) - stairs - {"rooftop"})
    for side in ("west", "east"):
        reached = _reachable(only_stairs, f"stairs-{side}-1f")
        assert {patches[n]["floor"] for n in reached} == {1, 2, 3, 4, 5}, side
    # and they are the only way up
    no_stairs = _edges(world, without=stairs)
    from_ground = _reachable(no_stairs, "yard")
    assert all(patches[n]["floor"] <= 1 for n in from_ground)
    # every door between floors is a stairwell or a way in from outside
    for door in world["doors"]:
        a, b = (patches[n] for n in door["between"])
        if a["floor"] != b["floor"]:
            assert stairs & set(door["between"]) or {a["floor"], b["floor"]} == {0, 1}


def test_people_total(world: dict[str, Any], patches: dict[str, dict[str, Any]]) -> None:
    """About 1,000 people, most of them in classrooms (a school morning)."""
    total = sum(p["people"] for p in world["patches"])
    assert 900 <= total <= 1100
    classrooms = sum(patches[n]["people"] for n in world["regions"]["classrooms"])
    assert classrooms > 0.8 * total


def test_science_lab_exists(patches: dict[str, dict[str, Any]]) -> None:
    """The outbreak's science lab is a room with a handful of people in it."""
    lab = patches["science-lab"]
    assert lab["kind"] == "room"
    assert 1 <= lab["people"] <= 10


def test_class_2_5_on_grade_2_floor(patches: dict[str, dict[str, Any]]) -> None:
    """Class 2-5, the main characters' class, is a classroom on floor 2."""
    cls = patches["class-2-5"]
    assert cls["kind"] == "room" and cls["floor"] == 2 and cls["people"] > 20


def test_named_places_exist(patches: dict[str, dict[str, Any]]) -> None:
    """The places of the series the plan promises are all there."""
    for name in (
        "broadcasting-room",
        "library",
        "music-room",
        "teachers-office",
        "principals-office",
        "infirmary",
        "cafeteria",
        "gym",
        "rooftop",
        "sports-field",
        "yard",
        "main-gate",
    ):
        assert name in patches, name
    assert patches["rooftop"]["kind"] == "roof"
    assert patches["main-gate"]["kind"] == "gate"


def test_regions_list_existing_patches(
    world: dict[str, Any], patches: dict[str, dict[str, Any]]
) -> None:
    """Every region is a non-empty list of distinct existing patches."""
    regions = world["regions"]
    assert {"floor-1", "floor-2", "floor-3", "floor-4", "classrooms"} <= set(regions)
    for region, names in regions.items():
        assert names, region
        assert len(names) == len(set(names)), region
        assert set(names) <= set(patches), (region, set(names) - set(patches))
    for f in range(1, 5):
        assert all(patches[n]["floor"] == f for n in regions[f"floor-{f}"])
    assert all(patches[n]["kind"] == "room" for n in regions["classrooms"])
