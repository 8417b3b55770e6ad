"""Munz, Hudea, Imad & Smith? (2009), "When zombies attack!": the paper's claims against hyosan.

Checks: the basic model's equilibria (none with humans and zombies; the
disease-free state unstable for every ``beta``; doomsday stable, its zero
eigenvalue the conserved total) and the ``ode`` engine's long run; the
quarantine model's ``R0`` (next-generation number of hyosan's reactions), the
ODE's outbreaks below and above 1 against the exact final size, and the exact
engine's major-outbreak frequency against the exact jump chain and the
branching limit ``1 - 1/R0``; the cure model's coexistence equilibrium; the
BioModels version of the basic model (MODEL1009230000) against a
high-precision reference. Figures ``munz_*.png``.

The analytic side is :mod:`hyosan.analytic.munz`, written by hand from the
paper's equations. ODE error bounds: each step's local error is below
``sqrt(n) (rtol |y| + atol)`` per component, a local error at time ``s``
reaches ``t`` multiplied by at most ``F = max_s ||Phi(t, s)||_inf``, and the
steps number at most the right-hand-side evaluations ``nfev`` (counted), so
the global error is below ``nfev F sqrt(n) (rtol max|y| + atol)``.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from scipy.integrate import solve_ivp

import hyosan.engines.ode as ode_module
from hyosan._typing import FloatArray
from hyosan.analytic.munz import (
    PRINTED,
    basic_dfe_eigenvalues,
    basic_doomsday_eigenvalues,
    basic_equilibria,
    basic_jacobian,
    basic_rhs,
    cure_coexistence,
    error_propagation_factors,
    plane_eigenvalues,
    quarantine_extinction_probability,
    quarantine_final_size,
    quarantine_growth_rate,
    quarantine_major_outbreak_probability,
    quarantine_r0,
    sizrq_jacobian,
    sizrq_rhs,
)
from hyosan.engines import DirectSSA, OdeEngine, run_path
from hyosan.engines._kernels import ode_rhs, propensities
from hyosan.model import builtin_model, compile_model
from hyosan.testing import sample_paths
from report import Check

SOURCE = (
    "Munz, Hudea, Imad & Smith?, When zombies attack!, in Infectious Disease Modelling "
    "Research Progress, Nova Science (2009), pp. 133-150"
)
EPS = np.finfo(float).eps
Z_LIMIT = 4.0
N = 500
M = 50
QUARANTINE = {"Pi": 0.0, "delta": 0.0, "beta": 0.0125, "alpha": 0.005, "zeta": 0.0}
QUARANTINE |= {"rho": 0.005, "sigma": 0.001, "gamma": 0.0001}
CURE = {**PRINTED, "c": 0.05}
SIZRQ = ("S", "I", "Z", "R", "Q")
ATOL_FLOOR = 1e-10
Rhs = Callable[[FloatArray], FloatArray]
UNITS = (
    "Printed rates read in the paper's own unit: N = 500 is 500 individuals and "
    "beta = 0.0095, alpha = 0.005 are per pair of them (the ODE is the same whatever "
    "the unit is called)."
)


def checks(outdir: Path, quick: bool) -> Iterator[Check]:
    """The Munz checks; ``quick``: 2000 exact runs per R0, not 20000 (sweep: 1000, not 4000)."""
    rng = np.random.default_rng(20090601)
    # checks without a figure of their own show the figure that illustrates them
    phase, sweep = ("munz_basic_equilibria.png",), ("munz_quarantine_ode.png",)
    yield dataclasses.replace(_no_coexistence(rng), figures=phase)
    yield _disease_free_unstable(outdir, rng)
    yield dataclasses.replace(_doomsday_stable(), figures=phase)
    yield dataclasses.replace(_quarantine_r0(rng), figures=sweep)
    yield _quarantine_ode(outdir)
    yield _quarantine_ssa(
        outdir, rng, runs=2000 if quick else 20_000, sweep=1000 if quick else 4000
    )
    yield _cure(outdir)
    yield _biomodels(outdir)


# -- helpers ---------------------------------------------------------------------------------


def _for_model(name: str, p: Mapping[str, float]) -> dict[str, float]:
    return {k: float(p.get(k, 0.0)) for k in builtin_model(name).defaults}


def _hyosan_rhs(name: str, p: Mapping[str, float]) -> tuple[Rhs, Rhs]:
    """hyosan's compiled right-hand side, and the sum of the absolute values of its terms."""
    cm = compile_model(builtin_model(name), _for_model(name, p))
    size = np.abs(cm.stoich_f).T

    def f(x: FloatArray) -> FloatArray:
        out = np.empty(len(x))
        ode_rhs(np.asarray(x, dtype=float), cm.k, cm.law, cm.r1, cm.r2, cm.stoich_f, cm.in_n, out)
        return out

    def terms(x: FloatArray) -> FloatArray:
        a = np.empty(len(cm.k))
        propensities(np.asarray(x, dtype=float), cm.k, cm.law, cm.r1, cm.r2, cm.in_n, False, a)
        return size @ a

    return f, terms


def _fd_jacobian(name: str, p: Mapping[str, float], x: FloatArray) -> FloatArray:
    """Forward differences of hyosan's rhs: exact up to rounding (affine in each count)."""
    f, _ = _hyosan_rhs(name, p)
    f0 = f(x)
    jac = np.empty((len(x), len(x)))
    for j in range(len(x)):
        h = max(abs(x[j]), 1.0)
        xh = x.copy()
        xh[j] += h
        jac[:, j] = (f(xh) - f0) / h
    return jac


def _ode(
    name: str, p: Mapping[str, float], x0: FloatArray, times: FloatArray, tol: float
) -> tuple[FloatArray, int]:
    """hyosan's ode engine at rtol = atol = tol, and its right-hand-side evaluations."""
    calls = [0]
    original = ode_module.ode_rhs

    def counting(*args: object) -> None:
        calls[0] += 1
        original(*args)

    ode_module.ode_rhs = counting
    try:
        out, _ = run_path(
            builtin_model(name),
            _for_model(name, p),
            np.asarray(x0, dtype=float),
            np.asarray(times, dtype=float),
            (),
            OdeEngine(rtol=tol, atol=tol),
            np.random.default_rng(0),
        )
    finally:
        ode_module.ode_rhs = original
    return out, calls[0]


def _bound(factor: float, nfev: int, n: int, tol: float, size: float) -> float:
    return (nfev + 1) * factor * math.sqrt(n) * tol * (size + 1.0)


def _kappa_for(r0: float) -> float:
    p = QUARANTINE
    turn = r0 * (p["alpha"] * N + p["sigma"]) / (p["beta"] * N)
    return p["rho"] / turn - p["rho"]


def _random_basic(rng: np.random.Generator) -> dict[str, float]:
    beta, alpha, zeta = 10 ** rng.uniform(-5, 0, 3)
    return {"Pi": 0.0, "delta": 0.0, "beta": beta, "alpha": alpha, "zeta": zeta}


# -- basic model -----------------------------------------------------------------------------


def _no_coexistence(rng: np.random.Generator) -> Check:
    samples, worst_s, worst_total = 10_000, -math.inf, 0.0
    for _ in range(samples):
        p = _random_basic(rng)
        p["delta"] = float(rng.choice([0.0, 10 ** rng.uniform(-6, 0)]))
        p["Pi"] = float(rng.choice([0.0, 10 ** rng.uniform(-3, 2)]))
        x = 10 ** rng.uniform(-3, 4, 3)
        f, terms = _hyosan_rhs("munz-basic", p)
        dx, scale = f(x), 16 * EPS * terms(x)
        worst_total = max(worst_total, abs(dx.sum() - p["Pi"]) / max(scale.sum(), 1e-300))
        if p["Pi"] == 0.0:
            worst_s = max(worst_s, dx[0] / (x[0] * (p["beta"] * x[1] + p["delta"])))
    passed = worst_s < 0 and worst_total <= 1.0
    body = f"""
**Claim.** With the printed equations S' = Pi - beta S Z - delta S, Z' = beta S Z + zeta R -
alpha S Z, R' = delta S + alpha S Z - zeta R, no equilibrium has humans and zombies
together.

**Derivation.** Adding the equations, (S + Z + R)' = Pi: nobody leaves the model (the dead
resurrect). With Pi > 0 the total grows without bound and *no* equilibrium exists, also with
births equal to natural deaths at the start (Pi = delta N). With Pi = 0,
S' = -S (beta Z + delta) < 0 whenever S, Z > 0: no coexistence, for every beta > 0 and every
alpha (beta > alpha plays no part). The equilibria are then doomsday (0, T, 0) and, only when
delta = 0, the disease-free state (T, 0, 0), T the conserved total.

**Check.** hyosan's own right-hand side (the compiled reactions of `munz-basic`) at
{samples} random states and parameter sets (rates 1e-5 to 1, states 1e-3 to 1e4, half with
Pi > 0, half with delta > 0): the largest S' / (S (beta Z + delta)) is {worst_s:.6f}
(expected -1: S' = -S (beta Z + delta) exactly), and the sum of the derivatives equals Pi to
within {worst_total:.2f} of the rounding bound 16 eps times the sum of absolute terms.
`basic_equilibria` returns {{}} for Pi > 0.
"""
    notes = (
        "The paper finds the equilibria with Pi = delta = 0; the printed numerical values "
        "have delta = 1e-4 > 0, for which the disease-free state is not an equilibrium "
        "(humans die naturally and resurrect)."
    )
    return Check(
        "Munz basic model: no equilibrium with humans and zombies; none at all with births",
        SOURCE + ", the basic model",
        body,
        passed,
        notes=notes,
        tags=("munz",),
    )


def _disease_free_unstable(outdir: Path, rng: np.random.Generator) -> Check:
    p = {**PRINTED, "delta": 0.0}
    x = np.array([500.0, 0.0, 0.0])
    closed = basic_dfe_eigenvalues(p, 500.0)
    numeric = np.sort(np.linalg.eigvals(_fd_jacobian("munz-basic", p, x)).real)
    dev = float(np.abs(numeric - closed).max())
    samples, smallest, below = 10_000, math.inf, 0
    for _ in range(samples):
        q = _random_basic(rng)
        n = 10 ** rng.uniform(0, 4)
        jac = _fd_jacobian("munz-basic", q, np.array([n, 0.0, 0.0]))
        det = float(np.linalg.det(jac[1:, 1:]))  # plane coordinates (Z, R); the S column is 0
        smallest = min(smallest, -det / (q["beta"] * q["zeta"] * n))
        below += q["beta"] < q["alpha"]
        if basic_dfe_eigenvalues(q, n)[-1] <= 0:
            smallest = -math.inf
    passed = dev <= 1e-11 and smallest > 0.5
    _basic_figure(outdir / "munz_basic_equilibria.png")
    body = f"""
**Claim (paper).** The disease-free equilibrium (N, 0, 0) is unstable.

**Derivation.** With Pi = delta = 0 the Jacobian at (N, 0, 0) is
[[0, -beta N, 0], [0, (beta - alpha) N, zeta], [0, alpha N, -zeta]]; its characteristic
polynomial is -lambda [lambda^2 + (zeta - (beta - alpha) N) lambda - beta zeta N]. The
product of the two non-zero roots is -beta zeta N < 0, so one is positive for every beta > 0
(and zeta > 0), even when zombies are destroyed faster than they bite (beta < alpha): the
resurrected dead keep the outbreak going. The zero eigenvalue is the conserved total.

**Check.** Printed values (N = 500): closed form {np.array2string(closed, precision=6)};
numpy's eigenvalues of hyosan's Jacobian (finite differences, exact to rounding for these
multi-affine equations) differ by {dev:.1e} (bound 1e-11: eigenvalue rounding of order
eps ||J|| = 1e-15, well-separated eigenvalues). Over {samples} random parameter sets (rates
1e-5 to 1, N from 1 to 1e4; {below} with beta < alpha) the determinant of hyosan's Jacobian
on the plane, divided by -beta zeta N, is at least {smallest:.6f} (exactly 1 in exact
arithmetic): one eigenvalue positive every time. Figure: trajectories of the `ode` engine
on the plane S + Z + R = 501 leave the disease-free state and end at doomsday.
"""
    return Check(
        "Munz basic model: the disease-free state is unstable for every beta > 0",
        SOURCE + ", the basic model (equilibria and their stability)",
        body,
        passed,
        figures=("munz_basic_equilibria.png",),
        notes=UNITS,
        tags=("munz",),
    )


def _basic_figure(path: Path) -> None:
    p = {**PRINTED, "delta": 0.0}
    times = np.concatenate([np.linspace(0.0, 20.0, 401), np.geomspace(20.5, 2e5, 200)])
    starts = [(500.0, 1.0, 0.0), (400.0, 1.0, 100.0), (250.0, 1.0, 250.0), (100.0, 1.0, 400.0)]
    starts += [(450.0, 50.0, 1.0), (300.0, 200.0, 1.0)]
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(11, 4.5))
    for k, x0 in enumerate(starts):
        out, _ = _ode("munz-basic", p, np.array(x0), times, 1e-10)
        color = plt.cm.viridis(k / len(starts))
        ax.plot(
            out[:, 0],
            out[:, 1],
            color=color,
            label=f"start S, Z, R = {x0[0]:g}, {x0[1]:g}, {x0[2]:g}",
        )
        ax.plot(x0[0], x0[1], "o", color=color, ms=4)
        dist = np.abs(out - np.array([0.0, 501.0, 0.0])).max(axis=1)
        bx.loglog(times[1:], np.maximum(dist[1:], 1e-13), color=color)
    ax.plot(501, 0, "o", mfc="white", mec="crimson", ms=10, mew=2, label="disease-free (unstable)")
    ax.plot(0, 501, "o", color="black", ms=9, label="doomsday (0, 501, 0)")
    ax.plot([0, 501], [501, 0], ":", color="grey", lw=1, label="S + Z = 501 (R = 0)")
    ax.set(xlabel="humans S", ylabel="zombies Z", title="Basic model, delta = 0: S + Z + R = 501")
    ax.legend(fontsize=7, loc="upper right")
    tt = np.geomspace(1e3, 2e5, 50)
    bx.loglog(
        tt,
        300 * np.exp(-PRINTED["zeta"] * (tt - 1e3)),
        "k--",
        label="exp(-zeta t): the slowest rate",
    )
    bx.set(
        xlabel="days", ylabel="max |x - doomsday|", title="Distance to doomsday (ode, rtol 1e-10)"
    )
    bx.set_ylim(1e-8, 1e3)
    bx.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _doomsday_stable() -> Check:
    p = dict(PRINTED)
    jac = _fd_jacobian("munz-basic", p, np.array([0.0, 501.0, 0.0]))
    values = np.sort(np.linalg.eigvals(jac).real)
    closed = basic_doomsday_eigenvalues(p, 501.0)
    left = float(np.abs(jac.sum(axis=0)).max())
    times = np.array([0.0, 10.0, 1e4, 1e6])
    tol = 1e-10
    out, nfev = _ode("munz-basic", p, np.array([500.0, 1.0, 0.0]), times, tol)
    (target,) = basic_equilibria(p, 501.0).values()
    factor = error_propagation_factors(basic_rhs, basic_jacobian, p, out[0], [1e6])[0]
    bound = _bound(factor, nfev, 3, tol, 501.0) + 501 * math.exp(-99)
    err = float(np.abs(out[-1] - target).max())
    dev = float(np.abs(values - closed).max())
    passed = err <= bound and dev <= 1e-11 and left <= 1e-12 and closed[-1] == 0.0
    body = f"""
**Claim (paper).** The doomsday equilibrium (0, Z, 0) is (asymptotically) stable.

**Derivation.** At (0, Z, 0) the Jacobian is [[-beta Z - delta, 0, 0],
[(beta - alpha) Z, 0, zeta], [delta + alpha Z, 0, -zeta]], eigenvalues -(beta Z + delta),
0, -zeta (the paper, with delta = 0: 0, -beta Z, -zeta). The zero has right eigenvector
(0, 1, 0), along the line of doomsday states, and left eigenvector (1, 1, 1), the conserved
total. On each plane S + Z + R = T (which every solution keeps when Pi = 0) the eigenvalues
are -(beta T + delta) and -zeta: doomsday (0, T, 0) is a hyperbolic sink there. What is
true, then: each doomsday state is Lyapunov stable, and a perturbed state converges to the
doomsday state of its own total, not to the one it started from; "asymptotically stable"
holds relative to the plane. The linearisation alone, with its zero eigenvalue, does not
decide the question.

**Check.** Printed values (delta = 1e-4, Pi = 0), T = 501: numpy's eigenvalues of hyosan's
Jacobian {np.array2string(values, precision=6)}, closed form
{np.array2string(closed, precision=6)} (difference {dev:.1e}); column sums of the Jacobian
(the left eigenvector (1, 1, 1)) {left:.1e}. The `ode` engine (LSODA, rtol = atol = 1e-10)
from 500 humans and one zombie: at day 10^6
(S, Z, R) = ({out[-1, 0]:.3g}, {out[-1, 1]:.12f}, {out[-1, 2]:.3g}),
max deviation from (0, 501, 0) {err:.2e}. Bound {bound:.2e}: {nfev} evaluations x
F = {factor:.2f} x sqrt(3) x (1e-10 x 501 + 1e-10), plus the true distance left, below
501 exp(-99) (the slowest rate on the plane is zeta = 1e-4 a day, and the humans are gone
by day 10^4).
"""
    notes = (
        "The paper lists the eigenvalue 0 among those of the doomsday equilibrium and "
        "calls it asymptotically stable because 'all eigenvalues are negative'; 0 is not "
        "negative. The conclusion holds on each plane of constant total, not in the full "
        "state space, where the doomsday states form a line of equilibria."
    )
    return Check(
        "Munz basic model: doomsday is stable and the ode engine ends there",
        SOURCE + ", the basic model (equilibria and their stability)",
        body,
        passed,
        notes=notes,
        tags=("munz",),
    )


# -- quarantine model ------------------------------------------------------------------------


def _quarantine_r0(rng: np.random.Generator) -> Check:
    samples, worst, sign_errors = 5000, 0.0, 0
    for _ in range(samples):
        beta, alpha, rho, kappa, sigma, gamma = 10 ** rng.uniform(-4, 0, 6)
        delta, n = 10 ** rng.uniform(-6, -1), 10 ** rng.uniform(0, 4)
        p = {"Pi": delta * n, "delta": delta, "beta": beta, "alpha": alpha, "zeta": 0.0}
        p |= {"rho": rho, "kappa": kappa, "sigma": sigma, "gamma": gamma}
        jac = _fd_jacobian("munz-quarantine", p, np.array([n, 0.0, 0.0, 0.0, 0.0]))
        block = jac[np.ix_([1, 2], [1, 2])]
        r0 = block[0, 1] * block[1, 0] / (block[0, 0] * block[1, 1])  # J_IZ (-V_ZI) / (V_II V_ZZ)
        worst = max(worst, abs(r0 / quarantine_r0(p, n) - 1.0))
        growth = float(np.linalg.eigvals(block).real.max())
        if abs(r0 - 1) > 1e-6 and (growth > 0) != (r0 > 1):
            sign_errors += 1
    printed = {**PRINTED, "delta": 0.0, "kappa": 0.001, "sigma": 0.001}
    passed = worst <= 1e-13 and sign_errors == 0
    body = f"""
**Claim (paper).** R0 = beta N rho / ((rho + kappa)(alpha N + sigma)).

**Derivation for hyosan's reactions** (bite S + Z -> I + Z at beta, I -> Z at rho, I -> Q
at kappa, I -> R at delta, S + Z -> S + R at alpha, Z -> Q at sigma, R -> Z at zeta,
births Pi, S -> R at delta). At the disease-free state S = N, I = Z = 0 the infected
compartments are I and Z: new infections F = [[0, beta N], [0, 0]], transitions
V = [[rho + kappa + delta, 0], [-rho, alpha N + sigma]], and the spectral radius of F V^-1
is R0 = beta N rho / ((rho + kappa + delta)(alpha N + sigma)): a zombie bites
beta N / (alpha N + sigma) humans, each of whom turns with probability
rho / (rho + kappa + delta). This is the paper's formula when delta = 0. It is a threshold
only if the disease-free state exists: Pi = delta N (or Pi = delta = 0) and **zeta = 0**.
With resurrection (the printed zeta = 1e-4) nobody ever leaves the infected classes
I, Z, R, Q, V is singular, the natural dead become zombies, and there is no disease-free
state to be stable or unstable.

**Check.** {samples} random parameter sets (rates 1e-4 to 1, delta 1e-6 to 0.1,
Pi = delta N, zeta = 0, N 1 to 1e4): R0 from hyosan's Jacobian (finite differences) equals
`quarantine_r0` to a relative {worst:.1e} (bound 1e-13, rounding); the largest eigenvalue
of hyosan's (I, Z) block has the sign of R0 - 1 in every case ({sign_errors} exceptions
with |R0 - 1| > 1e-6). With the printed rates read with N = 500 and hyosan's default
kappa = sigma = 0.001, the paper's formula gives R0 = {quarantine_r0(printed, 500.0):.4f}.
"""
    notes = (
        "The paper's R0 omits delta (exact when delta = 0; otherwise rho + kappa becomes "
        "rho + kappa + delta) and ignores zeta. With the printed zeta > 0 the model has no "
        "disease-free state: natural deaths (delta S) resurrect as zombies, so R0 is a "
        "threshold only for the model with zeta = 0, which is what is checked here."
    )
    return Check(
        "Munz quarantine model: R0 is the next-generation number of hyosan's reactions",
        SOURCE + ", the model with quarantine; van den Driessche & Watmough (2002)",
        body,
        passed,
        notes=notes,
        tags=("munz",),
    )


def _quarantine_ode(outdir: Path) -> Check:
    sweep = [0.25, 0.5, 0.75, 0.9, 1.1, 1.25, 1.5, 2.0, 2.25]
    x0 = np.array([float(N), 0.0, 1.0, 0.0, 0.0])
    tol = 1e-10
    rows, paths, ok = [], {}, True
    for r0 in sweep:
        p = {**QUARANTINE, "kappa": _kappa_for(r0)}
        r = quarantine_growth_rate(p, N)
        t_end = 5000.0 if r > 0 else max(5000.0, 60.0 / -r)  # below 1: I + Z down by e^-60
        times = np.linspace(0.0, t_end, 1001)
        out, nfev = _ode("munz-quarantine", p, x0, times, tol)
        exact = quarantine_final_size(p, float(N))
        factor = error_propagation_factors(sizrq_rhs, sizrq_jacobian, p, x0, [t_end])[0]
        bound = _bound(factor, nfev, 5, tol, float(N) + 1)
        err = abs(out[-1, 0] - exact)
        infected = out[:, 1] + out[:, 2]
        if r0 < 1:
            linear = p["beta"] * N / ((p["alpha"] * N + p["sigma"]) * (1 - r0))
            ok &= infected[-1] <= bound and N - out[-1, 0] <= linear + bound
        else:
            ok &= out[-1, 0] <= bound and infected.max() > 10
        ok &= err <= bound
        rows.append(
            f"| {r0:g} | {r:+.5f} | {t_end:.0f} | {N - exact:.6f} | {N - out[-1, 0]:.6f} | "
            f"{err:.1e} | {bound:.1e} | {infected.max():.3g} | {infected[-1]:.1e} |"
        )
        paths[r0] = (times, out)
    _quarantine_ode_figure(outdir / "munz_quarantine_ode.png", paths)
    table = "\n".join(rows)
    body = f"""
**Claim (paper).** Outbreaks die out when R0 < 1 and take off when R0 > 1.

**Setting.** hyosan's `munz-quarantine` with N = 500 humans, one zombie, Pi = delta =
zeta = 0 (the assumptions under which R0 is exact, see the previous check), beta = 0.0125,
alpha = 0.005, rho = 0.005, sigma = 0.001 per day and kappa chosen for each R0. (The printed
beta / alpha = 1.9 caps R0 at 1.9 whatever kappa and sigma are, hence beta = 0.0125.)

**Exact final size.** S' = -beta S Z gives ln(S_inf / S0) = -beta int Z; integrating the I
and Z equations to the end (I = Z = 0 there since sigma > 0) gives
sigma int Z = Z0 + (S0 - S_inf)(p - alpha / beta) with p = rho / (rho + kappa), so
ln(S_inf / S0) = -(beta / sigma) [Z0 + (S0 - S_inf)(p - alpha / beta)], one root, solved by
bisection to rounding (`quarantine_final_size`).

**Check.** The `ode` engine (rtol = atol = 1e-10) to day 5000, or below 1 until I + Z has
fallen by e^-60 at the rate r (60 / |r| days); bound as in the module docstring (F from the
adjoint equation, evaluations counted). Below 1, "dies out": I + Z at the end below that
bound and fewer bitten than the linearised outbreak would bite (below); above 1, "takes off":
every human bitten (S at the end below the bound).

| R0 | r (1/day) | end (day) | bitten, exact | bitten, ode | error | bound | max I+Z | I+Z, end |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
{table}

Above 1 every human is bitten (the root S_inf underflows to 0); below 1 a handful are,
slightly fewer than beta N / ((alpha N + sigma)(1 - R0)), the bites of the linearised
outbreak (a zombie line leaves 1 / (1 - R0) zombies, each biting beta N / (alpha N + sigma)
times), since depletion only removes bites.
"""
    return Check(
        "Munz quarantine model: ODE outbreaks die out below R0 = 1 and take off above",
        SOURCE + ", the model with quarantine",
        body,
        bool(ok),
        figures=("munz_quarantine_ode.png",),
        tags=("munz",),
    )


def _quarantine_ode_figure(path: Path, paths: dict[float, tuple[FloatArray, FloatArray]]) -> None:
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(11, 4.5))
    for k, (r0, (times, out)) in enumerate(paths.items()):
        color = plt.cm.coolwarm(k / (len(paths) - 1))
        p = {**QUARANTINE, "kappa": _kappa_for(r0)}
        infected = out[:, 1] + out[:, 2]
        shown = np.where(infected > ATOL_FLOOR, infected, np.nan)  # below atol: solver noise
        ax.semilogy(times, shown, color=color, label=f"R0 = {r0:g}")
        bx.plot(times, N - out[:, 0], color=color, label=f"R0 = {r0:g}")
        if r0 in (0.5, 2.0):
            r = quarantine_growth_rate(p, N)
            t = np.linspace(300.0, 2000.0 if r < 0 else 900.0, 20)
            i = np.searchsorted(times, 300.0)
            label = "slope r: largest eigenvalue\nof the (I, Z) linearisation" if r < 0 else None
            ax.semilogy(t, 3 * infected[i] * np.exp(r * (t - times[i])), "k--", lw=1, label=label)
    ax.axhline(ATOL_FLOOR, color="grey", ls=":", lw=1, label="solver atol 1e-10")
    ax.set(
        xlabel="days",
        ylabel="infected + zombies, I + Z",
        title="Quarantine model, ode, N = 500, one zombie",
    )
    ax.set_xlim(0, 5000)
    ax.set_ylim(1e-19, 1e3)  # room for the legend under the atol floor
    ax.legend(fontsize=7, ncol=3, loc="lower right")
    bx.set(
        xlabel="days",
        ylabel="humans bitten, 500 - S",
        yscale="log",
        title="Humans bitten (to the exact final size)",
    )
    bx.set_xlim(0, 5000)
    bx.legend(fontsize=7, ncol=2, loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _major_fraction(r0: float, runs: int, rng: np.random.Generator) -> float:
    p = {**QUARANTINE, "kappa": _kappa_for(r0)}
    model, params = builtin_model("munz-quarantine"), _for_model("munz-quarantine", p)
    x0, forever, engine = (
        np.array([float(N), 0.0, 1.0, 0.0, 0.0]),
        np.array([0.0, 1e7]),
        DirectSSA(),
    )
    final_s = sample_paths(model, params, x0, forever, engine, runs, rng)[:, -1, 0]
    return float(np.mean(N - final_s >= M))


def _quarantine_ssa(outdir: Path, rng: np.random.Generator, runs: int, sweep: int) -> Check:
    rows, ok = [], True
    for r0 in (0.5, 2.0):
        p = {**QUARANTINE, "kappa": _kappa_for(r0)}
        exact = quarantine_major_outbreak_probability(p, N, M)
        branching = quarantine_major_outbreak_probability(p, N, M, depletion=False)
        q = quarantine_extinction_probability(p, N)
        observed = _major_fraction(r0, runs, rng)
        se = math.sqrt(exact * (1 - exact) / runs)
        z = (observed - exact) / se
        z_limit = (observed - (1 - q)) / se
        ok &= abs(z) <= Z_LIMIT
        rows.append(
            f"| {r0:g} | {runs} | {observed:.4f} | {exact:.5f} | {se:.4f} | {z:+.2f} | "
            f"{branching:.5f} | {1 - q:.4f} | {z_limit:+.2f} |"
        )
    points = []
    for r0 in (0.25, 0.5, 0.75, 0.9, 1.1, 1.25, 1.5, 1.75, 2.0, 2.25):
        p = {**QUARANTINE, "kappa": _kappa_for(r0)}
        exact = quarantine_major_outbreak_probability(p, N, M)
        observed = _major_fraction(r0, sweep, rng)
        se = math.sqrt(exact * (1 - exact) / sweep)
        ok &= abs(observed - exact) <= Z_LIMIT * se
        points.append((r0, observed, se, exact))
    _quarantine_ssa_figure(outdir / "munz_quarantine_ssa.png", points, sweep)
    worst = max(abs(o - e) / s for _, o, s, e in points)
    table = "\n".join(rows)
    body = f"""
**Claim.** In the exact (stochastic) model an outbreak from one zombie almost never becomes
major below R0 = 1, and does so with probability near 1 - 1/R0 above.

**Derivation.** While humans are many (S ~ N) the outbreak is a two-type branching
process: a zombie bites before it is destroyed or quarantined with probability
beta N / (beta N + alpha N + sigma), so its bites are geometric with mean
beta N / (alpha N + sigma); each bitten human turns into a zombie with probability
p = rho / (rho + kappa). The extinction probabilities solve q_I = p q_Z + 1 - p and
(beta N + alpha N + sigma) q_Z = beta N q_Z q_I + alpha N + sigma, i.e.
(q_Z - 1)(beta N p q_Z - alpha N - sigma) = 0: **q_Z = min(1, 1/R0)**. For the finite
population the exact probability that at least m = {M} of the N = {N} humans are bitten
is computed from the jump chain itself (states: bites so far, I, Z; solved backwards,
`quarantine_major_outbreak_probability`); coupling the chains on one genealogy gives
1 - 1/R0(N - m) <= P <= P(branching, m bites) -> 1 - 1/R0.

**Check.** hyosan's exact engine (`ssa`), Pi = delta = zeta = 0 as in the previous check,
runs until nothing can happen; "major" = at least {M} humans bitten. Within 4 binomial
standard errors sqrt(P (1 - P) / runs) of the exact chain:

| R0 | runs | observed | exact chain | s.e. | z | branching, m bites | 1 - 1/R0 | z vs 1 - 1/R0 |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
{table}

Sweep over R0 (figure, {sweep} runs each): largest deviation {worst:.2f} standard errors.
Below 1 the fraction is small but not 0 at m = 50: the exact chain says how small. Above 1
the depletion of humans hardly matters here (R0(S) = beta S p / (alpha S + sigma) barely
depends on S when sigma << alpha S), so the exact value sits at 1 - 1/R0 to 1e-4.
"""
    return Check(
        "Munz quarantine model: the exact engine's major outbreaks follow the jump chain",
        SOURCE + ", the model with quarantine; Harris, The Theory of Branching Processes (1963)",
        body,
        bool(ok),
        figures=("munz_quarantine_ssa.png",),
        tags=("munz",),
    )


def _quarantine_ssa_figure(
    path: Path, points: list[tuple[float, float, float, float]], runs: int
) -> None:
    grid = np.linspace(0.2, 2.3, 50)
    exact = [
        quarantine_major_outbreak_probability({**QUARANTINE, "kappa": _kappa_for(r)}, N, M)
        for r in grid
    ]
    fig, ax = plt.subplots(figsize=(7, 4.5))
    ax.plot(grid, np.maximum(0.0, 1.0 - 1.0 / grid), "k--", label="branching limit 1 - 1/R0")
    ax.plot(grid, exact, color="tab:blue", label=f"exact jump chain, >= {M} of {N} bitten")
    r0, obs, se, _ = (np.array(v) for v in zip(*points, strict=True))
    ax.errorbar(
        r0,
        obs,
        yerr=2 * se,
        fmt="o",
        color="tab:red",
        ms=4,
        capsize=3,
        label=f"hyosan ssa, {runs} runs (2 s.e.)",
    )
    ax.axvline(1.0, color="grey", lw=0.8, ls=":")
    ax.set(
        xlabel="R0 (kappa varied)",
        ylabel="P(major outbreak) from one zombie",
        title="Quarantine model: major outbreaks",
    )
    ax.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


# -- cure model ------------------------------------------------------------------------------


def _cure(outdir: Path) -> Check:
    eq = cure_coexistence(CURE, 501.0)
    assert eq is not None
    jac = sizrq_jacobian(np.append(eq, 0.0), CURE)[:4, :4]
    full = np.sort(np.linalg.eigvals(jac).real)
    plane = plane_eigenvalues(jac)
    f, terms = _hyosan_rhs("munz-cure", CURE)
    residual = float(np.max(np.abs(f(eq)) / np.maximum(16 * EPS * terms(eq), 1e-300)))
    times = np.concatenate([[0.0], np.geomspace(1.0, 1e5, 400)])
    x0 = np.array([500.0, 0.0, 1.0, 0.0])
    tol = 1e-10
    out, nfev = _ode("munz-cure", CURE, x0, times, tol)
    factor = error_propagation_factors(sizrq_rhs, sizrq_jacobian, CURE, np.append(x0, 0.0), [1e5])[
        0
    ]
    bound = _bound(factor, nfev, 4, tol, 501.0)
    err = float(np.abs(out[-1] - eq).max())
    passed = err <= bound and plane.real.max() < 0 and residual <= 1.0
    _cure_figure(outdir / "munz_cure_equilibrium.png", times, out, eq, plane)
    body = f"""
**Claim.** With a cure (Z -> S at rate c) humans and zombies coexist.

**Derivation.** With Pi = 0 the total T is conserved. Setting the cure model's equations to
zero: S = c Z / (beta Z + delta), I = beta S Z / (rho + delta),
R = (delta (S + I) + alpha S Z) / zeta, and S + I + Z + R = T becomes a quadratic
A Z^2 + B Z + C = 0 with C = -delta T < 0: exactly one positive root, one coexistence
equilibrium (`cure_coexistence`). With Pi > 0 the total grows at Pi and there is no
equilibrium at all.

**Check.** Printed values with c = 0.05 (hyosan's default; not a printed value), T = 501:
(S, I, Z, R) = ({eq[0]:.4f}, {eq[1]:.4f}, {eq[2]:.4f}, {eq[3]:.4f}); hyosan's right-hand side
there is within
{residual:.2f} of the rounding bound (16 eps times the sum of absolute terms). Jacobian
eigenvalues {", ".join(f"{v:.3e}" for v in full)}: one 0 (the conserved total, here
rounded), and on the
plane {", ".join(f"{v:.4e}" for v in plane.real)} (all real, negative): a sink. The `ode`
engine (rtol = atol = 1e-10) from 500 humans and one zombie ends at day 10^5 within
{err:.2e} of it; bound {bound:.2e} ({nfev} evaluations x F = {factor:.2f} x 2 x 5.0e-8). The
slowest rate, {-plane.real.max():.2e} a day, leaves a distance of order
501 exp(-{-plane.real.max() * 9e4:.0f}) after day 10^4: nothing.
"""
    return Check(
        "Munz cure model: the coexistence equilibrium is a sink and the ode engine ends there",
        SOURCE + ", the model with treatment",
        body,
        bool(passed),
        figures=("munz_cure_equilibrium.png",),
        notes=UNITS + " The equilibrium depends on c, which the paper's figure does not fix here.",
        tags=("munz",),
    )


def _cure_figure(
    path: Path, times: FloatArray, out: FloatArray, eq: FloatArray, plane: FloatArray
) -> None:
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(11, 4.5))
    colors = ("tab:green", "tab:orange", "tab:red", "tab:grey")
    for k, name in enumerate(("S", "I", "Z", "R")):
        ax.loglog(times[1:], np.maximum(out[1:, k], 1e-6), color=colors[k], label=name)
        ax.axhline(eq[k], color=colors[k], ls=":", lw=1)
    ax.set(xlabel="days", ylabel="count", title="Cure model (c = 0.05), ode; dotted: equilibrium")
    ax.set_ylim(1e-2, 1e3)
    ax.legend(fontsize=8)
    dist = np.abs(out - eq).max(axis=1)
    bx.semilogy(times, np.maximum(dist, 1e-14), color="black", label="max |x - equilibrium|")
    t = np.linspace(4000.0, 20000.0, 20)
    i = np.searchsorted(times, 4000.0)
    bx.semilogy(
        t,
        3 * dist[i] * np.exp(plane.real.max() * (t - times[i])),
        "r--",
        label=f"slope {plane.real.max():.2e}/day (slowest eigenvalue)",
    )
    bx.set(xlabel="days", ylabel="distance", title="Approach to the coexistence equilibrium")
    bx.set_xlim(0, 30000)
    bx.set_ylim(1e-14, 1e3)
    bx.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


# -- BioModels -------------------------------------------------------------------------------


def _biomodels(outdir: Path) -> Check:
    p = {**PRINTED, "Pi": PRINTED["delta"] * 500}
    times = np.linspace(0.0, 30.0, 301)
    x0 = np.array([500.0, 1.0, 0.0])
    ref = solve_ivp(
        lambda _t, x: basic_rhs(x, p),
        (0.0, 30.0),
        x0,
        method="DOP853",
        rtol=1e-12,
        atol=1e-12,
        t_eval=times,
    )
    size = float(np.abs(ref.y).max())
    checks_at = list(range(5, 301, 5))
    factors = error_propagation_factors(basic_rhs, basic_jacobian, p, x0, times[checks_at].tolist())
    results, ok, rows = {}, True, []
    for tol in (1e-8, 1e-10):
        out, nfev = _ode("munz-basic", p, x0, times, tol)
        diff = np.abs(out - ref.y.T).max(axis=1)
        bounds = np.array(
            [_bound(f, nfev, 3, tol, size) + _bound(f, ref.nfev, 3, 1e-12, size) for f in factors]
        )
        total = float(np.abs(out.sum(axis=1) - (501.0 + p["Pi"] * times)).max())
        ok &= bool(np.all(diff[checks_at] <= bounds)) and total <= (nfev + 1) * 16 * EPS * size
        results[tol] = (out, diff, bounds)
        ratio = float((diff[checks_at] / bounds).max())
        rows.append(f"| {tol:g} | {nfev} | {diff.max():.2e} | {ratio:.1e} | {total:.1e} |")
    ok &= results[1e-10][1].max() < results[1e-8][1].max() / 10
    _biomodels_figure(outdir / "munz_biomodels.png", times, ref.y.T, results, checks_at)
    end = results[1e-10][0][-1]
    quasi = p["Pi"] / (p["beta"] * end[1] + p["delta"])
    table = "\n".join(rows)
    body = f"""
**Model.** BioModels MODEL1009230000, the curated basic SZR model: S0 = 500, Z0 = 1, R0 = 0,
the printed beta = 0.0095, alpha = 0.005, zeta = 1e-4, delta = 1e-4, and births equal to
natural deaths, Pi = delta N = 0.05 a day.

**What "births equal natural deaths" means here.** Births Pi = delta S0 balance natural
deaths delta S only at t = 0. Since (S + Z + R)' = Pi, the total grows linearly,
S + Z + R = 501 + 0.05 t, and since births keep arriving, humans never reach 0: after the
takeover S sits near Pi / (beta Z + delta) ({quasi:.4f} at day 30; hyosan {end[0]:.4f}).
There is no equilibrium (see the first check).

**Check.** hyosan's `ode` engine (LSODA) against SciPy's DOP853 at rtol = atol = 1e-12 on the
hand-written equations, days 0 to 30, 301 output times. At every half day t the difference
must stay below the sum of both solvers' global error bounds
nfev F(t) sqrt(3) (rtol max|y| + atol), F(t) from the adjoint equation (largest
{max(factors):.0f}, during the takeover around day 2). The total must follow 501 + Pi t to
rounding ((nfev + 1) x 16 eps max|y|: LSODA keeps linear invariants exactly).

| hyosan rtol = atol | evaluations | max difference | max difference / bound | error of the total |
| --- | --- | --- | --- | --- |
{table}

The difference shrinks {results[1e-8][1].max() / results[1e-10][1].max():.0f}-fold when the
tolerance does 100-fold: hyosan converges to the reference, as a right equation must.
"""
    notes = (
        "The paper's MATLAB code does not reproduce its figures, so the check is against "
        "the printed equations. The listing that circulates with the paper (Munz, 2008; "
        "e.g. its latent-model function) integrates other equations: it drops births and "
        "natural deaths from S' ('birth rate = background death rate', i.e. Pi = delta S(t), "
        "not a constant) while still adding delta S to R, starts with no zombie, and steps "
        "with forward Euler. Here Pi = delta N is a constant, as in the printed model."
    )
    return Check(
        "BioModels MODEL1009230000 (Munz basic model): ode engine against a 1e-12 reference",
        "BioModels MODEL1009230000; " + SOURCE,
        body,
        bool(ok),
        figures=("munz_biomodels.png",),
        notes=notes,
        tags=("munz",),
    )


def _biomodels_figure(
    path: Path,
    times: FloatArray,
    ref: FloatArray,
    results: dict[float, tuple[FloatArray, FloatArray, FloatArray]],
    checks_at: list[int],
) -> None:
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(11, 4.5))
    out = results[1e-10][0]
    for k, (name, color) in enumerate(
        zip("SZR", ("tab:green", "tab:red", "tab:grey"), strict=True)
    ):
        ax.plot(times, out[:, k], color=color, label=f"{name}, hyosan ode")
        ax.plot(
            times[::10],
            ref[::10, k],
            "o",
            mfc="none",
            color=color,
            ms=5,
            label=f"{name}, DOP853 1e-12",
        )
    ax.plot(times, out.sum(axis=1), "k:", label="S + Z + R = 501 + 0.05 t")
    ax.set(xlabel="days", ylabel="count", title="BioModels MODEL1009230000: S0 = 500, Z0 = 1")
    ax.set_ylim(-10, 600)
    ax.legend(fontsize=7, ncol=2, loc="upper right")
    for (tol, (_, diff, bounds)), color in zip(
        results.items(), ("tab:blue", "tab:purple"), strict=True
    ):
        bx.semilogy(
            times[1:],
            np.maximum(diff[1:], 1e-16),
            color=color,
            label=f"|hyosan - ref|, rtol {tol:g}",
        )
        bx.semilogy(
            times[checks_at], bounds, "--", color=color, lw=1, label=f"error bound, rtol {tol:g}"
        )
    bx.set(xlabel="days", ylabel="max over S, Z, R", title="Difference from the reference")
    bx.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
