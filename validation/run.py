"""Run every validation check and write ``docs/validation.md`` with its figures.

Run: ``python validation/run.py`` (a few minutes; ``--quick`` for fewer runs).
Each ``checks_*.py`` module beside this file exposes
``checks(outdir: Path, quick: bool) -> Iterator[Check]``; figures go to
``docs/validation/``.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from report import Check, render  # noqa: E402

MODULES = (
    "checks_munz",
    "checks_alemi",
    "checks_classic",
    "checks_engines",
    "checks_gillespy2",
    "checks_space",
    "checks_fit",
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs, for a smoke test")
    parser.add_argument("--only", nargs="*", help="run only these modules")
    args = parser.parse_args()
    outdir = ROOT / "docs" / "validation"
    outdir.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    checks: list[Check] = []
    for name in args.only or MODULES:
        if not (HERE / f"{name}.py").exists():
            continue
        module = importlib.import_module(name)
        for check in module.checks(outdir, args.quick):
            print(f"{'pass' if check.passed else 'FAIL'}: {check.title}", flush=True)
            checks.append(check)
    command = "python validation/run.py" + (" --quick" if args.quick else "")
    text = render(checks, command=command, seconds=time.perf_counter() - start)
    (ROOT / "docs" / "validation.md").write_text(text, encoding="utf-8")
    print(f"wrote docs/validation.md: {sum(c.passed for c in checks)}/{len(checks)} pass")
    return 0 if all(c.passed for c in checks) else 1


if __name__ == "__main__":
    raise SystemExit(main())
