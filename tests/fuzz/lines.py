"""Bad command lines, odd ``--out`` folders and bad sweeps for the fuzz suite, and the
cases the issue names (:data:`NAMED`), tried in every run before the drawn ones.

Valid scenarios come from :mod:`.bases`; what changes here is the command line.
"""

from __future__ import annotations

import copy

from hypothesis import strategies as st

from .bases import (
    BASES,
    EXTRA_RUN_OPTIONS,
    INLINE,
    SIR,
    WORLD,
    Table,
    bases,
    dump,
    put,
    scenario_case,
    with_out,
)
from .sandbox import Case

__all__ = ["NAMED", "command_lines", "formats", "out_paths", "sweeps"]


# --- command lines ----------------------------------------------------------------

OPTION_VALUES: dict[str, list[str]] = {
    "--runs": ["-1", "abc", "0", "1.5", "1e3", " 2", "+2", "0x10", "", "99999999999999999999",
               "nan", "3", "1"],
    "--seed": ["1e400", "-1", "nan", "9223372036854775808", "", "abc", "1.0", "0", "-0",
               "18446744073709551616", "7"],
    "--t-end": ["nan", "inf", "-1", "0", "1e400", "-inf", "abc", "", "1e-300", "-0", "2",
                "1e308"],
    "--set": ["beta=", "=1", "beta", "nonexistent=1", "beta=nan", "beta=inf", "beta=-1",
              "S=-5", "S=1.5", "S=1e300", "beta=1=2", "BETA=1", " beta = 2 ", "time.end=5",
              "I=0", "beta=1e308", "gamma=0", "S=1e308", "I=1e20", "R=inf", "S=5e-324",
              "gamma=1e-320"],
    "--engine": ["bogus", "", "SSA", "ode ", " ssa", "tau", "ode", "gillespie"],
    "--workers": ["0", "-1", "many", "", "1.5", "1e9", "99999", "1", " 1", "AUTO "],
    "--scheduler": ["", "tcp://", "tcp://:8786", "tcp://host:0", "tcp://h:65536", "udp://h:1",
                    "tcp://a b:1", "tcp://[::1:1", "127.0.0.1", "tcp://127.0.0.1:8786/x"],
}  # fmt: skip

STRAY = [
    "--bogus", "--Runs", "--run", "-x", "--seed=", "---seed", "--", "-", "extra-argument",
    "--help", "--out", "--runs", "--set=beta=0.2", "--engine=ode", "--version", "--resume",
    "--resume=yes", "--workers", "--scheduler",
]  # fmt: skip


@st.composite
def command_lines(draw: st.DrawFn) -> Case:
    """``hyosan run|validate|sweep|plot`` with bad, repeated or unknown options."""
    command = draw(st.sampled_from(["run", "run", "run", "validate", "sweep", "plot", "bogus"]))
    base = draw(bases)
    argv: list[str] = [command, "scenario.toml"]
    for _ in range(draw(st.integers(1, 3))):
        option = draw(st.sampled_from([*OPTION_VALUES, "stray"]))
        if option == "stray":
            argv.append(draw(st.sampled_from(STRAY)))
        else:
            argv += [option, draw(st.sampled_from(OPTION_VALUES[option]))]
    if command == "sweep":
        argv += draw(
            st.sampled_from(
                [
                    [],
                    ["--vary", "beta=0.1,0.2"],
                    ["--vary", "beta="],
                    ["--vary", "nonexistent=1,2"],
                    ["--outbreak", "I >"],
                ]
            )
        )
    if command == "run":
        argv += EXTRA_RUN_OPTIONS
    argv += draw(with_out)
    label = f"command line: {base}"
    return Case(tuple(argv), (("scenario.toml", dump(BASES[base])),), label)


# --- --out ------------------------------------------------------------------------

OUTS = [
    "", "afile.txt", "/dev/null", "/dev/null/x", "/proc/self/x", "/proc/version", "link-outside",
    "link-planted", "broken-link", "prev", "prev-links", "prev/totals.parquet", "a/b/c",
    "../../up", "afolder", ".", "out/", "empty.toml/x", "x" * 300, " ", "-",
]  # fmt: skip


@st.composite
def out_paths(draw: st.DrawFn) -> Case:
    """``hyosan run|sweep`` of a valid scenario with ``--out`` somewhere odd."""
    base = draw(bases)
    out = draw(st.sampled_from(OUTS))
    command = draw(st.sampled_from(["run", "run", "sweep"]))
    argv: tuple[str, ...] = (command, "scenario.toml", "--out", out)
    if command == "sweep":
        argv += ("--vary", "parameters.beta=0.2,0.3", "--runs", "2")
    else:
        argv += EXTRA_RUN_OPTIONS
    return Case(argv, (("scenario.toml", dump(BASES[base])),), f"out: {base} --out {out!r}")


# --- sweeps -----------------------------------------------------------------------

MANY = ",".join(f"{0.1 + i / 1000:.3f}" for i in range(200))

VARIES = [
    "parameters.beta=0.2,0.3", "parameters.beta=", "parameters.beta=-1,2", "parameters.beta=nan",
    "parameters.beta=1e308,inf", "parameters.beta=0.2,,0.3", "parameters.beta=0.2;0.3",
    "runs=1000000000000,2", "runs=1,2", "time.end=nan,1", "time.end=1e30", "seed=1,2",
    "time.points=1000000000000", "nonexistent=1,2", "beta=0.1,0.2", "initial.S=10,20",
    "initial.S=-5", "initial.S=1e300", "engine=ode,ssa", "engine=bogus", "model=sir,nothing",
    "world.lattice.rows=100000000", "interventions[0].at=1,2", "interventions[5].at=1",
    "interventions[-1].at=1", "=1,2", "parameters.beta", "parameters.beta=abc",
    f"parameters.beta={MANY}",
]  # fmt: skip

OUTBREAKS = ["", "I >", "I >= 1", "Q > 1", "I >= 1 in nowhere", "nan", "I > 1 or"]


@st.composite
def sweeps(draw: st.DrawFn) -> Case:
    """``hyosan sweep`` with bad axes, outbreaks, run counts or a grid far too large."""
    base = draw(bases)
    argv: list[str] = [
        "sweep",
        "scenario.toml",
        "--runs",
        draw(st.sampled_from(["2", "0", "-1", "abc", "1e12"])),
    ]
    if draw(st.integers(0, 9)) == 0:  # 200**3 = 8,000,000 grid points: refuse, do not start
        counts = ",".join(str(10 + i) for i in range(200))
        argv += ["--vary", f"parameters.beta={MANY}", "--vary", f"parameters.gamma={MANY}"]
        argv += ["--vary", f"initial.{'S' if base != 'world' else 'I'}={counts}"]
    for _ in range(draw(st.integers(1, 3))):
        argv += ["--vary", draw(st.sampled_from(VARIES))]
    if draw(st.booleans()):
        argv += ["--outbreak", draw(st.sampled_from(OUTBREAKS))]
    argv += draw(st.sampled_from([[], ["--out", "sw"], ["--out", "prev"], ["--out", "afile.txt"]]))
    return Case(tuple(argv), (("scenario.toml", dump(BASES[base])),), f"sweep: {base}")


# --- other tools' formats: SBML in, SBML and GeoTIFF out ----------------------------


def _sbml_texts() -> dict[str, bytes]:
    """SBML files: the SIR model as hyosan writes it (with people), and that file broken."""
    from hyosan.model import builtin_model
    from hyosan.model.sbml import sbml_string

    good = sbml_string(builtin_model("sir"), initial={"S": 99, "I": 1, "R": 0})
    event = (
        '<listOfEvents><event id="e1" useValuesFromTriggerTime="true"><trigger '
        'initialValue="false" persistent="true"><math xmlns="http://www.w3.org/1998/Math/MathML">'
        "<true/></math></trigger></event></listOfEvents>"
    )
    return {
        "good": good.encode(),
        "cut": good[: len(good) // 2].encode(),
        "event": good.replace("</model>", event + "</model>").encode(),
        "empty": b"",
        "latin1": good.replace("sir", "si\xe9").encode("latin-1", "replace"),
        "not sbml": b"<html><body>zombies</body></html>",
        "huge number": good.replace('value="', 'value="1e999', 1).encode(),
    }


SBML = _sbml_texts()
MODELS = ["model.xml", "sir", "munz-latent", "aouad", "bogus", "scenario.toml", "afolder",
          "/dev/null", "fifo", "link-outside", "missing.xml", ""]  # fmt: skip
SBML_OUTS = ["out.xml", "", "afolder", "/dev/null", "afile.txt", "link-outside", "fifo",
             "a/b/c.xml", "x" * 300 + ".xml", "broken-link"]  # fmt: skip
EXPORT_DIRS = ["prev", "afolder", "", "/dev/null", "link-outside", "missing", "afile.txt"]
TIMES = ["last", "0", "nan", "-1", "1e308", "abc", "", "inf", "LAST"]


@st.composite
def formats(draw: st.DrawFn) -> Case:
    """``hyosan run model.xml`` of good and broken SBML, ``hyosan export-model`` to odd
    places, ``hyosan export DIR --geotiff T`` of folders with no map and bad times."""
    sbml = draw(st.sampled_from(sorted(SBML)))
    files = (("model.xml", SBML[sbml]), ("scenario.toml", dump(SIR)))
    kind = draw(st.sampled_from(["run", "validate", "export-model", "export"]))
    if kind in ("run", "validate"):
        argv: tuple[str, ...] = (kind, "model.xml")
        if kind == "run":
            argv += ("--t-end", draw(st.sampled_from(["5", "0", "-1", "nan"])), "--out", "out")
    elif kind == "export-model":
        argv = (kind, draw(st.sampled_from(MODELS)), "--sbml", draw(st.sampled_from(SBML_OUTS)))
    else:
        argv = (kind, draw(st.sampled_from(EXPORT_DIRS)), "--geotiff", draw(st.sampled_from(TIMES)))
    return Case(argv, files, f"formats: {kind} ({sbml} SBML)")


# --- the cases named in the issue, tried in every run before the drawn ones -----------


def _named() -> dict[str, list[Case]]:
    sir, world = dump(SIR), dump(WORLD)

    def line(*argv: str, base: bytes = sir) -> Case:
        extra = EXTRA_RUN_OPTIONS if argv[0] == "run" else ()
        return Case((*argv, *extra), (("scenario.toml", base),), "named: " + " ".join(argv))

    def model(label: str, table: Table) -> Case:
        return scenario_case(f"named: {label}", table, "run", ("--out", "out"))

    bad_reaction = copy.deepcopy(INLINE)
    bad_reaction["model"]["reactions"][0]["equation"] = "2 S + I -> 3 I"
    late = put(SIR, ("interventions", 0, "at"), 1e9)
    counts = ",".join(str(10 + i) for i in range(200))
    world_file = put(WORLD, ("world", "lattice"), ...)
    return {
        "reactions": [model("2 S + I -> 3 I", bad_reaction)],
        "values": [
            model("world time.end = 1e30", put(WORLD, ("time", "end"), 1e30)),
            model("intervention after the end", late),
            model("intervention at -1", put(SIR, ("interventions", 0, "at"), -1.0)),
            model("intervention at 'soon'", put(SIR, ("interventions", 0, "at"), "soon")),
            model("when = 'I >'", put(SIR, ("interventions", 1, "when"), "I >")),
        ],
        "paths": [
            model("model = ../../etc/passwd", put(SIR, ("model",), "../../etc/passwd")),
            model("model = /proc/self/environ", put(SIR, ("model",), "/proc/self/environ")),
            model(
                "world file = /proc/self/environ",
                put(world_file, ("world", "file"), "/proc/self/environ"),
            ),
            model("model = link-outside", put(SIR, ("model",), "link-outside")),
            model("model = fifo", put(SIR, ("model",), "fifo")),
            Case(("run", "missing.toml"), (), "named: missing scenario"),
            Case(("run", "afolder"), (), "named: a folder as scenario"),
            Case(("run", "/dev/null"), (), "named: /dev/null as scenario"),
            Case(("run", "link-outside"), (), "named: a link to a folder outside as scenario"),
        ],
        "command_lines": [
            line("run", "scenario.toml", "--bogus"),
            line("run", "scenario.toml", "--runs", "-1"),
            line("run", "scenario.toml", "--runs", "abc"),
            line("run", "scenario.toml", "--seed", "1e400"),
            line("run", "scenario.toml", "--t-end", "nan"),
            line("run", "scenario.toml", "--set", "beta="),
            line("run", "scenario.toml", "--set", "nonexistent=1"),
            line("run", "scenario.toml", "--engine", "bogus"),
            line("run", "scenario.toml", "--engine", "ode", "--set", "S=1e308"),
        ],
        "out_paths": [
            line("run", "scenario.toml", "--out", ""),
            line("run", "scenario.toml", "--out", "afile.txt"),
            line("run", "scenario.toml", "--out", "link-outside"),
            line("run", "scenario.toml", "--out", "prev-links"),
            line("run", "scenario.toml", "--out", "x" * 300),
            line("run", "scenario.toml", "--out", "../../up", base=world),
        ],
        "sweeps": [
            line(
                "sweep",
                "scenario.toml",
                "--runs",
                "2",
                "--vary",
                f"parameters.beta={MANY}",
                "--vary",
                f"parameters.gamma={MANY}",
                "--vary",
                f"initial.S={counts}",
            ),
        ],
    }


NAMED: dict[str, list[Case]] = _named()
"""The cases the issue names (and the smallest forms of bugs found so far), by family."""
