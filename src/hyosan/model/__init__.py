"""What is simulated: compartments, parameters, reactions, rate laws, built-in models."""

from hyosan.model.builtin import BUILTIN_MODELS, builtin_model
from hyosan.model.compiled import CompiledModel, ModelArrays, compile_model, rate_constants
from hyosan.model.core import Model, Parameter, Reaction, resolve_parameters
from hyosan.model.rates import RateExpression, RateLaw

__all__ = [
    "BUILTIN_MODELS",
    "CompiledModel",
    "Model",
    "ModelArrays",
    "Parameter",
    "RateExpression",
    "RateLaw",
    "Reaction",
    "builtin_model",
    "compile_model",
    "rate_constants",
    "resolve_parameters",
]
