"""Interventions applied between engine segments: set parameters, impulses."""

from hyosan.interventions.apply import apply_intervention
from hyosan.interventions.core import Condition, Intervention, Remove

__all__ = ["Condition", "Intervention", "Remove", "apply_intervention"]
