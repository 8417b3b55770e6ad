"""Classic exact results for checking the engines: SIR final size, death processes.

- :func:`km_final_size`: the Kermack-McKendrick final size of the SIR ODE,
  with the initially infected taken into account.
- :func:`sir_final_size_distribution`: the exact distribution of the final
  size of the stochastic SIR model at small N, from its embedded jump chain.
- :func:`pure_death_pmf`: ``X -> 0`` at rate ``mu`` per individual:
  ``X(t) ~ Binomial(n0, exp(-mu t))``.
- :func:`immigration_death_pmf`: ``-> X`` at ``lam``, ``X -> 0`` at ``mu``:
  ``X(t) ~ Binomial(x0, e^{-mu t}) + Poisson((lam / mu)(1 - e^{-mu t}))``,
  stationary ``Poisson(lam / mu)``.
- :func:`pooled_chi_square`: Pearson's test of counts against an exact
  distribution, small expected counts pooled.

The SIR model is hyosan's ``sir``: ``S + I -> 2 I`` at ``beta S I / N``,
``I -> R`` at ``gamma I``, ``N = S + I + R``, ``R0 = beta / gamma``.

References
----------
.. [1] W. O. Kermack, A. G. McKendrick, "A contribution to the mathematical
   theory of epidemics", Proc. R. Soc. A 115, 700-721 (1927).
.. [2] H. Andersson, T. Britton, Stochastic Epidemic Models and Their
   Statistical Analysis, Springer (2000), Ch. 2-4 (final size, the embedded
   chain, the large-N limit).
.. [3] C. W. Gardiner, Stochastic Methods, 4th ed., Springer (2009),
   Sec. 11.1 (birth-death master equations).
.. [4] K. Pearson, "On the criterion that a given system of deviations ...",
   Phil. Mag. 50, 157-175 (1900); W. G. Cochran, "Some methods for
   strengthening the common chi-square tests", Biometrics 10, 417-451 (1954)
   (pooling to expected counts of at least 5).
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from hyosan._typing import FloatArray
from hyosan.model import Model, Parameter, Reaction

__all__ = [
    "DEATH",
    "IMMIGRATION_DEATH",
    "immigration_death_pmf",
    "km_final_size",
    "pooled_chi_square",
    "pure_death_pmf",
    "sir_final_size_by_linear_algebra",
    "sir_final_size_distribution",
]


DEATH = Model(
    name="pure-death",
    compartments=("X",),
    parameters=(Parameter("mu", 1.0, "death rate", "1/day"),),
    reactions=(Reaction.parse("X ->", "mu", name="death"),),
)
"""Pure death ``X -> 0`` at ``mu X``: its law at time t is :func:`pure_death_pmf`."""

IMMIGRATION_DEATH = Model(
    name="immigration-death",
    compartments=("X",),
    parameters=(Parameter("lam", 20.0, "arrivals per day", "1/day"), Parameter("mu", 1.0)),
    reactions=(
        Reaction.parse("-> X", "lam", name="immigration"),
        Reaction.parse("X ->", "mu", name="death"),
    ),
)
"""Immigration-death ``-> X`` at ``lam``, ``X -> 0`` at ``mu X``; see :func:`immigration_death_pmf`.
"""


def km_final_size(r0: float, s0: float = 1.0, i0: float = 0.0) -> float:
    """Fraction of the initially susceptible that the SIR epidemic infects (ODE).

    Solves the Kermack-McKendrick final-size relation with the initially
    infected included::

        1 - z = exp(-r0 (s0 z + i0))

    for ``z``, where ``s0 = S(0)/N`` and ``i0 = I(0)/N`` (removed at the start
    do not enter). With ``s0 = 1, i0 = 0`` it is the textbook
    ``z = 1 - exp(-r0 z)``. The final counts are ``S(inf) = S(0) (1 - z)`` and
    ``R(inf) = N - S(inf)``.

    Parameters
    ----------
    r0
        Basic reproduction number ``beta / gamma``.
    s0, i0
        Initial susceptible and infected fractions of the population.

    Returns
    -------
    float
        ``z`` in [0, 1). With ``i0 = 0`` it is 0 when ``r0 s0 <= 1`` (no
        epidemic) and the positive root otherwise.

    Notes
    -----
    Solved with :func:`scipy.optimize.brentq` for ``u = -log(1 - z)``:
    ``u = r0 (s0 (1 - e^{-u}) + i0)``, whose right side minus ``u`` is concave,
    positive near 0 and negative at ``u = r0 (s0 + i0) + 1``, so the root is
    unique and bracketed, for any ``r0``. Cost: a few dozen evaluations;
    ``z`` is exact to about 1e-15.

    References
    ----------
    .. [1] Kermack & McKendrick (1927).
    .. [2] Andersson & Britton (2000), Sec. 4.2.

    Examples
    --------
    >>> round(km_final_size(2.0), 6)
    0.796812
    >>> km_final_size(0.8)
    0.0
    """
    if r0 < 0.0 or s0 < 0.0 or i0 < 0.0:
        raise ValueError("r0, s0 and i0 must be >= 0")
    if s0 == 0.0 or r0 == 0.0:
        return 0.0
    return _km_root(r0, s0, i0)


def _km_root(r0: float, s0: float, i0: float) -> float:
    """``z`` for ``r0, s0 > 0``, found as ``u = -log(1 - z)`` (see :func:`km_final_size`)."""
    from scipy.optimize import brentq

    upper = r0 * (s0 + i0) + 1.0
    if i0 > 0.0:

        def f(u: float) -> float:
            return r0 * (s0 * -math.expm1(-u) + i0) - u

        return -math.expm1(-brentq(f, 0.0, upper, xtol=1e-15, rtol=1e-15))
    if r0 * s0 <= 1.0:
        return 0.0

    def g(u: float) -> float:  # (f(u) - 0) / u, whose root away from u = 0 is wanted
        return r0 * s0 * (-math.expm1(-u) / u) - 1.0

    return -math.expm1(-brentq(g, 1e-12, upper, xtol=1e-15, rtol=1e-15))


def sir_final_size_distribution(s0: int, i0: int, r0: float, n: int | None = None) -> FloatArray:
    """Exact distribution of the number of susceptibles an SIR epidemic infects.

    On the embedded jump chain of the stochastic SIR model an event in state
    ``(s, i)`` is an infection with probability
    ``beta s i / N / (beta s i / N + gamma i) = r0 s / (r0 s + N)``, which does
    not depend on ``i``; the chain stops when ``i = 0``. Probability mass is
    pushed through the states in order of decreasing ``s`` (and, within one
    ``s``, decreasing ``i``, a first-order linear filter), collecting what
    reaches ``i = 0``.

    Parameters
    ----------
    s0, i0
        Susceptible and infected at the start.
    r0
        ``beta / gamma``.
    n
        Population ``N`` in the frequency-dependent rate; defaults to
        ``s0 + i0`` (nobody removed at the start).

    Returns
    -------
    FloatArray
        ``P[k]``, ``k = 0 .. s0``: probability that exactly ``k`` of the
        ``s0`` susceptibles are ever infected; the final counts are then
        ``S = s0 - k`` and ``R = R(0) + i0 + k``.

    Notes
    -----
    Cost O(s0 (s0 + i0)) time, O(s0 + i0) memory; exact to rounding (the sum
    is 1 to about ``s0 (s0 + i0)`` ulp). Fine for ``s0`` up to a few
    thousand; the time course is not needed, since the final size depends on
    the rates only through ``r0``.

    References
    ----------
    .. [1] Andersson & Britton (2000), Sec. 2.4 and 3.

    Examples
    --------
    One susceptible, one infected, ``N = 2``: infection first with
    probability ``r0 / (r0 + 2)``.

    >>> sir_final_size_distribution(1, 1, 2.0).round(6).tolist()
    [0.5, 0.5]
    """
    if s0 < 0 or i0 < 0:
        raise ValueError("s0 and i0 must be >= 0")
    n_pop = float(s0 + i0 if n is None else n)
    if i0 == 0:
        final = np.zeros(s0 + 1)
        final[s0] = 1.0
        return final[::-1].copy()
    return _final_size_by_filter(s0, i0, r0, n_pop)


def _final_size_by_filter(s0: int, i0: int, r0: float, n_pop: float) -> FloatArray:
    """The law of :func:`sir_final_size_distribution` for ``i0 > 0``, by the filter it describes."""
    from scipy.signal import lfilter

    final = np.zeros(s0 + 1)  # indexed by the number of susceptibles left
    width = s0 + i0 + 1  # i = 0 .. s0 + i0
    inflow = np.zeros(width)
    inflow[i0] = 1.0
    for s in range(s0, -1, -1):
        p = r0 * s / (r0 * s + n_pop)
        # mass(s, i) = inflow(s, i) + (1 - p) mass(s, i + 1): a filter run from the top.
        mass = lfilter([1.0], [1.0, -(1.0 - p)], inflow[::-1])[::-1]
        final[s] = mass[0]
        inflow = np.zeros(width)
        inflow[2:] = p * mass[1:-1]
    return final[::-1].copy()


def pure_death_pmf(k: npt.ArrayLike, n0: int, mu: float, t: float) -> FloatArray:
    """``P(X(t) = k)`` for the pure death process ``X -> 0`` at rate ``mu X``.

    Each of the ``n0`` individuals survives to ``t`` independently with
    probability ``exp(-mu t)``, so ``X(t) ~ Binomial(n0, exp(-mu t))``.

    Notes
    -----
    Cost O(len(k)); exact (SciPy's binomial pmf).

    References
    ----------
    .. [1] Gardiner (2009), Sec. 11.1.

    Examples
    --------
    >>> pure_death_pmf([0, 1, 2], 2, 1.0, math.log(2.0)).round(6).tolist()
    [0.25, 0.5, 0.25]
    """
    from scipy.stats import binom

    return np.asarray(binom.pmf(np.asarray(k), n0, math.exp(-mu * t)), dtype=np.float64)


def immigration_death_pmf(
    k: npt.ArrayLike, lam: float, mu: float, t: float = math.inf, x0: int = 0
) -> FloatArray:
    """``P(X(t) = k)`` for immigration ``-> X`` at ``lam`` and death ``X -> 0`` at ``mu X``.

    The survivors of the ``x0`` initial individuals are
    ``Binomial(x0, e^{-mu t})``; the immigrants still present form an
    independent ``Poisson((lam / mu)(1 - e^{-mu t}))`` count. At ``t = inf``
    (the default) this is the stationary ``Poisson(lam / mu)``.

    Notes
    -----
    Cost O(len(k) x0) (the convolution); exact.

    References
    ----------
    .. [1] Gardiner (2009), Sec. 11.1.2.

    Examples
    --------
    >>> float(immigration_death_pmf(0, 2.0, 1.0).item()) == math.exp(-2.0)
    True
    """
    from scipy.stats import binom, poisson

    ks = np.asarray(k)
    survive = math.exp(-mu * t) if math.isfinite(t) else 0.0
    mean_new = lam / mu * (1.0 - survive)
    if x0 == 0 or survive == 0.0:
        return np.asarray(poisson.pmf(ks, mean_new), dtype=np.float64)
    j = np.arange(x0 + 1)
    old = binom.pmf(j, x0, survive)
    new = poisson.pmf(ks[..., None] - j, mean_new)
    return np.asarray((new * old).sum(axis=-1), dtype=np.float64)


def pooled_chi_square(
    observed: npt.ArrayLike, expected: npt.ArrayLike, min_expected: float = 5.0
) -> tuple[float, int, float]:
    """Pearson's chi-square of counts against expected counts, small cells pooled.

    Adjacent categories are merged from the left until each pooled cell
    expects at least ``min_expected``; a short remainder joins the last
    cell. The expected counts must cover every outcome (include tail
    categories) and sum to the number of observations.

    Returns
    -------
    statistic, dof, p_value
        ``dof`` is the number of pooled cells minus one (no fitted
        parameters); the p-value is from the chi-square distribution, whose
        approximation is good once every cell expects 5 or more (Cochran 1954).

    Examples
    --------
    >>> stat, dof, p = pooled_chi_square([10, 10, 1, 1], [10.0, 10.0, 1.0, 1.0])
    >>> (stat, dof, p)
    (0.0, 1, 1.0)
    """
    from scipy.stats import chi2

    obs = np.asarray(observed, dtype=np.float64).ravel()
    exp = np.asarray(expected, dtype=np.float64).ravel()
    cells_o: list[float] = []
    cells_e: list[float] = []
    acc_o = acc_e = 0.0
    for o, e in zip(obs, exp, strict=True):
        acc_o += o
        acc_e += e
        if acc_e >= min_expected:
            cells_o.append(acc_o)
            cells_e.append(acc_e)
            acc_o = acc_e = 0.0
    if acc_e > 0.0 or acc_o > 0.0:
        if cells_e:
            cells_o[-1] += acc_o
            cells_e[-1] += acc_e
        else:
            cells_o.append(acc_o)
            cells_e.append(acc_e)
    o_arr, e_arr = np.array(cells_o), np.array(cells_e)
    stat = float(((o_arr - e_arr) ** 2 / e_arr).sum())
    dof = len(cells_e) - 1
    p_value = float(chi2.sf(stat, dof)) if dof > 0 else 1.0
    return stat, dof, p_value


def sir_final_size_by_linear_algebra(s0: int, i0: int, r0: float) -> FloatArray:
    """The same law as :func:`sir_final_size_distribution`, by a dense linear solve.

    The embedded jump chain's absorption probabilities ``B`` solve
    ``(I - Q) B = R`` over every transient state ``(s, i)``, enumerated. It is an
    independent cross-check of the dynamic programme (cost ``O(N^6)``: keep
    ``N`` below about 30). Entry ``k`` is the probability that ``k`` of the
    ``s0`` susceptibles are infected in all.
    """
    n = s0 + i0
    transient = [(s, i) for s in range(s0 + 1) for i in range(1, n + 1 - s)]
    index = {state: k for k, state in enumerate(transient)}
    q = np.zeros((len(transient), len(transient)))
    absorb = np.zeros((len(transient), s0 + 1))
    for (s, i), k in index.items():
        p = r0 * s / (r0 * s + n)
        if s > 0:
            q[k, index[(s - 1, i + 1)]] += p
        if i > 1:
            q[k, index[(s, i - 1)]] += 1 - p
        else:
            absorb[k, s0 - s] += 1 - p
    solution = np.linalg.solve(np.eye(len(transient)) - q, absorb)
    return np.asarray(solution[index[(s0, i0)]], dtype=np.float64)
