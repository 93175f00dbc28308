"""Joint decoding of a sentence: forward-backward over a word lattice scored by a trigram model.

Each position of a sentence holds the word as written plus any candidate originals; an arc may
span several positions (a spun phrase) and emit several words. Forward-backward gives every arc's
posterior probability, so adjacent swaps ("astatine slightest" -> "at least") are decided
together, and the posterior is the change's confidence.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from untangle.language_model import SENTENCE_END, SENTENCE_START, History

State = History  # the last two words emitted, most recent first


class Scorer(Protocol):
    def logprob(self, word: str, history: History) -> float: ...


@dataclass(frozen=True, slots=True)
class Arc:
    """A reading of positions [start, end): the words it emits and ln P(observed | reading)."""

    start: int
    end: int
    words: tuple[str, ...]
    emission: float
    payload: object = None  # the dictionary entry behind a swap; None for the text as written


def _logaddexp(a: float, b: float) -> float:
    if a == -math.inf:
        return b
    if b == -math.inf:
        return a
    if a > b:
        return a + math.log1p(math.exp(b - a))
    return b + math.log1p(math.exp(a - b))


def _advance(model: Scorer, state: State, words: tuple[str, ...]) -> tuple[State, float]:
    """Emit `words` after `state`; return the new state and the summed log probability."""
    total = 0.0
    for word in words:
        total += model.logprob(word, state)
        state = (word, state[0]) if state else (word,)
    return state, total


def arc_posteriors(arcs_from: Sequence[Sequence[Arc]], model: Scorer) -> tuple[dict[Arc, float], float]:
    """Posterior probability of each arc, and ln of the total probability of the lattice.

    Arcs are grouped by start position (0..n-1); position i needs an arc from i (the word as
    written), so every position is reachable.
    """
    n = len(arcs_from)
    start: State = (SENTENCE_START,)
    alpha: list[dict[State, float]] = [{} for _ in range(n + 1)]
    alpha[0][start] = 0.0
    steps: dict[tuple[int, State, int], tuple[State, float]] = {}
    for i in range(n):
        for state, score in alpha[i].items():
            for k, arc in enumerate(arcs_from[i]):
                new_state, logp = _advance(model, state, arc.words)
                steps[(i, state, k)] = (new_state, logp)
                target = alpha[arc.end]
                target[new_state] = _logaddexp(target.get(new_state, -math.inf), score + logp + arc.emission)
    beta: list[dict[State, float]] = [{} for _ in range(n + 1)]
    for state in alpha[n]:
        beta[n][state] = model.logprob(SENTENCE_END, state)
    total = -math.inf
    for state, score in alpha[n].items():
        total = _logaddexp(total, score + beta[n][state])
    posterior: dict[Arc, float] = {}
    for i in range(n - 1, -1, -1):
        for state in alpha[i]:
            acc = -math.inf
            for k, arc in enumerate(arcs_from[i]):
                new_state, logp = steps[(i, state, k)]
                after = beta[arc.end].get(new_state, -math.inf)
                through = logp + arc.emission + after
                acc = _logaddexp(acc, through)
                share = math.exp(alpha[i][state] + through - total) if total > -math.inf else 0.0
                posterior[arc] = posterior.get(arc, 0.0) + share
            beta[i][state] = acc
    return posterior, total
