"""What SBML has no place for, kept in an annotation of hyosan's own.

SBML carries the dynamics; hyosan's model also has a name that need not be
an SBML identifier, a time unit as a word, the roles of its compartments
(``population``, ``humans``, ``zombies``, ``survivors``, ``hybrids``), a description,
references, and each parameter's meaning and unit. libsbml writes numbers
with 15 significant digits, so the annotation also keeps every parameter
value and initial amount exactly (``repr``). It is one element in the
model's ``<annotation>``::

    <hyosan:model xmlns:hyosan="urn:hyosan:sbml:1" name="munz-basic" time_unit="day"
                  humans="S" zombies="Z">
      <hyosan:description>...</hyosan:description>
      <hyosan:reference>...</hyosan:reference>
      <hyosan:parameter id="beta" value="0.0095" unit="1/day" description="..."/>
      <hyosan:species id="S" amount="500000.0"/>
    </hyosan:model>

Other tools keep an annotation they do not know and ignore it; hyosan reads
it back, and an exact value only while it still agrees with the SBML value
to 15 digits (a value changed in another tool wins).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from hyosan.model.core import ROLES, Model

__all__ = ["NS", "ROLES", "Meta", "exact", "free_name", "meta_xml", "read_meta", "xml_text"]

NS = "urn:hyosan:sbml:1"
"""The namespace of hyosan's annotation."""


@dataclass(frozen=True, slots=True)
class Meta:
    """hyosan's annotation as read (all empty when the file has none)."""

    name: str | None = None
    time_unit: str | None = None
    roles: dict[str, tuple[str, ...]] = field(default_factory=dict)
    description: str | None = None
    references: tuple[str, ...] = ()
    parameters: dict[str, dict[str, str]] = field(default_factory=dict)
    amounts: dict[str, float] = field(default_factory=dict)


def meta_xml(model: Model, values: Mapping[str, float], amounts: Mapping[str, float]) -> str:
    """The annotation's element for ``model`` with these parameter ``values`` and ``amounts``."""
    attrs = {"name": model.name, "time_unit": model.time_unit}
    attrs.update({role: " ".join(getattr(model, role)) for role in ROLES if getattr(model, role)})
    head = " ".join(f"{k}={quoteattr(xml_text(v))}" for k, v in attrs.items())
    parts = [f'<hyosan:model xmlns:hyosan="{NS}" {head}>']
    if model.description:
        text = escape(xml_text(model.description))
        parts.append(f"<hyosan:description>{text}</hyosan:description>")
    for r in model.references:
        parts.append(f"<hyosan:reference>{escape(xml_text(r))}</hyosan:reference>")
    for p in model.parameters:
        extra = {"unit": p.unit, "description": p.description}
        more = "".join(f" {k}={quoteattr(xml_text(v))}" for k, v in extra.items() if v)
        parts.append(f'<hyosan:parameter id="{p.name}" value="{float(values[p.name])!r}"{more}/>')
    for c in model.compartments:
        parts.append(f'<hyosan:species id="{c}" amount="{float(amounts[c])!r}"/>')
    parts.append("</hyosan:model>")
    return "".join(parts)


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold (control characters but tab and
    newlines, lone surrogates), which libsbml would refuse."""
    return _NOT_XML.sub("", text)


_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def read_meta(sbml_model: Any) -> Meta:
    """hyosan's annotation of a libsbml ``Model``, or an empty :class:`Meta`."""
    annotation = sbml_model.getAnnotation() if sbml_model.isSetAnnotation() else None
    node = _child(annotation, "model")
    if node is None:
        return Meta()
    roles = {r: tuple(node.getAttrValue(r).split()) for r in ROLES if node.hasAttr(r)}
    parameters: dict[str, dict[str, str]] = {}
    amounts: dict[str, float] = {}
    references: list[str] = []
    description = None
    for i in range(node.getNumChildren()):
        child = node.getChild(i)
        name = child.getName() if child.getURI() == NS else ""
        if name == "parameter":
            keys = ("value", "unit", "description")
            parameters[child.getAttrValue("id")] = {k: child.getAttrValue(k) for k in keys}
        elif name == "species":
            amounts[child.getAttrValue("id")] = _float(child.getAttrValue("amount"))
        elif name == "description":
            description = _text(child)
        elif name == "reference":
            references.append(_text(child))
    return Meta(
        name=node.getAttrValue("name") if node.hasAttr("name") else None,
        time_unit=node.getAttrValue("time_unit") if node.hasAttr("time_unit") else None,
        roles=roles,
        description=description,
        references=tuple(references),
        parameters=parameters,
        amounts=amounts,
    )


def exact(written: float, annotated: str | float | None) -> float:
    """The annotation's exact value where the SBML value is it to 15 digits, else the SBML value."""
    value = _float(annotated) if isinstance(annotated, str) else annotated
    if value is None or not math.isfinite(value) or not math.isfinite(written):
        return written
    return value if float(f"{value:.15g}") == written else written


def _child(node: Any, name: str) -> Any:
    if node is None:
        return None
    for i in range(node.getNumChildren()):
        child = node.getChild(i)
        if child.getURI() == NS and child.getName() == name:
            return child
    return None


def _text(node: Any) -> str:
    return "".join(node.getChild(i).getCharacters() for i in range(node.getNumChildren()))


def _float(text: str | None) -> float:
    try:
        return float(text) if text else math.nan
    except ValueError:
        return math.nan


def free_name(name: str, taken: set[str]) -> str:
    """``name``, or ``name_2``, ``name_3``...: the first not ``taken``, which it joins
    (an id for a local parameter read, or for anything written)."""
    out, n = name, 1
    while out in taken:
        n += 1
        out = f"{name}_{n}"
    taken.add(out)
    return out
