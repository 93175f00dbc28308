"""Inferred originals: rows no table lists, proposed from the text itself.

A spinner that replaces one of the commonest words of English everywhere leaves overwhelming
evidence: in a 600-word text "the" is expected some thirty times, and a text without it, where
an ordinary word ("issues") stands thirty times instead, was not written that way. This module
proposes such (spun, original) rows from counts alone: a very common word missing (at most one
occurrence, or a few outnumbered by its stand-in, where eight or more are expected even allowing
for how unevenly words spread), and the one word type frequent enough in the text to stand in
for it and far rarer in English than it.
The rows form the "inferred" family (untangle.families), whose fit then decides each occurrence
in context like any other: a row is only a candidate.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from untangle.dictionary import Dictionary, Entry, builtin

INFERRED = "inferred"  # the family and the relation of these rows
# Words whose absence means the same in any genre (wordfreq Zipf frequencies, rounded): the
# commonest function words. Pronouns and auxiliaries depend on who writes to whom, these do not.
CORE = {"the": 7.73, "of": 7.40, "and": 7.41, "to": 7.43, "a": 7.36, "in": 7.27}
COMMON = CORE | {
    "is": 7.07,
    "for": 7.01,
    "that": 7.01,
    "on": 6.91,
    "with": 6.85,
    "as": 6.77,
    "be": 6.79,
    "are": 6.74,
    "at": 6.70,
    "by": 6.66,
    "or": 6.54,
}
BURSTINESS = 0.5  # a text uses a word less evenly than its overall frequency suggests
MIN_EXPECTED = 8.0  # occurrences a missing word must have been expected, after the discount (e^-8 if none)
# "Missing": at most MAX_SEEN occurrences, or for the core words at most SPARSE_SHARE of the
# discounted expectation when a stand-in outnumbers it OUTNUMBER times: a scraped page keeps a
# few as written (a quoted statement, a title, a caption the spinner skipped).
MAX_SEEN = 1
SPARSE_SHARE = 1.0
OUTNUMBER = 3.0
# A spinner rewrites a word type one way, so one stand-in takes the missing word's place nearly
# everywhere: it occurs at least STAND_IN_SHARE of the missing word's expected count (not
# discounted: the commonest words are the least bursty), and DOMINANCE times as often as any
# other word that does. A text with no "the" because it is terse (a recipe: "add flour to
# bowl") has no word standing in for it that often and infers nothing.
STAND_IN_SHARE = 0.5
DOMINANCE = 2.0
MIN_STAND_INS = 3
RARER_BY = 1.5  # a stand-in is at least this much rarer in English (Zipf), so overused here
PRIOR = 0.5
# A spinner that replaces one of these leaves the others as English uses them; a text missing
# most of the core words is not English (or not prose), and nothing is inferred from it.
MIN_PRESENT_OTHERS = 4  # of the other core words (five, or six), how many must occur at PRESENT_SHARE of their rate
PRESENT_SHARE = 0.25

if TYPE_CHECKING:
    from untangle.decoding import Sentence
    from untangle.engine import Options
    from untangle.result import Result


def propose(text: str, known: Dictionary) -> list[Entry]:
    """Inferred (spun, original) rows for `text`; `known` gives the stand-ins' Zipf frequencies."""
    from untangle.text_reader import alphabetic_counts_of, alphabetic_word_counts

    # The common words' counts first: nearly every text misses none of them, and needs no more.
    common = alphabetic_counts_of(text, _COUNTED)
    if common is not None and not missing_common(Counter(common[1]), common[0]):
        return []
    read = alphabetic_word_counts(text)
    if read is not None:
        counts = Counter(read)
    else:
        from untangle.segment import segmented  # the cascade's families share one tokenization

        counts = Counter(word.lower for sentence in segmented(text)[1] for word in sentence if word.lower.isalpha())
    rows = []
    for original in missing_common(counts):
        zipf = COMMON[original]
        expected = _expected(counts.total(), zipf)
        needed = max(MIN_STAND_INS, STAND_IN_SHARE * expected / BURSTINESS, OUTNUMBER * counts[original])
        candidates = sorted(
            (
                (count, spun)
                for spun, count in counts.items()
                if spun not in COMMON and count >= needed and known.zipf(spun) <= zipf - RARER_BY
            ),
            reverse=True,
        )
        if not candidates:
            continue
        if len(candidates) > 1 and candidates[0][0] < DOMINANCE * candidates[1][0]:
            continue  # no one word stands where the missing one would
        spun = candidates[0][1]
        rows.append(Entry(spun, original, INFERRED, PRIOR, known.zipf(spun), zipf, family=INFERRED))
    return rows


_COUNTED = sorted(COMMON)  # every word missing_common reads the count of (CORE is among them)


def missing_common(counts: Counter[str], total: int | None = None) -> list[str]:
    """The very common words (COMMON) that a text with these word counts is missing or nearly so
    (see MAX_SEEN, SPARSE_SHARE) where MIN_EXPECTED were expected, the other core words mostly present.
    `total` is the number of words counted (the sum of `counts` unless only some words are in it)."""
    total = counts.total() if total is None else total
    present = {word for word, zipf in CORE.items() if counts[word] >= PRESENT_SHARE * _expected(total, zipf)}
    if len(present) < MIN_PRESENT_OTHERS:
        return []  # too few core words for any to count as missing (the test below, for every word)
    found = []
    for word, zipf in COMMON.items():
        expected = _expected(total, zipf)
        if expected < MIN_EXPECTED or len(present) - (word in present) < MIN_PRESENT_OTHERS:
            continue
        # The core words are common enough for "nearly missing" to be clear; the others must be
        # missing outright (a long text on one topic can use "or" at half its usual rate).
        if counts[word] <= (max(MAX_SEEN, SPARSE_SHARE * expected) if word in CORE else MAX_SEEN):
            found.append(word)
    return found


def _expected(total: int, zipf: float) -> float:
    """How often a word of this Zipf frequency should occur among `total` words (discounted)."""
    return total * 10 ** (zipf - 9.0) * BURSTINESS


class InferredFamily:
    """The last family of the built-in cascade: rows proposed from the text, fitted like a table.

    With no row to propose (nearly every text) it changes nothing and costs one count."""

    family = INFERRED

    def restore(self, text: str, options: Options) -> Result:
        return self.restore_traced(text, options)[0]

    def restore_traced(self, text: str, options: Options) -> tuple[Result, list[Sentence], dict[int, float]]:
        from untangle.engine import Engine
        from untangle.result import Result

        rows = propose(text, builtin())
        if not rows:
            return Result(text), [], {}
        return Engine(Dictionary(rows), family=INFERRED).restore_traced(text, options)
