"""Sweeps on a Dask cluster: the links cut into partitions, each partition run by
:func:`compute_atlas.sweep` on a worker (on every core it has), the rows gathered into one
DataFrame in the sweep's order. The same code runs on a ``LocalCluster`` of processes on this
machine and on any Dask cluster (``Client("tcp://scheduler:8786")``): the workers need only
``pip install compute-atlas`` (or the built wheel). Dask does the scheduling; nothing here does.
"""

from __future__ import annotations

from typing import Any, Sequence

import pandas as pd

from . import sweep as _sweep

__all__ = ["sweep", "run_partition"]


def run_partition(start: int, links: Sequence[str], threads: int | None = None) -> pd.DataFrame:
    """One partition of a sweep, its rows numbered from ``start`` (what each worker runs)."""
    return _sweep(list(links), threads=threads, progress=False, start=start)


def sweep(
    links: Sequence[str],
    client: Any = None,
    partitions: int | None = None,
    threads_per_partition: int | None = 1,
) -> pd.DataFrame:
    """Runs ``links`` on the Dask cluster of ``client`` (the current client without) in
    ``partitions`` pieces (two per worker without) and returns the same rows as
    ``compute_atlas.sweep(links)``, in the same order. Each partition runs on
    ``threads_per_partition`` threads (one: a worker runs as many partitions at once as it has
    threads, so one each keeps its cores busy without crowding them; ``None``: every core)."""
    from dask.distributed import get_client

    client = client or get_client()
    links = list(links)
    if not links:
        return _sweep([], progress=False)
    workers = max(1, len(client.nthreads()))
    count = max(1, min(len(links), partitions or 2 * workers))
    size = -(-len(links) // count)
    starts = list(range(0, len(links), size))
    futures = client.map(
        run_partition,
        starts,
        [links[s : s + size] for s in starts],
        threads=threads_per_partition,
        pure=False,
    )
    frames = client.gather(futures)
    return pd.concat(frames, ignore_index=True)
