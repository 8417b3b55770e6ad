"""Maximum likelihood by least squares on the ODE, with profile-likelihood intervals.

The keys are searched on a log scale where their range starts above 0 (a
linear one where it starts at 0), within their ranges, by
:func:`scipy.optimize.least_squares` (trust region reflective) on the
deviance residuals of :mod:`.noise`. The search starts from the best two of
16 points spread over the ranges (Sobol), so that one valley far from the
middle is not missed. The negative binomial's size ``k`` is one more
coordinate, ``log k`` in [log 0.01, log 1e6].

The 95% interval of a key is where its profile likelihood (the others
re-fitted at each value) stays within ``chi2(1).ppf(0.95) / 2`` of the
maximum (a little more for the negative binomial, whose size is estimated
too: :func:`threshold_root`): the root of twice the profile's rise is found
equal to 1.96 by regula falsi, from a first step of 1.96 Wald standard
errors. Where the profile stays below that at the range's end, the interval
ends there and is open: the data do not bound the key on that side.

References
----------
.. [1] D. J. Venzon and S. H. Moolgavkar, "A method for computing
   profile-likelihood-based confidence intervals", Appl. Statist. 37, 87-94 (1988).
.. [2] A. Raue et al., "Structural and practical identifiability analysis of
   partially observed dynamical models by exploiting the profile likelihood",
   Bioinformatics 25, 1923-1929 (2009).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import least_squares
from scipy.stats import chi2, qmc
from scipy.stats import f as f_dist

from hyosan._typing import FloatArray
from hyosan.ensemble.fitting.noise import Noise, deviance_residuals, neg_log_likelihood
from hyosan.ensemble.fitting.observe import Predictor
from hyosan.ensemble.fitting.types import FitRange, Observed
from hyosan.errors import RunawayError

__all__ = ["LeastSquares", "Profiled", "fit_least_squares"]

ROOT = float(np.sqrt(chi2.ppf(0.95, 1)))
"""The root of twice the log-likelihood's fall at a 95% interval's ends, Poisson (1.96)."""


def threshold_root(n: int, p: int, noise: Noise) -> float:
    """The root of twice the log-likelihood's fall at a 95% interval's ends.

    Poisson: ``sqrt(chi2(1).ppf(0.95))``. Negative binomial, whose size is
    estimated from the same ``n`` observations as the ``p`` coordinates:
    ``sqrt(n * log(1 + F(1, n - p).ppf(0.95) / (n - p)))``, the likelihood ratio's
    exact 95% point where the scale is estimated (a Gaussian model), as the F
    test replaces the chi-square one in a GLM whose dispersion is estimated.
    With 15 observations and 3 coordinates it is 2.23 instead of 1.96; the
    chi-square's intervals covered the truth in 87% (beta) and 92% (gamma) of
    100 data sets of sir (``docs/design/fitting.md``).
    """
    if noise == "poisson" or n - p < 1:
        return ROOT
    dof = n - p
    return float(np.sqrt(n * np.log1p(f_dist.ppf(0.95, 1, dof) / dof)))


LOG_K = (np.log(1e-2), np.log(1e6))
PROFILE_TOL = 1e-6
"""Where the re-fits along a profile stop: a cost (twice the log-likelihood, ~100)
known to 1e-4, far finer than the 3.84 it is compared with."""
_FAILED = 1e3
"""The residual of each observation where the model cannot be run (a runaway)."""


@dataclass(frozen=True, slots=True)
class Profiled:
    """One key's estimate and 95% interval; ``open_low``/``open_high``: the interval
    reaches the range's end there (the data do not bound it)."""

    estimate: float
    low: float
    high: float
    open_low: bool
    open_high: bool


@dataclass(frozen=True, slots=True)
class LeastSquares:
    """The fit: each key's profile, the size ``k`` (negative binomial) and the likelihood."""

    keys: tuple[Profiled, ...]
    k: float | None
    neg_log_likelihood: float
    evaluations: int


class _Objective:
    """Residuals of the seen observations as a function of the coordinates ``z``."""

    def __init__(self, predictor: Predictor, observed: Observed, ranges: Sequence[FitRange],
                 noise: Noise) -> None:  # fmt: skip
        self.predictor, self.ranges, self.noise = predictor, tuple(ranges), noise
        self.seen = observed.seen
        self.y = observed.counts[self.seen]
        self.size = len(self.y) + (noise == "negbin")
        self.evaluations = 0
        lo = [np.log(r.low) if r.log else r.low for r in self.ranges]
        hi = [np.log(r.high) if r.log else r.high for r in self.ranges]
        if noise == "negbin":
            lo, hi = [*lo, LOG_K[0]], [*hi, LOG_K[1]]
        self.lower, self.upper = np.array(lo), np.array(hi)
        self.root = threshold_root(len(self.y), len(self.lower), noise)

    def values(self, z: FloatArray) -> list[float]:
        """The keys' values at ``z`` (the size ``k`` left out)."""
        return [
            float(np.exp(v)) if r.log else float(v) for r, v in zip(self.ranges, z, strict=False)
        ]

    def __call__(self, z: FloatArray) -> FloatArray:
        self.evaluations += 1
        z = np.clip(z, self.lower, self.upper)
        try:
            mu = self.predictor.counts(self.values(z))[self.seen]
        except RunawayError:
            return np.full(self.size, _FAILED)
        k = float(np.exp(z[-1])) if self.noise == "negbin" else None
        return deviance_residuals(self.y, mu, k)

    def cost(self, z: FloatArray) -> float:
        """``sum(r**2)``: twice the negative log-likelihood, plus a constant."""
        r = self(z)
        return float(r @ r)


def _search(
    f: _Objective, free: np.ndarray, z0: FloatArray, tol: float = 1e-8
) -> tuple[FloatArray, float]:
    """``z0`` with its ``free`` coordinates moved to the least cost (the others held),
    and that cost; ``tol``: the relative change of cost and step at which it stops."""
    if not free.any():
        return z0, f.cost(z0)

    def residuals(v: FloatArray) -> FloatArray:
        z = z0.copy()
        z[free] = v
        return f(z)

    width = f.upper[free] - f.lower[free]
    start = np.clip(z0[free], f.lower[free] + 1e-9 * width, f.upper[free] - 1e-9 * width)
    sol = least_squares(
        residuals, start, bounds=(f.lower[free], f.upper[free]), x_scale=width / 4,
        diff_step=1e-6, xtol=tol, ftol=tol, gtol=tol, max_nfev=100 * int(free.sum()),
    )  # fmt: skip
    z = z0.copy()
    z[free] = sol.x
    return z, 2.0 * float(sol.cost)


def _best(f: _Objective, seed: int) -> tuple[FloatArray, float]:
    """The least-cost point found from the best two of 16 Sobol points (and the middle)."""
    d = len(f.lower)
    unit = qmc.Sobol(d, scramble=True, seed=seed).random(16)
    points = [*(f.lower + unit * (f.upper - f.lower)), (f.lower + f.upper) / 2]
    if f.noise == "negbin":
        for p in points:
            p[-1] = np.log(10.0)
    starts = sorted(points, key=f.cost)[:2]
    everything = np.ones(d, dtype=bool)
    found = [_search(f, everything, s) for s in starts]
    return min(found, key=lambda zc: zc[1])


def _wald_step(f: _Objective, z: FloatArray, j: int) -> float:
    """1.96 standard errors of coordinate ``j`` from the residuals' Jacobian at ``z``."""
    r0 = f(z)
    h = 1e-6 * (f.upper - f.lower)
    jac = np.stack([(f(z + h[i] * np.eye(len(z))[i]) - r0) / h[i] for i in range(len(z))], axis=1)
    width = float(f.upper[j] - f.lower[j])
    try:
        var = float(np.linalg.pinv(jac.T @ jac)[j, j])
    except np.linalg.LinAlgError:
        var = np.inf
    step = f.root * np.sqrt(var) if np.isfinite(var) and var > 0 else width / 4
    return float(min(max(step, width * 1e-4), width / 2))


def _side(f: _Objective, z_hat: FloatArray, j: int, sign: int, least: float,
          step: float) -> tuple[float, bool]:  # fmt: skip
    """The end of the interval of coordinate ``j`` on one side, and whether it is open."""
    free = np.ones(len(z_hat), dtype=bool)
    free[j] = False
    held = {"z": z_hat.copy()}

    def root(zj: float) -> float:
        z = held["z"].copy()
        z[j] = zj
        held["z"], cost = _search(f, free, z, PROFILE_TOL)
        return float(np.sqrt(max(cost - least, 0.0))) - f.root

    end = f.upper[j] if sign > 0 else f.lower[j]
    near, g_near, far = float(z_hat[j]), -f.root, float(z_hat[j])
    while True:
        far = float(np.clip(far + sign * step, min(end, z_hat[j]), max(end, z_hat[j])))
        g_far = root(far)
        if g_far >= 0:
            break
        if far == end:
            return float(end), True
        near, g_near, step = far, g_far, 2 * step
    xtol = 1e-4 * abs(f.upper[j] - f.lower[j])
    return _illinois(root, (near, g_near), (far, g_far), xtol), False


def _illinois(g: Callable[[float], float], a: tuple[float, float], b: tuple[float, float],
              xtol: float) -> float:  # fmt: skip
    """A root of ``g`` between ``a`` (``g < 0``) and ``b`` (``g >= 0``), each given with
    its value, by regula falsi with the Illinois rule. The ends are not evaluated
    again: each evaluation re-fits the other keys from where the last one left them,
    so a second look at one point may differ a little, and the bracket must hold."""
    (xa, ga), (xb, gb) = a, b
    side = 0
    for _ in range(40):
        if abs(xb - xa) <= xtol:
            break
        xc = xb - gb * (xb - xa) / (gb - ga) if gb != ga else (xa + xb) / 2
        gc = g(xc)
        if gc >= 0:
            xb, gb = xc, gc
            ga, side = (ga / 2 if side == -1 else ga), -1
        else:
            xa, ga = xc, gc
            gb, side = (gb / 2 if side == 1 else gb), 1
    return xb


def fit_least_squares(
    predictor: Predictor,
    observed: Observed,
    ranges: Sequence[FitRange],
    noise: Noise = "poisson",
    *,
    seed: int = 0,
    on_key: Callable[[str], None] | None = None,
) -> LeastSquares:
    """Fit ``ranges``' keys to ``observed`` by maximum likelihood, with profile intervals.

    ``on_key`` is told the name of each key as its interval is sought.
    """
    f = _Objective(predictor, observed, ranges, noise)
    z_hat, least = _best(f, seed)
    keys = []
    for j, r in enumerate(f.ranges):
        if on_key is not None:
            on_key(r.name)
        step = _wald_step(f, z_hat, j)
        lo, open_lo = _side(f, z_hat, j, -1, least, step)
        hi, open_hi = _side(f, z_hat, j, +1, least, step)
        back = lambda v, r=r: float(np.exp(v)) if r.log else float(v)  # noqa: E731
        keys.append(Profiled(back(z_hat[j]), back(lo), back(hi), open_lo, open_hi))
    k = float(np.exp(z_hat[-1])) if noise == "negbin" else None
    seen = observed.seen
    nll = neg_log_likelihood(observed.counts[seen], predictor.counts(f.values(z_hat))[seen], k)
    return LeastSquares(tuple(keys), k, nll, f.evaluations)
