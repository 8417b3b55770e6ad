"""A figure that shows itself in a notebook, made without pyplot.

A :class:`matplotlib.figure.Figure` made directly (not by ``pyplot``) is
nobody's to close and shares no state with other calls, but a Jupyter kernel
shows one as an image only once ``pyplot`` has loaded the inline backend,
which registers a PNG printer for every figure; before that it prints
``<Figure size 900x500 with 1 Axes>``. :class:`InlineFigure` gives the kernel
the PNG itself, so it shows either way, and only once: where a printer is
registered, IPython uses that instead.

Importing this module loads matplotlib; :func:`hyosan.viz._figures.new_figure`
imports it when a figure is made.
"""

from __future__ import annotations

import io

from matplotlib.figure import Figure

__all__ = ["InlineFigure"]


class InlineFigure(Figure):
    """A :class:`~matplotlib.figure.Figure` with a PNG for IPython's display (``_repr_png_``)."""

    def _repr_png_(self) -> bytes:
        buffer = io.BytesIO()
        self.savefig(buffer, format="png", bbox_inches="tight")
        return buffer.getvalue()
