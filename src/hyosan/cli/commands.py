"""The ``hyosan`` commands list, run, validate and plot (DESIGN.md's contract).

:mod:`hyosan.cli.main` puts them on the app, with ``hyosan sweep``
(:mod:`hyosan.cli.sweep`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from hyosan.cli.distributed import Spread, keeping, open_parts
from hyosan.cli.options import MaxEvents, Resume, Scheduler, Workers, parse_max_events, prepare
from hyosan.cli.progress import LazyProgress
from hyosan.cli.shared import (
    ScenarioArg,
    err,
    guarded,
    out,
    out_path,
    say_compiling,
    say_pictures_removed,
    writing,
)

if TYPE_CHECKING:
    from hyosan.io.parts import Parts
    from hyosan.results import Result
    from hyosan.results.fates import HybridFates
    from hyosan.scenario import Scenario

__all__ = ["list_", "plot", "run", "validate"]


@guarded
def list_() -> None:
    """List the built-in models and scenarios."""
    from hyosan.model import BUILTIN_MODELS, builtin_model
    from hyosan.scenario import list_scenarios

    table = Table(title="built-in scenarios (hyosan run NAME)")
    table.add_column("scenario", style="bold")
    table.add_column("description")
    for name, description in list_scenarios():
        table.add_row(name, description)
    out.print(table)
    table = Table(title='built-in models (model = "NAME" in a scenario)')
    table.add_column("model", style="bold")
    table.add_column("compartments")
    table.add_column("description")
    for name in BUILTIN_MODELS:
        m = builtin_model(name)
        table.add_row(name, " ".join(m.compartments), m.description)
    out.print(table)


@guarded
def run(
    scenario: ScenarioArg,
    engine: Annotated[str | None, typer.Option(help="ode, ssa or tau.")] = None,
    # --seed, --runs and --t-end are read by prepare, so that a bad value gets
    # the same one-line message as any other bad input.
    seed: Annotated[
        str | None, typer.Option(metavar="N", help="Seed of the random numbers.")
    ] = None,
    runs: Annotated[
        str | None, typer.Option(metavar="N", help="Number of stochastic runs.")
    ] = None,
    t_end: Annotated[
        str | None, typer.Option(metavar="T", help="End time (in the scenario's unit).")
    ] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="Override a parameter or initial count: NAME=VALUE."),
    ] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out", metavar="DIR", parser=out_path, help="Write totals, summary and scenario here."
        ),
    ] = None,
    max_events: MaxEvents = None,
    workers: Workers = None,
    scheduler: Scheduler = None,
    resume: Resume = False,
) -> None:
    """Run a scenario and print a summary; with --out, write its results."""
    limit = parse_max_events(max_events)
    spread = Spread.parse(workers, scheduler)
    notes: list[str] = []
    sc = prepare(scenario, engine, seed, runs, t_end, set_ or [], notes)
    with spread.opening() as opening:  # the cluster starts while this goes on
        from hyosan.ensemble import simulate
        from hyosan.results import summarize

        parts, sc = open_parts(out_dir, "run", resume, sc, seed_given=seed is not None)
        with (
            keeping(parts, out_dir),
            LazyProgress(err, total=1.0, label=f"{sc.name} ({sc.engine})") as bar,
        ):
            result = simulate(
                sc,
                client=opening.client(),
                progress=bar.runs,
                compiling=say_compiling,
                max_events=limit,
                store=parts,
            )
        opening.close_soon()  # the workers stop while the files are written
        summary = summarize(result)
        for note in notes:
            err.print(note)
        _print_summary(summary)
        _print_fates(result, sc)
        _print_characters(result)
        if out_dir is not None:
            _write(result, sc, out_dir, parts)


def _write(result: Result, sc: Scenario, out_dir: Path, parts: Parts | None) -> None:
    """The result folder, all or nothing; then the parts of the run go."""
    from hyosan.io import save_result
    from hyosan.io.output import pictures_in
    from hyosan.io.story import story

    old_pictures = pictures_in(out_dir)  # a new result removes them
    with writing(out_dir, "the results", kept=parts is not None):
        path = save_result(result, out_dir, texts={"story.md": story(result, sc)})
    if parts is not None:
        parts.remove()
    files = ", ".join(sorted(f.name for f in path.iterdir() if not f.name.startswith(".")))
    out.print(f"wrote [bold]{path}[/]: {files}")
    say_pictures_removed(out_dir, old_pictures)


@guarded
def validate(scenario: ScenarioArg) -> None:
    """Check a scenario file and say what it describes; run nothing."""
    from hyosan.scenario import load_scenario
    from hyosan.scenario.sizes import check_sizes

    sc = load_scenario(scenario)
    check_sizes(sc)  # what `hyosan run` refuses before it runs
    m = sc.model
    out.print(
        f"[green]ok[/]: {sc.name}: model {m.name} ({', '.join(m.compartments)}), "
        f"{len(m.reactions)} reactions, {len(sc.interventions)} interventions, "
        f"engine {sc.engine}, {sc.runs} run(s), t = 0..{sc.time.end:g} {sc.time.unit}"
    )
    if sc.world is not None:
        w = sc.world.world
        people = sum(sc.initial.values())
        out.print(
            f"    world {w.name}: {w.n_patches:,} patches, {w.n_edges:,} edges, "
            f"{people:,.0f} people; counts per patch need "
            f"{_gib(sc.runs * sc.time.points * w.n_patches * len(m.compartments) * 8)}"
        )
    if sc.characters or sc.milestones:
        who = ", ".join(c.name for c in sc.characters) or "none"
        out.print(f"    characters: {who}; {len(sc.milestones)} milestone(s) for story.md")


def _print_characters(result: Result) -> None:
    """The characters' survival, as a table, when the scenario follows any."""
    from hyosan.results.tracks import has_characters, survival

    if not has_characters(result):
        return
    frame = survival(result)
    table = Table(title=f"characters: survival over {result.runs} run(s), ± one standard error")
    table.add_column("character")
    table.add_column("survived", justify="right")
    ends = [c for c in result.compartments if frame[c].max() > 0]  # where anyone ended
    for c in ends:
        table.add_column(f"ends {c}", justify="right")
    for row in frame.itertuples(index=False):
        shares = [f"{getattr(row, c):.2f}" for c in ends]
        table.add_row(str(row.character), f"{row.survived:.2f} ± {row.se:.2f}", *shares)
    out.print(table)


def _print_fates(result: Result, sc: Scenario) -> None:
    """How often each moment came and whether the hybrids survived, ± one standard error."""
    from hyosan.results.fates import hybrid_fates, moment_chances

    fates = hybrid_fates(result, sc.model.hybrids, sc.model.surviving)
    if result.engine == "ode" or result.runs == 1:  # no chances across runs
        if fates is not None:
            out.print(_hybrids_line(fates))
        return
    rows = [(text, str(n), chance.text()) for text, n, chance in moment_chances(result)]
    if fates is not None:
        every, share = fates.over_runs()
        rows += [
            ("every hybrid survived", str(round(every.value * result.runs)), every.text()),
            ("share of the hybrids alive at the end (mean)", "", share.text()),
        ]
    if not rows:
        return
    table = Table(title=f"over {result.runs} runs: chances, ± one standard error")
    table.add_column("moment")
    table.add_column("runs", justify="right")
    table.add_column("chance", justify="right")
    for row in rows:
        table.add_row(*row)
    out.print(table)


def _hybrids_line(fates: HybridFates) -> str:
    """The hybrids of one run, or under the ODE their expected share alive."""
    if not fates.stochastic:
        return f"hybrids: expected share alive at the end {fates.over_runs()[1].value:.2f}"
    return (
        f"hybrids: {fates.start[0]:g} at the start, {fates.alive[0]:g} alive at the end, "
        f"{fates.killed[0]:g} killed"
    )


def _gib(n_bytes: float) -> str:
    return f"{n_bytes / 2**30:.2f} GiB" if n_bytes >= 2**28 else f"{n_bytes / 2**20:.0f} MiB"


@guarded
def plot(
    directory: Annotated[Path, typer.Argument(help="A folder written by `hyosan run --out`.")],
) -> None:
    """Draw the pictures of a finished run into its folder (maps too, for runs in space)."""
    from hyosan.io import load_result
    from hyosan.viz import save_character_plots, save_map_plots, save_plots

    result = load_result(directory)  # refuses result files that link out of the folder
    with writing(directory, "the pictures", option=""):  # each picture whole or not at all
        for path in [*save_plots(result, directory), *save_character_plots(result, directory)]:
            out.print(f"wrote [bold]{path}[/]")
        if result.in_space:
            out.print("drawing the map and the animation of the first run ...")
            for path in save_map_plots(result, directory):
                out.print(f"wrote [bold]{path}[/]")


def _print_summary(summary: dict[str, Any]) -> None:
    agg = summary["aggregate"]
    runs = summary["runs"]
    table = Table(
        title=f"{summary['scenario']}: {summary['engine']}, {runs} run(s), seed {summary['seed']}"
    )
    table.add_column("compartment")
    table.add_column("final (mean)", justify="right")
    if runs > 1:
        table.add_column("final (sd)", justify="right")
    for name, mean in agg["final_mean"].items():
        row = [name, f"{mean:,.1f}"]
        if runs > 1:
            row.append(f"{agg['final_sd'][name]:,.1f}")
        table.add_row(*row)
    out.print(table)
    unit = summary.get("time_unit", "")
    peak_t = agg.get("peak_zombies_time_mean")
    out.print(
        f"peak zombies {agg['peak_zombies_mean']:,.1f} at t = "
        f"{peak_t if peak_t is None else round(peak_t, 3)} {unit} (mean over runs); "
        f"zombies took over in {agg['takeover_fraction']:.1%} of runs"
        + (f" (± {agg['takeover_fraction_se']:.1%})" if runs > 1 else "")
    )
