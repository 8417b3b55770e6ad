"""``story.md``: what happened in a run, in plain words, from the result alone.

The story follows the typical run (:func:`typical_run`, the median run by
its final humans): its milestones (the first output time each of the
scenario's ``[[milestones]]`` held, and the first zombie), the
interventions as they fired (a strike's toll by compartment), the peak of the
zombies, the people in each camp at the end, the named characters' fates,
and the end. Across an ensemble it adds, for each milestone and intervention,
in how many runs it happened and the median and range of its time, each
recorded moment's chance with its standard error, and each character's
survival probability with its standard error. Where the model names its
hybrids (``aouad-camp``), it tells whether they survived: in the told run,
and over runs the chance that all of them did and the mean share alive at
the end (:mod:`hyosan.results.fates`). Every number is read from the
result; times are on the output grid.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from hyosan._typing import FloatArray
from hyosan.interventions import Condition, Op
from hyosan.io.words import cap, compartment_word, count, people, when, word
from hyosan.results.fates import hybrid_fates, moment_chances
from hyosan.results.tracks import has_characters, has_firings, has_milestones, survival

if TYPE_CHECKING:
    from hyosan.results import Result
    from hyosan.scenario import Scenario
    from hyosan.space import World

__all__ = ["compartment_word", "milestone_times", "story", "typical_run"]


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
        f" (in {len(done)} of {n} runs; median {when(med, unit)}, "
        f"from {when(lo, unit)} to {when(hi, unit)})"
    )


def _toll(change: FloatArray, comps: tuple[str, ...], model: str) -> str:
    """``" It killed 60,000: 10,000 humans, 50,000 zombies."``, when the dead gained."""
    if "D" not in comps or change[comps.index("D")] <= 0:
        return ""
    lost = [(c, -change[j]) for j, c in enumerate(comps) if change[j] < 0]
    parts = ", ".join(f"{count(v)} {word(model, c, v)}" for c, v in lost)
    return f" It killed {count(change[comps.index('D')])}: {parts}."


def _moments(
    result: Result, scenario: Scenario, world: World | None
) -> list[tuple[str, FloatArray]]:
    """Each watched moment's text and first time per run: as recorded, else off the grid."""
    if has_milestones(result):
        ds = result.dataset
        names = [str(n) for n in ds["milestone"].values]
        times = ds["milestone_time"].values
        return [(cap(n), times[:, i]) for i, n in enumerate(names)]
    checks: list[tuple[str, Condition]] = []
    if scenario.model.zombies:
        checks.append(("the first zombie", Condition(scenario.model.zombies, Op.GE, 1.0)))
    checks += [(m.text, m.when) for m in scenario.milestones]
    return [(cap(text), milestone_times(result, cond, world)) for text, cond in checks]


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
    lines += _chances(result)
    lines += _hybrids(result, scenario, r)
    if has_characters(result):
        lines += _characters(result, model, r)
    return "\n".join(lines).rstrip() + "\n"


def _rule_of_three(runs: int) -> str:
    return (
        f"A share of 0 or 1 has a standard error of 0; over {runs} runs the chance of the "
        f"other outcome is below {min(1.0, 3 / runs):.2g} (95%, the rule of three)."
    )


def _chances(result: Result) -> list[str]:
    """How often each recorded moment came over the runs, with its standard error."""
    rows = moment_chances(result)
    if result.runs < 2 or result.engine == "ode" or not rows:
        return []
    out = [
        f"## How often, over {result.runs} runs",
        "",
        "The chance of each moment (the share of runs it came in), ± one standard error:",
        "",
        "| moment | runs | chance |",
        "| --- | ---: | ---: |",
    ]
    out += [f"| {cap(text)} | {n} | {c.text()} |" for text, n, c in rows]
    if any(n in (0, result.runs) for _, n, _ in rows):
        out += ["", _rule_of_three(result.runs)]
    return [*out, ""]


def _hybrids(result: Result, scenario: Scenario, r: int) -> list[str]:
    """Whether the hybrids survived: in run ``r``, then over all runs."""
    model = scenario.model
    fates = hybrid_fates(result, model.hybrids, model.surviving)
    if fates is None:
        return []
    out = ["## The hybrids", ""]
    every, share = fates.over_runs()
    if result.engine == "ode":
        return [
            *out,
            f"- **Expected (ODE):** {share.value:.2f} of the hybrids alive at the end.",
            "",
        ]
    alive = tuple(c for c in model.hybrids if c in model.surviving)
    end = result.counts[r, -1, [result.compartments.index(c) for c in alive]]
    who = people(end, alive, model.name)
    start = fates.start[r]
    out.append(
        f"- **Run {r + 1}:** {count(start)} hybrid{'' if start == 1 else 's'} at the start; "
        f"at the end {count(fates.alive[r])} alive{f' ({who})' if who else ''}, "
        f"{count(fates.killed[r])} killed."
    )
    if result.runs > 1:
        n, runs = round(every.value * result.runs), result.runs
        bound = ""
        if n in (0, runs):  # a share of 0 or 1 has a standard error of 0
            bound = f"; the other outcome's chance is still up to {min(1.0, 3 / runs):.2g}"
        out.append(
            f"- **Over {runs} runs** (± one standard error): every hybrid survived in {n} of "
            f"{runs} runs ({every.text()}{bound}); the share of a run's hybrids alive at the "
            f"end (those at the start and any newly turned) averages {share.text()}."
        )
    return [*out, ""]


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
        f"(seed {result.seed}), to {when(result.times[-1], result.time_unit)}. {follow}"
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
    events: list[tuple[float, str]] = [(times[0], f"The start: {people(counts[0], comps, model)}.")]
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
            events.append((times[i], f"The zombies at their peak: {count(z[i])}."))
    events.sort(key=lambda e: e[0])
    lines = [f"- **{when(t, unit)}.** {text}" for t, text in events]
    end = people(counts[-1], comps, model)
    lines += [f"- **{when(times[-1], unit)}, the end.** {end}.", ""]
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
        (cap(str(name)), _toll(change[r, i], result.compartments, model), fired[:, i])
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
        who = people(there, comps, model)
        line = f"- {label}: {count(there.sum())} people at the end of run {r + 1}"
        line += f" ({who})" if who else ""
        if result.runs > 1:
            all_runs = fields[:, -1, :, p].sum(axis=1)
            line += (
                f"; over all runs, median {count(float(np.median(all_runs)))} "
                f"(from {count(all_runs.min())} to {count(all_runs.max())})"
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
    steps = [word(model, comps[state[0]])]
    if labels and where[0] >= 0:
        steps[0] += f" in {labels[where[0]]}"
    told = where[0]  # the patch last named
    for i in range(1, len(times)):
        if state[i] != state[i - 1]:
            step = f"{word(model, comps[state[i]])} by {when(times[i], unit)}"
            if labels and where[i] >= 0:
                step += f" ({labels[where[i]]})"
                told = where[i]
            steps.append(step)
    if labels and where[-1] >= 0 and where[-1] != told:
        steps.append(f"at the end {word(model, comps[state[-1]])} in {labels[where[-1]]}")
    return "; ".join(steps)


def _survival_table(result: Result, model: str) -> list[str]:
    """Each character's survival with its standard error, and its shares of the end states."""
    comps = result.compartments
    table = survival(result)
    kept = [c for c in str(result.dataset.attrs.get("survivors", "")).split(",") if c]
    runs = f"{result.runs} run{'s' if result.runs > 1 else ''}"
    out = [
        f"Survival over {runs} (ending as {' or '.join(word(model, c) for c in kept)}; "
        "± one standard error), and how often each ends in each state:",
        "",
        "| character | survived | " + " | ".join(word(model, c) for c in comps) + " |",
        "| --- | --- | " + " | ".join("---" for _ in comps) + " |",
    ]
    for row in table.itertuples(index=False):
        shares = " | ".join(f"{getattr(row, c):.2f}" for c in comps)
        out.append(f"| {row.character} | {row.survived:.2f} ± {row.se:.2f} | {shares} |")
    if result.engine != "ode" and ((table["survived"] == 0) | (table["survived"] == 1)).any():
        out += ["", _rule_of_three(result.runs)]
    return out
