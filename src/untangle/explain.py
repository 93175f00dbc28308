"""Why untangle changed a word, or did not: every suspicious word with its candidate originals.

For each position the dictionary has candidates for, the engine's posterior of each reading
(a listed original, an original the dictionary does not list, the word as written) times the
probability that its paragraph is spun, and the decision `fix` takes with the same settings.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from untangle.restorer import Restorer
from untangle.result import GUESS

if TYPE_CHECKING:
    from untangle.decoding import Sentence
    from untangle.families import Pass

MIN_SHOWN = 0.05  # a word is suspicious when some listed reading has at least this probability


@dataclass(frozen=True, slots=True)
class Reading:
    """One candidate original for a suspicious word."""

    original: str
    relation: str
    prior: float  # how likely a spinner turns `original` into this word, before context
    probability: float  # posterior that the author wrote `original` here
    scorer: str = "trigram"  # the context model that decided it
    # For a reading the neural scorer settled: ln P of the text read with it, against as written,
    # by each model (None otherwise).
    neural: float | None = None
    trigram: float | None = None


@dataclass(frozen=True, slots=True)
class Suspect:
    """A word (or phrase) untangle considered, its readings and what it decided."""

    start: int
    end: int
    line: int
    column: int
    word: str
    paragraph_spun: float
    readings: tuple[Reading, ...]  # best first
    unlisted: float  # posterior of "spun from an original the dictionary does not list"
    as_written: float  # posterior that the word is what the author wrote
    decision: str
    family: str = "builtin"  # the family whose fit considered it (untangle.families)
    # The level it was read at: P(a word of its class and frequency spun | its paragraph spun),
    # as fitted to this text, and which reading of the document fitted it (usual or low-rate).
    spin_level: float = 0.0
    reading: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "line": self.line,
            "column": self.column,
            "word": self.word,
            "family": self.family,
            "paragraph_spun": round(self.paragraph_spun, 4),
            "spin_level": round(self.spin_level, 4),
            "reading": self.reading,
            "readings": [
                {
                    "original": r.original,
                    "relation": r.relation,
                    "prior": r.prior,
                    "probability": round(r.probability, 4),
                    "scorer": r.scorer,
                    **(
                        {"neural": round(r.neural, 3), "trigram": round(r.trigram, 3)}
                        if r.neural is not None and r.trigram is not None
                        else {}
                    ),
                }
                for r in self.readings
            ],
            "unlisted": round(self.unlisted, 4),
            "as_written": round(self.as_written, 4),
            "decision": self.decision,
        }


def explain(text: str, restorer: Restorer | None = None, words: frozenset[str] = frozenset()) -> list[Suspect]:
    """The suspicious words of `text` (or every occurrence of `words`, lower case), in order.

    A text longer than a window (untangle.windows) is explained a window at a time, as `fix`
    restores it, so memory stays bounded on a long document."""
    from untangle.windows import window_spans

    restorer = restorer or Restorer()
    line_starts = [0] + [index + 1 for index, char in enumerate(text) if char == "\n"]
    suspects = []
    for offset, end in window_spans(text):
        for found in _explained(text[offset:end], restorer, words):
            start = found.start + offset
            line = _line_of(line_starts, start)
            suspects.append(
                replace(found, start=start, end=found.end + offset, line=line, column=start - line_starts[line - 1] + 1)
            )
    return suspects


def _explained(text: str, restorer: Restorer, words: frozenset[str]) -> list[Suspect]:
    """The suspects of one window, with offsets into it (line and column left to the caller)."""
    from untangle.pipeline import engine_for
    from untangle.policy import normalise_allowed, veto

    options = restorer.options()
    engine = engine_for(restorer.dictionaries, restorer.builtin)
    raw, passes = engine.restore_traced(text, options)
    result = veto(text, raw, normalise_allowed(restorer.allow))  # decisions exactly as fix takes them
    applied = {c.start: c for c in result.changes}
    held = {}
    for change in sorted(result.held_back, key=lambda c: c.confidence):
        held[change.start] = change  # the likeliest suggestion at each place
    suspects = []
    for one in passes:  # each family's fit read the text the families before it restored
        for sentence in one.work:
            for found in _sentence_suspects(sentence, one, words):
                start, end = one.to_input(found.start), one.to_input(found.end)
                decision = _decision(start, applied, held, found.readings, found.paragraph_spun, options.threshold)
                suspects.append(replace(found, start=start, end=end, word=text[start:end], decision=decision))
    suspects.sort(key=lambda s: s.start)
    return suspects


def _sentence_suspects(sentence: Sentence, one: Pass, words: frozenset[str]) -> list[Suspect]:
    """One family's suspects in one sentence, with offsets into the text that family read."""
    from untangle.decoding import UNKNOWN

    spun = one.spun_paragraph.get(sentence.paragraph, 0.0)
    by_start: dict[int, list] = {}
    for arc, given_spun in sentence.posteriors.items():
        by_start.setdefault(arc.start, []).append((arc, given_spun))
    found = []
    for position, arcs in sorted(by_start.items()):
        if not sentence.candidates[position]:
            continue
        readings, unlisted, end = [], 0.0, position + 1
        for arc, given_spun in arcs:
            if arc.payload is UNKNOWN:
                unlisted += spun * given_spun
            elif arc.payload is not None:
                entry = arc.payload
                verdict = sentence.verdicts.get(arc)
                scores = (verdict.scorer, verdict.context, verdict.trigram) if verdict else ("trigram", None, None)
                readings.append(Reading(entry.original, entry.relation, entry.prior, spun * given_spun, *scores))
                end = max(end, arc.end)
        readings.sort(key=lambda r: -r.probability)
        word = sentence.words[position]
        if word.lower not in words and (not readings or readings[0].probability < MIN_SHOWN):
            continue
        first, last = word.token, sentence.words[end - 1].token
        as_written = max(0.0, 1.0 - unlisted - sum(r.probability for r in readings))
        found.append(
            Suspect(
                first.start,
                last.end,
                0,
                0,
                "",
                spun,
                tuple(readings),
                unlisted,
                as_written,
                "",
                one.family,
                sentence.levels_read.get(position, 0.0),
                sentence.reading,
            )
        )
    return found


def _line_of(starts: list[int], offset: int) -> int:
    from bisect import bisect_right

    return bisect_right(starts, offset)


def _decision(start, applied, held, readings, spun, threshold) -> str:  # noqa: ANN001
    if start in applied:
        change = applied[start]
        if change.tier == GUESS:
            return (
                f"guessed {change.new!r}: p={change.confidence:.2f} is below the threshold {threshold:.2f}, but the"
                " word is unlikely as written and this is the likeliest reading"
            )
        return f"changed to {change.new!r}: p={change.confidence:.2f} reaches the threshold {threshold:.2f}"
    if readings and readings[0].probability >= threshold:
        return "kept: an allowed word, or on a line marked 'untangle: ignore'"
    if start in held:
        change = held[start]
        return f"held back: {change.new!r} at p={change.confidence:.2f} is below the threshold {threshold:.2f}"
    if spun < 0.5:
        return f"kept: its paragraph looks clean (p spun={spun:.2f})"
    best = readings[0].probability if readings else 0.0
    return f"kept: no original is likely enough (best p={best:.2f})"
