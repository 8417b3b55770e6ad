"""hyosan's exact engine against an independent simulator, GillesPy2's NumPy SSA.

The models are those of ``tests/statistical/test_gillespy2.py`` (SIR,
Alemi's SZR and the ``aouad`` model, written by hand in GillesPy2's terms), run
here with more trajectories: take-over fractions by a two-proportion z-test,
final sizes and timings given take-over by Welch, Kolmogorov-Smirnov and
Anderson-Darling tests (:mod:`hyosan.testing`). Figures ``gillespy2_*.png``
(overlaid ECDFs). Wall times of both simulators are recorded, for information.
"""

from __future__ import annotations

import importlib.util
import math
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import matplotlib.pyplot as plt
import numpy as np

from hyosan.testing import SampleComparison, binomial_se, compare_samples, two_proportions
from report import Check

ALPHA = 0.001
ROOT = Path(__file__).resolve().parent.parent
TEST_MODULE = ROOT / "tests" / "statistical" / "test_gillespy2.py"
SOURCE = (
    "GillesPy2 1.8, NumPySSASolver: Gillespie's direct method in Python, written "
    "independently of hyosan (Matthew et al., Lett. Biomath. 10, 87-103 (2023))"
)


def checks(outdir: Path, quick: bool) -> Iterator[Check]:
    """One check per model; ``quick`` runs 300 trajectories per simulator instead of 3000."""
    if importlib.util.find_spec("gillespy2") is None:
        yield Check(
            title="hyosan's SSA against GillesPy2",
            source=SOURCE,
            body="GillesPy2 is not installed: `pip install -e '.[test]'`. Nothing was compared.",
            passed=False,
        )
        return
    cases = _test_module()
    runs = 300 if quick else 3000
    for case in cases.CASES:
        yield _compare(outdir, cases, case, runs)


def _test_module() -> ModuleType:
    """``tests/statistical/test_gillespy2.py``, whose models and runners are used here."""
    spec = importlib.util.spec_from_file_location("hyosan_test_gillespy2", TEST_MODULE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _compare(outdir: Path, cases: ModuleType, c: Any, runs: int) -> Check:
    """Run ``c`` (a ``test_gillespy2.Case``) in both simulators and compare."""
    cases.run_hyosan(c, 2, seed=0)  # compile the kernel before timing
    start = time.perf_counter()
    hy = cases.run_hyosan(c, runs, seed=2026)
    t_hy = time.perf_counter() - start
    start = time.perf_counter()
    gp = cases.run_gillespy2(c, runs, seed=2026)
    t_gp = time.perf_counter() - start
    big_h, big_g = c.take_over(hy), c.take_over(gp)
    k_h, k_g = int(big_h.sum()), int(big_g.sum())
    z, p = two_proportions(k_h, runs, k_g, runs)
    se_p = math.hypot(binomial_se(k_h / runs, runs), binomial_se(k_g / runs, runs))
    final = compare_samples(hy[c.final][big_h, -1], gp[c.final][big_g, -1], alpha=ALPHA)
    t_h = c.timing({k: a[big_h] for k, a in hy.items()}, c.times)
    t_g = c.timing({k: a[big_g] for k, a in gp.items()}, c.times)
    timing = compare_samples(t_h, t_g, alpha=ALPHA)
    passed = p > ALPHA and final.agree and timing.agree
    figure = f"gillespy2_{c.name}.png"
    _figure(outdir / figure, c, runs, (k_h, k_g), (final, timing), hy, gp, big_h, big_g)
    x0 = ", ".join(f"{k} = {v:g}" for k, v in c.x0.items())
    params = ", ".join(f"{k} = {v:g}" for k, v in c.params.items())
    step = c.times[1] - c.times[0]
    body = f"""
Model `{c.name}` ({params}) from {x0}, output every {step:g} {c.unit} to
{c.times[-1]:g} {c.unit}s, the same grid in both simulators (GillesPy2's
`timespan`); {runs} runs of each. GillesPy2 builds the model from its
equations by hand (`tests/statistical/test_gillespy2.py::gillespy2_{c.name}`),
frequency-dependent reactions as custom propensities.

- **Take-over** ({c.take_over_label} at the end): {k_h / runs:.3f} (hyosan) and
  {k_g / runs:.3f} (GillesPy2), difference SE {se_p:.3f}; pooled two-proportion
  z = {z:+.2f}, p = {p:.2g}. The test detects a difference of 4.13 x {se_p:.3f} =
  {4.13 * se_p:.3f} with power 0.8 at alpha = 0.001.
- **Given take-over** ({k_h} and {k_g} runs):

{_TABLE_HEAD}
{_row(f"final {c.final} (count)", final, "")}
{_row(c.timing_label, timing, c.unit + "s")}

Pass: every p-value above alpha = 0.001 (seven per model, 21 per report: a
false alarm in fewer than 2.1% of reports). The KS test with ties
(counts, grid times) is conservative; the Anderson-Darling test is its midrank
version, made for ties.

Wall time for the same {runs} runs (informative, not asserted): GillesPy2
NumPySSASolver {t_gp:.1f} s, hyosan ssa {t_hy:.2f} s (x{t_gp / t_hy:.0f}).
"""
    return Check(
        title=f"hyosan's SSA against GillesPy2: {c.name} (N = {sum(c.x0.values()):.0f})",
        source=SOURCE,
        body=body,
        passed=bool(passed),
        figures=(figure,),
    )


_TABLE_HEAD = (
    "| outcome | hyosan mean | GillesPy2 mean | difference (1 SE) | Welch p | KS D / accepts "
    "| KS p | AD p | Welch detects (power 0.8) |\n"
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
)


def _row(label: str, c: SampleComparison, unit: str) -> str:
    u = f" {unit}" if unit else ""
    return (
        f"| {label} | {c.mean_a:.5g} | {c.mean_b:.5g} | {c.diff:+.3g} ± {c.se_diff:.2g} | "
        f"{c.welch_p:.3g} | {c.ks_stat:.3f} / {c.ks_crit:.3f} | {c.ks_p:.3g} | {c.ad_p:.3g} | "
        f"{c.detectable_shift():.3g}{u} |"
    )


def _ecdf(ax: plt.Axes, sample: np.ndarray, **kwargs: Any) -> None:
    x = np.sort(sample)
    ax.step(x, np.arange(1, len(x) + 1) / len(x), where="post", **kwargs)


def _figure(
    path: Path,
    case: Any,
    runs: int,
    k: tuple[int, int],
    comparisons: tuple[SampleComparison, SampleComparison],
    hy: dict[str, np.ndarray],
    gp: dict[str, np.ndarray],
    big_h: np.ndarray,
    big_g: np.ndarray,
) -> None:
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.4), constrained_layout=True)
    ax = axes[0]
    frac = [k[0] / runs, k[1] / runs]
    for x, f, color in ((0, frac[0], "tab:red"), (1, frac[1], "tab:blue")):
        ax.errorbar(x, f, yerr=2 * binomial_se(f, runs), fmt="o", ms=9, capsize=8, color=color)
    ax.set_xticks([0, 1], ["hyosan ssa", "GillesPy2 NumPySSA"])
    ax.set_xlim(-0.6, 1.6)
    ax.set_ylabel("fraction of runs (± 2 SE)")
    z, _ = two_proportions(k[0], runs, k[1], runs)
    ax.set_title(f"take-over ({case.take_over_label}), z = {z:+.2f}")
    samples = (
        (hy[case.final][big_h, -1], gp[case.final][big_g, -1], f"final {case.final}"),
        (
            case.timing({n: a[big_h] for n, a in hy.items()}, case.times),
            case.timing({n: a[big_g] for n, a in gp.items()}, case.times),
            f"{case.timing_label} ({case.unit}s)",
        ),
    )
    for ax, (a, b, label), cmp in zip(axes[1:], samples, comparisons, strict=True):
        _ecdf(ax, a, color="tab:red", lw=1.8, label=f"hyosan ssa ({len(a)} runs)")
        _ecdf(ax, b, color="tab:blue", lw=1.2, ls="--", label=f"GillesPy2 ({len(b)} runs)")
        ax.set_xlabel(f"{label}, given take-over")
        ax.set_ylabel("fraction of runs at or below")
        ax.set_title(
            f"KS D = {cmp.ks_stat:.3f} (accepts < {cmp.ks_crit:.3f}), AD p = {cmp.ad_p:.2g}"
        )
        ax.legend(fontsize=9, loc="lower right")
    fig.suptitle(f"{case.name}: hyosan's exact SSA against GillesPy2's NumPy SSA, {runs} runs each")
    fig.savefig(path, dpi=110)
    plt.close(fig)
