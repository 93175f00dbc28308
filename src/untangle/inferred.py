"""Inferred originals: rows no table lists, proposed from the text itself.

A spinner that replaces one of the commonest words of English everywhere leaves overwhelming
evidence: in a 600-word text "the" is expected some thirty times, and a text without it, where
an ordinary word ("issues") stands thirty times instead, was not written that way. This module
proposes such (spun, original) rows from counts alone: a very common word missing (at most one
occurrence where eight or more are expected, even allowing for how unevenly words spread), and
the word types frequent enough in the text to stand in for it and far rarer in English than it.
The rows form the "inferred" family (untangle.families), whose fit then decides each occurrence
in context like any other: a row is only a candidate.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from untangle.dictionary import Dictionary, Entry, builtin

INFERRED = "inferred"  # the family and the relation of these rows
# Words whose absence means the same in any genre (wordfreq Zipf frequencies, rounded): pronouns
# and auxiliaries depend on who writes to whom, these do not.
COMMON = {"the": 7.73, "of": 7.40, "and": 7.41, "to": 7.43, "a": 7.36, "in": 7.27}
BURSTINESS = 0.5  # a text uses a word less evenly than its overall frequency suggests
MIN_EXPECTED = 8.0  # occurrences a missing word must have been expected, after the discount (e^-8 if none)
MAX_SEEN = 1  # "missing": at most this many occurrences
# A spinner rewrites a word type one way, so one stand-in takes the missing word's place nearly
# everywhere: it occurs at least STAND_IN_SHARE of the missing word's expected count, and
# DOMINANCE times as often as any other candidate. A text with no "the" because it is terse (a
# recipe: "add flour to bowl") has many candidates of similar counts and infers nothing.
STAND_IN_SHARE = 0.5
DOMINANCE = 3.0
MIN_STAND_INS = 3
RARER_BY = 1.5  # a stand-in is at least this much rarer in English (Zipf), so overused here
PRIOR = 0.5
# A spinner that replaces one of these leaves the others as English uses them; a text missing
# most of them is not English (or not prose), and nothing is inferred from it.
MIN_PRESENT_OTHERS = 4  # of the other five, how many must occur at least at PRESENT_SHARE of their rate
PRESENT_SHARE = 0.25

if TYPE_CHECKING:
    from untangle.engine import Options, _Sentence
    from untangle.result import Result


def propose(text: str, known: Dictionary) -> list[Entry]:
    """Inferred (spun, original) rows for `text`; `known` gives the stand-ins' Zipf frequencies."""
    from untangle.engine import segmented  # the cascade's families share one tokenization

    counts = Counter(word.lower for sentence in segmented(text)[1] for word in sentence if word.lower.isalpha())
    rows = []
    for original in missing_common(counts):
        zipf = COMMON[original]
        expected = _expected(counts, zipf)
        candidates = sorted(
            (
                (count, spun)
                for spun, count in counts.items()
                if spun not in COMMON and known.zipf(spun) <= zipf - RARER_BY
            ),
            reverse=True,
        )
        if not candidates or candidates[0][0] < max(MIN_STAND_INS, STAND_IN_SHARE * expected):
            continue
        if len(candidates) > 1 and candidates[0][0] < DOMINANCE * candidates[1][0]:
            continue  # no one word stands where the missing one would
        spun = candidates[0][1]
        rows.append(Entry(spun, original, INFERRED, PRIOR, known.zipf(spun), zipf, family=INFERRED))
    return rows


def missing_common(counts: Counter[str]) -> list[str]:
    """The very common words (COMMON) that a text with these word counts is missing: at most
    MAX_SEEN occurrences where MIN_EXPECTED were expected, the others mostly present."""
    present = {word for word, zipf in COMMON.items() if counts[word] >= PRESENT_SHARE * _expected(counts, zipf)}
    return [
        word
        for word, zipf in COMMON.items()
        if _expected(counts, zipf) >= MIN_EXPECTED
        and counts[word] <= MAX_SEEN
        and len(present - {word}) >= MIN_PRESENT_OTHERS
    ]


def _expected(counts: Counter[str], zipf: float) -> float:
    """How often a word of this Zipf frequency should occur among the counted words (discounted)."""
    return counts.total() * 10 ** (zipf - 9.0) * BURSTINESS


class InferredFamily:
    """The last family of the built-in cascade: rows proposed from the text, fitted like a table.

    With no row to propose (nearly every text) it changes nothing and costs one count."""

    family = INFERRED

    def restore(self, text: str, options: Options) -> Result:
        return self.restore_traced(text, options)[0]

    def restore_traced(self, text: str, options: Options) -> tuple[Result, list[_Sentence], dict[int, float]]:
        from untangle.engine import Engine
        from untangle.result import Result

        rows = propose(text, builtin())
        if not rows:
            return Result(text), [], {}
        return Engine(Dictionary(rows), family=INFERRED).restore_traced(text, options)
