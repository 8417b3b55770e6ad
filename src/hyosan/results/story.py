"""``story.md``: what happened in a run, in plain words, from the result alone.

The story follows the first run: its milestones (the first output time each
of the scenario's ``[[milestones]]`` held, and the first zombie), the
interventions as they fired (a strike's toll by compartment), the peak of the
zombies, the people in each camp at the end, the named characters' fates,
and the end. Across an ensemble it adds, for each milestone and intervention,
in how many runs it happened and the median and range of its time, and each
character's survival probability with its standard error. Every number is
read from the result; times are on the output grid.
"""

from __future__ import annotations

import numpy as np

from hyosan._typing import FloatArray
from hyosan.interventions import Condition
from hyosan.results.result import Result
from hyosan.results.tracks import has_characters, has_firings, has_milestones, survival
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
    s = _sums(result, condition, world)
    t = condition.threshold
    held = {"<": s < t, "<=": s <= t, ">": s > t, ">=": s >= t}[condition.op]
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
        checks.append(("the first zombie", Condition(scenario.model.zombies, ">=", 1.0)))
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
    unit = result.time_unit
    model = scenario.model.name
    comps = result.compartments
    world = scenario.world.world if scenario.world is not None else None
    r = typical_run(result)
    counts = result.counts[r]
    times = result.times
    lines = [f"# {scenario.name}: what happened", ""]
    if scenario.description:
        lines += [scenario.description, ""]
    follow = (
        f"The timeline follows run {r + 1}, the run whose final count of humans is the "
        "median of all runs; brackets give all runs. "
        if result.runs > 1
        else ""
    )
    lines += [
        f"{result.runs} run{'s' if result.runs > 1 else ''} with the {result.engine} engine "
        f"(seed {result.seed}), to {_when(times[-1], unit)}. {follow}"
        "Interventions and milestones are timed at the event that set them off; "
        "counts are read on the output grid.",
        "",
        f"## Timeline of run {r + 1}",
        "",
    ]
    events: list[tuple[float, str]] = [
        (times[0], f"The start: {_people(counts[0], comps, model)}.")
    ]
    zombies = scenario.model.zombies
    missed: list[str] = []
    for text, first in _moments(result, scenario, world):
        if not np.isnan(first[r]):
            events.append((first[r], f"{text}.{_across(first, unit)}"))
        else:
            missed.append(f"{text}: not in run {r + 1}{_across(first, unit)}.")
    if has_firings(result):
        ds = result.dataset
        fired, change = ds["fired"].values, ds["change"].values
        for i, name in enumerate(str(n) for n in ds["intervention"].values):
            text = _cap(name)
            if not np.isnan(fired[r, i]):
                toll = _toll(change[r, i], comps, model)
                events.append((fired[r, i], f"{text}.{toll}{_across(fired[:, i], unit)}"))
            else:
                missed.append(f"{text}: not in run {r + 1}{_across(fired[:, i], unit)}.")
    if zombies:
        z = counts[:, [comps.index(c) for c in zombies]].sum(axis=1)
        if z.max() > 1:
            i = int(z.argmax())
            events.append((times[i], f"The zombies at their peak: {_n(z[i])}."))
    events.sort(key=lambda e: e[0])
    lines += [f"- **{_when(t, unit)}.** {text}" for t, text in events]
    end = _people(counts[-1], comps, model)
    lines += [f"- **{_when(times[-1], unit)}, the end.** {end}.", ""]
    if missed:
        lines += [*(f"- {m}" for m in missed), ""]
    lines += _camps(result, model, r)
    if has_characters(result):
        lines += _characters(result, model, r)
    return "\n".join(lines).rstrip() + "\n"


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
    ds = result.dataset
    comps = result.compartments
    unit = result.time_unit
    times = result.times
    states = ds["character_state"].values[r]  # (times, K, C)
    where = ds["character_patch"].values[r]
    labels = [str(x) for x in ds["patch_label"].values] if result.in_space else []
    out = ["## The characters", ""]
    if result.engine == "ode":
        out += ["Under the ODE a character is a probability, not a person: see the table.", ""]
    else:
        for k, name in enumerate(str(n) for n in ds["character"].values):
            state = states[:, k, :].argmax(axis=1)
            steps = [_word(model, comps[state[0]])]
            if labels and where[0, k] >= 0:
                steps[0] += f" in {labels[where[0, k]]}"
            told = where[0, k]  # the patch last named
            for i in range(1, len(times)):
                if state[i] != state[i - 1]:
                    step = f"{_word(model, comps[state[i]])} by {_when(times[i], unit)}"
                    if labels and where[i, k] >= 0:
                        step += f" ({labels[where[i, k]]})"
                        told = where[i, k]
                    steps.append(step)
            if labels and where[-1, k] >= 0 and where[-1, k] != told:
                steps.append(
                    f"at the end {_word(model, comps[state[-1]])} in {labels[where[-1, k]]}"
                )
            out.append(f"- **{name}** (run {r + 1}): " + "; ".join(steps) + ".")
        out.append("")
    table = survival(result)
    kept = [c for c in str(ds.attrs.get("survivors", "")).split(",") if c]
    runs = f"{result.runs} run{'s' if result.runs > 1 else ''}"
    out += [
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
    return [*out, ""]
