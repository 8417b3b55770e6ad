"""``python -m hyosan`` as a real process: exit statuses and what reaches stderr.

The in-process tests (``tests/unit/cli``) cover the contract in detail; these
check that the same holds through the interpreter's own exit path, where
typer, click and ``SystemExit`` decide what the shell sees.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd

TIMEOUT = 120


def hyosan(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "100", "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "hyosan", *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def test_run_then_plot_then_rerun(tmp_path: Path) -> None:
    """`run ... --out DIR` exits 0 with nothing on stderr but the compile notice, `plot DIR`
    exits 0 and draws totals.png, and `run DIR/scenario.toml` gives the same numbers."""
    done = hyosan(
        "run", "sir", "--engine", "ssa", "--seed", "3", "--runs", "2",
        "--set", "S=200", "--set", "I=5", "--t-end", "30", "--out", "first",
        cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    # on a fresh machine the first ssa run says, on stderr, that it compiles its kernel
    said = " ".join(done.stderr.split())
    assert said == "" or (said.startswith("compiling the ssa kernel") and said.count(".") == 0)
    assert "sir" in done.stdout
    assert hyosan("plot", "first", cwd=tmp_path).returncode == 0
    assert (tmp_path / "first" / "totals.png").is_file()
    again = hyosan("run", "first/scenario.toml", "--out", "second", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    pd.testing.assert_frame_equal(
        pd.read_parquet(tmp_path / "second" / "totals.parquet"),
        pd.read_parquet(tmp_path / "first" / "totals.parquet"),
        check_exact=True,
    )


def test_bad_file_exits_2_and_stderr_is_the_one_message(tmp_path: Path) -> None:
    """A misspelt key in a scenario file: exit 2, stderr's first (and only) line is the
    message naming the file, the key, the value and the allowed keys; nothing written."""
    (tmp_path / "bad.toml").write_text('model = "sir"\nengin = "ode"\n[time]\nend = 10\n')
    done = hyosan("run", "bad.toml", "--out", "out", cwd=tmp_path)
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    first = lines[0]
    assert first.startswith("hyosan: error: bad.toml: engin: unknown key"), first
    assert "(got 'engin')" in first
    assert "allowed: name, description, model, engine" in first
    assert not (tmp_path / "out").exists()


def test_bad_option_exits_2_with_one_line(tmp_path: Path) -> None:
    """A bad option value (`--runs 0`) and an option the parser does not know (`--bogus`)
    both exit 2 with a single "hyosan: error:" line and no traceback."""
    for args, fragment in (
        (["run", "sir", "--runs", "0", "--out", "out"], "--runs"),
        (["run", "sir", "--bogus", "1", "--out", "out"], "--bogus"),
    ):
        done = hyosan(*args, cwd=tmp_path)
        assert done.returncode == 2, done.stderr
        lines = done.stderr.splitlines()
        assert len(lines) == 1, done.stderr
        assert lines[0].startswith("hyosan: error:")
        assert fragment in lines[0]
        assert not (tmp_path / "out").exists()


def test_internal_error_exits_1_summary_first(tmp_path: Path) -> None:
    """A fault of ours exits 1; stderr's first line is "hyosan: internal error ..." with the
    exception, and the traceback follows it."""
    code = (
        "import hyosan.ensemble\n"
        "def boom(*a, **k):\n"
        "    raise RuntimeError('boom')\n"
        "hyosan.ensemble.simulate = boom\n"
        "from hyosan.cli import main\n"
        "raise SystemExit(main(['run', 'sir', '--engine', 'ode', '--out', 'out']))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert lines[0].startswith("hyosan: internal error"), done.stderr
    assert "RuntimeError: boom" in lines[0]
    assert lines[1].startswith("Traceback")
    assert not (tmp_path / "out").exists()


def test_list_and_validate_exit_0(tmp_path: Path) -> None:
    """`list` and `validate NAME` exit 0 with nothing on stderr."""
    for args in (["list"], ["validate", "school"]):
        done = hyosan(*args, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        assert done.stderr == ""
