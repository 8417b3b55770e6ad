"""Analytic companions of the Munz et al. (2009) zombie models.

Everything here is written by hand from the paper's equations, independently
of hyosan's engines, so that the engines can be checked against it.
Parameters are passed as a mapping named like the built-in ``munz-*`` models
(``Pi, delta, beta, alpha, zeta, rho, kappa, sigma, gamma, c``); a mechanism
a model lacks (``kappa``, ``sigma``, ``gamma``, ``c``) may be left out and is
then 0. :data:`PRINTED` holds the paper's printed values, in its units
(mass-action rates per thousand people, time in days).

- :mod:`~hyosan.analytic.munz.equations`: the models' right-hand sides and
  Jacobians, and :data:`PRINTED`.
- :mod:`~hyosan.analytic.munz.stability`: equilibria, their eigenvalues, the
  cure model's coexistence state, and how a perturbation grows along a
  solution.
- :mod:`~hyosan.analytic.munz.quarantine`: the quarantine model's ``R0``,
  early growth rate, extinction probability, exact outbreak chain and final
  size.

Every name is importable from here (``hyosan.analytic.munz.quarantine_r0``).

References
----------
.. [1] P. Munz, I. Hudea, J. Imad, R. J. Smith?, "When zombies attack!:
   Mathematical modelling of an outbreak of zombie infection", in Infectious
   Disease Modelling Research Progress, Nova Science, 2009, pp. 133-150.
"""

from __future__ import annotations

from hyosan.analytic.munz import equations, quarantine, stability
from hyosan.analytic.munz.equations import *  # noqa: F403
from hyosan.analytic.munz.quarantine import *  # noqa: F403
from hyosan.analytic.munz.stability import *  # noqa: F403

__all__: list[str] = []
__all__ += equations.__all__
__all__ += stability.__all__
__all__ += quarantine.__all__
