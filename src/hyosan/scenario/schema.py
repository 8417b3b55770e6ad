"""The scenario and model file formats, as pydantic models.

These models check the *shape* of a TOML document: which keys exist at each
level, which are required, and the type of each value. What the values mean
(a compartment the model has, a rate that is not negative, an end time above
zero) is checked by the domain objects the loader builds from them
(:class:`~hyosan.model.Model`, :class:`~hyosan.scenario.Scenario`,
:class:`~hyosan.interventions.Intervention`), so each rule lives in one place
and holds for scenarios built in Python too.

Validation is strict (no ``"10"`` for ``10``) and every table forbids unknown
keys; an unknown key raises the custom error ``unknown_key`` whose context
names the key and the keys allowed at that level.

A scenario file::

    name = "my-study"            # default: the file's stem
    description = "..."
    model = "munz-basic"         # built-in name, path to a model file, or a [model] table
    engine = "ssa"               # ode | ssa | tau
    runs = 1
    seed = 42                    # optional

    [time]
    end = 10.0
    points = 201
    unit = "day"

    [parameters]                 # overrides of the model's defaults
    beta = 9.5e-6

    [initial]                    # counts; compartments not listed start at 0
    S = 500000
    Z = 1

    [[interventions]]
    name = "awareness"
    at = 5.0                     # a time or a list of times; or when = "Z > 1000"
    set = { alpha = 0.01 }
    remove = [{ compartment = "Z", fraction = 0.5, to = "R" }]

A scenario in space adds a ``[world]`` table (see :mod:`hyosan.space.setup`)
and may use ``cordon``, ``lockdown``, ``barricade``, ``reopen``, ``strike``
and ``camp`` in interventions (see :mod:`hyosan.interventions.space`).

A model file has the keys of :class:`ModelSpec` at top level; inline, the same
keys sit under ``[model]``.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, model_validator
from pydantic_core import PydanticCustomError

from hyosan._checks import is_number

__all__ = [
    "InterventionSpec",
    "ModelSpec",
    "ParameterSpec",
    "ReactionSpec",
    "RemoveSpec",
    "ScenarioSpec",
    "TimeSpec",
    "WorldSpec",
]


class _Table(BaseModel):
    """A TOML table: strict types, unknown keys rejected with the allowed ones."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _known_keys(cls, data: Any) -> Any:
        if isinstance(data, dict):
            known = list(cls.model_fields)
            for key in data:
                if key not in known:  # scenario/parse.py says it with errors.unknown
                    raise PydanticCustomError(
                        "unknown_key", "unknown key", {"key": key, "allowed": ", ".join(known)}
                    )
        return data


def _number_as_parameter(value: Any) -> Any:
    """``beta = 0.3`` is short for ``beta = { value = 0.3 }``."""
    if is_number(value):
        return {"value": value}
    if not isinstance(value, dict):
        raise PydanticCustomError(
            "parameter_type",
            "a parameter is a number or a table",
            {"allowed": "a number, or { value = NUMBER, description = TEXT, unit = TEXT }"},
        )
    return value


def _number_as_rate(value: Any) -> Any:
    """``rate = 0.5`` is short for ``rate = "0.5"``; a rate cannot be negative."""
    if is_number(value):
        if not value >= 0:
            raise PydanticCustomError(
                "negative_rate",
                "a rate cannot be negative",
                {"allowed": 'a number >= 0 or an expression such as "sigma * (1 - p)"'},
            )
        return repr(float(value))
    return value


def _scalar_as_list(value: Any) -> Any:
    """``at = 5.0`` is short for ``at = [5.0]``."""
    if is_number(value):
        return [value]
    if value is not None and not isinstance(value, list):
        raise PydanticCustomError(
            "times_type",
            "'at' is a time or a list of times",
            {"allowed": "a number >= 0 or a list of numbers, e.g. at = [2.5, 5.0]"},
        )
    return value


class ParameterSpec(_Table):
    """A model parameter: its default value, meaning and unit."""

    value: float
    description: str = ""
    unit: str = ""


class ReactionSpec(_Table):
    """One reaction: ``equation = "S + Z -> E + Z"``, ``rate``, optional ``law``."""

    name: str = ""
    equation: str
    rate: Annotated[str, BeforeValidator(_number_as_rate)]
    law: str | None = None


class ModelSpec(_Table):
    """A model, inline under ``[model]`` or at the top level of a model file."""

    name: str | None = None
    description: str = ""
    compartments: list[str]
    population: list[str] = []
    humans: list[str] = []
    zombies: list[str] = []
    survivors: list[str] = []
    hybrids: list[str] = []
    time_unit: str = "day"
    references: list[str] = []
    parameters: dict[str, Annotated[ParameterSpec, BeforeValidator(_number_as_parameter)]] = {}
    reactions: list[ReactionSpec] = []


class TimeSpec(_Table):
    """The output grid: ``points`` times from 0 to ``end`` in ``unit``."""

    end: float
    points: int = 201
    unit: str | None = None


class RemoveSpec(_Table):
    """An impulse: move ``fraction`` of ``compartment`` to ``to`` (or out of the model)."""

    compartment: str
    fraction: float
    to: str | None = None


class InterventionSpec(_Table):
    """An intervention: ``at`` times or ``when`` a condition holds; ``set`` and ``remove``."""

    name: str = ""
    at: Annotated[list[float] | None, BeforeValidator(_scalar_as_list)] = None
    when: str | None = None
    set: dict[str, float] = {}
    remove: list[RemoveSpec] = []


class CampSpec(_Table):
    """Move people from ``patches`` to the camp patch ``to`` through a screening."""

    patches: Any
    to: str
    fraction: float = 1.0
    sensitivity: float = 0.9
    move: list[str] = []
    screen: list[str] = []
    detected_to: str = ""


class InterventionInSpaceSpec(InterventionSpec):
    """An intervention that may also act on patches (selections are read by the loader)."""

    cordon: Any = None
    lockdown: Any = None
    barricade: Any = None
    reopen: Any = None
    strike: Any = None
    camp: CampSpec | None = None


class LatticeSpec(_Table):
    """A ``rows`` x ``cols`` lattice with ``people`` in every cell, cells ``cell`` apart."""

    rows: int
    cols: int
    people: float = 1.0
    cell: float = 1.0


class SeedSpec(_Table):
    """``count`` people of ``compartment`` placed in the patches ``where`` selects."""

    compartment: str
    count: float
    where: Any = None


class WorldSpec(_Table):
    """The ``[world]`` table: one of ``builtin``, ``map``, ``file``, ``plan`` (a world file's
    tables, inline), ``lattice``; and settings."""

    builtin: str | None = None
    map: str | None = None
    cell: str = "10km"
    file: str | None = None
    plan: dict[str, Any] | None = None
    lattice: LatticeSpec | None = None
    movement: dict[str, float] = {}
    coupling: float = 0.0
    fill: str = ""
    scale: float = 1.0
    camps: list[str] = []
    seed: list[SeedSpec] = []


class CharacterSpec(_Table):
    """A named person followed through the runs (see :mod:`hyosan.scenario.characters`)."""

    name: str
    compartment: str = ""
    where: Any = None


class MilestoneSpec(_Table):
    """A moment of the story: ``text`` and the condition ``when`` it first holds."""

    text: str
    when: str


class ScenarioSpec(_Table):
    """A scenario file.

    ``model`` is left untyped here: it is a built-in model's name, a path to a
    model file or an inline table, and the loader tells them apart (pydantic's
    unions would report errors under member tags rather than key paths).
    ``parameters`` and ``initial`` values are checked by the domain objects,
    whose messages say what a parameter or a count must be.
    """

    name: str | None = None
    description: str = ""
    model: Any
    engine: str = "ssa"
    runs: int = 1
    seed: int | None = None
    time: TimeSpec
    parameters: dict[str, Any] = {}
    initial: dict[str, Any] = {}
    interventions: list[InterventionInSpaceSpec] = []
    world: WorldSpec | None = None
    characters: list[CharacterSpec] = []
    milestones: list[MilestoneSpec] = []
    sweep: dict[str, Any] | None = None
