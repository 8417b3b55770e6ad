"""Numbers for people to read at a glance (the progress bars' rates)."""

from __future__ import annotations

__all__ = ["si"]


def si(x: float) -> str:
    """``1234567`` as ``1.2M``.

    >>> si(1234567), si(2500), si(12)
    ('1.2M', '2.5k', '12')
    """
    for factor, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if x >= factor:
            return f"{x / factor:.1f}{suffix}"
    return f"{x:.0f}"
