"""The decision: which readings become changes (sure ones, and best guesses where the word as
written is itself unlikely), which are held back, and how each change is worded.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from dataclasses import replace
from typing import TYPE_CHECKING

from untangle.decoding import UNKNOWN, Sentence
from untangle.dictionary import Entry
from untangle.lattice import Arc
from untangle.result import GUESS, HELD_BACK, SURE, Change
from untangle.tokenizer import Case, Token, apply_case

if TYPE_CHECKING:
    from untangle.settle import Settled

DEFAULT_THRESHOLD = 0.7  # posterior a change needs: precision over recall (a wrong edit is worse)
HOLD_BACK_FLOOR = 0.2  # suggestions between this and the threshold are reported, not applied
# The guess tier: below the threshold, the likeliest reading is applied, marked a guess, where the
# word as written is itself unlikely (the reader's question: is the word on the page right?) and
# that reading holds at least GUESS_SHARE of the chance that it is not (the listed and unlisted
# originals together). Calibrated on the tuning sets (bench/guesses.py, docs/design.md): at
# P(as written) <= 0.1 no guess changed a word the author wrote; 55-65% of them were right.
GUESS_MAX_AS_WRITTEN = 0.1
GUESS_SHARE = 0.4
GUESS_MAX_TYPE_AS_WRITTEN = 0.5  # no guess for a type that reads as written elsewhere in the text


def decide(
    tokens: list[Token],
    work: list[Sentence],
    spun_paragraph: dict[int, float],
    threshold: float,
    guesses: bool = True,
) -> tuple[list[Change], list[Change]]:
    """The changes to apply (sure ones, and guesses where the word as written is itself
    unlikely) and the suggestions held back."""
    changes: list[Change] = []
    held: list[Change] = []
    positions = []  # (sentence, start, readings, P(as written)) of every position with readings
    # A spinner rewrites a word type the same way throughout a text, so a guess needs its
    # type to read as spun everywhere: one occurrence confidently as written vouches for all.
    type_written: dict[str, float] = defaultdict(float)
    for sentence in work:
        spun = spun_paragraph.get(sentence.paragraph, 0.0)
        by_start: dict[int, list[tuple[float, Arc]]] = defaultdict(list)
        kept: dict[int, float] = {}
        for arc, given_spun in sentence.posteriors.items():
            if arc.payload is None:
                kept[arc.start] = given_spun
            elif arc.payload is not UNKNOWN:
                by_start[arc.start].append((spun * given_spun, arc))
        for start, given_kept in kept.items():
            lower = sentence.words[start].lower
            type_written[lower] = max(type_written[lower], 1.0 - spun * (1.0 - given_kept))
        for start, readings in by_start.items():
            as_written = 1.0 - spun * (1.0 - kept.get(start, 0.0))
            positions.append((sentence, start, sorted(readings, key=lambda pair: -pair[0]), as_written))
    for sentence, start, readings, as_written in positions:
        guess = (
            guesses
            and type_written[sentence.words[start].lower] <= GUESS_MAX_TYPE_AS_WRITTEN
            and is_guess(readings, as_written)
        )
        for rank, (probability, arc) in enumerate(readings):
            if probability < HOLD_BACK_FLOOR and not (guess and rank == 0):
                continue
            tier = SURE if probability >= threshold else GUESS if guess and rank == 0 else HELD_BACK
            made = change(tokens, sentence, arc, probability, tier)
            (held if tier == HELD_BACK else changes).append(made)
    return in_order(changes, held)


def from_suggestions(
    tokens: list[Token], work: list[Sentence], suggestions: list[tuple[int, int, int, Entry, float, str]]
) -> tuple[list[Change], list[Change]]:
    """decide()'s result from the compiled core's decision: (sentence, start, end, entry,
    probability, tier) per suggestion, in the order decide() makes them."""
    changes: list[Change] = []
    held: list[Change] = []
    for number, start, end, entry, probability, tier in suggestions:
        arc = Arc(start, end, entry.original_words, 0.0, entry)
        made = change(tokens, work[number], arc, probability, tier)
        (held if tier == HELD_BACK else changes).append(made)
    return in_order(changes, held)


def in_order(changes: list[Change], held: list[Change]) -> tuple[list[Change], list[Change]]:
    changes = without_overlaps(changes, held)
    changes.sort(key=lambda c: c.start)
    held.sort(key=lambda c: c.start)
    return changes, held


def change(tokens: list[Token], sentence: Sentence, arc: Arc, probability: float, tier: str) -> Change:
    entry: Entry = arc.payload  # type: ignore[assignment]
    words = sentence.words
    first, last = words[arc.start].token, words[arc.end - 1].token
    source_text = "".join(t.text for t in tokens[words[arc.start].index : words[arc.end - 1].index + 1])
    verdict = sentence.verdicts.get(arc)
    return Change(
        first.start,
        last.end,
        source_text,
        with_case(first.case, entry.original),
        probability,
        reason(entry, probability, verdict, tier),
        entry.relation,
        verdict.scorer if verdict else "trigram",
        entry.family,
        tier,
    )


def is_guess(readings: list[tuple[float, Arc]], as_written: float) -> bool:
    """A best guess: the word as written is unlikely (at most GUESS_MAX_AS_WRITTEN) and the best
    reading holds GUESS_SHARE of the probability that it is not (listed or unlisted originals)."""
    if as_written > GUESS_MAX_AS_WRITTEN or not readings:
        return False
    best = readings[0][0]
    return best >= HOLD_BACK_FLOOR and best >= GUESS_SHARE * (1.0 - as_written)


def without_overlaps(changes: list[Change], held: list[Change]) -> list[Change]:
    """Sure changes never overlap (their posteriors would sum past 1); a guess that overlaps a
    sure change or a likelier guess is held back instead."""
    kept = sorted((c for c in changes if c.tier == SURE), key=lambda c: c.start)
    starts = [c.start for c in kept]
    for change in sorted((c for c in changes if c.tier != SURE), key=lambda c: -c.confidence):
        at = bisect_left(starts, change.start)
        neighbours = kept[max(at - 1, 0) : at + 1]  # kept spans never overlap: only these can touch it
        if any(change.start < other.end and other.start < change.end for other in neighbours):
            held.append(replace(change, tier=HELD_BACK))
            continue
        kept.insert(at, change)
        starts.insert(at, change.start)
    return kept


def with_case_of(token: Token, original: str) -> str:
    return with_case(token.case, original)


def with_case(pattern: Case, original: str) -> str:
    if original == "i":
        return "I"
    return apply_case(pattern, original)


RELATION_TEXT = {
    "synonym": "a WordNet synonym of",
    "similar": "a WordNet similar-to head for",
    "hypernym": "a WordNet hypernym of",
    "curated": "a known spinner substitute for",
    "phrase": "a known phrase-rewriter substitute for",
    "inferred": "frequent here, where the text never uses the very common word",
}


def reason(entry: Entry, probability: float, verdict: Settled | None = None, tier: str = "sure") -> str:
    link = RELATION_TEXT.get(entry.relation, f"a {entry.relation} dictionary substitute for")
    reason = f"'{entry.spun}' is {link} '{entry.original}'; context favours '{entry.original}' (p={probability:.2f})"
    if tier == GUESS:
        reason += f"; a best guess: '{entry.spun}' is unlikely as written here"
    if verdict is not None and verdict.scorer != "trigram":
        reason += f"; {verdict.scorer} {verdict.context:+.1f}, trigram {verdict.trigram:+.1f} nats"
    return reason
