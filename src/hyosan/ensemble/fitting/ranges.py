"""The keys a fit varies and their ranges: ``--fit KEY=LOW:HIGH``, or ``{KEY: (LOW, HIGH)}``.

A key is any scenario key :func:`~hyosan.scenario.edit.set_key` accepts
(``parameters.beta``, ``initial.I``, ``world.seed[0].count``,
``interventions[1].at``), or a bare name: a parameter, else (well mixed) a
compartment's initial count. A range is checked by setting the scenario's key
to each of its ends, so it meets the same checks as a scenario file: a
probability fitted from 0 to 3 is refused at the option that asked for it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from hyosan._checks import is_number
from hyosan.ensemble.fitting.types import FitRange
from hyosan.errors import InputError, unknown
from hyosan.scenario import Scenario
from hyosan.scenario.dump import scenario_to_dict
from hyosan.scenario.edit import check_key, parse_key, set_key

__all__ = ["FIT_HELP", "PYTHON_HELP", "parse_fit", "parse_fits", "ranges_from"]

FIT_HELP = "KEY=LOW:HIGH, such as beta=0.1:5"
"""What ``--fit`` takes, for messages."""
PYTHON_HELP = "{KEY: (LOW, HIGH)}, such as {'beta': (0.1, 5)}"
"""What :func:`ranges_from` takes, for messages."""
_FIXED = ("runs", "seed", "engine", "time.end", "time.points")
"""Keys that say how the runs are made, not what happens in them."""


def parse_fit(text: str, scenario: Scenario, *, source: str = "--fit") -> FitRange:
    """The range ``"KEY=LOW:HIGH"`` (``"beta=0.1:5"``, ``"initial.I=1:50"``) of ``scenario``.

    Raises
    ------
    InputError
        Placed at ``source``, keyed by the key as written: text not of that
        form, ``LOW >= HIGH``, a key the scenario has not, or cannot fit, or an
        end the key does not allow.

    Examples
    --------
    >>> from hyosan import load_scenario
    >>> parse_fit("I=1:50", load_scenario("sir"))
    FitRange(key='initial.I', low=1.0, high=50.0, integer=True)
    """
    key, equals, ends = text.partition("=")
    low_text, colon, high_text = ends.partition(":")
    key = key.strip()
    if not (equals and colon and key):
        raise InputError(
            "cannot read this range", source=source, key=key, value=text, allowed=FIT_HELP
        )
    low, high = (_end(t, key, source) for t in (low_text, high_text))
    return _fit_range(key, low, high, scenario, source=source, shown=text, form=FIT_HELP)


def parse_fits(
    texts: Sequence[str], scenario: Scenario, *, source: str = "--fit"
) -> tuple[FitRange, ...]:
    """Each ``--fit`` of ``texts`` read by :func:`parse_fit`: at least one, no key twice."""
    if not texts:
        problem = f"nothing to fit: {source} KEY=LOW:HIGH is needed"
        raise InputError(problem, source=source, allowed=f"one or more {source} {FIT_HELP}")
    return _distinct(
        [parse_fit(t, scenario, source=source) for t in texts],
        [t.partition("=")[0].strip() for t in texts],
        source,
    )


def ranges_from(
    ranges: Mapping[str, tuple[float, float]], scenario: Scenario, *, source: str = "python"
) -> tuple[FitRange, ...]:
    """The ranges of the Python API, ``{"beta": (0.1, 5), "initial.I": (1, 50)}``.

    The keys and checks are those of :func:`parse_fit`.

    Examples
    --------
    >>> from hyosan import load_scenario
    >>> ranges_from({"beta": (0.1, 5)}, load_scenario("sir"))
    (FitRange(key='parameters.beta', low=0.1, high=5.0, integer=False),)
    """
    if not ranges:
        raise InputError("nothing to fit", source=source, value=ranges, allowed=PYTHON_HELP)
    out = []
    for key, pair in ranges.items():
        if not (isinstance(key, str) and key.strip()):
            raise InputError("a key is text", source=source, value=key, allowed=PYTHON_HELP)
        if not _is_pair(pair):
            problem = "a range is two finite numbers (LOW, HIGH)"
            raise InputError(problem, source=source, key=key, value=pair, allowed=PYTHON_HELP)
        low, high = float(pair[0]), float(pair[1])
        name = key.strip()
        out.append(
            _fit_range(name, low, high, scenario, source=source, shown=pair, form=PYTHON_HELP)
        )
    return _distinct(out, [k.strip() for k in ranges], source)


def _is_pair(pair: Any) -> bool:
    return (
        isinstance(pair, tuple | list)
        and len(pair) == 2
        and all(is_number(v) and math.isfinite(v) for v in pair)
    )


def _end(text: str, key: str, source: str) -> float:
    """One end of a range written out: a finite number."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        problem = "LOW and HIGH are finite numbers"
        raise InputError(problem, source=source, key=key, value=text.strip(), allowed=FIT_HELP)
    return value


def _distinct(fits: list[FitRange], written: list[str], source: str) -> tuple[FitRange, ...]:
    """``fits``, refusing a key given twice (``beta`` and ``parameters.beta`` are one key)."""
    first: dict[str, str] = {}
    for fit, key in zip(fits, written, strict=True):
        if fit.key in first:
            problem = f"a key fitted twice (first as {first[fit.key]!r})"
            raise InputError(problem, source=source, key=key, value=key, allowed="each key once")
        first[fit.key] = key
    return tuple(fits)


def _fit_range(
    written: str, low: float, high: float, scenario: Scenario, *, source: str, shown: Any, form: str
) -> FitRange:
    """The range of the key ``written`` from ``low`` to ``high``, checked on ``scenario``."""
    if not low < high:
        problem = "LOW must be less than HIGH"
        raise InputError(problem, source=source, key=written, value=shown, allowed=form)
    key = _full_key(written, scenario, source)
    if key in _FIXED:
        raise InputError(
            "cannot be fitted: it says how the runs are made, not what happens in them",
            source=source,
            key=written,
            value=shown,
            allowed="a parameter, an initial count or another number of the scenario",
        )
    try:
        check_key(scenario, key)
    except InputError as err:
        raise _placed(err, source, written, err.value) from None
    integer = _is_integer(scenario, key)
    if integer and round(low) == round(high):
        raise InputError(
            "a whole-number key whose LOW and HIGH round to the same number",
            source=source,
            key=written,
            value=shown,
            allowed="a range holding two whole numbers or more, such as I=1:50",
        )
    for value in (low, high):
        try:
            set_key(scenario, key, round(value) if integer else value)
        except InputError as err:
            raise _placed(err, source, written, value) from None
    return FitRange(key=key, low=low, high=high, integer=integer)


def _placed(err: InputError, source: str, key: str, value: Any) -> InputError:
    """``err``'s problem and what is allowed, at ``source`` and ``key``."""
    return InputError(err.problem, source=source, key=key, value=value, allowed=err.allowed)


def _full_key(written: str, scenario: Scenario, source: str) -> str:
    """A bare name as a parameter's key, else a well-mixed compartment's initial count."""
    model = scenario.model
    if written in model.parameter_names:
        return f"parameters.{written}"
    if "." in written or "[" in written or written in _FIXED:
        return written
    if written in model.compartments and scenario.world is None:
        return f"initial.{written}"
    if written in model.compartments:
        raise InputError(
            "in a world, people are placed by the world's population and seeds",
            source=source,
            key=written,
            value=written,
            allowed=", ".join(model.parameter_names) + ", or a key such as world.seed[0].count",
        )
    if scenario.world is None:
        what, names = "parameter or compartment", [*model.parameter_names, *model.compartments]
    else:
        what, names = "parameter", list(model.parameter_names)
    raise unknown(what, written, names, key=written, source=source)


def _is_integer(scenario: Scenario, key: str) -> bool:
    """Whether ``key`` holds a whole number: an int now, or a count of people.

    A scenario table keeps a seed's count as a float (``1.0``), so the keys of
    counts of people are named here: ``initial.*``, ``world.seed[i].count``,
    ``world.lattice.people``. Parameters are never whole numbers.
    """
    parts = parse_key(key)
    if parts[0] == "parameters":
        return False
    if parts[0] == "initial" or parts[-1] == "count" or parts == ["world", "lattice", "people"]:
        return True
    node: Any = scenario_to_dict(scenario)
    for part in parts:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return False
    return isinstance(node, int) and not isinstance(node, bool)
