"""Files: the result folder written by ``hyosan run --out`` and reading it back.

One module a file: :mod:`~hyosan.io.totals`, :mod:`~hyosan.io.summary`,
:mod:`~hyosan.io.fields`, :mod:`~hyosan.io.tracks` and :mod:`~hyosan.io.story`
(``story.md``, the run told in words), tied together by :mod:`~hyosan.io.output`;
a sweep's tables are written by :mod:`~hyosan.io.sweep`.

This package never imports matplotlib; pictures live in :mod:`hyosan.viz`.
"""

from hyosan.io.output import load_result, save_result

__all__ = ["load_result", "save_result"]
