#!/usr/bin/env python3
"""Does a confidence mean what it says? Precision of untangle's changes by confidence band.

Every suggestion at 0.5 or more is made; each band's changes alone are applied and scored, so
"0.9-1.0: precision 0.98" says that changes untangle is 90% or more sure of are right 98% of the
time. Sets: the development article (when ../shared/dev exists) and our tuning articles spun by
bench/spinner.py (needs WordNet: apt-get install wordnet-base). A benchmark: it never fails.

Usage: python bench/calibration.py [--neural]
"""

from __future__ import annotations

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT / "src"))

from quality import CORPUS, HELD_OUT, SHARED_DEV, dev_scores  # noqa: E402
from scoring import score  # noqa: E402

import untangle  # noqa: E402
from untangle.result import apply_changes  # noqa: E402

BANDS = ((0.5, 0.7), (0.7, 0.9), (0.9, 1.01))


def main() -> int:
    neural = "--neural" in sys.argv[1:]
    from spinner import spin

    sets = []
    if (SHARED_DEV / "milley.spun.txt").exists():
        sets.append(("dev", (SHARED_DEV / "milley.spun.txt").read_text(encoding="utf-8"), None))
    for path in sorted(CORPUS.glob("*.txt")):
        if path.name not in HELD_OUT:
            original = path.read_text(encoding="utf-8")
            sets.append(("tuning", spin(original, 1, True), original))
    tallies: dict[tuple[str, tuple[float, float]], list[int]] = {}
    for name, spun, original in sets:
        result = untangle.restore(spun, threshold=0.5, neural=neural)
        suggestions = list(result.changes)
        for band in BANDS:
            chosen = [c for c in suggestions if band[0] <= c.confidence < band[1]]
            output = apply_changes(spun, chosen)
            if original is None:
                dev = dev_scores(output)
                correct, edits = dev["correct"], dev["edits"]
            else:
                figures = score(spun, original, output)
                correct, edits = figures.correct, figures.edits
            tally = tallies.setdefault((name, band), [0, 0])
            tally[0] += correct
            tally[1] += edits
    print(f"tier: {'neural' if neural else 'trigram'}")
    for (name, band), (correct, edits) in tallies.items():
        precision = correct / edits if edits else float("nan")
        band_text = f"{band[0]:.1f}-{min(band[1], 1.0):.1f}"
        print(f"{name:<7} confidence {band_text}  edits {edits:4d}  precision {precision:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
