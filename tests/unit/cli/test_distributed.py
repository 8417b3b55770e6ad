"""``--workers``, ``--scheduler`` and ``--resume`` on the command line: the same files
wherever the runs go, bad values refused with one line, and a run or sweep stopped
(SIGKILL, Ctrl-C) that goes on with ``--resume`` to the files of one never stopped."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest

from .cli_runner import Cli

HYOSAN = [sys.executable, "-m", "hyosan"]
PARTS = ".hyosan-parts"


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize(
    "args, option, allowed",
    [
        (["--workers", "0"], "--workers", "a whole number >= 1, or auto"),
        (["--workers", "-1"], "--workers", "a whole number >= 1, or auto"),
        (["--workers", "many"], "--workers", "a whole number >= 1, or auto"),
        (["--scheduler", "tcp://nowhere"], "--scheduler", "tcp://HOST:PORT"),
        (["--scheduler", "tcp://127.0.0.1:99999"], "--scheduler", "tcp://HOST:PORT"),
        (["--workers", "2", "--scheduler", "tcp://127.0.0.1:8786"], "--workers", "not both"),
        (["--resume"], "--resume", "--out DIR"),
    ],
)
@pytest.mark.parametrize("command", ["run", "sweep"])
def test_bad_values_exit_2_naming_the_option(
    cli: Cli, tmp_path: Path, command: str, args: list[str], option: str, allowed: str
) -> None:
    extra = ["--vary", "parameters.beta=0.5,1"] if command == "sweep" else []
    assert cli(command, "sir", *extra, *args) == 2
    lines = cli.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"hyosan: error: {option}"), cli.err
    assert allowed in lines[0]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", ["run", "sweep"])
def test_resume_of_a_folder_with_nothing_to_resume_is_refused(
    cli: Cli, tmp_path: Path, command: str
) -> None:
    extra = ["--vary", "parameters.beta=0.5,1"] if command == "sweep" else []
    for out in (tmp_path / "new", tmp_path / "empty"):
        (tmp_path / "empty").mkdir(exist_ok=True)
        assert cli(command, "sir", *extra, "--out", out, "--resume") == 2
        assert cli.err.startswith("hyosan: error: --resume: nothing to resume"), cli.err
        assert str(out) in cli.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty"]
    assert list((tmp_path / "empty").iterdir()) == []


def test_a_scheduler_that_is_down_is_named_within_ten_seconds(cli: Cli, tmp_path: Path) -> None:
    address = f"tcp://127.0.0.1:{_free_port()}"
    start = time.monotonic()
    assert cli("run", "sir", "--scheduler", address, "--out", tmp_path / "out") == 2
    assert time.monotonic() - start < 15.0  # 10 s to connect, and the imports
    assert cli.err.startswith("hyosan: error: --scheduler: cannot reach a Dask scheduler"), cli.err
    assert address in cli.err and len(cli.err.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_two_workers_write_the_files_of_one(cli: Cli, tmp_path: Path) -> None:
    args = ["run", "hyosan-school", "--runs", "12", "--seed", "9"]
    assert cli(*args, "--out", tmp_path / "one") == 0, cli.err
    assert cli(*args, "--out", tmp_path / "two", "--workers", "2") == 0, cli.err
    one, two = _files(tmp_path / "one"), _files(tmp_path / "two")
    assert {"totals.parquet", "summary.json", "fields.nc", "characters.csv"} <= set(one)
    assert one == two
    assert not (tmp_path / "two" / PARTS).exists()  # the parts go once the files are written


@contextlib.contextmanager
def _dask_processes(
    folder: Path, env: dict[str, str] | None = None
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A real ``dask scheduler`` and one ``dask worker``, each a process of its own: the
    scheduler's address and the worker's process (its nanny)."""
    address = f"tcp://127.0.0.1:{_free_port()}"
    quiet: dict[str, Any] = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    quiet.update(cwd=folder, env={**os.environ, **(env or {})})
    dask = [sys.executable, "-m", "dask"]
    port = address.rsplit(":", 1)[1]
    boss = subprocess.Popen(
        [*dask, "scheduler", "--host", "127.0.0.1", "--port", port, "--no-dashboard"], **quiet
    )
    hand = subprocess.Popen(
        [
            *dask,
            "worker",
            address,
            "--nthreads",
            "1",
            "--no-dashboard",
            "--local-directory",
            folder,
        ],
        **quiet,
    )
    try:
        yield address, hand
    finally:
        for proc in (hand, boss):
            proc.terminate()
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with _dask_processes(tmp_path_factory.mktemp("dask")) as (address, _):
        yield address


def test_runs_on_a_running_scheduler_write_the_same_files(
    cli: Cli, tmp_path: Path, scheduler: str
) -> None:
    args = ["run", "school", "--runs", "30", "--seed", "2"]
    assert cli(*args, "--out", tmp_path / "here") == 0, cli.err
    assert cli(*args, "--out", tmp_path / "there", "--scheduler", scheduler) == 0, cli.err
    assert _files(tmp_path / "here") == _files(tmp_path / "there")


def _wait_for(path: Path, pattern: str, proc: subprocess.Popen[str], limit: float = 120) -> None:
    deadline = time.monotonic() + limit
    while not list(path.glob(pattern)):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, f"no {pattern} in {path}"
        time.sleep(0.05)


# 10 days of season2: a 30-day run with its seven characters takes about 4 s
SWEEP = ["sweep", "season2", "--vary", "parameters.beta_h=0.002,0.01,0.02", "--runs", "2"]
SWEEP += ["--vary", "time.end=240"]


def test_a_sweep_killed_with_sigkill_goes_on_with_resume(cli: Cli, tmp_path: Path) -> None:
    out, whole = tmp_path / "out", tmp_path / "whole"
    proc = subprocess.Popen(
        [*HYOSAN, *SWEEP, "--seed", "6", "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _wait_for(out / PARTS, "point-*.json", proc)
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    assert not (out / "sweep.csv").exists()
    kept = sorted(p.name for p in (out / PARTS).iterdir())

    assert cli(*SWEEP, "--seed", "6", "--out", out) == 2  # unfinished: --resume is named
    assert "--resume" in cli.err and str(out) in cli.err
    assert cli(*SWEEP, "--seed", "7", "--out", out, "--resume") == 2  # another seed: refused
    assert cli.err.startswith("hyosan: error: --resume: the stopped sweep differs: seed was 6"), (
        cli.err
    )
    assert sorted(p.name for p in (out / PARTS).iterdir()) == kept  # a refusal loses nothing

    assert cli(*SWEEP, "--seed", "6", "--out", out, "--resume") == 0, cli.err
    assert cli(*SWEEP, "--seed", "6", "--out", whole) == 0, cli.err
    assert _files(out) == _files(whole) and "sweep.csv" in _files(out)
    assert not (out / PARTS).exists()


def test_ctrl_c_on_two_workers_keeps_the_parts_and_resume_finishes(
    cli: Cli, tmp_path: Path
) -> None:
    out, whole = tmp_path / "out", tmp_path / "whole"
    args = ["run", "season2", "--runs", "8", "--t-end", "240", "--out"]
    proc = subprocess.Popen(
        [*HYOSAN, *args, str(out), "--workers", "2"],  # no --seed: the resume finds it
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's job has
    )
    _wait_for(out / PARTS, "chunk-*.npz", proc)
    os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C reaches every process of the group
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    last = err.strip().splitlines()[-1]
    assert last.startswith("hyosan: interrupted (SIGINT); ") and "--resume" in last, err
    assert str(out) in last
    assert "Traceback" not in err
    deadline = time.monotonic() + 10
    with pytest.raises(ProcessLookupError):  # the workers are gone with it
        while time.monotonic() < deadline:
            os.killpg(proc.pid, 0)
            time.sleep(0.1)
    assert "WARNING" not in err and "ERROR" not in err, err  # no log lines of Dask's

    assert cli(*args, out, "--resume") == 0, cli.err
    seed = next(line for line in (out / "scenario.toml").read_text().splitlines() if "seed" in line)
    assert cli(*args, whole, "--seed", seed.split("=")[1].strip()) == 0, cli.err
    assert _files(out) == _files(whole)


def test_a_chunk_the_cluster_gives_up_exits_1_keeping_the_parts(cli: Cli, tmp_path: Path) -> None:
    """The worker process dies mid-run on a cluster that allows no failure: Dask gives
    the chunk up (KilledWorker), and hyosan says so in one line, exit 1, no traceback,
    keeping the finished parts; ``--resume`` on the restarted worker finishes the run."""
    out, whole = tmp_path / "out", tmp_path / "whole"
    no_retry = {"DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "0"}
    with _dask_processes(tmp_path, no_retry) as (address, nanny):
        args = ["run", "season2", "--runs", "6", "--t-end", "240", "--seed", "4", "--out"]
        proc = subprocess.Popen(
            [*HYOSAN, *args, str(out), "--scheduler", address],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        _wait_for(out / PARTS, "chunk-*.npz", proc)
        for worker in psutil.Process(nanny.pid).children():  # the worker, not its nanny
            worker.kill()
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 1, err
        line = err.strip().splitlines()[-1]
        assert line.startswith("hyosan: error: the Dask workers running a chunk"), err
        assert "--resume" in line and str(out) in line and "Traceback" not in err
        assert list((out / PARTS).glob("chunk-*.npz"))

        assert cli(*args, out, "--scheduler", address, "--resume") == 0, cli.err
    assert cli(*args, whole) == 0, cli.err
    assert _files(out) == _files(whole)
