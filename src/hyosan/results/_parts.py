"""A result's content as plain arrays, before it becomes an :class:`xarray.Dataset`.

Importing pandas and xarray takes about half a second, a quarter of a short
``hyosan run``. A :class:`~hyosan.results.Result` that an engine built keeps
its arrays here and builds the dataset the first time someone asks for it, so a
command that only prints a summary never imports either library.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import xarray as xr

__all__ = ["Parts"]


@dataclass(frozen=True, slots=True)
class Parts:
    """Variables ``name -> (dims, values)``, coordinates ``name -> (dim, values)``, attributes.

    The dataset has exactly these, in this order (:meth:`to_dataset`).
    Nothing changes the arrays once they are here.
    """

    variables: Mapping[str, tuple[tuple[str, ...], np.ndarray]]
    coords: Mapping[str, tuple[str, np.ndarray]]
    attrs: Mapping[str, Any]

    def values(self, name: str) -> np.ndarray:
        """The values of variable or coordinate ``name``."""
        if name in self.variables:
            return self.variables[name][1]
        return self.coords[name][1]

    def __contains__(self, name: object) -> bool:
        """Whether ``name`` is a variable or a coordinate, as ``name in dataset`` says."""
        return name in self.variables or name in self.coords

    def adding(
        self,
        variables: Mapping[str, tuple[tuple[str, ...], np.ndarray]],
        coords: Mapping[str, tuple[str, np.ndarray]],
        attrs: Mapping[str, Any],
    ) -> Parts:
        """New parts with these added (a name already there is replaced)."""
        return Parts(
            {**self.variables, **variables},
            {**self.coords, **coords},
            {**self.attrs, **attrs},
        )

    def to_dataset(self) -> xr.Dataset:
        """The dataset these parts describe."""
        import xarray as xr

        return xr.Dataset(
            {name: (dims, values) for name, (dims, values) in self.variables.items()},
            coords={name: (dim, values) for name, (dim, values) in self.coords.items()},
            attrs=dict(self.attrs),
        )
