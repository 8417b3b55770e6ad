"""The markdown of a benchmark run: targets, one table per N, what each contender times."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

from contenders import CONTENDERS

HERE = Path(__file__).resolve().parent
TARGET_N = 1_000_000
HUNDREDFOLD = ("gillespy2-numpy", "mesa", "eon")

SPACE_CASES = ("usa tau", "korea tau", "usa ssa", "korea ssa")
"""The census-map cases, ``map engine``, in the order run: the exact ones last, the longest."""
TARGET_S = {"usa ssa": 180.0, "usa tau": 20.0, "korea ssa": 18.0, "korea tau": 2.0}
"""The issue's times in space: the US exact and with tau-leaping; Korea a tenth of each."""
PEAK_GIB = {"usa": 4.0, "korea": 0.4}
"""Peak memory targets by map: the US's, and a tenth of it for South Korea."""

Row = dict[str, Any]


def secs(x: float) -> str:
    if x < 0.01:
        return f"{x * 1e3:.2f} ms"
    return f"{x:,.0f} s" if x >= 100 else f"{x:.{1 if x >= 10 else 2}f} s"


def rate(x: float | None) -> str:
    if x is None:
        return "—"
    for scale, unit in ((1e6, "M/s"), (1e3, "k/s")):
        if x >= scale:
            return f"{x / scale:.{1 if x >= 10 * scale else 2}f} {unit}"
    return f"{x:.1f} /s"


def times(x: float) -> str:
    return f"{x:,.0f}×" if x >= 10 else f"{x:.{2 if x < 1 else 1}f}×"


def _find(rows: list[Row], name: str, n: int) -> Row | None:
    return next((r for r in rows if r["contender"] == name and r["n"] == n), None)


def _ok(row: Row | None) -> bool:
    return row is not None and row["status"] == "ok"


def wall_of(row: Row) -> tuple[float, str] | None:
    """The row's end-to-end seconds and how it is known: "", ">" (bound) or "≈" (estimate)."""
    if row["status"] == "ok":
        return row["wall_s"], ""
    if row["status"] == "over limit":
        return row["limit_s"], ">"
    if "estimate_s" in row:
        return row["estimate_s"], "≈"
    return None


def speedup(row: Row, ref: Row | None) -> str:
    """How many times longer ``row`` takes than ``ref`` end to end, with its qualifier."""
    w = wall_of(row)
    if w is None or not _ok(ref):
        return "—"
    assert ref is not None
    value, how = w
    text = f"{how} {times(value / ref['wall_s'])}".strip()
    return text + " (est.)" if how == "≈" else text


def _cell_wall(row: Row) -> str:
    if CONTENDERS[row["contender"]].warm:
        return "n/a (warm, repeated)"
    w = wall_of(row)
    if w is None:
        return "—"
    value, how = w
    if how == "≈":
        return f"≈ {secs(value)} (est. from N = {row['estimated_from_n']:,})"
    return f"{how} {secs(value)}".strip()


def _status(row: Row) -> str:
    text = row["status"]
    if row.get("reason"):
        text += f": {row['reason']}"
    if row.get("attempts", 1) > 1:
        text += f" (seed {row['seed']}: {row['attempts'] - 1} earlier outbreak(s) died out)"
    if row["status"] == "ok" and not (row["absorbed"] and row["conserved"]):
        text += " — WARNING: did not end with S = 0 or Z = 0, or S + Z + R != N"
    return text


def size_table(rows: list[Row], n: int) -> list[str]:
    ref, kernel = _find(rows, "hyosan-ssa", n), _find(rows, "hyosan-ssa-kernel", n)
    out = [
        "| contender | end to end | run | compile / setup | events | events/s (run) "
        "| peak RSS | final S / Z / R | hyosan-ssa e2e faster by "
        "| hyosan kernel events/s ÷ this | status |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | --- |",
    ]
    for row in (r for r in rows if r["n"] == n and not r.get("warm_up")):
        c = CONTENDERS[row["contender"]]
        ok = row["status"] == "ok"
        fixed = row.get("compile_s", row.get("setup_s"))
        events_rate = rate(row.get("events_per_s")) + (" †" if c.kind != "exact" else "")
        final = f"{row['S']:,} / {row['Z']:,} / {row['R']:,}" if ok else "—"
        if ok and "steps" in row:
            final += f" ({row['steps']} steps)"
        vs_kernel = "—"
        mine = c.name.startswith("hyosan")
        if ok and not mine and _ok(kernel) and row.get("events_per_s"):
            assert kernel is not None
            vs_kernel = times(kernel["events_per_s"] / row["events_per_s"])
            vs_kernel += " †" if c.kind != "exact" else ""
        cells = [
            f"{c.name}",
            _cell_wall(row),
            secs(row["run_s"]) if ok else "—",
            secs(fixed) if ok and fixed is not None else "—",
            f"{row['events']:,}" if ok else "—",
            events_rate if ok else "—",
            f"{row['peak_rss_mb']:,.0f} MB" if "peak_rss_mb" in row else "—",
            final,
            "1×" if c.name == "hyosan-ssa" else "—" if c.warm else speedup(row, ref),
            vs_kernel,
            _status(row),
        ]
        out.append("| " + " | ".join(cells) + " |")
    return out


def _verdict(ok: bool, how: str) -> str:
    if how == ">":
        return "met (lower bound)" if ok else "not shown (lower bound too low)"
    word = "met" if ok else "NOT met"
    return word + (" (estimate)" if how == "≈" else "")


def targets(data: dict[str, Any]) -> list[str]:
    rows: list[Row] = data["rows"]
    out = ["| target | measured | verdict |", "| --- | --- | --- |"]
    for n in data["sizes"]:
        k, c = _find(rows, "hyosan-ssa-kernel", n), _find(rows, "ceiling", n)
        if _ok(k) and _ok(c):
            assert k is not None and c is not None
            share = k["events_per_s"] / c["events_per_s"]
            out.append(
                f"| exact SSA ≥ 0.8× the ceiling's events/s, N = {n:,} | {share:.2f}× "
                f"({rate(k['events_per_s'])} vs {rate(c['events_per_s'])}) "
                f"| {_verdict(share >= 0.8, '')} |"
            )
    ref = _find(rows, "hyosan-ssa", TARGET_N)
    if _ok(ref):
        assert ref is not None
        for name, need in [(p, 100.0) for p in HUNDREDFOLD] + [("gillespy2-cpp", 1.0)]:
            row = _find(rows, name, TARGET_N)
            label = f"N = 1e6 end to end: ≥ {need:.0f}× faster than {name}"
            if name == "gillespy2-cpp":
                label = "N = 1e6 end to end: faster than gillespy2-cpp incl. its compile step"
            w = wall_of(row) if row else None
            if row is None or w is None:
                reason = row.get("reason", "not run") if row else "not in this run"
                out.append(f"| {label} | not measurable: {reason} | — |")
                continue
            value, how = w
            ratio = value / ref["wall_s"]
            shown = f"{speedup(row, ref)} ({_cell_wall(row)} vs {secs(ref['wall_s'])})"
            out.append(f"| {label} | {shown} | {_verdict(ratio >= need, how)} |")
    school, cli = data["school"], data["cli_start"]
    if school.get("status") == "ok":
        s = school["simulate_s"]
        out.append(
            f"| {school['runs']:,} runs of `school` in under 10 s | simulate {secs(s)} "
            f"(process {secs(school['process_wall_s'])}) | {_verdict(s < 10, '')} |"
        )
    if cli.get("status") == "ok":
        m = cli["median_s"]
        out.append(
            f"| `{cli['command']}` under 2 s, warm cache | median {secs(m)} of "
            f"{len(cli['times_s'])} | {_verdict(m < 2, '')} |"
        )
    return out


def _place(case: str) -> str:
    world, engine = case.split()
    place = {"usa": "continental US", "korea": "South Korea"}[world]
    return f"{place}, {'exact' if engine == 'ssa' else 'tau-leaping'}"


def space_targets(space: list[Row]) -> list[str]:
    """The rows of the targets table for the census maps (``SPACE_CASES``)."""
    out = []
    for row in space:
        need = TARGET_S[row["case"]]
        label = f"{_place(row['case'])} under {secs(need)}"
        if row["status"] == "ok":
            shown, verdict = secs(row["wall_s"]), _verdict(row["wall_s"] < need, "")
        elif row["status"] == "over limit":
            shown = f"over the limit of {secs(row['limit_s'])}"
            verdict = "NOT met" if row["limit_s"] >= need else "not shown (limit too low)"
        else:
            shown, verdict = f"failed: {row.get('reason', '')}", "—"
        out.append(f"| {label} | {shown} | {verdict} |")
    for world, need in PEAK_GIB.items():
        done = [r for r in space if r["case"].split()[0] == world and r["status"] == "ok"]
        if done:
            peak = max(r["peak_rss_mb"] for r in done) / 1024
            place = _place(f"{world} ssa").split(",")[0]
            out.append(
                f"| {place}, peak memory under {need:g} GiB | {peak:.2f} GiB ({len(done)} "
                f"run{'s' if len(done) > 1 else ''}) | {_verdict(peak < need, '')} |"
            )
    return out


def _per_agent(rows: list[Row], name: str) -> float | None:
    """Bytes an agent: the growth of ``name``'s peak memory from N = 100 to its largest N."""
    mine = [r for r in rows if r["contender"] == name and r["status"] == "ok"]
    if len(mine) < 2 or mine[-1]["n"] < 10_000:
        return None
    grown = (mine[-1]["peak_rss_mb"] - mine[0]["peak_rss_mb"]) * 2**20
    return grown / (mine[-1]["n"] - mine[0]["n"])


def _no_peers(rows: list[Row], space: list[Row]) -> str:
    us = next((r for r in space if r["case"].startswith("usa") and r["status"] == "ok"), None)
    if us is None:
        return "No peer runs these worlds."
    people = us["people"]
    network = us["patches"] * us["reactions"] + us["edges"] * us["movers"]
    text = (
        "No peer runs these worlds. GillesPy2 simulates one well-mixed volume: the US would be "
        f"a network of {network:,} reactions ({us['reactions']} in each of {us['patches']:,} "
        f"patches, a move along each of {us['edges']:,} edges), generated as C++ or stepped in "
        f"NumPy. EoN would need a contact network of {people / 1e6:.1f} million nodes."
    )
    for name in ("starsim", "mesa"):
        b = _per_agent(rows, name)
        if b is not None:
            text += (
                f" {name.capitalize()} took {b:.0f} bytes an agent in this run (its peak memory "
                f"from N = 100 to its largest N): {b * people / 1e9:,.0f} GB for "
                f"{people / 1e6:.1f} million."
            )
    return text


def space_section(data: dict[str, Any]) -> list[str]:
    """The section on the census maps: one row per case run."""
    out = [
        "## In space: the census maps at full population",
        "",
        "`python benchmarks/space.py MAP --engine ENGINE` in its own pinned process: one run of "
        "the built-in scenario, from seed 1 or the first seed after it whose outbreak takes "
        "off. *Run*: the outbreak's `run_path` call, as the script times it (numba cache "
        "warm); *warm-up*: the process's first call before it, a run to the first output time, "
        "which also loads the kernel from numba's cache and numba's own registries (once per "
        "process); *process*: launch to exit. "
        f"Limit {secs(data['space_limit_s'])} per process. † Tau-leaping: firings of reactions "
        "and moves, counted by the leaps, not exact events. "
        + _no_peers(data["rows"], data["space"]),
        "",
        "| case | patches | people | seed | run | warm-up | process | events | events/s (run) "
        "| peak RSS | status |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in data["space"]:
        if r["status"] == "ok":
            cells = [
                f"{r['patches']:,}",
                f"{r['people'] / 1e6:.1f} M",
                str(r["seed"]),
                secs(r["wall_s"]),
                secs(r["warm_up_s"]) if "warm_up_s" in r else "—",
                secs(r["process_wall_s"]),
                f"{r['events']:,}",
                rate(r["events_per_s"]) + (" †" if r["case"].endswith("tau") else ""),
                f"{r['peak_rss_mb']:,.0f} MB",
                "ok",
            ]
        else:
            why = r.get("reason") or f"killed at {secs(r['limit_s'])}"
            cells = [*["—"] * 5, secs(r["process_wall_s"]), *["—"] * 3, f"{r['status']}: {why}"]
        out.append(f"| {_place(r['case'])} | " + " | ".join(cells) + " |")
    return [*out, ""]


def contender_notes() -> list[str]:
    out = []
    for c in CONTENDERS.values():
        source = (HERE / "contenders" / f"{c.module}.py").read_text(encoding="utf-8")
        doc = ast.get_docstring(ast.parse(source)) or ""
        out += [f"### {c.name} (`contenders/{c.module}.py`)", "", doc.partition(": ")[2], ""]
    return out


def render(data: dict[str, Any]) -> str:
    m = data["machine"]
    load = data["load_average"]
    busy = max(*load["start"], *load["end"]) > 1
    lines = [
        "# hyosan beside its peers: Alemi's SZR, well mixed",
        "",
        f"`{data['command']}` on {m['date']}: {m['cpu_model']}, {m['cpus']} cores, every "
        f"process pinned to core {m['pinned_to_cpu']}, {m['memory_gb']} GB; hyosan "
        f"{m['versions']['hyosan']} at {m['hyosan_commit']}. Load average "
        f"{', '.join(f'{x:.2f}' for x in load['start'])} at the start, "
        f"{', '.join(f'{x:.2f}' for x in load['end'])} at the end"
        + (
            ": above 1, so other work shared the machine and the figures are noisy (±20% and more)."
            if busy
            else "."
        ),
        "",
        f"The suite took {secs(data['suite_wall_s'])}.",
        "",
        "Model: bite S + Z -> 2 Z at beta S Z / N, kill S + Z -> S + R at kappa S Z / N, "
        f"beta = {data['model']['beta']}, kappa = {data['model']['kappa']} per day, 0.1% "
        "zombies at the start (at least 1), until humans or zombies are gone. Time limit "
        f"{data['limit_s']:.0f} s per process ({data['target_limit_s']:.0f} s at N = 1e6).",
        "",
        "## Targets of the issue",
        "",
        *targets(data),
        *space_targets(data.get("space", [])),
        "",
        "## Results by N",
        "",
        "*End to end*: the process from launch to exit (interpreter start-up, imports, "
        "caches, compilation, the run). *Run*: the part each contender times inside "
        "(see Contenders). *Events*: bites + kills, read off the final counts. "
        "*hyosan-ssa e2e faster by*: this row's end-to-end time ÷ hyosan-ssa's; `>` where "
        "this row hit the time limit, `≈ … (est.)` where it was not run and its time is "
        "extrapolated from a smaller N. † tau-leaping and agent models: state changes per "
        "second, not exact events; they do not compare one to one with exact simulators.",
        "",
    ]
    for n in data["sizes"]:
        lines += [f"### N = {n:,}", "", *size_table(data["rows"], n), ""]
    if data.get("space"):
        lines += space_section(data)
    lines += ["## Contenders", "", *contender_notes()]
    lines += ["## Versions", "", "| package | version |", "| --- | --- |"]
    lines += [f"| {k} | {v} |" for k, v in m["versions"].items()]
    lines += [
        "",
        "Figures in `results.json`, warm-up runs (N = 100, untimed for the table) included.",
        "",
    ]
    return "\n".join(lines)
