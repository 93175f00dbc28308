"""Candidates: which originals each position of a sentence offers (the dictionary's entries whose
spun form stands there), the level key each would be read at, and the few worth decoding,
ranked once by the trigram model between the written neighbours.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from untangle.dictionary import Dictionary, Entry
from untangle.language_model import LanguageModel
from untangle.segment import Word
from untangle.spinner_model import level_key

if TYPE_CHECKING:
    from untangle.decoding import Sentence

# Originals per spun word worth a language model look-up, by reverse prior. 8 reads the harness
# sets as well as 12 did (dev 0.749 / 0.973 at 0.7 either way) with a quarter fewer queries.
REVERSE_PRESELECT = 8
RIGHT_ALTERNATIVES = 2  # restored readings of the next word tried as right context
PRESELECT = 6  # candidates per position scored by the language model in the lattice at most


# Word types (or entries) whose look-ups a Candidates keeps between documents, in each of its
# caches: find()'s entries here, the compiled fit's level keys and packed entries.
TYPE_CACHE_LIMIT = 200_000


class Candidates:
    """The candidate finder of one family: its dictionary, and the language model it ranks with
    (asked for only when needed: a text with no candidates never loads it)."""

    def __init__(self, dictionary: Dictionary, model: Callable[[], LanguageModel]) -> None:
        self.dictionary = dictionary
        self._model = model
        self._entry_keys: dict[tuple[str, int], tuple[Entry, tuple[str, int]]] = {}  # by word class, id(entry)
        # A word type's level keys as the compiled fit numbers them, by (lower, class): written
        # once per type for the life of the process (untangle.compiled).
        self.word_keys: dict[tuple[str, str], tuple] = {}
        # An entry as the compiled fit takes it, by id(entry) (the entry held beside it).
        self.packed_entries: dict[int, tuple[Entry, tuple]] = {}
        # A type's one-word entries, and all its entries when it also starts a phrase (find()).
        self._forms: dict[str, tuple[list[tuple[int, Entry]], list[Entry] | None]] = {}

    @property
    def model(self) -> LanguageModel:
        return self._model()

    def find(self, words: list[Word]) -> list[list[tuple[int, Entry]]]:
        """For each position, the (span length, entry) pairs whose spun form matches there, in the
        dictionary's order. A type's one-word entries are listed once per process (bounded); only
        a type that also starts phrases is matched entry by entry."""
        found: list[list[tuple[int, Entry]]] = []
        forms = self._forms
        for position, word in enumerate(words):
            text = word.token.text
            if not (text.isalpha() or "-" in text or (text.isdigit() and text.isascii())):  # "1" for "one"
                found.append([])
                continue
            listed = forms.get(word.lower)
            if listed is None:
                if len(forms) >= TYPE_CACHE_LIMIT:
                    forms.clear()
                entries = self.dictionary.starting_with(word.lower)
                singles = [(1, entry) for entry in entries if " " not in entry.spun]
                listed = forms[word.lower] = (singles, entries if len(singles) < len(entries) else None)
            singles, mixed = listed
            if mixed is None:
                found.append(list(singles))
                continue
            here = []
            for entry in mixed:
                if " " not in entry.spun:
                    here.append((1, entry))
                elif phrase_matches(words, position, entry.spun_words):
                    here.append((len(entry.spun_words), entry))
            found.append(here)
        return found

    def written_key(self, word: Word) -> tuple[str, int] | None:
        """The level key of a word left as written, or None if no entry restores to it."""
        lower = word.lower
        if not self.dictionary.is_original(lower):
            return None
        return level_key(word.word_class, self.dictionary.zipf(lower), self.dictionary.is_headword(lower))

    def entry_key(self, word: Word, entry: Entry) -> tuple[str, int]:
        """The level key of `entry`'s original, written where `word` stands (cached: the decoder
        asks for it for every candidate of every position)."""
        cached = self._entry_keys.get((word.word_class, id(entry)))
        if cached is None:
            key = level_key(word.word_class, entry.original_zipf, self.dictionary.is_headword(entry.original))
            # The entry is held with its key so that its id cannot be reused by another entry.
            cached = self._entry_keys[(word.word_class, id(entry))] = (entry, key)
        return cached[1]

    def preselect(self, sentence: Sentence) -> list[list[tuple]]:
        """Per position, the candidates worth decoding, with their context gain over the written word.

        The gain (how much better the candidate reads than the written word between the written
        neighbours) does not change between EM iterations, so it is computed once; candidates
        whose gain plus prior is hopeless are dropped here. Before any language model call, a
        spun word's originals are ranked by P(original) * P(spun | original) and only the likeliest
        are scored: a word such as "on" is a WordNet relative of dozens of rarer words.
        """
        words = sentence.words
        lowered = [w.lower for w in words]
        # The dictionary lists a word's originals likeliest first (P(original) * P(spun | original)).
        ranked = [candidates[:REVERSE_PRESELECT] for candidates in sentence.candidates]
        options = []
        for position, candidates in enumerate(ranked):
            here = []
            left = tuple(reversed(lowered[max(0, position - 2) : position]))
            written: dict[int, float] = {}
            rights: dict[int, list[list[str]]] = {}
            for length, entry in candidates:
                if length not in rights:
                    rights[length] = right_contexts(lowered, ranked, position + length)
                    written[length] = self.best_window(left, lowered[position : position + length], rights[length])
                original_words = entry.original_words
                fit = self.best_window(left, original_words, rights[length])
                key = self.entry_key(words[position], entry)
                here.append((fit - written[length], length, entry, original_words, key))
            here.sort(key=lambda item: -(item[0] + math.log(item[2].prior)))
            options.append(here[:PRESELECT])
        return options

    def best_window(self, left: tuple[str, ...], middle: Iterable[str], rights: list[list[str]]) -> float:
        """ln P of `middle` after `left`, followed by the likeliest of the right contexts."""
        logprob = self.model.logprob
        state = left or ("<s>",)
        total = 0.0
        for word in middle:
            total += logprob(word, state)
            state = (word, state[0])
        best = -math.inf
        for right in rights:
            after, here = 0.0, state
            for word in right:
                after += logprob(word, here)
                here = (word, here[0])
            if after > best:
                best = after
        return total + best


def phrase_matches(words: list[Word], position: int, spun: tuple[str, ...]) -> bool:
    if position + len(spun) > len(words):
        return False
    for offset, part in enumerate(spun):
        word = words[position + offset]
        if word.lower != part:
            return False
        if offset < len(spun) - 1 and not word.joined_to_next:
            return False
    return True


def right_contexts(lowered: list[str], ranked: list[list[tuple[int, Entry]]], start: int) -> list[list[str]]:
    """The written right neighbours, and readings where the next word is itself restored.

    Adjacent swaps ("quality league" -> "news conference") must be judged together: "news"
    only fits once "league" is read as "conference".
    """
    contexts = [lowered[start : start + 2]]
    if start < len(lowered):
        for length, entry in ranked[start][:RIGHT_ALTERNATIVES]:
            if length == 1:
                contexts.append([*entry.original_words, *lowered[start + 1 : start + 2]])
    return contexts
