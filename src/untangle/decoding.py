"""Decoding a sentence: the lattice of its readings under the document's spinner model, and their
posteriors, position by position (cheap, for EM) or jointly with the trigram model.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from operator import itemgetter
from typing import TYPE_CHECKING

from untangle.dictionary import Entry
from untangle.lattice import Arc, arc_posteriors
from untangle.segment import Word
from untangle.spinner_model import SpinLevels, SubstitutionTable

if TYPE_CHECKING:
    from untangle.candidates import Candidates

JOINT_FLOOR = 0.01  # candidates below this posterior in the last cheap pass skip the joint pass
MAX_CANDIDATES = 4  # candidate originals decoded per position, best by local score
HOPELESS = -12.0  # local log-odds below which a candidate is not worth decoding
# Single-word originals of an open position (the dictionary's likeliest first) that a wider context
# scorer may weigh beyond the lattice's few: the lattice keeps those the trigram prefers, and the
# right original of a rarer sense ("enactment" -> "support") is often not among them. Dev at 0.7
# (neural): 12 0.876 / 0.980, 24 0.878 / 0.985, 48 0.880 / 0.985, 96 0.878 / 0.985.
POOL = 48
# Weight of "spun, from an original the dictionary does not list" against a listed original's
# prior. About a quarter of a spinner's swaps have no listed original; a listed candidate has to
# beat this to be applied, which keeps wrong originals for unlisted swaps out.
UNKNOWN_ORIGIN_SHARE = 0.03
UNKNOWN = "unknown-origin"


@dataclass(eq=False)  # compared as itself: a generated __eq__ would only cost start-up time
class Sentence:
    """A sentence being restored: its words, candidates, and the latest decoding."""

    words: list[Word]
    candidates: list[list[tuple[int, Entry]]]
    # Preselected candidates per position: (context gain, length, entry, original words, level key).
    options: list[list[tuple]] | None = None
    keys: list[tuple[str, int] | None] = field(default_factory=list)  # level key of each written word
    memo: dict = field(default_factory=dict)  # language model scores reused between EM iterations
    posteriors: dict[Arc, float] = field(default_factory=dict)  # given that its paragraph is spun
    evidence: list[tuple[str, float]] = field(default_factory=list)  # per word: ln P(spun) / P(as written)
    spun_share: list[float] = field(default_factory=list)  # per word: weighted P(read as a spun form), last fit
    weight: float = 0.0  # P(its paragraph is spun) in the last fit
    verdicts: dict = field(default_factory=dict)  # arc -> settle.Settled, for arcs a context scorer re-decided
    settled: set[int] = field(default_factory=set)  # positions an earlier family restored (Options.settled)
    # For `untangle explain` only: per position, the fitted P(spun | paragraph spun) the word was
    # read at (its likeliest reading's class and band), and the name of the document's reading.
    levels_read: dict[int, float] = field(default_factory=dict)
    reading: str = ""

    @property
    def paragraph(self) -> int:
        return self.words[0].paragraph


def decode(
    candidates: Candidates, sentence: Sentence, levels: SpinLevels, table: SubstitutionTable, joint: bool
) -> dict[Arc, float]:
    """Posteriors of the sentence's readings given that its paragraph is spun.

    `joint` decodes the whole lattice with the trigram model (forward-backward). Otherwise
    each position is scored on its own between its written neighbours: a cheap
    approximation that is good enough to estimate the document's parameters in EM.
    """
    arcs_from, gains = lattice(candidates, sentence, levels, table, joint)
    if joint:
        if all(len(arcs) == 1 for arcs in arcs_from):
            return {arcs[0]: 1.0 for arcs in arcs_from}  # one path, read as written: nothing to weigh
        return arc_posteriors(arcs_from, candidates.model, sentence.memo)[0]
    posteriors: dict[Arc, float] = {}
    sentence.evidence = []
    for arcs, word in zip(arcs_from, sentence.words, strict=True):
        if len(arcs) == 1:
            sentence.evidence.append((word.lower, arcs[0].emission))
            posteriors[arcs[0]] = 1.0
            continue
        logits = [gains[id(arc)] + arc.emission for arc in arcs]
        top = max(logits)
        norm = top + math.log(sum(math.exp(logit - top) for logit in logits))
        sentence.evidence.append((word.lower, norm))
        for arc, logit in zip(arcs, logits, strict=True):
            posteriors[arc] = math.exp(logit - norm)
    return posteriors


def lattice(
    candidates: Candidates, sentence: Sentence, levels: SpinLevels, table: SubstitutionTable, joint: bool = False
) -> tuple[list[list[Arc]], dict[int, float]]:
    """The lattice: per position the written word, the best candidates and "unknown origin".

    Also returns each arc's context gain over the written word (keyed by id), for the
    position-by-position approximation.
    """
    if sentence.options is None:
        sentence.options = candidates.preselect(sentence)
        sentence.keys = [
            None if position in sentence.settled else candidates.written_key(word)
            for position, word in enumerate(sentence.words)
        ]
    previous = {(arc.start, id(arc.payload)): p for arc, p in sentence.posteriors.items() if arc.payload}
    arcs_from: list[list[Arc]] = []
    gains: dict[int, float] = {}
    log = math.log
    levels_at, log_emission, previous_get = levels.at, table.log_emission, previous.get
    for position, word in enumerate(sentence.words):
        stay_key = sentence.keys[position]
        options = sentence.options[position]
        stay_p = table.stays(word.lower, levels.at(stay_key)) if stay_key else 1.0
        if options and sentence.spun_share:
            stay_p = table.written_stays(word, stay_p, sentence.spun_share[position], sentence.weight)
        stay = log(max(stay_p, 1e-9))
        keep = Arc(position, position + 1, (word.lower,), stay)
        gains[id(keep)] = 0.0
        if not options:
            arcs_from.append([keep])
            continue
        scored = []
        for option in options:
            level = levels_at(option[4])
            entry = option[2]
            emission = log_emission(entry, level, previous_get((position, id(entry)), 0.0))
            scored.append((option[0] + emission, emission, level, option))
        scored.sort(key=itemgetter(0), reverse=True)
        kept = []
        for score, emission, level, (context_gain, length, entry, original_words, _) in scored[:MAX_CANDIDATES]:
            if score - stay <= HOPELESS:
                break
            arc = Arc(position, position + length, original_words, emission, entry)
            gains[id(arc)] = context_gain
            kept.append((arc, level))
        if joint:  # readings the position-by-position passes found negligible stay out of the lattice
            kept = [(a, level) for a, level in kept if previous.get((position, id(a.payload)), 1.0) >= JOINT_FLOOR]
        arcs = [keep] + [arc for arc, _ in kept]
        if kept:
            best, spin = kept[0]
            unknown = unknown_origin(best, spin)
            gains[id(unknown)] = gains[id(best)]
            arcs.append(unknown)
        arcs_from.append(arcs)
    return arcs_from, gains


def pool(
    candidates: Candidates, sentence: Sentence, position: int, levels: SpinLevels, table: SubstitutionTable
) -> list[Arc]:
    """The position's single-word originals, up to POOL, as arcs emitting under the fitted model."""
    word = sentence.words[position]
    arcs = []
    for length, entry in sentence.candidates[position][:POOL]:
        if length == 1:
            emission = table.log_emission(entry, levels.at(candidates.entry_key(word, entry)), 0.0)
            arcs.append(Arc(position, position + 1, entry.original_words, emission, entry))
    return arcs


def unknown_origin(best: Arc, spin: float) -> Arc:
    """The reading "spun, but from an original the dictionary does not list".

    It reads like the best listed candidate (a true original fits its context well), so a
    candidate wins only where the spinner would likely have chosen this spun form for it.
    """
    return Arc(best.start, best.end, best.words, math.log(spin * UNKNOWN_ORIGIN_SHARE), UNKNOWN)
