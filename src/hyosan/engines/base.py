"""What every engine offers the driver: advance a state over one time segment.

An engine is a small stateless object. The driver
(:func:`hyosan.engines.driver.run_path`) owns the state, the output array and
the random generator, cuts time into segments at interventions, and calls
:meth:`Engine.advance` for each; stop conditions travel as arrays
(:class:`Conditions`) so that exact engines can stop at the very event that
makes one true.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass
from typing import ClassVar, NamedTuple

import numpy as np

from hyosan._typing import FloatArray, IntArray
from hyosan.interventions import Condition
from hyosan.model import CompiledModel
from hyosan.space import CompiledSpace, World

__all__ = ["Conditions", "Engine", "Step"]

_OP_CODES = {"<": 0, "<=": 1, ">": 2, ">=": 3}


@dataclass(frozen=True, slots=True)
class Conditions:
    """Stop conditions as arrays: ``sum_p masks[k, p] (weights[k] @ x_p)  op  threshold``.

    ``weights`` is ``(K, C)``; ``masks`` is ``(K, P)``, one row per condition
    marking the patches of its region (``P`` is 1 well mixed).
    """

    weights: FloatArray
    ops: IntArray
    thresholds: FloatArray
    masks: FloatArray

    @classmethod
    def build(
        cls,
        conditions: list[Condition],
        compartments: tuple[str, ...],
        world: World | None = None,
    ) -> Conditions:
        """Arrays for ``conditions``; in ``world``, each summed over its region."""
        n_patches = world.n_patches if world is not None else 1
        if not conditions:  # the common case, and runs at small N call often: share one
            shape = (len(compartments), n_patches)
            if shape not in _NONE:
                _NONE.clear()
                _NONE[shape] = cls._arrays(conditions, compartments, world, n_patches)
            return _NONE[shape]
        return cls._arrays(conditions, compartments, world, n_patches)

    @classmethod
    def _arrays(
        cls,
        conditions: list[Condition],
        compartments: tuple[str, ...],
        world: World | None,
        n_patches: int,
    ) -> Conditions:
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
        ops = np.array([_OP_CODES[c.op] for c in conditions], dtype=np.int64)
        thr = np.array([c.threshold for c in conditions], dtype=np.float64)
        return cls(w, ops, thr, m)

    def __len__(self) -> int:
        return len(self.thresholds)

    @property
    def arrays(self) -> tuple[FloatArray, IntArray, FloatArray]:
        """``(weights, ops, thresholds)``, in the well-mixed kernels' order."""
        return self.weights, self.ops, self.thresholds

    @property
    def space_arrays(self) -> tuple[FloatArray, FloatArray, IntArray, FloatArray]:
        """``(weights, masks, ops, thresholds)``, in the spatial kernels' order."""
        return self.weights, self.masks, self.ops, self.thresholds

    def dense(self) -> FloatArray:
        """``(K, P * C)`` weights over the whole spatial state, patch by patch."""
        k, (p, c) = len(self), (self.masks.shape[1], self.weights.shape[1])
        return (self.masks[:, :, None] * self.weights[:, None, :]).reshape(k, p * c)


_NONE: dict[tuple[int, int], Conditions] = {}
"""No conditions, for the last shape asked (kernels only read these arrays)."""


class Step(NamedTuple):
    """What one call of :meth:`Engine.advance` did.

    ``status`` is a kernel status code (``REACHED``, ``CONDITION``, ``BUDGET``);
    ``condition`` is the index of the condition that stopped it, or -1.
    """

    status: int
    t: float
    i_out: int
    events: int
    condition: int = -1


class Engine(abc.ABC):
    """An algorithm that advances counts through time.

    Subclasses declare ``name``, whether they are ``stochastic`` and whether
    they need whole-number counts (``integer_counts``).
    """

    name: ClassVar[str]
    stochastic: ClassVar[bool]
    integer_counts: ClassVar[bool]

    @abc.abstractmethod
    def advance(
        self,
        x: FloatArray,
        t: float,
        t_stop: float,
        model: CompiledModel | CompiledSpace,
        conditions: Conditions,
        t_out: FloatArray,
        out: FloatArray,
        i_out: int,
        rng: np.random.Generator,
    ) -> Step:
        """Advance ``x`` in place from ``t`` towards ``t_stop``.

        Writes the state into ``out[i]`` for every grid time ``t_out[i]`` in
        ``[t, t_stop)`` passed, starting at ``i_out``; stops early when a
        condition holds or a work budget runs out. In space (``model`` a
        :class:`~hyosan.space.CompiledSpace`) ``x`` holds ``P * C`` counts,
        patch by patch, and conditions apply to the totals over patches.
        """

    def remove(self, count: float, fraction: float, rng: np.random.Generator) -> float:
        """How many of ``count`` an impulse removing ``fraction`` takes."""
        if self.stochastic:
            return float(rng.binomial(int(count), fraction))
        return count * fraction
