"""untangle inside Dask pipelines (`pip install untangle[dask]`).

Two helpers for data-set cleaning, both lazy like the rest of Dask:

- `repair_bag(bag)`: a bag of texts becomes a bag of `Repair` values (text, changes, spin level,
  spun probability), one engine call per partition;
- `repair_column(frame, "text")`: a dataframe column is repaired in place and three columns are
  added (`untangle_changes`, `untangle_spin_level`, `untangle_spun_probability`), so a pipeline
  can both repair and filter (`frame[frame.untangle_spun_probability < 0.5]`).

A `Restorer` travels to the workers as its settings only; each worker process loads the models
once. `ordered_map` and `cluster` are what `untangle fix --dask/--scheduler` run on.
"""

from __future__ import annotations

import collections
import contextlib
import logging
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from untangle.restorer import Repair, Restorer

if TYPE_CHECKING:
    import dask.bag
    import dask.dataframe
    import distributed
    import pandas

CHANGES, SPIN_LEVEL, SPUN_PROBABILITY = "untangle_changes", "untangle_spin_level", "untangle_spun_probability"
IN_FLIGHT_PER_WORKER = 4  # tasks queued per worker by ordered_map: keeps workers busy, memory bounded

Item = TypeVar("Item")
Output = TypeVar("Output")


def repair_bag(bag: dask.bag.Bag, restorer: Restorer | None = None) -> dask.bag.Bag:
    """A bag of `Repair` values, one per text of `bag`, in the same order."""
    return bag.map_partitions(_repair_partition, restorer or Restorer())


def _repair_partition(texts: Iterable[Any], restorer: Restorer) -> list[Repair]:
    return restorer.repair(list(texts))


def repair_column(
    frame: dask.dataframe.DataFrame, column: str, restorer: Restorer | None = None
) -> dask.dataframe.DataFrame:
    """`frame` with `column` repaired and the changes, spin level and spun probability added."""
    from dask.dataframe.utils import make_meta

    if column not in frame.columns:
        raise KeyError(f"no column {column!r} (the frame has {', '.join(map(str, frame.columns))})")
    restorer = restorer or Restorer()
    meta = _repair_frame(make_meta(frame), column, restorer)
    return frame.map_partitions(_repair_frame, column, restorer, meta=meta)


def _repair_frame(part: pandas.DataFrame, column: str, restorer: Restorer) -> pandas.DataFrame:
    repaired = restorer.repair(part[column])
    return part.assign(
        **{
            column: repaired["text"],
            CHANGES: repaired["changes"],
            SPIN_LEVEL: repaired["spin_level"],
            SPUN_PROBABILITY: repaired["spun_probability"],
        }
    )


def ordered_map(client: distributed.Client, function: Callable[..., Output], items: Iterable[Item]) -> Iterator[Output]:
    """`function(*item)` for each item on the cluster, yielded in input order.

    Only a few tasks per worker are in flight at once, so an endless stream (a large JSON Lines
    file) runs in bounded memory on both sides; a task's error is raised here, in order.
    """
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    limit = workers * IN_FLIGHT_PER_WORKER
    pending: collections.deque = collections.deque()
    for item in items:
        pending.append(client.submit(function, *item, pure=False))
        if len(pending) >= limit:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


@contextlib.contextmanager
def cluster(address: str | None = None, workers: int = 1) -> Iterator[distributed.Client]:
    """A client for the scheduler at `address`, or for a local cluster of `workers` processes."""
    from distributed import Client, LocalCluster

    if address:
        with Client(address, timeout="10s") as client:
            yield client
        return
    with (
        LocalCluster(
            n_workers=workers,
            threads_per_worker=1,  # the engine is pure Python: one thread per process
            processes=True,
            dashboard_address=":0",  # any free port: never clashes with another cluster
            silence_logs=logging.ERROR,
        ) as local,
        Client(local) as client,
    ):
        yield client
