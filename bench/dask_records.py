#!/usr/bin/env python3
"""Dask benchmark: records per second through untangle.dask and `fix --jsonl --dask`, with 1 and 2
workers. Prints figures; never fails the build. Needs `pip install 'untangle[dask]'`.

Records are one to three sentences drawn with a fixed seed from our own texts (bench/corpus,
clean; examples/spun-article.txt, spun), about a third of them spun.

Usage: python bench/dask_records.py [--records N] [--workers 1,2]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from batch import paragraphs  # noqa: E402 - the folder benchmark's reader of our texts


def sentences(path: Path) -> list[str]:
    return [s for p in paragraphs(path) for s in re.split(r"(?<=[.!?]) ", p) if len(s.split()) > 4]


def records(count: int, seed: int = 5) -> list[str]:
    """`count` texts of one to three sentences; every third one spun."""
    clean = [s for path in sorted((BENCH / "corpus").glob("*.txt")) for s in sentences(path)]
    spun = sentences(ROOT / "examples" / "spun-article.txt")
    rng = random.Random(seed)
    return [" ".join(rng.choice(spun if n % 3 == 0 else clean) for _ in range(rng.randint(1, 3))) for n in range(count)]


def library_rate(texts: list[str], workers: int) -> tuple[float, float]:
    """Records/s of repair_bag on a LocalCluster (models warmed first), and the cluster start-up in s."""
    import dask.bag

    from untangle import Restorer
    from untangle.dask import cluster, repair_bag

    started = time.perf_counter()
    with cluster(workers=workers) as client:
        client.wait_for_workers(workers)
        warm = dask.bag.from_sequence(["Helium said so."] * workers, npartitions=workers)
        repair_bag(warm).compute()  # every worker loads its models before the clock starts
        start_up = time.perf_counter() - started
        bag = dask.bag.from_sequence(texts, npartitions=max(8, 4 * workers))
        clock = time.perf_counter()
        repaired = repair_bag(bag, Restorer()).compute()
        seconds = time.perf_counter() - clock
    assert len(repaired) == len(texts)
    return len(texts) / seconds, start_up


def cli_rate(path: Path, count: int, workers: int) -> tuple[float, bytes]:
    """Records/s of `untangle fix --jsonl --dask` end to end (cluster start-up included), and its output."""
    clock = time.perf_counter()
    run = subprocess.run(
        [sys.executable, "-m", "untangle.cli", "fix", "--jsonl", "--dask", "-j", str(workers), "-q", str(path)],
        capture_output=True,
        check=True,
    )
    return count / (time.perf_counter() - clock), run.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=3000)
    parser.add_argument("--workers", default="1,2", help="comma-separated worker counts")
    arguments = parser.parse_args()
    texts = records(arguments.records)
    counts = [int(n) for n in arguments.workers.split(",")]
    size = sum(len(t.encode()) for t in texts)
    print(f"{len(texts)} records, {size / 1e6:.2f} MB of text, {sum(1 for n in range(len(texts)) if n % 3 == 0)} spun")

    from untangle import Restorer

    restorer = Restorer()
    restorer.repair(texts[:10])  # load the models
    clock = time.perf_counter()
    restorer.repair(texts)
    serial = len(texts) / (time.perf_counter() - clock)
    print(f"{'serial (Restorer.repair, no Dask)':<44} {serial:8.0f} records/s")
    rates = {}
    for workers in counts:
        rate, start_up = library_rate(texts, workers)
        rates[workers] = rate
        label = f"repair_bag, LocalCluster, {workers} worker(s)"
        print(f"{label:<44} {rate:8.0f} records/s  (start-up {start_up:.1f} s)")
    if len(counts) > 1:
        print(f"speed-up {counts[-1]} vs {counts[0]} workers: {rates[counts[-1]] / rates[counts[0]]:.2f}x")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "records.jsonl"
        path.write_text("".join(json.dumps({"n": n, "text": t}) + "\n" for n, t in enumerate(texts)), encoding="utf-8")
        outputs = []
        for workers in counts:
            rate, output = cli_rate(path, len(texts), workers)
            outputs.append(output)
            label = f"untangle fix --jsonl --dask -j {workers}"
            print(f"{label:<44} {rate:8.0f} records/s  (whole run, cluster start-up included)")
        serial_output = subprocess.run(
            [sys.executable, "-m", "untangle.cli", "fix", "--jsonl", "-j", "1", "-q", str(path)],
            capture_output=True,
            check=True,
        ).stdout
        same = all(output == serial_output for output in outputs)
        print(f"output identical to the serial run: {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
