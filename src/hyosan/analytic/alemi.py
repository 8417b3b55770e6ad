"""Exact results for Alemi et al.'s fully connected SZR model.

The model (hyosan's built-in ``alemi``): bite ``S + Z -> 2 Z`` at
``beta S Z / N`` and kill ``S + Z -> S + R`` at ``kappa S Z / N``, with
``N = S + Z + R`` constant. Write ``alpha = kappa / beta``.

**The ODE in closed form.** ``dZ/dS = -(1 - alpha)`` and ``dR/dS = -alpha``,
so ``Z = c - (1 - alpha) S`` and ``R = R0 + alpha (S0 - S)`` with
``c = Z0 + (1 - alpha) S0``. Then ``dS/dt = -(beta / N) S (c - (1 - alpha) S)``
is logistic, and ``1/S`` obeys a linear ODE whose solution is::

    S(t) = S0 / (1 + Z0 (beta t / N) phi(beta c t / N)),   phi(x) = (e^x - 1) / x

(``phi(0) = 1``; the form stays finite when ``c = 0``). For ``alpha < 1`` the
humans go to 0; for ``alpha > 1`` and ``c < 0`` the zombies die out with
``S -> c / (1 - alpha)`` humans left.

**Takeover from few zombies.** Both events have propensity proportional to
``S Z / N``, so on the embedded jump chain every event is a bite with
probability ``p = 1 / (1 + alpha)`` and a kill with ``q = alpha / (1 + alpha)``,
whatever the state: the zombie count is a random walk, and each up-step uses
up one human. The zombies take over (humans reach 0 with zombies left) if and
only if the walk makes ``S0`` up-steps before it hits 0. As ``S0 -> inf``
this is the gambler's ruin against an infinitely rich adversary:
``P = 1 - alpha**Z0`` for ``alpha < 1`` and 0 otherwise.

References
----------
.. [1] A. A. Alemi, M. Bierbaum, C. R. Myers, J. P. Sethna, "You can run, you
   can hide: The epidemiology and statistical mechanics of zombies",
   Phys. Rev. E 92, 052801 (2015), Sec. II (the fully connected model and its
   closed-form solution).
.. [2] W. Feller, An Introduction to Probability Theory and Its Applications,
   Vol. I, 3rd ed., Wiley (1968), Ch. XIV (gambler's ruin) and Ch. III
   (the reflection principle).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from hyosan._typing import FloatArray

__all__ = ["szr_ode_solution", "takeover_probability", "takeover_probability_limit"]


def szr_ode_solution(
    times: npt.ArrayLike,
    s0: float,
    z0: float,
    r0: float = 0.0,
    *,
    beta: float,
    kappa: float,
) -> FloatArray:
    """Closed-form solution of the fully connected SZR ODE.

    Parameters
    ----------
    times
        Times at which to evaluate the solution (any shape is flattened).
    s0, z0, r0
        Humans, zombies and removed at ``t = 0``; ``N = s0 + z0 + r0``.
    beta, kappa
        Bite and kill rates (per zombie per unit time, frequency dependent).

    Returns
    -------
    FloatArray
        Shape ``(len(times), 3)``: columns ``S, Z, R`` (the order of the
        ``alemi`` model's compartments).

    Notes
    -----
    Derived in the module docstring; cost O(len(times)), exact to rounding
    (a few ulp of ``N``). ``alpha = kappa / beta``; ``beta`` must be
    positive. The formula is evaluated with ``expm1`` so that it holds
    through ``c = 0`` (``alpha > 1`` with ``z0 = (alpha - 1) s0``), where the
    solution is algebraic rather than exponential.

    References
    ----------
    .. [1] Alemi et al., Phys. Rev. E 92, 052801 (2015), Sec. II.

    Examples
    --------
    >>> x = szr_ode_solution([0.0, 5.0], 99.0, 1.0, beta=1.0, kappa=0.0)
    >>> x[0].tolist(), bool(x[1, 0] < 99.0), float(x[1].sum())
    ([99.0, 1.0, 0.0], True, 100.0)
    """
    if beta <= 0.0:
        raise ValueError("beta must be positive")
    t = np.asarray(times, dtype=np.float64).ravel()
    n = s0 + z0 + r0
    alpha = kappa / beta
    a = 1.0 - alpha
    s = _humans(t, s0, z0, n, beta, c=z0 + a * s0)
    out = np.empty((t.size, 3))
    out[:, 0] = s
    out[:, 1] = np.maximum(z0 + a * (s0 - s), 0.0)
    out[:, 2] = r0 + alpha * (s0 - s)
    return out


def _humans(t: FloatArray, s0: float, z0: float, n: float, beta: float, c: float) -> FloatArray:
    """``S(t) = s0 / (1 + z0 (beta t / n) phi(beta c t / n))``, ``phi(x) = expm1(x) / x``."""
    x = beta * c * t / n
    if z0 == 0.0:
        return np.full(t.shape, float(s0))
    with np.errstate(over="ignore"):
        phi = np.where(x == 0.0, 1.0, np.expm1(x) / np.where(x == 0.0, 1.0, x))
        return s0 / (1.0 + z0 * (beta * t / n) * phi)  # s0 / inf = 0 once humans are gone


def takeover_probability(s0: int, z0: int = 1, *, alpha: float) -> float:
    """Exact probability that ``z0`` zombies turn or outlast all ``s0`` humans.

    Dynamic programming on the embedded jump chain of the fully connected
    model: with ``p = 1 / (1 + alpha)`` and ``q = 1 - p``, the probability
    ``P(s, z)`` of takeover from ``s`` humans and ``z`` zombies obeys::

        P(s, z) = p P(s - 1, z + 1) + q P(s, z - 1),
        P(0, z) = 1 (z >= 1),   P(s, 0) = 0.

    Parameters
    ----------
    s0
        Humans at the start (the population size does not enter: every
        propensity carries the same ``S Z / N``).
    z0
        Zombies at the start (at least 1).
    alpha
        ``kappa / beta``, kills per bite.

    Returns
    -------
    float
        ``P(s0, z0)``: the chance that humans reach 0 while zombies remain.

    Notes
    -----
    Cost O(s0 (s0 + z0)) time and O(s0 + z0) memory: about 0.2 s for
    ``s0 = 5000``. Every step is a convex combination of numbers in [0, 1],
    so rounding errors stay below ``s0 (s0 + z0)`` ulp. ``alpha`` may be 0
    (``P = 1``) or any positive number; ``alpha = inf`` is not allowed.

    References
    ----------
    .. [1] Alemi et al., Phys. Rev. E 92, 052801 (2015).
    .. [2] Feller (1968), Vol. I, Ch. XIV.

    Examples
    --------
    One human, one zombie: the first event must be a bite.

    >>> round(takeover_probability(1, 1, alpha=0.5), 12)
    0.666666666667
    """
    if s0 < 0 or z0 < 0:
        raise ValueError("s0 and z0 must be >= 0")
    if not 0.0 <= alpha < np.inf:
        raise ValueError("alpha must be finite and >= 0")
    if z0 == 0:
        return 0.0
    if s0 == 0:
        return 1.0
    return float(_takeover_row(s0, z0, alpha)[z0])


def _takeover_row(s0: int, z0: int, alpha: float) -> FloatArray:
    """``P(s0, z)`` for ``z = 0 .. s0 + z0`` (``s0, z0 >= 1``; see :func:`takeover_probability`).

    Rows ``s = 1 .. s0`` are filled in turn from ``P(0, z) = 1``; within a row
    the recurrence in ``z`` is a first-order linear filter
    (:func:`scipy.signal.lfilter`).
    """
    from scipy.signal import lfilter

    p = 1.0 / (1.0 + alpha)
    q = alpha / (1.0 + alpha)
    width = s0 + z0 + 1  # z = 0 .. s0 + z0
    row = np.ones(width)  # P(0, z) = 1 for z >= 1; index 0 is never read
    for _ in range(s0):
        # P(s, z) for z = 1 .. width - 2 from P(s - 1, z + 1); the top entry
        # is outside the reachable region (z <= z0 + s0 - s) and is kept at 1.
        drive = p * row[2:]
        new = np.empty(width)
        new[0] = 0.0
        new[1:-1] = lfilter([1.0], [1.0, -q], drive)
        new[-1] = 1.0
        row = new
    return row


def takeover_probability_limit(alpha: float, z0: int = 1) -> float:
    """Takeover probability as the number of humans goes to infinity.

    The zombie count is a random walk, up with probability ``1 / (1 + alpha)``;
    it never hits 0 with probability ``1 - alpha**z0`` if ``alpha < 1`` and
    0 otherwise (gambler's ruin).

    Notes
    -----
    Cost O(1). :func:`takeover_probability` approaches this from above, the
    gap falling like ``(4 alpha / (1 + alpha)**2)**s0`` for ``alpha != 1``
    and like ``s0**-0.5`` at ``alpha = 1``.

    References
    ----------
    .. [1] Feller (1968), Vol. I, Ch. XIV, Sec. 2.

    Examples
    --------
    >>> takeover_probability_limit(0.5), takeover_probability_limit(2.0)
    (0.5, 0.0)
    """
    if alpha < 0.0:
        raise ValueError("alpha must be >= 0")
    return 1.0 - alpha**z0 if alpha < 1.0 else 0.0
