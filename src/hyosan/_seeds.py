"""Seeds: turn whatever a user passes into reproducible per-run generators."""

from __future__ import annotations

import secrets

import numpy as np

from hyosan._typing import SeedLike

__all__ = ["fresh_seed", "spawn_seeds"]


def fresh_seed() -> int:
    """A new random seed, small enough to write down (63 bits)."""
    return secrets.randbits(63)


def spawn_seeds(seed: SeedLike, n: int) -> tuple[int, list[np.random.SeedSequence]]:
    """The recorded seed and one child ``SeedSequence`` per run.

    An int or None gives ``SeedSequence(seed).spawn(n)``, so run ``i`` gets
    the same numbers whatever backend runs it. A ``SeedSequence`` is spawned
    from directly, a ``Generator`` through its own seed sequence; both are
    recorded as seed -1 since no int reproduces them.
    """
    if seed is None:
        seed = fresh_seed()
    if isinstance(seed, np.random.Generator):
        seq = seed.bit_generator.seed_seq
        if not isinstance(seq, np.random.SeedSequence):
            raise TypeError("this Generator has no SeedSequence to spawn from")
        return -1, seq.spawn(n)
    if isinstance(seed, np.random.SeedSequence):
        return -1, seed.spawn(n)
    return int(seed), np.random.SeedSequence(int(seed)).spawn(n)
