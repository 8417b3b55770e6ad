"""Analytic companions of the Munz et al. (2009) zombie models.

Everything here is written by hand from the paper's equations, independently
of hyosan's engines, so that the engines can be checked against it.
Parameters are passed as a mapping named like the built-in ``munz-*`` models
(``Pi, delta, beta, alpha, zeta, rho, kappa, sigma, gamma, c``); a mechanism
a model lacks (``kappa``, ``sigma``, ``gamma``, ``c``) may be left out and is
then 0. :data:`PRINTED` holds the paper's printed values, in its units
(mass-action rates per thousand people, time in days).

**The basic model** ("The basic model" of [1]_), state ``x = (S, Z, R)``::

    S' = Pi - beta S Z - delta S
    Z' = beta S Z + zeta R - alpha S Z
    R' = delta S + alpha S Z - zeta R

Adding the three gives ``(S + Z + R)' = Pi``: nobody ever leaves the model
(the dead resurrect), so with ``Pi > 0`` the total grows without bound and
**there is no equilibrium at all** (also for "births equal natural deaths",
``Pi = delta N``). With ``Pi = 0`` the total ``T`` is conserved and
``S' = -S (beta Z + delta)``, so an equilibrium has ``S = 0`` or (only when
``delta = 0``) ``Z = 0``; then ``zeta R = 0``. The equilibria are the
disease-free ``(T, 0, 0)`` (only for ``delta = 0``) and doomsday
``(0, T, 0)``; none has ``S > 0`` and ``Z > 0``, whatever ``beta > 0`` and
``alpha`` are. The paper finds the same with ``Pi = delta = 0`` and leaves the
doomsday zombie count ``Z̄`` free; on the invariant plane ``S + Z + R = T`` it
is ``T``.

The Jacobian has a zero eigenvalue at every equilibrium, because
``(1, 1, 1) J = 0`` (the conserved total); its other eigenvalues are those of
``J`` restricted to the invariant plane (:func:`plane_eigenvalues`). At the
disease-free state they are the roots of
``lambda^2 + (zeta - (beta - alpha) N) lambda - beta zeta N``, whose product
``-beta zeta N < 0`` makes one of them positive for every ``beta, zeta > 0``:
unstable, the paper's argument. At doomsday they are ``-(beta T + delta)``
and ``-zeta``: a sink within the plane. The paper calls doomsday
asymptotically stable from the eigenvalues ``0, -beta Z̄, -zeta``, which the
zero does not allow; what holds is that each doomsday point is Lyapunov
stable and a perturbed state converges to the doomsday point of its own total.

**The latent, quarantine and cure models** share one form here, state
``x = (S, I, Z, R, Q)`` ("The model with latent infection", "The model with
quarantine", "A model with treatment" of [1]_; ``Q = 0`` and
``kappa = sigma = gamma = 0`` outside the quarantine model, ``c = 0`` outside
the cure model)::

    S' = Pi - beta S Z - delta S + c Z
    I' = beta S Z - (rho + delta + kappa) I
    Z' = rho I + zeta R - alpha S Z - sigma Z - c Z
    R' = delta S + delta I + alpha S Z - zeta R + gamma Q
    Q' = kappa I + sigma Z - gamma Q

Again ``(S + I + Z + R + Q)' = Pi``.

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
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType

import numpy as np

from hyosan._typing import FloatArray

__all__ = [
    "PRINTED",
    "basic_dfe_eigenvalues",
    "basic_doomsday_eigenvalues",
    "basic_equilibria",
    "basic_jacobian",
    "basic_rhs",
    "cure_coexistence",
    "error_propagation_factors",
    "plane_eigenvalues",
    "quarantine_extinction_probability",
    "quarantine_final_size",
    "quarantine_growth_rate",
    "quarantine_major_outbreak_probability",
    "quarantine_r0",
    "sizrq_jacobian",
    "sizrq_rhs",
]

PRINTED: Mapping[str, float] = MappingProxyType(
    {"Pi": 0.0, "delta": 0.0001, "beta": 0.0095, "alpha": 0.005, "zeta": 0.0001, "rho": 0.005}
)
"""The paper's printed values (per day; ``beta``, ``alpha`` per thousand people)."""

_OPTIONAL = ("kappa", "sigma", "gamma", "c")


def _get(p: Mapping[str, float], *names: str) -> tuple[float, ...]:
    for name in names:
        if name not in p and name not in _OPTIONAL:
            raise KeyError(f"parameter {name!r} is needed (names as in the munz-* models)")
    return tuple(float(p.get(name, 0.0)) for name in names)


def basic_rhs(x: FloatArray, p: Mapping[str, float]) -> FloatArray:
    """Right-hand side of the basic model at ``x = (S, Z, R)`` (see the module docstring)."""
    pi, delta, beta, alpha, zeta = _get(p, "Pi", "delta", "beta", "alpha", "zeta")
    s, z, r = x
    return np.array(
        [
            pi - beta * s * z - delta * s,
            beta * s * z + zeta * r - alpha * s * z,
            delta * s + alpha * s * z - zeta * r,
        ]
    )


def basic_jacobian(x: FloatArray, p: Mapping[str, float]) -> FloatArray:
    """Jacobian ``d(S', Z', R') / d(S, Z, R)`` of the basic model, by hand.

    Examples
    --------
    At the disease-free state ``(N, 0, 0)`` with ``delta = 0`` it is the
    paper's ``[[0, -beta N, 0], [0, (beta - alpha) N, zeta], [0, alpha N, -zeta]]``:

    >>> J = basic_jacobian(np.array([500.0, 0.0, 0.0]), {**PRINTED, "delta": 0.0})
    >>> (J.round(6) + 0.0).tolist()
    [[0.0, -4.75, 0.0], [0.0, 2.25, 0.0001], [0.0, 2.5, -0.0001]]
    """
    _, delta, beta, alpha, zeta = _get(p, "Pi", "delta", "beta", "alpha", "zeta")
    s, z, _ = x
    return np.array(
        [
            [-beta * z - delta, -beta * s, 0.0],
            [(beta - alpha) * z, (beta - alpha) * s, zeta],
            [delta + alpha * z, alpha * s, -zeta],
        ]
    )


def basic_equilibria(p: Mapping[str, float], total: float) -> dict[str, FloatArray]:
    """Equilibria ``(S, Z, R)`` of the basic model on the plane ``S + Z + R = total``.

    Returns ``{"disease-free": (T, 0, 0), "doomsday": (0, T, 0)}`` when
    ``Pi = delta = 0`` (the paper's case), only doomsday when ``Pi = 0 < delta``,
    and nothing when ``Pi > 0``: then ``(S + Z + R)' = Pi`` and no state is
    stationary. Derivation in the module docstring.

    Examples
    --------
    >>> basic_equilibria(PRINTED, 501.0)
    {'doomsday': array([  0., 501.,   0.])}
    >>> basic_equilibria({**PRINTED, "Pi": PRINTED["delta"] * 500}, 501.0)
    {}
    """
    pi, delta = _get(p, "Pi", "delta")
    if pi != 0.0:
        return {}
    out: dict[str, FloatArray] = {}
    if delta == 0.0:
        out["disease-free"] = np.array([total, 0.0, 0.0])
    out["doomsday"] = np.array([0.0, total, 0.0])
    return out


def basic_dfe_eigenvalues(p: Mapping[str, float], n: float) -> FloatArray:
    """The paper's eigenvalues at the disease-free state ``(N, 0, 0)``, sorted.

    ``0`` and the roots of ``lambda^2 + (zeta - (beta - alpha) N) lambda -
    beta zeta N``; the positive root is computed without cancellation. The
    disease-free state is an equilibrium only for ``Pi = delta = 0``;
    ``delta`` is not read.

    Examples
    --------
    >>> basic_dfe_eigenvalues(PRINTED, 500.0).round(6).tolist()
    [-0.000211, 0.0, 2.250111]
    """
    beta, alpha, zeta = _get(p, "beta", "alpha", "zeta")
    b = (beta - alpha) * n - zeta  # lambda^2 - b lambda - beta zeta N = 0
    root = math.hypot(b, 2.0 * math.sqrt(beta * zeta * n))
    if b >= 0.0:
        plus = 0.5 * (b + root)
        minus = -beta * zeta * n / plus if plus > 0.0 else 0.0
    else:
        minus = 0.5 * (b - root)
        plus = -beta * zeta * n / minus
    return np.sort(np.array([minus, 0.0, plus]))


def basic_doomsday_eigenvalues(p: Mapping[str, float], zombies: float) -> FloatArray:
    """Eigenvalues at doomsday ``(0, Z̄, 0)``: ``-(beta Z̄ + delta)``, ``-zeta``, ``0``, sorted.

    The paper's ``0, -beta Z̄, -zeta`` (``delta = 0``); the 0 has eigenvector
    ``(0, 1, 0)`` (the line of doomsday states), left ``(1, 1, 1)`` (the total).
    """
    delta, beta, zeta = _get(p, "delta", "beta", "zeta")
    return np.sort(np.array([-(beta * zombies + delta), -zeta, 0.0]))


def plane_eigenvalues(jacobian: FloatArray) -> np.ndarray:
    """Eigenvalues of ``J`` on the plane ``sum(x) = const``, for ``J`` with zero column sums.

    Such a ``J`` maps into the plane ``1 . v = 0``: its eigenvalues are the
    n - 1 returned here (sorted by real part; computed in an orthonormal basis
    of the plane) and one 0.
    """
    n = jacobian.shape[0]
    ones = np.ones((n, 1)) / math.sqrt(n)
    q, _ = np.linalg.qr(np.hstack([ones, np.eye(n)[:, : n - 1]]))
    basis = q[:, 1:]  # orthonormal, orthogonal to (1, ..., 1)
    values = np.linalg.eigvals(basis.T @ jacobian @ basis)
    return values[np.argsort(values.real)]


def sizrq_rhs(x: FloatArray, p: Mapping[str, float]) -> FloatArray:
    """Right-hand side of the latent/quarantine/cure models at ``x = (S, I, Z, R, Q)``."""
    pi, delta, beta, alpha, zeta, rho, kappa, sigma, gamma, c = _get(p, *_SIZRQ)
    s, i, z, r, q = x
    bite, fight = beta * s * z, alpha * s * z
    return np.array(
        [
            pi - bite - delta * s + c * z,
            bite - (rho + delta + kappa) * i,
            rho * i + zeta * r - fight - (sigma + c) * z,
            delta * (s + i) + fight - zeta * r + gamma * q,
            kappa * i + sigma * z - gamma * q,
        ]
    )


def sizrq_jacobian(x: FloatArray, p: Mapping[str, float]) -> FloatArray:
    """Jacobian of :func:`sizrq_rhs` by hand; rows and columns ``S, I, Z, R, Q``."""
    _, delta, beta, alpha, zeta, rho, kappa, sigma, gamma, c = _get(p, *_SIZRQ)
    s, _, z, _, _ = x
    return np.array(
        [
            [-beta * z - delta, 0.0, -beta * s + c, 0.0, 0.0],
            [beta * z, -(rho + delta + kappa), beta * s, 0.0, 0.0],
            [-alpha * z, rho, -alpha * s - sigma - c, zeta, 0.0],
            [delta + alpha * z, delta, alpha * s, -zeta, gamma],
            [0.0, kappa, sigma, 0.0, -gamma],
        ]
    )


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


def cure_coexistence(p: Mapping[str, float], total: float) -> FloatArray | None:
    """The cure model's equilibrium with humans and zombies, ``(S, I, Z, R)``.

    With ``Pi = 0`` the total ``T`` is conserved. Setting the equations of
    "A model with treatment" [1]_ to zero: ``S = c Z / (beta Z + delta)``,
    ``I = beta S Z / (rho + delta)``, ``R = (delta (S + I) + alpha S Z) /
    zeta``, and ``S + I + Z + R = T`` becomes ``A Z^2 + B Z + C = 0`` with
    ``A = beta + c (beta (1 + delta/zeta) / (rho + delta) + alpha / zeta)``,
    ``B = delta + c (1 + delta/zeta) - beta T``, ``C = -delta T``. For
    ``delta > 0``, ``C < 0`` and there is exactly one positive root: a unique
    coexistence equilibrium. For ``delta = 0`` it exists if and only if
    ``beta T > c`` (then ``S = c / beta``); None when it does not. Raises
    ValueError for ``Pi != 0`` (the total grows: no equilibrium), for
    quarantine parameters and for ``zeta = 0``.
    """
    pi, delta, beta, alpha, zeta, rho, kappa, sigma, gamma, c = _get(p, *_SIZRQ)
    if pi or kappa or sigma or gamma or zeta <= 0.0:
        raise ValueError("needs Pi = kappa = sigma = gamma = 0 < zeta")
    e = 1.0 + delta / zeta
    a = beta + c * (beta * e / (rho + delta) + alpha / zeta)
    b = delta + c * e - beta * total
    cc = -delta * total
    root = math.sqrt(b * b - 4.0 * a * cc)
    z = (root - b) / (2.0 * a) if b < 0.0 else -2.0 * cc / (b + root) if b + root > 0 else 0.0
    if z <= 0.0:
        return None
    s = c * z / (beta * z + delta)
    i = beta * s * z / (rho + delta)
    r = (delta * (s + i) + alpha * s * z) / zeta
    return np.array([s, i, z, r])


def error_propagation_factors(
    rhs: Callable[[FloatArray, Mapping[str, float]], FloatArray],
    jacobian: Callable[[FloatArray, Mapping[str, float]], FloatArray],
    p: Mapping[str, float],
    x0: FloatArray,
    times: Sequence[float],
) -> FloatArray:
    """For each ``t`` in ``times``: ``max over 0 <= s <= t`` of ``||Phi(t, s)||_inf``.

    ``Phi(t, s)`` carries a small perturbation at time ``s`` to time ``t``
    along the solution from ``x0``, so a solver whose local errors stay below
    ``e`` per component ends, after ``n`` steps, within ``n * factor * e`` of
    the true solution (to first order). Computed with the adjoint equation
    ``dPsi/ds = -Psi J(x(s))``, ``Psi(t) = I`` (so ``Psi(s) = Phi(t, s)``),
    by Radau backwards along a Radau solution; about 0.3 s per time.
    """
    from scipy.integrate import solve_ivp

    n = len(x0)
    eye = np.eye(n)
    path = solve_ivp(
        lambda _t, x: rhs(x, p),
        (0.0, max(times)),
        np.asarray(x0, dtype=float),
        method="Radau",
        jac=lambda _t, x: jacobian(x, p),
        rtol=1e-10,
        atol=1e-12,
        dense_output=True,
    )

    def adjoint(s: float, psi: FloatArray) -> FloatArray:
        return -(psi.reshape(n, n) @ jacobian(path.sol(s), p)).ravel()

    def adjoint_jacobian(s: float, _psi: FloatArray) -> FloatArray:
        # vec_row(Psi J) = (I x J^T) vec_row(Psi)
        return np.asarray(-np.kron(eye, jacobian(path.sol(s), p).T), dtype=np.float64)

    factors = []
    for t in times:
        back = solve_ivp(
            adjoint,
            (t, 0.0),
            eye.ravel(),
            method="Radau",
            jac=adjoint_jacobian,
            rtol=1e-8,
            atol=1e-10,
        )
        factors.append(np.abs(back.y.reshape(n, n, -1)).sum(axis=1).max())
    return np.array(factors)


_SIZRQ = ("Pi", "delta", "beta", "alpha", "zeta", "rho", "kappa", "sigma", "gamma", "c")
