"""``story.md``: what happened in a run, in plain words, from the result alone.

The story follows the typical run (:func:`typical_run`, the median run by
its final humans): its milestones (the first output time each of the
scenario's ``[[milestones]]`` held, and the first zombie), the
interventions as they fired (a strike's toll by compartment), the peak of the
zombies, the people in each camp at the end, the named characters' fates,
and the end. Across an ensemble it adds, for each milestone and intervention,
in how many runs it happened and the median and range of its time, and each
character's survival probability with its standard error. Every number is
read from the result; times are on the output grid.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from hyosan._typing import FloatArray
from hyosan.interventions import Condition, Op
from hyosan.results.tracks import has_characters, has_firings, has_milestones, survival

if TYPE_CHECKING:
    from hyosan.results import Result
    from hyosan.scenario import Scenario
    from hyosan.space import World

__all__ = ["compartment_word", "milestone_times", "story", "typical_run"]

_AOUAD = {
    "S": ("human", "humans"),
    "E": ("bitten", "bitten"),
    "Ez": ("bitten by a hybrid", "bitten by hybrids"),
    "Z": ("zombie", "zombies"),
    "H": ("hybrid", "hybrids"),
    "D": ("dead", "dead"),
    "A": ("soldier", "soldiers"),
}
_WORDS = {"aouad": _AOUAD, "aouad-army": _AOUAD}


def _word(model: str, compartment: str, count: float = 1.0) -> str:
    forms = _WORDS.get(model, {}).get(compartment, (compartment, compartment))
    return forms[0] if count == 1 else forms[1]


def compartment_word(model: str, compartment: str) -> str:
    """The word for one of ``compartment`` in ``model`` (``"zombie"``), else its name."""
    return _word(model, compartment)


def _people(values: FloatArray, comps: tuple[str, ...], model: str) -> str:
    """``"999 humans, 1 bitten"``: the nonzero counts, in words."""
    return ", ".join(
        f"{_n(values[j])} {_word(model, c, values[j])}" for j, c in enumerate(comps) if values[j]
    )


def _n(x: float) -> str:
    """A count in words' company: whole numbers with thousands separators."""
    return f"{x:,.0f}" if abs(x - round(x)) < 1e-9 else f"{x:,.1f}"


def _when(t: float, unit: str) -> str:
    return f"{unit} {t:.1f}" if unit else f"t = {t:.1f}"


def _sums(result: Result, condition: Condition, world: World | None) -> FloatArray:
    """The condition's sum over its region, shape ``(runs, times)``."""
    comps = result.compartments
    idx = [comps.index(c) for c in condition.compartments]
    if condition.where is not None and world is not None and result.in_space:
        patches = condition.where.resolve(world)
        return result.fields[:, :, idx][:, :, :, patches].sum(axis=(2, 3))
    return result.counts[:, :, idx].sum(axis=2)


def milestone_times(result: Result, condition: Condition, world: World | None) -> FloatArray:
    """The first output time at which ``condition`` holds, in each run (NaN if never)."""
    held = condition.holds(_sums(result, condition, world))
    first = np.where(held.any(axis=1), held.argmax(axis=1), -1)
    times = result.times
    return np.array([times[i] if i >= 0 else np.nan for i in first])


def _across(times: FloatArray, unit: str) -> str:
    """``in 18 of 20 runs, median hour 3.2 (hour 1.1 to 7.9)``."""
    done = times[~np.isnan(times)]
    n = len(times)
    if n == 1:
        return ""
    if not len(done):
        return f" (in none of the {n} runs)"
    lo, med, hi = np.min(done), np.median(done), np.max(done)
    return (
        f" (in {len(done)} of {n} runs; median {_when(med, unit)}, "
        f"from {_when(lo, unit)} to {_when(hi, unit)})"
    )


def _toll(change: FloatArray, comps: tuple[str, ...], model: str) -> str:
    """``" It killed 60,000: 10,000 humans, 50,000 zombies."``, when the dead gained."""
    if "D" not in comps or change[comps.index("D")] <= 0:
        return ""
    lost = [(c, -change[j]) for j, c in enumerate(comps) if change[j] < 0]
    parts = ", ".join(f"{_n(v)} {_word(model, c, v)}" for c, v in lost)
    return f" It killed {_n(change[comps.index('D')])}: {parts}."


def _moments(
    result: Result, scenario: Scenario, world: World | None
) -> list[tuple[str, FloatArray]]:
    """Each watched moment's text and first time per run: as recorded, else off the grid."""
    if has_milestones(result):
        ds = result.dataset
        names = [str(n) for n in ds["milestone"].values]
        times = ds["milestone_time"].values
        return [(_cap(n), times[:, i]) for i, n in enumerate(names)]
    checks: list[tuple[str, Condition]] = []
    if scenario.model.zombies:
        checks.append(("the first zombie", Condition(scenario.model.zombies, Op.GE, 1.0)))
    checks += [(m.text, m.when) for m in scenario.milestones]
    return [(_cap(text), milestone_times(result, cond, world)) for text, cond in checks]


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:].rstrip(".")


def typical_run(result: Result) -> int:
    """The run whose final count of humans is the median over runs (the lower one if two)."""
    comps = result.compartments
    idx = [comps.index(c) for c in result.humans] or list(range(len(comps)))
    final = result.counts[:, -1, idx].sum(axis=1)
    return int(np.argsort(final, kind="stable")[(len(final) - 1) // 2])


def story(result: Result, scenario: Scenario) -> str:
    """The Markdown text of ``story.md`` for ``result``, a run of ``scenario``."""
    model = scenario.model.name
    r = typical_run(result)
    lines = [*_opening(result, scenario, r), *_timeline(result, scenario, r)]
    lines += _camps(result, model, r)
    if has_characters(result):
        lines += _characters(result, model, r)
    return "\n".join(lines).rstrip() + "\n"


def _opening(result: Result, scenario: Scenario, r: int) -> list[str]:
    """The title, the scenario's description, what was run and which run is told."""
    lines = [f"# {scenario.name}: what happened", ""]
    if scenario.description:
        lines += [scenario.description, ""]
    follow = (
        f"The timeline follows run {r + 1}, the run whose final count of humans is the "
        "median of all runs; brackets give all runs. "
        if result.runs > 1
        else ""
    )
    return [
        *lines,
        f"{result.runs} run{'s' if result.runs > 1 else ''} with the {result.engine} engine "
        f"(seed {result.seed}), to {_when(result.times[-1], result.time_unit)}. {follow}"
        "Interventions and milestones are timed at the event that set them off; "
        "counts are read on the output grid.",
        "",
        f"## Timeline of run {r + 1}",
        "",
    ]


def _timeline(result: Result, scenario: Scenario, r: int) -> list[str]:
    """Run ``r`` from start to end in time order, then what did not happen in it."""
    unit, model, comps = result.time_unit, scenario.model.name, result.compartments
    world = scenario.world.world if scenario.world is not None else None
    counts, times = result.counts[r], result.times
    events: list[tuple[float, str]] = [
        (times[0], f"The start: {_people(counts[0], comps, model)}.")
    ]
    missed: list[str] = []
    moments = [(text, "", first) for text, first in _moments(result, scenario, world)]
    for text, toll, first in [*moments, *_firings(result, model, r)]:
        if not np.isnan(first[r]):
            events.append((first[r], f"{text}.{toll}{_across(first, unit)}"))
        else:
            missed.append(f"{text}: not in run {r + 1}{_across(first, unit)}.")
    if scenario.model.zombies:
        z = counts[:, [comps.index(c) for c in scenario.model.zombies]].sum(axis=1)
        if z.max() > 1:
            i = int(z.argmax())
            events.append((times[i], f"The zombies at their peak: {_n(z[i])}."))
    events.sort(key=lambda e: e[0])
    lines = [f"- **{_when(t, unit)}.** {text}" for t, text in events]
    end = _people(counts[-1], comps, model)
    lines += [f"- **{_when(times[-1], unit)}, the end.** {end}.", ""]
    if missed:
        lines += [*(f"- {m}" for m in missed), ""]
    return lines


def _firings(result: Result, model: str, r: int) -> list[tuple[str, str, FloatArray]]:
    """Each intervention's text, its toll in run ``r`` and its first time in every run."""
    if not has_firings(result):
        return []
    ds = result.dataset
    fired, change = ds["fired"].values, ds["change"].values
    return [
        (_cap(str(name)), _toll(change[r, i], result.compartments, model), fired[:, i])
        for i, name in enumerate(ds["intervention"].values)
    ]


def _camps(result: Result, model: str, r: int) -> list[str]:
    if not result.in_space:
        return []
    kinds = [str(k) for k in result.dataset["patch_kind"].values]
    linked = set(int(p) for p in result.dataset["edge_src"].values)
    camps = [p for p, k in enumerate(kinds) if k == "camp" and p not in linked]
    if not camps:
        return []
    fields = result.fields
    comps = result.compartments
    out = ["## The camps", ""]
    for p in camps:
        label = str(result.dataset["patch_label"].values[p])
        there = fields[r, -1, :, p]
        who = _people(there, comps, model)
        line = f"- {label}: {_n(there.sum())} people at the end of run {r + 1}"
        line += f" ({who})" if who else ""
        if result.runs > 1:
            all_runs = fields[:, -1, :, p].sum(axis=1)
            line += (
                f"; over all runs, median {_n(float(np.median(all_runs)))} "
                f"(from {_n(all_runs.min())} to {_n(all_runs.max())})"
            )
        out.append(line + ".")
    return [*out, ""]


def _characters(result: Result, model: str, r: int) -> list[str]:
    """Each character's path through run ``r``, then the survival table over all runs."""
    out = ["## The characters", ""]
    if result.engine == "ode":
        out += ["Under the ODE a character is a probability, not a person: see the table.", ""]
    else:
        names = [str(n) for n in result.dataset["character"].values]
        out += [
            f"- **{name}** (run {r + 1}): {_fate(result, model, r, k)}."
            for k, name in enumerate(names)
        ]
        out.append("")
    return [*out, *_survival_table(result, model), ""]


def _fate(result: Result, model: str, r: int, k: int) -> str:
    """Character ``k``'s changes in run ``r``: ``"human in class 2-5; zombie by hour 3.0"``."""
    ds, comps, unit, times = result.dataset, result.compartments, result.time_unit, result.times
    state = ds["character_state"].values[r, :, k, :].argmax(axis=1)
    where = ds["character_patch"].values[r, :, k]
    labels = [str(x) for x in ds["patch_label"].values] if result.in_space else []
    steps = [_word(model, comps[state[0]])]
    if labels and where[0] >= 0:
        steps[0] += f" in {labels[where[0]]}"
    told = where[0]  # the patch last named
    for i in range(1, len(times)):
        if state[i] != state[i - 1]:
            step = f"{_word(model, comps[state[i]])} by {_when(times[i], unit)}"
            if labels and where[i] >= 0:
                step += f" ({labels[where[i]]})"
                told = where[i]
            steps.append(step)
    if labels and where[-1] >= 0 and where[-1] != told:
        steps.append(f"at the end {_word(model, comps[state[-1]])} in {labels[where[-1]]}")
    return "; ".join(steps)


def _survival_table(result: Result, model: str) -> list[str]:
    """Each character's survival with its standard error, and its shares of the end states."""
    comps = result.compartments
    table = survival(result)
    kept = [c for c in str(result.dataset.attrs.get("survivors", "")).split(",") if c]
    runs = f"{result.runs} run{'s' if result.runs > 1 else ''}"
    out = [
        f"Survival over {runs} (ending as {' or '.join(_word(model, c) for c in kept)}; "
        "± one standard error), and how often each ends in each state:",
        "",
        "| character | survived | " + " | ".join(_word(model, c) for c in comps) + " |",
        "| --- | --- | " + " | ".join("---" for _ in comps) + " |",
    ]
    for row in table.itertuples(index=False):
        shares = " | ".join(f"{getattr(row, c):.2f}" for c in comps)
        out.append(f"| {row.character} | {row.survived:.2f} ± {row.se:.2f} | {shares} |")
    if result.engine != "ode" and ((table["survived"] == 0) | (table["survived"] == 1)).any():
        out += [
            "",
            f"A share of 0 or 1 has a standard error of 0; over {result.runs} runs the "
            f"chance of the other outcome is below {min(1.0, 3 / result.runs):.2g} "
            "(95%, the rule of three).",
        ]
    return out
