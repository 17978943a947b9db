"""A sweep on Dask: every combination of energy price and carbon price over the world's data
centres, run on a Dask cluster and gathered into one DataFrame.

    python examples/dask_sweep.py                      # a LocalCluster of worker processes here
    python examples/dask_sweep.py tcp://scheduler:8786 # any Dask cluster (its workers need
                                                       # `pip install compute-atlas` or the wheel)

The rows are the same, row for row, as `compute_atlas.sweep(links)` in one process (a test holds
this: python/tests/test_dask.py).
"""

import sys

from dask.distributed import Client, LocalCluster

import compute_atlas as ca
from compute_atlas import dask as ca_dask


def main() -> None:
    # Dask starts its workers as new processes that import this file: the work waits for __main__.
    links = ca.expand("v=1&base=world", {"energy": "0.5:3:0.25", "carbon": "0:300:25"})

    if len(sys.argv) > 1:
        client = Client(sys.argv[1])
    else:
        client = Client(LocalCluster(n_workers=2, threads_per_worker=1, processes=True))

    rows = ca_dask.sweep(links, client=client)
    print(f"{len(rows)} scenarios on {len(client.nthreads())} workers")
    best = rows.sort_values("carbon_location_mt_total").iloc[0]
    print("least carbon over the span:", best["link"], round(best["carbon_location_mt_total"], 1), "Mt CO2e")
    client.close()


if __name__ == "__main__":
    main()
