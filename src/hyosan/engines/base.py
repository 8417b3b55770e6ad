"""What every engine offers the driver: a stepper that advances a state over one segment.

An :class:`Engine` is a small object of settings, one per algorithm, that
says what it needs (``in_space``, ``stochastic``, ``integer_counts``). A
plan asks it once to :meth:`~Engine.prepare` a :class:`Stepper` for a
compiled model (finding the model's generated kernel, say); the driver
(:mod:`hyosan.engines.driver`) then calls :meth:`Stepper.advance` for each
segment between interventions, with the run's state, its :class:`Output` and
its random generator. Stop conditions travel as :class:`~hyosan.engines.stops.Stops`
so that exact engines stop at the very event that makes one true.

Every class here is abstract or final: an engine wraps a stepper, it does
not override one.
"""

from __future__ import annotations

import abc
import importlib
import os
import sys
from dataclasses import dataclass
from typing import Any, ClassVar, NamedTuple

import numpy as np

from hyosan._typing import FloatArray
from hyosan.engines.status import Status, Step
from hyosan.engines.stops import Stops
from hyosan.model import CompiledModel
from hyosan.model.characters import Tags
from hyosan.space import CompiledSpace

__all__ = ["Compiled", "Engine", "KernelStepper", "Output", "Span", "Stepper"]

Compiled = CompiledModel | CompiledSpace
"""A model compiled well mixed, or in a world."""


@dataclass(frozen=True, slots=True)
class Output:
    """The output grid and the array it fills: ``values[i]`` is the state at ``times[i]``."""

    times: FloatArray
    values: FloatArray

    @classmethod
    def empty(cls, times: FloatArray, size: int) -> Output:
        """An unfilled output for states of ``size`` counts."""
        return cls(times, np.empty((len(times), size)))


class Span(NamedTuple):
    """One call of a stepper: from ``t`` towards ``t_stop``, filling the output from ``i_out``."""

    t: float
    t_stop: float
    i_out: int


Rng = np.random.Generator
"""The run's random generator: what the engine draws from."""


class Stepper(abc.ABC):
    """An engine prepared for one model: advances a state over one segment."""

    __slots__ = ()

    @abc.abstractmethod
    def advance(
        self, x: FloatArray, span: Span, model: Compiled, stops: Stops, output: Output, rng: Rng
    ) -> Step:
        """Advance ``x`` in place from ``span.t`` towards ``span.t_stop``.

        Writes the state into ``output.values[i]`` for every grid time
        ``output.times[i]`` in ``[t, t_stop)`` passed, from row ``span.i_out`` on;
        stops early when a condition of ``stops`` holds or a work budget
        runs out. ``model`` holds the current rates and edge weights (they
        change when interventions fire). In space ``x`` holds ``P * C``
        counts, patch by patch.
        """

    def needs_compiling(self) -> bool:
        """Whether its kernel is neither loaded nor in numba's on-disk cache."""
        return False


@dataclass(frozen=True, slots=True)
class KernelStepper(Stepper):
    """A numba kernel called the one way all kernels are called.

    ``kernel(x, t, t_stop, model.arrays, stop arrays, t_out, out, i_out,
    budget, rng, *tail)`` returns ``(status, t, i_out, events, condition)``:
    the model's arrays travel as its named tuple (:class:`~hyosan.model.ModelArrays`
    or :class:`~hyosan.space.compiled.SpaceArrays`), the stop conditions as a tuple.
    ``rebuild``, when set, is how to make the stepper again in another
    process (a generated kernel lives in a module of its own).
    """

    kernel: Any
    budget: int
    in_space: bool
    tail: tuple[Any, ...] = ()
    rebuild: tuple[Any, ...] | None = None

    def advance(
        self, x: FloatArray, span: Span, model: Compiled, stops: Stops, output: Output, rng: Rng
    ) -> Step:
        status, t_new, i_new, events, cond = self.kernel(
            x,
            span.t,
            span.t_stop,
            model.arrays,
            stops.spatial if self.in_space else stops.mixed,
            output.times,
            output.values,
            span.i_out,
            self.budget,
            rng,
            *self.tail,
        )
        return Step(Status(int(status)), float(t_new), int(i_new), int(events), int(cond))

    def needs_compiling(self) -> bool:
        return needs_compiling(self.kernel)

    def __reduce__(self) -> tuple[Any, ...]:
        if self.rebuild is not None:
            return self.rebuild[0], tuple(self.rebuild[1:])
        fields = (_by_name(self.kernel), self.budget, self.in_space, self.tail, None)
        return KernelStepper, fields


class _KernelRef:
    """A module-level numba kernel, pickled by its name: unpickled in another process it is
    that module's own kernel, with numba's on-disk cache. (numba pickles a kernel by
    value, and the copy compiles again in every new process: 20 s and more.)"""

    def __init__(self, module: str, name: str) -> None:
        self.module, self.name = module, name

    def __reduce__(self) -> tuple[Any, ...]:
        return _kernel_named, (self.module, self.name)


def _by_name(kernel: Any) -> Any:
    """``kernel`` as a :class:`_KernelRef` when its module holds it under its name."""
    func = getattr(kernel, "py_func", None)
    module, name = getattr(func, "__module__", None), getattr(func, "__name__", "")
    if module and getattr(sys.modules.get(module), name, None) is kernel:
        return _KernelRef(module, name)
    return kernel


def _kernel_named(module: str, name: str) -> Any:
    return getattr(importlib.import_module(module), name)


def needs_compiling(kernel: Any) -> bool:
    """True when a numba ``kernel`` is neither loaded nor in numba's on-disk cache.

    A kernel compiled without a cache (no safe folder for it:
    :mod:`hyosan._cache`) compiles at each first call. Reads numba's cache
    index path, an internal of numba; if that ever changes, the answer is
    False (no message) rather than an error.
    """
    if kernel.signatures:
        return False
    cache: Any = getattr(kernel, "_cache", None)
    if type(cache).__name__ == "NullCache":  # numba's stand-in when cache=False
        return True
    try:
        index = cache._cache_file._index_path
    except AttributeError:
        return False
    return not os.path.exists(index)


class Engine(abc.ABC):
    """An algorithm that advances counts through time; its settings, and what it needs.

    ``name`` is what a user calls it (``"ssa"``, ``"tau"``, ``"ode"``), the
    same for the well-mixed algorithm and its counterpart in space, which
    takes the same settings (:func:`hyosan.engines.get_engine` picks one).
    Engines are frozen dataclasses of their settings.
    """

    __slots__ = ()
    name: ClassVar[str]
    in_space: ClassVar[bool]
    stochastic: ClassVar[bool]
    integer_counts: ClassVar[bool]

    @abc.abstractmethod
    def prepare(self, model: Compiled, tags: Tags) -> Stepper:
        """A stepper for ``model`` (its structure: the rates may change later)."""
