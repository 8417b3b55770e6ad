"""The files of a fit (``hyosan.io.fit``): fit.json round-trips the estimates as strict JSON,
scenario.toml loads back at the estimates, posterior.parquet carries its provenance,
fit.md reports the table, a least-squares fit removes a stale posterior, and a failure
leaves no partial file."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import hyosan
from hyosan.ensemble.fitting import Band, FitRange, FitResult, KeyFit, Observed
from hyosan.io.fit import fit_json, fit_markdown, write_fit
from hyosan.scenario import set_keys

DIGEST = "ab" * 32


def fake_fit(method: str = "least-squares") -> FitResult:
    """A fit made by hand (no search): beta and initial.I of the built-in SIR scenario,
    five observed times of I with one missing count; abc adds a weighted posterior."""
    beta = KeyFit(FitRange("parameters.beta", 0.1, 1.0), 0.31, 0.28, 0.35)
    seeds = KeyFit(FitRange("initial.I", 1.0, 100.0, integer=True), 12.0, 1.0, 40.0, True, False)
    scenario = set_keys(hyosan.load_scenario("sir"), [("parameters.beta", 0.31), ("initial.I", 12)])
    times = np.array([10.0, 20.0, 30.0, 40.0, 50.0])
    counts = np.array([[60.0], [350.0], [np.nan], [2900.0], [2400.0]])
    observed = Observed("cases.csv", times, ("I",), ((1,),), counts, DIGEST)
    grid = np.linspace(0.0, 50.0, 11)
    middle = (100.0 * grid)[:, None]
    band = Band(grid, middle, 0.8 * middle, 1.2 * middle, "ODE, 95% of observations (poisson)")
    settings: dict[str, object] = {
        "noise": "negbin",
        "size_k": np.float64(7.5),
        "neg_log_likelihood": 12.25,
        "evaluations": np.int64(42),
        "curvature": math.inf,
    }
    posterior = None
    if method == "abc":
        rng = np.random.default_rng(3)
        beta_draws = rng.normal(0.31, 0.02, 50)
        seed_draws = rng.uniform(1.0, 40.0, 50)
        posterior = pd.DataFrame(
            {"beta": beta_draws, "initial.I": seed_draws, "weight": np.full(50, 1 / 50)}
        )
        settings = {"population": 50, "generations": 4, "epsilon": np.float64(0.5)}
    warnings = ("initial.I: the data do not bound it from below",)
    return FitResult(
        method,
        "ode" if posterior is None else "ssa",
        (beta, seeds),
        scenario,
        observed,
        7,
        band,
        settings,
        posterior,
        warnings,
    )


def test_least_squares_writes_json_markdown_and_scenario(tmp_path: Path) -> None:
    """write_fit makes the folder and writes fit.json, fit.md and scenario.toml (no
    posterior for least squares, no temporary file left)."""
    out = tmp_path / "new" / "fit"
    paths = write_fit(fake_fit(), out)
    assert paths == (out / "fit.json", out / "fit.md", out / "scenario.toml")
    assert sorted(p.name for p in out.iterdir()) == ["fit.json", "fit.md", "scenario.toml"]


def test_fit_json_round_trips_the_estimates_and_intervals(tmp_path: Path) -> None:
    """fit.json reads back with each key's estimate, 95% interval, range and whether it is
    identified; numpy numbers come back as plain numbers and an infinity as null."""
    write_fit(fake_fit(), tmp_path)
    text = (tmp_path / "fit.json").read_text(encoding="utf-8")
    data = json.loads(text, parse_constant=lambda c: pytest.fail(f"not strict JSON: {c}"))
    assert data["keys"]["beta"]["estimate"] == 0.31
    assert data["keys"]["beta"]["interval_95"] == [0.28, 0.35]
    assert data["keys"]["beta"]["identified"] is True
    assert data["keys"]["initial.I"]["interval_95"] == [1.0, 40.0]
    assert data["keys"]["initial.I"]["range"] == [1.0, 100.0]
    assert data["keys"]["initial.I"]["identified"] is False
    assert data["settings"] == {
        "noise": "negbin",
        "size_k": 7.5,
        "neg_log_likelihood": 12.25,
        "evaluations": 42,
        "curvature": None,
    }
    assert data["data"]["sha256"] == DIGEST and data["data"]["observations"] == 4
    assert data["seed"] == 7 and data["method"] == "least-squares"
    assert text.startswith('{\n  "scenario": "sir"') and text.endswith("}\n")


def test_fit_json_turns_nan_into_null() -> None:
    """A NaN estimate (a fit that could not place a key) is written as null, not NaN."""
    result = fake_fit()
    lost = KeyFit(result.keys[0].range, math.nan, math.nan, 0.4)
    broken = replace(result, keys=(lost,), settings={})
    data = json.loads(fit_json(broken))
    assert data["keys"]["beta"]["estimate"] is None
    assert data["keys"]["beta"]["interval_95"] == [None, 0.4]


def test_scenario_toml_loads_back_at_the_estimates(tmp_path: Path) -> None:
    """scenario.toml is the fitted scenario: it loads with hyosan.load_scenario and holds
    the fitted beta and initial count (not the built-in 0.3 and 10)."""
    write_fit(fake_fit(), tmp_path)
    back = hyosan.load_scenario(tmp_path / "scenario.toml")
    assert back.parameters["beta"] == 0.31
    assert back.initial["I"] == 12
    assert back.replace(source=fake_fit().scenario.source) == fake_fit().scenario


def test_posterior_parquet_round_trips_with_its_provenance(tmp_path: Path) -> None:
    """An abc fit writes posterior.parquet, which reads back as the posterior frame, with
    the method, seed and the data's sha256 under "hyosan" in the file's metadata."""
    import pyarrow.parquet as pq

    result = fake_fit("abc")
    paths = write_fit(result, tmp_path)
    assert [p.name for p in paths] == ["fit.json", "fit.md", "scenario.toml", "posterior.parquet"]
    table = pq.read_table(tmp_path / "posterior.parquet")
    pd.testing.assert_frame_equal(table.to_pandas(), result.posterior)
    meta = json.loads(table.schema.metadata[b"hyosan"])
    assert meta["method"] == "abc" and meta["seed"] == 7 and meta["engine"] == "ssa"
    assert meta["data_sha256"] == DIGEST
    assert meta["keys"] == {"beta": "parameters.beta", "initial.I": "initial.I"}


def test_a_least_squares_fit_removes_a_stale_posterior(tmp_path: Path) -> None:
    """An abc fit then a least-squares fit into one folder: the abc posterior, which
    described the other fit, is gone; a file that is not the fit's stays."""
    write_fit(fake_fit("abc"), tmp_path)
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    assert (tmp_path / "posterior.parquet").is_file()
    write_fit(fake_fit(), tmp_path)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["fit.json", "fit.md", "notes.txt", "scenario.toml"]


def test_a_failure_while_writing_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk fills up halfway through fit.md: the older fit.md is left as it was,
    fit.json (written before) is whole, and no temporary file is left behind."""
    (tmp_path / "fit.md").write_text("old", encoding="utf-8")
    real = Path.write_bytes

    def half_then_full(self: Path, data: bytes) -> int:
        if self.suffix == ".md":
            real(self, data[: len(data) // 2])
            raise OSError(28, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", half_then_full)
    with pytest.raises(OSError, match="No space left"):
        write_fit(fake_fit(), tmp_path)
    monkeypatch.undo()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fit.json", "fit.md"]
    assert (tmp_path / "fit.md").read_text(encoding="utf-8") == "old"
    assert json.loads((tmp_path / "fit.json").read_text(encoding="utf-8"))["seed"] == 7


def test_a_fit_that_cannot_be_made_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The posterior cannot be turned into Parquet: write_fit fails before writing any
    file, so the folder keeps the earlier fit's files as they were."""
    import pyarrow.parquet as pq

    (tmp_path / "fit.json").write_text("old", encoding="utf-8")

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("parquet writer broke")

    monkeypatch.setattr(pq, "write_table", broken)
    with pytest.raises(RuntimeError, match="parquet writer broke"):
        write_fit(fake_fit("abc"), tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fit.json"]
    assert (tmp_path / "fit.json").read_text(encoding="utf-8") == "old"


def test_markdown_reports_estimates_method_and_warnings() -> None:
    """fit.md: a title, a row per key with its estimate, 95% interval and range (an end
    at the range's end starred, the key not identified), the settings, the warnings."""
    text = fit_markdown(fake_fit())
    lines = text.splitlines()
    assert lines[0] == "# fit of sir: least-squares"
    assert "| beta | 0.31 | 0.28 – 0.35 | 0.1 – 1 | yes |" in lines
    assert "| initial.I | 12 | 1\\* – 40 | 1 – 100 | **no** |" in lines
    assert "4 counts of I at 5 times" in text and "seed 7" in text
    for setting in ("- noise: negbin", "- size k: 7.5", "- evaluations: 42", "- curvature: –"):
        assert setting in lines
    assert "- initial.I: the data do not bound it from below" in lines
    assert text.endswith("`hyosan run scenario.toml`.\n")


def test_markdown_says_none_without_warnings() -> None:
    """A fit with no warnings says so under its Warnings heading."""
    result = fake_fit()
    quiet = replace(result, keys=result.keys[:1], warnings=())
    lines = fit_markdown(quiet).splitlines()
    assert lines[lines.index("## Warnings") + 2] == "None."
    assert not any("\\*" in line for line in lines)
