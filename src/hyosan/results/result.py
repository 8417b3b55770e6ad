"""The :class:`Result`: one type for the output of every engine.

A result wraps an :class:`xarray.Dataset` with a fixed layout that the engines
produce:

- ``counts``: float64, dims ``("run", "time", "compartment")``, with coordinates
  ``run`` (0..R-1, int64), ``time`` (the output grid, float64) and
  ``compartment`` (names);
- ``events``: int64, dims ``("run",)``, the number of stochastic events in each
  run (0 for the ODE engine);
- in space, ``fields``: float64, dims ``("run", "time", "compartment", "patch")``,
  the counts per patch (``counts`` holds their sum over patches), with
  coordinates on ``patch`` (``patch`` names, ``patch_x``, ``patch_y``,
  ``patch_row``, ``patch_col``, ``patch_kind``, ``patch_floor``, ``patch_label``), the movement
  edges ``edge_src``, ``edge_dst`` on dim ``edge``, and attributes ``world``,
  ``world_kind`` (``"raster"`` or ``"graph"``), ``map``, ``map_cell``,
  ``grid_rows``, ``grid_cols``, ``crs``, ``cell_m`` and ``world_unit``;
- attributes (str, int or float only, so the dataset can be written to netCDF):
  ``hyosan_version``, ``engine``, ``seed``, ``scenario_name``, ``model``,
  ``humans`` and ``zombies`` (comma-joined compartment names), ``time_unit`` and
  ``scenario_toml`` (the resolved scenario, or ``""``);
- when the caller gave them, the scenario's resolved parameter values:
  ``parameter_value``, float64, dims ``("parameter",)``, on the coordinate
  ``parameter`` (names); see :attr:`Result.parameters`.

The checks and this layout are made in :mod:`hyosan.results._layout`.

Summaries are free functions in :mod:`hyosan.results.summaries`; files are
written by :mod:`hyosan.io`; pictures are drawn by :mod:`hyosan.viz`.

A result that an engine built holds its arrays and makes the dataset on first
use of :attr:`Result.dataset` (see :mod:`hyosan.results._parts`): printing a
summary needs neither xarray nor pandas, whose imports take half a second.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from hyosan._typing import FloatArray, IntArray
from hyosan.errors import InputError
from hyosan.results._layout import DIMS, base_parts, provenance, with_fields, with_parameters
from hyosan.results._parts import Parts

if TYPE_CHECKING:
    import os

    import pandas as pd
    import xarray as xr
    from matplotlib.figure import Figure

    from hyosan.space import World

__all__ = ["Result"]


class Result:
    """The counts of every compartment over time, for one or many runs.

    The constructor only stores the dataset; engines and loaders build one with
    :meth:`from_arrays`. A result does not change once made.

    Parameters
    ----------
    dataset
        A dataset with the layout described in :mod:`hyosan.results.result`.

    Examples
    --------
    >>> import numpy as np
    >>> counts = np.array([[[10.0, 1.0], [0.0, 11.0]]])  # 1 run, 2 times, 2 compartments
    >>> r = Result.from_arrays(counts, [0.0, 1.0], ("S", "Z"), events=[11], engine="ssa",
    ...                        seed=1, scenario_name="demo", model="sz", humans=("S",),
    ...                        zombies=("Z",), time_unit="hour")
    >>> r.runs, r.compartments
    (1, ('S', 'Z'))
    >>> r.totals.columns.tolist()
    ['run', 'time', 'S', 'Z']
    """

    __slots__ = ("_dataset", "_parts")

    def __init__(self, dataset: xr.Dataset) -> None:
        self._dataset: xr.Dataset | None = dataset
        self._parts: Parts | None = None

    @classmethod
    def _of(cls, parts: Parts) -> Result:
        """A result whose dataset is made from ``parts`` when first asked for."""
        result = cls.__new__(cls)
        result._dataset, result._parts = None, parts
        return result

    @property
    def dataset(self) -> xr.Dataset:
        """The runs as an :class:`xarray.Dataset` (the layout in :mod:`hyosan.results.result`)."""
        if self._dataset is None:
            assert self._parts is not None
            self._dataset = self._parts.to_dataset()
            self._parts = None  # from now on the dataset is what the result holds
        return self._dataset

    def has(self, name: str) -> bool:
        """Whether the dataset has a variable or coordinate called ``name``."""
        return name in (self._parts if self._parts is not None else self.dataset)

    def with_variables(
        self,
        variables: Mapping[str, tuple[tuple[str, ...], npt.ArrayLike]],
        dims: Mapping[str, npt.ArrayLike] | None = None,
        attrs: Mapping[str, Any] | None = None,
    ) -> Result:
        """A new result with ``variables`` (``name -> (dims, values)``) added.

        ``dims`` gives the coordinate of each new dimension (``name -> values``),
        ``attrs`` attributes to add. This result is left as it was.
        """
        arrays = {name: (tuple(d), np.asarray(v)) for name, (d, v) in variables.items()}
        coords = {name: (name, np.asarray(v)) for name, v in (dims or {}).items()}
        if self._parts is not None:
            return Result._of(self._parts.adding(arrays, coords, attrs or {}))
        ds = self.dataset.copy().assign_coords(coords)
        for name, (d, v) in arrays.items():
            ds[name] = (d, v)
        ds.attrs.update(attrs or {})
        return Result(ds)

    def _attr(self, name: str) -> object:
        attrs = self._parts.attrs if self._parts is not None else self.dataset.attrs
        return attrs.get(name, "")

    def values_of(self, name: str) -> np.ndarray:
        """The values of a variable or coordinate, without building the dataset (which
        takes time, and imports Dask where it is installed)."""
        return self._values(name)

    def _values(self, name: str) -> np.ndarray:
        if self._parts is not None:
            return self._parts.values(name)
        return np.asarray(self.dataset[name].values)

    @classmethod
    def from_arrays(
        cls,
        counts: npt.ArrayLike,
        times: npt.ArrayLike,
        compartments: Sequence[str],
        *,
        events: npt.ArrayLike,
        engine: str,
        seed: int,
        scenario_name: str,
        model: str,
        humans: Sequence[str],
        zombies: Sequence[str],
        time_unit: str,
        scenario_toml: str = "",
        fields: npt.ArrayLike | None = None,
        world: World | None = None,
        parameters: Mapping[str, float] | None = None,
        parameter_units: Mapping[str, str] | None = None,
    ) -> Result:
        """Build a result from plain arrays.

        Parameters
        ----------
        counts
            Shape ``(runs, times, compartments)``.
        times
            The output grid, one value per time.
        compartments
            Compartment names, in the order of the last axis of ``counts``.
        events
            Number of stochastic events in each run, shape ``(runs,)``.
        engine, seed, scenario_name, model, time_unit, scenario_toml
            Provenance, stored as attributes.
        humans, zombies
            Which compartments count as humans and as zombies (for summaries).
        fields, world
            In space: counts per patch, shape ``(runs, times, compartments,
            patches)``, and the world they live in. ``counts`` must then be
            their sum over patches.
        parameters
            The scenario's resolved parameter values by name (provenance, read
            back by :attr:`parameters`).
        parameter_units
            Their units by name (``"1/day"``; read back by :attr:`parameter_units`).

        Raises
        ------
        InputError
            If the shapes disagree, ``humans``/``zombies`` name unknown
            compartments, or the seed or a parameter value is not a number.
        """
        roles = {"humans": humans, "zombies": zombies}
        parts = base_parts(counts, times, compartments, events, roles)
        attrs = provenance(engine, seed, scenario_name, model, roles, time_unit, scenario_toml)
        parts = with_parameters(parts.adding({}, {}, attrs), parameters or {}, parameter_units)
        if fields is not None:
            parts = with_fields(parts, fields, world)
        return cls._of(parts)

    # -- provenance -------------------------------------------------------------------

    @property
    def engine(self) -> str:
        """The engine that produced the runs: ``"ode"``, ``"ssa"`` or ``"tau"``."""
        return str(self._attr("engine"))

    @property
    def seed(self) -> int:
        """The seed the runs were started from."""
        return int(self._attr("seed"))  # type: ignore[call-overload]

    @property
    def scenario_name(self) -> str:
        """The scenario's name."""
        return str(self._attr("scenario_name"))

    @property
    def time_unit(self) -> str:
        """The unit of :attr:`times` (``"day"``, ``"hour"``...)."""
        return str(self._attr("time_unit"))

    @property
    def parameters(self) -> dict[str, float]:
        """The scenario's resolved parameter values by name (empty if none were recorded)."""
        if not self.has("parameter_value"):
            return {}
        names, values = self._values("parameter"), self._values("parameter_value")
        return {str(n): float(v) for n, v in zip(names, values, strict=True)}

    @property
    def parameter_units(self) -> dict[str, str]:
        """The unit of each parameter by name (``""``: not given; empty if none were recorded)."""
        if not self.has("parameter_unit"):
            return {}
        names, units = self._values("parameter"), self._values("parameter_unit")
        return {str(n): str(u) for n, u in zip(names, units, strict=True)}

    @property
    def humans(self) -> tuple[str, ...]:
        """The compartments that count as humans."""
        return _split(self._attr("humans"))

    @property
    def zombies(self) -> tuple[str, ...]:
        """The compartments that count as zombies."""
        return _split(self._attr("zombies"))

    # -- data -------------------------------------------------------------------------

    @property
    def runs(self) -> int:
        """Number of runs."""
        return len(self._values("run"))

    @property
    def times(self) -> FloatArray:
        """The output grid (a copy)."""
        return np.array(self._values("time"), dtype=np.float64)

    @property
    def compartments(self) -> tuple[str, ...]:
        """Compartment names, in order."""
        return tuple(str(c) for c in self._values("compartment"))

    @property
    def counts(self) -> FloatArray:
        """Counts as an array of shape ``(runs, times, compartments)``.

        Any other dimension (such as ``patch``) is summed over.
        """
        if self._parts is not None:  # (run, time, compartment) already
            return np.asarray(self._parts.values("counts"), dtype=np.float64)
        da = self.dataset["counts"]
        extra = [d for d in da.dims if d not in DIMS]
        if extra:
            da = da.sum(dim=extra)
        return np.asarray(da.transpose(*DIMS).values, dtype=np.float64)

    @property
    def in_space(self) -> bool:
        """Whether the result has counts per patch (``fields``)."""
        return self.has("fields")

    @property
    def patches(self) -> tuple[str, ...]:
        """Patch names (empty for a well-mixed result)."""
        if not self.in_space:
            return ()
        return tuple(str(p) for p in self._values("patch"))

    @property
    def fields(self) -> FloatArray:
        """Counts per patch, shape ``(runs, times, compartments, patches)``."""
        if not self.in_space:
            raise InputError(
                "this result has no patches (it was simulated well mixed)",
                key="fields",
                allowed="a result of a scenario with a [world]",
            )
        return np.asarray(self._values("fields"), dtype=np.float64)

    @property
    def events(self) -> IntArray:
        """Number of stochastic events in each run (0 for the ODE engine)."""
        return np.asarray(self._values("events"), dtype=np.int64)

    @property
    def totals(self) -> pd.DataFrame:
        """One row per (run, time): columns ``run``, ``time``, then one per compartment."""
        import pandas as pd

        counts = self.counts
        n_runs, n_times, n_comps = counts.shape
        frame = pd.DataFrame(
            counts.reshape(n_runs * n_times, n_comps), columns=list(self.compartments)
        )
        frame.insert(0, "time", np.tile(self.times, n_runs))
        frame.insert(0, "run", np.repeat(np.arange(n_runs, dtype=np.int64), n_times))
        return frame

    def to_xarray(self) -> xr.Dataset:
        """The underlying dataset (a deep copy: changing it leaves the result alone)."""
        return self.dataset.copy(deep=True)

    def summary(self) -> dict[str, Any]:
        """Per-run and aggregate summaries; see :func:`hyosan.results.summarize`."""
        from hyosan.results.summaries import summarize

        return summarize(self)

    def save(self, directory: str | os.PathLike[str], *, scenario_toml: str | None = None) -> Path:
        """Write ``totals.parquet``, ``summary.json`` and ``scenario.toml`` into ``directory``.

        See :func:`hyosan.io.save_result`. Returns the directory.
        """
        from hyosan.io import save_result

        return save_result(self, directory, scenario_toml=scenario_toml)

    def plot(self, compartments: Sequence[str] | None = None) -> Figure:
        """The totals over time as a new matplotlib figure; see :func:`hyosan.viz.plot_totals`.

        The median over runs with a 5–95% band (the picture ``hyosan plot`` writes as
        ``totals.png``), in a figure outside pyplot: nothing to close,
        ``fig.savefig(path)`` writes it, a notebook shows it.
        """
        from hyosan.viz import plot_totals

        return plot_totals(self, compartments)

    def _repr_html_(self) -> str:
        """The result in a notebook: provenance, final counts and a sparkline per compartment."""
        from hyosan.results._html import result_html

        return result_html(self)

    def __repr__(self) -> str:
        times = self.times
        span = f"{times[0]:g}–{times[-1]:g} {self.time_unit}" if times.size else "empty"
        return (
            f"Result(scenario={self.scenario_name!r}, engine={self.engine!r}, "
            f"runs={self.runs}, times={times.size} ({span}), "
            f"compartments={','.join(self.compartments)})"
        )


def _split(joined: object) -> tuple[str, ...]:
    return tuple(part for part in str(joined).split(",") if part)
