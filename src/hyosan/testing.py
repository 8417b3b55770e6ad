"""Statistical helpers for checking stochastic simulations against each other.

Two samples of an outcome (final sizes, peak times) from two engines or two
simulators are compared by :func:`compare_samples` with three standard tests
at once: Welch's t-test on the means, the two-sample Kolmogorov-Smirnov test
and the k-sample Anderson-Darling test on the distributions. Each reports its
own resolution, so that an assertion can say what difference it would have
caught. :func:`runs_to_detect` sizes an experiment before it is run,
:func:`two_proportions` compares outbreak (take-over) fractions;
:func:`sample_paths` draws the runs of one plan.

The tests assume independent runs. Counts are discrete, so outcomes tie: the
Kolmogorov-Smirnov p-value is then conservative (it rejects less often than
``alpha``), and the Anderson-Darling test uses its midrank version, made for
ties [2]_.

References
----------
.. [1] B. L. Welch, "The generalization of 'Student's' problem when several
   different population variances are involved", Biometrika 34, 28-35 (1947).
.. [2] F. W. Scholz, M. A. Stephens, "K-sample Anderson-Darling tests",
   J. Am. Stat. Assoc. 82, 918-924 (1987).
.. [3] J. Cohen, *Statistical Power Analysis for the Behavioral Sciences*,
   2nd ed., Erlbaum (1988), ch. 2 (sample size of a two-sample test).

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> cmp = compare_samples(rng.normal(10, 1, 500), rng.normal(10, 1, 500))
>>> cmp.agree
True
>>> runs_to_detect(sd=1.0, shift=0.2, alpha=0.001)
854
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from hyosan.engines import Engine
    from hyosan.interventions import Intervention
    from hyosan.model import Model
    from hyosan.space import WorldSetup

__all__ = [
    "SampleComparison",
    "binomial_se",
    "compare_samples",
    "ks_critical",
    "runs_to_detect",
    "sample_paths",
    "two_proportions",
    "z_quantile",
]


def z_quantile(p: float) -> float:
    """The standard normal quantile: ``z_quantile(0.975)`` is 1.96."""
    from scipy import stats

    return float(stats.norm.ppf(p))


def binomial_se(p: float, n: int) -> float:
    """Standard error ``sqrt(p (1 - p) / n)`` of a fraction ``p`` observed in ``n`` trials."""
    return math.sqrt(p * (1.0 - p) / n)


def runs_to_detect(sd: float, shift: float, alpha: float = 0.001, power: float = 0.8) -> int:
    """Runs per sample for a two-sided two-sample test to detect a shift of the mean.

    ``n = 2 (z_{1 - alpha/2} + z_{power})^2 sd^2 / shift^2`` (normal
    approximation, equal sizes and spreads [3]_), rounded up.
    """
    z = z_quantile(1.0 - alpha / 2.0) + z_quantile(power)
    return max(2, math.ceil(2.0 * (z * sd / shift) ** 2))


def ks_critical(n_a: int, n_b: int, alpha: float = 0.001) -> float:
    """Largest ECDF gap the two-sample Kolmogorov-Smirnov test accepts at ``alpha``.

    The asymptotic bound ``sqrt(-ln(alpha / 2) / 2) * sqrt((n_a + n_b) / (n_a n_b))``.
    """
    return math.sqrt(-math.log(alpha / 2.0) / 2.0) * math.sqrt((n_a + n_b) / (n_a * n_b))


def two_proportions(k_a: int, n_a: int, k_b: int, n_b: int) -> tuple[float, float]:
    """Pooled two-proportion z-test of ``k_a / n_a`` against ``k_b / n_b``: ``(z, p)``."""
    from scipy import stats

    pooled = (k_a + k_b) / (n_a + n_b)
    se = math.sqrt(pooled * (1.0 - pooled) * (1.0 / n_a + 1.0 / n_b))
    if se == 0.0:
        return 0.0, 1.0
    z = (k_a / n_a - k_b / n_b) / se
    return z, float(2.0 * stats.norm.sf(abs(z)))


@dataclass(frozen=True, slots=True)
class SampleComparison:
    """Welch, Kolmogorov-Smirnov and Anderson-Darling tests of sample ``a`` against ``b``.

    Attributes
    ----------
    n_a, n_b, mean_a, mean_b, sd_a, sd_b
        Sizes, means and standard deviations (``ddof=1``) of the samples.
    diff, se_diff
        ``mean_a - mean_b`` and its standard error ``sqrt(sd_a^2/n_a + sd_b^2/n_b)``.
    welch_p
        Two-sided p-value of Welch's t-test (1 when both samples are constant and equal).
    ks_stat, ks_p, ks_crit
        Largest gap between the ECDFs, its p-value, and the gap accepted at ``alpha``.
    ad_p
        Anderson-Darling (midrank) p-value, interpolated in SciPy's table,
        which is floored at 0.001 and capped at 0.25.
    alpha
        Significance level of each test.
    """

    n_a: int
    n_b: int
    mean_a: float
    mean_b: float
    sd_a: float
    sd_b: float
    diff: float
    se_diff: float
    welch_p: float
    ks_stat: float
    ks_p: float
    ks_crit: float
    ad_p: float
    alpha: float

    @property
    def agree(self) -> bool:
        """Whether none of the three tests rejects equality at ``alpha``."""
        return self.welch_p > self.alpha and self.ks_p > self.alpha and self.ad_p > self.alpha

    def detectable_shift(self, power: float = 0.8) -> float:
        """Shift of the mean that Welch's test detects with probability ``power``."""
        return (z_quantile(1.0 - self.alpha / 2.0) + z_quantile(power)) * self.se_diff

    def within(self, margin: float) -> bool:
        """Equivalence (two one-sided tests at ``alpha``): ``|diff| < margin`` shown.

        True when the ``1 - 2 alpha`` confidence interval of the difference lies
        inside ``(-margin, margin)``.
        """
        return abs(self.diff) + z_quantile(1.0 - self.alpha) * self.se_diff < margin

    def describe(self, unit: str = "") -> str:
        """One line of the numbers, for assertion messages and reports."""
        u = f" {unit}" if unit else ""
        return (
            f"means {self.mean_a:.4g} vs {self.mean_b:.4g}{u} (n = {self.n_a}, {self.n_b}), "
            f"difference {self.diff:+.3g} ± {self.se_diff:.2g}{u} (1 SE), Welch p = "
            f"{self.welch_p:.3g}; KS D = {self.ks_stat:.3f} (accepts < {self.ks_crit:.3f}), "
            f"p = {self.ks_p:.3g}; AD p = {self.ad_p:.3g}"
        )


def compare_samples(
    a: npt.ArrayLike, b: npt.ArrayLike, *, alpha: float = 0.001
) -> SampleComparison:
    """Compare two independent samples of one outcome; see :class:`SampleComparison`.

    ``alpha`` must lie in ``[0.001, 0.25]``, the range of SciPy's
    Anderson-Darling table.
    """
    from scipy import stats

    if not 0.001 <= alpha <= 0.25:
        raise ValueError(
            f"alpha must lie in [0.001, 0.25], the Anderson-Darling table; got {alpha}"
        )
    x = np.asarray(a, dtype=np.float64)
    y = np.asarray(b, dtype=np.float64)
    if len(x) < 2 or len(y) < 2:
        raise ValueError(f"need two or more runs in each sample; got {len(x)} and {len(y)}")
    sd_a, sd_b = float(x.std(ddof=1)), float(y.std(ddof=1))
    diff = float(x.mean() - y.mean())
    se = math.sqrt(sd_a**2 / len(x) + sd_b**2 / len(y))
    if se == 0.0:  # both constant: equal or plainly different
        welch_p = 1.0 if diff == 0.0 else 0.0
        ad_p = welch_p
    else:
        welch_p = float(stats.ttest_ind(x, y, equal_var=False).pvalue)
        ad_p = _anderson_darling_p(x, y)
    ks = stats.ks_2samp(x, y)
    return SampleComparison(
        n_a=len(x),
        n_b=len(y),
        mean_a=float(x.mean()),
        mean_b=float(y.mean()),
        sd_a=sd_a,
        sd_b=sd_b,
        diff=diff,
        se_diff=se,
        welch_p=welch_p,
        ks_stat=float(ks.statistic),
        ks_p=float(ks.pvalue),
        ks_crit=ks_critical(len(x), len(y), alpha),
        ad_p=ad_p,
        alpha=alpha,
    )


def _anderson_darling_p(x: npt.NDArray[np.float64], y: npt.NDArray[np.float64]) -> float:
    from scipy import stats

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "p-value floored/capped"
        try:
            res = stats.anderson_ksamp([x, y], variant="midrank")
        except TypeError:  # SciPy < 1.17: no `variant`, midrank by default
            res = stats.anderson_ksamp([x, y])
    return float(res.pvalue)


def sample_paths(
    model: Model,
    parameters: Mapping[str, float] | None,
    x0: npt.ArrayLike,
    times: npt.ArrayLike,
    engine: str | Engine,
    runs: int,
    rng: np.random.Generator,
    *,
    interventions: Sequence[Intervention] = (),
    setup: WorldSetup | None = None,
) -> npt.NDArray[np.float64]:
    """``runs`` independent paths ``(runs, times, P * C)`` of one plan, all drawn from ``rng``.

    The :class:`~hyosan.engines.Plan` is built once; each run goes on from
    where the previous one left ``rng``, so a sample is reproducible from
    the generator's seed.
    """
    from hyosan.engines import Plan, run_plan

    plan = Plan.build(model, parameters, engine, setup=setup, interventions=interventions)
    x, grid = np.asarray(x0, dtype=np.float64), np.asarray(times, dtype=np.float64)
    return np.stack([run_plan(plan, x, grid, rng)[0] for _ in range(runs)])
