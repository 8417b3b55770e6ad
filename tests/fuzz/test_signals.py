"""Fault injection: ``hyosan run --out`` killed at a random moment leaves a whole result.

The reference results are two complete runs of ``python -m hyosan run sir --runs 40
--out OUT``, one with ``--seed 1`` (the "previous" result) and one with ``--seed 2``
(the "new" one); the second also measures how long a whole run takes (``T``) and
how long its staging folder ``.OUT.*.tmp`` lives (the final write). Each trial
copies the previous result into a fresh ``OUT``, starts the seed-2 run into it
and sends SIGINT, SIGTERM or SIGKILL (:data:`TRIALS`: each signal at a seeded
random moment of startup, ``[0, 0.25 T]``; of the run,
``[0.25 T, 0.9 T]``; and during the final write, timed from the moment the
staging folder appears). After the process ends:

- ``OUT`` holds, file for file and byte for byte, either the previous or the
  new result;
- nothing but ``OUT`` is left beside it: no staging folder, except after
  SIGKILL, when the next run into the same place must remove it (it is run,
  and checked);
- SIGINT ends with status 130 and SIGTERM with 143, with stderr one line
  ``hyosan: interrupted ...`` and no traceback. A process killed by the signal
  itself (status -2 or -15: what a shell also reports as 130 or 143) passes
  only with nothing on stderr, which happens before hyosan's code runs;
- a run that finished before the signal came exits 0 with the new result;
- the finished parts a stopped run keeps in ``OUT/.hyosan-parts`` (not part of
  the result compared) go on with ``--resume`` to the new result, and go.

The child is signalled directly (``Popen.send_signal``), in its own session,
with SIGINT and SIGTERM at their default dispositions (an ignored SIGINT
inherited from a background shell would hide the test's point).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

RUN = ("run", "sir", "--runs", "40")
TIMEOUT = 120

TRIALS = [
    (sig, phase)
    for phase in ("startup", "running", "writing")
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL)
]
"""Every signal in every phase of a run."""


def _default_signals() -> None:
    """In the child before it starts: SIGINT and SIGTERM as a fresh process has them."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def start(seed: int, cwd: Path, *extra: str) -> subprocess.Popen[str]:
    """``python -m hyosan run sir --runs 40 --seed SEED --out OUT`` in ``cwd``."""
    env = {**os.environ, "COLUMNS": "100", "PYTHONIOENCODING": "utf-8"}
    return subprocess.Popen(
        [sys.executable, "-m", "hyosan", *RUN, "--seed", str(seed), "--out", "OUT", *extra],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=_default_signals,
    )


def staging(parent: Path) -> list[str]:
    """What lies beside ``OUT`` in ``parent``: hidden staging folders, or anything else."""
    return sorted(n for n in os.listdir(parent) if n != "OUT")


PARTS = ".hyosan-parts"
"""The finished parts a stopped run keeps in OUT for ``--resume`` (not its result)."""


def contents(folder: Path) -> dict[str, bytes]:
    """Every file in ``folder`` (hidden ones too, at any depth), by relative path, but
    the parts kept for ``--resume`` (and parts a SIGKILL caught being removed)."""
    if not folder.is_dir():
        return {}
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if (p.is_file() or p.is_symlink()) and not p.relative_to(folder).parts[0].startswith(PARTS)
    }


@dataclass
class Reference:
    """The two complete results, and the timings of a whole run."""

    previous: dict[str, bytes]
    new: dict[str, bytes]
    seconds: float
    write_seconds: float


def reference(folder: Path) -> Reference:
    """Run seed 1 and seed 2 to completion, timing the second and its final write."""
    (folder / "one").mkdir(parents=True)
    done = start(1, folder / "one")
    _, err = done.communicate(timeout=TIMEOUT)
    assert done.returncode == 0, err
    (folder / "two").mkdir()
    began = time.monotonic()
    proc = start(2, folder / "two")
    seen = gone = None
    while proc.poll() is None:
        now = time.monotonic()
        if staging(folder / "two"):
            seen = seen or now
        elif seen is not None:
            gone = gone or now
        time.sleep(0.001)
    seconds = time.monotonic() - began
    _, err = proc.communicate(timeout=TIMEOUT)
    assert proc.returncode == 0, err
    assert seen is not None, "the run never showed its staging folder"
    write = (gone or time.monotonic()) - seen
    previous, new = contents(folder / "one" / "OUT"), contents(folder / "two" / "OUT")
    assert previous and new and previous != new
    return Reference(previous, new, seconds, write)


PYTHON_STARTS = 0.1
"""Seconds the interpreter may take before hyosan's first line runs (its own ``site``
imports): a Ctrl-C there gets Python's traceback, out of hyosan's reach."""


def interrupt(
    proc: subprocess.Popen[str],
    sig: signal.Signals,
    phase: str,
    ref: Reference,
    cwd: Path,
    rng: random.Random,
) -> tuple[bool, float]:
    """Send ``sig`` to ``proc`` at a moment of ``phase``; whether it was sent, and when."""
    began = time.monotonic()
    if phase == "writing":
        while proc.poll() is None and not staging(cwd):
            time.sleep(0.0005)
        time.sleep(rng.uniform(0, ref.write_seconds))
    else:
        low, high = (0.0, 0.25) if phase == "startup" else (0.25, 0.9)
        # not before PYTHON_STARTS: a signal there meets Python's start-up, not hyosan
        time.sleep(max(PYTHON_STARTS, rng.uniform(low, high) * ref.seconds))
    if proc.poll() is not None:
        return False, time.monotonic() - began
    proc.send_signal(sig)
    return True, time.monotonic() - began


@pytest.mark.slow
def test_killed_run_leaves_previous_or_new_result(tmp_path: Path) -> None:
    """SIGINT, SIGTERM or SIGKILL at any moment of ``hyosan run --out OUT`` leaves OUT
    holding the previous or the new complete result, no staging folder (after SIGKILL
    the next run removes it), status 130 or 143 and one line on stderr."""
    ref = reference(tmp_path / "reference")
    rng = random.Random(20240515)
    failures, log = [], []
    for i, (sig, phase) in enumerate(TRIALS):
        cwd = tmp_path / f"trial-{i}"
        shutil.copytree(tmp_path / "reference" / "one", cwd)  # OUT: the previous result
        proc = start(2, cwd)
        sent, after = interrupt(proc, sig, phase, ref, cwd, rng)
        _, err = proc.communicate(timeout=TIMEOUT)
        what = f"{sig.name} in {phase} after {after:.3f} s (a whole run: {ref.seconds:.2f} s)"
        found = check_trial(sig, sent, proc.returncode, err, cwd, ref)
        left = staging(cwd)
        parts = (cwd / "OUT" / PARTS).exists()
        litter = any(p.name.startswith(PARTS) for p in (cwd / "OUT").iterdir())
        if (sig == signal.SIGKILL and staging(cwd)) or litter:
            # the next run into the same place cleans up; with parts kept, it goes on
            again = start(2, cwd, *(["--resume"] if parts else []))
            _, again_err = again.communicate(timeout=TIMEOUT)
            if (
                again.returncode != 0
                or staging(cwd)
                or contents(cwd / "OUT") != ref.new
                or any(p.name.startswith(PARTS) for p in (cwd / "OUT").iterdir())
            ):
                found.append(
                    f"the next run (status {again.returncode}, resume {parts}) left "
                    f"{staging(cwd)} beside OUT, its parts or a wrong result; stderr: "
                    f"{again_err.strip()[:300]!r}"
                )
        failures += [f"{what}: {f}" for f in found]
        now = contents(cwd / "OUT")
        kept = (
            "the new" if now == ref.new else "the previous" if now == ref.previous else "a broken"
        )
        log.append(
            f"{what}: sent {sent}, status {proc.returncode}, OUT holds {kept} result, "
            f"left beside it {left}, parts kept {parts}"
        )
    print("\n".join(log))
    assert not failures, "\n".join([*failures, "trials:", *log])


def check_trial(
    sig: signal.Signals, sent: bool, code: int, err: str, cwd: Path, ref: Reference
) -> list[str]:
    """What went wrong in one trial."""
    found = []
    result = contents(cwd / "OUT")
    if result not in (ref.previous, ref.new):
        names = sorted(result)
        found.append(f"OUT holds neither the previous nor the new result: {names}")
    if "Traceback" in err:
        found.append(f"a traceback on stderr: {err.strip()[-600:]!r}")
    left = staging(cwd)
    if left and sig != signal.SIGKILL:
        found.append(f"left beside OUT: {left}")
    if not sent or code == 0:
        if code != 0 or result != ref.new:
            found.append(f"finished before the signal, but status {code}")
        return found
    expected = {signal.SIGINT: 130, signal.SIGTERM: 143, signal.SIGKILL: -9}[sig]
    lines = [line for line in err.splitlines() if line.strip()]
    if code == -sig and sig != signal.SIGKILL:
        if lines:  # killed by the signal itself after hyosan printed something
            found.append(f"status {code} (killed, no clean-up) with stderr {lines[:3]!r}")
    elif code != expected:
        found.append(f"status {code}, not {expected}; stderr {lines[:3]!r}")
    elif sig != signal.SIGKILL and (len(lines) != 1 or not lines[0].startswith("hyosan: interr")):
        found.append(f"stderr is not one 'hyosan: interrupted' line: {lines[:4]!r}")
    return found
