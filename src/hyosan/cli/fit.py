"""``hyosan fit``: the values of scenario keys that explain observed counts.

It prints a table (each key's estimate and 95% interval) and, with ``--out``,
writes ``fit.json``, ``fit.md``, ``scenario.toml`` with the fitted values,
``posterior.parquet`` (abc) (:mod:`hyosan.io.fit`) and ``fit.png``
(:mod:`hyosan.viz.fit`). :mod:`hyosan.cli.main` puts it on the app.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from hyosan.cli.distributed import Spread
from hyosan.cli.options import Scheduler, Workers, parse_count, prepare
from hyosan.cli.shared import ScenarioArg, check_out, err, guarded, out_path, writing
from hyosan.errors import InputError, unknown

if TYPE_CHECKING:
    from collections.abc import Callable

    from hyosan.ensemble.fitting import FitResult

__all__ = ["fit"]

_FIT_HELP = "KEY=LOW:HIGH, e.g. --fit beta=0.1:5 --fit initial.I=1:100"

Data = Annotated[
    Path,
    typer.Option(
        "--data",
        metavar="FILE.csv",
        help="Observed counts: a time column (the scenario's unit) and one column per "
        "compartment or sum (E+Z); empty cells are missing.",
    ),
]
Fits = Annotated[
    list[str],
    typer.Option(
        "--fit",
        metavar="KEY=LOW:HIGH",
        help="A key to fit and its range; repeat for more. A bare name is a parameter "
        "(beta=0.1:5 means parameters.beta).",
    ),
]
Method = Annotated[
    str,
    typer.Option(
        metavar="least-squares|abc",
        help="least-squares: the ODE, profile-likelihood intervals (seconds); "
        "abc: a stochastic engine, a posterior sample (minutes).",
    ),
]
Noise = Annotated[
    str,
    typer.Option(
        metavar="poisson|negbin",
        help="How observations scatter about the ODE (least-squares): Poisson, or "
        "negative binomial with its size fitted.",
    ),
]
Engine = Annotated[
    str | None,
    typer.Option(metavar="ssa|tau", help="abc's engine; default: the scenario's, else ssa."),
]
Runs = Annotated[
    str | None,
    typer.Option(metavar="N", help="abc's population: runs accepted per generation (400)."),
]
Generations = Annotated[str | None, typer.Option(metavar="N", help="abc's most generations (8).")]
Seed = Annotated[str | None, typer.Option(metavar="N", help="Seed of the fit.")]
OutDir = Annotated[
    Path | None,
    typer.Option(
        "--out",
        metavar="DIR",
        parser=out_path,
        help="Write fit.json, fit.md, fit.png, scenario.toml (and posterior.parquet) here.",
    ),
]


@guarded
def fit(
    scenario: ScenarioArg,
    data: Data,
    fit: Fits,
    method: Method = "least-squares",
    noise: Noise = "poisson",
    engine: Engine = None,
    runs: Runs = None,
    generations: Generations = None,
    seed: Seed = None,
    workers: Workers = None,
    scheduler: Scheduler = None,
    out_dir: OutDir = None,
) -> None:
    """Fit scenario keys to observed counts; print each key's estimate and 95% interval."""
    from hyosan.ensemble.fitting import METHODS, NOISES
    from hyosan.ensemble.fitting import fit as run_fit
    from hyosan.ensemble.fitting.data import read_observed
    from hyosan.ensemble.fitting.ranges import parse_fits

    if method not in METHODS:
        raise unknown("method", method, METHODS, source="--method")
    if noise not in NOISES:
        raise unknown("noise model", noise, NOISES, source="--noise")
    if engine is not None and engine not in ("ssa", "tau"):
        raise unknown("engine for abc", engine, ("ssa", "tau"), source="--engine")
    population = parse_count(runs, "--runs", least=10, most=100_000)
    most = parse_count(generations, "--generations", least=1, most=100)
    sc = prepare(scenario, None, seed, None, None, [])
    spread = Spread.parse(workers, scheduler)
    if method != "abc" and (spread.workers > 1 or spread.address is not None):
        raise InputError(
            "least squares solves the ODE in this process: it has no runs to spread",
            source="--scheduler" if scheduler is not None else "--workers",
            value=scheduler if scheduler is not None else workers,
            allowed="--workers or --scheduler with --method abc",
        )
    ranges = parse_fits(fit, sc)
    observed = read_observed(data, sc, ranges)  # bad data: exit 2 before a cluster starts
    if out_dir is not None:
        check_out(out_dir)
    with spread.opening() as opening, _status(f"fitting {sc.name}") as tell:
        found = run_fit(
            sc, observed, ranges, method=method, noise=noise, engine=engine,
            runs=population, generations=most or 8, seed=sc.seed,
            client=opening.client() if method == "abc" else None, progress=tell,
        )  # fmt: skip
    _print(found)
    if out_dir is not None:
        _write(found, out_dir)


@contextlib.contextmanager
def _status(text: str) -> Iterator[Callable[[str], None]]:
    """A spinner on stderr saying what the fit does (on a terminal only)."""
    if not err.is_terminal:
        yield lambda _text: None
        return
    with err.status(text) as status:
        yield lambda now: status.update(f"{text}: {now}")


def _print(found: FitResult) -> None:
    from hyosan.io.fit import fit_markdown

    print(fit_markdown(found, in_folder=False), end="")
    for warning in found.warnings:
        err.print(f"[yellow]warning:[/] {warning}", highlight=False)


def _write(found: FitResult, out_dir: Path) -> None:
    """The picture is drawn first: a failure there writes nothing."""
    from hyosan.io.fit import write_fit
    from hyosan.viz._figures import save_figure
    from hyosan.viz.fit import FIT_PICTURE, plot_fit

    fig = plot_fit(found)
    with writing(out_dir, "the fit's files"):
        write_fit(found, out_dir)
        save_figure(fig, out_dir / FIT_PICTURE, dpi=110)
    err.print(f"wrote {out_dir}", highlight=False)
