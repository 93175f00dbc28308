"""Repair a JSON Lines data set with Dask, keep the spin level, drop what stays suspicious.

Run from the repository root after `pip install 'untangle[dask]'`:
    python examples/dask_pipeline.py examples/crawl.jsonl repaired/
"""

import sys

import dask.dataframe as dd
from distributed import Client, LocalCluster

from untangle import Restorer
from untangle.dask import repair_column

if __name__ == "__main__":
    source, target = sys.argv[1], sys.argv[2]
    with LocalCluster(n_workers=2, threads_per_worker=1) as cluster, Client(cluster):
        crawl = dd.read_json(source, lines=True, blocksize=2**20)
        repaired = repair_column(crawl, "text", Restorer(threshold=0.7))
        repaired.to_json(target, orient="records", lines=True)  # one file per partition
        table = repaired[["id", "untangle_changes", "untangle_spin_level", "untangle_spun_probability"]]
        print(table.compute().to_string(index=False))
