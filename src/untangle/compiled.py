"""The per-document fit in the compiled core: the bridge between the engine's sentences and
untangle._core's `fit_document`.

Python keeps what needs the dictionary and the text (tokens, sentences, candidates, level keys);
the core runs preselection, EM and the joint decoding, with the interpreter released, and this
module writes its results back onto the sentences as the Python fit would have left them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from untangle.dictionary import Entry
from untangle.lattice import Arc
from untangle.segment import ATTACHED, BARE, CAPITALISED

if TYPE_CHECKING:
    from untangle.engine import Engine, _Sentence, _SpinLevels, _SubstitutionTable

# Level keys as the core numbers them: class * BANDS + band.
KEY_CLASSES = (BARE, "inflected", CAPITALISED, ATTACHED)
BANDS = 5
WORD_CLASSES = (BARE, CAPITALISED, ATTACHED)  # the segmenter's classes, as 0, 1, 2
WRITTEN, SWAP, UNLISTED = 0, 1, 2


def key_index(key: tuple[str, int]) -> int:
    """A level key (class, band) as the core's number."""
    return KEY_CLASSES.index(key[0]) * BANDS + key[1]


def key_of(index: int) -> tuple[str, int]:
    """The level key the core's number stands for."""
    return (KEY_CLASSES[index // BANDS], index % BANDS)


class _Interned:
    """Strings as small numbers, and words as the language model's tokens (an unknown word is
    -1 - k, its weighted unigram score the k-th of `unknown`)."""

    def __init__(self, engine: Engine) -> None:
        self.model = engine.model
        self.ids: dict[str, int] = {}
        self.strings: list[str] = []
        self.unknown: dict[str, int] = {}
        self.unknown_scores: list[float] = []

    def id(self, text: str) -> int:
        found = self.ids.get(text)
        if found is None:
            found = self.ids[text] = len(self.strings)
            self.strings.append(text)
        return found

    def token(self, word: str) -> int:
        found = self.model.word_id(word)
        if found is not None:
            return found
        index = self.unknown.get(word)
        if index is None:
            index = self.unknown[word] = len(self.unknown_scores)
            self.unknown_scores.append(self.model.logprob(word, ()))
        return -1 - index


def fit_compiled(
    engine: Engine, work: list[_Sentence], reverse_preselect: int, with_table: bool = True
) -> tuple[dict[int, float], float, tuple[_SpinLevels, _SubstitutionTable | None]]:
    """Fit and decode `work` in the core; fills each sentence's options, keys, posteriors,
    evidence and shares, and returns P(paragraph spun), P(document spun) and the fitted model
    (the substitution table only `with_table`: only a context scorer's pool reads it)."""
    from untangle.engine import UNKNOWN, level_key

    interned = _Interned(engine)
    entries: list[Entry] = []
    entry_index: dict[int, int] = {}
    dictionary = engine.dictionary
    sentences = []
    for sentence in work:
        words = []
        keys = []
        for position, word in enumerate(sentence.words):
            key = None if position in sentence.settled else engine._written_key(word)  # noqa: SLF001
            keys.append(key)
            candidates = []
            for length, entry in sentence.candidates[position][:reverse_preselect]:
                index = entry_index.get(id(entry))
                if index is None:
                    index = entry_index[id(entry)] = len(entries)
                    entries.append(entry)
                candidates.append((length, index, key_index(engine._entry_key(word, entry))))  # noqa: SLF001
            unknown_key = key_index(level_key(word.word_class, dictionary.zipf(word.lower))) if candidates else 0
            words.append(
                (
                    interned.token(word.lower),
                    interned.id(word.lower),
                    WORD_CLASSES.index(word.word_class),
                    -1 if key is None else key_index(key),
                    unknown_key,
                    candidates,
                )
            )
        sentence.keys = keys
        sentences.append((sentence.paragraph, words))
    packed_entries = [
        (
            interned.id(entry.original),
            interned.id(entry.spun),
            [interned.token(word) for word in entry.original_words],
            entry.prior,
            entry.picks,
            entry.original_zipf,
        )
        for entry in entries
    ]
    decoded, paragraphs, document_spun, levels, table = engine.model.core.fit_document(
        sentences, packed_entries, interned.unknown_scores, with_table, model_settings()
    )
    for sentence, (choices, arcs, evidence, spun_share, weight) in zip(work, decoded, strict=True):
        words = sentence.words
        if choices is not None:
            sentence.options = [
                [(gain, length, entries[e], entries[e].original_words, key_of(key)) for gain, length, e, key in here]
                for here in choices
            ]
        posteriors = {}
        for start, end, reading, e, emission, probability in arcs:
            if reading == WRITTEN:
                arc = Arc(start, end, (words[start].lower,), emission)
            else:
                entry = entries[e]
                arc = Arc(start, end, entry.original_words, emission, entry if reading == SWAP else UNKNOWN)
            posteriors[arc] = probability
        sentence.posteriors = posteriors
        sentence.evidence = [(word.lower, value) for word, value in zip(words, evidence, strict=True)]
        sentence.spun_share = spun_share
        sentence.weight = weight
    fitted_table = _table(table, interned.strings) if table is not None else None
    return dict(paragraphs), document_spun, (_levels(levels), fitted_table)


# The constants of untangle.engine the compiled fit reads, by name: the Python module stays their
# one home, read on every fit (a tuning run or a test that changes one changes the core too).
SETTINGS = (
    "PRIOR_SPIN_WEIGHT", "MIN_SPUN_LEVEL", "MIN_SPUN_BAND", "MAX_SPIN", "MAX_WORD_EVIDENCE", "LEAK", "BURSTINESS",
    "PI_PSEUDO_COUNT", "WRITTEN_PSEUDO_COUNT", "PICK_START", "PICK_PSEUDO_COUNT", "REVERSE_PRESELECT",
    "RIGHT_ALTERNATIVES", "PRESELECT", "MAX_CANDIDATES", "HOPELESS", "JOINT_FLOOR", "UNKNOWN_ORIGIN_SHARE",
    "PRIOR_DOCUMENT_SPUN", "DOCUMENT_KINDS", "EM_ITERATIONS", "NEGLIGIBLE", "LOW_RATE_SCALE",
    "LOW_RATE_MIN_ODD_TYPES", "LOW_RATE_PENALTY",
)  # fmt: skip


def model_settings() -> dict[str, object]:
    """The engine's constants as the core's `fit_document` takes them."""
    import untangle.engine as engine
    import untangle.language_model as language_model

    settings: dict[str, object] = {name: getattr(engine, name) for name in SETTINGS}
    settings["PRIOR_SPIN_BY_CLASS"] = [engine.PRIOR_SPIN_BY_CLASS[name] for name in KEY_CLASSES]
    settings["CONTEXT_WEIGHT"] = language_model.CONTEXT_WEIGHT
    return settings


def _levels(levels: tuple[list[float], float]) -> _SpinLevels:
    from untangle.engine import _SpinLevels

    values, scale = levels
    return _SpinLevels({key_of(index): value for index, value in enumerate(values)}, scale)


def _table(table: tuple, strings: list[str]) -> _SubstitutionTable:
    from untangle.engine import _SubstitutionTable

    rules, pairs, originals, kept, spun_words, support, written_spun = table
    return _SubstitutionTable(
        {(strings[o], strings[s]): v for o, s, v in pairs},
        {strings[o]: v for o, v in originals},
        {strings[w]: v for w, v in kept},
        spun_words,
        {strings[o]: {strings[s]: v for s, v in forms} for o, forms in support},
        {(strings[w], WORD_CLASSES[c]): [spun, seen] for w, c, spun, seen in written_spun},
        tuple(rules),
    )
