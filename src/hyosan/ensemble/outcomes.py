"""What a sweep reports at each grid point: :class:`Outcome` s, their means and standard errors.

An outcome is one number per run read off the totals over time
(``"P(outbreak)"``, ``"humans lost"``, ``"final X"``, ``"peak X"``);
:func:`summarize_runs` gives its mean over a point's runs with the standard
error that goes with it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from hyosan._typing import FloatArray
from hyosan.errors import InputError, unknown
from hyosan.interventions import Condition
from hyosan.model import Model
from hyosan.results import Result

__all__ = ["OUTCOME_HELP", "Outcome", "summarize_runs"]

OUTCOME_HELP = (
    '"P(outbreak)", "P(CONDITION)" (e.g. "P(Dh >= 1)"), "humans lost", "final X", '
    '"peak X" or "lost X to INTERVENTION" (X: a compartment, "A + B", "humans" or '
    '"zombies"; INTERVENTION: its name or "interventions[N]")'
)


@dataclass(frozen=True, slots=True)
class Outcome:
    """One number per run, from the totals over time; build one with :meth:`parse`.

    ``kind`` is ``"outbreak"`` (1 if ``condition`` held at some output time,
    t = 0 included, else 0; a peak between output times is not seen: for
    ``"P(outbreak)"`` and any ``"P(CONDITION)"``),
    ``"lost"`` (the total of ``compartments`` at the start minus at the end),
    ``"final"`` (the total at the end), ``"peak"`` (its largest value) or
    ``"toll"`` (what intervention number ``intervention`` took from the total
    over its firings: a strike's toll; 0 in a run where it never fired).
    """

    name: str
    column: str
    kind: str
    compartments: tuple[str, ...]
    condition: Condition | None = None
    intervention: int = -1

    @property
    def probability(self) -> bool:
        """Whether the per-run numbers are 0 or 1, so that their mean is a probability."""
        return self.kind == "outbreak"

    @classmethod
    def parse(
        cls,
        text: str,
        model: Model,
        outbreak: str | None = None,
        *,
        key: str = "outcomes",
        interventions: Sequence[str] = (),
    ) -> Outcome:
        """``"P(outbreak)"`` (with ``outbreak``, e.g. ``"Z >= 10"``), ``"P(CONDITION)"``,
        ``"humans lost"``, ``"final X"``, ``"peak X"`` or ``"lost X to INTERVENTION"``
        (one of ``interventions``, the scenario's names in order, or ``interventions[N]``)."""
        words = text.split(maxsplit=1) if isinstance(text, str) else []
        toll = re.fullmatch(r"lost (.+?) to (.+)", text.strip()) if isinstance(text, str) else None
        if toll is not None:
            names = _group(toll[1], model, key)
            i = _intervention(toll[2].strip(), interventions, key)
            slug = re.sub(r"\W+", "_", toll[1]).strip("_")
            column = f"lost_{slug}_to_intervention_{i}"
            return cls(text, column, "toll", names, intervention=i)
        if text == "P(outbreak)":
            if outbreak is None:
                raise InputError(
                    "P(outbreak) needs an outbreak",
                    key=key,
                    value=text,
                    allowed='a condition like "Z >= 10"',
                )
            cond = Condition.parse(outbreak, key="sweep.outbreak")
            names = _known(cond.compartments, model, "sweep.outbreak")
            return cls(text, "p_outbreak", "outbreak", names, cond)
        condition = re.fullmatch(r"P\((.+)\)", text.strip()) if isinstance(text, str) else None
        if condition is not None:
            cond = Condition.parse(condition[1], key=key)
            names = _known(cond.compartments, model, key)
            column = "p_" + re.sub(r"\W+", "_", condition[1]).strip("_")
            return cls(text, column, "outbreak", names, cond)
        if text == "humans lost":
            if not model.humans:
                raise InputError(
                    f"{model.name} names no humans", key=key, value=text, allowed='e.g. "final S"'
                )
            return cls(text, "humans_lost", "lost", tuple(model.humans))
        if len(words) == 2 and words[0] in ("final", "peak"):
            names = _group(words[1], model, key)
            column = words[0] + "_" + re.sub(r"\W+", "_", words[1])
            return cls(text, column, words[0], names)
        raise unknown("outcome", text, [], key=key, extra=OUTCOME_HELP)

    def per_run(self, result: Result) -> FloatArray:
        """The outcome of each run of ``result``, shape ``(runs,)``."""
        idx = [result.compartments.index(c) for c in self.compartments]
        if self.kind == "toll":
            return _toll(result, self.intervention, idx)
        total = result.counts[:, :, idx].sum(axis=2)
        if self.condition is not None:
            held = self.condition.holds(total).any(axis=1)
            return np.asarray(held, dtype=np.float64)
        if self.kind == "lost":
            return np.asarray(total[:, 0] - total[:, -1])
        return np.asarray(total[:, -1] if self.kind == "final" else total.max(axis=1))


def _group(text: str, model: Model, key: str) -> tuple[str, ...]:
    """``"humans"``, ``"zombies"`` or compartments joined by ``+``, checked."""
    group = {"humans": model.humans, "zombies": model.zombies}.get(text.strip())
    return _known(group or [c.strip() for c in text.split("+")], model, key)


def _intervention(text: str, names: Sequence[str], key: str) -> int:
    """The index of the intervention named ``text`` or written ``interventions[N]``."""
    numbered = re.fullmatch(r"interventions\[(\d+)\]", text)
    if numbered is not None and int(numbered[1]) < len(names):
        return int(numbered[1])
    if text in names:
        return list(names).index(text)
    allowed = [f"interventions[{k}]" for k in range(len(names))] + [f'"{n}"' for n in names]
    raise InputError(
        "no such intervention",
        key=key,
        value=text,
        allowed=", ".join(allowed) if names else "none: the scenario has no interventions",
    )


def _toll(result: Result, i: int, idx: Sequence[int]) -> FloatArray:
    """What intervention ``i`` took from the total of compartments ``idx``, per run."""
    if not result.has("change"):
        raise InputError(
            "this result does not record what its interventions changed",
            key="outcomes",
            value=result.scenario_name,
            allowed="a result of hyosan.simulate",
        )
    change = result.dataset["change"].values[:, i, :]
    return np.asarray(-change[:, list(idx)].sum(axis=1), dtype=np.float64)


def _known(names: Sequence[str], model: Model, key: str) -> tuple[str, ...]:
    for c in names:
        if c not in model.compartments:
            raise unknown("compartment", c, model.compartments, key=key)
    return tuple(names)


def summarize_runs(result: Result, outcomes: Sequence[Outcome]) -> dict[str, float]:
    """Mean and standard error of every outcome over the runs of ``result``.

    The standard error is ``sqrt(p (1 - p) / n)`` for a probability and
    ``sd / sqrt(n)`` (sample sd) for a mean: NaN for one run, 0 for the
    deterministic ODE. At p = 0 or 1 it is 0, yet with no outbreak in n runs
    the probability may still be up to about 3 / n (95%, the "rule of three").
    ``p_outbreak`` is followed by ``outbreaks`` (how many runs had one) and
    ``outbreak_size``: humans lost, over those runs only (NaN when none).
    """
    from hyosan.engines import get_engine

    exact = not get_engine(result.engine).stochastic
    row: dict[str, float] = {}
    for o in outcomes:
        values = o.per_run(result)
        row[o.column], row[f"{o.column}_se"] = _mean_se(values, o.probability, exact)
        if o.column == "p_outbreak" and result.humans:
            hit = values > 0.5
            lost = Outcome("humans lost", "", "lost", result.humans).per_run(result)
            row["outbreaks"] = int(hit.sum())
            row["outbreak_size"], row["outbreak_size_se"] = _mean_se(lost[hit], False, exact)
    return row


def _mean_se(values: FloatArray, probability: bool, exact: bool) -> tuple[float, float]:
    n = values.size
    if n == 0:
        return math.nan, math.nan
    mean = float(values.mean())
    if exact:
        return mean, 0.0
    if probability:
        return mean, math.sqrt(mean * (1.0 - mean) / n)
    return mean, float(values.std(ddof=1)) / math.sqrt(n) if n > 1 else math.nan
