"""Files given as input cannot leak, crash or hang (issue 15, items 3 and 8).

A message quotes nothing of a file that is not TOML (it could be any file the
user can read: ``/proc/self/environ``, ``/etc/passwd``, a binary); a file
nested too deeply is bad input, not a RecursionError; a named pipe, a device
or a folder is refused as "not a regular file" without being read, and a file
over :data:`~hyosan.space.graph.MAX_FILE_BYTES` before it is read. The same
holds for a scenario, a model file and a world file, which share one reader.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from hyosan.errors import InputError
from hyosan.scenario import load_model, load_scenario, load_scenario_text
from hyosan.space import load_world_file
from hyosan.space.graph import MAX_DEPTH, MAX_FILE_BYTES

SECRET = "HYOSAN_TEST_SECRET=7a1e9c"
TIME = "[time]\nend = 1\n"
SIR = 'model = "sir"\n' + TIME + "[initial]\nS = 10\nI = 1\n"
PLAN = '[[patches]]\nname = "a"\npeople = 5\n[[patches]]\nname = "b"\n'


def _scenario_using(tmp_path: Path, kind: str, target: Path | str) -> Path:
    """A scenario file that reads ``target`` as its ``kind``: scenario, model or world file."""
    if kind == "scenario":
        return Path(target)
    text = (
        f'model = "{target}"\n{TIME}'
        if kind == "model"
        else f'model = "sir"\n{TIME}[world]\nfile = "{target}"\n'
    )
    path = tmp_path / f"uses-{kind}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _refusal(path: Path) -> InputError:
    start = time.perf_counter()
    with pytest.raises(InputError) as info:
        load_scenario(path)
    assert time.perf_counter() - start < 1.0, "a refusal takes well under a second"
    return info.value


KINDS = ["scenario", "model", "world"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_file_that_is_not_toml_is_never_quoted(tmp_path: Path, kind: str) -> None:
    """A file of NUL-separated secrets (what /proc/self/environ holds) or of passwd lines
    given as any TOML file: the message gives the line, the column and tomllib's reason,
    and no byte of the file."""
    for content in (f"SHELL=/bin/bash\0{SECRET}\0", f"root:x:0:0:{SECRET}:/root:/bin/sh\n"):
        target = tmp_path / "secrets"
        target.write_text(content, encoding="utf-8")
        err = _refusal(_scenario_using(tmp_path, kind, target))
        assert "not valid TOML" in str(err) and "line 1, column" in str(err)
        assert err.source == str(target)
        said = str(err).replace(str(target), "")
        assert SECRET not in said and "bash" not in said and "root" not in said


@pytest.mark.skipif(not Path("/proc/self/environ").is_file(), reason="no /proc here")
def test_the_environment_is_not_printed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``model = "/proc/self/environ"`` (issue 15's example) prints no variable."""
    monkeypatch.setenv("HYOSAN_TEST_SECRET", "7a1e9c")
    err = _refusal(_scenario_using(tmp_path, "model", "/proc/self/environ"))
    assert "7a1e9c" not in str(err) and "PATH" not in str(err)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (f'a = "x"\n"{SECRET}" = 1\n"{SECRET}" = 2\n', "Cannot overwrite a value"),
        (f'"{SECRET}" = {{ b = 1 }}\n"{SECRET}".c = 2\n', "a table that cannot be extended here"),
        (f'[t]\n"{SECRET}" = 1\n[t]\n', "a key or table given twice"),
        (f'a = {{ "{SECRET}" = 1, "{SECRET}" = 2 }}\n', "a key given twice in an inline table"),
        (f'a = "{SECRET}\x01"\n', "a character not allowed here"),
        (f"{SECRET} = \n", "Expected newline or end of document after a statement"),
    ],
)
def test_toml_reasons_that_would_quote_the_file_are_said_in_words(
    tmp_path: Path, text: str, reason: str
) -> None:
    """tomllib's reasons that quote a key or a character of the text ("Cannot declare
    ('...',) twice", "Illegal character '\\x01'") are replaced by words that do not."""
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    err = _refusal(path)
    assert f"not valid TOML: {reason} (at line" in str(err)
    assert SECRET not in str(err)


@pytest.mark.parametrize("kind", KINDS)
def test_bytes_of_a_binary_file_are_not_echoed(tmp_path: Path, kind: str) -> None:
    """A binary file (bytes that are not UTF-8) is refused naming the offset, not the bytes."""
    target = tmp_path / "picture.png"
    target.write_bytes(b"\x89PNG\r\n\x1a\n" + SECRET.encode() + b"\xff\xfe")
    err = _refusal(_scenario_using(tmp_path, kind, target))
    assert str(err).startswith(f"{target}: not UTF-8 text (byte 0)")
    assert "PNG" not in str(err) and SECRET not in str(err) and "\\x89" not in str(err)


@pytest.mark.parametrize("kind", KINDS)
def test_deep_nesting_is_bad_input_not_a_recursion_error(tmp_path: Path, kind: str) -> None:
    """``a = [[[...]]]`` 100,000 deep: "nested too deeply", naming the file."""
    target = tmp_path / "deep.toml"
    target.write_text("a = " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    err = _refusal(_scenario_using(tmp_path, kind, target))
    assert err.source == str(target)
    assert err.problem.startswith("nested too deeply")


def test_nesting_that_tomllib_reads_but_hyosan_could_not_write_back() -> None:
    """300 levels parse, but a kept table (``[sweep]``) that deep could not be written to
    scenario.toml (RecursionError in the writer): refused at once, at the same limit."""
    deep = "[" * 300 + "]" * 300
    text = 'model = "sir"\n[time]\nend = 1\n[initial]\nS = 1\n[sweep]\na = ' + deep + "\n"
    with pytest.raises(InputError) as info:
        load_scenario_text(text, source="s.toml")
    assert (info.value.source, info.value.problem) == ("s.toml", "nested too deeply")
    assert info.value.allowed == f"tables and arrays nested at most {MAX_DEPTH} deep"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
@pytest.mark.parametrize("kind", KINDS)
def test_a_named_pipe_is_refused_without_being_opened(tmp_path: Path, kind: str) -> None:
    """A FIFO as a scenario, model or world file is "not a regular file" (opening it to
    read would wait for a writer forever)."""
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    err = _refusal(_scenario_using(tmp_path, kind, fifo))
    assert err.problem == "not a regular file (a named pipe)"
    assert err.source == str(fifo)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
@pytest.mark.parametrize("kind", KINDS)
def test_a_device_is_refused_without_being_read(tmp_path: Path, kind: str) -> None:
    """``/dev/zero`` (endless bytes) is "not a regular file", not a file read forever."""
    err = _refusal(_scenario_using(tmp_path, kind, "/dev/zero"))
    assert err.problem == "not a regular file (a device or socket)"
    assert "64 MiB" in err.allowed


@pytest.mark.parametrize("kind", ["model", "world"])
def test_a_folder_as_a_file_is_not_a_regular_file(tmp_path: Path, kind: str) -> None:
    """A folder where a model or world file is named is "not a regular file (a folder)"."""
    (tmp_path / "sub").mkdir()
    err = _refusal(_scenario_using(tmp_path, kind, tmp_path / "sub"))
    assert err.problem == "not a regular file (a folder)"


@pytest.mark.parametrize("kind", KINDS)
def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path: Path, kind: str) -> None:
    """A (sparse) file one byte over 64 MiB is refused by its size, at once."""
    big = tmp_path / "big.toml"
    with big.open("wb") as fh:
        fh.truncate(MAX_FILE_BYTES + 1)
    err = _refusal(_scenario_using(tmp_path, kind, big))
    assert err.problem.startswith("too large") and err.value == MAX_FILE_BYTES + 1
    assert err.allowed == "a TOML file of at most 64 MiB"


def test_the_public_readers_share_the_checks(tmp_path: Path) -> None:
    """load_model and load_world_file (the Python API) refuse as the loader does."""
    bad = tmp_path / "bad.toml"
    bad.write_text(f"{SECRET} = \n", encoding="utf-8")
    for read in (load_model, load_world_file):
        with pytest.raises(InputError) as info:
            read(bad)
        assert "not valid TOML" in str(info.value) and SECRET not in str(info.value)
    good = tmp_path / "plan.toml"
    good.write_text(PLAN, encoding="utf-8")
    assert load_world_file(good).patches == ("a", "b")


def test_a_valid_scenario_file_still_loads(tmp_path: Path) -> None:
    """The safe reader reads an ordinary file, with a BOM too."""
    path = tmp_path / "ok.toml"
    path.write_bytes(b"\xef\xbb\xbf" + SIR.encode())
    assert load_scenario(path).initial["S"] == 10


@pytest.mark.parametrize(
    ("written", "problem"),
    [
        ("2 S + I -> 3 I", "a mass_action reaction has 2 reactant(s)"),
        ("S+I->I+I", "a first_order reaction has 1 reactant(s)"),
    ],
)
def test_an_equation_is_quoted_as_written(tmp_path: Path, written: str, problem: str) -> None:
    """A reaction refused by the model is quoted as the file writes it, not as
    ``'S + S + I -> I + I + I'``."""
    law = ', law = "first_order"' if problem.startswith("a first_order") else ""
    path = tmp_path / "eq.toml"
    path.write_text(
        '[model]\ncompartments = ["S", "I"]\nparameters = { beta = 0.1 }\n'
        f'reactions = [{{ equation = "{written}", rate = "beta"{law} }}]\n' + TIME,
        encoding="utf-8",
    )
    err = _refusal(path)
    assert err.key == "model.reactions[0].equation"
    assert err.problem == problem
    assert err.value == written
