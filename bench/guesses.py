#!/usr/bin/env python3
"""Calibrating the guess tier on the tuning articles (never the development article).

Each tuning article (bench/corpus, the held-out ones left out) is spun by bench/spinner.py with
four seeds, both as the development article's spinner does (looking words up as written) and
through lemmas. Each text is fitted once; the decision is then re-taken for a grid of guess
settings (how unlikely the word as written must be, what share of the rest the best reading
must hold), and the output scored. Printed per setting: recall, precision and harmful edits (per
1,000 words too), against no guesses. Then, for guesses made at the loosest
setting, how often a guess is right, wrong but on a spun word, or harmful (the word was the
author's), per band of P(as written).

Usage: python bench/guesses.py [--threshold P]
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import defaultdict
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, os.environ.get("UNTANGLE_SOURCE", str(BENCH.parent / "src")))

from scoring import score  # noqa: E402

from untangle import decision, pipeline  # noqa: E402
from untangle.result import GUESS, Change, apply_changes  # noqa: E402

CORPUS = BENCH / "corpus"
HELD_OUT = {"farm-drought.txt", "football-final.txt", "museum-theft.txt"}  # as bench/quality.py
SEEDS = (1, 2, 3, 4)
AS_WRITTEN = (0.02, 0.05, 0.1, 0.2, 0.3)
SHARES = (0.4, 0.5, 0.6)
BANDS = (0.0, 0.02, 0.05, 0.1, 0.2, 0.3)


def texts() -> list[tuple[str, str]]:
    from spinner import spin

    pairs = []
    for path in sorted(CORPUS.glob("*.txt")):
        if path.name in HELD_OUT:
            continue
        clean = path.read_text(encoding="utf-8")
        for seed in SEEDS:
            for as_written in (True, False):
                pairs.append((spin(clean, seed, as_written), clean))
    return pairs


def as_written_at(work: list, spun_paragraph: dict[int, float], change: Change) -> float:
    """P(the word where `change` starts is as written), as the decision saw it."""
    for sentence in work:
        if sentence.words[0].token.start <= change.start <= sentence.words[-1].token.end:
            spun = spun_paragraph.get(sentence.paragraph, 0.0)
            for arc, given in sentence.posteriors.items():
                if arc.payload is None and sentence.words[arc.start].token.start == change.start:
                    return 1.0 - spun * (1.0 - given)
    return 1.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threshold", type=float, default=decision.DEFAULT_THRESHOLD)
    arguments = parser.parse_args()
    restorer = pipeline.default_engine()
    totals: dict[tuple[float, float] | None, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0, 0, 0])
    bands: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])  # right, wrong on a spun word, harmful
    words = 0
    pairs = texts()
    for spun, clean in pairs:
        words += len(clean.split())
        tokens, work, spun_paragraph, _, _, _ = restorer._fit(spun)
        settings: list[tuple[float, float] | None] = [None] + [(a, m) for a in AS_WRITTEN for m in SHARES]
        for setting in settings:
            if setting is not None:
                decision.GUESS_MAX_AS_WRITTEN, decision.GUESS_SHARE = setting
            changes, _ = decision.decide(tokens, work, spun_paragraph, arguments.threshold, setting is not None)
            figures = score(spun, clean, apply_changes(spun, changes))
            tally = totals[setting]
            for index, value in enumerate(
                (figures.swaps, figures.restored, figures.edits, figures.correct, figures.harmful)
            ):
                tally[index] += value
            if setting == (max(AS_WRITTEN), min(SHARES)):
                for change in changes:
                    if change.tier != GUESS:
                        continue
                    alone = score(spun, clean, apply_changes(spun, [change]))
                    band = max(i for i, low in enumerate(BANDS) if as_written_at(work, spun_paragraph, change) >= low)
                    kind = 0 if alone.restored else 2 if alone.harmful else 1
                    bands[band][kind] += 1
    base = totals[None]
    print(f"tuning texts: {len(pairs)}, {words} words, {base[0]} swaps; threshold {arguments.threshold}")
    print(f"{'as written <=':>14} {'share':>7} {'recall':>7} {'precision':>9} {'harmful':>8} {'harmful/1000w':>14}")
    print(
        f"{'no guesses':>22} {base[1] / base[0]:7.3f} {base[3] / max(base[2], 1):9.3f}"
        f" {base[4]:8d} {1000 * base[4] / words:14.2f}"
    )
    for setting, tally in totals.items():
        if setting is None:
            continue
        swaps, restored, edits, correct, harmful = tally[:5]
        print(
            f"{setting[0]:14.2f} {setting[1]:7.1f} {restored / swaps:7.3f} {correct / max(edits, 1):9.3f}"
            f" {harmful:8d} {1000 * harmful / words:14.2f}"
        )
    print(f"guesses at as written <= {max(AS_WRITTEN)}, share {min(SHARES)}, by P(as written):")
    for band, (right, wrong, harmful) in sorted(bands.items()):
        high = BANDS[band + 1] if band + 1 < len(BANDS) else max(AS_WRITTEN)
        total = right + wrong + harmful
        print(
            f"  {BANDS[band]:.2f}-{high:.2f}: {total:4d} guesses, right {right / total:.2f},"
            f" wrong on a spun word {wrong / total:.2f}, harmful {harmful / total:.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
