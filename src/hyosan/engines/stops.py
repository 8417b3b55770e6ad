"""Stop conditions as the arrays kernels read: :class:`Stops`.

A condition ``sum over its region's patches of (weights @ x_p)  op  threshold``
becomes a row of ``weights`` (``K x C``), ``masks`` (``K x P``, the patches it
counts; one column well mixed), ``ops`` (the :class:`~hyosan.interventions.Op`
codes) and ``thresholds``. A plan builds the rows of every conditional
intervention once; a segment hands the kernel those still waiting
(:meth:`Stops.rows`), so an exact engine stops at the very event that makes
one true.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from hyosan._typing import FloatArray, IntArray
from hyosan.interventions import Condition
from hyosan.space import World

__all__ = ["Stops"]


@dataclass(frozen=True, slots=True)
class Stops:
    """Stop conditions as arrays: ``sum_p masks[k, p] (weights[k] @ x_p)  op  threshold``."""

    weights: FloatArray
    ops: IntArray
    thresholds: FloatArray
    masks: FloatArray

    @classmethod
    def build(
        cls,
        conditions: Sequence[Condition],
        compartments: tuple[str, ...],
        world: World | None = None,
    ) -> Stops:
        """Arrays for ``conditions``; in ``world``, each summed over its region."""
        n_patches = world.n_patches if world is not None else 1
        w = np.zeros((len(conditions), len(compartments)))
        m = np.ones((len(conditions), n_patches))
        for c, cond in enumerate(conditions):
            for name in cond.compartments:
                w[c, compartments.index(name)] += 1.0
            if cond.where is not None:
                if world is None:
                    raise ValueError(f"the condition {cond} names a region and there is no world")
                m[c] = 0.0
                m[c, cond.where.resolve(world)] = 1.0
        ops = np.array([int(c.op) for c in conditions], dtype=np.int64)
        thr = np.array([c.threshold for c in conditions], dtype=np.float64)
        return cls(w, ops, thr, m)

    def rows(self, which: Sequence[int]) -> Stops:
        """The conditions ``which``, in that order (the kernel reports an index into them)."""
        i = np.asarray(which, dtype=np.int64)
        return Stops(self.weights[i], self.ops[i], self.thresholds[i], self.masks[i])

    def __len__(self) -> int:
        return len(self.thresholds)

    @property
    def mixed(self) -> tuple[FloatArray, IntArray, FloatArray]:
        """``(weights, ops, thresholds)``, in the well-mixed kernels' order."""
        return self.weights, self.ops, self.thresholds

    @property
    def spatial(self) -> tuple[FloatArray, FloatArray, IntArray, FloatArray]:
        """``(weights, masks, ops, thresholds)``, in the spatial kernels' order."""
        return self.weights, self.masks, self.ops, self.thresholds

    def dense(self) -> FloatArray:
        """``(K, P * C)`` weights over the whole spatial state, patch by patch."""
        k, (p, c) = len(self), (self.masks.shape[1], self.weights.shape[1])
        return (self.masks[:, :, None] * self.weights[:, None, :]).reshape(k, p * c)
