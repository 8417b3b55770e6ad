"""Compile a model in a world into the arrays the spatial kernels read.

The state is one float64 vector ``X`` of length ``P * C``: the count of
compartment ``c`` in patch ``p`` is ``X[p * C + c]``.

Each patch has ``R + C`` channels: the model's ``R`` reactions, and one
movement channel per compartment, ``mob[c] * wout[p] * X[p, c]`` with
``wout[p]`` the summed weight of the patch's open out-edges; a move picks an
out-edge with probability proportional to its weight.

With ``coupling > 0``, every reaction with two different reactants
(``A + B -> ...``, mass action or frequency dependent) also finds its second
reactant ``B`` in the neighbouring patches (those an open out-edge leads to),
each weighted by ``coupling``: its propensity in patch ``p`` is
``k A_p (B_p + coupling * sum_n B_n)`` (divided by ``N_p`` if frequency
dependent). This is Alemi et al.'s lattice model, where a zombie bites across
a cell border. Products are placed by position: the first product takes the
first reactant's place (patch ``p``), the second the partner's place, any
further product goes to ``p``. ``S + Z -> E + Z`` bites the human where the
human is; ``S + Z -> S + D`` destroys the zombie where the zombie is.
``chg_a[j]`` holds the change in patch ``p`` and ``chg_b[j]`` the change at
the partner's patch (all zero for reactions that are not coupled).

References
----------
.. [1] A. A. Alemi, M. Bierbaum, C. R. Myers, J. P. Sethna, "You can run, you
   can hide: The epidemiology and statistical mechanics of zombies",
   Phys. Rev. E 92, 052801 (2015).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import NamedTuple

import numpy as np

from hyosan._checks import check_number
from hyosan._typing import BoolArray, FloatArray, IntArray
from hyosan.errors import InputError, unknown
from hyosan.model import CompiledModel, Model
from hyosan.model.rates import RateLaw
from hyosan.space.world import World

__all__ = ["CompiledSpace", "SpaceArrays", "compile_space", "mobility_vector"]


class SpaceArrays(NamedTuple):
    """The arrays (and the coupling) the spatial kernels take, in their order."""

    k: FloatArray
    law: IntArray
    r1: IntArray
    r2: IntArray
    in_n: FloatArray
    chg_a: FloatArray
    chg_b: FloatArray
    coupled: BoolArray
    coupling: float
    out_ptr: IntArray
    out_dst: IntArray
    out_w: FloatArray
    mob: FloatArray


@dataclass(frozen=True, slots=True)
class CompiledSpace:
    """A compiled model in a world; see the module docstring for the arrays.

    ``out_ptr``, ``out_dst``, ``out_w`` are the out-edges of each patch in
    CSR form (``out_w`` is 0 for a closed edge); ``edge`` maps each CSR entry
    to the world's edge index. ``arrays`` holds what the spatial kernels
    take as one :class:`SpaceArrays`, built once.
    """

    model: CompiledModel
    n_patches: int
    out_ptr: IntArray
    out_dst: IntArray
    out_w: FloatArray
    edge: IntArray
    mob: FloatArray
    coupling: float
    coupled: BoolArray
    chg_a: FloatArray
    chg_b: FloatArray
    arrays: SpaceArrays = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        m = self.model
        arrays = SpaceArrays(
            m.k,
            m.law,
            m.r1,
            m.r2,
            m.in_n,
            self.chg_a,
            self.chg_b,
            self.coupled,
            self.coupling,
            self.out_ptr,
            self.out_dst,
            self.out_w,
            self.mob,
        )
        object.__setattr__(self, "arrays", arrays)

    @property
    def compartments(self) -> tuple[str, ...]:
        return self.model.compartments

    @property
    def n_compartments(self) -> int:
        return self.model.n_compartments

    def with_rates(self, k: FloatArray) -> CompiledSpace:
        """The same world with new rate constants."""
        return replace(self, model=self.model.with_rates(k))

    def with_edge_weights(self, weight: FloatArray) -> CompiledSpace:
        """The same model with the world's edges weighted ``weight`` (0: closed)."""
        return replace(self, out_w=np.ascontiguousarray(weight[self.edge], dtype=np.float64))

    def with_mobility(self, mob: FloatArray) -> CompiledSpace:
        return replace(self, mob=np.ascontiguousarray(mob, dtype=np.float64))


def _placed_changes(model: Model, coupled: BoolArray) -> tuple[FloatArray, FloatArray]:
    """Per reaction, the change at the first reactant's patch and at the partner's."""
    comps = model.compartments
    idx = {c: i for i, c in enumerate(comps)}
    nr, nc = len(model.reactions), len(comps)
    chg_a = np.zeros((nr, nc))
    chg_b = np.zeros((nr, nc))
    for j, r in enumerate(model.reactions):
        if not coupled[j]:
            for c, n in r.change().items():
                chg_a[j, idx[c]] += n
            continue
        at_a: Counter[str] = Counter({r.reactants[0]: -1})
        at_b: Counter[str] = Counter({r.reactants[1]: -1})
        for pos, prod in enumerate(r.products):
            (at_b if pos == 1 else at_a)[prod] += 1
        for c, n in at_a.items():
            chg_a[j, idx[c]] += n
        for c, n in at_b.items():
            chg_b[j, idx[c]] += n
    return chg_a, chg_b


def mobility_vector(
    compartments: tuple[str, ...], mobility: Mapping[str, float], coupling: float
) -> FloatArray:
    """Movement rate of each compartment; :class:`InputError` for bad names or values."""
    mob = np.zeros(len(compartments))
    for c, rate in mobility.items():
        key = f"world.movement.{c}"
        if c not in compartments:
            raise unknown("compartment", c, compartments, key=key)
        problem = "a movement rate is a finite number >= 0"
        mob[compartments.index(c)] = check_number(rate, key=key, problem=problem)
    check_number(coupling, key="world.coupling", problem="coupling is a finite number >= 0")
    return mob


def _coupled(compiled: CompiledModel, world: World, coupling: float) -> BoolArray:
    """Which reactions find their partner in the neighbouring patches too (see the module
    docstring); :class:`InputError` if coupling meets a one-way edge."""
    if coupling > 0:
        pairs = set(zip(world.src.tolist(), world.dst.tolist(), strict=True))
        if any((d, s) not in pairs for s, d in pairs):
            raise InputError(
                "coupling needs every edge to go both ways (nobody bites across a one-way door)",
                key="world.coupling",
                value=coupling,
                allowed="0 in a world with one-way edges",
            )
    return np.array(
        [
            coupling > 0
            and RateLaw(int(law)) in (RateLaw.MASS_ACTION, RateLaw.FREQUENCY)
            and r1 != r2
            for law, r1, r2 in zip(compiled.law, compiled.r1, compiled.r2, strict=True)
        ],
        dtype=np.bool_,
    )


def compile_space(
    model: Model,
    compiled: CompiledModel,
    world: World,
    mobility: Mapping[str, float],
    *,
    coupling: float = 0.0,
    weight: FloatArray | None = None,
) -> CompiledSpace:
    """Join a compiled model, a world and movement rates per compartment.

    ``mobility[c]`` is the rate (per unit time, per unit edge weight) at
    which one individual of ``c`` moves; compartments not named stay put.
    ``weight`` replaces the world's edge weights (closed doors are 0).

    Examples
    --------
    >>> from hyosan.model import builtin_model, compile_model
    >>> m = builtin_model("alemi")
    >>> w = World.lattice([[10, 0], [0, 5]])
    >>> cs = compile_space(m, compile_model(m), w, {"Z": 0.5}, coupling=1.0)
    >>> cs.n_patches, cs.out_ptr.tolist(), cs.coupled.tolist()
    (4, [0, 2, 4, 6, 8], [True, True])
    """
    mob = mobility_vector(model.compartments, mobility, coupling)
    coupled = _coupled(compiled, world, coupling)
    order = np.lexsort((world.dst, world.src))
    src = world.src[order]
    ptr = np.searchsorted(src, np.arange(world.n_patches + 1)).astype(np.int64)
    w = world.weight if weight is None else weight
    chg_a, chg_b = _placed_changes(model, coupled)
    return CompiledSpace(
        model=compiled,
        n_patches=world.n_patches,
        out_ptr=ptr,
        out_dst=np.ascontiguousarray(world.dst[order]),
        out_w=np.ascontiguousarray(w[order], dtype=np.float64),
        edge=order.astype(np.int64),
        mob=mob,
        coupling=float(coupling),
        coupled=coupled,
        chg_a=chg_a,
        chg_b=chg_b,
    )
