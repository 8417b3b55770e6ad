"""Fixtures every test folder may use: a real Dask cluster on this machine."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(scope="session")
def dask_client() -> Iterator[Any]:
    """A client of a real local Dask cluster of two single-threaded worker processes, for
    the whole session (started once: about 2 s), as ``hyosan run --workers 2`` starts one."""
    from hyosan.ensemble.cluster import local_cluster

    with local_cluster(2) as client:
        yield client
