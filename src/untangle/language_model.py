"""Context scores for candidate readings: an English trigram model with a unigram fallback.

The trigram model is the one pocketsphinx ships (en-us.lm.bin, 72.5k words), read by untangle's
compiled core (`untangle._core`, memory-mapped, shared by worker processes) where it is built,
else by pocketsphinx itself: the two give the same scores. A word outside its
vocabulary (often a spun artifact such as "astatine") is scored by its wordfreq unigram
probability, floored at the smallest frequency wordfreq lists: Katz-style backoff to an
independent unigram estimate instead of a magic penalty.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from functools import lru_cache

LN_BASE = math.log(1.0001)  # pocketsphinx scores are logarithms to base 1.0001
OOV_SENTINEL = -100_000_000  # pocketsphinx returns about -5.4e8 for unknown words
MIN_ZIPF = 1.0  # wordfreq lists nothing rarer than about 1e-8 (Zipf 1)
SENTENCE_START = "<s>"
SENTENCE_END = "</s>"
CACHE_LIMIT = 300_000  # scores kept between calls (about 45 MB): enough for a long article, flat on a stream

# Weight of the language model's log-probabilities (the "language model scale" of speech
# recognisers). A trigram is overconfident about one word in a sparse context ("Russian and
# German officials" vs "... European officials"); on the development article, weighting it 0.6
# made the posteriors more honest: changes at p >= 0.7 are right 98% of the time (97% at 1.0).
CONTEXT_WEIGHT = 0.6
History = tuple[str, ...]  # most recent word first, at most two
# The trigram model was trained on speech transcripts, which spell numbers out: it knows "one" and
# not "1", and would read every numeral as a rare unknown word (so "in 1 week" looked spun for
# "in one week"). A number whose name is one word is read as that word; which of the two the
# author wrote is then the spinner model's question, not the trigram's.
_NAMES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten") + (
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
)
_TENS = ("thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
SPOKEN_NUMBERS = {str(number): name for number, name in enumerate(_NAMES)} | {
    str(tens * 10): name for tens, name in enumerate(_TENS, 3)
}


def model_file() -> str:
    """The path of pocketsphinx's en-us.lm.bin, found without importing pocketsphinx (its C
    library takes longer to load than the compiled core takes to map the model)."""
    import importlib.util

    override = os.environ.get("POCKETSPHINX_PATH")  # pocketsphinx's own setting for its models
    spec = importlib.util.find_spec("pocketsphinx")
    if not override and spec is not None and spec.submodule_search_locations:
        candidate = os.path.join(spec.submodule_search_locations[0], "model", "en-us", "en-us.lm.bin")
        if os.path.isfile(candidate):
            return candidate
    import pocketsphinx

    return pocketsphinx.get_model_path("en-us/en-us.lm.bin")


def compiled_core():  # noqa: ANN201 - the extension module, or None
    """untangle._core if it was built (UNTANGLE_PURE_PYTHON=1 asks for the Python path)."""
    if os.environ.get("UNTANGLE_PURE_PYTHON"):
        return None
    try:
        from untangle import _core
    except ImportError:
        return None
    return _core


class LanguageModel:
    """Weighted natural-log probabilities of a word after a history of up to two words."""

    def __init__(self, zipf: Callable[[str], float] | None = None, compiled: bool = True) -> None:
        path = model_file()  # the model file ships in pocketsphinx's package
        core = compiled_core() if compiled else None
        # `core` is the compiled model (None on the Python path): the fit and decoder run in it.
        self.core = core.TrigramModel(path, SPOKEN_NUMBERS) if core else None
        if self.core is None:
            import pocketsphinx

            self._model = pocketsphinx.NGramModel.readfile(path)
        else:
            self._model = self.core
        self._zipf = zipf or (lambda word: 0.0)
        self._cache: dict[tuple[str, History], float] = {}
        self._ids: dict[str, int | None] = {}

    def logprob(self, word: str, history: History) -> float:
        """CONTEXT_WEIGHT * ln P(word | history); `history` holds the previous words, most recent first."""
        key = (word, history)
        cached = self._cache.get(key)
        if cached is None:
            if self.core is None:  # the compiled model holds the spoken names as aliases
                spoken = SPOKEN_NUMBERS.get
                raw = self._model.prob([spoken(word, word), *(spoken(h, h) for h in history[:2])])
            else:
                raw = self._model.prob([word, *history[:2]])
            unknown = raw is None or raw <= OOV_SENTINEL  # the core says None, pocketsphinx a sentinel
            cached = self.unigram_logprob(word) if unknown else raw * LN_BASE
            cached *= CONTEXT_WEIGHT
            if len(self._cache) > CACHE_LIMIT:
                self._cache.clear()
            self._cache[key] = cached
        return cached

    def clear_cache(self) -> None:
        """Forget the scores kept between calls (a benchmark times a text as if it were new)."""
        self._cache.clear()

    def in_vocabulary(self, word: str) -> bool:
        """True if the trigram model knows `word`."""
        raw = self._model.prob([SPOKEN_NUMBERS.get(word, word) if self.core is None else word])
        return raw is not None and raw > OOV_SENTINEL

    def word_id(self, word: str) -> int | None:
        """The compiled model's id for `word` (None if unknown); only with the compiled core."""
        try:
            return self._ids[word]
        except KeyError:
            found = self._ids[word] = self.core.id(word)
            return found

    def unigram_logprob(self, word: str) -> float:
        """ln P(word) from its Zipf frequency (log10 per billion words), floored at Zipf 1."""
        zipf = max(self._zipf(word), MIN_ZIPF)
        return (zipf - 9.0) * math.log(10)


@lru_cache(maxsize=1)
def default_model() -> LanguageModel:
    """The shared model, loaded once per process, with zipf values from the built-in dictionary."""
    from untangle.dictionary import builtin

    return LanguageModel(builtin().zipf)
