"""``hyosan export-model MODEL --sbml FILE`` and ``hyosan run/validate model.xml``, in-process.

Exit status 0 done, 2 bad input (one line naming what was wrong, nothing
written); the SBML file is written whole or not at all.
"""

from __future__ import annotations

import dataclasses
import errno
import json
import os
from pathlib import Path

import libsbml
import pandas as pd
import pytest

import hyosan._files
from hyosan.model import BUILTIN_MODELS, builtin_model
from hyosan.model.sbml import read_sbml, write_sbml
from hyosan.scenario import BUILTIN_SCENARIOS, load_model, load_scenario

from .cli_runner import Cli

SIR_MODEL = """\
name = "my-sir"
compartments = ["S", "I", "R"]
[parameters]
beta = 0.4
gamma = 0.1
[[reactions]]
equation = "S + I -> 2 I"
rate = "beta"
law = "frequency"
[[reactions]]
equation = "I -> R"
rate = "gamma"
"""


def errors(path: Path) -> list[str]:
    """libsbml's consistency errors (not warnings) in the SBML file ``path``."""
    doc = libsbml.readSBMLFromFile(str(path))
    doc.checkConsistency()
    found = (doc.getError(i) for i in range(doc.getNumErrors()))
    return [e.getMessage() for e in found if e.getSeverity() >= libsbml.LIBSBML_SEV_ERROR]


@pytest.mark.parametrize("name", BUILTIN_MODELS)
def test_export_each_builtin_model(cli: Cli, tmp_path: Path, name: str) -> None:
    """Each built-in model is written as SBML L3V2 that libsbml finds consistent (no error) and
    that reads back as the same model; the command says where it wrote it. A name that is
    also a built-in scenario's is the scenario: the same model with its values and people."""
    path = tmp_path / f"{name}.xml"
    assert cli("export-model", name, "--sbml", path) == 0, cli.err
    assert f"wrote {path}: model {name} as SBML Level 3 Version 2" in cli.out
    assert errors(path) == []
    doc = libsbml.readSBMLFromFile(str(path))
    assert (doc.getLevel(), doc.getVersion()) == (3, 2)
    read, model = read_sbml(path), builtin_model(name)
    if name in BUILTIN_SCENARIOS:
        sc = load_scenario(name)
        assert read.model.defaults == dict(sc.parameters)
        assert dict(read.initial) == dict(sc.initial) and sum(sc.initial.values()) > 0
        values = tuple(
            dataclasses.replace(p, default=sc.parameters[p.name]) for p in model.parameters
        )
        model = dataclasses.replace(model, parameters=values)
    assert read.model == model


def test_export_a_scenario_carries_its_values_and_counts(cli: Cli, tmp_path: Path) -> None:
    """A scenario's model is written with the scenario's parameter values and initial counts, so
    ``hyosan run`` of the file with the ODE ends where the scenario's ODE run ends."""
    path = tmp_path / "munz.xml"
    assert cli("export-model", "aouad", "--sbml", path) == 0  # a built-in model alone
    assert set(read_sbml(path).initial.values()) == {0.0}
    assert cli("export-model", "./munz-basic", "--sbml", path) == 2  # no such file: refused
    sc = load_scenario("munz-basic")
    scenario_file = tmp_path / "munz-scenario.toml"
    scenario_file.write_text(
        f'model = "munz-basic"\n[time]\nend = 15\n[initial]\nS = 500000\nZ = 1\n'
        f"[parameters]\nbeta = {sc.parameters['beta']!r}\nalpha = {sc.parameters['alpha']!r}\n",
        encoding="utf-8",
    )
    assert cli("export-model", scenario_file, "--sbml", path) == 0, cli.err
    read = read_sbml(path)
    assert dict(read.initial) == {"S": 500000, "Z": 1, "R": 0}
    assert read.model.defaults == dict(sc.parameters)

    finals = []
    for source in (scenario_file, path):
        out = tmp_path / f"out-{Path(source).stem}"
        assert cli("run", source, "--engine", "ode", "--t-end", "15", "--out", out) == 0, cli.err
        finals.append(pd.read_parquet(out / "totals.parquet").iloc[-1])
    for c in ("S", "Z", "R"):
        assert finals[1][c] == pytest.approx(finals[0][c], rel=1e-6, abs=1e-6)


def test_export_a_model_file_and_an_sbml_file(cli: Cli, tmp_path: Path) -> None:
    """A model .toml file is written as SBML that reads back as that model; an SBML file given
    as MODEL is read and written again, the same model with the same initial amounts."""
    toml = tmp_path / "sir.toml"
    toml.write_text(SIR_MODEL, encoding="utf-8")
    first, second = tmp_path / "first.sbml", tmp_path / "second.xml"
    assert cli("export-model", toml, "--sbml", first) == 0, cli.err
    assert read_sbml(first).model == load_model(toml)
    write_sbml(load_model(toml), first, initial={"S": 90, "I": 10, "R": 0})
    assert cli("export-model", first, "--sbml", second) == 0, cli.err
    assert read_sbml(second) == read_sbml(first)
    assert errors(second) == []


TO = ["--sbml", "out.xml"]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["no-such-model", *TO], "no such built-in model, scenario or model file (got 'no-such-"),
        (["missing.toml", *TO], "no such built-in model, scenario or model file (got 'missing."),
        (["bad.toml", *TO], "bad.toml: "),
        (["bad.xml", *TO], "bad.xml: not an SBML file hyosan can read"),
        (["sir", "--sbml", "no/such/folder/out.xml"], "--sbml: cannot write the SBML file"),
        (["sir", "--sbml", "."], "--sbml: a folder, not a file (got '.')"),
        (["sir", "--sbml", ""], "an empty path"),
        (["sir"], "Missing option '--sbml'"),
    ],
)
def test_bad_input_exits_2_naming_it_and_writes_nothing(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], says: str
) -> None:
    """Bad input exits 2 with one line naming what was wrong, and no file is written."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.toml").write_text("compartments = [\n", encoding="utf-8")
    (tmp_path / "bad.xml").write_text("<not sbml", encoding="utf-8")
    before = sorted(os.listdir(tmp_path))
    assert cli("export-model", *args) == 2
    assert says in cli.err
    assert len(cli.err.strip().splitlines()) == 1 and "Traceback" not in cli.err
    assert sorted(os.listdir(tmp_path)) == before


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the disk fails as the file is moved into place, the file that was there stays as it
    was, no temporary file is left, and the command exits 2 naming the file."""
    path = tmp_path / "model.xml"
    path.write_text("the old file", encoding="utf-8")

    def full(*_: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(hyosan._files.os, "replace", full)
    assert cli("export-model", "sir", "--sbml", path) == 2
    assert f"--sbml: cannot write the SBML file: {os.strerror(errno.ENOSPC)}" in cli.err
    assert str(path) in cli.err
    assert path.read_text(encoding="utf-8") == "the old file"
    assert os.listdir(tmp_path) == ["model.xml"]


# -- hyosan run / validate model.xml -----------------------------------------------


def test_run_an_sbml_file_end_to_end(cli: Cli, tmp_path: Path) -> None:
    """``hyosan run model.xml --t-end 20 --seed 3 --out DIR`` writes the result folder: totals
    up to t = 20 with the file's compartments and initial amounts, a summary, and a resolved
    scenario.toml (the model inline) that runs again to the same numbers."""
    model = tmp_path / "sir.xml"
    write_sbml(builtin_model("sir"), model, initial={"S": 200, "I": 5, "R": 0})
    out = tmp_path / "out"
    assert cli("run", model, "--t-end", "20", "--seed", "3", "--out", out) == 0, cli.err
    totals = pd.read_parquet(out / "totals.parquet")
    assert list(totals.columns) == ["run", "time", "S", "I", "R"]
    assert totals["time"].iloc[-1] == 20.0
    assert totals[["S", "I", "R"]].iloc[0].tolist() == [200, 5, 0]
    assert totals["R"].iloc[-1] > 0  # something happened
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["engine"] == "ssa" and summary["seed"] == 3
    again = tmp_path / "again"
    assert cli("run", out / "scenario.toml", "--out", again) == 0, cli.err
    pd.testing.assert_frame_equal(pd.read_parquet(again / "totals.parquet"), totals)


def test_validate_an_sbml_file_shows_the_defaults(cli: Cli, tmp_path: Path) -> None:
    """``hyosan validate model.xml``: ssa for whole initial amounts, ode for fractional ones,
    100 time units of the model (``--t-end`` changes it on run)."""
    whole, fractional = tmp_path / "whole.xml", tmp_path / "fractional.xml"
    write_sbml(builtin_model("munz-basic"), whole, initial={"S": 500, "Z": 1})
    write_sbml(builtin_model("aouad"), fractional, initial={"S": 500.5, "Z": 1})
    assert cli("validate", whole) == 0, cli.err
    said = " ".join(cli.out.split())
    assert "ok: whole: model munz-basic (S, Z, R), 5 reactions" in said
    assert "engine ssa" in said and "t = 0..100 day" in said
    assert cli("validate", fractional) == 0, cli.err
    said = " ".join(cli.out.split())
    assert "engine ode" in said and "t = 0..100 hour" in said
