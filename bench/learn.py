#!/usr/bin/env python3
"""Learning benchmark: `untangle learn` on one spun/original pair (about 500 words) from a phrase
spinner unlike the WordNet one, then `fix --dictionary` on a second, unseen text spun the same
way. Prints recall and precision with and without the built-in table, and clean-text edits.
Texts and spinner are ours: tests/data/learn-*.txt and tests/phrase_spinner.py.

Usage: python bench/learn.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from phrase_spinner import score, spin  # noqa: E402 - the tests' spinner

from untangle import Restorer  # noqa: E402


def main() -> None:
    train = (ROOT / "tests/data/learn-train.txt").read_text(encoding="utf-8")
    unseen = (ROOT / "tests/data/learn-test.txt").read_text(encoding="utf-8")
    spun_train, train_swaps = spin(train)
    spun_unseen, swaps = spin(unseen)
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        (base / "spun.txt").write_text(spun_train, encoding="utf-8")
        (base / "original.txt").write_text(train, encoding="utf-8")
        clock = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "untangle.cli", "learn", "--pair", "spun.txt", "original.txt", "-o", "mine.tsv"],
            cwd=base,
            check=True,
            capture_output=True,
        )
        seconds = time.perf_counter() - clock
        lines = (base / "mine.tsv").read_text(encoding="utf-8").splitlines()
        rows = [line for line in lines if not line.startswith(("#", "spun\t"))]
        print(f"training pair: {len(train.split())} words, {len(train_swaps)} swaps; ", end="")
        print(f"learned {len(rows)} rows in {seconds:.1f} s")
        print(f"unseen text: {len(unseen.split())} words, {len(swaps)} swaps")
        dictionary = (str(base / "mine.tsv"),)
        for label, restorer in (
            ("built-in table only", Restorer()),
            ("learned + built-in (fix --dictionary)", Restorer(dictionaries=dictionary)),
            ("learned only (fix --dictionary --no-builtin)", Restorer(dictionaries=dictionary, builtin=False)),
        ):
            result = restorer.restore(spun_unseen)
            recall, precision = score(spun_unseen, swaps, result.changes)
            clean_edits = len(restorer.restore(unseen).changes)
            print(
                f"{label:<46} recall {recall:.3f}  precision {precision:.3f}  "
                f"({len(result.changes)} changes; {clean_edits} on the clean original)"
            )


if __name__ == "__main__":
    main()
