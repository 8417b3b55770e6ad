"""The errors of reading a result folder back, in the same words for every file of it."""

from __future__ import annotations

from pathlib import Path

from hyosan.errors import InputError

__all__ = ["FOLDER", "missing", "unreadable"]

FOLDER = "a folder written by `hyosan run --out`"
"""What a reader of result folders accepts, for the messages."""


def missing(path: Path) -> InputError:
    """``no summary.json here``, placed in the folder that lacks ``path``."""
    return InputError(f"no {path.name} here", source=str(path.parent), allowed=FOLDER)


def unreadable(path: Path, kind: str, err: Exception) -> InputError:
    """``cannot read this file as JSON (...)``, placed in ``path``."""
    return InputError(
        f"cannot read this file as {kind} ({err})",
        source=str(path),
        allowed=f"the {path.name} written by `hyosan run --out`",
    )
