"""Seeds: turn whatever a user passes into reproducible per-run generators."""

from __future__ import annotations

import secrets
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import overload

import numpy as np

from hyosan._typing import SeedLike

__all__ = ["Seeds", "fresh_seed", "spawn_seeds"]


def fresh_seed() -> int:
    """A new random seed, small enough to write down (63 bits)."""
    return secrets.randbits(63)


def spawn_seeds(seed: SeedLike, n: int) -> tuple[int, Sequence[np.random.SeedSequence]]:
    """The recorded seed and one child ``SeedSequence`` per run.

    An int or None gives the children of ``SeedSequence(seed).spawn(n)`` (as a
    :class:`Seeds`, which makes each when asked for), so run ``i`` gets the
    same numbers whatever backend runs it. A ``SeedSequence`` is spawned
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
    root = np.random.SeedSequence(int(seed))
    return int(seed), Seeds(int(seed), (), root.pool_size, 0, n)


@dataclass(frozen=True, slots=True)
class Seeds(Sequence[np.random.SeedSequence]):
    """The seeds of consecutive runs, sent as a few numbers: children ``first ..
    first + runs - 1`` of the ``SeedSequence`` with ``entropy`` and ``key`` (how
    :func:`spawn_seeds` made them). Sending a thousand ``SeedSequence``
    objects to a Dask worker took a tenth of a second, and making 100,000 of
    them half a second before any run could start: a sequence of its
    children, each made only when asked for (a slice is a :class:`Seeds`)."""

    entropy: int | tuple[int, ...]
    key: tuple[int, ...]
    pool_size: int
    first: int
    runs: int

    @classmethod
    def of(
        cls, seeds: Sequence[np.random.SeedSequence]
    ) -> Seeds | tuple[np.random.SeedSequence, ...]:
        """``seeds`` as a :class:`Seeds` when they are consecutive children, else as they are."""
        if isinstance(seeds, Seeds):
            return seeds
        if not seeds:
            return tuple(seeds)
        s0 = seeds[0]
        entropy = s0.entropy
        if not s0.spawn_key or entropy is None:
            return tuple(seeds)
        made = cls(
            entropy if isinstance(entropy, int) else tuple(int(e) for e in entropy),
            tuple(s0.spawn_key[:-1]),
            s0.pool_size,
            s0.spawn_key[-1],
            len(seeds),
        )
        ends = (made.first_and_last(), (seeds[0], seeds[-1]))
        same = all(
            a.entropy == b.entropy and a.spawn_key == b.spawn_key and a.pool_size == b.pool_size
            for a, b in zip(*ends, strict=True)
        ) and all(s.spawn_key[-1] - made.first == i for i, s in enumerate(seeds))
        return made if same else tuple(seeds)

    def first_and_last(self) -> tuple[np.random.SeedSequence, np.random.SeedSequence]:
        last = (*self.key, self.first + self.runs - 1)
        return self._child((*self.key, self.first)), self._child(last)

    def _child(self, key: tuple[int, ...]) -> np.random.SeedSequence:
        return np.random.SeedSequence(self.entropy, spawn_key=key, pool_size=self.pool_size)

    def sequences(self) -> list[np.random.SeedSequence]:
        return [self._child((*self.key, self.first + i)) for i in range(self.runs)]

    def __len__(self) -> int:
        return self.runs

    @overload
    def __getitem__(self, i: int) -> np.random.SeedSequence: ...

    @overload
    def __getitem__(self, i: slice) -> Seeds: ...

    def __getitem__(self, i: int | slice) -> np.random.SeedSequence | Seeds:
        if isinstance(i, slice):
            start, stop, step = i.indices(self.runs)
            if step != 1:
                raise ValueError("a Seeds takes slices of step 1")
            runs = max(stop - start, 0)
            return Seeds(self.entropy, self.key, self.pool_size, self.first + start, runs)
        if not -self.runs <= i < self.runs:
            raise IndexError(i)
        return self._child((*self.key, self.first + i % self.runs))

    def __iter__(self) -> Iterator[np.random.SeedSequence]:
        return iter(self.sequences())
