#!/usr/bin/env python3
"""Peak memory of `untangle fix` on one document as it grows, in a fresh process each time.

Documents are built from our own texts (bench/corpus, every other paragraph spun by the WordNet
spinner emulator when WordNet is installed, else the spun paragraphs of examples/), laid out as
paragraphs and as one single line. The engine fits long documents in windows
(untangle.windows), so the peak should stay flat past one window's size.

Usage: python bench/memory.py [--words 10000 80000 777000]
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from batch import paragraphs  # noqa: E402 - the batch benchmark's helper

UNTANGLE = [sys.executable, "-m", "untangle.cli"]


def source_paragraphs(seed: int = 3) -> list[str]:
    """Clean paragraphs of our corpus, every other one spun (or the example's spun paragraphs)."""
    clean = [p for path in sorted((BENCH / "corpus").glob("*.txt")) for p in paragraphs(path)]
    try:
        import spinner

        spinner.wordnet()
        return [spinner.spin(p, seed) if i % 2 else p for i, p in enumerate(clean)]
    except Exception:  # noqa: BLE001 - no WordNet here: the spun example stands in
        return clean + paragraphs(ROOT / "examples" / "spun-article.txt")


def document(words: int, one_line: bool, seed: int = 1) -> str:
    pool = source_paragraphs()
    rng = random.Random(seed)
    chosen, count = [], 0
    while count < words:
        paragraph = rng.choice(pool)
        chosen.append(paragraph)
        count += len(paragraph.split())
    return (" " if one_line else "\n\n").join(chosen) + "\n"


def peak_rss_mb(path: Path) -> tuple[float, float]:
    """Peak RSS (MB) and seconds of `untangle fix PATH` in a fresh process (os.wait4's own figure)."""
    started = time.perf_counter()
    child = subprocess.Popen([*UNTANGLE, "fix", str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"untangle fix failed on {path} (exit {child.returncode})")
    return usage.ru_maxrss / 1024, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, nargs="+", default=[10_000, 80_000, 777_000])
    arguments = parser.parse_args()
    print(f"{'words':>8} {'layout':<11} {'MB':>6} {'peak RSS MB':>12} {'seconds':>8}")
    with tempfile.TemporaryDirectory() as folder:
        for words in sorted(arguments.words):
            for one_line in (False, True):
                text = document(words, one_line)
                path = Path(folder) / "doc.txt"
                path.write_text(text, encoding="utf-8")
                peak, seconds = peak_rss_mb(path)
                layout = "one line" if one_line else "paragraphs"
                size = len(text.encode()) / 1e6
                print(f"{words:>8} {layout:<11} {size:>6.2f} {peak:>12.0f} {seconds:>8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
