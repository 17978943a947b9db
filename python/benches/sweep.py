"""Sweep throughput for docs/perf.md (`cargo xtask bench-sweep` runs it and writes its table; kept out of python/ itself, where the package's sources would shadow the installed package): one
sweep of N scenarios over the world's data centres, run on one thread, on every core, on a Dask
LocalCluster of worker processes, and by the command line (`atlas sweep`, release build). Prints
a Markdown section body; checks that every way gives the same rows."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pandas as pd

import compute_atlas as ca
from compute_atlas import dask as ca_dask


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    cli = sys.argv[2] if len(sys.argv) > 2 else None
    side = round(n ** 0.5)
    links = ca.expand(
        "v=1&base=world", {"energy": f"0.5:{0.5 + 0.02 * (side - 1):.2f}:0.02", "carbon": f"0:{2 * (n // side - 1)}:2"}
    )
    rows = []

    def timed(name: str, work) -> pd.DataFrame:
        started = time.perf_counter()
        out = work()
        took = time.perf_counter() - started
        rows.append((name, took, len(links) / took))
        return out

    one = timed("One thread (`ca.sweep(links, threads=1)`)", lambda: ca.sweep(links, threads=1, progress=False))
    every = timed(f"Every core, {os.cpu_count()} (`ca.sweep(links)`)", lambda: ca.sweep(links, progress=False))
    if cli:
        text = timed(
            "`atlas sweep` (the command line, release build, every core, CSV)",
            lambda: subprocess.run([cli, "sweep", "--links", "-", "--progress", "never"], input="\n".join(links), capture_output=True, text=True, check=True).stdout,
        )
        cli_rows = ca._sweep_frame(text)
        assert len(cli_rows) == len(links)
    from dask.distributed import Client, LocalCluster

    with LocalCluster(n_workers=os.cpu_count() or 2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with Client(cluster) as client:
            # A warm-up partition on every worker (imports, the first simulation) before timing.
            workers = len(client.scheduler_info()["workers"])
            ca_dask.sweep(links[: 4 * workers], client=client, partitions=2 * workers, threads_per_partition=1)
            dask = timed(
                f"Dask LocalCluster, {os.cpu_count()} worker processes × 1 thread",
                lambda: ca_dask.sweep(links, client=client, threads_per_partition=1),
            )
    pd.testing.assert_frame_equal(one, every, check_exact=True)
    pd.testing.assert_frame_equal(one, dask, check_exact=True)
    if cli:
        pd.testing.assert_frame_equal(one, cli_rows, check_exact=True)
    assert (one["problems"] == "").all()

    print(f"| Sweep of {len(links):,} scenarios (the world's data centres, energy × carbon price) | seconds | scenarios a second |")
    print("|---|---:|---:|")
    for name, took, rate in rows:
        print(f"| {name} | {took:.1f} | {rate:,.0f} |")
    print()
    print("Every way gave the same rows, to the bit (checked). Dask's time includes shipping the links and the rows between processes; its cluster's start is not counted.")


if __name__ == "__main__":
    main()
