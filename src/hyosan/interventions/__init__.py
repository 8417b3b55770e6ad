"""Interventions applied between engine segments: set parameters, impulses."""

from hyosan.interventions.apply import apply_intervention
from hyosan.interventions.core import Condition, Intervention, Remove
from hyosan.interventions.space import Camp

__all__ = ["Camp", "Condition", "Intervention", "Remove", "apply_intervention"]
