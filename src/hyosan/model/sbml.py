"""Models from and to SBML, the format of BioModels, COPASI, Tellurium and GillesPy2.

- :func:`read_sbml` reads an SBML Level 2 or 3 file into a :class:`Model`
  and its initial amounts (:mod:`.sbml_read`, laws in :mod:`.sbml_laws`,
  refusals in :mod:`.sbml_checks`);
- :func:`write_sbml` writes any model as SBML Level 3 Version 2, all or
  nothing, checked by libsbml before it is written (:mod:`.sbml_write`).

libsbml is imported here only when a file is read or written, so that
``import hyosan`` stays light. The mapping, what is refused and why, is in
``docs/design/sbml.md``.

References
----------
.. [1] M. Hucka et al., "The Systems Biology Markup Language (SBML): Language
   Specification for Level 3 Version 2 Core", J. Integr. Bioinform. 16 (2019).
.. [2] B. J. Bornstein, S. M. Keating, A. Jouraku, M. Hucka, "LibSBML: an API
   library for SBML", Bioinformatics 24, 880-881 (2008).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hyosan._checks import check_number
from hyosan._files import write_text
from hyosan.errors import InputError
from hyosan.model.core import Model, resolve_parameters

__all__ = [
    "MAX_SBML_BYTES",
    "SBML_SUFFIXES",
    "SbmlModel",
    "is_sbml",
    "read_sbml",
    "sbml_from_string",
    "sbml_string",
    "write_sbml",
]

SBML_SUFFIXES = (".xml", ".sbml")
"""File names that are read as SBML (in any case)."""
MAX_SBML_BYTES = 64 * 2**20
"""The largest SBML file read (BioModels' largest models are a few MiB)."""


@dataclass(frozen=True, slots=True)
class SbmlModel:
    """A model read from SBML, with each compartment's initial amount."""

    model: Model
    initial: Mapping[str, float]


def is_sbml(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` names an SBML file (ends in ``.xml`` or ``.sbml``)."""
    return Path(path).suffix.lower() in SBML_SUFFIXES


def read_sbml(path: str | os.PathLike[str]) -> SbmlModel:
    """The model in the SBML file ``path``.

    Raises
    ------
    InputError
        If the file cannot be read, is not SBML Level 2 or 3, or holds
        anything hyosan cannot represent (events, rules, kinetic laws that are
        not mass action, ...), naming the file, the element and why.
    """
    source = os.fspath(path)
    return sbml_from_string(_read(source), source=source, name=Path(source).stem)


def sbml_from_string(text: str, *, source: str = "<string>", name: str = "model") -> SbmlModel:
    """The model in the SBML document ``text``; ``source`` names it in errors.

    Examples
    --------
    >>> from hyosan.model import builtin_model
    >>> read = sbml_from_string(sbml_string(builtin_model("sir")))
    >>> read.model == builtin_model("sir")
    True
    """
    import libsbml

    from hyosan.model.sbml_read import model_from_document

    doc = libsbml.readSBMLFromString(text)
    # libsbml puts an XML declaration before a text that has none: its lines count one more
    _refuse_unread(doc, source, 0 if text.startswith("<?xml version=") else 1)
    for option in ("expandFunctionDefinitions", "expandInitialAssignments"):
        _expand(doc, option, source)
    model, initial = model_from_document(doc, source=source, name=name)
    return SbmlModel(model, initial)


def sbml_string(
    model: Model,
    *,
    parameters: Mapping[str, float] | None = None,
    initial: Mapping[str, float] | None = None,
) -> str:
    """``model`` as an SBML Level 3 Version 2 document.

    ``parameters`` (default: the model's defaults) and ``initial`` (default:
    none of anyone) are the values written; a scenario's, to carry it whole.
    The document passes libsbml's consistency checks, or this raises
    :class:`RuntimeError` (a fault of ours).
    """
    import libsbml

    from hyosan.model.sbml_write import model_document

    values = resolve_parameters(model, parameters, source="parameters")
    amounts = {}
    for c in model.compartments:
        count = (initial or {}).get(c, 0.0)
        amounts[c] = check_number(
            count, key=c, source="initial", problem="a count is a number >= 0"
        )
    doc = model_document(model, values, amounts)
    problems = consistency_errors(doc)
    if problems:
        raise RuntimeError(f"the SBML written for {model.name!r} is not valid: {problems[0]}")
    return str(libsbml.writeSBMLToString(doc))


def write_sbml(
    model: Model,
    path: str | os.PathLike[str],
    *,
    parameters: Mapping[str, float] | None = None,
    initial: Mapping[str, float] | None = None,
) -> Path:
    """Write ``model`` to ``path`` as SBML (see :func:`sbml_string`), all or nothing."""
    return write_text(path, sbml_string(model, parameters=parameters, initial=initial))


def consistency_errors(doc: Any) -> list[str]:
    """libsbml's consistency checks of ``doc``: its errors (not its warnings), one line each."""
    import libsbml

    doc.checkConsistency()
    return [
        f"{e.getErrorId()} {e.getShortMessage()}: {' '.join(e.getMessage().split())}"
        for e in (doc.getError(i) for i in range(doc.getNumErrors()))
        if e.getSeverity() >= libsbml.LIBSBML_SEV_ERROR
    ]


def _read(source: str) -> str:
    """The text of the SBML file ``source``: a regular file of at most 64 MiB, in UTF-8.

    A named pipe or a device is refused before it is opened (it could hang or
    fill the memory), as :func:`hyosan.space.graph.read_toml_file` does.
    """
    allowed = f"an SBML file (.xml or .sbml) of at most {MAX_SBML_BYTES // 2**20} MiB"
    raw, regular = b"", True
    try:
        regular = stat.S_ISREG(os.stat(source).st_mode)
        if regular:
            fd = os.open(source, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
            with os.fdopen(fd, "rb") as fh:  # what was checked may have been replaced
                regular = stat.S_ISREG(os.fstat(fh.fileno()).st_mode)
                raw = fh.read(MAX_SBML_BYTES + 1) if regular else b""
    except FileNotFoundError:
        raise InputError("no such SBML file", source=source, allowed=allowed) from None
    except (OSError, ValueError) as err:  # ValueError: a NUL in the name
        reason = getattr(err, "strerror", None) or "not a file name"
        problem = f"cannot read the file ({reason})"
        raise InputError(problem, source=source, allowed=allowed) from None
    if not regular:
        raise InputError("not a regular file", source=source, allowed=allowed)
    if len(raw) > MAX_SBML_BYTES:
        raise InputError("too large", source=source, allowed=allowed)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        problem = f"not UTF-8 text (byte {err.start})"
        raise InputError(problem, source=source, allowed="an SBML file in UTF-8") from None


def _refuse_unread(doc: Any, source: str, added: int) -> None:
    """Refuse what libsbml could not read as SBML Level 2 or 3 (its first error, by line;
    ``added``: the lines libsbml put before the text)."""
    import libsbml

    allowed = "an SBML Level 2 or 3 document (<sbml ...><model>...</model></sbml>)"
    for i in range(doc.getNumErrors()):
        e = doc.getError(i)
        if e.getSeverity() >= libsbml.LIBSBML_SEV_ERROR:
            line = max(e.getLine() - added, 1)
            problem = f"not an SBML file hyosan can read: {e.getShortMessage()} (line {line})"
            raise InputError(problem, source=source, allowed=allowed)
    if doc.getLevel() not in (2, 3):
        problem = f"SBML Level {doc.getLevel()} is not read"
        raise InputError(problem, source=source, allowed=allowed)
    if doc.getModel() is None:
        raise InputError("an SBML document without a model", source=source, allowed=allowed)


def _expand(doc: Any, option: str, source: str) -> None:
    """Apply libsbml's converter ``option`` (function definitions and initial assignments
    replaced by what they give); one that fails means hyosan cannot reduce the model."""
    import libsbml

    what = {
        "expandFunctionDefinitions": "function definitions",
        "expandInitialAssignments": "initial assignments",
    }
    props = libsbml.ConversionProperties()
    props.addOption(option, True)
    if doc.convert(props) != libsbml.LIBSBML_OPERATION_SUCCESS:
        problem = f"the {what[option]} cannot be reduced to numbers and products"
        allowed = "function definitions and initial assignments libsbml can expand"
        raise InputError(problem, source=source, allowed=allowed)
