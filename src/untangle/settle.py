"""Settling what the trigram lattice leaves open with a wider context scorer.

After the document fit, a position of a spun paragraph whose likeliest reading is short of sure
is open. Adjacent open positions form a group ("quality league" -> "news conference" is decided
as one). Every reading of a group (the word as written, the lattice's likeliest originals, the
same reading with one word read as any other of its listed originals, and "spun from an original
no table lists") is scored by the context scorer after the text before its sentence, as the
lattice reads it, and combined with the channel model the fit estimated:

    logit(reading) = its arcs' emissions (spin level, the spinner's table)
                     + CONTEXT_SHARE * scorer's ln P + TRIGRAM_SHARE * trigram's ln P

An unlisted original of a one-word group reads as the scorer's own best word there, other than
the written one and those offered (its "open slot"); so a listed original wins where it fits
better than anything else the model knows, and the spinner would likely have written this form
for it. Every reading but the words as written carries a prior (the rest of its logit), so the
scorer may leave those that look hopeless at their first differing token unscored. The group's
readings are normalised against each other and their arcs' posteriors replace the lattice's, so
a confidence keeps its meaning.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass

from untangle.context import ContextScorer, Passage, Variant
from untangle.lattice import Arc
from untangle.spinner_model import logit, sigmoid

# A position is open when no reading of it has at least this posterior (given a spun paragraph).
# On the development article 0.9 reads as well as 0.95 and 0.98 (0.841 / 0.974 at the default
# threshold) with a fifth fewer readings to score; 0.85 lost precision.
SURE = 0.9
# A sure change of a word the document also uses as itself (the lattice keeps that type as written
# somewhere) is checked: the words as written contend against it, so the wider context can take
# back what the trigram was sure of ("where helium collects underground" is no "he"; the trigram
# knows "helium" only as a rare word). On our tuning articles it removed 7 of 8 wrong edits of
# that kind, precision at 0.7 /lookup 0.956 -> 0.964, /lemma 0.964 -> 0.971, recall the same;
# the held-out articles read the same; dev 0.880 / 0.987 -> 0.876 / 0.985, within what merely
# re-batching Gemma's decodes moves it (batch 448 or 384 tokens instead of 512: 0.878, 0.876).
CHECK_SURE = True
# Readings the lattice gives less than this are not worth the scorer's time (0.005 and 3 listed
# originals per position read the dev article no better at twice the cost; 0.04 was a little
# more precise than 0.02, 0.974 against 0.971).
FLOOR = 0.04
MAX_LISTED = 2  # listed originals per open position, likeliest first
MAX_READINGS = 8  # readings of one group, by lattice posterior
MIN_PARAGRAPH_SPUN = 0.5  # below it no change can reach a confidence of one half: not decided
# A paragraph the trigram fit leaves in doubt (at least this likely spun, short of one half) is
# read again: each of its suspicious words is scored by the context scorer, and how much less
# likely the scorer finds the words as written than the trigram did is evidence that the
# paragraph is spun (the Bayes factor of a word is P(kept) / P(as written | spun), so changing
# the context model changes it by the ratio of the two P(as written | spun)). A lightly spun
# paragraph beside a spun one, whose forms the page kind counts once, is found so.
DOUBTFUL = 0.05
MAX_GROUP_EVIDENCE = 3.0  # nats one group may move its paragraph by, as one word type may in the fit
# Weights of the two language models against the channel model's log-probabilities (the trigram
# adds the words right after a variant). Both models read the same context, so their evidence
# overlaps: at full weight (1.0, 0.5) the posteriors were overconfident (our tuning articles'
# 0.7-0.9 band right 64% of the time). bench/neural_weights.py at 0.7, dev | tuning /lookup |
# /lemma: (1.0, 0.5) 0.864 / 0.972 | 0.777 / 0.928 | 0.722 / 0.936; (0.6, 0.25) 0.857 / 0.974 |
# 0.766 / 0.949 | 0.708 / 0.950.
CONTEXT_SHARE = 0.6
TRIGRAM_SHARE = 0.25
# Weight of an open slot's answer (the likeliest word the scorer knows there, other than the
# written one and those offered) as the neural fit of "spun from an original no table lists".
# It is the best of a whole vocabulary, so it flatters that reading. Dev at 0.7: 0.7 gave
# 0.864 / 0.972, 0.85 0.859 / 0.972, 1.0 0.850 / 0.972; our tuning articles agreed (0.7 best).
# (Taking the better of it and the best listed original's fit, as the lattice's reading does,
# held right originals back: dev 0.841 / 0.974, tuning /lookup 0.740 / 0.939 against 0.780 / 0.931.)
ANYTHING_SHARE = 0.7
EMISSION_SHARE = 1.0  # weight of the channel model's log-probabilities (the arcs' emissions)


@dataclass(frozen=True, slots=True)
class Settled:
    """What settled an arc: the scorer's name and both models' ln P against the reading in place."""

    scorer: str
    context: float
    trigram: float


def settle(
    text: str,
    sentences: list,
    spun_paragraph: dict[int, float],
    scorer: ContextScorer,
    trigram: ContextScorer,
    casing: Callable[[object, str], str],
    pool: Callable[[object, int], list[Arc]] | None = None,
) -> None:
    """Re-decide the open groups of every spun sentence in place (posteriors and verdicts).

    `sentences` are the engine's decoded sentences, in text order; `casing(token, original)` writes
    an original in the case of the token it replaces; `pool(sentence, position)` gives a
    position's single-word originals beyond the lattice's, with their emissions, as contenders.
    Every sentence is scored after the text as the lattice reads it, so one pass of the scorer
    serves the whole document.
    """
    pieces: list[str] = []  # the text as the lattice reads it
    # Word types the lattice leaves as written somewhere: elsewhere, a sure change of one is checked.
    by_starts = [_by_start(sentence) for sentence in sentences]
    readings = [(b, _best_arcs(sentence, b)) for sentence, b in zip(sentences, by_starts, strict=True)]
    kept = {
        sentence.words[arc.start].lower
        for sentence, (_, best) in zip(sentences, readings, strict=True)
        for arc in best
        if arc.payload is None
    }
    length = consumed = 0
    passages, jobs = [], []
    for sentence, (by_start, best) in zip(sentences, readings, strict=True):
        words = sentence.words
        gap = text[consumed : words[0].token.start]
        pieces.append(gap)
        length += len(gap)
        reading = _reading_text(text, sentence, best, casing)
        spun = spun_paragraph.get(sentence.paragraph, 0.0)
        if spun >= DOUBTFUL:
            doubtful = spun < MIN_PARAGRAPH_SPUN
            planned = _plan(text, sentence, by_start, best, length, casing, pool, kept, doubtful)
            if planned is not None:
                passages.append(Passage(length, length + len(reading), planned[1]))
                jobs.append((sentence, planned[0]))
        pieces.append(reading)
        length += len(reading)
        consumed = words[-1].token.end
    if not passages:
        return
    current = "".join(pieces) + text[consumed:]
    local = trigram.score(current, passages) if TRIGRAM_SHARE else [[0.0] * len(p.variants) for p in passages]
    context = scorer.score(current, [_priced(p, near) for p, near in zip(passages, local, strict=True)])
    shift: dict[int, float] = {}  # per doubtful paragraph: ln Bayes factor the scorer adds
    for (sentence, groups), wide, near in zip(jobs, context, local, strict=True):
        doubtful = spun_paragraph.get(sentence.paragraph, 0.0) < MIN_PARAGRAPH_SPUN
        index = 0
        for group, base, readings, by_start, slot in groups:
            scored = {}
            for reading in readings:
                if reading == base:
                    scored[reading] = (0.0, 0.0)
                else:
                    if wide[index] > -math.inf:  # -inf: a contender the scorer ranked out
                        scored[reading] = (wide[index], near[index])
                    index += 1
            anything = -math.inf
            if slot:
                anything = wide[index]
                index += 1
            if not any(all(a.payload is None for a in r) for r in scored):
                continue  # a checked change whose words as written looked hopeless: as the lattice has it
            before = _as_written(sentence, group, by_start)
            after = _decide_group(sentence, group, by_start, scored, scorer.name, anything)
            if doubtful:
                gain = math.log(max(before, 1e-12)) - math.log(max(after, 1e-12))
                gain = max(-MAX_GROUP_EVIDENCE, min(MAX_GROUP_EVIDENCE, gain))
                shift[sentence.paragraph] = shift.get(sentence.paragraph, 0.0) + gain
    for paragraph, gain in shift.items():
        spun_paragraph[paragraph] = sigmoid(logit(spun_paragraph[paragraph]) + gain)


def _as_written(sentence, group, by_start) -> float:  # noqa: ANN001
    """The lattice's P(the group's words as written | spun paragraph): its kept arcs' posteriors."""
    probability = 1.0
    for position in range(*group):
        probability *= sum(p for a, p in by_start.get(position, []) if a.payload is None) or 1.0
    return probability


def _priced(passage: Passage, local: list[float]) -> Passage:
    """The passage with each contender's prior in the scorer's units: what the logit holds besides it."""
    variants = tuple(
        v if v.prior is None else dataclasses.replace(v, prior=(v.prior + TRIGRAM_SHARE * near) / CONTEXT_SHARE)
        for v, near in zip(passage.variants, local, strict=True)
    )
    return dataclasses.replace(passage, variants=variants)


def _plan(text, sentence, by_start, best, offset, casing, pool, kept, doubtful=False):  # noqa: ANN001, ANN202
    """The open groups of a sentence and the variants that score them, or None if nothing is open
    (in a doubtful paragraph every suspicious word is open: each is evidence of its paragraph)."""
    best_at = {arc.start: arc for arc in best}
    open_positions = sorted(
        position
        for position, options in by_start.items()
        if len(options) > 1
        and (doubtful or options[0][1] < SURE)
        and any(_listed(a) and p >= FLOOR for a, p in options)
    )
    checked = [
        position
        for position, options in by_start.items()
        if CHECK_SURE
        and _listed(options[0][0])
        and options[0][1] >= SURE
        and sentence.words[position].lower in kept
        and not _near(position, options[0][0].end, open_positions, by_start)
    ]
    if not open_positions and not checked:
        return None
    offsets = _offsets(text, sentence, best, casing)
    groups, variants = [], []
    for position in sorted(checked):
        # A sure change, checked: the words as written contend against it, scored in full only if
        # their first look is not hopeless (else the lattice's decision stands).
        arc = by_start[position][0][0]
        written = next((a for a, _ in by_start[position] if a.payload is None and a.end == arc.end), None)
        if written is None:
            continue
        lo, hi = offsets[position]
        replacement = _reading_text(text, sentence, [written], casing)
        prior = EMISSION_SHARE * (written.emission - arc.emission)
        variants.append(Variant(offset + lo, offset + hi, replacement, prior))
        groups.append(((position, arc.end), (arc,), [(arc,), (written,)], by_start, False))
    for group in _groups(open_positions, by_start):
        readings = _readings(group, by_start, best_at, sentence)
        base = tuple(a for a in best if group[0] <= a.start < group[1])
        if pool is not None:
            readings += _contenders(sentence, base, readings, by_start, pool)
        lo, hi = offsets[base[0].start][0], offsets[base[-1].start][1]
        emission = sum(a.emission for a in base)
        for reading in readings:
            if reading != base:
                # The words as written are always scored in full (every change is explained against
                # them); every other reading contends, with a prior against the base's emissions.
                as_written = all(a.payload is None for a in reading)
                prior = None if as_written else EMISSION_SHARE * (sum(a.emission for a in reading) - emission)
                replacement = _reading_text(text, sentence, list(reading), casing)
                variants.append(Variant(offset + lo, offset + hi, replacement, prior))
        slot = group[1] - group[0] == 1
        if slot:  # one word open: how well could a word no table lists do there?
            variants.append(Variant(offset + lo, offset + hi, None))
        groups.append((group, base, readings, by_start, slot))
    return (groups, tuple(variants)) if variants else None


def _near(start: int, end: int, positions: list[int], by_start) -> bool:  # noqa: ANN001
    """Whether [start, end) touches a reading of an open position (then it is judged with that group)."""
    return any(p <= end and start <= max(a.end for a, _ in by_start[p]) for p in positions)


def _contenders(sentence, base, readings, by_start, pool) -> list[tuple[Arc, ...]]:  # noqa: ANN001
    """The base reading with one of its words read as another original: the lattice's that no
    reading holds there, then the pool's."""
    found = []
    for slot, arc in enumerate(base):
        if arc.end - arc.start != 1:
            continue  # a phrase's reading stays as the lattice has it
        held = {id(r[slot]) for r in readings if len(r) == len(base) and r[slot].start == arc.start}
        lattice = [a for a, _ in by_start.get(arc.start, []) if a.end == arc.end and _listed(a)]
        known = {id(a.payload) for a in lattice}
        others = [a for a in lattice if id(a) not in held]
        others += [a for a in pool(sentence, arc.start) if id(a.payload) not in known]
        found += [(*base[:slot], other, *base[slot + 1 :]) for other in others]
    return found


def _by_start(sentence) -> dict[int, list[tuple[Arc, float]]]:  # noqa: ANN001
    arcs: dict[int, list[tuple[Arc, float]]] = {}
    for arc, probability in sentence.posteriors.items():
        arcs.setdefault(arc.start, []).append((arc, probability))
    for options in arcs.values():
        options.sort(key=lambda item: -item[1])
    return arcs


def _best_arcs(sentence, by_start) -> list[Arc]:  # noqa: ANN001
    """The likeliest reading, left to right, an unlisted original read as the word written."""
    arcs, position = [], 0
    while position < len(sentence.words):
        options = [(a, p) for a, p in by_start.get(position, []) if not _unlisted(a)]
        arc = options[0][0] if options else Arc(position, position + 1, (sentence.words[position].lower,), 0.0)
        arcs.append(arc)
        position = arc.end
    return arcs


def _unlisted(arc: Arc) -> bool:
    """The lattice's "spun from an original no table lists" (its payload is the engine's marker string)."""
    return isinstance(arc.payload, str)


def _reading_text(text: str, sentence, arcs: list[Arc], casing) -> str:  # noqa: ANN001
    """The sentence's text read with `arcs` (whose spans tile it in order)."""
    words = sentence.words
    pieces, consumed = [], words[arcs[0].start].token.start
    for arc in arcs:
        first, last = words[arc.start].token, words[arc.end - 1].token
        pieces.append(text[consumed : first.start])
        if arc.payload is None:
            pieces.append(text[first.start : last.end])
        else:
            pieces.append(casing(first, arc.payload.original))
        consumed = last.end
    return "".join(pieces)


def _offsets(text, sentence, arcs, casing) -> dict[int, tuple[int, int]]:  # noqa: ANN001
    """Where each arc of the reading starts and ends in `_reading_text(...)` of that reading."""
    words = sentence.words
    spans, length, consumed = {}, 0, words[arcs[0].start].token.start
    for arc in arcs:
        first, last = words[arc.start].token, words[arc.end - 1].token
        length += first.start - consumed
        size = last.end - first.start if arc.payload is None else len(casing(first, arc.payload.original))
        spans[arc.start] = (length, length + size)
        length += size
        consumed = last.end
    return spans


def _listed(arc: Arc) -> bool:
    return arc.payload is not None and not _unlisted(arc)


def _groups(open_positions: list[int], by_start) -> list[tuple[int, int]]:  # noqa: ANN001
    """Runs of open positions whose readings touch or overlap, as [start, end) word ranges."""
    groups: list[list[int]] = []
    for position in open_positions:
        reach = max(a.end for a, _ in by_start[position])
        if groups and position <= groups[-1][1]:
            groups[-1][1] = max(groups[-1][1], reach)
        else:
            groups.append([position, reach])
    return [(a, b) for a, b in groups]


def _choices(position, by_start, best_at) -> list[Arc]:  # noqa: ANN001
    options = by_start.get(position)
    if not options:
        return [best_at[position]] if position in best_at else []
    kept = [a for a, _ in options if a.payload is None]
    listed = [a for a, p in options if _listed(a) and p >= FLOOR][:MAX_LISTED]
    return kept + listed


def _readings(group, by_start, best_at, sentence) -> list[tuple[Arc, ...]]:  # noqa: ANN001
    """Every tiling of the group's words by kept and listed readings, likeliest by the lattice first
    (MAX_READINGS of them, and the words as written always: every change is explained against them)."""
    start, end = group
    found: list[tuple[Arc, ...]] = []

    def extend(position: int, chosen: tuple[Arc, ...]) -> None:
        if position >= end:
            found.append(chosen)
            return
        choices = _choices(position, by_start, best_at)
        if not choices:
            choices = [Arc(position, position + 1, (sentence.words[position].lower,), 0.0)]
        for arc in choices:
            extend(arc.end, (*chosen, arc))

    extend(start, ())
    posterior = sentence.posteriors
    found.sort(key=lambda r: -sum(math.log(max(posterior.get(a, 1.0), 1e-12)) for a in r))
    kept = found[:MAX_READINGS]
    kept += [r for r in found[MAX_READINGS:] if all(a.payload is None for a in r)]
    return kept


def _decide_group(sentence, group, by_start, scored, name, anything=-math.inf) -> float:  # noqa: ANN001
    """Posteriors of the group's arcs from its scored readings, unlisted originals included;
    returns the words as written's share."""
    unknown_at = {
        position: next((a for a, _ in options if _unlisted(a)), None)
        for position, options in by_start.items()
        if group[0] <= position < group[1]
    }
    logits: dict[tuple[Arc, ...], float] = {}
    contexts: dict[tuple[Arc, ...], float] = {}
    for reading, (context, local) in scored.items():
        fit = CONTEXT_SHARE * context + TRIGRAM_SHARE * local
        logits[reading] = EMISSION_SHARE * sum(a.emission for a in reading) + fit
        # The same reading with one listed original replaced by "an original no table lists". Where
        # the scorer answered the open slot, it reads as the scorer's best word other than those
        # offered (to the trigram, as the best listed one); elsewhere as the best listed original.
        for slot, arc in enumerate(reading):
            unknown = unknown_at.get(arc.start)
            if unknown is None or not _listed(arc):
                continue
            key = (*reading[:slot], unknown, *reading[slot + 1 :])
            if anything > -math.inf:  # the scorer's own best word other than those offered
                unlisted = TRIGRAM_SHARE * local + CONTEXT_SHARE * ANYTHING_SHARE * anything
            else:
                unlisted = fit
            contexts[key] = max(contexts.get(key, -math.inf), unlisted)
    for key, fit in contexts.items():
        logits[key] = EMISSION_SHARE * sum(a.emission for a in key) + fit
    top = max(logits.values())
    norm = top + math.log(sum(math.exp(v - top) for v in logits.values()))
    posterior: dict[Arc, float] = {}
    for reading, value in logits.items():
        share = math.exp(value - norm)
        for arc in reading:
            posterior[arc] = posterior.get(arc, 0.0) + share
    for position in range(*group):
        for arc, _ in by_start.get(position, []):
            sentence.posteriors[arc] = posterior.get(arc, 0.0)
    for arc, share in posterior.items():  # contenders from beyond the lattice
        sentence.posteriors.setdefault(arc, share)
    # Each listed original is explained by the likeliest reading that holds it, against the
    # words as written.
    written = next((scored[r] for r in scored if all(a.payload is None for a in r)), (0.0, 0.0))
    for reading, (context, local) in sorted(scored.items(), key=lambda item: logits[item[0]]):
        for arc in reading:
            if _listed(arc):
                sentence.verdicts[arc] = Settled(name, context - written[0], local - written[1])
    return sum(math.exp(logits[r] - norm) for r in logits if all(a.payload is None for a in r))
