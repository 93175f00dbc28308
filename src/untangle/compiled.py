"""The per-document fit in the compiled core: the bridge between the engine's sentences and
untangle._core's `fit_document`.

Python keeps what needs the dictionary and the text (tokens, sentences, candidates, level keys);
the core runs preselection, EM and the joint decoding, with the interpreter released, and this
module writes its results back onto the sentences as the Python fit would have left them.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from untangle.candidates import TYPE_CACHE_LIMIT
from untangle.dictionary import Entry
from untangle.lattice import Arc
from untangle.result import TIERS  # the core numbers the tiers 0, 1, 2 in this order
from untangle.segment import ATTACHED, BARE, CAPITALISED
from untangle.spinner_model import INFLECTED

if TYPE_CHECKING:
    from untangle.candidates import Candidates
    from untangle.decoding import Sentence
    from untangle.spinner_model import SpinLevels, SubstitutionTable

# Level keys as the core numbers them: class * BANDS + band.
KEY_CLASSES = (BARE, INFLECTED, CAPITALISED, ATTACHED)
BANDS = 5
WORD_CLASSES = (BARE, CAPITALISED, ATTACHED)  # the segmenter's classes, as 0, 1, 2
WRITTEN, SWAP, UNLISTED = 0, 1, 2


def key_index(key: tuple[str, int]) -> int:
    """A level key (class, band) as the core's number."""
    return KEY_CLASSES.index(key[0]) * BANDS + key[1]


def key_of(index: int) -> tuple[str, int]:
    """The level key the core's number stands for."""
    return (KEY_CLASSES[index // BANDS], index % BANDS)


def fit_compiled(
    candidates: Candidates,
    work: list[Sentence],
    reverse_preselect: int,
    with_table: bool = True,
    decide: tuple[float, bool] | None = None,
) -> tuple[dict[int, float], float, tuple[SpinLevels, SubstitutionTable | None], list | None]:
    """Fit and decode `work` in the core; sets each sentence's level keys and posteriors, and
    returns P(paragraph spun), P(document spun) and the fitted model (the substitution table
    only `with_table`: only a context scorer's pool reads it). What the Python fit also leaves
    on a sentence for its own EM (options, evidence, shares) stays in the core.

    The core takes each sentence as (paragraph, words), a word as (lower-case form, segmenter
    class, written level key or -1, unlisted-original level key, candidates as (length, entry
    index)), and the entries as (original, spun form, prior, pick rules, original's Zipf,
    headword); it interns the strings and looks the words up in its model itself."""
    from untangle.decoding import UNKNOWN
    from untangle.spinner_model import level_key

    entries: list[Entry] = []
    entry_index: dict[int, int] = {}
    dictionary = candidates.dictionary
    known = candidates.word_keys  # (lower, class) -> (written key, its number, unlisted key number, class number)
    sentences = []
    for sentence in work:
        words = []
        keys = []
        settled = sentence.settled
        for position, (word, found) in enumerate(zip(sentence.words, sentence.candidates, strict=True)):
            lower = word.lower
            numbers = known.get((lower, word.word_class))
            if numbers is None:
                key = candidates.written_key(word)
                unlisted = key_index(level_key(word.word_class, dictionary.zipf(lower)))
                numbers = (key, -1 if key is None else key_index(key), unlisted, WORD_CLASSES.index(word.word_class))
                if len(known) >= TYPE_CACHE_LIMIT:
                    known.clear()  # a long stream's vocabulary keeps growing: memory stays flat
                known[(lower, word.word_class)] = numbers
            key, written, unlisted, word_class = numbers
            if position in settled:
                key, written = None, -1
            keys.append(key)
            offered = []
            for length, entry in found[:reverse_preselect]:
                index = entry_index.get(id(entry))
                if index is None:
                    index = entry_index[id(entry)] = len(entries)
                    entries.append(entry)
                offered.append((length, index))
            words.append((lower, word_class, written, unlisted if offered else 0, offered))
        sentence.keys = keys
        sentences.append((sentence.paragraph, words))
    known_entries = candidates.packed_entries
    packed = []
    for entry in entries:
        found = known_entries.get(id(entry))
        if found is None:
            if len(known_entries) >= TYPE_CACHE_LIMIT:
                known_entries.clear()
            headword = dictionary.is_headword(entry.original)
            row = (entry.original, entry.spun, entry.prior, entry.picks, entry.original_zipf, headword)
            found = known_entries[id(entry)] = (entry, row)  # the entry is held: its id stays its own
        packed.append(found[1])
    model = candidates.model

    def unknown_scores(words: list[str]) -> list[float]:
        return [model.logprob(word, ()) for word in words]

    decoded, paragraphs, document_spun, levels, table, decided = model.core.fit_document(
        sentences, packed, unknown_scores, with_table, model_settings(), decide
    )
    for sentence, arcs in zip(work, decoded, strict=True):
        words = sentence.words
        posteriors = {}
        for start, end, reading, e, emission, probability in arcs:
            if reading == WRITTEN:
                arc = Arc(start, end, (words[start].lower,), emission)
            else:
                entry = entries[e]
                arc = Arc(start, end, entry.original_words, emission, entry if reading == SWAP else UNKNOWN)
            posteriors[arc] = probability
        sentence.posteriors = posteriors
    suggestions = None
    if decided is not None:  # decided in the core: no arcs came back, only its suggestions
        suggestions = [(n, start, end, entries[e], p, TIERS[tier]) for n, start, end, e, p, tier in decided]
    fitted = (_levels(levels), _table(table) if table is not None else None)
    return dict(paragraphs), document_spun, fitted, suggestions


# The model's constants the compiled fit reads, by name: the Python modules stay their one home,
# read on every fit (a tuning run or a test that changes one changes the core too).
SETTINGS = (
    "PRIOR_SPIN_WEIGHT", "MIN_SPUN_LEVEL", "MIN_SPUN_BAND", "MAX_SPIN", "MAX_WORD_EVIDENCE", "LEAK", "BURSTINESS",
    "PI_PSEUDO_COUNT", "WRITTEN_PSEUDO_COUNT", "PICK_START", "PICK_PSEUDO_COUNT", "REVERSE_PRESELECT",
    "RIGHT_ALTERNATIVES", "PRESELECT", "MAX_CANDIDATES", "HOPELESS", "JOINT_FLOOR", "UNKNOWN_ORIGIN_SHARE",
    "PRIOR_DOCUMENT_SPUN", "DOCUMENT_KINDS", "EM_ITERATIONS", "NEGLIGIBLE", "LOW_RATE_SCALE",
    "LOW_RATE_MIN_ODD_TYPES", "LOW_RATE_PENALTY", "HOLD_BACK_FLOOR", "GUESS_MAX_AS_WRITTEN", "GUESS_SHARE",
    "GUESS_MAX_TYPE_AS_WRITTEN",
)  # fmt: skip


def model_settings() -> dict[str, object]:
    """The model's constants, from the modules that hold them, as `fit_document` takes them (read
    afresh each time; only which module holds each is found once)."""
    from untangle import language_model, spinner_model

    settings = {name: getattr(home, name) for name, home in _setting_homes().items()}
    settings["PRIOR_SPIN_BY_CLASS"] = [spinner_model.PRIOR_SPIN_BY_CLASS[name] for name in KEY_CLASSES]
    settings["CONTEXT_WEIGHT"] = language_model.CONTEXT_WEIGHT
    return settings


@lru_cache(maxsize=1)
def _setting_homes() -> dict[str, object]:
    """The module that holds each of SETTINGS (the first of them that has it)."""
    from untangle import candidates, decision, decoding, kinds, python_fit, spinner_model

    homes = (spinner_model, kinds, candidates, decoding, python_fit, decision)
    return {name: next(home for home in homes if hasattr(home, name)) for name in SETTINGS}


def _levels(levels: tuple[list[float], float]) -> SpinLevels:
    from untangle.spinner_model import SpinLevels

    values, scale = levels
    return SpinLevels({key_of(index): value for index, value in enumerate(values)}, scale)


def _table(table: tuple) -> SubstitutionTable:
    from untangle.spinner_model import SubstitutionTable

    rules, pairs, originals, kept, spun_words, support, written_spun = table
    return SubstitutionTable(
        {(original, spun): value for original, spun, value in pairs},
        dict(originals),
        dict(kept),
        spun_words,
        {original: dict(forms) for original, forms in support},
        {(word, WORD_CLASSES[c]): [spun, seen] for word, c, spun, seen in written_spun},
        tuple(rules),
    )
