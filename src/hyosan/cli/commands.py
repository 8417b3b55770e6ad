"""The ``hyosan`` commands: list, run, validate, plot (DESIGN.md's contract)."""

from __future__ import annotations

import contextlib
import math
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from hyosan.cli.main import guarded
from hyosan.cli.progress import LazyProgress
from hyosan.errors import InputError

if TYPE_CHECKING:
    from hyosan.results import Result
    from hyosan.scenario import Scenario

__all__ = ["app"]

app = typer.Typer(
    name="hyosan",
    help="Zombie outbreaks from a classroom to a continent.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True)

ScenarioArg = Annotated[
    str, typer.Argument(help="A scenario .toml file or the name of a built-in scenario.")
]


@app.command("list")
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


@app.command()
@guarded
def run(
    scenario: ScenarioArg,
    engine: Annotated[str | None, typer.Option(help="ode, ssa or tau.")] = None,
    # --seed, --runs and --t-end are read by _prepare, so that a bad value gets
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
        Path | None, typer.Option("--out", help="Write totals, summary and scenario here.")
    ] = None,
) -> None:
    """Run a scenario and print a summary; with --out, write its results."""
    from hyosan.ensemble import simulate
    from hyosan.results import summarize

    sc = _prepare(scenario, engine, seed, runs, t_end, set_ or [])
    if out_dir is not None:
        _check_out(out_dir)
    n_runs = sc.runs if sc.engine != "ode" else 1
    _say_if_compiling(sc)
    with LazyProgress(err, total=n_runs * sc.time.end, label=f"{sc.name} ({sc.engine})") as bar:
        result = simulate(sc, progress=lambda i, t, _e: bar.update(i * sc.time.end + t))
    summary = summarize(result)
    _print_summary(summary)
    _print_characters(result)
    if out_dir is not None:
        from hyosan.io import save_result
        from hyosan.results.story import story

        with writing(out_dir, "the results"):
            path = save_result(result, out_dir, texts={"story.md": story(result, sc)})
        files = ", ".join(sorted(f.name for f in path.iterdir() if not f.name.startswith(".")))
        out.print(f"wrote [bold]{path}[/]: {files}")


@app.command()
@guarded
def validate(scenario: ScenarioArg) -> None:
    """Check a scenario file and say what it describes; run nothing."""
    from hyosan.scenario import load_scenario

    sc = load_scenario(scenario)
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


@contextlib.contextmanager
def writing(out_dir: Path, what: str) -> Iterator[None]:
    """Turn a failure to write into ``out_dir`` into bad input on ``--out``."""
    try:
        yield
    except OSError as e:
        raise InputError(
            f"cannot write {what}: {e.strerror or e}",
            source="--out",
            value=str(out_dir),
            allowed="a folder you can write to",
        ) from None


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


def _gib(n_bytes: float) -> str:
    return f"{n_bytes / 2**30:.2f} GiB" if n_bytes >= 2**28 else f"{n_bytes / 2**20:.0f} MiB"


@app.command()
@guarded
def plot(
    directory: Annotated[Path, typer.Argument(help="A folder written by `hyosan run --out`.")],
) -> None:
    """Draw the pictures of a finished run into its folder (maps too, for runs in space)."""
    from hyosan.io import load_result
    from hyosan.viz import save_character_plots, save_map_plots, save_plots

    result = load_result(directory)
    for path in [*save_plots(result, directory), *save_character_plots(result, directory)]:
        out.print(f"wrote [bold]{path}[/]")
    if result.in_space:
        out.print("drawing the map and the animation of the first run ...")
        for path in save_map_plots(result, directory):
            out.print(f"wrote [bold]{path}[/]")


def _check_out(out_dir: Path) -> None:
    """Refuse an --out that cannot become a result folder before anything runs."""
    for folder in (out_dir, *out_dir.absolute().parents):
        if not folder.exists():
            continue
        if not folder.is_dir():
            raise InputError(
                "not a folder" if folder == out_dir else f"{folder} is a file, not a folder",
                source="--out",
                value=str(out_dir),
                allowed="a folder (created if missing)",
            )
        if not os.access(folder, os.W_OK | os.X_OK):
            raise InputError(
                f"cannot write in {folder}",
                source="--out",
                value=str(out_dir),
                allowed="a folder you can write to",
            )
        return


def _prepare(
    source: str,
    engine: str | None,
    seed_text: str | None,
    runs_text: str | None,
    t_end_text: str | None,
    sets: list[str],
) -> Scenario:
    from hyosan.scenario import ENGINES, load_scenario

    sc = load_scenario(source)
    if engine is not None and engine not in ENGINES:
        raise InputError(
            "unknown engine", source="--engine", value=engine, allowed=", ".join(ENGINES)
        )
    runs = _parse_int(runs_text, "--runs", "at least one run", "an integer >= 1", low=1)
    seed = _parse_int(
        seed_text,
        "--seed",
        "a seed is a whole number from 0 to 2**63 - 1",
        "an integer from 0 to 9223372036854775807",
        low=0,
        high=2**63 - 1,
    )
    t_end = _parse_float(t_end_text, "--t-end")
    if t_end is not None and not (0 < t_end < math.inf):
        raise InputError(
            "the end time must be positive", source="--t-end", value=t_end, allowed="a number > 0"
        )
    overrides = dict(_parse_set(s) for s in sets)
    if overrides:
        # --set S=0.5 is fine with --engine ode even when the scenario asks for
        # ssa (whose counts are whole): check the overrides with the engine that runs.
        base = sc.replace(engine="ode") if engine == "ode" else sc
        sc = base.with_overrides(overrides)
    changes: dict[str, object] = {}
    if engine is not None:
        changes["engine"] = engine
    if seed is not None:
        changes["seed"] = seed
    if runs is not None:
        changes["runs"] = runs
    if t_end is not None:
        changes["time"] = type(sc.time)(end=t_end, points=sc.time.points, unit=sc.time.unit)
    if changes:
        try:
            sc = sc.replace(**changes)
        except InputError as e:
            raise InputError(
                e.problem,
                source=f"{source} with the options given",
                key=e.key,
                value=e.value,
                allowed=e.allowed,
            ) from None
    return sc


def _parse_int(
    text: str | None, option: str, problem: str, allowed: str, *, low: int, high: int | None = None
) -> int | None:
    """``--runs 3``: a whole number from ``low`` to ``high``, or None when the option is absent."""
    if text is None:
        return None
    try:
        value = int(text.strip())
    except ValueError:
        raise InputError("not a whole number", source=option, value=text, allowed=allowed) from None
    if value < low or (high is not None and value > high):
        raise InputError(problem, source=option, value=value, allowed=allowed)
    return value


def _parse_float(text: str | None, option: str) -> float | None:
    """``--t-end 5``: a number, or None when the option is absent."""
    if text is None:
        return None
    try:
        return float(text)
    except ValueError:
        raise InputError(
            "not a number", source=option, value=text, allowed="a number > 0, e.g. 10 or 2.5"
        ) from None


def _say_if_compiling(sc: Scenario) -> None:
    from hyosan.engines import get_engine
    from hyosan.engines.compile_cache import needs_compiling
    from hyosan.model import compile_model

    engine = sc.engine
    model = compile_model(sc.model, sc.parameters) if sc.world is None else None
    if needs_compiling(get_engine(engine), model, in_space=sc.world is not None):
        err.print(
            f"compiling the {engine} kernel: the first run on this machine takes 10 to 30 s "
            "longer; later runs load it from the cache"
        )


def _parse_set(text: str) -> tuple[str, float]:
    name, sep, value = text.partition("=")
    try:
        if not sep or not name.strip():
            raise ValueError
        return name.strip(), float(value)
    except ValueError:
        raise InputError(
            "cannot read this override",
            source="--set",
            value=text,
            allowed="NAME=NUMBER, e.g. --set beta=2.5 or --set Z=10",
        ) from None


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
