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

from untangle.language_model import CONTEXT_WEIGHT, SENTENCE_END, SENTENCE_START, History, LanguageModel

State = History  # the last two words emitted, most recent first
BEAM = 14.0  # forward states this far (in nats) below the best at a node are dropped


class Scorer(Protocol):
    def logprob(self, word: str, history: History) -> float: ...


@dataclass(slots=True, eq=False)
class Arc:
    """A reading of positions [start, end): the words it emits and ln P(observed | reading).

    Not frozen, though nothing changes an arc once made: the decoder makes about a million per
    megabyte of spun text, and a frozen dataclass's __init__ costs four times a plain one's.
    """

    start: int
    end: int
    words: tuple[str, ...]
    emission: float
    payload: object = None  # the dictionary entry behind a swap; None for the text as written


def _logaddexp(a: float, b: float) -> float:
    if a < b:
        a, b = b, a
    if b == -math.inf:
        return a
    return a + math.log1p(math.exp(b - a))


def arc_posteriors(
    arcs_from: Sequence[Sequence[Arc]], model: Scorer, memo: dict[tuple[str, State], float] | None = None
) -> tuple[dict[Arc, float], float]:
    """Posterior probability of each arc, and ln of the total probability of the lattice.

    Arcs are grouped by start position (0..n-1); position i needs an arc from i (the word as
    written), so every position is reachable. Arcs compare by identity. `memo` caches language
    model scores between calls on the same sentence (EM decodes each sentence several times).
    A model with the compiled core decodes there; the Python below is the same algorithm.
    """
    if getattr(model, "core", None) is not None:
        return _compiled_posteriors(arcs_from, model)
    memo = {} if memo is None else memo
    model_logprob = model.logprob

    def logprob(word: str, state: State) -> float:
        key = (word, state)
        value = memo.get(key)
        if value is None:
            value = memo[key] = model_logprob(word, state)
        return value

    n = len(arcs_from)
    alpha: list[dict[State, float]] = [{} for _ in range(n + 1)]
    alpha[0][(SENTENCE_START,)] = 0.0
    steps: list[list[tuple[State, Arc, State, float]]] = [[] for _ in range(n)]
    for i in range(n):
        here = alpha[i]
        if not here:
            continue
        floor = max(here.values()) - BEAM
        for state, score in here.items():
            if score < floor:
                continue
            for arc in arcs_from[i]:
                logp = 0.0
                new_state = state
                for word in arc.words:
                    logp += logprob(word, new_state)
                    new_state = (word, new_state[0])
                steps[i].append((state, arc, new_state, logp))
                target = alpha[arc.end]
                value = score + logp + arc.emission
                old = target.get(new_state)
                target[new_state] = value if old is None else _logaddexp(old, value)
    beta: list[dict[State, float]] = [{} for _ in range(n + 1)]
    total = -math.inf
    for state, score in alpha[n].items():
        end = logprob(SENTENCE_END, state)
        beta[n][state] = end
        total = _logaddexp(total, score + end)
    posterior: dict[Arc, float] = {}
    for i in range(n - 1, -1, -1):
        acc: dict[State, float] = {}
        for state, arc, new_state, logp in steps[i]:
            after = beta[arc.end].get(new_state)
            if after is None:
                continue
            through = logp + arc.emission + after
            old = acc.get(state)
            acc[state] = through if old is None else _logaddexp(old, through)
            share = math.exp(alpha[i][state] + through - total)
            posterior[arc] = posterior.get(arc, 0.0) + share
        beta[i] = acc
    return posterior, total


def _compiled_posteriors(arcs_from: Sequence[Sequence[Arc]], model: LanguageModel) -> tuple[dict[Arc, float], float]:
    """arc_posteriors in the compiled core: words become vocabulary ids, unknown words indices
    into their (weighted unigram) scores; arcs on no surviving path are left out, as above."""
    word_id = model.word_id
    unknown: dict[str, int] = {}
    unknown_scores: list[float] = []

    def token(word: str) -> int:
        found = word_id(word)
        if found is not None:
            return found
        index = unknown.get(word)
        if index is None:
            index = unknown[word] = len(unknown_scores)
            unknown_scores.append(model.logprob(word, ()))
        return -1 - index

    packed = [[(arc.end, [token(word) for word in arc.words], arc.emission) for arc in arcs] for arcs in arcs_from]
    flat, total = model.core.arc_posteriors(packed, unknown_scores, CONTEXT_WEIGHT)
    posterior: dict[Arc, float] = {}
    shares = iter(flat)
    for arcs in arcs_from:
        for arc in arcs:
            share = next(shares)
            if share == share:  # NaN: never reached
                posterior[arc] = share
    return posterior, total
