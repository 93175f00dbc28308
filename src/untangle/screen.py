"""A screen before the engine: clears documents that no table's evidence could make look spun.

Nearly every document of a crawl is clean, and the engine spends most of its time on clean text
learning that it is (a trigram look-up for every candidate of every word). The screen reads a
document once, with no language model: every word or phrase a built-in table lists as a spun
form has a *strength*, ln of how much likelier it is as a spinner's output than as itself, from
the tables alone (the sum over its originals of P(original) x P(spun | original), over
P(written), by unigram frequency). The document's score is the best, over a few spin rates s, of

    sum over its spun forms of ln(1 - s + s * e^strength)

a likelihood ratio of "spun at rate s" against "clean" that ignores context. Below THRESHOLD at
every rate, the document is cleared: it comes back unchanged, as the engine would return it.
A text the inferred family could read (a very common word missing) is never cleared.

Measured by bench/screen.py on every spun set of bench/quality.py and the development article:
no spun document scores below -0.87 (the lowest are phrase-rewritten ones, whose forms the
built-in tables barely list); at -1.5, 76% of our clean bytes are cleared. Per paragraph the
scores cannot separate (a spun paragraph of a low-rate spinner can have none of the forms), so
the screen judges whole documents: a spun paragraph is cleared only with its document.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from untangle.dictionary import LN10

if TYPE_CHECKING:
    from untangle.dictionary import Dictionary

THRESHOLD = -1.5  # nats: the best spin rate's likelihood ratio below which a document is cleared
RATES = (0.02, 0.05, 0.1, 0.2, 0.4)  # spin rates tried (the share of listed forms a spinner wrote)
STRONGEST = 30.0  # a strength above this counts as this much (e^30 is past any rate's doubt)
CACHE_LIMIT = 200_000  # word types whose spun forms are remembered; cleared past it (flat on a stream)
# Characters read in Python before the compiled core takes the screen over (where it is built):
# a few lines cost less than loading the core, and a cleared one-line input never loads it; a
# longer text is read in the core from its first word (each new word's rows parsed in Python
# cost a first pass more than the core's whole reading).
PYTHON_CHARS = 2_000
WORD = re.compile(r"[^\W\d_]+(?:[-'\u2019][^\W\d_]+)*")

# (a spun form's words, its strength, ln(1 - s + s e^strength) at each spin rate s of RATES),
# strongest first: the terms are worked out once per form, not once per occurrence
Forms = tuple[tuple[tuple[str, ...], float, tuple[float, ...]], ...]


class Screen:
    """Clears documents with too little evidence of spinning, for the tables of one cascade."""

    def __init__(self, tables: Sequence[Dictionary]) -> None:
        self.tables = tuple(tables)
        self._forms: dict[str, Forms] = {}
        self._python_chars = 0  # read in Python so far (PYTHON_CHARS)
        self._compiled = None  # untangle._core.Screen once it takes over (False without the core)

    def clears(self, text: str) -> bool:
        """Whether `text` cannot be spun as far as the tables can tell: leave it as it is."""
        if self._compiled is None and self._python_chars + len(text) > PYTHON_CHARS:
            self._compiled = _compiled_screen(self.tables) or False
        if self._compiled:
            read = self._compiled.score(text, self._described, THRESHOLD)
            if read is not None:  # None: a character the core does not read; Python reads it
                score, counts = read
                return score < THRESHOLD and not _infers(counts)
        self._python_chars += len(text)
        words = WORD.findall(text.lower())
        return self.score(words) < THRESHOLD and not _might_infer(words)

    def _described(self, words: list[str]) -> list[Forms]:
        return [self.forms(word) for word in words]

    def score(self, words: list[str]) -> float:
        """ln of the best spin rate's likelihood ratio, spun against clean, of these lower-case words
        (-inf when none of them is a listed spun form)."""
        found = []
        position, count = 0, len(words)
        while position < count:
            forms = self.forms(words[position])
            step = 1
            for parts, _, terms in forms:  # strongest first: the first that matches here counts
                if len(parts) == 1 or tuple(words[position : position + len(parts)]) == parts:
                    found.append(terms)
                    step = len(parts)
                    break
            position += step
        if not found:
            return -math.inf
        return max(sum(column) for column in zip(*found, strict=True))

    def forms(self, word: str) -> Forms:
        """The spun forms the tables list that begin with `word`, with their strengths."""
        found = self._forms.get(word)
        if found is None:
            by_form: dict[str, list] = {}
            for table in self.tables:
                for entry in table.starting_with(word):
                    by_form.setdefault(entry.spun, []).append(entry)
            found = tuple(
                sorted(
                    (_form(form, _strength(entries)) for form, entries in by_form.items()),
                    key=lambda item: -item[1],
                )
            )
            if len(self._forms) >= CACHE_LIMIT:
                self._forms.clear()
            self._forms[word] = found
        return found


def _form(form: str, strength: float) -> tuple[tuple[str, ...], float, tuple[float, ...]]:
    """A spun form's words, strength and likelihood-ratio term at each spin rate."""
    capped = min(strength, STRONGEST)
    return tuple(form.split(" ")), strength, tuple(math.log(1.0 - rate + rate * math.exp(capped)) for rate in RATES)


def _strength(entries: list) -> float:  # noqa: ANN001 - entries of one spun form
    """ln sum over originals of P(original) P(spun | original), over P(spun as itself)."""
    logs = [math.log(entry.prior) + entry.original_zipf * LN10 for entry in entries]
    top = max(logs)
    return top + math.log(sum(math.exp(value - top) for value in logs)) - entries[0].spun_zipf * LN10


def _might_infer(words: list[str]) -> bool:
    """Whether the inferred family (untangle.inferred) could find a very common word missing here."""
    return _infers(Counter(words))


def _infers(counts: dict[str, int]) -> bool:
    """_might_infer, from how often each word occurs."""
    from untangle.inferred import missing_common

    return bool(missing_common(Counter({word: count for word, count in counts.items() if word.isalpha()})))


def _compiled_screen(tables: Sequence[Dictionary]):  # noqa: ANN202 - untangle._core.Screen, or None
    """The core's screen (None without the core). Where every table's rows are in a sorted file or
    held whole, the core reads their forms itself, as `Screen.forms` does; else it asks `forms`."""
    from untangle.text_reader import reader

    text_reader = reader()
    if text_reader is None:
        return None
    from untangle import _core
    from untangle.dictionary import PICK_RULES

    rows = [table.compiled_rows() for table in tables]
    if any(source is None for source in rows):
        return _core.Screen(text_reader, CACHE_LIMIT)
    return _core.Screen(text_reader, CACHE_LIMIT, rows, list(RATES), STRONGEST, 1 << len(PICK_RULES))
