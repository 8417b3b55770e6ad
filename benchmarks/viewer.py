"""The live page's speed, measured in a real headless Chromium: frames a second, simulated time.

Run: ``python benchmarks/viewer.py [--usa-seed 4] [--soak SECONDS]``; writes
``benchmarks/viewer.json`` and ``benchmarks/viewer.md`` and prints the table.
Needs Debian's ``chromium`` (``.ci/run`` installs it) and Playwright's Python
package (``pip install -e ".[test]"``).

1. The reference: ``hyosan run usa --engine tau`` as the engine does it in a
   batch, in this process (the kernel loaded first, untimed): simulated days per
   wall second over the whole 120 days.
2. The page: ``hyosan serve usa`` started here, the page opened in Chromium, the
   seed set, the speed set to "fastest", Play. A script in the page watches the
   time readout (a ``MutationObserver``) and records each new frame shown. Figures: frames
   a second drawn in the page, and simulated days per wall second while it
   plays. Targets (issue 18): at least 10 frames a second, and simulated time at
   no less than half the reference's pace.
3. The school (``hyosan serve``, the default scenario) at the pace "×1" (the
   day in 30 s): frames a second (target: at least 20).
4. With ``--soak SECONDS``: one tab plays the school over and over (Reset, Play,
   fastest) for that long; the server's resident memory is read from
   ``/proc/PID/status`` every 5 s. Target: flat (the last reading within 10% of
   the one after the first minute).

Both runs of usa must be outbreaks: the page's run is the first from seed
``--usa-seed`` on that ends with more than 1,000 zombies (a run in pieces draws
another path than the batch's from the same seed, and four runs in five of one
zombie in New York die out; see ``usa.toml``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from tests.browser.conftest import FLAGS, chromium_path  # noqa: E402
from tests.browser.live import readout, server_pid, serving  # noqa: E402

WATCH = """
() => {
  window.__frames = [];
  const find = (node) => {
    const el = node.querySelector("span[aria-label='time']");
    if (el) return el;
    for (const n of node.querySelectorAll("*")) {
      if (n.shadowRoot) { const f = find(n.shadowRoot); if (f) return f; }
    }
    return null;
  };
  const watch = () => {
    const el = find(document);
    if (!el) { setTimeout(watch, 50); return; }
    const seen = new MutationObserver(() => {
      window.__frames.push([performance.now(), el.textContent]);
      if (!el.isConnected) { seen.disconnect(); watch(); }
    });
    seen.observe(el, {childList: true, characterData: true, subtree: true});
  };
  watch();
}
"""


def reference(seed: int) -> dict[str, float]:
    """``hyosan run usa --engine tau`` in this process: simulated days per wall second."""
    import hyosan

    scenario = hyosan.load_scenario("usa")
    hyosan.simulate(scenario.replace(time=scenario.time.__class__(1.0, 2, "day")), engine="tau")
    start = time.perf_counter()
    result = hyosan.simulate(scenario, engine="tau", seed=seed)
    wall = time.perf_counter() - start
    peak = float(result.totals["Z"].max())
    return {"days": float(result.times[-1]), "wall_s": wall, "rate": result.times[-1] / wall,
            "peak_zombies": peak}  # fmt: skip


def play(page: Any, url: str, speed: str, seed: int | None) -> dict[str, float]:
    """Open ``url``, set the seed and speed, play to the end; frames a second and pace."""
    page.goto(url)
    page.get_by_text("t = 0.00").wait_for(timeout=120_000)
    if seed is not None:
        page.get_by_label("Seed").fill(str(seed))
        page.get_by_label("Seed").press("Enter")
        time.sleep(3)
        page.get_by_text("t = 0.00").wait_for(timeout=120_000)
    page.get_by_label("Speed").select_option(speed)
    page.evaluate(WATCH)
    time.sleep(0.5)
    page.get_by_role("button", name="Play").click()
    start = time.monotonic()
    while readout(page, "state") != "finished" and time.monotonic() - start < 600:
        time.sleep(0.2)
    frames = page.evaluate("window.__frames")
    times = [(ms / 1e3, float(text.split()[2].replace(",", ""))) for ms, text in frames]
    moving = [(w, t) for w, t in times if t > 0]
    wall = moving[-1][0] - moving[0][0] if len(moving) > 1 else float("nan")
    span = moving[-1][1] - moving[0][1] if len(moving) > 1 else float("nan")
    z = float(readout(page, "Z total").split()[-1].replace(",", ""))
    return {"frames": len(moving), "wall_s": wall, "fps": (len(moving) - 1) / wall,
            "simulated": span, "rate": span / wall, "final_zombies": z}  # fmt: skip


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def soak(browser: Any, seconds: float) -> dict[str, Any]:
    """Replay the school for ``seconds`` in one tab; the server's memory every 5 s."""
    samples: list[tuple[float, float]] = []
    with serving() as url:
        pid = server_pid(url)
        page = browser.new_page()
        page.goto(url)
        page.get_by_text("t = 0.00").wait_for(timeout=120_000)
        page.get_by_label("Speed").select_option("fastest")
        start = last = time.monotonic()
        while time.monotonic() - start < seconds:
            page.get_by_role("button", name="Reset").click()
            page.get_by_role("button", name="Play").click()
            time.sleep(1.0)
            if time.monotonic() - last >= 5:
                samples.append((time.monotonic() - start, rss_mb(pid)))
                last = time.monotonic()
        page.close()
    after_minute = next((m for s, m in samples if s >= 60), samples[0][1] if samples else 0)
    return {"seconds": seconds, "samples": samples, "after_first_minute_mb": after_minute,
            "last_mb": samples[-1][1] if samples else float("nan")}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--usa-seed", type=int, default=1)
    parser.add_argument("--soak", type=float, default=0.0)
    args = parser.parse_args()
    os.environ.setdefault("HYOSAN_CACHE_DIR", str(HERE.parent / ".pytest_cache" / "hyosan-cache"))
    from playwright.sync_api import sync_playwright

    out: dict[str, Any] = {"load_before": os.getloadavg()[0], "cores": os.cpu_count()}
    out["reference"] = reference(1)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        with serving("usa") as url:
            for seed in range(args.usa_seed, args.usa_seed + 8):  # the first that takes off
                out["usa"] = play(page, url, "fastest", seed) | {"seed": seed}
                if out["usa"]["final_zombies"] > 1_000:
                    break
        with serving() as url:
            out["school"] = play(page, url, "×1", None)
        if args.soak:
            out["soak"] = soak(browser, args.soak)
        browser.close()
    out["load_after"] = os.getloadavg()[0]
    out["usa_pace_vs_batch"] = out["usa"]["rate"] / out["reference"]["rate"]
    (HERE / "viewer.json").write_text(json.dumps(out, indent=2))
    (HERE / "viewer.md").write_text(_table(out))
    print(_table(out))


def _table(o: dict[str, Any]) -> str:
    ref, usa, school = o["reference"], o["usa"], o["school"]
    rows = [
        "| what | figure | target |",
        "| --- | --- | --- |",
        "| usa, batch (`hyosan run usa --engine tau`) | "
        f"{ref['rate']:.1f} days/s "
        f"({ref['wall_s']:.1f} s for {ref['days']:.0f} days, "
        f"peak Z {ref['peak_zombies']:,.0f}) | |",
        f"| usa in the page, fastest (seed {usa['seed']}) | {usa['fps']:.1f} frames/s, "
        f"{usa['rate']:.1f} days/s (final Z {usa['final_zombies']:,.0f})"
        " | ≥ 10 frames/s |",
        f"| usa pace, page / batch | {o['usa_pace_vs_batch']:.2f} | ≥ 0.5 |",
        f"| school in the page, ×1 | {school['fps']:.1f} frames/s | ≥ 20 frames/s |",
    ]
    if "soak" in o:
        s = o["soak"]
        rows.append(
            f"| server memory, school replayed {s['seconds']:.0f} s | "
            f"{s['after_first_minute_mb']:.0f} MB after a minute, {s['last_mb']:.0f} MB at the end"
            " | flat |"
        )
    load = f"load average {o['load_before']:.2f} before, {o['load_after']:.2f} after"
    return "\n".join(rows) + f"\n\n{o['cores']} cores, {load}.\n"


if __name__ == "__main__":
    main()
