"""Equilibria of the Munz et al. (2009) models, their stability, and error growth.

**The basic model** (its equations in :mod:`~hyosan.analytic.munz.equations`).
Adding ``S' + Z' + R'`` gives ``(S + Z + R)' = Pi``: nobody ever leaves the model
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

The cure model has one equilibrium with humans and zombies
(:func:`cure_coexistence`). :func:`error_propagation_factors` bounds how a
perturbation grows along a solution, for judging an ODE solver's error.

References
----------
.. [1] P. Munz, I. Hudea, J. Imad, R. J. Smith?, "When zombies attack!:
   Mathematical modelling of an outbreak of zombie infection", in Infectious
   Disease Modelling Research Progress, Nova Science, 2009, pp. 133-150.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from hyosan._typing import FloatArray
from hyosan.analytic.munz.equations import _SIZRQ, _get

__all__ = [
    "basic_dfe_eigenvalues",
    "basic_doomsday_eigenvalues",
    "basic_equilibria",
    "cure_coexistence",
    "error_propagation_factors",
    "plane_eigenvalues",
]


def basic_equilibria(p: Mapping[str, float], total: float) -> dict[str, FloatArray]:
    """Equilibria ``(S, Z, R)`` of the basic model on the plane ``S + Z + R = total``.

    Returns ``{"disease-free": (T, 0, 0), "doomsday": (0, T, 0)}`` when
    ``Pi = delta = 0`` (the paper's case), only doomsday when ``Pi = 0 < delta``,
    and nothing when ``Pi > 0``: then ``(S + Z + R)' = Pi`` and no state is
    stationary. Derivation in the module docstring.

    Examples
    --------
    >>> from hyosan.analytic.munz import PRINTED
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
    >>> from hyosan.analytic.munz import PRINTED
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
