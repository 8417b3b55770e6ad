"""Space: Alemi et al.'s lattice transition, and the spatial engines against the well-mixed ones.

Checks: the takeover/dying-out transition of Alemi et al.'s one-person-per-site
square lattice (exact next-subvolume engine, 2-3 lattice sizes, kappa_c from
the crossing of spanning probabilities, an independent implementation of the
lattice rules as a cross-check); one patch behaves as the well-mixed model;
an uncoupled lattice is independent well-mixed patches; tau-leaping in space
against the exact engine; movement conserves people and relaxes to the
stationary law of its Markov chain. Figures ``space_*.png``.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Iterator
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap
from numba import njit
from scipy import optimize, stats
from scipy.linalg import expm

from hyosan.analytic.classic import pooled_chi_square, sir_final_size_distribution
from hyosan.engines import DirectSSA, Engine, Plan, TauLeap, run_path, run_plan
from hyosan.engines._kernels.space import out_weights, patch_channels
from hyosan.model import Model, builtin_model, compile_model
from hyosan.space import CompiledSpace, World, WorldSetup, compile_space
from hyosan.testing import SampleComparison, binomial_se, compare_samples, runs_to_detect
from report import Check

ALPHA = 0.001
SHIFT = 0.02
ALEMI = builtin_model("alemi")
SIR = builtin_model("sir")
FOREVER = np.array([0.0, 1e9])  # every run here is absorbed long before
SOURCE_ALEMI = (
    "Alemi, Bierbaum, Myers & Sethna, Phys. Rev. E 92, 052801 (2015), the square-lattice "
    "model; Stauffer & Aharony, Introduction to Percolation Theory, 2nd ed. (1994), ch. 4 "
    "(finite-size scaling, crossing of spanning probabilities)"
)
SOURCE_NSM = (
    "Elf & Ehrenberg, Syst. Biol. 1, 230-236 (2004) (next-subvolume method); Gillespie, "
    "J. Phys. Chem. 81, 2340-2361 (1977); Andersson & Britton, Stochastic Epidemic Models "
    "and Their Statistical Analysis (2000), Sec. 2.4 (the SIR final-size law)"
)
SOURCE_TAU = (
    "Cao, Gillespie & Petzold, J. Chem. Phys. 124, 044109 (2006); Lampoudi, Gillespie & "
    "Petzold, J. Chem. Phys. 130, 094104 (2009) (multinomial diffusion by splitting)"
)
SOURCE_WALK = (
    "Norris, Markov Chains (1997), Sec. 2.1 and 3.5 (P(t) = exp(tQ), detailed balance); "
    "independent walkers: the occupancy of one patch is binomial"
)
ENGINE_COLORS = {"ssa": "black", "tau 0.03": "tab:red", "tau 0.003": "tab:blue"}


def checks(outdir: Path, quick: bool) -> Iterator[Check]:
    """The space checks; ``quick`` drops the largest lattice and cuts run counts 3-8 times."""
    seeds = iter(np.random.SeedSequence(20150305).spawn(200))
    yield _lattice_transition(outdir, quick, seeds)
    yield _one_patch(outdir, quick, seeds)
    yield _uncoupled(outdir, quick, seeds)
    yield _tau_lattice(outdir, quick, seeds)
    yield _movement(outdir, quick, seeds)


def _compiled(
    model: Model,
    params: dict[str, float],
    world: World,
    movement: dict[str, float],
    coupling: float,
) -> tuple[WorldSetup, CompiledSpace]:
    setup = WorldSetup(world, {}, movement=movement, coupling=coupling)
    cs = compile_space(model, compile_model(model, params), world, movement, coupling=coupling)
    return setup, cs


def _ecdf(ax: plt.Axes, x: np.ndarray, label: str, **kw: object) -> None:
    v = np.sort(x)
    ax.step(v, np.arange(1, len(v) + 1) / len(v), where="post", label=label, **kw)


# --- 1. Alemi's lattice: the transition between takeover and dying out -----------------

KAPPA_SPAN = (0.38, 0.40, 0.42, 0.44, 0.46, 0.48, 0.50)
KAPPA_CENTRE = (0.05, 0.15, 0.25, 0.35, 0.40, 0.45, 0.50, 0.55, 0.65, 0.80)
NU = 4.0 / 3.0  # percolation's correlation-length exponent (2-D)


def _propensities(cs: CompiledSpace, x: np.ndarray) -> np.ndarray:
    """Every patch's channel propensities (reactions, then moves) in state ``x``."""
    m = cs.model
    n_p, nc = cs.n_patches, cs.n_compartments
    wout = out_weights(n_p, cs.out_ptr, cs.out_w)
    a = np.zeros((n_p, len(m.k) + nc))
    X = np.ascontiguousarray(x, dtype=np.float64).ravel()
    for p in range(n_p):
        patch_channels(
            p,
            X,
            m.k,
            m.law,
            m.r1,
            m.r2,
            m.in_n,
            cs.coupled,
            cs.coupling,
            cs.out_ptr,
            cs.out_dst,
            cs.out_w,
            cs.mob,
            wout,
            True,
            a,
        )
    return a


def _mapping(beta: float, kappa: float) -> tuple[bool, str]:
    """Propensities and product placement of the alemi model on 1x2 and 1x3 lattices."""
    params = {"beta": beta, "kappa": kappa}
    _, cs2 = _compiled(ALEMI, params, World.lattice(np.ones((1, 2))), {}, 1.0)
    a2 = _propensities(cs2, np.array([[1.0, 0, 0], [0, 1.0, 0]]))  # S | Z
    _, cs3 = _compiled(ALEMI, params, World.lattice(np.ones((1, 3))), {}, 1.0)
    a3 = _propensities(cs3, np.array([[0, 1.0, 0], [1.0, 0, 0], [0, 1.0, 0]]))  # Z | S | Z
    want_a = {"bite": [-1.0, 1.0, 0.0], "kill": [0.0, 0.0, 0.0]}
    want_b = {"bite": [0.0, 0.0, 0.0], "kill": [0.0, -1.0, 1.0]}
    names = [r.name for r in ALEMI.reactions]
    placed = all(
        cs2.chg_a[j].tolist() == want_a[n] and cs2.chg_b[j].tolist() == want_b[n]
        for j, n in enumerate(names)
    )
    ok = bool(
        placed
        and a2[0, :2].tolist() == [beta, kappa]
        and not a2[1].any()
        and a3[1, :2].tolist() == [2 * beta, 2 * kappa]
        and not a3[0].any()
        and not a3[2].any()
    )
    text = (
        f"on a 1x2 lattice holding `S | Z` (beta = {beta}, kappa = {kappa}) the engine's "
        f"propensities are bite {a2[0, 0]:g}, kill {a2[0, 1]:g} in the human's patch and "
        f"{a2[1, 0]:g}, {a2[1, 1]:g} in the zombie's; on a 1x3 lattice `Z | S | Z` the human's "
        f"patch has bite {a3[1, 0]:g}, kill {a3[1, 1]:g}. Product placement (change at the "
        f"human's patch / at the partner's): bite {cs2.chg_a[0].tolist()} / "
        f"{cs2.chg_b[0].tolist()}, kill {cs2.chg_a[1].tolist()} / {cs2.chg_b[1].tolist()} "
        "(order S, Z, R): the bitten human turns where it stands, the destroyed zombie "
        f"becomes R where it stood. **{'as stated' if ok else 'NOT as stated'}**."
    )
    return ok, text


def _lattice_x0(L: int, edge: bool) -> np.ndarray:
    x0 = np.zeros((L * L, 3))
    x0[:, 0] = 1.0
    seeds = np.arange(L) * L if edge else np.array([(L // 2) * L + L // 2])
    x0[seeds] = [0.0, 1.0, 0.0]
    return x0.ravel()


def _hits(grid: np.ndarray, edge: bool) -> bool:
    """Whether the outbreak (every site no longer S) reached the far column or the border."""
    hit = grid != 0
    if edge:
        return bool(hit[:, -1].any())
    return bool(hit[0].any() or hit[-1].any() or hit[:, 0].any() or hit[:, -1].any())


def _sz_pairs(grid: np.ndarray) -> bool:
    """Whether a human and a zombie are still neighbours somewhere (0 S, 1 Z, 2 R)."""
    s, z = grid == 0, grid == 1
    across = (s[:, :-1] & z[:, 1:]) | (z[:, :-1] & s[:, 1:])
    down = (s[:-1] & z[1:]) | (z[:-1] & s[1:])
    return bool(across.any() or down.any())


def _lattice_runs(
    L: int, kappa: float, edge: bool, runs: int, seed: np.random.SeedSequence
) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    """``runs`` exact runs to absorption: hits, sites infected, the largest final grid, and
    whether every final lattice holds one person per site and no S-Z neighbour pair."""
    params = {"beta": 1.0, "kappa": kappa}
    setup, _cs = _compiled(ALEMI, params, World.lattice(np.ones((L, L))), {}, 1.0)
    x0 = _lattice_x0(L, edge)
    rng, plan = np.random.default_rng(seed), Plan.build(ALEMI, params, DirectSSA(), setup=setup)
    hits, infected = np.zeros(runs, dtype=bool), np.zeros(runs, dtype=np.int64)
    best, one_each = np.zeros((L, L), dtype=np.int64), True
    for r in range(runs):
        out, _ = run_plan(plan, x0, FOREVER, rng)
        final = out[-1].reshape(L, L, 3)
        grid = final.argmax(axis=2)  # 0 S, 1 Z, 2 R
        one_each &= bool(np.all(final.sum(axis=2) == 1.0)) and not _sz_pairs(grid)
        hits[r] = _hits(grid, edge)
        infected[r] = int(np.count_nonzero(grid))
        if infected[r] > np.count_nonzero(best):
            best = grid
    return hits, infected, best, one_each


@njit(cache=False)
def _nb(site: int, d: int, L: int) -> int:
    r, c = site // L, site % L
    if d == 0:
        return site - L if r > 0 else -1
    if d == 1:
        return site + L if r < L - 1 else -1
    if d == 2:
        return site - 1 if c > 0 else -1
    return site + 1 if c < L - 1 else -1


@njit(cache=False)
def _reference_batch(L, kappa, edge, runs, rng):  # pragma: no cover - compiled
    """An independent implementation of the lattice rules, on the embedded jump chain.

    Every S-Z neighbour pair fires at the same total rate ``beta + kappa``, so
    the next event is a uniformly chosen pair; it is a bite with probability
    ``1 / (1 + kappa)``, else the zombie is destroyed. Pairs are kept in a
    list with swap-removal. Returns (hits, infected) per run.
    """
    n_sites = L * L
    hits = np.zeros(runs, dtype=np.bool_)
    infected = np.zeros(runs, dtype=np.int64)
    bonds = np.empty(4 * n_sites, dtype=np.int64)
    where = np.empty(4 * n_sites, dtype=np.int64)
    s = np.empty(n_sites, dtype=np.int64)
    p_bite = 1.0 / (1.0 + kappa)
    for run in range(runs):
        s[:] = 0
        if edge:
            for r in range(L):
                s[r * L] = 1
        else:
            s[(L // 2) * L + L // 2] = 1
        where[:] = -1
        n = 0
        for site in range(n_sites):
            if s[site] == 0:
                for d in range(4):
                    q = _nb(site, d, L)
                    if q >= 0 and s[q] == 1:
                        b = site * 4 + d
                        where[b] = n
                        bonds[n] = b
                        n += 1
        while n > 0:
            b = bonds[int(rng.random() * n)]
            site = b // 4
            if rng.random() < p_bite:
                s[site] = 1
                for d in range(4):
                    own = site * 4 + d
                    if where[own] >= 0:  # drop the pairs the bitten human was in
                        i = where[own]
                        last = bonds[n - 1]
                        bonds[i] = last
                        where[last] = i
                        where[own] = -1
                        n -= 1
                    q = _nb(site, d, L)
                    if q >= 0 and s[q] == 0:  # the new zombie's human neighbours
                        nb = q * 4 + (d ^ 1)
                        where[nb] = n
                        bonds[n] = nb
                        n += 1
            else:
                z = _nb(site, b % 4, L)
                s[z] = 2
                for d in range(4):
                    q = _nb(z, d, L)
                    if q >= 0 and s[q] == 0:
                        gone = q * 4 + (d ^ 1)
                        i = where[gone]
                        last = bonds[n - 1]
                        bonds[i] = last
                        where[last] = i
                        where[gone] = -1
                        n -= 1
        count = 0
        for site in range(n_sites):
            if s[site] != 0:
                count += 1
        infected[run] = count
        hit = False
        for r in range(L):
            far = r * L + L - 1
            if edge:
                hit = hit or s[far] != 0
            else:
                hit = hit or s[far] != 0 or s[r * L] != 0 or s[r] != 0
                hit = hit or s[(L - 1) * L + r] != 0
        hits[run] = hit
    return hits, infected


def _logistic_nll(theta: np.ndarray, x: np.ndarray, k: np.ndarray, n: np.ndarray) -> float:
    p = np.clip(_logistic(x, theta[0], math.exp(theta[1])), 1e-12, 1 - 1e-12)
    return float(-np.sum(k * np.log(p) + (n - k) * np.log1p(-p)))


def _logistic(x: np.ndarray, mid: float, width: float) -> np.ndarray:
    return 1.0 / (1.0 + np.exp((np.asarray(x) - mid) / width))


def _fit(x: np.ndarray, k: np.ndarray, n: np.ndarray) -> tuple[float, float]:
    """Maximum-likelihood logistic ``P = 1 / (1 + exp((kappa - mid) / width))``."""
    frac = k / n
    start = np.array([x[int(np.argmin(np.abs(frac - 0.5)))], math.log(0.02)])
    res = optimize.minimize(
        _logistic_nll, start, args=(x, k, n), method="Nelder-Mead", options={"xatol": 1e-7}
    )
    return float(res.x[0]), float(math.exp(res.x[1]))


def _deviance_p(x: np.ndarray, k: np.ndarray, n: np.ndarray, mid: float, width: float) -> float:
    p = _logistic(x, mid, width)
    with np.errstate(divide="ignore", invalid="ignore"):
        t1 = np.where(k > 0, k * np.log(k / (n * p)), 0.0)
        t2 = np.where(n - k > 0, (n - k) * np.log((n - k) / (n * (1 - p))), 0.0)
    return float(stats.chi2.sf(2.0 * float(np.sum(t1 + t2)), len(x) - 2))


def _crossing(f1: tuple[float, float], f2: tuple[float, float]) -> float:
    """Where two logistics cross: ``(kappa - m1) / w1 = (kappa - m2) / w2``."""
    (m1, w1), (m2, w2) = f1, f2
    return (m1 * w2 - m2 * w1) / (w2 - w1)


def _extrapolate(sizes: list[int], mids: np.ndarray) -> float:
    """Least-squares ``mid_L = kappa_c + a L^(-1/nu)``, nu = 4/3 (percolation)."""
    A = np.column_stack([np.ones(len(sizes)), np.asarray(sizes, dtype=float) ** (-1.0 / NU)])
    return float(np.linalg.lstsq(A, mids, rcond=None)[0][0])


def _lattice_transition(
    outdir: Path, quick: bool, seeds: Iterator[np.random.SeedSequence]
) -> Check:
    start = time.perf_counter()
    map_ok, map_text = _mapping(1.0, 0.6)
    sizes = [32, 64] if quick else [32, 64, 128]
    span_runs = {32: 200, 64: 100} if quick else {32: 800, 64: 600, 128: 300}
    centre_runs = {32: 150, 64: 100} if quick else {32: 400, 64: 300, 128: 200}
    kx = np.array(KAPPA_SPAN)
    span: dict[int, np.ndarray] = {}
    span_infected32: list[np.ndarray] = []
    one_each = True
    timing: dict[str, float] = {}
    for L in sizes:
        t0 = time.perf_counter()
        counts = []
        for kappa in KAPPA_SPAN:
            hits, infected, _, ok = _lattice_runs(L, kappa, True, span_runs[L], next(seeds))
            counts.append(hits.sum())
            one_each &= ok
            if L == 32:
                span_infected32.append(infected)
        span[L] = np.array(counts, dtype=float)
        timing[f"spanning L = {L}"] = time.perf_counter() - t0
    # The independent implementation at L = 32, as many runs per kappa.
    t0 = time.perf_counter()
    ref_rows, ref_ok, ref_frac = [], True, []
    for kappa, ours in zip(KAPPA_SPAN, span_infected32, strict=True):
        ref_rng = np.random.default_rng(next(seeds))
        ref_hits, ref_inf = _reference_batch(32, kappa, True, span_runs[32], ref_rng)
        c = compare_samples(ours, ref_inf, alpha=ALPHA)
        ref_ok &= c.agree
        ref_frac.append(ref_hits.mean())
        ref_rows.append(
            f"| {kappa:.2f} | {c.mean_b:.1f} | {c.mean_a:.1f} | {c.diff:+.1f} ± {c.se_diff:.1f} | "
            f"{c.welch_p:.3g} | {c.ks_stat:.3f} / {c.ks_crit:.3f} | {c.ad_p:.3g} |"
        )
    timing["reference L = 32"] = time.perf_counter() - t0
    # Logistic fits per L, their crossings, a parametric bootstrap.
    t0 = time.perf_counter()
    n_of = {L: np.full(len(kx), float(span_runs[L])) for L in sizes}
    fits = {L: _fit(kx, span[L], n_of[L]) for L in sizes}
    dev_p = {L: _deviance_p(kx, span[L], n_of[L], *fits[L]) for L in sizes}
    pairs = list(itertools.pairwise(sizes))
    cross = {pq: _crossing(fits[pq[0]], fits[pq[1]]) for pq in pairs}
    boot_rng = np.random.default_rng(next(seeds))
    n_boot = 200 if quick else 400
    boot_cross = {pq: [] for pq in pairs}
    boot_extra: list[float] = []
    for _ in range(n_boot):
        bf = {
            L: _fit(kx, boot_rng.binomial(span_runs[L], span[L] / n_of[L]), n_of[L]) for L in sizes
        }
        for pq in pairs:
            boot_cross[pq].append(_crossing(bf[pq[0]], bf[pq[1]]))
        boot_extra.append(_extrapolate(sizes, np.array([bf[L][0] for L in sizes])))
    se_cross = {pq: float(np.std(boot_cross[pq], ddof=1)) for pq in pairs}
    main = pairs[-1]
    kc, kc_se = cross[main], se_cross[main]
    kc_lo, kc_hi = np.percentile(boot_cross[main], [2.5, 97.5])
    extra = _extrapolate(sizes, np.array([fits[L][0] for L in sizes]))
    extra_se = float(np.std(boot_extra, ddof=1))
    r_at = float(_logistic(kc, *fits[main[1]]))
    timing["fits and bootstrap"] = time.perf_counter() - t0
    # The centre-seeded takeover probability.
    centre: dict[int, np.ndarray] = {}
    n_centre: dict[int, np.ndarray] = {}
    for L in sizes:
        t0 = time.perf_counter()
        ks, ns = [], []
        for kappa in KAPPA_CENTRE:
            runs = centre_runs[L] if 0.1 < kappa < 0.7 else max(centre_runs[L], 200)
            hits, _, _, ok = _lattice_runs(L, kappa, False, runs, next(seeds))
            ks.append(hits.sum())
            ns.append(runs)
            one_each &= ok
        centre[L], n_centre[L] = np.array(ks, dtype=float), np.array(ns, dtype=float)
        timing[f"centre seed L = {L}"] = time.perf_counter() - t0
    big = sizes[-1]
    p_low = centre[big][0] / n_centre[big][0]
    se_low = binomial_se(p_low, int(n_centre[big][0]))
    k_high, n_high = int(centre[big][-1]), int(n_centre[big][-1])
    up_high = float(stats.beta.ppf(1 - ALPHA, k_high + 1, n_high - k_high))  # Clopper-Pearson
    transition = p_low - 3 * se_low > 0.8 and up_high < 0.05
    below_one = (1.0 - kc) / kc_se > 5.0
    # A snapshot of the largest lattice at kappa_c: the biggest of 20 centre-seeded outbreaks.
    _, _, snap, _ = _lattice_runs(big, round(kc, 3), False, 20, next(seeds))
    figure = "space_lattice_transition.png"
    _transition_figure(
        outdir / figure, sizes, span, span_runs, fits, centre, n_centre, kc, kc_se, snap, ref_frac
    )
    seconds = time.perf_counter() - start
    span_tab = "\n".join(
        f"| {L} | {span_runs[L]} | "
        + " | ".join(f"{k / span_runs[L]:.3f}" for k in span[L])
        + f" | {fits[L][0]:.4f} | {fits[L][1]:.4f} | {dev_p[L]:.2g} |"
        for L in sizes
    )
    centre_tab = "\n".join(
        f"| {L} | "
        + " | ".join(
            f"{k / n:.3f} ± {binomial_se(k / n, int(n)):.3f}"
            for k, n in zip(centre[L], n_centre[L], strict=True)
        )
        + " |"
        for L in sizes
    )
    cross_txt = "; ".join(
        f"L = {a} and {b}: {cross[(a, b)]:.4f} ± {se_cross[(a, b)]:.4f}" for a, b in pairs
    )
    span_head = " | ".join(f"{k:.2f}" for k in KAPPA_SPAN)
    centre_head = " | ".join(f"{k:.2f}" for k in KAPPA_CENTRE)
    times_txt = ", ".join(f"{k} {v:.0f} s" for k, v in timing.items() if v > 0)
    body = f"""
**The model.** One person per site of an L x L square lattice
(`World.lattice(np.ones((L, L)))`), nobody moves, `coupling = 1`, the `alemi`
model (`S + Z -> Z + Z` at `beta`, `S + Z -> S + R` at `kappa`, frequency
dependent). With one person per site `N_p = 1` in every patch, so a human's
patch has bite propensity `beta x (zombies next door)` and kill propensity
`kappa x (zombies next door)`: every S-Z neighbour pair bites at `beta` and
is fought at `kappa`, as in Alemi et al.'s lattice model; only the ratio
`kappa = alpha / beta` matters for where the outbreak ends (`beta = 1`).
Verified on the engine's own propensities: {map_text}

**Runs.** The exact engine (`ssa`: the next-subvolume method) runs each
lattice to absorption (end time 1e9 days; the engine stops drawing events
once no S-Z pair is left). A site is *infected* once it is no longer S.
Every final lattice holds exactly one person per site and no S-Z neighbour
pair: **{"yes" if one_each else "NO"}**.

**Order parameter 1: spanning.** The left column starts as zombies; the
outbreak *spans* if it reaches the right column. For percolation-like
transitions the spanning probability `R_L(kappa)` tends to 1 below
`kappa_c` and to 0 above, and the curves for different L cross near
`kappa_c` (finite-size scaling, `R_L = Phi((kappa - kappa_c) L^(1/nu))`).
A logistic in kappa is fitted to each L by maximum likelihood (binomial);
kappa_c is where the fits for the two largest L cross; its error bar is the
standard deviation over {n_boot} parametric-bootstrap replicates (counts redrawn
binomially at every point, all curves refitted).

| L | runs per kappa | {span_head} | midpoint | width | fit p (deviance) |
| --- | --- | {" | ".join("---" for _ in KAPPA_SPAN)} | --- | --- | --- |
{span_tab}

Crossings: {cross_txt}. **kappa_c = {kc:.4f} ± {kc_se:.4f}** (1 SE; bootstrap 95%
interval [{kc_lo:.4f}, {kc_hi:.4f}]); the spanning probability at the crossing is
{r_at:.2f}. A second estimate, assuming percolation's `nu = 4/3` (Alemi et al. place
the lattice model in the percolation class), extrapolates the midpoints
`mid_L = kappa_c + a L^(-3/4)`: {extra:.4f} ± {extra_se:.4f}.

**Order parameter 2: takeover from one zombie.** One zombie in the centre;
*takeover* means the outbreak reaches the lattice border. Its probability is
at most `1/(1 + kappa)` (the first event is a kill with probability
`kappa/(1 + kappa)`), decreases with L at every kappa and tends to the
probability that the outbreak is infinite, which vanishes at `kappa_c`; the
curves for different L are nested, not crossing, so they show the
transition but do not locate it as sharply as spanning does.

| L | {centre_head} |
| --- | {" | ".join("---" for _ in KAPPA_CENTRE)} |
{centre_tab}

(± 1 binomial SE; {", ".join(f"L = {L}: {centre_runs[L]}" for L in sizes)} runs per
kappa, at least 200 at the ends.)

**Cross-check of the lattice rules.** An independent implementation
(`_reference_batch` in this file: on the embedded jump chain every S-Z pair
is equally likely to act next, a bite with probability `1/(1 + kappa)`) gives,
at L = 32 from the left column, the number of sites infected:

| kappa | reference mean | hyosan mean | difference (1 SE) | Welch p | KS D / accepts | AD p |
| --- | --- | --- | --- | --- | --- | --- |
{chr(10).join(ref_rows)}

**Comparison.** The well-mixed (mean-field) model takes over iff `kappa < 1`
(gambler's ruin: takeover probability `1 - kappa`, check "Alemi" above). On
the lattice a zombie meets only its four neighbours and the outbreak
advances along a front, and the threshold is far lower: kappa_c = {kc:.3f}, below
1 by {(1 - kc) / kc_se:.0f} standard errors. Alemi et al. report a critical
value for their square lattice; it could not be checked here (the paper's
text was not available to this check), so no comparison with it is made.

**Pass criteria.** (1) The mapping above holds exactly. (2) The independent
implementation agrees at every kappa (Welch, KS and AD at alpha = 0.001 each;
21 tests, family-wise false-alarm rate below 2.1%).
(3) The transition exists at L = {big}: takeover probability at kappa = {KAPPA_CENTRE[0]}
is {p_low:.3f} ± {se_low:.3f}, above 0.8 by more than 3 SE; at kappa =
{KAPPA_CENTRE[-1]} it is {k_high}/{n_high}, 99.9% upper bound (Clopper-Pearson)
{up_high:.3f} < 0.05. (4) kappa_c is below 1 by more than 5 standard errors.
Results: (1) {"holds" if map_ok else "FAILS"}, (2) {"holds" if ref_ok else "FAILS"},
(3) {"holds" if transition else "FAILS"}, (4) {"holds" if below_one else "FAILS"}.

Wall time {seconds:.0f} s ({times_txt}).
"""
    notes = (
        "The midpoints of the spanning curves drift with L "
        f"({', '.join(f'{fits[L][0]:.3f}' for L in sizes)} for L = "
        f"{', '.join(str(L) for L in sizes)}); the crossing of the two largest lattices is "
        "the estimate quoted, and its error bar is statistical only (corrections to scaling "
        "are not in it)."
    )
    return Check(
        title="Alemi's lattice: zombies take over below kappa_c and die out above",
        source=SOURCE_ALEMI,
        body=body,
        passed=bool(map_ok and ref_ok and transition and below_one and one_each),
        figures=(figure,),
        notes=notes,
    )


def _transition_figure(
    path: Path,
    sizes: list[int],
    span: dict[int, np.ndarray],
    span_runs: dict[int, int],
    fits: dict[int, tuple[float, float]],
    centre: dict[int, np.ndarray],
    n_centre: dict[int, np.ndarray],
    kc: float,
    kc_se: float,
    snap: np.ndarray,
    ref_frac: list[float],
) -> None:
    colors = dict(zip([32, 64, 128], ("tab:green", "tab:blue", "tab:purple"), strict=True))
    fig, axes = plt.subplots(
        1, 3, figsize=(17, 5.2), constrained_layout=True, gridspec_kw={"width_ratios": [1, 1, 0.8]}
    )
    ax = axes[0]
    kc_arr = np.array(KAPPA_CENTRE)
    for L in sizes:
        p = centre[L] / n_centre[L]
        se = np.sqrt(p * (1 - p) / n_centre[L])
        ax.errorbar(
            kc_arr, p, yerr=2 * se, fmt="o-", ms=4, capsize=3, color=colors[L], label=f"L = {L}"
        )
    grid = np.linspace(0, 0.85, 100)
    ax.plot(grid, 1 / (1 + grid), "k:", lw=1, label="bound 1/(1 + kappa)")
    ax.plot(grid, np.clip(1 - grid, 0, 1), "k--", lw=1, label="well mixed, N -> inf: 1 - kappa")
    ax.axvspan(kc - 2 * kc_se, kc + 2 * kc_se, color="orange", alpha=0.35)
    ax.axvline(kc, color="orange", lw=1.5, label=f"kappa_c = {kc:.3f} ± {kc_se:.3f}")
    ax.set(
        xlabel="kappa = alpha / beta",
        ylabel="P(outbreak reaches the border) ± 2 SE",
        title="one zombie in the centre: takeover",
    )
    ax.legend(fontsize=8)
    ax = axes[1]
    kx = np.array(KAPPA_SPAN)
    fine = np.linspace(kx[0] - 0.01, kx[-1] + 0.01, 200)
    for L in sizes:
        p = span[L] / span_runs[L]
        se = np.sqrt(p * (1 - p) / span_runs[L])
        ax.errorbar(kx, p, yerr=2 * se, fmt="o", ms=4, capsize=3, color=colors[L], label=f"L = {L}")
        ax.plot(fine, _logistic(fine, *fits[L]), color=colors[L], lw=1)
    ax.plot(kx, ref_frac, "x", color="k", ms=7, label="independent code, L = 32")
    ax.axvspan(kc - 2 * kc_se, kc + 2 * kc_se, color="orange", alpha=0.35)
    ax.axvline(kc, color="orange", lw=1.5, label="crossing of the two largest L (± 2 SE)")
    ax.set(
        xlabel="kappa = alpha / beta",
        ylabel="P(left column reaches right column) ± 2 SE",
        title="zombies along one edge: spanning, logistic fits",
    )
    ax.legend(fontsize=8)
    ax = axes[2]
    cmap = ListedColormap(["#dfe7f0", "#d62728", "#333333"])
    ax.imshow(snap, cmap=cmap, vmin=0, vmax=2, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(
        f"L = {snap.shape[0]} at kappa = {round(kc, 3)}, the largest of 20 outbreaks\n"
        "pale: human, red: zombie, black: destroyed zombie"
    )
    fig.suptitle("Alemi's one-person-per-site square lattice (exact next-subvolume engine)")
    fig.savefig(path, dpi=110)
    plt.close(fig)


# --- 2. One patch is the well-mixed model ----------------------------------------


def _final_infected(
    model: Model,
    params: dict[str, float],
    x0: np.ndarray,
    engine: Engine,
    runs: int,
    seed: np.random.SeedSequence,
    setup: WorldSetup | None = None,
) -> tuple[np.ndarray, float]:
    """Final counts ``(runs, P * C)`` of runs to absorption, and the seconds they took."""
    rng = np.random.default_rng(seed)
    t0 = time.perf_counter()
    plan = Plan.build(model, params, engine, setup=setup)
    out = [run_plan(plan, x0, FOREVER, rng)[0][-1] for _ in range(runs)]
    return np.array(out), time.perf_counter() - t0


def _one_patch(outdir: Path, quick: bool, seeds: Iterator[np.random.SeedSequence]) -> Check:
    s0, i0, r0 = 95, 5, 2.0
    params = {"beta": 0.2, "gamma": 0.1}
    exact = sir_final_size_distribution(s0, i0, r0)
    k = np.arange(s0 + 1)
    mean = float((k * exact).sum())
    sd = math.sqrt(float(((k - mean) ** 2 * exact).sum()))
    need = runs_to_detect(sd, SHIFT * mean, ALPHA)
    runs = need // 4 if quick else need
    world = World.lattice(np.array([[float(s0 + i0)]]), name="one-patch")
    setup, _cs = _compiled(SIR, params, world, {"S": 1.0, "I": 1.0}, 1.0)
    x0 = np.array([float(s0), float(i0), 0.0])
    nsm, t_n = _final_infected(SIR, params, x0, DirectSSA(), runs, next(seeds), setup)
    direct, t_d = _final_infected(SIR, params, x0, DirectSSA(), runs, next(seeds))
    a, b = nsm[:, 2] - i0, direct[:, 2] - i0
    c = compare_samples(a, b, alpha=ALPHA)
    chi = [
        pooled_chi_square(np.bincount(x.astype(int), minlength=s0 + 1), runs * exact)
        for x in (a, b)
    ]
    ok = c.agree and all(p > ALPHA for _, _, p in chi) and (quick or runs >= need)
    figure = "space_one_patch.png"
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.4), constrained_layout=True)
    ax = axes[0]
    _ecdf(ax, a, f"next-subvolume, one patch ({runs} runs)", color="tab:red", lw=1.6)
    _ecdf(ax, b, f"direct method, well mixed ({runs} runs)", color="black", lw=1.0)
    ax.step(k, np.cumsum(exact), where="post", color="tab:blue", ls="--", lw=1, label="exact law")
    ax.set(xlabel="susceptibles infected", ylabel="ECDF", title="SIR final size, N = 100, R0 = 2")
    ax.legend(fontsize=9)
    ax = axes[1]
    grid = np.arange(-0.5, s0 + 1)
    ax.plot(
        k,
        np.searchsorted(np.sort(a), grid[1:], side="left") / runs
        - np.searchsorted(np.sort(b), grid[1:], side="left") / runs,
        color="tab:red",
        lw=1.2,
        label="ECDF(nsm) - ECDF(direct)",
    )
    ax.axhspan(-c.ks_crit, c.ks_crit, color="0.85", label="KS acceptance band, alpha 0.001")
    ax.axhline(0, color="k", lw=0.8)
    ax.set(xlabel="susceptibles infected", ylabel="difference of ECDFs", title="the gap")
    ax.legend(fontsize=9)
    fig.savefig(outdir / figure, dpi=110)
    plt.close(fig)
    body = f"""
A world of one patch (`World.lattice([[100]])`, no edges) with movement rates
(`S`, `I`: 1 per unit weight) and `coupling = 1` set, which must do nothing
there: SIR (`beta = 0.2`, `gamma = 0.1`, R0 = 2, frequency dependent) from 95 S
and 5 I, run to extinction by the next-subvolume engine, against the
well-mixed direct method. The outcome is the number of susceptibles ever
infected; its exact law (`hyosan.analytic.sir_final_size_distribution`) has
mean {mean:.2f} and sd {sd:.2f} (bimodal: the outbreak fizzles with probability
{exact[:10].sum():.3f}).

- next-subvolume vs direct: {c.describe("people")}.
- against the exact law (Pearson chi-square, cells pooled to >= 5 expected):
  next-subvolume chi2 = {chi[0][0]:.1f} on {chi[0][1]} dof, p = {chi[0][2]:.3g}; direct
  chi2 = {chi[1][0]:.1f} on {chi[1][1]} dof, p = {chi[1][2]:.3g}.

**Power.** A two-sided test at alpha = 0.001 detects a 2% shift of the mean
({SHIFT * mean:.2f} people) with power 0.8 given `2 (3.29 + 0.84)^2 sd^2 / shift^2`
= {need} runs per engine (exact sd); {runs} are used{" (quick: a quarter)" if quick else ""},
and Welch's test resolves {c.detectable_shift():.2f} people.

Pass: all three two-sample tests accept at alpha = 0.001, both chi-square
p-values exceed 0.001, and the runs reach the number needed (full mode).
Wall time: next-subvolume {t_n:.1f} s, direct {t_d:.1f} s.
"""
    return Check(
        title="One patch is well mixed: next-subvolume equals the direct method (SIR, N = 100)",
        source=SOURCE_NSM,
        body=body,
        passed=bool(ok),
        figures=(figure,),
    )


# --- 3. An uncoupled lattice is independent well-mixed runs ---------------------------

UNCOUPLED_HEAD = (
    "| patch | S0 | well-mixed mean | patch mean | difference (1 SE) | Welch p | KS D / accepts "
    "| AD p | chi2 / dof | chi2 p |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
)


def _uncoupled(outdir: Path, quick: bool, seeds: Iterator[np.random.SeedSequence]) -> Check:
    pops = np.array([[20, 40, 80], [40, 80, 20], [80, 20, 40]], dtype=float)
    i0, r0 = 2, 3.0
    params = {"beta": 0.3, "gamma": 0.1}
    runs = 800 if quick else 3000
    world = World.lattice(pops + i0)
    setup, _cs = _compiled(SIR, params, world, {}, 0.0)
    x0 = np.zeros((9, 3))
    x0[:, 0], x0[:, 1] = pops.ravel(), i0
    lattice, t_l = _final_infected(SIR, params, x0.ravel(), DirectSSA(), runs, next(seeds), setup)
    inf = lattice.reshape(runs, 9, 3)[:, :, 2] - i0
    wells: dict[int, np.ndarray] = {}
    t_w = 0.0
    for s0 in (20, 40, 80):
        out, secs = _final_infected(
            SIR, params, np.array([s0, i0, 0.0]), DirectSSA(), runs, next(seeds)
        )
        wells[s0], t_w = out[:, 2] - i0, t_w + secs
    rows, ok = [], True
    for p in range(9):
        s0 = int(pops.ravel()[p])
        c = compare_samples(inf[:, p], wells[s0], alpha=ALPHA)
        exact = sir_final_size_distribution(s0, i0, r0)
        chi, dof, pc = pooled_chi_square(
            np.bincount(inf[:, p].astype(int), minlength=s0 + 1), runs * exact
        )
        ok &= c.agree and pc > ALPHA
        rows.append(
            f"| r{p // 3}c{p % 3} | {s0} | {c.mean_b:.2f} | {c.mean_a:.2f} | {c.diff:+.2f} ± "
            f"{c.se_diff:.2f} | {c.welch_p:.3g} | {c.ks_stat:.3f} / {c.ks_crit:.3f} | {c.ad_p:.3g} "
            f"| {chi:.1f} / {dof} | {pc:.3g} |"
        )
    corr = np.corrcoef(inf.T)
    off = corr[np.triu_indices(9, 1)]
    z_max = float(np.abs(off).max() * math.sqrt(runs))
    z_lim = float(stats.norm.ppf(1 - ALPHA / (2 * len(off))))
    ok &= z_max < z_lim
    figure = "space_uncoupled.png"
    fig, axes = plt.subplots(1, 4, figsize=(18, 4.2), constrained_layout=True)
    for ax, s0 in zip(axes[:3], (20, 40, 80), strict=True):
        for p in np.flatnonzero(pops.ravel() == s0):
            _ecdf(ax, inf[:, p], f"patch r{p // 3}c{p % 3}", lw=1.2, alpha=0.8)
        _ecdf(ax, wells[s0], "well mixed (direct)", color="black", lw=1.0, ls="--")
        exact = sir_final_size_distribution(s0, i0, r0)
        ax.step(
            np.arange(s0 + 1),
            np.cumsum(exact),
            where="post",
            color="0.5",
            lw=3,
            alpha=0.4,
            label="exact law",
        )
        ax.set(xlabel="susceptibles infected", ylabel="ECDF", title=f"{s0} S + {i0} I per patch")
        ax.legend(fontsize=8)
    ax = axes[3]
    im = ax.imshow(
        corr - np.eye(9), cmap="RdBu_r", vmin=-4 / math.sqrt(runs), vmax=4 / math.sqrt(runs)
    )
    ax.set_title(f"correlation between patches (colour scale ± 4/sqrt({runs}))")
    ax.set_xticks(range(9), [f"{p // 3}{p % 3}" for p in range(9)])
    ax.set_yticks(range(9), [f"{p // 3}{p % 3}" for p in range(9)])
    fig.colorbar(im, ax=ax, shrink=0.8)
    fig.suptitle("3x3 lattice, no movement, coupling 0: each patch an independent SIR epidemic")
    fig.savefig(outdir / figure, dpi=110)
    plt.close(fig)
    body = f"""
A 3x3 lattice, nobody moves, `coupling = 0`; patch populations 20, 40 or 80
susceptibles (each three times) plus 2 infected in every patch; SIR (`beta =
0.3`, `gamma = 0.1`, frequency dependent, so each patch's rate divides by its
own `N_p`), {runs} runs of the next-subvolume engine to extinction. Each patch's
number infected is compared with {runs} well-mixed direct-method runs of the
same population, and with the exact law:

{UNCOUPLED_HEAD}
{chr(10).join(rows)}

**Independence.** The 36 correlations between patches' final sizes lie in
[{off.min():+.3f}, {off.max():+.3f}]; under independence each is about
N(0, 1/{runs}); the largest |r| sqrt(runs) = {z_max:.2f}, limit {z_lim:.2f}
(Bonferroni over 36 pairs, family-wise alpha = 0.001).

Pass: every patch's Welch, KS and AD tests accept at alpha = 0.001 (27 tests,
family-wise false-alarm rate below 2.7%), every chi-square p > 0.001, and the
correlation test accepts. Wall time: lattice {t_l:.1f} s, well mixed {t_w:.1f} s.
"""
    return Check(
        title="An uncoupled lattice is independent well-mixed patches (3x3, SIR)",
        source=SOURCE_NSM,
        body=body,
        passed=bool(ok),
        figures=(figure,),
    )


# --- 4. Tau-leaping against exact on a small lattice -------------------------------


def _tau_lattice(outdir: Path, quick: bool, seeds: Iterator[np.random.SeedSequence]) -> Check:
    runs = 40 if quick else 160
    L, per, z0 = 3, 5000.0, 1000.0
    params = {"beta": 1.0, "kappa": 0.6}
    movement, coupling = {"S": 0.05}, 0.5
    setup, _cs = _compiled(ALEMI, params, World.lattice(np.full((L, L), per)), movement, coupling)
    x0 = setup.counts(ALEMI)
    centre = (L // 2) * L + L // 2
    x0[centre, 0] -= z0
    x0[centre, 1] += z0
    x0 = x0.ravel()
    times = np.linspace(0.0, 30.0, 121)
    s_start = float(x0[0::3].sum())

    def outcomes(out: np.ndarray) -> tuple[float, float, bool]:
        tot = out.reshape(len(times), L * L, 3).sum(axis=1)
        over = bool(tot[-1, 0] == 0) and bool(np.all(tot.sum(axis=1) == tot[0].sum()))
        i = int(np.argmax(tot[:, 0] <= s_start / 2))
        s_a, s_b = tot[i - 1, 0], tot[i, 0]
        half = times[i - 1] + (s_a - s_start / 2) / (s_a - s_b) * (times[i] - times[i - 1])
        return float(tot[-1, 2]), float(half), over

    engines: list[tuple[str, Engine]] = [
        ("ssa", DirectSSA()),
        ("tau 0.03", TauLeap()),
        ("tau 0.003", TauLeap(eps=0.003)),
    ]
    samples: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    secs: dict[str, float] = {}
    all_over = True
    for name, engine in engines:
        rng = np.random.default_rng(next(seeds))
        t0 = time.perf_counter()
        finals, halves = [], []
        plan = Plan.build(ALEMI, params, engine, setup=setup)
        for _ in range(runs):
            out, _ = run_plan(plan, x0, times, rng)
            f, h, over = outcomes(out)
            finals.append(f)
            halves.append(h)
            all_over &= over
        secs[name] = time.perf_counter() - t0
        samples[name] = (np.array(finals), np.array(halves))
    # Did tau leap? The same seeds with leaping switched off (n_ssa = inf) give the
    # same path exactly when no leap was taken.
    probe = 5 if quick else 20
    leapt: dict[str, int] = {}
    for name, eps in (("tau 0.03", 0.03), ("tau 0.003", 0.003)):
        leapt[name] = 0
        for child in next(seeds).spawn(probe):
            a, _ = run_path(
                ALEMI, params, x0, times, (), TauLeap(eps=eps),
                np.random.default_rng(child), setup=setup,
            )  # fmt: skip
            b, _ = run_path(
                ALEMI, params, x0, times, (), TauLeap(eps=eps, n_ssa=math.inf),
                np.random.default_rng(child), setup=setup,
            )  # fmt: skip
            leapt[name] += int(not np.array_equal(a, b))
    ex_f, ex_h = samples["ssa"]
    rows, ok, finding = [], all_over, []
    need_f = runs_to_detect(ex_f.std(ddof=1), SHIFT * ex_f.mean(), ALPHA)
    need_h = runs_to_detect(ex_h.std(ddof=1), SHIFT * ex_h.mean(), ALPHA)
    for name in ("tau 0.03", "tau 0.003"):
        cf = compare_samples(samples[name][0], ex_f, alpha=ALPHA)
        ch = compare_samples(samples[name][1], ex_h, alpha=ALPHA)
        ok &= cf.within(SHIFT * cf.mean_b) and (quick or ch.within(SHIFT * ch.mean_b))
        if name == "tau 0.003":
            ok &= cf.agree and ch.agree
        for label, c, unit in (
            ("zombies destroyed R(30)", cf, "zombies"),
            ("humans' half-life", ch, "days"),
        ):
            rows.append(_tau_row(f"{label}, {name}", c, unit))
            if not c.agree or abs(c.diff) > 3 * c.se_diff:
                finding.append(
                    f"{label} at {name}: {c.diff:+.3g} ± {c.se_diff:.2g} {unit} "
                    f"({c.diff / c.mean_b:+.2%}, z = {c.diff / c.se_diff:+.1f})"
                )
    ok &= quick or runs >= max(need_f, need_h)
    figure = "space_tau_lattice.png"
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.4), constrained_layout=True)
    for ax, j, xlabel in (
        (axes[0], 0, "zombies destroyed R(30)"),
        (axes[1], 1, "humans' half-life (days)"),
    ):
        all_v = np.concatenate([samples[n][j] for n, _ in engines])
        bins = np.linspace(all_v.min(), all_v.max(), 25)
        for name, _ in engines:
            v = samples[name][j]
            ax.hist(
                v,
                bins=bins,
                density=True,
                histtype="step",
                lw=1.5,
                color=ENGINE_COLORS[name],
                label=f"{name} (mean {v.mean():.5g})",
            )
            ax.axvline(v.mean(), color=ENGINE_COLORS[name], ls="--", lw=1)
        ax.set(xlabel=xlabel, ylabel="density")
        ax.legend(fontsize=9)
    fig.suptitle(
        f"alemi on a 3x3 lattice of 5000 per patch, humans moving, coupling 0.5: "
        f"tau against exact, {runs} runs each"
    )
    fig.savefig(outdir / figure, dpi=110)
    plt.close(fig)
    head = (
        "| outcome | exact mean | tau mean | tau - exact (1 SE) | z | KS D / accepts | AD p "
        "| Welch detects (power 0.8) | agree at 0.001 |\n| --- | --- | --- | --- | --- | --- | --- "
        "| --- | --- |"
    )
    wall = ", ".join(f"{n} {s:.1f} s" for n, s in secs.items())
    bias = (
        "; ".join(finding) if finding else "none resolved (every |z| <= 3 and every test accepts)"
    )
    body = f"""
The `alemi` model (`beta = 1`, `kappa = 0.6`) on a 3x3 lattice of 5000 people
per patch, 1000 of the centre's turned into zombies; humans move (0.05 per day
per unit edge weight), zombies do not, and `coupling = 0.5` lets zombies bite
and be fought across every border. The outbreak spreads by bites across
borders and by humans walking into zombie patches until no human is left
(checked in every run at day 30: **{"yes" if all_over else "NO"}**; people are
conserved at every output time in every run). Outcomes: the zombies destroyed
R(30) and the humans' half-life (first time the total S falls to half,
interpolated linearly on the 0.25-day output grid). {runs} runs per engine:
exact next-subvolume (`ssa`), tau-leaping at the default eps = 0.03 and at
eps = 0.003.

**Which code paths run.** Patches are this large so that tau-leaping leaps:
with the same seeds and leaping switched off (`n_ssa = inf`) the path is
identical exactly when no leap was taken; it differs in {leapt["tau 0.03"]} of
{probe} probe runs at eps = 0.03 (where leaping also halves the run time), and in
{leapt["tau 0.003"]} of {probe} at eps = 0.003. At eps = 0.003 Cao et al.'s bound (a
change of at most `max(eps x / 2, 1)` in each reactant count) allows the 10
expected events a leap needs only with several thousand humans and zombies
in one patch at once, which does not happen here; so the eps = 0.003
comparison tests tau's exact-patch path: the direct method per patch over a
step, partners of cross-border bites drawn at the start of the step, and
movement by splitting.

{head}
{chr(10).join(rows)}

**Power.** A 2% shift of the mean needs {need_f} runs per engine for R(30) and
{need_h} for the half-life (observed sds {ex_f.std(ddof=1):.0f} zombies,
{ex_h.std(ddof=1):.3f} days); {runs} are used.

**Bias at eps = 0.03:** {bias}.

Pass: at both eps the means of both outcomes are within 2% of the exact ones
(two one-sided tests at alpha = 0.001), with enough runs to detect a 2% shift
(in quick mode only R(30) is held to 2%: the half-life needs more runs); at
eps = 0.003 all three tests accept for both outcomes.
Wall time: {wall}.
"""
    return Check(
        title="Tau-leaping in space against the exact engine (3x3 lattice, movement, coupling)",
        source=SOURCE_TAU,
        body=body,
        passed=bool(ok),
        figures=(figure,),
    )


def _tau_row(label: str, c: SampleComparison, unit: str) -> str:
    return (
        f"| {label} | {c.mean_b:.5g} | {c.mean_a:.5g} | {c.diff:+.3g} ± {c.se_diff:.2g} "
        f"({c.diff / c.mean_b:+.3%}) | {c.diff / c.se_diff:+.1f} | {c.ks_stat:.3f} / "
        f"{c.ks_crit:.3f} | {c.ad_p:.3g} | {c.detectable_shift():.3g} {unit} | "
        f"{'yes' if c.agree else 'no'} |"
    )


# --- 5. Movement: conservation and relaxation ---------------------------------------


def _movement(outdir: Path, quick: bool, seeds: Iterator[np.random.SeedSequence]) -> Check:
    v = np.array([1.0, 2.0, 5.0])  # patch weights: an edge i -> j has weight v[j]
    world = World.from_edges(
        "path-3",
        ["a", "b", "c"],
        [("a", "b", v[1]), ("b", "a", v[0]), ("b", "c", v[2]), ("c", "b", v[1])],
        two_way=False,
    )
    n, mob, runs = 60, 1.0, (600 if quick else 4000)
    params = {"beta": 0.0, "gamma": 0.0}
    setup, _cs = _compiled(SIR, params, world, {"S": mob}, 0.0)
    x0 = np.zeros((3, 3))
    x0[0, 0] = n
    times = np.array([0.0, 0.05, 0.2, 0.5, 1.0, 2.0, 5.0])
    Q = np.zeros((3, 3))
    for s, d, w in zip(world.src, world.dst, world.weight, strict=True):
        Q[s, d] += mob * w
    Q -= np.diag(Q.sum(axis=1))
    P = np.array([expm(Q * t)[0] for t in times])  # one walker from patch a
    pi = v / v.sum()
    rng = np.random.default_rng(next(seeds))
    t0 = time.perf_counter()
    occ = np.empty((runs, len(times), 3))
    conserved = True
    plan = Plan.build(SIR, params, DirectSSA(), setup=setup)
    for r in range(runs):
        out, _ = run_plan(plan, x0.ravel(), times, rng)
        o = out.reshape(len(times), 3, 3)
        conserved &= bool(
            np.all(o.sum(axis=(1, 2)) == n) and o.min() >= 0 and not o[:, :, 1:].any()
        )
        occ[r] = o[:, :, 0]
    secs = time.perf_counter() - t0
    mean = occ.mean(axis=0)
    var_exact = n * P * (1 - P)
    m_tests = 3 * (len(times) - 1)
    z_lim = float(stats.norm.ppf(1 - ALPHA / (2 * m_tests)))
    rows, z_all, chi_p = [], [], []
    for i, t in enumerate(times[1:], 1):
        z = (mean[i] - n * P[i]) / np.sqrt(var_exact[i] / runs)
        z_all += list(z)
        ps = []
        for j in range(3):
            pmf = stats.binom.pmf(np.arange(n + 1), n, P[i, j])
            ps.append(
                pooled_chi_square(
                    np.bincount(occ[:, i, j].astype(int), minlength=n + 1), runs * pmf
                )[2]
            )
        chi_p += ps
        rows.append(
            f"| {t:g} | "
            + " | ".join(f"{mean[i, j]:.3f} / {n * P[i, j]:.3f} ({z[j]:+.2f})" for j in range(3))
            + f" | {min(ps):.3g} |"
        )
    z_max = float(np.abs(z_all).max())
    stationary_gap = float(np.abs(P[-1] - pi).max())
    ok = conserved and z_max < z_lim and min(chi_p) > ALPHA / m_tests and stationary_gap < 1e-3
    figure = "space_movement.png"
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.4), constrained_layout=True)
    fine = np.linspace(0, times[-1], 200)
    Pf = np.array([expm(Q * t)[0] for t in fine])
    ax = axes[0]
    for j, (name, color) in enumerate(
        zip("abc", ("tab:blue", "tab:orange", "tab:green"), strict=True)
    ):
        ax.plot(fine, n * Pf[:, j], color=color, lw=1.2, label=f"patch {name}: n e_a exp(tQ)")
        ax.errorbar(
            times,
            mean[:, j],
            yerr=2 * np.sqrt(var_exact[:, j] / runs),
            fmt="o",
            ms=4,
            capsize=3,
            color=color,
        )
        ax.axhline(n * pi[j], color=color, ls=":", lw=1)
    ax.set(
        xlabel="time",
        ylabel=f"mean occupancy ({runs} runs, ± 2 SE)",
        title=f"{n} walkers from patch a; dotted: n v / sum(v)",
    )
    ax.legend(fontsize=9)
    ax = axes[1]
    for j, name in enumerate("abc"):
        ax.plot(
            times[1:] * (1 + 0.03 * (j - 1)),
            np.array(z_all).reshape(-1, 3)[:, j],
            "o",
            label=f"patch {name}",
        )
    ax.axhspan(-z_lim, z_lim, color="0.88", label=f"|z| < {z_lim:.2f} (Bonferroni)")
    ax.axhline(0, color="k", lw=0.8)
    ax.set_xscale("log")
    ax.set(xlabel="time", ylabel="(mean - exact) / SE", title="z-scores of the mean occupancy")
    ax.legend(fontsize=9)
    fig.savefig(outdir / figure, dpi=110)
    plt.close(fig)
    body = f"""
Three patches in a path `a - b - c` with directed edge weights `w(i -> j) =
v_j`, `v = (1, 2, 5)`; `S` moves at {mob:g} per unit weight, nobody else and
no reaction (SIR with `beta = gamma = 0`, no infected). Each walker is then an
independent Markov chain with generator `Q_ij = w(i -> j)` (eigenvalues 0, -2,
-8), reversible with stationary law `pi = v / sum(v) = (1, 2, 5)/8` (detailed
balance `v_i v_j = v_j v_i`). {n} walkers start in `a`; the occupancy of patch
`j` at time `t` is exactly `Binomial({n}, P_aj(t))`, `P(t) = expm(tQ)`
(`scipy.linalg.expm`). {runs} next-subvolume runs, wall time {secs:.1f} s.

Conservation: in every run, at every output time, the counts sum to {n},
none is negative and no other compartment appears: **{"yes" if conserved else "NO"}**.

| t | a: mean / exact (z) | b: mean / exact (z) | c: mean / exact (z) | smallest chi2 p |
| --- | --- | --- | --- | --- |
{chr(10).join(rows)}

`z` uses the exact standard error `sqrt({n} P (1 - P) / runs)`; the chi-square
compares each patch's occupancy histogram with its binomial law (cells pooled
to >= 5 expected). At t = {times[-1]:g} the exact law is within
{stationary_gap:.1e} of `pi` (relaxation time 1/2), so the last row tests the
stationary distribution `{n} pi = ({", ".join(f"{n * p:.2f}" for p in pi)})`.

Pass: conservation holds; the largest |z| = {z_max:.2f} is below {z_lim:.2f}
and the smallest chi-square p = {min(chi_p):.3g} above {ALPHA / m_tests:.1e}
(Bonferroni over {m_tests} patch-times each, family-wise alpha = 0.001).
"""
    return Check(
        title="Movement conserves people and relaxes to the weight-proportional stationary law",
        source=SOURCE_WALK,
        body=body,
        passed=bool(ok),
        figures=(figure,),
    )
