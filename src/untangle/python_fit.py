"""The per-document fit in Python: EM over the spinner model (levels, substitution table, pick
rules) and which paragraphs are spun, then a joint decoding of every sentence.

The compiled core (untangle.compiled, rust/src/fit.rs) runs the same fit and is used wherever it
is built; this one is the reference it is tested against (tests/test_core.py) and the fallback
of a checkout without it (UNTANGLE_PURE_PYTHON=1).
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from untangle.decoding import UNKNOWN, Sentence, decode
from untangle.dictionary import Entry
from untangle.kinds import (
    LOW_RATE_MIN_ODD_TYPES,
    LOW_RATE_PENALTY,
    LOW_RATE_SCALE,
    PRIOR_DOCUMENT_SPUN,
    odd_types,
    spun_paragraphs,
)
from untangle.segment import BARE
from untangle.spinner_model import PICK_PSEUDO_COUNT, PICK_START, SpinLevels, SubstitutionTable, level_key, logit

if TYPE_CHECKING:
    from untangle.candidates import Candidates

EM_ITERATIONS = 2  # position-by-position passes that fit the document's parameters (a third changed nothing measurable)
NEGLIGIBLE = 1e-3  # a paragraph less likely spun than this is not decoded further


def fit(
    candidates: Candidates, work: list[Sentence]
) -> tuple[dict[int, float], float, tuple[SpinLevels, SubstitutionTable]]:
    """Fit the document's parameters by EM and decode every sentence; returns P(paragraph spun),
    P(document spun) and the fitted spin levels and substitution table."""
    levels, table = SpinLevels(), SubstitutionTable()
    spun_paragraph: dict[int, float] = {}
    document_spun = throughout = PRIOR_DOCUMENT_SPUN
    for iteration in range(EM_ITERATIONS + 1):
        joint = iteration == EM_ITERATIONS  # the last pass decodes whole sentences jointly
        for sentence in work:
            if iteration and spun_paragraph.get(sentence.paragraph, 1.0) < NEGLIGIBLE:
                continue  # a clean paragraph: it adds nothing to the fit and nothing in it will change
            sentence.posteriors = decode(candidates, sentence, levels, table, joint)
        if not joint:  # the decision clean/spun uses the capped per-word evidence
            penalty = LOW_RATE_PENALTY if levels.scale != 1.0 else 0.0
            document_spun, spun_paragraph, throughout, evidence = spun_paragraphs(work, penalty)
        # Not spun throughout at the usual levels (clean, or a page with a few spun-looking
        # paragraphs): perhaps a low-rate spinner's work, read again at its levels.
        if iteration == 0 and throughout < 0.5 and odd_types(work) >= LOW_RATE_MIN_ODD_TYPES:
            levels, document_spun, spun_paragraph = try_low_rate(
                candidates, work, table, document_spun, spun_paragraph, evidence
            )
        if max(spun_paragraph.values(), default=0.0) < NEGLIGIBLE:
            break  # the whole text is clean
        if not joint:
            levels, table = maximise(candidates, work, spun_paragraph, table, levels.scale)
    return spun_paragraph, document_spun, (levels, table)


def try_low_rate(
    candidates: Candidates,
    work: list[Sentence],
    table: SubstitutionTable,
    document_spun: float,
    spun_paragraph: dict[int, float],
    evidence: float,
) -> tuple[SpinLevels, float, dict[int, float]]:
    """The first pass read again at a low spin rate; kept if it explains the text better (a
    higher marginal likelihood against the text as written than `evidence`, the usual
    levels' over every kind of document)."""
    high = [(s.posteriors, s.evidence) for s in work]
    usual_stretches = stretch_evidence(work, spun_paragraph)
    low = SpinLevels(scale=LOW_RATE_SCALE)
    for sentence in work:
        sentence.posteriors = decode(candidates, sentence, low, table, False)
    low_document, low_paragraph, _, low_evidence = spun_paragraphs(work, LOW_RATE_PENALTY)
    # Paragraphs the usual levels find spun are a spinner's run: the low rate must explain
    # them at least as well, or it is no reading of them.
    low_stretches = stretch_evidence(work, spun_paragraph)
    refused = usual_stretches is not None and low_stretches is not None and usual_stretches >= low_stretches
    if low_evidence > evidence and not refused:
        return low, low_document, low_paragraph
    for sentence, (posteriors, evidence) in zip(work, high, strict=True):
        sentence.posteriors, sentence.evidence = posteriors, evidence
    return SpinLevels(), document_spun, spun_paragraph


def stretch_evidence(work: list[Sentence], spun_paragraph: dict[int, float]) -> float | None:
    """ln P(spun paragraphs | these levels) against as written, uncapped: each word type's mean
    evidence in every paragraph `spun_paragraph` reads as spun (P >= one half), or None if
    none is. The cap that keeps one type from deciding whether a paragraph is spun clips a
    strong swap alike at every rate, so comparing rates needs the evidence in full."""
    by_type: dict[tuple[int, str], list[float]] = defaultdict(lambda: [0.0, 0])
    for sentence in work:
        if spun_paragraph.get(sentence.paragraph, 0.0) < 0.5:
            continue
        for word, evidence in sentence.evidence:
            tally = by_type[(sentence.paragraph, word)]
            tally[0] += evidence
            tally[1] += 1
    if not by_type:
        return None
    return sum(total / count for total, count in by_type.values())


def maximise(
    candidates: Candidates,
    work: list[Sentence],
    spun_paragraph: dict[int, float],
    previous: SubstitutionTable,
    scale: float,
) -> tuple[SpinLevels, SubstitutionTable]:
    """M-step: spin levels, the document's substitution table and its pick rules from expected counts."""
    rule_counts = [0.0] * len(previous.rules)
    swaps = 0.0
    zipf = candidates.dictionary.zipf
    swapped: dict[tuple[str, int], float] = defaultdict(float)
    seen: dict[tuple[str, int], float] = defaultdict(float)
    kept_as_written: dict[str, float] = defaultdict(float)
    pair_counts: dict[tuple[str, str], float] = defaultdict(float)
    original_counts: dict[str, float] = defaultdict(float)
    support: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    written_spun: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    spun_words = 0.0
    for sentence in work:
        weight = spun_paragraph.get(sentence.paragraph, 0.0)
        if weight < NEGLIGIBLE:
            continue  # a clean paragraph's counts carry no weight
        words = sentence.words
        keep_share = [1.0] * len(words)
        # A word inside a spun phrase that may stand for it ("software" in "software program"
        # for "software") is no evidence that the spinner leaves that word alone.
        own_phrase: set[int] = set()
        for arc, probability in sentence.posteriors.items():
            if arc.payload is None:
                continue
            word = words[arc.start]
            for position in range(arc.start, arc.end):
                keep_share[position] -= probability
                if arc.end - arc.start > 1 and words[position].lower in arc.words:
                    own_phrase.add(position)
            if arc.payload is UNKNOWN:
                key = level_key(word.word_class, zipf(word.lower))
            else:
                entry: Entry = arc.payload  # type: ignore[assignment]
                key = candidates.entry_key(word, entry)
                pair_counts[(entry.original, entry.spun)] += weight * probability
                swaps += weight * probability
                for k, share in enumerate(previous.responsibilities(entry)):
                    rule_counts[k] += weight * probability * share
                clipped = min(max(probability, 1e-6), 1 - 1e-6)
                support[entry.original][entry.spun] += weight * max(logit(clipped), 0.0)
                original_counts[entry.original] += weight * probability
            swapped[key] += weight * probability
            seen[key] += weight * probability
        keys = sentence.keys  # set when the sentence was first decoded
        sentence.weight = weight
        sentence.spun_share = [0.0] * len(words)
        for position, (word, share) in enumerate(zip(words, keep_share, strict=True)):
            share = max(share, 0.0)
            if sentence.options[position]:
                own = sentence.spun_share[position] = weight * (1.0 - share)
                tally = written_spun[(word.lower, word.word_class)]
                tally[0] += own
                tally[1] += weight
            if word.word_class == BARE:
                spun_words += weight
            written_key = keys[position]
            if written_key is not None:
                seen[written_key] += weight * share
                if word.word_class == BARE and position not in own_phrase:
                    kept_as_written[word.lower] += weight * share
    rules = tuple((count + PICK_PSEUDO_COUNT * PICK_START) / (swaps + PICK_PSEUDO_COUNT) for count in rule_counts)
    table = SubstitutionTable(pair_counts, original_counts, kept_as_written, spun_words, support, written_spun, rules)
    return SpinLevels.estimate(swapped, seen, scale), table


def leave_out(work: list[Sentence], settled: tuple[tuple[int, int], ...]) -> None:
    """Words inside `settled` spans say nothing about the spin level (they may still be restored
    further: "utilized to beryllium" read as "used to be" by the WordNet family is a phrase
    rewriter's "was")."""
    from bisect import bisect_right

    spans = sorted(settled)
    starts = [start for start, _ in spans]
    for sentence in work:
        for position, word in enumerate(sentence.words):
            index = bisect_right(starts, word.token.start) - 1
            if index >= 0 and word.token.start < spans[index][1]:
                sentence.settled.add(position)
