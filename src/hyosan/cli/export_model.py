"""``hyosan export-model MODEL --sbml FILE``: any hyosan model written as SBML.

MODEL is a built-in model (its default values, nobody in it), a model
``.toml`` file, a scenario (a built-in name, which wins over a built-in model
of the same name, or a ``.toml`` file: its model
with the scenario's parameter values and initial counts, so that the file
holds the whole study's model), or an SBML file (read and written again, as
hyosan reads it). The file is SBML Level 3 Version 2, checked by libsbml
before it is written, and written all or nothing
(:func:`hyosan.model.sbml.write_sbml`). :mod:`hyosan.cli.main` puts the
command on the app.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from hyosan.cli.shared import guarded, out
from hyosan.errors import InputError

if TYPE_CHECKING:
    from hyosan.model import Model

__all__ = ["export_model"]


def _file(text: str) -> Path:
    """The parser of ``--sbml``: refuses ``''`` (which would become the current folder)."""
    if not text:
        raise typer.BadParameter("an empty path (got ''); allowed: a file path")
    return Path(text)


@guarded
def export_model(
    model: Annotated[
        str,
        typer.Argument(
            help="A built-in model, a model .toml file, a scenario (built-in or .toml: its "
            "model with its values and initial counts) or an SBML file.",
        ),
    ],
    sbml: Annotated[
        Path,
        typer.Option(
            "--sbml",
            metavar="FILE",
            parser=_file,
            help="Write the model here as SBML Level 3 Version 2 (replaced whole).",
        ),
    ],
) -> None:
    """Write a model as SBML Level 3 Version 2, for COPASI, Tellurium, GillesPy2 and others."""
    from hyosan.model.sbml import write_sbml

    found, values, counts = find_model(model)
    try:  # a name too long for the file system fails even to be looked at: OSError
        if sbml.is_dir():
            allowed = "a file path, e.g. model.xml"
            raise InputError(
                "a folder, not a file", source="--sbml", value=str(sbml), allowed=allowed
            )
        path = write_sbml(found, sbml, parameters=values, initial=counts)
    except OSError as e:  # nothing is left behind: the file is written whole or not at all
        problem = f"cannot write the SBML file: {e.strerror or e}"
        allowed = "a file in a folder you can write to"
        raise InputError(problem, source="--sbml", value=str(sbml), allowed=allowed) from None
    out.print(
        f"wrote [bold]{path}[/]: model {found.name} as SBML Level 3 Version 2 "
        f"({len(found.compartments)} species, {len(found.reactions)} reactions)",
        highlight=False,
        soft_wrap=True,  # the path whole on one line, to copy
    )


def find_model(ref: str) -> tuple[Model, Mapping[str, float] | None, Mapping[str, float] | None]:
    """The model ``ref`` names, and the parameter values and initial counts to write with it
    (a scenario's; ``None`` for a bare model: its defaults, and nobody)."""
    from hyosan.model import BUILTIN_MODELS, builtin_model
    from hyosan.model.sbml import is_sbml
    from hyosan.scenario import BUILTIN_SCENARIOS, load_model, load_scenario
    from hyosan.scenario.parse import read_toml

    # a name that is both (munz-latent) is the scenario: the same model, with people in it
    if ref in BUILTIN_MODELS and ref not in BUILTIN_SCENARIOS:
        return builtin_model(ref), None, None
    scenario = ref in BUILTIN_SCENARIOS or is_sbml(ref)
    if not scenario and Path(ref).suffix.lower() == ".toml" and Path(ref).is_file():
        scenario = "model" in read_toml(Path(ref))  # a scenario names its model; a model has none
        if not scenario:
            return load_model(ref), None, None
    if scenario:
        sc = load_scenario(ref)
        return sc.model, sc.parameters, sc.initial
    raise InputError(
        "no such built-in model, scenario or model file",
        value=ref,
        allowed=f"a built-in model ({', '.join(BUILTIN_MODELS)}), a built-in scenario "
        f"({', '.join(BUILTIN_SCENARIOS)}), or a path to a model or scenario .toml file "
        "or an SBML .xml file",
    )
