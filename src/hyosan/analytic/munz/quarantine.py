"""The Munz et al. (2009) quarantine model near its start and at its end.

From a few zombies among ``N`` humans: the basic reproduction number
(:func:`quarantine_r0`, by the next-generation matrix [2]_), the early growth
rate, the extinction probability of the branching process [3]_, the exact
probability of a major outbreak from the jump chain, and the final size of the
ODE. The equations are those of :func:`~hyosan.analytic.munz.sizrq_rhs`.

References
----------
.. [1] P. Munz, I. Hudea, J. Imad, R. J. Smith?, "When zombies attack!:
   Mathematical modelling of an outbreak of zombie infection", in Infectious
   Disease Modelling Research Progress, Nova Science, 2009, pp. 133-150.
.. [2] P. van den Driessche, J. Watmough, "Reproduction numbers and
   sub-threshold endemic equilibria for compartmental models of disease
   transmission", Math. Biosci. 180, 29-48 (2002) (the next-generation matrix).
.. [3] T. E. Harris, The Theory of Branching Processes, Springer (1963),
   Ch. I (extinction probability of a Galton-Watson process).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from hyosan.analytic.munz.equations import _SIZRQ, _get

__all__ = [
    "quarantine_extinction_probability",
    "quarantine_final_size",
    "quarantine_growth_rate",
    "quarantine_major_outbreak_probability",
    "quarantine_r0",
]


def quarantine_r0(p: Mapping[str, float], n: float) -> float:
    """Basic reproduction number of the quarantine model with ``N`` humans.

    ``R0 = beta N rho / ((rho + kappa + delta) (alpha N + sigma))``; with
    ``delta = 0`` this is the paper's ``beta N rho / ((rho + kappa)(alpha N +
    sigma))``.

    Derivation (next-generation matrix [2]_) for hyosan's reactions: at the
    disease-free state ``S = N`` the infected compartments are ``I`` and
    ``Z``; new infections ``F = [[0, beta N], [0, 0]]`` (a bite makes an
    ``I``), transitions ``V = [[rho + kappa + delta, 0], [-rho, alpha N +
    sigma]]`` (an ``I`` turns, is quarantined or dies; a ``Z`` is destroyed
    or quarantined). ``R0`` is the spectral radius of ``F V^-1``: a zombie
    bites ``beta N / (alpha N + sigma)`` humans, each of whom turns with
    probability ``rho / (rho + kappa + delta)``.

    When it is exact: ``S = N, I = Z = 0`` must be at rest, which needs
    ``Pi = delta N`` (or ``Pi = delta = 0``, the paper's case, where ``delta``
    drops out), and the removed must not come back: ``zeta = 0`` (with
    resurrection the natural dead ``delta N`` a day become zombies, nothing
    leaves the infected classes ``I, Z, R, Q``, ``V`` is singular and there is
    no disease-free state; ``zeta`` is not read here). The dead then pile up
    in ``R`` at ``delta N`` a day, which no longer matters. ``R0 < 1`` if and
    only if :func:`quarantine_growth_rate` is negative.

    Examples
    --------
    The printed rates, read with ``N = 500`` (the paper's unit), and the
    paper's ``delta``-free formula:

    >>> from hyosan.analytic.munz import PRINTED
    >>> p = {**PRINTED, "delta": 0.0, "kappa": 0.001, "sigma": 0.001}
    >>> round(quarantine_r0(p, 500.0), 4)
    1.5827
    """
    delta, beta, alpha, rho, kappa, sigma = _get(
        p, "delta", "beta", "alpha", "rho", "kappa", "sigma"
    )
    return beta * n * rho / ((rho + kappa + delta) * (alpha * n + sigma))


def quarantine_growth_rate(p: Mapping[str, float], n: float) -> float:
    """Largest eigenvalue of the ``(I, Z)`` linearisation at ``S = N`` (``zeta = 0``).

    ``d(I, Z)/dt = A (I, Z)`` with ``A = F - V`` (see :func:`quarantine_r0`);
    ``det A = (rho + kappa + delta)(alpha N + sigma)(1 - R0)`` and
    ``tr A < 0``, so the largest eigenvalue has the sign of ``R0 - 1``. It is
    computed without cancellation near ``R0 = 1``.
    """
    delta, beta, alpha, rho, kappa, sigma = _get(
        p, "delta", "beta", "alpha", "rho", "kappa", "sigma"
    )
    a, d = rho + kappa + delta, alpha * n + sigma
    trace, det = -(a + d), a * d - beta * n * rho
    root = math.sqrt((a - d) ** 2 + 4.0 * beta * n * rho)  # sqrt(trace^2 - 4 det)
    return 2.0 * det / (trace - root)


def quarantine_extinction_probability(
    p: Mapping[str, float], n: float, *, zombies: int = 1, infected: int = 0
) -> float:
    """Probability that an outbreak from a few zombies and infected dies out, as ``N -> inf``.

    While humans are many, ``S ~ N`` and the outbreak is a two-type
    branching process: a zombie bites (rate ``beta N``) before it is destroyed
    or quarantined (rate ``alpha N + sigma``), so its number of bites is
    geometric with mean ``beta N / (alpha N + sigma)``; each bitten human
    turns with probability ``p = rho / (rho + kappa + delta)``. Its extinction
    probabilities ``q_Z``, ``q_I`` solve ``q_I = p q_Z + 1 - p`` and
    ``(beta N + alpha N + sigma) q_Z = beta N q_Z q_I + alpha N + sigma``,
    that is ``(q_Z - 1)(beta N p q_Z - alpha N - sigma) = 0``: ``q_Z =
    min(1, 1 / R0)`` [3]_. Returns ``q_Z ** zombies * q_I ** infected``.

    Examples
    --------
    >>> from hyosan.analytic.munz import PRINTED
    >>> p = {**PRINTED, "beta": 0.01, "delta": 0.0}
    >>> quarantine_r0(p, 500.0), quarantine_extinction_probability(p, 500.0)
    (2.0, 0.5)
    """
    delta, rho, kappa = _get(p, "delta", "rho", "kappa")
    q_z = min(1.0, 1.0 / quarantine_r0(p, n))
    turn = rho / (rho + kappa + delta)
    return q_z**zombies * (turn * q_z + 1.0 - turn) ** infected


def quarantine_major_outbreak_probability(
    p: Mapping[str, float], n: int, m: int, *, zombies: int = 1, depletion: bool = True
) -> float:
    """Exact probability that at least ``m`` of ``n`` humans are bitten, from a few zombies.

    The jump chain of hyosan's quarantine model with ``Pi = delta = zeta = 0``
    and ``c = 0``: after ``k`` bites ``S = n - k``, and from ``(k, I, Z)`` the
    next event is a bite (``beta S Z``), a zombie destroyed or quarantined
    (``(alpha S + sigma) Z``), an infected turning (``rho I``) or quarantined
    (``kappa I``). ``P(k, I, Z)`` is solved backwards from ``P(m, ., .) = 1``
    and ``P(k, 0, 0) = 0``; within a ``k`` the events keep ``I + Z`` or lower it,
    and turning lowers ``I``, which fixes an order. Cost O(m^3): 0.1 s at m = 60.

    With ``depletion=False`` ``S`` stays ``n``: the branching process of
    :func:`quarantine_extinction_probability`, whose probability of ``m``
    bites tends to ``1 - q_Z ** zombies`` from above as ``m`` grows. On one
    genealogy the two chains can be coupled, which gives
    ``1 - 1/R0(n - m) <= P <= P(depletion=False)`` for one zombie.
    """
    pi, delta, beta, alpha, zeta, rho, kappa, sigma, _, c = _get(p, *_SIZRQ)
    if pi or delta or zeta or c:
        raise ValueError("the exact chain needs Pi = delta = zeta = c = 0 (S then only falls)")
    if not 0 < m <= n:
        raise ValueError(f"need 0 < m <= n, got m = {m}, n = {n}")
    size = m + zombies + 1
    nxt = np.ones((size, size))  # layer k = m: reached
    cur = nxt
    for k in range(m - 1, -1, -1):
        s = float(n - k) if depletion else float(n)
        cur = np.zeros((size, size))
        for total in range(1, k + zombies + 1):
            for i in range(total + 1):
                z = total - i
                bite, lose = beta * s * z, (alpha * s + sigma) * z
                turn, jail = rho * i, kappa * i
                rate = bite + lose + turn + jail
                if rate <= 0.0:
                    continue
                value = bite * nxt[i + 1, z] if bite else 0.0
                if z:
                    value += lose * cur[i, z - 1]
                if i:
                    value += turn * cur[i - 1, z + 1] + jail * cur[i - 1, z]
                cur[i, z] = value / rate
        nxt = cur
    return float(cur[0, zombies])


def quarantine_final_size(
    p: Mapping[str, float], s0: float, *, zombies: float = 1.0, infected: float = 0.0
) -> float:
    """Humans left at the end of the quarantine model's ODE (``Pi = delta = zeta = c = 0``).

    ``S' = -beta S Z`` gives ``ln(S_inf / S0) = -beta int Z``. Integrating the
    ``I`` and ``Z`` equations to the end, where ``I = Z = 0`` (``sigma > 0``
    empties them), ``sigma int Z = Z0 + p I0 + (S0 - S_inf)(p - alpha/beta)``
    with ``p = rho / (rho + kappa)``. So ``u = ln(S_inf / S0)`` solves
    ``u + (beta/sigma) [Z0 + p I0 + S0 (1 - e^u)(p - alpha/beta)] = 0``,
    which has exactly one root in ``u < 0``; found by bisection to rounding.
    May return 0.0 when ``S_inf`` underflows.
    """
    pi, delta, beta, alpha, zeta, rho, kappa, sigma, _, c = _get(p, *_SIZRQ)
    if pi or delta or zeta or c or sigma <= 0.0:
        raise ValueError("the final-size relation needs Pi = delta = zeta = c = 0 < sigma")
    from scipy.optimize import brentq

    turn = rho / (rho + kappa)
    k0 = beta / sigma * (zombies + turn * infected)
    slope = beta / sigma * s0 * (turn - alpha / beta)

    def h(u: float) -> float:
        return u + k0 - slope * math.expm1(u)

    low = -(k0 + max(slope, 0.0)) - 1.0
    u = brentq(h, low, 0.0, xtol=1e-300, rtol=4 * np.finfo(float).eps, maxiter=500)
    return s0 * math.exp(u)
