"""The test session's own kernel cache: the suite never writes into the user's ``~/.cache/hyosan``.

hyosan writes the direct-method kernels it generates for each model structure
(and numba's compiled code beside them) into ``$HYOSAN_CACHE_DIR/kernels``
(:func:`hyosan._cache.kernel_folder`). The suite points that
variable, always, at a folder of pytest's cache, ``.pytest_cache/d/hyosan-kernels``
(git-ignored; kept between sessions, so kernels compile once per checkout),
or, when pytest's cache is off (``-p no:cacheprovider``), at a fresh
temporary folder removed at the end of the session. Both are private to the
user (mode 0o700).

The variable is set in ``pytest_configure``, the first moment pytest's cache
folder is known (its ``cache_dir`` option, or its absence): this root
conftest is imported before that, and test modules, which import hyosan,
after it. hyosan reads the variable at each call, not at import. Subprocesses
started by the tests (``tests/integration/test_cli_subprocess.py``) copy
``os.environ`` when they start, so they use the same folder.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

CACHE_VARIABLE = "HYOSAN_CACHE_DIR"


def _kernel_folder(config: pytest.Config) -> tuple[Path, bool]:
    """The session's kernel folder, and whether it is a temporary one to remove at the end."""
    cache = getattr(config, "cache", None)  # absent under -p no:cacheprovider
    if cache is not None:
        try:
            folder = cache.mkdir("hyosan-kernels")
            folder.chmod(0o700)
            return folder, False
        except OSError:
            pass
    return Path(tempfile.mkdtemp(prefix="hyosan-kernels-")), True  # mkdtemp: mode 0o700


def pytest_configure(config: pytest.Config) -> None:
    """Point hyosan's kernel cache at the session's folder, whatever the user had set."""
    folder, temporary = _kernel_folder(config)
    before = os.environ.get(CACHE_VARIABLE)
    os.environ[CACHE_VARIABLE] = str(folder)

    def restore() -> None:
        if before is None:
            os.environ.pop(CACHE_VARIABLE, None)
        else:
            os.environ[CACHE_VARIABLE] = before
        if temporary:
            shutil.rmtree(folder, ignore_errors=True)

    config.add_cleanup(restore)
