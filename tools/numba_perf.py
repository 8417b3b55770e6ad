"""Profile numba kernels with Linux ``perf``: name the compiled functions, annotate their code.

``perf`` sees numba's machine code as anonymous addresses. This runs a script
and, when it ends, writes ``perf-<pid>.map`` (perf's map of jitted code) in the
system's temporary directory, where perf looks for it,
for every function numba compiled in the process, and the machine code of
the functions whose names contain ``--dump`` words to ``--out``. Functions
loaded from numba's on-disk cache have no symbols to read, so give numba an
empty cache directory::

    NUMBA_CACHE_DIR=$(mktemp -d) perf record -F 2999 -o perf.data \\
        python tools/numba_perf.py --dump nsm_steps -- benchmarks/lattice.py 150 150 60 ssa
    perf report -i perf.data --no-children --sort symbol     # time per function
    python tools/numba_perf.py --annotate perf.data   # per instruction

The profile then includes compilation (tens of seconds of LLVM); the kernel's
own functions are still told apart. ``--annotate`` disassembles each dumped
function with ``objdump`` and prints its hottest instructions, with the share
of the function's samples at each (perf attributes a slow instruction's cost
to the one after it). Used to find the heap's mispredicted branch in
``nsm_steps`` (``docs/design/performance.md``).
"""

from __future__ import annotations

import argparse
import atexit
import collections
import ctypes
import os
import re
import runpy
import subprocess
import sys
import tempfile
from pathlib import Path


def _compiled() -> list[tuple[int, str]]:
    """(address, symbol) of every function numba compiled in this process."""
    import gc

    from numba.core.registry import CPUDispatcher

    found = set()
    for obj in gc.get_objects():
        if not isinstance(obj, CPUDispatcher):
            continue
        for cres in obj.overloads.values():
            module = getattr(cres.library, "_final_module", None)
            if module is None:  # loaded from the on-disk cache: no symbols
                continue
            for fn in module.functions:
                if not fn.is_declaration:
                    address = cres.library.get_pointer_to_function(fn.name)
                    if address:
                        found.add((address, fn.name))
    return sorted(found)


def _write(dump: list[str], out: Path) -> None:
    entries = _compiled()
    out.mkdir(parents=True, exist_ok=True)
    with open(Path(tempfile.gettempdir()) / f"perf-{os.getpid()}.map", "w") as f:
        for i, (address, name) in enumerate(entries):
            size = min(entries[i + 1][0] - address if i + 1 < len(entries) else 4096, 1 << 20)
            f.write(f"{address:x} {size:x} {name}\n")
            native = name.startswith("_ZN") and not name.startswith("_ZN7cpython")
            if native and any(word in name for word in dump):
                tag = re.sub(r"\W", "_", name[:80])
                (out / f"{tag}.bin").write_bytes(ctypes.string_at(address, size))
                (out / f"{tag}.addr").write_text(f"{address:x} {size:x}\n")
    print(f"numba_perf: {len(entries)} functions mapped", file=sys.stderr)


def _annotate(data: Path, out: Path, top: int) -> None:
    ips = subprocess.run(
        ["perf", "script", "-i", str(data), "-F", "ip"], capture_output=True, text=True, check=True
    ).stdout.split()
    samples = [int(x, 16) for x in ips if re.fullmatch(r"[0-9a-f]+", x)]
    for addr_file in sorted(out.glob("*.addr")):
        base, size = (int(x, 16) for x in addr_file.read_text().split())
        hits = collections.Counter(ip - base for ip in samples if base <= ip < base + size)
        total = sum(hits.values())
        print(f"\n{addr_file.stem}: {total} of {len(samples)} samples")
        if not total:
            continue
        asm = subprocess.run(
            ["objdump", "-D", "-b", "binary", "-mi386:x86-64", str(addr_file.with_suffix(".bin"))],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        lines = {int(m[1], 16): m[2] for m in re.finditer(r"^\s*([0-9a-f]+):\t(.*)$", asm, re.M)}
        for offset, n in hits.most_common(top):
            print(f"{100 * n / total:5.1f}%  {offset:6x}  {lines.get(offset, '?')[:90]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dump", nargs="*", default=[], help="words of function names to dump")
    parser.add_argument("--out", type=Path, default=Path("out/numba_perf"), help="dump folder")
    parser.add_argument("--annotate", type=Path, help="a perf.data to annotate the dumps with")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("script", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    if args.annotate is not None:
        if not args.annotate.is_file() or not any(args.out.glob("*.addr")):
            parser.error(f"--annotate needs a perf.data ({args.annotate}) and dumps in {args.out}")
        _annotate(args.annotate, args.out, args.top)
        return
    script = [a for a in args.script if a != "--"]
    if not script:
        parser.error("give a script to run, or --annotate")
    atexit.register(_write, args.dump, args.out)
    sys.argv = script
    runpy.run_path(script[0], run_name="__main__")


if __name__ == "__main__":
    main()
