"""The files of a fit (``hyosan fit --out DIR``): ``fit.json``, ``fit.md``, ``scenario.toml``
and, for abc, ``posterior.parquet``.

- ``fit.json``: :meth:`~hyosan.ensemble.fitting.FitResult.to_dict` as indented,
  strict JSON (a number that is not finite is ``null``);
- ``fit.md``: a short report (:func:`fit_markdown`): each key's estimate, its
  95% interval and its range, the method and its settings, the warnings;
- ``scenario.toml``: the scenario at the estimates, which ``hyosan run`` runs as is;
- ``posterior.parquet`` (abc only): the final generation's particles, one
  column per key and their ``weight``, with the fit's provenance under the
  key ``hyosan`` of the file's metadata (:func:`posterior_provenance`).

Its picture, ``fit.png``, is drawn by :mod:`hyosan.viz.fit`. Every file is made
in memory first, so a fit that cannot be written out writes nothing; each is
then written whole or not at all (:func:`hyosan._files.write_bytes`). A
``posterior.parquet`` left by an earlier abc fit is removed by a least-squares
fit into the same folder: it described another fit.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any

import numpy as np

from hyosan._files import write_bytes
from hyosan.ensemble.fitting import FitResult, KeyFit
from hyosan.scenario import scenario_to_toml

__all__ = [
    "FIT_FILES",
    "METADATA_KEY",
    "POSTERIOR",
    "fit_json",
    "fit_markdown",
    "posterior_parquet",
    "posterior_provenance",
    "write_fit",
]

POSTERIOR = "posterior.parquet"
FIT_FILES = ("fit.json", "fit.md", "scenario.toml", POSTERIOR)
"""The files :func:`write_fit` may write (``posterior.parquet`` for abc only)."""
METADATA_KEY = "hyosan"
"""The Parquet key-value metadata key under which the fit's provenance is stored."""


def write_fit(result: FitResult, out_dir: str | os.PathLike[str]) -> tuple[Path, ...]:
    """Write the files of ``result`` into ``out_dir`` (made if need be); return their paths.

    Every file is made in memory before the first is written; each is then
    written whole or not at all. A least-squares fit removes the
    ``posterior.parquet`` an earlier abc fit left in the folder.

    For example (a fit of the built-in SIR scenario to four counts)::

        found = hyosan.fit(hyosan.load_scenario("sir"), data, {"beta": (0.1, 1)}, seed=1)
        write_fit(found, "out")  # out/fit.json, out/fit.md, out/scenario.toml
    """
    files = {
        "fit.json": fit_json(result).encode("utf-8"),
        "fit.md": fit_markdown(result).encode("utf-8"),
        "scenario.toml": scenario_to_toml(result.scenario).encode("utf-8"),
    }
    if result.posterior is not None:
        files[POSTERIOR] = posterior_parquet(result)
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    written = tuple(write_bytes(folder / name, data) for name, data in files.items())
    if result.posterior is None:
        (folder / POSTERIOR).unlink(missing_ok=True)  # an earlier abc fit's: another fit
    return written


def fit_json(result: FitResult) -> str:
    """The text of ``fit.json``: strict JSON, indented, ending in a newline."""
    return json.dumps(_plain(result.to_dict()), indent=2, allow_nan=False) + "\n"


def _plain(value: Any) -> Any:
    """``value`` as JSON can hold it: numpy scalars and arrays as Python's, NaN and
    infinities as ``None``, tuples as lists, keys as text."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def posterior_provenance(result: FitResult) -> dict[str, Any]:
    """The JSON object stored under ``hyosan`` in ``posterior.parquet``'s metadata."""
    return _plain(
        {
            "scenario": result.scenario.name,
            "method": result.method,
            "engine": result.engine,
            "seed": result.seed,
            "data_source": result.observed.source,
            "data_sha256": result.observed.digest,
            "keys": {k.range.name: k.range.key for k in result.keys},
        }
    )


def posterior_parquet(result: FitResult) -> bytes:
    """The bytes of ``posterior.parquet``: the posterior frame with its provenance."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    if result.posterior is None:
        raise ValueError(f"a {result.method} fit has no posterior")
    table = pa.Table.from_pandas(result.posterior, preserve_index=False)
    mine = json.dumps(posterior_provenance(result), allow_nan=False).encode("utf-8")
    metadata = {**(table.schema.metadata or {}), METADATA_KEY.encode("utf-8"): mine}
    sink = pa.BufferOutputStream()
    pq.write_table(table.replace_schema_metadata(metadata), sink)
    return bytes(sink.getvalue().to_pybytes())


def fit_markdown(result: FitResult, *, in_folder: bool = True) -> str:
    """The text of ``fit.md``: the estimates with their 95% intervals and ranges, the
    method and its settings, the warnings; ``in_folder``: and where the fitted
    scenario is (printed without it when no folder is written)."""
    obs = result.observed
    lines = [
        f"# fit of {result.scenario.name}: {result.method}",
        "",
        f"Data: `{obs.source}` (sha256 `{obs.digest[:12]}…`): {int(obs.seen.sum())} counts "
        f"of {', '.join(obs.columns)} at {len(obs.times)} times. "
        f"Engine {result.engine}, seed {result.seed}.",
        "",
        "| key | estimate | 95% interval | range | identified |",
        "| --- | ---: | ---: | ---: | :---: |",
    ]
    lines += [_row(k) for k in result.keys]
    if any(not k.identified for k in result.keys):
        lines += ["", "\\* the interval reaches the range's end there: the data do not bound it."]
    lines += ["", "## Method", "", f"- method: {result.method}", f"- engine: {result.engine}"]
    lines += [f"- {name.replace('_', ' ')}: {_value(v)}" for name, v in result.settings.items()]
    lines += ["", "## Warnings", ""]
    lines += [f"- {_cell(w)}" for w in result.warnings] or ["None."]
    if in_folder:
        lines += [
            "",
            "The scenario at the estimates is in `scenario.toml`: `hyosan run scenario.toml`.",
        ]
    return "\n".join(lines) + "\n"


def _row(k: KeyFit) -> str:
    """A key's row of the table; an interval end at the range's end is starred."""
    low = _number(k.low) + ("\\*" if k.open_low else "")
    high = _number(k.high) + ("\\*" if k.open_high else "")
    span = f"{_number(k.range.low)} – {_number(k.range.high)}"
    yes = "yes" if k.identified else "**no**"
    return f"| {_cell(k.range.name)} | {_number(k.estimate)} | {low} – {high} | {span} | {yes} |"


def _number(x: float) -> str:
    x = float(x)
    return f"{x:.4g}" if math.isfinite(x) else "–"


def _value(value: Any) -> str:
    """A setting as written in the report: numbers to four digits, ``None`` as a dash."""
    plain = _plain(value)
    if plain is None:
        return "–"
    if isinstance(plain, float):
        return _number(plain)
    return _cell(str(plain))


def _cell(text: str) -> str:
    """Text as it may stand in a markdown table or list: ``|`` escaped, on one line."""
    return " ".join(str(text).split()).replace("|", "\\|")
