"""An Intervention: its checks, its TOML, and the identity of its random stream."""

from __future__ import annotations

import hashlib
import itertools

import pytest

from hyosan.errors import InputError
from hyosan.interventions import (
    At,
    Camp,
    Condition,
    Cordon,
    Impulse,
    Intervention,
    Remove,
    SetParameters,
    When,
    stream_keys,
)
from hyosan.model import builtin_model
from hyosan.space import Selection, World

AOUAD = builtin_model("aouad")
WORLD = World.from_edges("w", ["a", "b"], [("a", "b", 1.0)]).with_patch("camp")
SET = SetParameters({"alpha": 0.6})
CULL = Remove((Impulse("Z", 0.5, "D"),))


def _key_error(iv: Intervention, world: World | None = None) -> InputError:
    with pytest.raises(InputError) as err:
        iv.check(AOUAD, world, key="interventions[4]")
    return err.value


def test_check_accepts_a_sound_intervention() -> None:
    """Actions of different kinds, each with what it needs, pass."""
    Intervention(At((1.0, 2.0)), (SET, CULL)).check(AOUAD, None)
    Intervention(When(Condition.parse("Z > 5 in a")), (Cordon(Selection()),)).check(AOUAD, WORLD)


def test_check_errors_are_keyed_by_the_part_at_fault() -> None:
    """Trigger first (``.at``), then no action, a kind twice, a world missing, and each
    action's own check, each under its key in the ``[[interventions]]`` table."""
    assert _key_error(Intervention(At(-1.0), (SET,))).key == "interventions[4].at"
    empty = _key_error(Intervention(At(1.0), ()))
    assert empty.key == "interventions[4]" and "must do something" in empty.problem
    assert empty.allowed.startswith("'set', 'remove', 'reopen'")
    twice = _key_error(Intervention(At(1.0), (SET, SetParameters({"beta": 0.0}))))
    assert twice.key == "interventions[4].set" and twice.value == ["set", "set"]
    camp = Camp(Selection(), "camp")
    no_world = _key_error(Intervention(At(1.0), (SET, camp)))
    assert no_world.key == "interventions[4].camp" and "no world" in no_world.problem
    bad_camp = _key_error(Intervention(At(1.0), (Camp(Selection(), "kamp"),)), WORLD)
    assert bad_camp.key == "interventions[4].camp.to"
    bad_when = _key_error(Intervention(When(Condition.parse("X > 1")), (SET,)))
    assert bad_when.key == "interventions[4].when"


def test_needs_world_and_to_toml() -> None:
    """An intervention needs a world when one of its actions does; ``to_toml`` writes the
    name (if any), the trigger's keys and each action under its key, in order."""
    assert not Intervention(At(1.0), (SET, CULL)).needs_world
    assert Intervention(At(1.0), (SET, Cordon(Selection(patches=("a",))))).needs_world
    iv = Intervention(When(Condition.parse("Z >= 10")), (SET, CULL), name="cull")
    assert iv.to_toml() == {
        "name": "cull",
        "when": "Z >= 10.0",
        "set": {"alpha": 0.6},
        "remove": [{"compartment": "Z", "fraction": 0.5, "to": "D"}],
    }
    assert list(Intervention(At(2.0), (CULL,)).to_toml()) == ["at", "remove"]


def _sha(identity: str) -> int:
    return int.from_bytes(hashlib.sha256(identity.encode()).digest()[:8], "little")


def test_stream_keys_are_the_documented_hash() -> None:
    """Each key is the first 8 bytes (little endian) of the SHA-256 of the identity and
    its count: stable across versions, so a recorded seed draws the same again."""
    ivs = [
        Intervention(At(1.0), (SET, CULL)),
        Intervention(At(1.0), (SET,), name="barricades"),
        Intervention(When(Condition.parse("Z > 1")), (SET,)),
        Intervention(At(2.0), (CULL, SET)),
    ]
    assert stream_keys(ivs) == (
        _sha("At:set,remove#1"),
        _sha("barricades#1"),
        _sha("When:set#1"),
        _sha("At:remove,set#1"),
    )
    assert all(0 <= k < 2**64 for k in stream_keys(ivs))


def test_stream_key_identity_is_the_name_else_the_kinds() -> None:
    """A named intervention keeps its key whatever it does; an unnamed one keeps it when
    only its numbers change, and gets another when its kinds do."""
    (named,) = stream_keys([Intervention(At(1.0), (SET,), name="gate")])
    assert stream_keys([Intervention(When(Condition.parse("Z > 9")), (CULL,), name="gate")]) == (
        named,
    )
    (plain,) = stream_keys([Intervention(At(1.0), (SET,))])
    assert stream_keys([Intervention(At(7.0), (SetParameters({"beta": 0.0}),))]) == (plain,)
    assert stream_keys([Intervention(When(Condition.parse("Z > 1")), (SET,))]) != (plain,)
    assert stream_keys([Intervention(At(1.0), (SET, CULL))]) != (plain,)
    assert plain != named


def test_repeated_identities_are_counted() -> None:
    """Two interventions of one identity get different keys; the first keeps the key it
    has alone, the second the key of a second one."""
    a = Intervention(At(1.0), (CULL,))
    b = Intervention(At(3.0), (Remove((Impulse("Z", 0.9),)),))
    first, second = stream_keys([a, b])
    assert first != second
    assert stream_keys([a]) == (first,)
    assert stream_keys([b, a]) == (first, second), "counted in list order"
    assert stream_keys([a, b, a]) == (first, second, _sha("At:remove#3"))


IVS = [
    Intervention(At(1.0), (SET,)),
    Intervention(At(2.0), (CULL,), name="cull"),
    Intervention(When(Condition.parse("Z > 3")), (SET,)),
    Intervention(At(4.0), (SET, CULL)),
]


def test_adding_or_moving_one_changes_no_other_key() -> None:
    """For every order of the interventions and every place a new one (of another
    identity) is added, each keeps the key it has alone."""
    alone = {id(iv): stream_keys([iv])[0] for iv in IVS}
    extra = Intervention(At(0.5), (CULL,), name="extra")
    for order in itertools.permutations(IVS):
        for place in range(len(order) + 1):
            ivs = [*order[:place], extra, *order[place:]]
            keys = dict(zip(map(id, ivs), stream_keys(ivs), strict=True))
            assert all(keys[id(iv)] == alone[id(iv)] for iv in IVS)
    assert len(set(alone.values())) == len(IVS)
