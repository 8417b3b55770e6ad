"""The package's shape: no import cycles, no import up the layer order, small modules.

Every module under ``src/hyosan`` is read with :mod:`ast` (nothing is imported
or run) and its imports of ``hyosan`` become edges of the module graph. The
layers, lowest first, are ``_base`` (``errors``, ``_typing``, ``_seeds``,
``_checks``, ``_files``, the package ``__init__`` and ``__main__``), ``model``,
``space``, ``interventions``, ``engines``, ``scenario``, ``results``,
``ensemble``, ``io``, ``viz``, ``cli``; ``analytic`` may import up to
``results`` and ``testing`` up to ``ensemble``. A module may import its own
layer and those below; the upward imports allowed are ``results -> io`` and
``results -> viz`` (the lazy ``Result.save`` and ``Result.plot`` delegates).
Imports under ``if TYPE_CHECKING:`` are not edges. Modules stay within 400
lines and functions within 60, outside ``engines/_kernels``.

These are the rules of ``shared/tools/layers``, which the tests follow to the
letter (a package importing its own submodules through its ``__init__`` is no
cycle; a module's lines are counted as that tool counts them, one more than
its newlines). Each test lists every violation it finds, so that one run
shows all that is left to fix.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "hyosan"

ORDER = (
    "_base",
    "model",
    "space",
    "interventions",
    "engines",
    "scenario",
    "results",
    "ensemble",
    "io",
    "viz",
    "cli",
)
BASE = {"errors", "_typing", "_seeds", "_checks", "_files", "__init__", "__main__"}
SIDE = {"analytic": "results", "testing": "ensemble"}
"""Layers beside the order, and the highest layer each may import."""
ALLOWED_UP = {("results", "io"), ("results", "viz")}
"""The lazy delegates of :class:`~hyosan.results.Result`: ``save`` to io, ``plot`` to viz."""
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


@dataclass
class Graph:
    """The modules of a package read from source: import edges and sizes."""

    pkg: str
    files: dict[str, Path]
    edges: dict[str, set[str]] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    functions: list[tuple[str, int, str, int]] = field(default_factory=list)
    """``(module, line, name, length)`` of every function."""


def _modname(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _resolve(current: str, is_pkg: bool, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = current.split(".")
    if not is_pkg:
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _under_type_checking(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    p = parents.get(node)
    while p is not None:
        if isinstance(p, ast.If) and "TYPE_CHECKING" in ast.unparse(p.test):
            return True
        p = parents.get(p)
    return False


def _targets(node: ast.AST, current: str, is_pkg: bool) -> list[str]:
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    if isinstance(node, ast.ImportFrom):
        base = _resolve(current, is_pkg, node)
        return [base] + [f"{base}.{a.name}" for a in node.names]
    return []


def read_package(root: Path) -> Graph:
    """Read every module under ``root`` (a package folder) without importing any."""
    graph = Graph(root.name, {_modname(p, root): p for p in sorted(root.rglob("*.py"))})
    for mod, path in graph.files.items():
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        parents = {c: n for n in ast.walk(tree) for c in ast.iter_child_nodes(n)}
        graph.lines[mod] = source.count("\n") + 1
        graph.edges[mod] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                graph.functions.append((mod, node.lineno, node.name, length))
            targets = _targets(node, mod, path.name == "__init__.py")
            if not targets or _under_type_checking(node, parents):
                continue
            for target in targets:
                if target.split(".")[0] != graph.pkg:
                    continue
                while target and target not in graph.files:  # the deepest module it names
                    target = target.rsplit(".", 1)[0] if "." in target else ""
                if target and target != mod:
                    graph.edges[mod].add(target)
    return graph


def layer_of(module: str) -> str:
    parts = module.split(".")
    top = parts[1] if len(parts) > 1 else "__init__"
    if top in BASE or (top.startswith("_") and top not in ORDER):
        return "_base"
    return top


def rank(layer: str) -> int:
    if layer in SIDE:
        return ORDER.index(SIDE[layer])
    return ORDER.index(layer) if layer in ORDER else len(ORDER)


def upward_imports(graph: Graph) -> list[str]:
    """Every import of a module of a higher layer, but the allowed one."""
    found = []
    for a, targets in sorted(graph.edges.items()):
        for b in sorted(targets):
            la, lb = layer_of(a), layer_of(b)
            if la == lb or a in (graph.pkg, f"{graph.pkg}.__main__"):
                continue
            if rank(lb) > rank(la) and (la, lb) not in ALLOWED_UP:
                found.append(f"upward import: {a} ({la}) -> {b} ({lb})")
    return found


def _components(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on.add(start)
        while work:
            v, it = work[-1]
            w = next(it, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(edges[w]))))
                elif w in on:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    out.append(sorted(comp))
    return out


def import_cycles(graph: Graph, root: Path) -> list[str]:
    """Every cycle between modules, but a package importing its own submodules."""
    edges = {
        a: {b for b in bs if (layer_of(a), layer_of(b)) not in ALLOWED_UP}
        for a, bs in graph.edges.items()
    }
    found = []
    for comp in _components(edges):
        packages = [c for c in comp if (root.parent / Path(*c.split("."))).is_dir()]
        rest = [c for c in comp if c not in packages]
        if len(rest) > 1 or (rest and any(not rest[0].startswith(p + ".") for p in packages)):
            found.append("cycle: " + " <-> ".join(comp))
    return found


def large_modules(graph: Graph, root: Path) -> list[str]:
    return [
        f"module {graph.files[m].relative_to(root.parent)}: {n} lines (> {MAX_MODULE_LINES})"
        for m, n in graph.lines.items()
        if "_kernels" not in m and n > MAX_MODULE_LINES
    ]


def long_functions(graph: Graph, root: Path) -> list[str]:
    return [
        f"function {graph.files[m].relative_to(root.parent)}:{line} {name}: {n} lines "
        f"(> {MAX_FUNCTION_LINES})"
        for m, line, name, n in graph.functions
        if "_kernels" not in m and n > MAX_FUNCTION_LINES
    ]


@pytest.fixture(scope="module")
def hyosan() -> Graph:
    return read_package(SRC)


def _fail_on(problems: list[str]) -> None:
    if problems:
        pytest.fail(f"{len(problems)} found:\n" + "\n".join(problems), pytrace=False)


def test_no_import_cycles(hyosan: Graph) -> None:
    """No two modules of hyosan import each other, directly or through others."""
    _fail_on(import_cycles(hyosan, SRC))


def test_no_upward_imports(hyosan: Graph) -> None:
    """Every module imports only its own layer and those below (results -> io, viz aside)."""
    _fail_on(upward_imports(hyosan))


def test_modules_are_at_most_400_lines(hyosan: Graph) -> None:
    """No module outside engines/_kernels is longer than 400 lines."""
    _fail_on(large_modules(hyosan, SRC))


def test_functions_are_at_most_60_lines(hyosan: Graph) -> None:
    """No function outside engines/_kernels is longer than 60 lines."""
    _fail_on(long_functions(hyosan, SRC))


def test_the_walk_reads_every_layer(hyosan: Graph) -> None:
    """The walk finds the package: every layer of the order has modules, and edges."""
    layers = {layer_of(m) for m in hyosan.files}
    assert set(ORDER) <= layers
    assert "hyosan.engines" in hyosan.edges["hyosan.ensemble.simulate"]
    assert sum(len(b) for b in hyosan.edges.values()) > len(hyosan.files)


_BODY = "\n".join(f"    x{i} = {i}" for i in range(60))
_TOY = {
    "__init__.py": "from hyosan.cli import main\n",
    "errors.py": "",
    "model/__init__.py": "from hyosan.model.core import Model\n",
    "model/core.py": "from hyosan.engines import run\n",
    "engines/__init__.py": "from .driver import run\n",
    "engines/driver.py": (
        "from typing import TYPE_CHECKING\nfrom hyosan.model.core import Model\n"
        "if TYPE_CHECKING:\n    from hyosan.cli import main\n"
    ),
    "engines/_kernels/big.py": "\n" * 500,
    "results/__init__.py": (
        "def save():\n    from hyosan.io import write\n"
        "def plot():\n    from hyosan.viz import draw\n"
    ),
    "io/__init__.py": "from hyosan.results import save\ndef write(): ...\n",
    "analytic/__init__.py": "from hyosan.results import save\n",
    "testing.py": "from hyosan.viz import draw\n",
    "viz/__init__.py": "def draw(): ...\n",
    "cli/__init__.py": "def main():\n" + _BODY + "\n",
    "space/__init__.py": "from . import grid\n",
    "space/grid.py": "\n" * 401,
}
"""A made-up package with one of each violation, and imports that are none."""


def _write(root: Path, files: dict[str, str]) -> Path:
    pkg = root / "hyosan"
    for name, text in files.items():
        path = pkg / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return pkg


def test_the_checks_find_what_they_look_for(tmp_path: Path) -> None:
    """On a made-up package: an upward import, a cycle, a long module and a long function
    are each reported; an import under TYPE_CHECKING, results -> io and -> viz, a side layer
    within its bound and a package importing its own submodules are not."""
    pkg = _write(tmp_path, _TOY)
    graph = read_package(pkg)
    assert upward_imports(graph) == [
        "upward import: hyosan.model.core (model) -> hyosan.engines (engines)",
        "upward import: hyosan.testing (testing) -> hyosan.viz (viz)",
    ]
    cycles = import_cycles(graph, pkg)
    assert cycles == ["cycle: hyosan.engines <-> hyosan.engines.driver <-> hyosan.model.core"]
    assert large_modules(graph, pkg) == ["module hyosan/space/grid.py: 402 lines (> 400)"]
    assert long_functions(graph, pkg) == ["function hyosan/cli/__init__.py:1 main: 61 lines (> 60)"]
    assert "hyosan.cli" not in graph.edges["hyosan.engines.driver"]
    assert graph.edges["hyosan.space"] == {"hyosan.space.grid"}
