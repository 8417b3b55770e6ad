"""Characters: named people followed exactly through a run, without agents.

A character is a tagged copy of every compartment (:mod:`.tagging`); the
tagged model's layout is described by index arrays (:class:`Tags`, in
:mod:`.tags`) that interventions, engines and results read instead of names;
:func:`place_characters` (:mod:`.placement`) puts each character into the
initial counts. A scenario's ``[[characters]]`` table is read by
:mod:`hyosan.scenario.characters`; a run's characters are set up by
:mod:`hyosan.ensemble.cast` and their tracks stored by
:mod:`hyosan.results.tracks`.
"""

from hyosan.model.characters.placement import place_characters
from hyosan.model.characters.tagging import (
    TAG,
    check_characters,
    expand_compartments,
    expand_movement,
    reachable,
    tag_model,
    tagged,
)
from hyosan.model.characters.tags import Tags

__all__ = [
    "TAG",
    "Tags",
    "check_characters",
    "expand_compartments",
    "expand_movement",
    "place_characters",
    "reachable",
    "tag_model",
    "tagged",
]
