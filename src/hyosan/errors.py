"""Errors hyosan raises: bad input (exit status 2) and faults of ours (exit status 1).

Every message about bad input names where the value came from (a file or the
command line), the key path, the value and what is allowed, so that a user can
fix it without reading a traceback.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

__all__ = [
    "EngineError",
    "HyosanError",
    "InputError",
    "RunawayError",
    "WorkersLost",
    "unknown",
]


class HyosanError(Exception):
    """Base class of every error hyosan raises on purpose."""


class InputError(HyosanError, ValueError):
    """Bad input: a scenario, a model, a parameter or an option that cannot be used.

    Parameters
    ----------
    problem
        What is wrong, in a few words.
    source
        Where the input came from: a file path, ``"--set"``, ``"python"``.
    key
        Dotted key path inside the source (``"initial.S"``), or ``""``.
    value
        The offending value, shown with ``repr``.
    allowed
        What would be accepted instead.
    """

    _UNSET: Any = object()

    def __init__(
        self,
        problem: str,
        *,
        source: str = "",
        key: str = "",
        value: Any = _UNSET,
        allowed: str = "",
    ) -> None:
        self.problem = problem
        self.source = source
        self.key = key
        self.value = value
        self.allowed = allowed
        super().__init__(self._render())

    def _render(self) -> str:
        where = ": ".join(part for part in (self.source, self.key) if part)
        head = f"{where}: " if where else ""
        shown = "" if self.value is InputError._UNSET else f" (got {self.value!r})"
        tail = f"; allowed: {self.allowed}" if self.allowed else ""
        return f"{head}{self.problem}{shown}{tail}"

    def at(self, source: str | None = None, key_prefix: str = "") -> InputError:
        """The same error, placed in ``source`` and under ``key_prefix``."""
        key = ".".join(p for p in (key_prefix, self.key) if p)
        return InputError(
            self.problem,
            source=source if source is not None else self.source,
            key=key,
            value=self.value,
            allowed=self.allowed,
        )


def unknown(
    what: str,
    name: Any,
    allowed: Iterable[object],
    *,
    key: str = "",
    source: str = "",
    extra: str = "",
) -> InputError:
    """The one "unknown name" error: ``unknown compartment (did you mean 'Z'?)``.

    ``allowed`` lists the names that would do (in the message, joined by
    commas); ``extra`` is added after them (``" (or leave out to ...)"``).

    Examples
    --------
    >>> print(unknown("compartment", "Zz", ["S", "Z"], key="initial.Zz"))
    initial.Zz: unknown compartment (did you mean 'Z'?) (got 'Zz'); allowed: S, Z
    """
    names = [str(a) for a in allowed]
    close = difflib.get_close_matches(name, names, n=1) if isinstance(name, str) else []
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return InputError(
        f"unknown {what}{hint}",
        source=source,
        key=key,
        value=name,
        allowed=(", ".join(names) or "(none)") + extra,
    )


class EngineError(HyosanError, RuntimeError):
    """An engine could not finish a run (a kernel returned a failure status)."""


class WorkersLost(HyosanError, RuntimeError):
    """Runs that a Dask cluster gave up: the workers running a chunk died every time it
    ran (out of memory, killed, their machine lost), or the scheduler went away.

    Neither bad input nor a bug of hyosan's (exit status 1, one line, no
    traceback); the chunks that finished before are kept where ``--out`` keeps
    them, and ``--resume`` runs the rest.
    """


class RunawayError(InputError):
    """A run that would not end: more events, or solver steps, than its budget allows.

    Bad input (exit status 2): the rates make the run explode (``beta = 1e200``,
    ``A -> B`` and ``B -> A`` at 1e12). The message names the reaction that runs
    fastest, its rate and how to allow a longer run.
    """
