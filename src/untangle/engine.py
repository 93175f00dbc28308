"""The restoration engine: propose originals for suspicious words, score them in context, decide.

Model (a noisy channel, fitted per document by EM):
  P(text as written | reading) = prod over words of
      1 - lambda           for a word left as written
      lambda * pi(o -> s)  for a word s the spinner wrote in place of o
  P(reading) = trigram language model.
`lambda` is the spin level, estimated per document, per paragraph and per word class
(bare / capitalised / punctuation attached), so a clean page stays clean and a spun quote inside
it is still found. `pi(o -> s)` starts from the dictionary prior and is re-estimated over the
document: a spinner replaces a word type the same way every time, so evidence pools across
occurrences, and an original that appears untouched many times is unlikely to be spun.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from untangle.dictionary import Dictionary, Entry, builtin
from untangle.language_model import LanguageModel, default_model
from untangle.lattice import Arc, arc_posteriors
from untangle.result import Change, Result, apply_changes
from untangle.segment import BARE, Word, sentences
from untangle.tokenizer import Case, apply_case, tokenize

DEFAULT_THRESHOLD = 0.7  # posterior a change needs: precision over recall (a wrong edit is worse)
HOLD_BACK_FLOOR = 0.2  # suggestions between this and the threshold are reported, not applied
EM_ITERATIONS = 4
INITIAL_SPIN = 0.1  # starting spin level for EM; the data move it quickly
PRIOR_SPIN = 0.01  # what a document with no evidence is assumed to have
PRIOR_SPIN_WEIGHT = 5.0  # pseudo-count of eligible words behind PRIOR_SPIN
PARAGRAPH_SHRINK = 10.0  # pseudo-count pulling a paragraph's level towards its document's
PI_PSEUDO_COUNT = 1.0  # weight of the dictionary prior against a document's own evidence
MAX_CANDIDATES = 4  # candidate originals kept per position after a local pre-score
HOPELESS = -12.0  # local log-odds below which a candidate is not worth decoding
MAX_SPIN = 0.95  # a spin level of 1 would make every written word impossible
# Weight of "spun, from an original the dictionary does not list" against a listed original's
# prior. About a quarter of a spinner's swaps have no listed original; a listed candidate has to
# beat this to be applied, which keeps wrong originals for unlisted swaps out.
UNKNOWN_ORIGIN_SHARE = 0.03
UNKNOWN = "unknown-origin"


@dataclass(frozen=True, slots=True)
class Options:
    """Settings for one restoration."""

    threshold: float = DEFAULT_THRESHOLD


def zipf_bin(zipf: float) -> int:
    """Frequency band of a word: a spinner replaces common words far more often than rare ones."""
    return min(max(int(zipf) - 2, 0), 4)  # <3, 3-4, 4-5, 5-6, >=6


class _SpinLevels:
    """P(a word is spun) per word class and frequency band, scaled per paragraph."""

    def __init__(self, default: float) -> None:
        self.default = default
        self.document: dict[tuple[str, int], float] = {}
        self.paragraph_factor: dict[int, float] = {}
        self.rate = 0.0

    def of(self, word: Word, zipf: float) -> float:
        base = self.document.get((word.word_class, zipf_bin(zipf)), self.default)
        return min(base * self.paragraph_factor.get(word.paragraph, 1.0), MAX_SPIN)

    def update(self, swapped: dict[tuple[int, str, int], float], kept: dict[tuple[int, str, int], float]) -> None:
        """Re-estimate from expected counts keyed by (paragraph, class, band)."""
        by_key: dict[tuple[str, int], list[float]] = defaultdict(lambda: [0.0, 0.0])
        by_paragraph: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])
        for key in set(swapped) | set(kept):
            s, k = swapped.get(key, 0.0), kept.get(key, 0.0)
            by_key[key[1:]][0] += s
            by_key[key[1:]][1] += s + k
            by_paragraph[key[0]][0] += s
            by_paragraph[key[0]][1] += s + k
        self.document = {
            key: (s + PRIOR_SPIN_WEIGHT * PRIOR_SPIN) / (n + PRIOR_SPIN_WEIGHT) for key, (s, n) in by_key.items()
        }
        total_swapped = sum(s for s, _ in by_paragraph.values())
        total = sum(n for _, n in by_paragraph.values())
        self.rate = total_swapped / total if total else 0.0
        smoothed_rate = (total_swapped + PRIOR_SPIN_WEIGHT * PRIOR_SPIN) / (total + PRIOR_SPIN_WEIGHT)
        self.paragraph_factor = {
            paragraph: ((s + PARAGRAPH_SHRINK * smoothed_rate) / (n + PARAGRAPH_SHRINK)) / smoothed_rate
            for paragraph, (s, n) in by_paragraph.items()
        }


class _SubstitutionTable:
    """The document's own estimate of pi(o -> s): the dictionary prior updated by the evidence.

    A spinner rewrites a word type the same way throughout a text, so occurrences pool their
    evidence; each occurrence is scored leaving its own previous posterior out, so an occurrence
    cannot vouch for itself, and an original seen untouched in the text counts against it.
    """

    def __init__(
        self,
        pair_counts: dict[tuple[str, str], float] | None = None,
        original_counts: dict[str, float] | None = None,
        kept_as_written: dict[str, float] | None = None,
    ) -> None:
        self.pair_counts = pair_counts or {}
        self.original_counts = original_counts or {}
        self.kept_as_written = kept_as_written or {}

    def chance(self, entry: Entry, own_share: float) -> float:
        """pi(entry.original -> entry.spun), excluding `own_share` of evidence from this occurrence."""
        pair = self.pair_counts.get((entry.original, entry.spun), 0.0) - own_share
        total = self.original_counts.get(entry.original, 0.0) - own_share
        kept = self.kept_as_written.get(entry.original, 0.0)
        return (max(pair, 0.0) + PI_PSEUDO_COUNT * entry.prior) / (max(total, 0.0) + kept + PI_PSEUDO_COUNT)


class Restorer:
    """Restores spun text; holds the dictionary and language model so they load once."""

    def __init__(self, dictionary: Dictionary | None = None, model: LanguageModel | None = None) -> None:
        self.dictionary = dictionary if dictionary is not None else builtin()
        self._model = model

    @property
    def model(self) -> LanguageModel:
        if self._model is None:
            self._model = default_model()
        return self._model

    def restore(self, text: str, options: Options = Options()) -> Result:
        """Repair `text`; every edit is reported as a Change."""
        tokens = tokenize(text)
        groups = sentences(tokens)
        candidates = [self._candidates(words) for words in groups]
        levels = _SpinLevels(INITIAL_SPIN)
        table = _SubstitutionTable()
        posteriors: list[dict[Arc, float]] = [{} for _ in groups]
        for _ in range(EM_ITERATIONS):
            posteriors = [
                self._decode(words, options_at, levels, table, previous)
                for words, options_at, previous in zip(groups, candidates, posteriors, strict=False)
            ]
            levels, table = self._maximise(groups, posteriors)
        changes, held = self._decide(tokens, groups, posteriors, options.threshold)
        return Result(apply_changes(text, changes), tuple(changes), levels.rate, tuple(held))

    def _candidates(self, words: list[Word]) -> list[list[tuple[int, Entry]]]:
        """For each position, the (span length, entry) pairs whose spun form matches there."""
        found: list[list[tuple[int, Entry]]] = []
        for position, word in enumerate(words):
            here = []
            if word.token.text.isalpha() or "-" in word.token.text:
                for entry in self.dictionary.starting_with(word.lower):
                    length = len(entry.spun_words)
                    if length == 1 or self._phrase_matches(words, position, entry.spun_words):
                        here.append((length, entry))
            found.append(here)
        return found

    @staticmethod
    def _phrase_matches(words: list[Word], position: int, spun: tuple[str, ...]) -> bool:
        if position + len(spun) > len(words):
            return False
        for offset, part in enumerate(spun):
            word = words[position + offset]
            if word.lower != part:
                return False
            if offset < len(spun) - 1 and not word.joined_to_next:
                return False
        return True

    def _decode(
        self,
        words: list[Word],
        candidates: list[list[tuple[int, Entry]]],
        levels: _SpinLevels,
        table: _SubstitutionTable,
        previous: dict[Arc, float],
    ) -> dict[Arc, float]:
        previous_by_key = {(arc.start, arc.payload): p for arc, p in previous.items()}
        arcs_from: list[list[Arc]] = []
        zipf = self.dictionary.zipf
        for position, word in enumerate(words):
            here = candidates[position]
            stay = math.log1p(-levels.of(word, zipf(word.lower))) if self.dictionary.is_original(word.lower) else 0.0
            keep = Arc(position, position + 1, (word.lower,), stay)
            scored = []
            for length, entry in here:
                chance = table.chance(entry, previous_by_key.get((position, entry), 0.0))
                emission = math.log(levels.of(word, entry.original_zipf)) + math.log(chance)
                arc = Arc(position, position + length, tuple(entry.original.split(" ")), emission, entry)
                scored.append((self._local_gain(words, position, arc, keep), arc))
            scored.sort(key=lambda pair: -pair[0])
            arcs = [keep] + [arc for gain, arc in scored[:MAX_CANDIDATES] if gain > HOPELESS]
            if len(arcs) > 1:
                arcs.append(self._unknown_origin(arcs[1], levels.of(word, arcs[1].payload.original_zipf)))
            arcs_from.append(arcs)
        return arc_posteriors(arcs_from, self.model)

    @staticmethod
    def _unknown_origin(best: Arc, spin: float) -> Arc:
        """The reading "spun, but from an original the dictionary does not list".

        It reads like the best listed candidate (a true original fits its context well), so a
        candidate wins only where the spinner would likely have chosen this spun form for it.
        """
        return Arc(best.start, best.end, best.words, math.log(spin * UNKNOWN_ORIGIN_SHARE), UNKNOWN)

    def _local_gain(self, words: list[Word], position: int, arc: Arc, keep: Arc) -> float:
        """Log-odds of `arc` against the word as written, with the written neighbours as context."""
        left = tuple(w.lower for w in reversed(words[max(0, position - 2) : position]))
        right = [w.lower for w in words[arc.end : arc.end + 2]]
        written = tuple(w.lower for w in words[position : arc.end])
        return self._window(left, arc.words, right) + arc.emission - self._window(left, written, right) - keep.emission

    def _window(self, left: tuple[str, ...], middle: Iterable[str], right: list[str]) -> float:
        state = left or ("<s>",)
        total = 0.0
        for word in [*middle, *right]:
            total += self.model.logprob(word, state)
            state = (word, state[0])
        return total

    def _maximise(
        self, groups: list[list[Word]], posteriors: list[dict[Arc, float]]
    ) -> tuple[_SpinLevels, _SubstitutionTable]:
        """M-step: spin levels and the document's substitution table from expected counts."""
        zipf = self.dictionary.zipf
        swapped: dict[tuple[int, str, int], float] = defaultdict(float)
        kept: dict[tuple[int, str, int], float] = defaultdict(float)
        kept_as_written: dict[str, float] = defaultdict(float)
        pair_counts: dict[tuple[str, str], float] = defaultdict(float)
        original_counts: dict[str, float] = defaultdict(float)
        for words, arc_post in zip(groups, posteriors, strict=False):
            keep_share = [1.0] * len(words)
            for arc, probability in arc_post.items():
                if arc.payload is None:
                    continue
                word = words[arc.start]
                for position in range(arc.start, arc.end):
                    keep_share[position] -= probability
                if arc.payload is UNKNOWN:
                    swapped[(word.paragraph, word.word_class, zipf_bin(zipf(word.lower)))] += probability
                    continue
                entry: Entry = arc.payload  # type: ignore[assignment]
                swapped[(word.paragraph, word.word_class, zipf_bin(entry.original_zipf))] += probability
                pair_counts[(entry.original, entry.spun)] += probability
                original_counts[entry.original] += probability
            for word, share in zip(words, keep_share, strict=False):
                if self.dictionary.is_original(word.lower):
                    kept[(word.paragraph, word.word_class, zipf_bin(zipf(word.lower)))] += max(share, 0.0)
                    if word.word_class == BARE:
                        kept_as_written[word.lower] += max(share, 0.0)
        levels = _SpinLevels(PRIOR_SPIN)
        levels.update(swapped, kept)
        return levels, _SubstitutionTable(pair_counts, original_counts, kept_as_written)

    def _decide(
        self, tokens, groups: list[list[Word]], posteriors: list[dict[Arc, float]], threshold: float
    ) -> tuple[list[Change], list[Change]]:
        changes: list[Change] = []
        held: list[Change] = []
        for words, arc_post in zip(groups, posteriors, strict=False):
            for arc, probability in arc_post.items():
                if arc.payload is None or arc.payload is UNKNOWN or probability < HOLD_BACK_FLOOR:
                    continue
                entry: Entry = arc.payload  # type: ignore[assignment]
                first, last = words[arc.start].token, words[arc.end - 1].token
                source_text = "".join(t.text for t in tokens[words[arc.start].index : words[arc.end - 1].index + 1])
                change = Change(
                    first.start,
                    last.end,
                    source_text,
                    _with_case(first.case, entry.original),
                    probability,
                    _reason(entry, probability),
                    entry.relation,
                )
                (changes if probability >= threshold else held).append(change)
        changes.sort(key=lambda c: c.start)
        held.sort(key=lambda c: c.start)
        return changes, held


def _with_case(pattern: Case, original: str) -> str:
    if original == "i":
        return "I"
    return apply_case(pattern, original)


RELATION_TEXT = {
    "synonym": "a WordNet synonym of",
    "similar": "a WordNet similar-to head for",
    "hypernym": "a WordNet hypernym of",
    "curated": "a known spinner substitute for",
}


def _reason(entry: Entry, probability: float) -> str:
    link = RELATION_TEXT.get(entry.relation, f"a {entry.relation} dictionary substitute for")
    return f"'{entry.spun}' is {link} '{entry.original}'; context favours '{entry.original}' (p={probability:.2f})"


_DEFAULT_RESTORER: Restorer | None = None


def default_restorer() -> Restorer:
    """A process-wide Restorer with the built-in dictionary."""
    global _DEFAULT_RESTORER
    if _DEFAULT_RESTORER is None:
        _DEFAULT_RESTORER = Restorer()
    return _DEFAULT_RESTORER
