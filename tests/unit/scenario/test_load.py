"""Loading scenarios and models from TOML: the built-ins, the file forms, and bad input."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from hyosan.errors import InputError
from hyosan.interventions import (
    At,
    Condition,
    Impulse,
    Intervention,
    Remove,
    SetParameters,
    When,
)
from hyosan.model import BUILTIN_MODELS, RateLaw, builtin_model
from hyosan.scenario import (
    BUILTIN_SCENARIOS,
    builtin_scenario_path,
    list_scenarios,
    load_model,
    load_scenario,
    load_scenario_text,
    model_from_dict,
)

BASE = """\
model = "munz-basic"

[time]
end = 10.0

[initial]
S = 100
Z = 1
"""

SIR_MODEL = """\
name = "my-sir"
description = "a test SIR"
compartments = ["S", "I", "R"]
humans = ["S"]
zombies = ["I"]

[parameters]
beta = { value = 0.3, description = "contacts per day", unit = "1/day" }
gamma = 0.1

[[reactions]]
name = "infection"
equation = "S + I -> I + I"
rate = "beta"
law = "frequency"

[[reactions]]
equation = "I -> R"
rate = "gamma"
"""


def write(tmp_path: Path, text: str, name: str = "bad.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- built-in scenarios -------------------------------------------------------------------


def test_builtin_scenarios_are_discovered() -> None:
    """The package ships the documented scenarios, well mixed and in space, as package data."""
    assert set(BUILTIN_SCENARIOS) == {
        "munz-basic",
        "munz-latent",
        "munz-quarantine",
        "munz-cure",
        "alemi",
        "sir",
        "school",
        "hyosan-school",
        "korea",
        "usa",
        "season1",
        "season2",
    }
    assert builtin_scenario_path("sir").name == "sir.toml"


@pytest.mark.parametrize("name", BUILTIN_SCENARIOS)
def test_every_builtin_loads_resolved(name: str) -> None:
    """Each built-in loads by name, is named after its file, uses a built-in model, and
    lists every parameter and every compartment."""
    s = load_scenario(name)
    assert s.name == name
    assert s.source == f"builtin:{name}"
    assert s.model_ref in BUILTIN_MODELS
    assert s.model == builtin_model(s.model_ref)
    assert set(s.parameters) == set(s.model.parameter_names)
    assert set(s.initial) == set(s.model.compartments)
    assert s.engine in ("ssa", "tau")
    assert s.description


@pytest.mark.parametrize("name", ["munz-basic", "munz-latent", "munz-quarantine", "munz-cure"])
def test_munz_scenarios_use_per_person_rates(name: str) -> None:
    """The Munz scenarios divide the paper's per-thousand beta and alpha by 1000 and keep
    the first-order rates as printed, with 500,000 humans and one zombie."""
    s = load_scenario(name)
    assert s.model_ref == name
    assert s.parameters["beta"] == pytest.approx(0.0095 / 1000)
    assert s.parameters["alpha"] == pytest.approx(0.005 / 1000)
    assert (s.parameters["delta"], s.parameters["zeta"], s.parameters["Pi"]) == (
        0.0001,
        0.0001,
        0.0,
    )
    if "rho" in s.parameters:
        assert s.parameters["rho"] == 0.005
    assert (s.initial["S"], s.initial["Z"]) == (500000, 1)
    assert sum(s.initial.values()) == 500001
    assert (s.time.unit, s.runs) == ("day", 1)


@pytest.mark.parametrize("name", ["munz-basic", "alemi"])
def test_doomsday_scenarios_run_until_humans_are_gone(name: str) -> None:
    """munz-basic and alemi last long enough for the ODE's humans to fall below one."""
    import hyosan
    from hyosan.results import time_below

    result = hyosan.simulate(load_scenario(name), engine="ode")
    assert time_below(result).iloc[0] < result.times[-1]


def test_alemi_scenario_numbers() -> None:
    """alemi: beta 1/day, kappa 0.8/day, one million people with 0.1% zombies, 150 days."""
    s = load_scenario("alemi")
    assert dict(s.parameters) == {"beta": 1.0, "kappa": 0.8}
    assert s.initial == {"S": 999000, "Z": 1000, "R": 0}
    assert s.initial["Z"] / sum(s.initial.values()) == 0.001
    assert s.time.end == 150.0


def test_sir_scenario_numbers() -> None:
    """sir: beta 0.3, gamma 0.1, 10,000 people with 10 infected, 160 days."""
    s = load_scenario("sir")
    assert dict(s.parameters) == {"beta": 0.3, "gamma": 0.1}
    assert s.initial == {"S": 9990, "I": 10, "R": 0}
    assert s.time.end == 160.0


def test_school_scenario() -> None:
    """school: the aouad model in hours, 999 humans and one bitten, 100 runs, and one
    intervention that raises alpha."""
    s = load_scenario("school")
    assert s.model_ref == "aouad"
    assert (s.time.end, s.time.unit, s.runs) == (48.0, "hour", 100)
    assert (s.initial["S"], s.initial["E"], sum(s.initial.values())) == (999, 1, 1000)
    (iv,) = s.interventions
    assert iv.name and len(iv.trigger.times) == 1 and 0 < iv.trigger.times[0] < s.time.end
    (action,) = iv.actions
    assert isinstance(action, SetParameters) and action.values["alpha"] > s.parameters["alpha"]


def test_list_scenarios_gives_descriptions() -> None:
    """list_scenarios pairs every built-in name with its non-empty description."""
    listed = list_scenarios()
    assert [n for n, _ in listed] == list(BUILTIN_SCENARIOS)
    assert all(d for _, d in listed)


def test_unknown_scenario_name_lists_builtins(tmp_path: Path) -> None:
    """A name that is neither a built-in nor a file says so and lists the built-ins."""
    with pytest.raises(InputError) as info:
        load_scenario(str(tmp_path / "nosuch"))
    message = str(info.value)
    assert "no such scenario file or built-in scenario" in message
    assert "nosuch" in message
    assert all(name in message for name in BUILTIN_SCENARIOS)
    assert "path to a .toml file" in info.value.allowed


# --- files --------------------------------------------------------------------------------


def test_file_scenario_resolves_everything(tmp_path: Path) -> None:
    """A minimal file gets the file's stem as name, the model's defaults for parameters it
    does not set, zero for compartments it does not list, and the documented defaults."""
    path = write(tmp_path, BASE + "\n[parameters]\nbeta = 9.5e-6\n", "study.toml")
    s = load_scenario(path)
    assert s.name == "study"
    assert s.source == str(path)
    assert s.model_ref == "munz-basic"
    assert s.parameters == {**builtin_model("munz-basic").defaults, "beta": 9.5e-6}
    assert s.initial == {"S": 100, "Z": 1, "R": 0}
    assert (s.engine, s.runs, s.seed) == ("ssa", 1, None)
    assert (s.time.end, s.time.points, s.time.unit) == (10.0, 201, "day")


def test_path_string_and_path_object_agree(tmp_path: Path) -> None:
    """load_scenario accepts a str path and a Path alike."""
    path = write(tmp_path, BASE, "x.toml")
    assert load_scenario(str(path)) == load_scenario(path)


def test_top_level_keys(tmp_path: Path) -> None:
    """name, description, engine, runs and seed are read from the top level."""
    text = 'name = "n"\ndescription = "d"\nengine = "ode"\nruns = 7\nseed = 42\n' + BASE
    s = load_scenario(write(tmp_path, text, "x.toml"))
    assert (s.name, s.description, s.engine, s.runs, s.seed) == ("n", "d", "ode", 7, 42)


def test_interventions_at_when_set_remove(tmp_path: Path) -> None:
    """An intervention reads at (a number or a list), when, set and remove (to optional)."""
    text = (
        BASE
        + """
[[interventions]]
name = "awareness"
at = 5
set = { alpha = 0.01 }

[[interventions]]
at = [2.5, 5.0]
remove = [{ compartment = "Z", fraction = 0.5, to = "R" }, { compartment = "S", fraction = 0.1 }]

[[interventions]]
when = "Z + R > 1000"
set = { beta = 0 }
"""
    )
    s = load_scenario(write(tmp_path, text, "x.toml"))
    assert s.interventions == (
        Intervention(At(5.0), (SetParameters({"alpha": 0.01}),), name="awareness"),
        Intervention(At((2.5, 5.0)), (Remove((Impulse("Z", 0.5, "R"), Impulse("S", 0.1))),)),
        Intervention(When(Condition(("Z", "R"), ">", 1000.0)), (SetParameters({"beta": 0}),)),
    )


def test_inline_model(tmp_path: Path) -> None:
    """A [model] table defines the model in the scenario; model_ref is then empty."""
    model_table = SIR_MODEL.replace("[parameters]", "[model.parameters]").replace(
        "[[reactions]]", "[[model.reactions]]"
    )
    text = "[time]\nend = 160.0\n[initial]\nS = 990\nI = 10\n[model]\n" + model_table
    s = load_scenario(write(tmp_path, text, "inline.toml"))
    assert s.model_ref == ""
    assert s.model.name == "my-sir"
    assert s.model.compartments == ("S", "I", "R")
    assert s.model.reactions[0].law is RateLaw.FREQUENCY
    assert s.model.reactions[1].law is None
    assert s.model.parameters[0].unit == "1/day"
    assert s.parameters == {"beta": 0.3, "gamma": 0.1}
    assert s.initial == {"S": 990, "I": 10, "R": 0}


def test_inline_model_name_defaults_to_scenario_name(tmp_path: Path) -> None:
    """An inline model without a name takes the scenario's name."""
    text = (
        '[time]\nend = 1\n[model]\ncompartments = ["A", "B"]\n'
        '[[model.reactions]]\nequation = "A -> B"\nrate = 0.5\n'
    )
    s = load_scenario(write(tmp_path, text, "decay.toml"))
    assert s.model.name == "decay"
    assert s.model.reactions[0].rate_expression.evaluate({}) == 0.5


def test_model_file_relative_to_scenario(tmp_path: Path) -> None:
    """model = "PATH" loads a model file relative to the scenario file, not the cwd."""
    (tmp_path / "models").mkdir()
    write(tmp_path / "models", SIR_MODEL, "sir-model.toml")
    (tmp_path / "scenarios").mkdir()
    text = 'model = "../models/sir-model.toml"\n[time]\nend = 5\n[initial]\nS = 9\nI = 1\n'
    s = load_scenario(write(tmp_path / "scenarios", text, "s.toml"))
    assert s.model_ref == ""
    assert s.model == load_model(tmp_path / "models" / "sir-model.toml")
    assert s.model.name == "my-sir"


def test_load_model_standalone(tmp_path: Path) -> None:
    """load_model reads a model file; its name defaults to the file's stem."""
    m = load_model(write(tmp_path, SIR_MODEL.replace('name = "my-sir"\n', ""), "plain.toml"))
    assert m.name == "plain"
    assert m.description == "a test SIR"
    assert m.humans == ("S",) and m.zombies == ("I",)
    assert m.defaults == {"beta": 0.3, "gamma": 0.1}
    assert m.parameters[0].description == "contacts per day"


def test_parameter_shorthand_equals_table() -> None:
    """``beta = 0.3`` and ``beta = { value = 0.3 }`` define the same parameter."""
    rows = {"compartments": ["S"], "reactions": [{"equation": "S ->", "rate": "b"}]}
    short = model_from_dict({**rows, "parameters": {"b": 0.3}}, name="m")
    table = model_from_dict({**rows, "parameters": {"b": {"value": 0.3}}}, name="m")
    assert short == table


# --- bad input ----------------------------------------------------------------------------

BAD_CASES = [
    # (what, text, key path, bad value)
    ("unknown top-level key", "tme = 3\n" + BASE, "tme", "tme"),
    (
        "unknown key in a table",
        BASE.replace("end = 10.0", "end = 10.0\nstep = 1"),
        "time.step",
        "step",
    ),
    ("wrong type", BASE.replace("end = 10.0", 'end = "10"'), "time.end", "10"),
    ("float for an integer", "runs = 1.5\n" + BASE, "runs", 1.5),
    ("end time zero", BASE.replace("end = 10.0", "end = 0"), "time.end", 0.0),
    ("end time negative", BASE.replace("end = 10.0", "end = -3.5"), "time.end", -3.5),
    ("too few points", BASE.replace("end = 10.0", "end = 1\npoints = 1"), "time.points", 1),
    ("unknown engine", 'engine = "gillespie"\n' + BASE, "engine", "gillespie"),
    ("fractional count for ssa", BASE.replace("S = 100", "S = 100.5"), "initial.S", 100.5),
    (
        "fractional count for tau",
        'engine = "tau"\n' + BASE.replace("Z = 1", "Z = 0.5"),
        "initial.Z",
        0.5,
    ),
    ("negative count", 'engine = "ode"\n' + BASE.replace("Z = 1", "Z = -1"), "initial.Z", -1),
    ("misspelt compartment", BASE + "Zombie = 3\n", "initial.Zombie", "Zombie"),
    ("misspelt parameter", BASE + "[parameters]\nalpah = 0.1\n", "parameters.alpah", "alpah"),
    ("negative rate", BASE + "[parameters]\nbeta = -1\n", "parameters.beta", -1),
    ("infinite rate", BASE + "[parameters]\nbeta = inf\n", "parameters.beta", math.inf),
    ("parameter not a number", BASE + '[parameters]\nbeta = "fast"\n', "parameters.beta", "fast"),
    ("negative seed", "seed = -3\n" + BASE, "seed", -3),
    ("zero runs", "runs = 0\n" + BASE, "runs", 0),
    (
        "misspelt parameter in an intervention",
        BASE + "[[interventions]]\nat = 1\nset = { alpha = 0.1 }\n"
        "[[interventions]]\nat = 2\nset = { alpah = 0.01 }\n",
        "interventions[1].set.alpah",
        "alpah",
    ),
    (
        "infinite value in an intervention",
        BASE + "[[interventions]]\nat = 1\nset = { alpha = inf }\n",
        "interventions[0].set.alpha",
        math.inf,
    ),
    (
        "misspelt intervention key",
        BASE + "[[interventions]]\nat = 1\nsett = { alpha = 0.1 }\n",
        "interventions[0].sett",
        "sett",
    ),
    (
        "bad time in a list",
        BASE + "[[interventions]]\nat = [1, 'x']\nset = { alpha = 0.1 }\n",
        "interventions[0].at[1]",
        "x",
    ),
    (
        "negative intervention time",
        BASE + "[[interventions]]\nat = -1\nset = { alpha = 0.1 }\n",
        "interventions[0].at",
        -1.0,
    ),
    (
        "unknown compartment in a condition",
        BASE + "[[interventions]]\nwhen = 'Zz > 3'\nset = { alpha = 0.1 }\n",
        "interventions[0].when",
        "Zz",
    ),
    (
        "unreadable condition",
        BASE + "[[interventions]]\nwhen = 'Z >> 3'\nset = { alpha = 0.1 }\n",
        "interventions[0].when",
        "Z >> 3",
    ),
    (
        "unknown compartment to remove",
        BASE + "[[interventions]]\nat = 1\nremove = [{ compartment = 'Q', fraction = 0.5 }]\n",
        "interventions[0].remove[0].compartment",
        "Q",
    ),
    (
        "fraction above one",
        BASE + "[[interventions]]\nat = 1\nremove = [{ compartment = 'Z', fraction = 1.5 }]\n",
        "interventions[0].remove[0].fraction",
        1.5,
    ),
    (
        "misspelt key in a remove",
        BASE + "[[interventions]]\nat = 1\nremove = [{ compartment = 'Z', fractio = 0.5 }]\n",
        "interventions[0].remove[0].fractio",
        "fractio",
    ),
    ("unknown model", BASE.replace("munz-basic", "nosuch"), "model", "nosuch"),
    ("model not a name or table", BASE.replace('"munz-basic"', "5"), "model", 5),
    (
        "inline: unknown parameter in a rate",
        '[time]\nend = 1\n[model]\ncompartments = ["S", "I"]\n[model.parameters]\nb = 0.1\n'
        '[[model.reactions]]\nequation = "S -> I"\nrate = "c"\n',
        "model.reactions[0].rate",
        "c",
    ),
    (
        "inline: negative rate",
        '[time]\nend = 1\n[model]\ncompartments = ["S", "I"]\n'
        '[[model.reactions]]\nequation = "S -> I"\nrate = -0.1\n',
        "model.reactions[0].rate",
        -0.1,
    ),
    (
        "inline: negative parameter",
        '[time]\nend = 1\n[model]\ncompartments = ["S", "I"]\n[model.parameters]\nb = -0.1\n'
        '[[model.reactions]]\nequation = "S -> I"\nrate = "b"\n',
        "model.parameters.b",
        -0.1,
    ),
    (
        "inline: misspelt parameter key",
        '[time]\nend = 1\n[model]\ncompartments = ["S", "I"]\n[model.parameters]\n'
        'b = { valu = 1 }\n[[model.reactions]]\nequation = "S -> I"\nrate = "b"\n',
        "model.parameters.b.valu",
        "valu",
    ),
    (
        "inline: parameter name not an identifier",
        '[time]\nend = 1\n[model]\ncompartments = ["S", "I"]\n[model.parameters]\n"1b" = 1\n'
        '[[model.reactions]]\nequation = "S -> I"\nrate = "1"\n',
        "model.parameters.1b",
        "1b",
    ),
    (
        "inline: unknown compartment in a reaction",
        '[time]\nend = 1\n[model]\ncompartments = ["S", "I"]\n'
        '[[model.reactions]]\nequation = "S -> Q"\nrate = "1"\n',
        "model.reactions[0].equation",
        "Q",
    ),
    (
        "inline: unreadable equation",
        '[time]\nend = 1\n[model]\ncompartments = ["S", "I"]\n'
        '[[model.reactions]]\nequation = "S => I"\nrate = "1"\n',
        "model.reactions[0].equation",
        "S => I",
    ),
    (
        "inline: unknown law",
        '[time]\nend = 1\n[model]\ncompartments = ["S", "I"]\n'
        '[[model.reactions]]\nequation = "S -> I"\nrate = "1"\nlaw = "quadratic"\n',
        "model.reactions[0].law",
        "quadratic",
    ),
]


@pytest.mark.parametrize(("what", "text", "key", "value"), BAD_CASES, ids=[c[0] for c in BAD_CASES])
def test_bad_input_names_file_key_and_value(
    tmp_path: Path, what: str, text: str, key: str, value: object
) -> None:
    """Each kind of bad input raises InputError whose message names the file, the full
    key path and the bad value."""
    path = write(tmp_path, text)
    with pytest.raises(InputError) as info:
        load_scenario(path)
    err = info.value
    assert err.source == str(path), what
    assert err.key == key, what
    assert err.value == value or (isinstance(value, float) and math.isnan(value)), what
    message = str(err)
    assert "bad.toml" in message
    assert f"{key}:" in message
    assert repr(value) in message


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('model = "sir"\n', "time"),
        ("[time]\nend = 1\n", "model"),
        (
            '[time]\nend = 1\n[model]\ncompartments = ["S", "I"]\n'
            '[[model.reactions]]\nequation = "S -> I"\n',
            "model.reactions[0].rate",
        ),
        (
            '[time]\nend = 1\n[model]\ncompartments = ["S", "I"]\n[model.parameters]\n'
            'b = { unit = "1/day" }\n',
            "model.parameters.b.value",
        ),
    ],
)
def test_missing_key_is_named(tmp_path: Path, text: str, key: str) -> None:
    """A required key that is missing (time, model, a reaction's rate, a parameter's value)
    is reported under its full key path."""
    with pytest.raises(InputError) as info:
        load_scenario(write(tmp_path, text))
    assert info.value.key == key
    assert "missing key" in str(info.value)
    assert f"bad.toml: {key}:" in str(info.value)


def test_unknown_key_lists_the_allowed_keys(tmp_path: Path) -> None:
    """An unknown key's error lists the keys allowed at its level and suggests the closest."""
    with pytest.raises(InputError) as info:
        load_scenario(write(tmp_path, BASE.replace("end = 10.0", "end = 10.0\npoint = 3")))
    assert info.value.allowed == "end, points, unit"
    assert "did you mean 'points'?" in str(info.value)


def test_toml_syntax_error_has_line_and_column(tmp_path: Path) -> None:
    """A TOML syntax error names the file, the line and column and the reason, and quotes
    nothing of a file that is not TOML (issue 15: it could be any file)."""
    path = write(tmp_path, 'model = "sir"\n[time]\nend = \n')
    with pytest.raises(InputError) as info:
        load_scenario(path)
    message = str(info.value)
    assert message.startswith(f"{path}: not valid TOML: Invalid value")
    assert "line 3" in message and "column" in message
    assert "end =" not in message and "got" not in message


def test_file_that_is_not_utf8(tmp_path: Path) -> None:
    """Bytes that are not UTF-8 give an InputError naming the file, not a UnicodeError."""
    path = tmp_path / "latin.toml"
    path.write_bytes(b'name = "caf\xe9"\n')
    with pytest.raises(InputError, match="not UTF-8"):
        load_scenario(path)


def test_unknown_model_lists_builtin_models(tmp_path: Path) -> None:
    """model = "nosuch" lists every built-in model and the other forms allowed."""
    with pytest.raises(InputError) as info:
        load_scenario(write(tmp_path, BASE.replace("munz-basic", "nosuch")))
    assert all(name in info.value.allowed for name in BUILTIN_MODELS)
    assert "path to a model .toml file" in info.value.allowed
    assert "[model] table" in info.value.allowed


def test_error_in_model_file_names_the_model_file(tmp_path: Path) -> None:
    """An error inside a referenced model file is placed in that file, at its own key."""
    model = write(tmp_path, SIR_MODEL.replace('rate = "gamma"', 'rate = "gama"'), "m.toml")
    text = 'model = "m.toml"\n[time]\nend = 1\n'
    with pytest.raises(InputError) as info:
        load_scenario(write(tmp_path, text, "s.toml"))
    assert info.value.source == str(model)
    assert info.value.key == "reactions[1].rate"
    assert info.value.value == "gama"


def test_load_model_missing_file(tmp_path: Path) -> None:
    """load_model on a path that does not exist raises InputError naming it."""
    with pytest.raises(InputError, match="no such model file"):
        load_model(tmp_path / "none.toml")


def test_load_scenario_text_source_and_name() -> None:
    """load_scenario_text keeps the given source, and names the scenario after a .toml
    source's stem (else "scenario")."""
    assert load_scenario_text(BASE).name == "scenario"
    assert load_scenario_text(BASE).source == "<string>"
    s = load_scenario_text(BASE, source="dir/outbreak.toml")
    assert (s.name, s.source) == ("outbreak", "dir/outbreak.toml")
    with pytest.raises(InputError) as info:
        load_scenario_text("tme = 1\n" + BASE, source="given.toml")
    assert str(info.value).startswith("given.toml: tme:")
