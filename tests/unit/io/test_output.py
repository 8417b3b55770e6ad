"""Tests of the result folder: round trip, atomic writes and clear errors when reading."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

import hyosan.io.output as output
from hyosan.errors import InputError
from hyosan.io import load_result, save_result
from hyosan.results import Result
from hyosan.space import World

TOML = 'name = "classroom"\nseed = 7\n'
PARAMETERS = {"beta": 0.5, "zeta": 0.125}


def _result(scenario_toml: str = TOML, world: World | None = None) -> Result:
    counts = np.array(
        [
            [[10, 1, 0], [5, 6, 0], [0.5, 8, 2], [0, 7, 4]],
            [[10, 1, 0], [9, 2, 0], [9, 1, 1], [9, 0, 2]],
        ],
        dtype=float,
    )
    fields = None
    if world is not None:  # a third of everyone in the first patch, the rest in the last
        fields = np.zeros((*counts.shape, world.n_patches))
        fields[..., 0], fields[..., -1] = counts / 3, counts * 2 / 3
    return Result.from_arrays(
        counts,
        [0.0, 0.5, 1.0, 1.5],
        ("S", "Z", "D"),
        events=[12, 3],
        engine="tau",
        seed=7,
        scenario_name="classroom",
        model="szr",
        humans=("S",),
        zombies=("Z",),
        time_unit="hour",
        scenario_toml=scenario_toml,
        fields=fields,
        world=world,
        parameters=PARAMETERS,
    )


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_round_trip_keeps_everything(tmp_path: Path) -> None:
    """save_result then load_result gives back the same counts, grid, events and provenance."""
    original = _result()
    out = save_result(original, tmp_path / "out")
    assert out == (tmp_path / "out").absolute()
    back = load_result(out)
    np.testing.assert_array_equal(back.counts, original.counts)
    np.testing.assert_array_equal(back.times, original.times)
    np.testing.assert_array_equal(back.events, original.events)
    assert back.compartments == original.compartments
    assert back.dataset.attrs == original.dataset.attrs
    assert back.parameters == PARAMETERS


def test_files_written(tmp_path: Path) -> None:
    """The folder holds totals.parquet (no index column), summary.json with meta, scenario.toml."""
    r = _result()
    out = save_result(r, tmp_path / "out")
    assert sorted(p.name for p in out.iterdir()) == [
        "scenario.toml",
        "summary.json",
        "totals.parquet",
    ]
    table = pq.read_table(out / "totals.parquet")
    assert table.column_names == ["run", "time", "S", "Z", "D"]
    assert table.num_rows == 8
    summary = json.loads((out / "summary.json").read_text())
    assert summary["per_run"][0]["peak_zombies"] == 8.0
    assert summary["meta"]["humans"] == ["S"]
    assert summary["meta"]["model"] == "szr"
    assert (out / "scenario.toml").read_text() == TOML


def test_scenario_argument_wins_and_empty_means_no_file(tmp_path: Path) -> None:
    """The scenario_toml argument replaces the stored text; with neither, no scenario.toml."""
    out = save_result(_result(), tmp_path / "a", scenario_toml="seed = 1\n")
    assert (out / "scenario.toml").read_text() == "seed = 1\n"
    out = save_result(_result(scenario_toml=""), tmp_path / "b")
    assert not (out / "scenario.toml").exists()
    assert load_result(out).dataset.attrs["scenario_toml"] == ""


def test_other_files_are_kept_and_ours_replaced(tmp_path: Path) -> None:
    """Saving into a used folder keeps unrelated files and replaces the result's own files."""
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me")
    (folder / "summary.json").write_text("old")
    save_result(_result(), folder)
    assert (folder / "notes.txt").read_text() == "keep me"
    assert json.loads((folder / "summary.json").read_text())["runs"] == 2


def test_stale_scenario_is_removed(tmp_path: Path) -> None:
    """A scenario.toml left by an earlier result does not survive a result without one."""
    folder = save_result(_result(), tmp_path / "out")
    save_result(_result(scenario_toml=""), folder)
    assert not (folder / "scenario.toml").exists()


def test_no_temporary_folder_is_left(tmp_path: Path) -> None:
    """After a successful save, the parent holds only the result folder."""
    save_result(_result(), tmp_path / "out")
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_failure_while_writing_leaves_folder_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If a writer fails midway, the folder is as before: old files kept, no partial, no temp."""
    folder = save_result(_result(), tmp_path / "out")
    (folder / "notes.txt").write_text("keep me")
    before = _snapshot(folder)

    def broken(path: Path, text: str) -> None:
        path.write_text(text[:10])
        raise OSError("disk full")

    monkeypatch.setattr(output, "write_text", broken)
    changed = _result()
    changed.dataset["counts"][:] = 0.0
    with pytest.raises(OSError, match="disk full"):
        save_result(changed, folder)
    assert _snapshot(folder) == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_failure_while_moving_in_restores_old_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If moving the files in fails after some were replaced, the old files are put back."""
    folder = save_result(_result(), tmp_path / "out")
    before = _snapshot(folder)
    real_replace = os.replace
    moved_in = {"n": 0}

    def flaky(src: object, dst: object) -> None:
        if Path(dst).parent == folder:  # type: ignore[arg-type]
            moved_in["n"] += 1
            if moved_in["n"] == 2:  # after totals.parquet went in and summary.json was backed up
                raise OSError("device gone")
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(output.os, "replace", flaky)
    with pytest.raises(OSError, match="device gone"):
        save_result(_result(scenario_toml="other = 1\n"), folder)
    monkeypatch.setattr(output.os, "replace", real_replace)
    assert _snapshot(folder) == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_failure_into_a_new_folder_creates_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failed save into a folder that did not exist leaves no folder and no temp behind."""

    def broken(result: Result, path: Path) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(output, "write_totals", broken)
    with pytest.raises(RuntimeError):
        save_result(_result(), tmp_path / "new")
    assert list(tmp_path.iterdir()) == []


def test_saving_over_a_file_is_bad_input(tmp_path: Path) -> None:
    """A target that is a file raises InputError and leaves the file alone."""
    target = tmp_path / "out"
    target.write_text("x")
    with pytest.raises(InputError, match="over a file"):
        save_result(_result(), target)
    assert target.read_text() == "x"


def test_result_save_method_uses_io(tmp_path: Path) -> None:
    """Result.save writes the same folder as save_result."""
    out = _result().save(tmp_path / "out")
    assert (out / "totals.parquet").is_file()


def test_load_missing_folder(tmp_path: Path) -> None:
    """Loading a folder that does not exist names it and says what is expected."""
    with pytest.raises(InputError, match="hyosan run --out"):
        load_result(tmp_path / "nope")


def test_load_missing_totals(tmp_path: Path) -> None:
    """A folder without totals.parquet gives an InputError naming the file."""
    with pytest.raises(InputError, match=r"no totals\.parquet here.*hyosan run --out"):
        load_result(tmp_path)


def test_load_missing_summary(tmp_path: Path) -> None:
    """A folder without summary.json gives an InputError naming the file."""
    folder = save_result(_result(), tmp_path / "out")
    (folder / "summary.json").unlink()
    with pytest.raises(InputError, match=r"no summary\.json here"):
        load_result(folder)


def test_load_corrupt_totals(tmp_path: Path) -> None:
    """A damaged totals.parquet gives an InputError that names the file."""
    folder = save_result(_result(), tmp_path / "out")
    (folder / "totals.parquet").write_bytes(b"not parquet")
    with pytest.raises(InputError, match="Parquet") as info:
        load_result(folder)
    assert info.value.source.endswith("totals.parquet")


def test_load_corrupt_summary(tmp_path: Path) -> None:
    """A summary.json that is not JSON gives an InputError that names the file."""
    folder = save_result(_result(), tmp_path / "out")
    (folder / "summary.json").write_text("{ nope")
    with pytest.raises(InputError, match="JSON") as info:
        load_result(folder)
    assert info.value.source.endswith("summary.json")


@pytest.mark.parametrize("key", ["engine", "humans", "seed"])
def test_load_summary_without_meta_key(tmp_path: Path, key: str) -> None:
    """A meta block missing a needed key gives an InputError with the key path."""
    folder = save_result(_result(), tmp_path / "out")
    data = json.loads((folder / "summary.json").read_text())
    del data["meta"][key]
    (folder / "summary.json").write_text(json.dumps(data))
    with pytest.raises(InputError) as info:
        load_result(folder)
    assert info.value.key == f"meta.{key}"


def test_load_bad_meta_value(tmp_path: Path) -> None:
    """A meta value that cannot be used (zombies not in the table) gives a located InputError."""
    folder = save_result(_result(), tmp_path / "out")
    data = json.loads((folder / "summary.json").read_text())
    data["meta"]["zombies"] = ["W"]
    (folder / "summary.json").write_text(json.dumps(data))
    with pytest.raises(InputError) as info:
        load_result(folder)
    assert info.value.key == "meta.zombies"
    assert info.value.source.endswith("summary.json")


def test_load_mismatched_run_count(tmp_path: Path) -> None:
    """A summary with a different number of runs than the table is rejected."""
    folder = save_result(_result(), tmp_path / "out")
    data = json.loads((folder / "summary.json").read_text())
    data["per_run"] = data["per_run"][:1]
    (folder / "summary.json").write_text(json.dumps(data))
    with pytest.raises(InputError, match="per_run"):
        load_result(folder)


def test_load_ragged_table(tmp_path: Path) -> None:
    """A table whose runs do not share one time grid is rejected."""
    import pyarrow as pa

    folder = save_result(_result(), tmp_path / "out")
    table = pq.read_table(folder / "totals.parquet").slice(0, 7)
    pq.write_table(pa.table(table.to_pydict()), folder / "totals.parquet")
    with pytest.raises(InputError, match="same output times"):
        load_result(folder)


def test_totals_carry_the_provenance_for_pyarrow_alone(tmp_path: Path) -> None:
    """totals.parquet's key-value metadata holds, under ``hyosan``, a JSON object with the
    version, scenario, seed, engine, time unit, parameter values and the resolved scenario,
    and every column states its unit and what it holds, all read from the schema."""
    r = _result()
    folder = save_result(r, tmp_path / "out")
    schema = pq.read_schema(folder / "totals.parquet")
    stored = json.loads(schema.metadata[b"hyosan"])
    assert stored == {
        "version": r.dataset.attrs["hyosan_version"],
        "scenario": "classroom",
        "seed": 7,
        "engine": "tau",
        "time_unit": "hour",
        "parameters": PARAMETERS,
        "parameter_units": {},
        "scenario_toml": r.dataset.attrs["scenario_toml"],
    }
    assert stored["scenario_toml"].startswith('name = "classroom"')
    units = {f.name: f.metadata[b"unit"].decode() for f in schema}
    assert units == {"run": "1", "time": "hour", **{c: "1" for c in r.compartments}}
    assert all(f.metadata[b"description"] for f in schema)


def _strip_provenance(folder: Path) -> None:
    """Rewrite totals.parquet as it was written before it carried the provenance."""
    table = pq.read_table(folder / "totals.parquet")
    kept = {k: v for k, v in table.schema.metadata.items() if k != b"hyosan"}
    pq.write_table(table.replace_schema_metadata(kept), folder / "totals.parquet")


def test_a_folder_from_before_the_provenance_still_loads(tmp_path: Path) -> None:
    """A totals.parquet without the ``hyosan`` metadata loads, with no parameters."""
    folder = save_result(_result(), tmp_path / "out")
    _strip_provenance(folder)
    assert b"hyosan" not in pq.read_schema(folder / "totals.parquet").metadata
    back = load_result(folder)
    assert back.parameters == {}
    np.testing.assert_array_equal(back.counts, _result().counts)


@pytest.mark.parametrize(
    ("stored", "key"),
    [(b"{ nope", "hyosan"), (b'{"parameters": [1]}', "hyosan.parameters"),
     (b'{"parameters": {"beta": "x"}}', "hyosan.parameters.beta")],
)  # fmt: skip
def test_damaged_provenance_is_bad_input(tmp_path: Path, stored: bytes, key: str) -> None:
    """Provenance that is not JSON, or parameters that are not numbers by name, raise an
    InputError naming totals.parquet and the key."""
    folder = save_result(_result(), tmp_path / "out")
    table = pq.read_table(folder / "totals.parquet")
    metadata = {**table.schema.metadata, b"hyosan": stored}
    pq.write_table(table.replace_schema_metadata(metadata), folder / "totals.parquet")
    with pytest.raises(InputError) as info:
        load_result(folder)
    assert info.value.source.endswith("totals.parquet") and info.value.key == key


def _hall() -> World:
    return World.from_edges("hall", ["lab", "gym", "roof"], [("lab", "gym", 1.0)])


def test_fields_round_trip_with_the_parameters(tmp_path: Path) -> None:
    """In space, fields.nc holds the counts per patch and ``parameter_value``; loading gives
    both back, the parameters from fields.nc too when totals.parquet has none."""
    import xarray as xr

    r = _result(world=_hall())
    folder = save_result(r, tmp_path / "out")
    with xr.open_dataset(folder / "fields.nc", engine="h5netcdf") as f:
        assert f["parameter"].values.tolist() == list(PARAMETERS)
        assert f["parameter_value"].values.tolist() == list(PARAMETERS.values())
    back = load_result(folder)
    np.testing.assert_array_equal(back.fields, r.fields)
    assert back.patches == ("lab", "gym", "roof")
    assert back.parameters == PARAMETERS
    _strip_provenance(folder)
    assert load_result(folder).parameters == PARAMETERS


def test_the_parameters_units_travel_with_the_files(tmp_path: Path) -> None:
    """A run keeps its model's parameter units (``1/day``): in totals.parquet's metadata, as
    ``parameter_unit`` beside ``parameter_value`` in fields.nc, and back with load_result."""
    import xarray as xr

    import hyosan

    sc = hyosan.load_scenario("munz-basic")
    r = hyosan.simulate(sc, engine="ode", runs=1)
    expected = {p.name: p.unit for p in sc.model.parameters}
    assert "1/day" in expected.values()
    assert r.parameter_units == expected
    folder = save_result(r, tmp_path / "munz")
    stored = json.loads(pq.read_schema(folder / "totals.parquet").metadata[b"hyosan"])
    assert stored["parameter_units"] == expected
    assert load_result(folder).parameter_units == expected
    world = World.from_edges("two", ["a", "b"], [("a", "b", 1.0)])
    spaced = Result.from_arrays(
        r.counts,
        r.times,
        r.compartments,
        events=[0],
        engine="ode",
        seed=1,
        scenario_name="munz",
        model="munz-basic",
        humans=("S",),
        zombies=("Z",),
        time_unit="day",
        fields=np.stack([r.counts, np.zeros_like(r.counts)], axis=-1),
        world=world,
        parameters=r.parameters,
        parameter_units=expected,
    )
    folder = save_result(spaced, tmp_path / "two")
    with xr.open_dataset(folder / "fields.nc", decode_times=False) as f:
        names, given = f["parameter"].values.tolist(), f["parameter_unit"].values.tolist()
    units = dict(zip(names, given, strict=True))
    assert units == expected
