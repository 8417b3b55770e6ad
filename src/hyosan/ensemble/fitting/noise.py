"""Observation models: how observed counts scatter about the model's counts.

``poisson``: a count ``y`` observed where the model gives ``mu`` is
Poisson(``mu``). ``negbin``: negative binomial with mean ``mu`` and size
``k`` (variance ``mu + mu**2 / k``), ``k`` fitted with the keys.

The residuals handed to :func:`scipy.optimize.least_squares` have squares
that sum to twice the negative log-likelihood plus a constant, so least
squares on them is maximum likelihood, for ``k`` too:

- one per observation, the signed root of its deviance (Poisson's, or the
  negative binomial's at the current ``k``), 0 where ``mu = y`` and smooth
  there, so Gauss-Newton steps work well;
- for the negative binomial, one more: the root of twice what the
  saturated fits lose, summed, between the negative binomial of size ``k``
  and Poisson. A negative binomial is a mixture of Poissons, so its
  likelihood of ``y`` never exceeds Poisson(``y``)'s and the root is real.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from scipy.special import gammaln, xlogy

from hyosan._typing import FloatArray

__all__ = ["NOISES", "Noise", "deviance_residuals", "neg_log_likelihood"]

Noise = Literal["poisson", "negbin"]
NOISES: tuple[Noise, ...] = ("poisson", "negbin")

_FLOOR = 1e-9
"""The least mean a count is compared with: a model count of 0 against an observed
count above 0 is then very unlikely, not impossible (which would stop the search)."""


def _log_nb(y: FloatArray, mu: FloatArray, k: float) -> FloatArray:
    """log NB(y; mean mu, size k)."""
    return (
        gammaln(y + k) - gammaln(k) - gammaln(y + 1.0)
        + k * np.log(k / (k + mu)) + xlogy(y, mu / (k + mu))
    )  # fmt: skip


def _log_poisson_saturated(y: FloatArray) -> FloatArray:
    return xlogy(y, y) - y - gammaln(y + 1.0)


def _deviances(y: FloatArray, mu: FloatArray, k: float | None) -> FloatArray:
    """Each observation's deviance against its saturated fit (same ``k``), >= 0."""
    if k is None:
        return 2.0 * np.maximum(mu - y + xlogy(y, y / mu), 0.0)
    return 2.0 * np.maximum(xlogy(y, y / mu) - (y + k) * np.log((y + k) / (mu + k)), 0.0)


def deviance_residuals(y: FloatArray, mu: FloatArray, k: float | None = None) -> FloatArray:
    """Residuals of the observed ``y`` against ``mu`` (``k``: negative binomial, one more)."""
    mu = np.maximum(mu, _FLOOR)
    signed = np.sign(y - mu) * np.sqrt(_deviances(y, mu, k))
    if k is None:
        return signed
    lost = float(np.sum(_log_poisson_saturated(y) - _log_nb(y, y, k)))
    return np.append(signed, np.sqrt(2.0 * max(lost, 0.0)))


def neg_log_likelihood(y: FloatArray, mu: FloatArray, k: float | None = None) -> float:
    """The negative log-likelihood of ``y`` given ``mu`` (Poisson, or NB of size ``k``)."""
    r = deviance_residuals(y, mu, k)
    return float(r @ r / 2.0 - np.sum(_log_poisson_saturated(y)))
