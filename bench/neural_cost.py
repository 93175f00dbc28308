#!/usr/bin/env python3
"""What the neural tier costs: time and peak memory per 1,000 words, spun and clean, both tiers.

Each figure is one fresh process running `untangle fix FILE` (start-up and model loading
included, as a user meets it), and the same text fixed again inside a process whose models are
already loaded. Peak memory is the child's maximum resident set size. Spun text is our own
articles spun by bench/spinner.py (needs WordNet: apt-get install wordnet-base); clean text is
the same articles as written. This is a benchmark: it prints figures and never fails.

Usage: python bench/neural_cost.py [--words N]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
CORPUS = BENCH / "corpus"

IN_PROCESS = """
import sys, time
import untangle
text = open(sys.argv[1], encoding="utf-8").read()
neural = sys.argv[2] == "neural"
untangle.fix("Helium said astatine noon.", neural=neural)
start = time.perf_counter()
untangle.fix(text, neural=neural)
print(time.perf_counter() - start)
"""


def _words(text: str, count: int) -> str:
    words = text.split()
    while len(words) < count:
        words += words
    return " ".join(words[:count])


def _child(command: list[str]) -> tuple[float, float, str]:
    """Wall time (s), peak resident memory (MB) and standard output of one child process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    out = process.stdout.read() if process.stdout else ""
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, so Popen must not wait again
    return time.perf_counter() - start, usage.ru_maxrss / 1024, out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=1000)
    args = parser.parse_args()
    from spinner import spin

    originals = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    texts = {
        "spun": _words("\n".join(spin(t, 3) for t in originals), args.words),
        "clean": _words("\n".join(originals), args.words),
    }
    print(f"{args.words} words per text, {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as folder:
        for kind, text in texts.items():
            path = Path(folder) / f"{kind}.txt"
            path.write_text(text, encoding="utf-8")
            for tier in ("trigram", "neural"):
                flags = ["--neural"] if tier == "neural" else []
                fix = [sys.executable, "-c", "from untangle.cli import main; main()", "fix", *flags, str(path)]
                wall, peak, _ = _child(fix)
                loaded, _, out = _child([sys.executable, "-c", IN_PROCESS, str(path), tier])
                print(
                    f"{kind:<6} {tier:<8} fresh process {wall:6.2f} s  peak {peak:6.0f} MB"
                    f"  models loaded {float(out.strip() or 'nan'):6.2f} s"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
