#!/usr/bin/env python3
"""How far the trigram model can take restoration if every other word were already right.

For each one-word swap of the development article (or of our own articles spun by
bench/spinner.py), the swap's sentence is taken as the original wrote it, and only the swapped
word is left open: the word as written, or one of the listed originals the engine would score
(the first REVERSE_PRESELECT by the dictionary's order). Each reading gets the engine's own
weighted trigram score plus the dictionary prior, the spin level at its default, and nothing of
the document-level fit. The figures are a ceiling for the context scoring, not for untangle:

  listed     share of swaps whose original is among the scored candidates at all
  top        share whose original scores best (the trigram, with a perfect context, picks it)
  sure       share whose original gets posterior >= the default threshold among the readings
  precision  of those sure readings, over every swap where some original is that sure

If `sure` is close to issue 2's recall floor, no decoder over this model reaches the floor at
high precision: the neighbours are never all right. This is a benchmark; it never fails.

Usage: python bench/context_ceiling.py   (our articles are spun by bench/spinner.py, which needs
WordNet: apt-get install wordnet-base, as for bench/quality.py)
"""

from __future__ import annotations

import difflib
import math
import re
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT / "src"))

from untangle.dictionary import builtin  # noqa: E402
from untangle.engine import DEFAULT_THRESHOLD, PRIOR_SPIN, REVERSE_PRESELECT, default_engine  # noqa: E402

SHARED_DEV = ROOT.parent / "shared" / "dev"
GOLD_TOKEN = re.compile(r"\{[^}]*\}|\w+(?:['\u2019\-]\w+)*|[^\w\s]")
SENTENCE_END = frozenset(".!?")


def _tokens(text: str) -> list[tuple[str, ...]]:
    """Tokens, lower case; a gold token {a|b} becomes its alternatives."""
    found = []
    for token in GOLD_TOKEN.findall(text):
        alternatives = token[1:-1].split("|") if token.startswith("{") else [token]
        found.append(tuple(a.lower().replace("\u2019", "'") for a in alternatives))
    return found


def _sentence_around(tokens: list[str], at: int) -> tuple[list[str], int]:
    """The words of the sentence holding token `at`, and that token's index among them."""
    start, end = at, at
    while start > 0 and tokens[start - 1] not in SENTENCE_END:
        start -= 1
    while end < len(tokens) and tokens[end] not in SENTENCE_END:
        end += 1
    words, index = [], 0
    for position in range(start, end):
        if position == at:
            index = len(words)
        if re.match(r"\w", tokens[position]):
            words.append(tokens[position])
    return words, index


def ceiling(spun_text: str, original_text: str) -> tuple[int, int, int, int, int]:
    """(swaps, listed, top, sure, wrong) for one spun text and its original."""
    dictionary, engine = builtin(), default_engine()
    spun = [alternatives[0] for alternatives in _tokens(spun_text)]
    gold = _tokens(original_text)
    canonical = [alternatives[0] for alternatives in gold]
    swaps = listed = top = sure = wrong = 0
    matcher = difflib.SequenceMatcher(None, spun, canonical, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "replace" or i2 - i1 != j2 - j1:
            continue
        for offset in range(i2 - i1):
            written, accepted = spun[i1 + offset], gold[j1 + offset]
            if written in accepted or not written.isalpha():
                continue
            swaps += 1
            entries = [e for e in dictionary.starting_with(written) if e.spun == written][:REVERSE_PRESELECT]
            if not any(e.original in accepted for e in entries):
                continue
            listed += 1
            words, index = _sentence_around(canonical, j1 + offset)
            readings = {written: math.log(1.0 - PRIOR_SPIN)}
            for entry in entries:
                readings[entry.original] = math.log(PRIOR_SPIN * entry.prior)
            scores = {}
            for reading, emission in readings.items():
                words[index] = reading
                # The engine's own score of a whole sentence (its `written_score`).
                scores[reading] = engine._best_window((), words, [["</s>"]]) + emission
            best = max(scores.values())
            norm = best + math.log(sum(math.exp(s - best) for s in scores.values()))
            right = max(scores[o] for o in accepted if o in scores)
            top += right == best
            sure += math.exp(right - norm) >= DEFAULT_THRESHOLD
            wrong += any(
                math.exp(score - norm) >= DEFAULT_THRESHOLD
                for reading, score in scores.items()
                if reading not in accepted and reading != written
            )
    return swaps, listed, top, sure, wrong


def main() -> int:
    sets = []
    if (SHARED_DEV / "milley.spun.txt").exists():
        sets.append(("dev", (SHARED_DEV / "milley.spun.txt").read_text(), (SHARED_DEV / "milley.gold.txt").read_text()))
    from spinner import spin  # our emulator: a text we wrote, spun as the notes describe

    for path in sorted((BENCH / "corpus").glob("*.txt")):
        original = path.read_text(encoding="utf-8")
        sets.append((f"ours/{path.stem}", spin(original, seed=1, as_written=True), original))
    totals = [0, 0, 0, 0, 0]
    for name, spun_text, original_text in sets:
        figures = ceiling(spun_text, original_text)
        if name.startswith("ours/"):
            totals = [t + v for t, v in zip(totals, figures, strict=True)]
        else:
            print(_row(name, *figures))
    if totals[0]:
        print(_row("ours", *totals))
    return 0


def _row(name: str, swaps: int, listed: int, top: int, sure: int, wrong: int) -> str:
    precision = sure / (sure + wrong) if sure + wrong else 1.0
    return (
        f"{name:<8} swaps {swaps:4d}  listed {listed / swaps:.3f}  top {top / swaps:.3f}"
        f"  sure {sure / swaps:.3f}  precision {precision:.3f}"
    )


if __name__ == "__main__":
    sys.exit(main())
