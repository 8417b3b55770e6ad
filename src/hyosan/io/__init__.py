"""Files: the result folder written by ``hyosan run --out`` and reading it back.

This package never imports matplotlib; pictures live in :mod:`hyosan.viz`.
"""

from hyosan.io.output import load_result, save_result

__all__ = ["load_result", "save_result"]
