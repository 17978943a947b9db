"""A sweep on Dask (a LocalCluster of worker processes on this machine; the same code runs on any
cluster) gives the same rows as the sweep in this process, row for row."""

from __future__ import annotations

import pandas as pd
import pytest

import compute_atlas as ca
from compute_atlas import dask as ca_dask

distributed = pytest.importorskip("dask.distributed")


def test_a_dask_sweep_equals_the_local_one_row_for_row() -> None:
    links = ca.expand("v=1&base=world", {"energy": "0.5:2:0.25", "carbon": "0,50,100", "grid": "0.5,1,x"})
    local = ca.sweep(links, progress=False)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            assert len(client.scheduler_info()["workers"]) == 2
            remote = ca_dask.sweep(links, client=client, partitions=5, threads_per_partition=1)
    assert len(remote) == len(links) == 7 * 3 * 3
    pd.testing.assert_frame_equal(remote, local, check_exact=True)
    assert (remote["problems"] != "").sum() == 7 * 3
