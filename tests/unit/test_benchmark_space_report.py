"""The benchmark report's census-map section: verdicts from the rows, peers' sizes computed."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


@pytest.fixture(scope="module")
def report() -> Any:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import _report

        yield _report
    finally:
        sys.path.remove(str(BENCHMARKS))


def _usa(engine: str, wall: float, rss_mb: float, status: str = "ok") -> dict[str, Any]:
    row: dict[str, Any] = {
        "case": f"usa {engine}",
        "status": status,
        "limit_s": 300.0,
        "process_wall_s": wall + 3.0,
        "peak_rss_mb": rss_mb,
    }
    if status == "ok":
        row.update(
            wall_s=wall, warm_up_s=0.6, events=900, events_per_s=900 / wall, patches=79_765,
            edges=316_214, reactions=2, movers=1, people=306_675_006.0, seed=5,
        )  # fmt: skip
    return row


def test_space_targets_judge_each_case_by_its_own_limit(report: Any) -> None:
    """Each census-map case is judged against its own target (US exact 180 s, US tau 20 s,
    Korea 18 s), an over-limit run counts as not met, and a memory verdict appears only for a
    world with a finished run, judged on its peak."""
    rows = [
        _usa("ssa", 150.3, 652.0),
        _usa("tau", 21.0, 5000.0),
        {"case": "korea ssa", "status": "over limit", "limit_s": 300.0, "process_wall_s": 300.0,
         "peak_rss_mb": 170.0},
    ]  # fmt: skip
    lines = report.space_targets(rows)
    assert lines[0] == "| continental US, exact under 180 s | 150 s | met |"
    assert lines[1] == "| continental US, tau-leaping under 20.0 s | 21.0 s | NOT met |"
    assert lines[2] == "| South Korea, exact under 18.0 s | over the limit of 300 s | NOT met |"
    assert lines[3] == "| continental US, peak memory under 4 GiB | 4.88 GiB (2 runs) | NOT met |"
    assert len(lines) == 4  # no finished Korea run: no memory verdict for it
    korea = {**_usa("tau", 1.7, 177.0), "case": "korea tau"}
    assert report.space_targets([korea])[-1] == (
        "| South Korea, peak memory under 0.4 GiB | 0.17 GiB (1 run) | met |"
    )


def test_an_over_limit_run_under_a_limit_below_the_target_shows_nothing(report: Any) -> None:
    """A run cut off by a limit (60 s) below its target (180 s) gets no verdict: it says the
    limit was too low rather than "NOT met"."""
    row = _usa("ssa", 0.0, 100.0, status="over limit")
    row["limit_s"] = 60.0
    (line,) = report.space_targets([row])
    assert line.endswith("| over the limit of 60.0 s | not shown (limit too low) |")


def test_the_peers_sentence_sizes_the_us_from_the_run(report: Any) -> None:
    """The sentence on peers computes the US network's size and Starsim's memory for the US
    population from the rows, and says only that no peer runs these worlds without a US run."""
    rows = [
        {"contender": "starsim", "n": 100, "status": "ok", "peak_rss_mb": 300.0},
        {"contender": "starsim", "n": 10_000_100, "status": "ok", "peak_rss_mb": 300 + 1e9 / 2**20},
    ]  # fmt: skip
    text = report._no_peers(rows, [_usa("ssa", 150.0, 652.0)])
    assert "a network of 475,744 reactions" in text  # 2 x 79,765 + 316,214
    assert "Starsim took 100 bytes an agent" in text
    assert "31 GB for 306.7 million" in text
    assert report._no_peers(rows, []) == "No peer runs these worlds."


def test_the_space_table_shows_the_warm_up_apart(report: Any) -> None:
    """The census-map table's row shows the run, the warm-up and the whole process in
    separate columns (150 s, 0.60 s, 153 s)."""
    data = {"space_limit_s": 300.0, "rows": [], "space": [_usa("ssa", 150.0, 652.0)]}
    row = report.space_section(data)[-2]
    assert row.startswith("| continental US, exact | 79,765 | 306.7 M | 5 | 150 s | 0.60 s | 153 s")
