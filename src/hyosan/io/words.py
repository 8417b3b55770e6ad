"""The words of ``story.md``: each compartment of the series' models in words, and counts and
times as the story writes them."""

from __future__ import annotations

from hyosan._typing import FloatArray

__all__ = ["cap", "compartment_word", "count", "people", "when", "word"]

_AOUAD = {
    "S": ("human", "humans"),
    "E": ("bitten", "bitten"),
    "Ez": ("bitten by a hybrid", "bitten by hybrids"),
    "Z": ("zombie", "zombies"),
    "H": ("hybrid", "hybrids"),
    "D": ("dead", "dead"),
    "A": ("soldier", "soldiers"),
    "Hc": ("helped hybrid", "helped hybrids"),
    "Hf": ("found-out hybrid", "found-out hybrids"),
    "Dh": ("killed hybrid", "killed hybrids"),
}
_WORDS = {"aouad": _AOUAD, "aouad-army": _AOUAD, "aouad-camp": _AOUAD}


def word(model: str, compartment: str, n: float = 1.0) -> str:
    """The word for ``n`` of ``compartment`` in ``model`` (``"zombies"``), else its name."""
    forms = _WORDS.get(model, {}).get(compartment, (compartment, compartment))
    return forms[0] if n == 1 else forms[1]


def compartment_word(model: str, compartment: str) -> str:
    """The word for one of ``compartment`` in ``model`` (``"zombie"``), else its name."""
    return word(model, compartment)


def people(values: FloatArray, comps: tuple[str, ...], model: str) -> str:
    """``"999 humans, 1 bitten"``: the nonzero counts, in words."""
    return ", ".join(
        f"{count(values[j])} {word(model, c, values[j])}" for j, c in enumerate(comps) if values[j]
    )


def count(x: float) -> str:
    """A count in words' company: whole numbers with thousands separators."""
    return f"{x:,.0f}" if abs(x - round(x)) < 1e-9 else f"{x:,.1f}"


def when(t: float, unit: str) -> str:
    """``"hour 3.2"``: a time in its unit."""
    return f"{unit} {t:.1f}" if unit else f"t = {t:.1f}"


def cap(text: str) -> str:
    """The text with a capital first letter and no final full stop."""
    return text[:1].upper() + text[1:].rstrip(".")
