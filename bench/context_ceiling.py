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

With --neural the same swaps are scored by the engine's settling combination instead: the
neural scorer (after the whole original text before the sentence, in its own case and
punctuation) plus TRIGRAM_SHARE times the trigram, plus the prior; the open-slot reading of
untangle's settle step is left out, as the trigram rows have no such reading either.

Usage: python bench/context_ceiling.py [--neural]   (our articles are spun by bench/spinner.py,
which needs WordNet: apt-get install wordnet-base, as for bench/quality.py)
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

from untangle.candidates import REVERSE_PRESELECT  # noqa: E402
from untangle.decision import DEFAULT_THRESHOLD  # noqa: E402
from untangle.dictionary import builtin  # noqa: E402
from untangle.pipeline import default_engine  # noqa: E402
from untangle.spinner_model import PRIOR_SPIN  # noqa: E402

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


def _swaps(spun_text: str, original_text: str) -> tuple[int, list[tuple[int, str, tuple[str, ...], list]]]:
    """The one-word swaps of a spun text: how many, and those whose original the engine would score
    (the first REVERSE_PRESELECT the dictionary lists), as (index in the original, written form,
    accepted originals, the entries scored)."""
    dictionary = builtin()
    spun = [alternatives[0] for alternatives in _tokens(spun_text)]
    gold = _tokens(original_text)
    canonical = [alternatives[0] for alternatives in gold]
    swaps, found = 0, []
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
            if any(e.original in accepted for e in entries):
                found.append((j1 + offset, written, accepted, entries))
    return swaps, found


def _judge(scores: dict[str, float], written: str, accepted: tuple[str, ...]) -> tuple[int, int, int]:
    """(right original scores best, it is sure, a wrong original is sure) for one swap's readings."""
    best = max(scores.values())
    norm = best + math.log(sum(math.exp(v - best) for v in scores.values()))
    right = max(scores[o] for o in accepted if o in scores)
    wrong = any(
        math.exp(v - norm) >= DEFAULT_THRESHOLD for r, v in scores.items() if r not in accepted and r != written
    )
    return int(right == best), int(math.exp(right - norm) >= DEFAULT_THRESHOLD), int(wrong)


def ceiling(spun_text: str, original_text: str) -> tuple[int, int, int, int, int]:
    """(swaps, listed, top, sure, wrong) for one spun text and its original."""
    engine = default_engine()
    canonical = [alternatives[0] for alternatives in _tokens(original_text)]
    swaps, found = _swaps(spun_text, original_text)
    listed, top, sure, wrong = len(found), 0, 0, 0
    for at, written, accepted, entries in found:
        words, index = _sentence_around(canonical, at)
        readings = {written: math.log(1.0 - PRIOR_SPIN)}
        for entry in entries:
            readings[entry.original] = math.log(PRIOR_SPIN * entry.prior)
        scores = {}
        for reading, emission in readings.items():
            words[index] = reading
            # A whole sentence scored by the trigram model, as the engine scores a window.
            scores[reading] = engine.candidates.best_window((), words, [["</s>"]]) + emission
        top, sure, wrong = (a + b for a, b in zip((top, sure, wrong), _judge(scores, written, accepted), strict=True))
    return swaps, listed, top, sure, wrong


def neural_ceiling(spun_text: str, original_text: str, scorer) -> tuple[int, int, int, int, int]:  # noqa: ANN001
    """(swaps, listed, top, sure, wrong) with the neural scorer, every other word as the original wrote it."""
    from untangle.context import Passage, TrigramScorer, Variant
    from untangle.settle import CONTEXT_SHARE, TRIGRAM_SHARE

    engine = default_engine()
    canonical = [alternatives[0] for alternatives in _tokens(original_text)]
    # The original text in its own case, one token after another, and where each token stands.
    cased = [m.group(0) for m in GOLD_TOKEN.finditer(original_text)]
    cased = [t[1:-1].split("|")[0] if t.startswith("{") else t for t in cased]
    text, starts = "", []
    for token in cased:
        if text and re.match(r"\w", token):
            text += " "
        starts.append(len(text))
        text += token
    swaps, found = _swaps(spun_text, original_text)
    listed = len(found)
    by_sentence: dict[int, list] = {}
    for at, written, accepted, entries in found:
        first = at
        while first > 0 and canonical[first - 1] not in SENTENCE_END:
            first -= 1
        by_sentence.setdefault(first, []).append((at, written, accepted, entries))
    # One pass over the original text: a passage per sentence, whose variants put each swap's
    # readings (the spun word, each listed original) in place of the original word, one at a time.
    passages, plans, offset = [], [], 0
    for first, found in sorted(by_sentence.items()):
        last = first
        while last < len(canonical) and canonical[last] not in SENTENCE_END:
            last += 1
        end = starts[last] + len(cased[last]) if last < len(cased) else len(text)
        variants = []
        for at, written, accepted, entries in found:
            span = (starts[at], starts[at] + len(cased[at]))
            readings = [written] + [e.original for e in entries]
            for reading in readings:
                variants.append(Variant(*span, reading))
            plans.append((offset + len(variants) - len(readings), written, accepted, entries))
        passages.append(Passage(starts[first], end, tuple(variants)))
        offset += len(variants)
    wide = [score for row in scorer.score(text, passages) for score in row]
    near = [score for row in TrigramScorer(engine.model).score(text, passages) for score in row]
    top = sure = wrong = 0
    for index, written, accepted, entries in plans:
        # Each reading's fit against the original word in place; the softmax needs only differences.
        fit = [CONTEXT_SHARE * wide[index + k] + TRIGRAM_SHARE * near[index + k] for k in range(len(entries) + 1)]
        scores = {written: math.log(1.0 - PRIOR_SPIN) + fit[0]}
        for entry, value in zip(entries, fit[1:], strict=True):
            reading = math.log(PRIOR_SPIN * entry.prior) + value
            scores[entry.original] = max(scores.get(entry.original, -math.inf), reading)
        top, sure, wrong = (a + b for a, b in zip((top, sure, wrong), _judge(scores, written, accepted), strict=True))
    return swaps, listed, top, sure, wrong


def main() -> int:
    neural = "--neural" in sys.argv[1:]
    scorer = None
    if neural:
        from untangle.neural import default_scorer

        scorer = default_scorer()
    sets = []
    if (SHARED_DEV / "milley.spun.txt").exists():
        sets.append(("dev", (SHARED_DEV / "milley.spun.txt").read_text(), (SHARED_DEV / "milley.gold.txt").read_text()))
    from spinner import spin  # our emulator: a text we wrote, spun as the notes describe

    for path in sorted((BENCH / "corpus").glob("*.txt")):
        original = path.read_text(encoding="utf-8")
        sets.append((f"ours/{path.stem}", spin(original, seed=1, as_written=True), original))
    totals = [0, 0, 0, 0, 0]
    for name, spun_text, original_text in sets:
        figures = neural_ceiling(spun_text, original_text, scorer) if neural else ceiling(spun_text, original_text)
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
