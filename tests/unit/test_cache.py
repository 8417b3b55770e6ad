"""The kernel cache runs no planted code, and hyosan runs when nothing can be cached.

A cache folder is used only if it is a real folder, owned by the user, and not
writable by others (:mod:`hyosan._cache`); otherwise kernels compile in memory
and one line says so. The tests run as root, where permissions do not stop
writes: folders that cannot be written are paths under a regular file, and
another user's folder is simulated by changing the uid hyosan compares with.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import pickle
import py_compile
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numba
import numpy as np
import pytest
from numpy.random import PCG64, Generator

import hyosan
from hyosan import _cache
from hyosan.engines import Stops
from hyosan.engines._codegen import generated_kernel, kernel_source
from hyosan.engines._kernels import _jit
from hyosan.engines.base import needs_compiling
from hyosan.model import builtin_model, compile_model

NOTICE = "hyosan: not caching compiled kernels: "


@pytest.fixture
def places(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """Fresh candidates: ``named`` is ``$HYOSAN_CACHE_DIR``, ``temp`` the temporary directory;
    ``nowhere`` a path under a regular file, which no one can create; the notice unsaid."""
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setenv("HYOSAN_CACHE_DIR", str(tmp_path / "named"))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    monkeypatch.setattr(_cache, "_said", False)
    return {"named": tmp_path / "named", "temp": temp, "nowhere": blocked / "x"}


def _notices(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith(NOTICE)]


def test_new_folders_are_created_private(places, monkeypatch) -> None:
    """A missing cache folder, and its ``kernels`` folder, are created with mode 0700; so is the
    fallback in the temporary directory."""
    folder = _cache.kernel_folder()
    assert folder == places["named"] / "kernels"
    for made in (places["named"], folder):
        assert os.stat(made).st_mode & 0o777 == 0o700
    monkeypatch.setenv("HYOSAN_CACHE_DIR", str(places["nowhere"]))
    fallback = _cache.kernel_folder()
    assert fallback == places["temp"] / f"hyosan-{os.getuid()}"
    assert os.stat(fallback).st_mode & 0o777 == 0o700


@pytest.mark.parametrize("where", ["named", "kernels", "temp"])
def test_a_folder_others_can_write_is_refused(places, monkeypatch, capsys, where) -> None:
    """A cache folder open to others (mode 0777), whether ``$HYOSAN_CACHE_DIR``, its ``kernels``
    folder or the fallback, is refused: no cache, and one line on stderr, once per process."""
    open_folder = {
        "named": places["named"],
        "kernels": places["named"] / "kernels",
        "temp": places["temp"] / f"hyosan-{os.getuid()}",
    }[where]
    open_folder.mkdir(parents=True)
    open_folder.chmod(0o777)
    if where == "temp":
        monkeypatch.setenv("HYOSAN_CACHE_DIR", str(places["nowhere"]))
    else:  # the fallback is blocked too, so that nothing is cached at all
        monkeypatch.setattr(tempfile, "tempdir", str(places["nowhere"]))
    assert _cache.kernel_folder() is None
    assert _cache.kernel_folder() is None
    [line] = _notices(capsys.readouterr().err)
    assert f"{open_folder} is writable by others (mode 777;" in line


def test_a_folder_of_another_user_is_refused(places, monkeypatch, capsys) -> None:
    """Folders owned by another uid are refused: here hyosan runs as uid 4321 and every folder
    is root's."""
    places["named"].mkdir(mode=0o700)
    monkeypatch.setattr(os, "getuid", lambda: 4321)
    assert _cache.kernel_folder() is None
    [line] = _notices(capsys.readouterr().err)
    assert f"{places['named']} is owned by uid {os.stat(places['named']).st_uid}" in line
    assert f"{places['temp'] / 'hyosan-4321'} is owned by uid" in line


@pytest.mark.parametrize("where", ["named", "temp"])
def test_a_planted_link_is_refused(places, monkeypatch, tmp_path, capsys, where) -> None:
    """A symbolic link in place of the cache folder is refused, even to a private folder."""
    target = tmp_path / "elsewhere"
    (target / "kernels").mkdir(parents=True, mode=0o700)
    target.chmod(0o700)
    link = places["named"] if where == "named" else places["temp"] / f"hyosan-{os.getuid()}"
    link.symlink_to(target)
    if where == "named":
        monkeypatch.setattr(tempfile, "tempdir", str(places["nowhere"]))
    else:
        monkeypatch.setenv("HYOSAN_CACHE_DIR", str(places["nowhere"]))
    assert _cache.kernel_folder() is None
    [line] = _notices(capsys.readouterr().err)
    assert f"{link} is a symbolic link" in line


class _Touch:
    """Unpickled, creates the file ``path``: a stand-in for any code."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return open, (str(self.path), "w")


def _plant(folder: Path, name: str, source: str, marker: Path) -> None:
    """What another user could leave in ``folder`` for the kernel ``name``: its exact source with
    bytecode that also creates ``marker`` (a hash-based .pyc Python does not check against the
    source), and a numba index that creates ``marker`` when unpickled."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.py").write_text(source)
    evil = folder.parent / "evil.py"
    evil.write_text(f"{source}\nopen({str(marker)!r}, 'w').close()\n")
    pyc = importlib.util.cache_from_source(str(folder / f"{name}.py"))
    mode = py_compile.PycInvalidationMode.UNCHECKED_HASH
    py_compile.compile(str(evil), cfile=pyc, invalidation_mode=mode, doraise=True)
    line = source.splitlines().index("@njit(cache=True)") + 1  # numba names it by this line
    version = f"py{sys.version_info[0]}{sys.version_info[1]}{getattr(sys, 'abiflags', '')}"
    index = Path(pyc).parent / f"{name}.kernel-{line}.{version}.nbi"
    index.write_bytes(pickle.dumps(_Touch(marker)))


@pytest.mark.parametrize("where", ["named", "temp"])
def test_nothing_is_run_from_a_refused_folder(places, monkeypatch, tmp_path, capsys, where) -> None:
    """Kernel files planted in an open cache folder (``$HYOSAN_CACHE_DIR`` or the fallback) are
    neither imported nor unpickled: the generated kernel is compiled in memory and runs."""
    cm = compile_model(builtin_model("sir"))
    source = kernel_source(cm)
    for name in [n for n in sys.modules if n.startswith("hyosan_ssa_")]:
        monkeypatch.delitem(sys.modules, name)  # loaded kernels: this one must be loaded anew
    folder = places["named"] if where == "named" else places["temp"] / f"hyosan-{os.getuid()}"
    kernels = folder / "kernels" if where == "named" else folder
    marker = tmp_path / "planted-code-ran"
    name = f"hyosan_ssa_{hashlib.sha256(source.encode()).hexdigest()[:20]}"
    _plant(kernels, name, source, marker)
    folder.chmod(0o777)
    if where == "temp":
        monkeypatch.setenv("HYOSAN_CACHE_DIR", str(places["nowhere"]))
    else:
        monkeypatch.setattr(tempfile, "tempdir", str(places["nowhere"]))
    kernel = generated_kernel(cm)
    assert kernel is not None
    times = np.linspace(0.0, 5.0, 6)
    x = np.array([990.0, 10.0, 0.0])
    out = np.zeros((len(times), 3))
    stops = Stops.build([], builtin_model("sir").compartments).mixed
    kernel(x, 0.0, 5.0, cm.arrays, stops, times, out, 0, 10**6, Generator(PCG64(1)))
    assert not marker.exists()
    assert len(_notices(capsys.readouterr().err)) == 1
    assert not hasattr(sys.modules[name], "__file__")  # built in memory


def _module_in(folder: Path, blocked_pycache: bool) -> object:
    """A module of one function, imported from ``folder``; its ``__pycache__`` a regular file
    (which even root cannot make a folder) when ``blocked_pycache``."""
    folder.mkdir()
    (folder / "lone_kernel.py").write_text("def plus_one(x):\n    return x + 1\n")
    if blocked_pycache:
        (folder / "__pycache__").write_text("")
    spec = importlib.util.spec_from_file_location("lone_kernel", folder / "lone_kernel.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_kernels_numba_cannot_cache_use_hyosan_folder(places, monkeypatch, tmp_path) -> None:
    """When numba finds no folder of its own (``__pycache__`` and the user's cache unwritable),
    ``njit(cache=True)`` keeps the machine code in hyosan's private folder, and numba's own
    setting is left as it was."""
    monkeypatch.delenv("NUMBA_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(places["nowhere"]))
    monkeypatch.setenv("HOME", str(places["nowhere"]))
    module = _module_in(tmp_path / "mod", blocked_pycache=True)
    before = numba.config.CACHE_DIR
    kernel = _jit.njit(cache=True)(module.plus_one)  # type: ignore[attr-defined]
    assert before == numba.config.CACHE_DIR
    assert kernel(1) == 2
    index = Path(kernel._cache._cache_file._index_path)
    assert index.is_file() and index.is_relative_to(places["named"] / "kernels" / "numba")


def test_kernels_compile_in_memory_when_nothing_can_cache(places, monkeypatch, tmp_path, capsys):
    """With no folder numba or hyosan may use, ``njit(cache=True)`` compiles without a cache
    (where numba would raise "cannot cache function"), says so once, and such a kernel counts as
    needing compiling until its first call."""
    monkeypatch.delenv("NUMBA_CACHE_DIR", raising=False)
    for variable in ("XDG_CACHE_HOME", "HOME", "HYOSAN_CACHE_DIR"):
        monkeypatch.setenv(variable, str(places["nowhere"]))
    monkeypatch.setattr(tempfile, "tempdir", str(places["nowhere"]))
    module = _module_in(tmp_path / "mod", blocked_pycache=True)
    kernel = _jit.njit(cache=True)(module.plus_one)  # type: ignore[attr-defined]
    assert len(_notices(capsys.readouterr().err)) == 1
    assert needs_compiling(kernel)
    assert kernel(1) == 2
    assert not needs_compiling(kernel)


def _copy_without_pycache(tmp_path: Path) -> Path:
    """hyosan copied into ``tmp_path/site``, where its kernels' ``__pycache__`` is a regular
    file: numba cannot cache beside them, as in a read-only install."""
    site = tmp_path / "site"
    shutil.copytree(
        Path(hyosan.__file__).parent, site / "hyosan", ignore=shutil.ignore_patterns("__pycache__")
    )
    (site / "hyosan" / "engines" / "_kernels" / "__pycache__").write_text("")
    return site


# sets the temporary directory the way Python lets a program do it, then runs `python -m hyosan`
# (TMPDIR alone would not do: tempfile falls back to /tmp when TMPDIR is unusable)
_LAUNCH = (
    "import runpy, sys, tempfile; tempfile.tempdir = sys.argv.pop(1); "
    "runpy.run_module('hyosan', run_name='__main__', alter_sys=True)"
)


def test_runs_with_nowhere_to_cache(tmp_path: Path) -> None:
    """A read-only install with no writable home, cache folder or temporary directory (issue 15,
    item 6): ``hyosan run`` with the ssa and ode engines exits 0, with the one-line notice and no
    traceback, where numba would stop it with "cannot cache function"."""
    site = _copy_without_pycache(tmp_path)
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    env = {k: v for k, v in os.environ.items() if k not in ("HYOSAN_CACHE_DIR", "NUMBA_CACHE_DIR")}
    env |= {
        "HOME": str(blocked / "home"),
        "XDG_CACHE_HOME": str(blocked / "cache"),
        "TMPDIR": str(blocked / "tmp"),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(site), env.get("PYTHONPATH")])),
        "COLUMNS": "100",
    }

    def python(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, *args]
        return subprocess.run(
            command, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False
        )

    where = python("-c", "import hyosan; print(hyosan.__file__)")
    assert where.stdout.strip() == str(site / "hyosan" / "__init__.py")
    run = ["run", "sir", "--runs", "1", "--t-end", "20"]
    for engine in ("ssa", "ode"):
        done = python("-c", _LAUNCH, str(blocked / "tmp"), *run, "--engine", engine)
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr
        assert len(_notices(done.stderr)) == 1, done.stderr
