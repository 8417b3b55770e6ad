"""Season 1's strike against the series' toll: about 50,000 infected and 10,000 uninfected.

The series does not show how many people the army evacuated, nor exactly
where or when it struck; ``season1`` assumes those numbers. This fits them:
for each evacuation fraction it runs ``season1`` with the strike moved to
the end, so that nothing before it changes, and reads off the strike zone's
living people at every output time. A strike kills every living person in
its zone, so the toll of a strike at time ``T`` on zone ``X`` is exactly zone
``X``'s infected (``E + Ez + Z + H``) and uninfected (``S + A``) at ``T``.
Two kinds of strike are tried on two zones (the scenario's ``strike-zone``:
downtown, the school and its district; and ``downtown`` alone):

- at a fixed time ``T`` (the scenario's is hour 96);
- when the zone holds ``Z >= THRESHOLD`` zombies (the army strikes once it
  judges the centre lost; read off a 7.5-minute output grid here).

Each rule's toll is the median over the runs in which the outbreak took the
city (the series' story; in the others no strike has a toll to match), and
its residual the root mean square of the two relative errors,
``sqrt(((inf - 50,000) / 50,000)^2 + ((uninf - 10,000) / 10,000)^2) / 2)``.
The scenario as it is and the three best rules are then run as scenarios
(the real strike, triggered exactly) and their tolls read from what the
strike changed. Run by hand::

    python tools/fit_strike.py                       # 4 fractions x 12 runs, then 20 runs
    python tools/fit_strike.py --runs 6 --out out/strike-fit.md --scenario out/season1-toll.toml
"""

from __future__ import annotations

import argparse
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

import hyosan
from hyosan.scenario import scenario_from_dict, scenario_to_dict, scenario_to_toml, set_keys

INFECTED, UNINFECTED = ("E", "Ez", "Z", "H"), ("S", "A")
TOLLS = ("infected", "uninfected")
TARGET = (50_000.0, 10_000.0)
FRACTIONS = (0.0, 0.05, 0.15, 0.3)
ZONES = ("strike-zone", "downtown")
TIMES = (18.0, 21.0, 24.0, 36.0, 48.0, 72.0, 96.0)
THRESHOLDS = tuple(float(z) for z in range(10_000, 62_000, 2_000))
FELL = "the city fell: 100,000 zombies in its streets"
STRIKE, CAMP = 3, 2  # the scenario's interventions


@dataclass(frozen=True)
class Rule:
    """A strike: a fraction evacuated each time, a zone, and when (``at`` a time or ``Z >=``)."""

    fraction: float
    zone: str
    kind: str
    value: float

    def text(self) -> str:
        when = f"at hour {self.value:g}" if self.kind == "at" else f"when Z >= {self.value:,.0f}"
        return f"evacuate {self.fraction:.0%}; strike {self.zone} {when}"


def residual(infected: float, uninfected: float) -> float:
    """The root mean square of the two tolls' relative errors against the series'."""
    errors = [(got - want) / want for got, want in zip((infected, uninfected), TARGET, strict=True)]
    return float(np.sqrt(np.mean(np.square(errors))))


def scan(base: hyosan.Scenario, fraction: float, runs: int, pool: ProcessPoolExecutor) -> dict:
    """Every rule's median tolls at ``fraction``, over the runs in which the city fell."""
    end = float(base.time.end)
    sc = set_keys(base, [(f"interventions[{CAMP}].camp.fraction", fraction)])
    sc = set_keys(sc, [(f"interventions[{STRIKE}].at", end)])  # nothing before it changes
    sc = set_keys(sc, [("time.points", 8 * int(end) + 1)])  # every 7.5 minutes
    result = hyosan.simulate(sc, runs=runs, executor=pool)
    ds = result.dataset
    fell = ~np.isnan(ds["milestone_time"].sel(milestone=FELL).values)
    comps = list(ds["compartment"].values)
    t = ds["time"].values
    world = base.world.world  # type: ignore[union-attr]
    out: dict[Rule, tuple[float, float, float, int]] = {}
    for zone in ZONES:
        fields = ds["fields"].values[fell][..., np.asarray(world.regions[zone])].sum(axis=-1)
        inf = fields[:, :, [comps.index(c) for c in INFECTED]].sum(axis=-1)
        unf = fields[:, :, [comps.index(c) for c in UNINFECTED]].sum(axis=-1)
        zombies = fields[:, :, comps.index("Z")]
        for at in TIMES:
            k = int(np.searchsorted(t, at))
            rule = Rule(fraction, zone, "at", at)
            out[rule] = (at, float(np.median(inf[:, k])), float(np.median(unf[:, k])), len(inf))
        for z in THRESHOLDS:
            hit = zombies >= z
            rows = np.flatnonzero(hit.any(axis=1))
            if not len(rows):
                continue
            k = hit[rows].argmax(axis=1)
            rule = Rule(fraction, zone, "when", z)
            out[rule] = (
                float(np.median(t[k])),
                float(np.median(inf[rows, k])),
                float(np.median(unf[rows, k])),
                len(rows),
            )
    return {"rules": out, "fell": int(fell.sum()), "runs": runs}


def as_scenario(base: hyosan.Scenario, rule: Rule) -> hyosan.Scenario:
    """``season1`` with the rule's fraction, zone and trigger (the real strike)."""
    evacuated = set_keys(base, [(f"interventions[{CAMP}].camp.fraction", rule.fraction)])
    data = scenario_to_dict(evacuated)
    strike = data["interventions"][STRIKE]
    strike["strike"] = {"region": rule.zone}
    strike.pop("at", None)
    if rule.kind == "at":
        strike["at"] = rule.value
    else:
        strike["when"] = f"Z >= {rule.value:.0f} in {rule.zone}"
    data["name"] = "season1-toll"
    data["description"] = (
        f"{base.description} The strike fitted to the series' toll: {rule.text()}."
    )
    return scenario_from_dict(data, source="tools/fit_strike.py", name="season1-toll")


def real_tolls(sc: hyosan.Scenario, runs: int, pool: ProcessPoolExecutor) -> dict[str, object]:
    """The strike's tolls per run, from what it changed; over the runs in which it fired."""
    result = hyosan.simulate(sc, runs=runs, executor=pool)
    ds = result.dataset
    comps = list(ds["compartment"].values)
    change = -ds["change"].values[:, STRIKE, :]
    fired = ~np.isnan(ds["fired"].values[:, STRIKE])
    fell = ~np.isnan(ds["milestone_time"].sel(milestone=FELL).values)
    inf = change[:, [comps.index(c) for c in INFECTED]].sum(axis=1)
    unf = change[:, [comps.index(c) for c in UNINFECTED]].sum(axis=1)
    use = fired & fell
    return {
        "runs": runs,
        "fired": int(fired.sum()),
        "fell": int(fell.sum()),
        "used": int(use.sum()),
        "time": ds["fired"].values[use, STRIKE],
        "infected": inf[use],
        "uninfected": unf[use],
    }


def _checked(rule: Rule, got: dict) -> str:
    """A table row: a rule's real tolls, median (range) over the runs where the city fell."""

    def spread(v: np.ndarray, f: str) -> str:
        return f"{np.median(v):{f}} ({np.min(v):{f}} to {np.max(v):{f}})" if len(v) else "none"

    inf, unf = got["infected"], got["uninfected"]
    fit = f"{residual(np.median(inf), np.median(unf)):.2f}" if len(inf) else ""
    return (
        f"| {rule.text()} | {got['runs']} ({got['fell']}, {got['fired']}) "
        f"| {spread(got['time'], '.1f')} | {spread(inf, ',.0f')} | {spread(unf, ',.0f')} | {fit} |"
    )


def report(scans: dict[float, dict], real: dict[Rule, dict], seconds: float) -> str:
    rules = {r: v for s in scans.values() for r, v in s["rules"].items()}
    lines = [
        "# Season 1's strike against the series' toll (50,000 infected, 10,000 uninfected)",
        "",
        f"`python tools/fit_strike.py` ({seconds:.0f} s). Medians over the runs in which the "
        "city fell; residual: the root mean square of the two tolls' relative errors.",
        "",
        "## The scenario's strike, at hour 96, for each evacuation fraction",
        "",
        "| evacuated each time | runs (city fell) | zone | infected | uninfected | residual |",
        "| ---: | ---: | --- | ---: | ---: | ---: |",
    ]
    for f, s in scans.items():
        for zone in ZONES:
            _, inf, unf, _ = rules[Rule(f, zone, "at", 96.0)]
            lines.append(
                f"| {f:.0%} | {s['runs']} ({s['fell']}) | {zone} | {inf:,.0f} | {unf:,.0f} "
                f"| {residual(inf, unf):.2f} |"
            )
    lines += ["", "## The ten best rules", ""]
    lines += ["| rule | median hour | infected | uninfected | runs | residual |"]
    lines += ["| --- | ---: | ---: | ---: | ---: | ---: |"]
    ranked = sorted(rules, key=lambda r: residual(*rules[r][1:3]))
    for r in ranked[:10]:
        at, inf, unf, n = rules[r]
        lines.append(
            f"| {r.text()} | {at:.1f} | {inf:,.0f} | {unf:,.0f} | {n} | {residual(inf, unf):.2f} |"
        )
    lines += ["", "## Checked as scenarios: the real strike, triggered exactly", ""]
    lines += ["| rule | runs (city fell, strike fired) | hour | infected | uninfected | residual |"]
    lines += ["| --- | ---: | ---: | ---: | ---: | ---: |"]
    for rule, got in real.items():
        lines.append(_checked(rule, got))
    lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=12, help="runs per evacuation fraction")
    parser.add_argument("--check-runs", type=int, default=20, help="runs of each rule checked")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=None, help="also write the report here")
    parser.add_argument(
        "--scenario", type=Path, default=None, help="write the best checked rule's scenario here"
    )
    args = parser.parse_args()
    base = hyosan.load_scenario("season1")
    start = time.perf_counter()
    with ProcessPoolExecutor(args.workers) as pool:
        scans = {f: scan(base, f, args.runs, pool) for f in FRACTIONS}
        rules = {r: v for s in scans.values() for r, v in s["rules"].items()}
        ranked = sorted(rules, key=lambda r: residual(*rules[r][1:3]))
        as_set = Rule(0.15, "strike-zone", "at", 96.0)  # the scenario as it is
        real = {
            r: real_tolls(as_scenario(base, r), args.check_runs, pool)
            for r in (as_set, *ranked[:3])
        }
    text = report(scans, real, time.perf_counter() - start)
    print(text)
    if args.scenario is not None:
        tolls = {r: got for r, got in real.items() if len(got["infected"])}
        best = min(tolls, key=lambda r: residual(*(np.median(tolls[r][k]) for k in TOLLS)))
        args.scenario.parent.mkdir(parents=True, exist_ok=True)
        args.scenario.write_text(scenario_to_toml(as_scenario(base, best)), encoding="utf-8")
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
