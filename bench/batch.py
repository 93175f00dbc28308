#!/usr/bin/env python3
"""Batch benchmark: a folder of generated articles with and without workers, and the memory of a
long JSON Lines stream. Prints figures; never fails the build.

Articles are built from our own texts only (bench/corpus, clean; examples/spun-article.txt,
spun): each file is two to four paragraphs drawn with a fixed seed, a third of them spun.

Usage: python bench/batch.py [--files N] [--jsonl-mb MB] [--jobs N]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
UNTANGLE = [sys.executable, "-m", "untangle.cli"]


def paragraphs(path: Path) -> list[str]:
    return [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if len(p.split()) > 8]


def build_folder(folder: Path, count: int, seed: int = 7) -> int:
    """Write `count` articles under `folder` (100 per subfolder); return their total size in bytes."""
    clean = [p for path in sorted((BENCH / "corpus").glob("*.txt")) for p in paragraphs(path)]
    spun = paragraphs(ROOT / "examples" / "spun-article.txt")
    rng = random.Random(seed)
    texts = []
    for number in range(count):
        pool = spun if number % 3 == 0 else clean
        texts.append("\n\n".join(rng.choice(pool) for _ in range(rng.randint(2, 4))) + "\n")
    return write_articles(folder, texts)


def write_articles(folder: Path, texts: list[str]) -> int:
    """Write `texts` as article files under `folder` (100 per subfolder); return their size in bytes."""
    size = 0
    for number, text in enumerate(texts):
        path = folder / f"part{number // 100:03d}" / f"article{number:05d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        size += len(text.encode("utf-8"))
    return size


def _tree_kb(pid: int, name: str, pattern: str) -> int:
    """Sum of one /proc/PID/NAME figure (in kB) over a process and all its descendants."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            text = Path(f"/proc/{current}/{name}").read_text()
            total += int(re.search(pattern, text, re.M).group(1))
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except (OSError, AttributeError):
            continue
        pending.extend(int(child) for child in children)
    return total


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MB (Linux /proc)."""
    return _tree_kb(pid, "status", r"^VmRSS:\s+(\d+)") / 1024


def tree_pss_mb(pid: int) -> float:
    """Proportional set size of a process tree in MB: shared pages (a model loaded before a fork,
    a mapped table) are divided among the processes sharing them, so the sum is real memory."""
    return _tree_kb(pid, "smaps_rollup", r"^Pss:\s+(\d+)") / 1024


class PeakMemory(threading.Thread):
    """Samples a process tree's RSS (and PSS) until stopped; keeps the peaks."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.peak_pss, self.samples = pid, 0.0, 0.0, []
        self._stop_flag = threading.Event()

    def run(self) -> None:
        while not self._stop_flag.is_set():
            rss = tree_rss_mb(self.pid)
            self.peak = max(self.peak, rss)
            self.peak_pss = max(self.peak_pss, tree_pss_mb(self.pid))
            self.samples.append(rss)
            time.sleep(0.2)

    def stop(self) -> None:
        self._stop_flag.set()
        self.join()


def folder_run(source: Path, out: Path, jobs: int) -> tuple[float, str, float]:
    started = time.perf_counter()
    process = subprocess.Popen(
        [*UNTANGLE, "fix", "--output-dir", str(out), "--jobs", str(jobs), str(source)],
        stderr=subprocess.PIPE,
        text=True,
    )
    memory = PeakMemory(process.pid)
    memory.start()
    _, stderr = process.communicate()
    memory.stop()
    seconds = time.perf_counter() - started
    summary = stderr.strip().splitlines()[-1] if stderr.strip() else "(no summary)"
    return seconds, summary, memory.peak


def build_jsonl(path: Path, megabytes: float, seed: int = 11) -> int:
    """A JSON Lines crawl: each record a page's raw markup plus one sentence of text to repair."""
    sentences = [s for p in paragraphs(ROOT / "examples" / "spun-article.txt") for s in re.split(r"(?<=\.) ", p)]
    sentences += [s for f in sorted((BENCH / "corpus").glob("*.txt")) for p in paragraphs(f) for s in p.split(". ")]
    rng = random.Random(seed)
    filler = "".join(rng.choice('abcdefghijklmnopqrstuvwxyz <>/="') for _ in range(3000))
    records = 0
    with path.open("w", encoding="utf-8") as out:
        while out.tell() < megabytes * 1e6:
            url = f"https://example.org/{records}"
            record = {"id": records, "url": url, "html": filler, "text": rng.choice(sentences)}
            out.write(json.dumps(record) + "\n")
            records += 1
    return records


def jsonl_run(path: Path, jobs: int) -> tuple[float, float, list[float]]:
    started = time.perf_counter()
    with path.open("rb") as source:
        process = subprocess.Popen(
            [*UNTANGLE, "fix", "--jsonl", "--field", "text", "--jobs", str(jobs), "--quiet"],
            stdin=source,
            stdout=subprocess.DEVNULL,
        )
        memory = PeakMemory(process.pid)
        memory.start()
        process.wait()
        memory.stop()
    quarters = [max(chunk, default=0.0) for chunk in _quarters(memory.samples)]
    return time.perf_counter() - started, memory.peak, quarters


def _quarters(samples: list[float]) -> list[list[float]]:
    step = max(1, len(samples) // 4)
    return [samples[i : i + step] for i in range(0, len(samples), step)][:4]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000, help="articles in the folder (0: skip)")
    parser.add_argument("--jsonl-mb", type=float, default=100.0, help="size of the JSON Lines stream (0: skip)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        scratch_path = Path(scratch)
        if arguments.files > 0:
            folder_figures(scratch_path, arguments.files, arguments.jobs)
        if arguments.jsonl_mb > 0:
            jsonl_figures(scratch_path, arguments.jsonl_mb, arguments.jobs)


def folder_figures(scratch: Path, files: int, jobs: int) -> None:
    size = build_folder(scratch / "articles", files)
    print(f"folder: {files} files, {size / 1e6:.2f} MB")
    for workers in sorted({1, jobs}):
        seconds, summary, peak = folder_run(scratch / "articles", scratch / f"out{workers}", workers)
        print(f"  --jobs {workers}: {seconds:6.1f} s, {files / seconds:6.1f} files/s, peak RSS {peak:.0f} MB")
        print(f"    {summary}")


def jsonl_figures(scratch: Path, megabytes: float, jobs: int) -> None:
    stream = scratch / "crawl.jsonl"
    records = build_jsonl(stream, megabytes)
    seconds, peak, quarters = jsonl_run(stream, jobs)
    print(f"jsonl: {stream.stat().st_size / 1e6:.0f} MB, {records} records, --jobs {jobs}")
    print(f"  {seconds:.1f} s, {records / seconds:.0f} records/s, peak RSS {peak:.0f} MB")
    print("  peak RSS per quarter of the run (MB): " + ", ".join(f"{q:.0f}" for q in quarters))


if __name__ == "__main__":
    main()
