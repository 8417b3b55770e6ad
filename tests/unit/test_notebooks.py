"""Notebooks: the example notebooks run in a real Jupyter kernel and are kept without
outputs; ``progress=True`` shows a bar in a notebook, on a terminal, and nowhere else.

The quickstart is executed with nbclient in an ipykernel kernel started from this
interpreter (about 5 s once the exact engine's kernel is in numba's cache); any cell
that raises fails the test. The bar off a notebook is checked in fresh processes,
since whether rich and IPython were imported is part of what is checked.
"""

from __future__ import annotations

import base64
import os
import struct
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

import hyosan

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
QUICKSTART = EXAMPLES / "quickstart.ipynb"


@pytest.fixture(scope="module")
def quickstart(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The quickstart executed in a kernel (working in a folder of its own): code cells by id."""
    nb = nbformat.read(QUICKSTART, as_version=4)
    where = tmp_path_factory.mktemp("quickstart")
    client = NotebookClient(
        nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(where)}}
    )
    client.execute()  # CellExecutionError on any cell's error
    assert list(where.iterdir()) == []
    return {cell.id: cell for cell in nb.cells if cell.cell_type == "code"}


def _outputs(cell: Any, mime: str) -> list[str]:
    return [o["data"][mime] for o in cell.outputs if mime in o.get("data", {})]


def test_quickstart_shows_the_results_html(quickstart: dict[str, Any]) -> None:
    """The simulate cell shows the result's card: the very HTML of the same runs made
    here (20 runs of school from seed 2024, as in the notebook), its name and a final count."""
    (card,) = _outputs(quickstart["simulate"], "text/html")[-1:]
    same = hyosan.simulate(hyosan.load_scenario("school"), runs=20, seed=2024)
    assert card == same._repr_html_()
    z = same.compartments.index("Z")
    final_z = f"{same.counts[:, -1, z].mean():,.0f}"
    assert "school" in card and f">{final_z}</td>" in card


def test_quickstart_shows_a_progress_bar_that_ends_full(quickstart: dict[str, Any]) -> None:
    """progress=True left one HTML bar in the cell's output, updated in place to its end."""
    bars = [h for h in _outputs(quickstart["simulate"], "text/html") if "hyosan-progress" in h]
    assert len(bars) == 1
    assert "school (ssa)" in bars[0] and 'aria-valuenow="100.0"' in bars[0]
    (plain,) = [p for p in _outputs(quickstart["simulate"], "text/plain") if "[#" in p]
    assert "100% · 20/20 runs" in plain and "done in" in plain


def test_quickstart_shows_the_plot_as_an_image(quickstart: dict[str, Any]) -> None:
    """result.plot() in the plot cell is shown as one PNG of the 9 x 5 inch figure."""
    (png64,) = _outputs(quickstart["plot"], "image/png")
    png = base64.b64decode(png64)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", png[16:24])  # the IHDR chunk
    assert width > 600 and 1.5 < width / height < 2.1


def test_quickstart_reads_the_totals(quickstart: dict[str, Any]) -> None:
    """result.totals is shown as a table with run, time and every compartment, and the
    last cell reads the final counts of the 20 runs from it."""
    (table,) = _outputs(quickstart["totals"], "text/plain")
    assert table.splitlines()[0].split() == ["run", "time", "S", "E", "Ez", "Z", "H", "D"]
    printed = "".join(o.get("text", "") for o in quickstart["finals"].outputs)
    assert "on average over 20 runs" in printed


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.ipynb")), ids=lambda p: p.name)
def test_notebooks_are_kept_without_outputs(path: Path) -> None:
    """Every example notebook is valid and saved stripped: no outputs, no execution counts."""
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert code
    assert [cell.id for cell in code if cell.outputs or cell.execution_count is not None] == []
    assert "widgets" not in nb.metadata


def _python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter, stderr a pipe; ``env`` over this one's, less
    the variables that make rich treat a pipe as a terminal."""
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in ("FORCE_TERMINAL", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE")
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        env=base | env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )


def test_progress_off_a_terminal_shows_nothing_and_none_imports_nothing() -> None:
    """progress=None imports neither rich nor IPython; progress=True with stderr a pipe and
    no kernel writes nothing there, and the runs are the same."""
    done = _python(
        "import sys, hyosan\n"
        "sc = hyosan.load_scenario('school')\n"
        "a = hyosan.simulate(sc, runs=3, seed=5)\n"
        "loaded = [m for m in ('rich', 'IPython') if m in sys.modules]\n"
        "assert not loaded, loaded\n"
        "b = hyosan.simulate(sc, runs=3, seed=5, progress=True)\n"
        "assert (a.counts == b.counts).all()\n"
        "print('checked')\n"
    )
    assert done.stdout == "checked\n"
    assert done.stderr == ""


def test_progress_on_a_terminal_shows_a_rich_bar() -> None:
    """On a terminal (rich told so by TTY_COMPATIBLE=1) simulate and sweep with
    progress=True draw a bar on stderr, named for the scenario and the sweep."""
    done = _python(
        "import hyosan\n"
        "from hyosan.ensemble.sweep import Axis, sweep\n"
        "sc = hyosan.load_scenario('school')\n"
        "hyosan.simulate(sc, runs=3, seed=5, progress=True)\n"
        "sweep(sc, [Axis('parameters.beta', (1.0, 2.0))], runs=2, seed=5, progress=True)\n",
        TTY_COMPATIBLE="1",
        COLUMNS="120",
    )
    assert done.stdout == ""
    assert "school (ssa)" in done.stderr
    assert "sweep of school" in done.stderr
    assert "runs" in done.stderr
