"""The Munz et al. (2009) models' equations: right-hand sides and Jacobians, by hand.

Parameters are a mapping named like the built-in ``munz-*`` models (``Pi,
delta, beta, alpha, zeta, rho, kappa, sigma, gamma, c``); ``kappa``,
``sigma``, ``gamma`` and ``c`` may be left out and are then 0.

**The basic model** ("The basic model" of [1]_), state ``x = (S, Z, R)``::

    S' = Pi - beta S Z - delta S
    Z' = beta S Z + zeta R - alpha S Z
    R' = delta S + alpha S Z - zeta R

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
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import numpy as np

from hyosan._typing import FloatArray

__all__ = ["PRINTED", "basic_jacobian", "basic_rhs", "sizrq_jacobian", "sizrq_rhs"]

PRINTED: Mapping[str, float] = MappingProxyType(
    {"Pi": 0.0, "delta": 0.0001, "beta": 0.0095, "alpha": 0.005, "zeta": 0.0001, "rho": 0.005}
)
"""The paper's printed values (per day; ``beta``, ``alpha`` per thousand people)."""

_OPTIONAL = ("kappa", "sigma", "gamma", "c")
_SIZRQ = ("Pi", "delta", "beta", "alpha", "zeta", "rho", "kappa", "sigma", "gamma", "c")


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
