"""The live page's download: the run so far as the files ``hyosan run --out`` writes, zipped."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

from hyosan.engines import Firings
from hyosan.ensemble.assemble import assemble
from hyosan.ensemble.chunks import Paths
from hyosan.errors import InputError
from hyosan.results import Result
from hyosan.scenario import TimeGrid
from hyosan.viz.web.session import Session

__all__ = ["run_so_far", "zipped"]


def run_so_far(session: Session) -> Result:
    """The run of ``session`` as a :class:`~hyosan.results.Result` on the output grid it has
    passed (its scenario's end moved there); :class:`InputError` before two output times."""
    out, events = session.kept()
    n = len(out)
    if n < 2:
        raise InputError(
            "the run has not passed two output times yet", key="download", value=n,
            allowed="a run played or stepped past its second output time",
        )  # fmt: skip
    sc = session.scenario
    grid = TimeGrid(end=float(session.times[n - 1]), points=n, unit=sc.time.unit)
    cast = session.ens.cast
    firings = Firings.empty(len(cast.interventions), len(cast.model.compartments))
    paths = Paths.of([(out, events, firings)])
    return assemble(sc.replace(time=grid), cast, paths, seed=session.ens.recorded)


def zipped(session: Session) -> bytes:
    """The files ``hyosan run --out`` writes, of the run so far, as one zip archive (in a
    folder named after the scenario)."""
    from hyosan.io.output import save_result
    from hyosan.io.story import story

    result = run_so_far(session)
    with tempfile.TemporaryDirectory(prefix="hyosan-page-") as tmp:
        folder = Path(tmp) / session.scenario.name
        save_result(result, folder, texts={"story.md": story(result, session.scenario)})
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
            for f in sorted(folder.rglob("*")):
                if f.is_file() and not f.name.startswith("."):
                    z.write(f, f.relative_to(folder.parent).as_posix())
    return buffer.getvalue()
