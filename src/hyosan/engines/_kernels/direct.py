"""Gillespie's direct method for one well-mixed population.

Each step draws the waiting time ``tau ~ Exp(a0)`` and the reaction ``j`` with
probability ``a_j / a0``, applies the reaction's change, and recomputes only
the propensities that depend on what changed (a dependency graph in CSR
form). The total ``a0`` is re-summed every step from the propensities, so it
is exactly zero in an absorbing state and never drifts. Cost per event:
O(R) for the sum and the linear search, R the number of reactions.

Output is right-continuous: a grid time ``t_g`` receives the state after all
events at times ``<= t_g``. A call covers ``[t, t_stop)``; grid times equal to
``t_stop`` are left to the caller, which may apply interventions first.

References
----------
.. [1] D. T. Gillespie, "Exact stochastic simulation of coupled chemical
   reactions", J. Phys. Chem. 81, 2340-2361 (1977).
.. [2] M. A. Gibson, J. Bruck, "Efficient exact stochastic simulation of
   chemical systems with many species and many channels", J. Phys. Chem. A
   104, 1876-1889 (2000) (the dependency graph).
"""

from __future__ import annotations

import math

import numpy as np

from hyosan.engines._kernels._jit import njit
from hyosan.engines._kernels.conditions import first_condition
from hyosan.engines._kernels.propensity import propensities
from hyosan.engines._kernels.status import BUDGET, CONDITION, REACHED


@njit(cache=True)
def record_until(x, t_limit, t_out, out, i_out):
    """Copy ``x`` into ``out`` for every grid time before ``t_limit``; new ``i_out``."""
    while i_out < t_out.shape[0] and t_out[i_out] < t_limit:
        out[i_out, :] = x
        i_out += 1
    return i_out


@njit(cache=True)
def branch_free_laws(law, r1, r2, nc):
    """Reactant indices into the padded counts, and the per-reaction corrections.

    ``q1``, ``q2`` point at slot ``nc`` (which holds 1.0) where a reaction has
    fewer than two reactants; ``same`` is 1.0 for a mass-action or frequency
    reaction whose two reactants are one compartment (``X (X - 1)``); ``freq``
    marks frequency-dependent reactions.
    """
    nr = law.shape[0]
    q1 = np.empty(nr, dtype=np.int64)
    q2 = np.empty(nr, dtype=np.int64)
    same = np.zeros(nr)
    freq = np.zeros(nr, dtype=np.bool_)
    for j in range(nr):
        q1[j] = r1[j] if law[j] >= 1 else nc
        q2[j] = r2[j] if law[j] >= 2 else nc
        if law[j] >= 2 and r1[j] == r2[j]:
            same[j] = 1.0
        freq[j] = law[j] == 3
    return q1, q2, same, freq


@njit(cache=True)
def direct_steps(x, t, t_stop, m, cond, t_out, out, i_out, max_events, a, rng):
    """Up to ``max_events`` exact events from ``t`` towards ``t_stop``.

    ``a`` holds the propensities on entry and on exit (work array).
    Returns ``(status, t, i_out, n_events, condition)``.

    The loop works on a copy ``xe`` of the counts with one more slot that
    holds 1.0, and on reactant indices that point to that slot where a
    reaction has fewer than two reactants; every propensity is then
    ``k * xe[q1] * (xe[q2] - same) * (1/N if frequency dependent)``, with no
    branch on the rate law (see docs/design/performance.md).
    """
    k, law, r1, r2, _, chg_ptr, chg_idx, chg_val, dn, in_n, dep_ptr, dep_idx = m
    cond_w, cond_op, cond_thr = cond
    nr = k.shape[0]
    nc = x.shape[0]
    xe = np.empty(nc + 1)
    xe[:nc] = x
    xe[nc] = 1.0
    q1, q2, same, freq = branch_free_laws(law, r1, r2, nc)
    n_total = 0.0
    for i in range(nc):
        n_total += in_n[i] * x[i]
    inv_n = 1.0 / n_total if n_total > 0.0 else 0.0
    n_out = t_out.shape[0]
    next_out = t_out[i_out] if i_out < n_out else math.inf
    n_cond = cond_thr.shape[0]
    n_events = 0
    status = BUDGET
    cond = -1
    while n_events < max_events:
        a0 = 0.0
        for j in range(nr):
            a0 += a[j]
        t_next = math.inf
        if a0 > 0.0:
            t_next = t - math.log(1.0 - rng.random()) / a0
        if t_next >= next_out:
            i_out = record_until(xe[:nc], min(t_next, t_stop), t_out, out, i_out)
            next_out = t_out[i_out] if i_out < n_out else math.inf
        if t_next >= t_stop:
            t = t_stop
            status = REACHED
            break
        target = rng.random() * a0
        acc = 0.0
        j = 0
        while j < nr - 1:
            acc += a[j]
            if acc > target:
                break
            j += 1
        while a[j] == 0.0:  # rounding at the top end: step back to a live reaction
            j -= 1
        for p in range(chg_ptr[j], chg_ptr[j + 1]):
            xe[chg_idx[p]] += chg_val[p]
        if dn[j] != 0.0:
            n_total += dn[j]
            inv_n = 1.0 / n_total if n_total > 0.0 else 0.0
        t = t_next
        for p in range(dep_ptr[j], dep_ptr[j + 1]):
            m = dep_idx[p]
            am = k[m] * xe[q1[m]] * (xe[q2[m]] - same[m])
            a[m] = am * inv_n if freq[m] else am
        n_events += 1
        if n_cond > 0:
            cond = first_condition(xe[:nc], cond_w, cond_op, cond_thr)
            if cond >= 0:
                status = CONDITION
                break
    x[:] = xe[:nc]
    return status, t, i_out, n_events, cond


@njit(cache=True)
def ssa_direct_run(x, t, t_stop, m, cond, t_out, out, i_out, max_events, rng):
    """Run the direct method on ``x`` (float64 counts, changed in place).

    Parameters
    ----------
    x : float64[C]
        Counts; updated in place.
    t, t_stop : float
        Start and stop time of this segment.
    m : ModelArrays
        The compiled model, a named tuple ``(k, law, r1, r2, stoich, chg_ptr,
        chg_idx, chg_val, dn, in_n, dep_ptr, dep_idx)`` (``hyosan.model.compiled``;
        ``dn[j]`` is the change of ``N`` when ``j`` fires).
    cond : tuple
        Stop conditions ``(cond_w, cond_op, cond_thr)`` (see
        ``conditions.first_condition``); may be empty.
    t_out : float64[T]
        Output grid; ``out[T, C]`` receives states from index ``i_out`` on.
    max_events : int
        Budget of events for this call.
    rng : numpy.random.Generator

    Returns
    -------
    status, t, i_out, n_events, condition
    """
    a = np.empty(m.k.shape[0])
    propensities(x, m.k, m.law, m.r1, m.r2, m.in_n, True, a)
    return direct_steps(x, t, t_stop, m, cond, t_out, out, i_out, max_events, a, rng)
