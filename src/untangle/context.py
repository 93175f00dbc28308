"""Context scorers: how well alternative readings of one sentence fit the text before them.

The document model (EM, spin levels, the spinner's table) fits every document with the trigram
lattice. What that leaves undecided is settled by a `ContextScorer`: given the restored text
before a sentence, the sentence as currently read, and a few variants of it (a span replaced by
another reading), it says how much more or less likely each variant is. Two implementations:
`TrigramScorer` here (the engine's own language model, for tests and as a second opinion) and
`untangle.neural.NeuralScorer` (Gemma 3 270M through llama.cpp, the optional extra).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from untangle.language_model import SENTENCE_START, LanguageModel

WORD = re.compile(r"[\w'\u2019-]+")
RIGHT_WORDS = 4  # words after a variant that can tell it apart from the reading it replaces


@dataclass(frozen=True, slots=True)
class Variant:
    """The text with `text[start:end]` read as `replacement` instead.

    A replacement of None asks what the best word there could do: ln P of the likeliest word the
    scorer knows at `start`, other than the one standing there, against the one standing there
    (a scorer that cannot search its vocabulary answers -inf).

    A variant with a `prior` (the caller's log-weight of it apart from context, in the scorer's
    units, against the text as read) is a contender: of the contenders that first differ from the
    text at the same place, a scorer may score in full only those that its prior plus a cheap
    first look ranks best, answering -inf for the others. A variant without one is always scored.
    """

    start: int
    end: int
    replacement: str | None
    prior: float | None = None


@dataclass(frozen=True, slots=True)
class Passage:
    """A sentence of the text, [start, end), and the variants of it to score."""

    start: int
    end: int
    variants: tuple[Variant, ...]


class ContextScorer(Protocol):
    """Scores variants of a text's sentences against the text as it is currently read."""

    name: str

    def score(self, text: str, passages: Sequence[Passage]) -> list[list[float]]:
        """For each passage (in text order) and each of its variants: ln P(variant) - ln P(text as
        read), each given everything before it, over the span a variant can change: its own words
        and a few after them (the rest of the text is shared)."""
        ...


class TrigramScorer:
    """The engine's weighted trigram model behind the ContextScorer interface (two words of memory)."""

    name = "trigram"

    def __init__(self, model: LanguageModel) -> None:
        self.model = model

    def score(self, text: str, passages: Sequence[Passage]) -> list[list[float]]:
        scores = []
        for passage in passages:
            history = tuple(reversed(_words(text[: passage.start])[-2:])) or (SENTENCE_START,)
            sentence = text[passage.start : passage.end]
            here = [Variant(v.start - passage.start, v.end - passage.start, v.replacement) for v in passage.variants]
            scores.append(
                [
                    -math.inf
                    if v.replacement is None
                    else self._window(history, sentence, v, v.replacement) - self._window(history, sentence, v, None)
                    for v in here
                ]
            )
        return scores

    def _window(self, history: tuple[str, ...], sentence: str, span: Variant, reading: str | None) -> float:
        """ln P of `reading` (None: the words as they stand) in the span, then of RIGHT_WORDS words after it."""
        head = _words(sentence[: span.start])
        state = (tuple(reversed(head[-2:])) + history)[:2] if head else history
        middle = _words(sentence[span.start : span.end] if reading is None else reading)
        total = 0.0
        for word in (*middle, *_words(sentence[span.end :])[:RIGHT_WORDS]):
            total += self.model.logprob(word, state)
            state = (word, state[0])
        return total


def _words(text: str) -> list[str]:
    return [w.lower().replace("\u2019", "'") for w in WORD.findall(text)]
