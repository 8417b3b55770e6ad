"""Alemi, Bierbaum, Myers & Sethna (2015): the fully connected SZR model.

Checks: the ODE engine against the closed-form solution; the exact takeover
probability (dynamic programme) against a path count and against the
gambler's-ruin limit ``1 - alpha``; the exact and tau-leaping engines'
takeover frequencies against the exact value. Figures ``alemi_*.png``.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from hyosan.analytic import szr_ode_solution, takeover_probability, takeover_probability_limit
from hyosan.engines import DirectSSA, Engine, OdeEngine, TauLeap, run_path
from hyosan.model import builtin_model
from hyosan.testing import sample_paths
from report import Check

SOURCE = (
    "Alemi, Bierbaum, Myers & Sethna, Phys. Rev. E 92, 052801 (2015), Sec. II; "
    "Feller, An Introduction to Probability Theory, Vol. I (1968), Ch. III and XIV"
)
Z_LIMIT = 4.0
FOREVER = np.array([0.0, 1e9])
MODEL = builtin_model("alemi")


def checks(outdir: Path, quick: bool) -> Iterator[Check]:
    """The Alemi checks; ``quick`` uses 2000 runs per takeover estimate instead of 10000."""
    runs = 2000 if quick else 10_000
    rng = np.random.default_rng(20151102)
    yield _closed_form(outdir, rng)
    figure = ("alemi_takeover.png",)  # drawn below; it illustrates all four takeover checks
    yield dataclasses.replace(_path_count(), figures=figure)
    yield dataclasses.replace(_gamblers_ruin(), figures=figure)
    estimates: list[tuple[int, float, float, float]] = []
    ssa = _takeover_engine(DirectSSA(), runs, rng, estimates)
    _takeover_figure(outdir / "alemi_takeover.png", estimates)
    yield dataclasses.replace(ssa, figures=("alemi_takeover.png",))
    yield dataclasses.replace(_takeover_engine(TauLeap(), runs, rng, []), figures=figure)


def _closed_form(outdir: Path, rng: np.random.Generator) -> Check:
    cases = [(0.5, 999.0, 1.0), (1.0, 990.0, 10.0), (1.5, 900.0, 100.0), (1.5, 600.0, 300.0)]
    times = np.linspace(0.0, 60.0, 121)
    rows, ok = [], True
    for kappa, s0, z0 in cases:
        exact = szr_ode_solution(times, s0, z0, beta=1.0, kappa=kappa)
        errs = []
        for rtol in (1e-8, 1e-10):
            ode, _ = run_path(
                MODEL,
                {"beta": 1.0, "kappa": kappa},
                np.array([s0, z0, 0.0]),
                times,
                (),
                OdeEngine(rtol=rtol, atol=100 * rtol),
                rng,
            )
            errs.append(float(np.abs(ode - exact).max()))
            ok &= errs[-1] < 1e4 * 2 * rtol * (s0 + z0)
        ok &= errs[1] < errs[0] / 10
        rows.append(
            f"| {kappa} | {s0:.0f} | {z0:.0f} | {errs[0]:.2e} | {errs[1]:.2e} | "
            f"{2e4 * 1e-10 * (s0 + z0):.0e} |"
        )
    figure = "alemi_closed_form.png"
    _closed_form_figure(outdir / figure, rng)
    body = f"""
With `alpha = kappa/beta`, `Z = c - (1 - alpha) S` and `R = alpha (S0 - S)`
(`c = Z0 + (1 - alpha) S0`), and `1/S` solves a linear ODE:
`S(t) = S0 / (1 + Z0 (beta t/N) phi(beta c t/N))`, `phi(x) = (e^x - 1)/x`
(`hyosan.analytic.szr_ode_solution`). hyosan's `ode` engine (LSODA) on the
`alemi` model, `beta = 1`, `N = 1000`, t in [0, 60], 121 output times, is
compared with it at two tolerances (`atol = 100 rtol`):

| kappa | S0 | Z0 | max error, rtol 1e-8 | max error, rtol 1e-10 | bound at rtol 1e-10 |
| --- | --- | --- | --- | --- | --- |
{chr(10).join(rows)}

The last case has `c = 0`, where the solution is algebraic, not exponential.

*Tolerance.* LSODA keeps each step's local error below `rtol |y| + atol <= 2
rtol N`; the flow carries a relative error without amplifying it (in the
exponential phase the error and the solution grow by the same factor), so
after at most 1e4 steps the global error is below `1e4 * 2 rtol N`. The
error must also fall by at least 10 when rtol falls by 100: a wrong closed
form would leave an error that does not shrink.
"""
    return Check(
        title="Alemi SZR: the ODE engine reproduces the closed-form solution",
        source=SOURCE,
        body=body,
        passed=bool(ok),
        figures=(figure,),
    )


def _closed_form_figure(path: Path, rng: np.random.Generator) -> None:
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), constrained_layout=True)
    panels = [
        (0.5, 990.0, 10.0, 25.0, "alpha = 0.5: zombies win"),
        (1.5, 900.0, 100.0, 25.0, "alpha = 1.5: humans win"),
    ]
    colors = {"S": "tab:blue", "Z": "tab:red", "R": "tab:gray"}
    for ax, (kappa, s0, z0, t_end, title) in zip(axes, panels, strict=True):
        t = np.linspace(0.0, t_end, 251)
        exact = szr_ode_solution(t, s0, z0, beta=1.0, kappa=kappa)
        grid = t[::10]
        params = {"beta": 1.0, "kappa": kappa}
        x0 = np.array([s0, z0, 0.0])
        ode, _ = run_path(MODEL, params, x0, grid, (), OdeEngine(rtol=1e-10, atol=1e-8), rng)
        for _ in range(20):
            walk, _ = run_path(MODEL, params, x0, t, (), DirectSSA(), rng)
            for j, name in enumerate("SZR"):
                ax.plot(t, walk[:, j], color=colors[name], alpha=0.12, lw=0.8)
        for j, name in enumerate("SZR"):
            ax.plot(t, exact[:, j], color=colors[name], lw=2, label=f"{name}: closed form")
            ax.plot(grid, ode[:, j], "o", color=colors[name], ms=4, mfc="none")
        ax.plot([], [], "ko", mfc="none", ms=4, label="ode engine")
        ax.plot([], [], color="k", alpha=0.3, lw=0.8, label="20 ssa paths")
        ax.set(title=f"{title} (N = 1000, beta = 1)", xlabel="time (days)", ylabel="people")
        ax.legend(fontsize=8, loc="center left" if kappa < 1 else "center right")
    fig.savefig(path, dpi=120)
    plt.close(fig)


def _ballot(s0: int, z0: int, alpha: Fraction) -> float:
    p, q = 1 / (1 + alpha), alpha / (1 + alpha)
    total = Fraction(0)
    for k in range(z0 + s0 - 1):
        ways = math.comb(s0 - 1 + k, k) - (math.comb(s0 - 1 + k, k - z0) if k >= z0 else 0)
        total += ways * q**k
    return float(p**s0 * total)


def _path_count() -> Check:
    alphas = [Fraction(1, 2), Fraction(4, 5), Fraction(1), Fraction(13, 10)]
    worst = max(
        abs(takeover_probability(s0, z0, alpha=float(a)) - _ballot(s0, z0, a))
        for a in alphas
        for s0 in range(1, 41)
        for z0 in (1, 2, 3, 5)
    )
    body = f"""
On the embedded jump chain every event is a bite with probability
`p = 1/(1 + alpha)` or a kill with `q = alpha/(1 + alpha)`, in every state
(both propensities carry `S Z / N`). The zombies take over if and only if
the `S0`-th bite comes before the zombie count hits 0.
`hyosan.analytic.takeover_probability` solves the chain by dynamic
programming over `(S, Z)`. Independently, counting paths by the reflection
principle: before the last bite there are `S0 - 1` bites and `k` kills
with `Z > 0` throughout, `C(S0-1+k, k) - C(S0-1+k, k-Z0)` orderings, so
`P = p^S0 sum_k [C(S0-1+k, k) - C(S0-1+k, k-Z0)] q^k`, evaluated in exact
rational arithmetic.

Over `S0 = 1..40`, `Z0 in {{1, 2, 3, 5}}`, `alpha in {{1/2, 4/5, 1, 13/10}}`: largest
difference **{worst:.1e}**.

*Tolerance.* The DP makes at most `S0 (S0 + Z0) < 2000` convex combinations
of numbers in [0, 1], each rounded to within 1 ulp (1.1e-16): bound 2.4e-13.
"""
    return Check(
        title="Takeover probability: the dynamic programme equals the path count",
        source=SOURCE,
        body=body,
        passed=worst < 2000 * 1.2e-16,
    )


def _gamblers_ruin() -> Check:
    sizes = [10, 20, 50, 100, 200, 500, 1000, 3000]
    alphas = [0.5, 0.8, 0.9, 1.0, 1.2]
    table = {a: [takeover_probability(n, 1, alpha=a) for n in sizes] for a in alphas}
    ok = True
    for a in (0.5, 0.8, 0.9):
        p, q = 1 / (1 + a), a / (1 + a)
        for n, value in zip(sizes, table[a], strict=True):
            gap = value - takeover_probability_limit(a)
            tail = (4 * p * q) ** n * q / (n**1.5 * math.sqrt(math.pi)) / (1 - 4 * p * q)
            rounding = n * (n + 1) * 1.2e-16  # n (n + 1) DP operations, <= 1 ulp each
            ok &= -rounding < gap <= tail + rounding
    sym = [abs(v * math.sqrt(math.pi * n) - 1) for n, v in zip(sizes, table[1.0], strict=True)]
    ok &= all(e < 2 / n for e, n in zip(sym, sizes, strict=True) if n >= 100)
    header = "| alpha | limit | " + " | ".join(f"N = {n}" for n in sizes) + " |"
    lines = [header, "| --- " * (len(sizes) + 2) + "|"]
    for a in alphas:
        vals = " | ".join(f"{v:.6f}" for v in table[a])
        lines.append(f"| {a} | {takeover_probability_limit(a):.3f} | {vals} |")
    body = f"""
Exact takeover probability from one zombie among N humans (dynamic
programme), against the gambler's-ruin limit `1 - alpha` (0 for
`alpha >= 1`):

{chr(10).join(lines)}

For one zombie, takeover means at least N up-steps before the walk hits 0,
so `P(N) - (1 - alpha) = sum_(u >= N) C_u p^u q^(u+1)` (`C_u` the Catalan
numbers): P falls to the limit from above, like `(4pq)^N N^(-3/2)`.
At `alpha = 1` the walk has no drift and `P(N) ~ 1/sqrt(pi N)`.

*Tolerance.* For alpha = 0.5, 0.8, 0.9 every gap lies in
`(-e_N, T_N + e_N]` with `T_N = (4pq)^N q / (N^1.5 sqrt(pi) (1 - 4pq))`,
the Catalan bound `C_u <= 4^u / (u^1.5 sqrt(pi))` summed, and `e_N = N (N + 1)
1.2e-16` the DP's rounding bound (N (N + 1) operations of at most 1 ulp).
At alpha = 1, `|P(N) sqrt(pi N) - 1| < 2/N` for N >= 100 (the next term of
the expansion is `-1/(8N)`).
"""
    return Check(
        title="Takeover probability tends to 1 - alpha as the population grows",
        source=SOURCE,
        body=body,
        passed=bool(ok),
    )


def _takeover_engine(
    engine: Engine,
    runs: int,
    rng: np.random.Generator,
    estimates: list[tuple[int, float, float, float]],
) -> Check:
    cases = [(10, 1, 0.8), (30, 1, 0.9), (100, 1, 0.5), (200, 1, 1.0), (20, 3, 0.8)]
    cases += [(1000, 1, 0.8)]
    rows, ok = [], True
    for humans, zombies, kappa in cases:
        x0 = np.array([float(humans), float(zombies), 0.0])
        params = {"beta": 1.0, "kappa": kappa}
        final = sample_paths(MODEL, params, x0, FOREVER, engine, runs, rng)[:, -1]
        s, z = final[:, 0], final[:, 1]
        ok &= bool(np.all((s == 0.0) | (z == 0.0)))
        wins = int(np.sum((s == 0.0) & (z > 0.0)))
        p = takeover_probability(humans, zombies, alpha=kappa)
        se = math.sqrt(p * (1 - p) / runs)
        z_score = (wins / runs - p) / se
        ok &= abs(z_score) < Z_LIMIT
        if zombies == 1:
            estimates.append((humans, kappa, wins / runs, se))
        rows.append(
            f"| {humans} | {zombies} | {kappa} | {wins / runs:.4f} | {p:.5f} | "
            f"{takeover_probability_limit(kappa, zombies):.3f} | {se:.4f} | {z_score:+.2f} |"
        )
    note = ""
    if engine.name == "tau":
        note = (
            "Tau-leaping (default eps = 0.03) takes exact steps while a leap would cover "
            "fewer than 10 events, which is where takeover is decided (few zombies); "
            "it leaps only once the outbreak is large."
        )
    body = f"""
`{engine.name}` engine, `alemi` model with `beta = 1`, `kappa = alpha`, each row
{runs} independent runs to absorption; takeover = humans reach 0 with
zombies left (every run was checked to end with `S = 0` or `Z = 0`).

| humans | zombies | alpha | simulated | exact (DP) | N -> inf limit | SE | z |
| --- | --- | --- | --- | --- | --- | --- | --- |
{chr(10).join(rows)}

*Tolerance.* The count of takeovers is Binomial(runs, p); SE =
`sqrt(p (1 - p) / runs)` at the exact p, and each row must lie within 4 SE
(two-sided false alarm 6.3e-5 per row, 4e-4 for the table). At small N the
exact value differs from the limit by many SE (N = 10, alpha = 0.8:
0.278 against 0.2), so the check sees the finite-size correction.
"""
    return Check(
        title=f"Takeover frequency of the {engine.name} engine equals the exact probability",
        source=SOURCE,
        body=body,
        passed=bool(ok),
        notes=note,
    )


def _takeover_figure(path: Path, estimates: list[tuple[int, float, float, float]]) -> None:
    sizes = np.unique(np.geomspace(1, 3000, 60).astype(int))
    fig, ax = plt.subplots(figsize=(7.5, 4.8), constrained_layout=True)
    for a, color in zip(
        (0.5, 0.8, 0.9, 1.0, 1.2), plt.cm.viridis(np.linspace(0, 0.9, 5)), strict=True
    ):
        exact = [takeover_probability(int(n), 1, alpha=a) for n in sizes]
        ax.plot(sizes, exact, color=color, lw=2, label=f"alpha = {a}: exact")
        ax.axhline(takeover_probability_limit(a), color=color, ls="--", lw=1)
        pts = [(n, p, se) for n, k, p, se in estimates if k == a]
        if pts:
            n_, p_, se_ = map(np.array, zip(*pts, strict=True))
            ax.errorbar(n_, p_, yerr=2 * se_, fmt="o", color=color, mec="k", capsize=3)
    ax.errorbar([], [], yerr=[], fmt="o", color="w", mec="k", label="ssa, +-2 SE")
    ax.plot([], [], "k--", lw=1, label="1 - alpha (N -> inf)")
    ax.set(
        xscale="log",
        xlabel="humans N (one zombie)",
        ylabel="P(zombies take over)",
        title="Takeover probability: exact jump chain, ssa, gambler's-ruin limit",
        ylim=(0, 0.75),
    )
    ax.legend(fontsize=8, ncol=2)
    fig.savefig(path, dpi=120)
    plt.close(fig)
