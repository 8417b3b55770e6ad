"""numba's ``njit`` for hyosan's kernels: ``cache=True`` keeps machine code only where it may;
every kernel runs without Python's lock (``nogil``).

numba picks where to keep a function's machine code: ``$NUMBA_CACHE_DIR``,
else the ``__pycache__`` folder beside its source, else its folder in the
user's cache. When it can write none of them (a read-only install and no
writable home), ``njit(cache=True)`` raises ``RuntimeError: cannot cache
function`` as the function is decorated. This ``njit`` then keeps the code in
hyosan's own private folder (:func:`hyosan._cache.kernel_folder`), and when
there is none either, compiles the function without a cache: in memory, at
each run (:func:`~hyosan._cache.kernel_folder` has said so, once).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numba

from hyosan._cache import kernel_folder

__all__ = ["njit"]

_config: Any = numba.config  # numba's settings, made at run time from its environment


def njit(*, cache: bool = False, **options: Any) -> Callable[[Callable[..., Any]], Any]:
    """``numba.njit(nogil=True, **options)``; with ``cache``, its machine code is kept where a
    folder allows.

    Kernels let go of Python's lock while they run (they touch only the arrays they
    are given): a run in a thread of its own, as the live page's, leaves the page's
    server free to answer in the meantime.
    """
    options.setdefault("nogil", True)

    def decorate(func: Callable[..., Any]) -> Any:
        compiled = _cached(func, options) if cache else None
        return compiled if compiled is not None else numba.njit(**options)(func)

    return decorate


def _cached(func: Callable[..., Any], options: dict[str, Any]) -> Any:
    """``func`` compiled with a cache in numba's folders, else in hyosan's; ``None`` if neither."""
    compiled = _with_cache(func, options)
    if compiled is None:
        folder = kernel_folder()
        if folder is not None:
            with _numba_cache_dir(folder / "numba"):
                compiled = _with_cache(func, options)
    return compiled


def _with_cache(func: Callable[..., Any], options: dict[str, Any]) -> Any:
    """``numba.njit(cache=True)`` of ``func``, or ``None`` when numba finds no folder for it."""
    try:
        return numba.njit(cache=True, **options)(func)
    except RuntimeError as error:  # raised as it decorates, before anything is compiled
        if not str(error).startswith("cannot cache function"):
            raise
        return None


@contextlib.contextmanager
def _numba_cache_dir(folder: Path) -> Iterator[None]:
    """numba's ``CACHE_DIR`` (``$NUMBA_CACHE_DIR``) set to ``folder`` for one decoration.

    numba reads it when it makes the function's cache, as it decorates; the
    rest of the process keeps its own setting.
    """
    before = _config.CACHE_DIR
    _config.CACHE_DIR = str(folder)
    try:
        yield
    finally:
        _config.CACHE_DIR = before
