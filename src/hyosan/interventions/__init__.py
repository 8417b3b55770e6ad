"""Interventions: a trigger and a list of actions, applied between engine segments.

- :class:`Condition` and :class:`Op` (:mod:`.conditions`): conditions on
  counts and the one comparison type;
- :class:`At`, :class:`When` (:mod:`.triggers`): when an intervention fires;
- actions (:mod:`.actions`, :mod:`.space`): :class:`SetParameters`,
  :class:`Remove` with its :class:`Impulse` s, :class:`Cordon`,
  :class:`Lockdown`, :class:`Barricade`, :class:`Reopen`, :class:`Strike`,
  :class:`Camp`;
- :class:`Intervention` (:mod:`.core`): a trigger and its actions, and the
  random stream each draws from (:func:`stream_keys`).
"""

from hyosan.interventions.actions import (
    Action,
    BinomialDraws,
    Draws,
    ExactDraws,
    Impulse,
    Release,
    Remove,
    RunSeed,
    RunState,
    SetParameters,
    Setting,
)
from hyosan.interventions.conditions import Condition, Op
from hyosan.interventions.core import ACTIONS, Intervention, stream_keys, until
from hyosan.interventions.space import Barricade, Camp, Cordon, EdgeAction, Lockdown, Reopen, Strike
from hyosan.interventions.triggers import At, Trigger, When

__all__ = [
    "ACTIONS",
    "Action",
    "At",
    "Barricade",
    "BinomialDraws",
    "Camp",
    "Condition",
    "Cordon",
    "Draws",
    "EdgeAction",
    "ExactDraws",
    "Impulse",
    "Intervention",
    "Lockdown",
    "Op",
    "Release",
    "Remove",
    "Reopen",
    "RunSeed",
    "RunState",
    "SetParameters",
    "Setting",
    "Strike",
    "Trigger",
    "When",
    "stream_keys",
    "until",
]
