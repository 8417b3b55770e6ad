"""Compile a :class:`~hyosan.model.core.Model` into the plain arrays the kernels read.

The arrays (all C-contiguous, int64 or float64):

- ``law[j]``: the :class:`~hyosan.model.rates.RateLaw` code of reaction ``j``;
- ``r1[j]``, ``r2[j]``: indices of its first and second reactant, ``-1`` if none;
- ``k[j]``: its rate constant for the chosen parameter values;
- ``stoich[j, i]``: net change of compartment ``i`` when ``j`` fires
  (``stoich_f`` holds the same numbers as float64 for the kernels);
- ``chg_ptr``, ``chg_idx``, ``chg_val``: the same changes in CSR form, only
  the compartments a reaction changes (what the exact kernel applies);
- ``dn[j]``: the change of ``N`` when ``j`` fires;
- ``in_n[i]``: 1 if compartment ``i`` is counted in ``N``, else 0;
- ``dep_ptr``, ``dep_idx``: in CSR form, the reactions whose propensity can
  change when ``j`` fires (those reading a compartment ``j`` changes, and every
  frequency-dependent reaction when ``j`` changes ``N``), ``j`` included.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import NamedTuple

import numpy as np

from hyosan._typing import FloatArray, IntArray
from hyosan.model.core import Model, resolve_parameters
from hyosan.model.rates import RateLaw

__all__ = ["CompiledModel", "ModelArrays", "compile_model", "rate_constants"]


class ModelArrays(NamedTuple):
    """The arrays the well-mixed kernels take, in their order (see the module docstring)."""

    k: FloatArray
    law: IntArray
    r1: IntArray
    r2: IntArray
    stoich_f: FloatArray
    chg_ptr: IntArray
    chg_idx: IntArray
    chg_val: FloatArray
    dn: FloatArray
    in_n: FloatArray
    dep_ptr: IntArray
    dep_idx: IntArray


@dataclass(frozen=True, slots=True)
class CompiledModel:
    """A model as arrays; see the module docstring for their meaning.

    ``arrays`` holds the kernels' arrays as one :class:`ModelArrays`, built
    once with the model.
    """

    compartments: tuple[str, ...]
    reactions: tuple[str, ...]
    law: IntArray
    r1: IntArray
    r2: IntArray
    k: FloatArray
    stoich: IntArray
    stoich_f: FloatArray
    chg_ptr: IntArray
    chg_idx: IntArray
    chg_val: FloatArray
    dn: FloatArray
    in_n: FloatArray
    dep_ptr: IntArray
    dep_idx: IntArray
    arrays: ModelArrays = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        names = ModelArrays._fields
        object.__setattr__(self, "arrays", ModelArrays(*(getattr(self, n) for n in names)))

    @property
    def n_compartments(self) -> int:
        return len(self.compartments)

    @property
    def n_reactions(self) -> int:
        return len(self.reactions)

    def with_rates(self, k: FloatArray) -> CompiledModel:
        """The same model with new rate constants (after a parameter changed)."""
        fields = [getattr(self, name) for name in _FIELDS]
        fields[_FIELDS.index("k")] = np.ascontiguousarray(k, dtype=np.float64)
        return CompiledModel(*fields)

    def index(self, compartment: str) -> int:
        """Position of ``compartment`` in every array."""
        return self.compartments.index(compartment)


_FIELDS = tuple(f.name for f in fields(CompiledModel) if f.init)
"""The constructor's arguments, in order (a dataclass ``replace`` costs several times more)."""


def rate_constants(model: Model, values: Mapping[str, float]) -> FloatArray:
    """Rate constant of every reaction for the given (complete) parameter values."""
    return np.array([r.rate_expression.evaluate(values) for r in model.reactions], dtype=np.float64)


def compile_model(model: Model, parameters: Mapping[str, float] | None = None) -> CompiledModel:
    """Turn ``model`` into arrays, with ``parameters`` overriding its defaults.

    Examples
    --------
    >>> from hyosan.model import builtin_model
    >>> cm = compile_model(builtin_model("sir"))
    >>> cm.compartments, cm.stoich.shape
    (('S', 'I', 'R'), (2, 3))
    """
    values = resolve_parameters(model, parameters)
    return _compile_structure(model).with_rates(rate_constants(model, values))


def _compile_structure(model: Model) -> CompiledModel:
    """Every array of the compiled model; the rate constants are left at zero."""
    comps = model.compartments
    idx = {c: i for i, c in enumerate(comps)}
    nr, nc = len(model.reactions), len(comps)
    law = np.empty(nr, dtype=np.int64)
    r1 = np.full(nr, -1, dtype=np.int64)
    r2 = np.full(nr, -1, dtype=np.int64)
    stoich = np.zeros((nr, nc), dtype=np.int64)
    for j, r in enumerate(model.reactions):
        law[j] = int(r.rate_law)
        if r.reactants:
            r1[j] = idx[r.reactants[0]]
        if len(r.reactants) > 1:
            r2[j] = idx[r.reactants[1]]
        for c, n in r.change().items():
            stoich[j, idx[c]] += n
    in_n = np.array([1.0 if c in model.counted else 0.0 for c in comps])
    chg_ptr, chg_idx, chg_val = _changes(stoich)
    dep_ptr, dep_idx = _dependencies(law, r1, r2, stoich, in_n)
    return CompiledModel(
        compartments=comps,
        reactions=tuple(r.name or r.equation for r in model.reactions),
        law=law,
        r1=r1,
        r2=r2,
        k=np.zeros(nr),
        stoich=stoich,
        stoich_f=stoich.astype(np.float64),
        chg_ptr=chg_ptr,
        chg_idx=chg_idx,
        chg_val=chg_val,
        dn=stoich @ in_n,
        in_n=in_n,
        dep_ptr=dep_ptr,
        dep_idx=dep_idx,
    )


def _changes(stoich: IntArray) -> tuple[IntArray, IntArray, FloatArray]:
    """The nonzero entries of each stoichiometry row, in CSR form."""
    rows, cols = np.nonzero(stoich)
    ptr = np.searchsorted(rows, np.arange(stoich.shape[0] + 1)).astype(np.int64)
    return ptr, cols.astype(np.int64), stoich[rows, cols].astype(np.float64)


def _dependencies(
    law: IntArray, r1: IntArray, r2: IntArray, stoich: IntArray, in_n: FloatArray
) -> tuple[IntArray, IntArray]:
    """For each reaction ``j``, in CSR form and in order: ``j`` itself, the reactions that
    read a compartment ``j`` changes, and, when ``j`` changes ``N``, every frequency-
    dependent reaction. One boolean matrix product (season 2's 453 reactions: a
    millisecond, where a loop over the pairs took 0.4 s a grid point)."""
    nr, nc = stoich.shape
    reads = np.zeros((nr, nc), dtype=bool)
    for reactant in (r1, r2):
        has = reactant >= 0
        reads[np.flatnonzero(has), reactant[has]] = True
    changed = stoich != 0
    hit = (changed.astype(np.int64) @ reads.T.astype(np.int64)) > 0  # hit[j, m]
    hit |= np.eye(nr, dtype=bool)
    hit |= np.outer(stoich @ in_n != 0, law == RateLaw.FREQUENCY)
    rows, cols = np.nonzero(hit)  # row-major: each j's reactions in increasing order
    ptr = np.zeros(nr + 1, dtype=np.int64)
    ptr[1:] = np.cumsum(np.bincount(rows, minlength=nr))
    return ptr, cols.astype(np.int64)
