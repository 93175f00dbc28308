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

A document the score does not clear, scoring below CONTEXT_CEILING, is read once more, in
context: each form of strength at least CONTEXT_STRENGTH whose words and originals the trigram
model knows gets, in place of its strength, ln of the sum over its originals of
P(spun | original) x how much likelier the original makes the written words around it (two
either side) than the form does (the engine's context gain, at its context weight). "Helium" in
"liquid helium" is strong evidence by frequency alone and little in context. This reading is
counted two ways, and the lesser counts: every occurrence, as the score counts them, and each
form once, with the mean of its occurrences' terms. A topic word recurs (an article about helium
says "helium" a dozen times), so its occurrences are not a dozen independent chances that a
spinner wrote it; and a spinner rewrites a word type alike wherever it rewrites it. Below
CONTEXT_THRESHOLD, the document is cleared too.

A document neither reading clears, scoring below LOOK_CEILING, is fitted after a first look: the
fit's own first pass made cheaply in the core (rust/src/first_look.rs), which also weighs every
original the author left as written, and leaves the text unfitted where no paragraph reads as
worth fitting. "Where helium collects underground" reads like a spinner's "he" here even in
context; the fit's model sees the "in", "at" and "he" left standing around it.

Measured by bench/screen.py on every spun set of bench/quality.py and the development article:
no spun document scores below -0.87 (the lowest are phrase-rewritten ones, whose forms the
built-in tables barely list); at -1.5, 76% of our clean bytes are cleared. In context no spun
document scores below -0.43 (a low-rate one, every occurrence counted) or -0.21 (a
phrase-rewritten one, each form once); at -2, 95% of the bytes of a clean sample built as
bench/speed.py builds it read as clean, against 84% with every occurrence counted alone and 55%
by the score alone. Per paragraph the scores cannot separate (a spun paragraph of a low-rate
spinner can have none of the forms), so the screen judges whole documents: a spun paragraph is
cleared only with its document.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from untangle.dictionary import LN10
from untangle.language_model import CONTEXT_WEIGHT

if TYPE_CHECKING:
    from untangle.dictionary import Dictionary
    from untangle.language_model import LanguageModel

THRESHOLD = -1.5  # nats: the best spin rate's likelihood ratio below which a document is cleared
RATES = (0.02, 0.05, 0.1, 0.2, 0.4)  # spin rates tried (the share of listed forms a spinner wrote)
STRONGEST = 30.0  # a strength above this counts as this much (e^30 is past any rate's doubt)
CONTEXT_THRESHOLD = -2.0  # nats: the same ratio, read in context, below which a document is cleared
CONTEXT_STRENGTH = 1.0  # forms at least this strong are read in context; weaker ones count as they are
CONTEXT_WORDS = 2  # written words either side of a form that its context holds
# A document scoring at least this by frequency is not read in context but fitted (LOOK_CEILING:
# spun ones score in the hundreds, and the reading is spared); below, the reading in context is far
# cheaper than the first look it may spare.
CONTEXT_CEILING = 60.0
CACHE_LIMIT = 200_000  # word types whose spun forms are remembered; cleared past it (flat on a stream)
# Characters read in Python before the compiled core takes the screen over (where it is built):
# a few lines cost less than loading the core, and a cleared one-line input never loads it; a
# longer text is read in the core from its first word (each new word's rows parsed in Python
# cost a first pass more than the core's whole reading).
PYTHON_CHARS = 2_000
WORD = re.compile(r"[^\W\d_]+(?:[-'\u2019][^\W\d_]+)*")
# A document the readings above do not clear but that scores below this by frequency is fitted
# after a first look (rust/src/first_look.rs), which leaves it unfitted where the fit's own model,
# read cheaply, finds every paragraph clean (no clean document of ours scored above 35 nats; most
# spun ones score in the hundreds and are fitted without the look).
LOOK_CEILING = 60.0
# The screen's verdicts (Screen.verdict): leave the text as it is; fit only the inferred family;
# fit every family after a first look; fit every family.
CLEARED, TABLES_CLEARED, LOOK, FIT = "cleared", "tables cleared", "look", "fit"

# (a spun form's words, its strength, ln(1 - s + s e^strength) at each spin rate s of RATES, its
# originals' words with P(spun | original)), strongest first: the terms are worked out once per
# form, not once per occurrence
Form = tuple[tuple[str, ...], float, tuple[float, ...], tuple[tuple[tuple[str, ...], float], ...]]
Forms = tuple[Form, ...]


class Screen:
    """Clears documents with too little evidence of spinning, for the tables of one cascade."""

    def __init__(self, tables: Sequence[Dictionary]) -> None:
        self.tables = tuple(tables)
        self._forms: dict[str, Forms] = {}
        self._python_chars = 0  # read in Python so far (PYTHON_CHARS)
        self._compiled = None  # untangle._core.Screen once it takes over (False without the core)

    def clears(self, text: str) -> bool:
        """Whether `text` cannot be spun as far as the tables can tell: leave it as it is."""
        return self.verdict(text) == CLEARED

    def verdict(self, text: str) -> str:
        """CLEARED: no family could find `text` spun; TABLES_CLEARED: the tables' families could
        not, but a very common word is missing, which the inferred family reads; LOOK: fit every
        family after a first look (the score is below LOOK_CEILING); FIT otherwise."""
        if self._compiled is None and self._python_chars + len(text) > PYTHON_CHARS:
            self._compiled = _compiled_screen(self.tables) or False
        if self._compiled:
            read = self._compiled.score(text, self._described, THRESHOLD, _context())
            if read is not None:  # None: a character the core does not read; Python reads it
                score, _, counts = read  # counts: given where either score clears the text
                if counts is None:
                    return LOOK if score < LOOK_CEILING else FIT
                return TABLES_CLEARED if _infers(*counts) else CLEARED
        self._python_chars += len(text)
        words = WORD.findall(text.lower())
        score = self.score(words)
        cleared = score < THRESHOLD or (score < CONTEXT_CEILING and self.score_in_context(words) < CONTEXT_THRESHOLD)
        if not cleared:
            return LOOK if score < LOOK_CEILING else FIT
        return TABLES_CLEARED if _might_infer(words) else CLEARED

    def _described(self, words: list[str]) -> list[Forms]:
        return [self.forms(word) for word in words]

    def score(self, words: list[str]) -> float:
        """ln of the best spin rate's likelihood ratio, spun against clean, of these lower-case words
        (-inf when none of them is a listed spun form)."""
        return self._best_rate(words, lambda position, form: form[2])

    def score_in_context(self, words: list[str]) -> float:
        """The score with each form of strength at least CONTEXT_STRENGTH read in context (the
        module's docstring), the lesser of two counts: every occurrence, and each form once with
        the mean of its occurrences; -inf when none of the words is a listed spun form."""
        model = _model()
        known = model.in_vocabulary

        def terms(position: int, form: Form) -> tuple[float, ...]:
            parts, strength, context_free, originals = form
            readable = all(known(w) for w in parts) and all(known(w) for o, _ in originals for w in o)
            if strength < CONTEXT_STRENGTH or not readable:
                return context_free
            end = position + len(parts)
            left = tuple(reversed(words[max(0, position - CONTEXT_WORDS) : position]))
            right = []
            for word in words[end : end + CONTEXT_WORDS]:
                if not known(word):
                    break  # what follows an unknown word reads the same after any form
                right.append(word)
            written = _window(model, left, parts, right)
            gains = [math.log(prior) + _window(model, left, o, right) - written for o, prior in originals]
            return _terms(_log_sum(gains))

        found = self._found(words, terms)
        by_form: dict[tuple[str, ...], list[tuple[float, ...]]] = {}
        for parts, read in found:
            by_form.setdefault(parts, []).append(read)
        once = [tuple(sum(column) / len(reads) for column in zip(*reads, strict=True)) for reads in by_form.values()]
        return min(_best([read for _, read in found]), _best(once))

    def _best_rate(self, words: list[str], terms: Callable[[int, Form], tuple[float, ...]]) -> float:
        """The best spin rate's sum of `terms` over the spun forms of `words` (-inf for none)."""
        return _best([read for _, read in self._found(words, terms)])

    def _found(
        self, words: list[str], terms: Callable[[int, Form], tuple[float, ...]]
    ) -> list[tuple[tuple[str, ...], tuple[float, ...]]]:
        """Each spun form of `words` with its `terms` there: at each position the strongest form
        that matches there counts, and its words are passed over."""
        found: list[tuple[tuple[str, ...], tuple[float, ...]]] = []  # (form's words, its terms here)
        position, count = 0, len(words)
        while position < count:
            step = 1
            for form in self.forms(words[position]):  # strongest first: the first that matches here counts
                parts = form[0]
                if len(parts) == 1 or tuple(words[position : position + len(parts)]) == parts:
                    found.append((parts, terms(position, form)))
                    step = len(parts)
                    break
            position += step
        return found

    def forms(self, word: str) -> Forms:
        """The spun forms the tables list that begin with `word`, with their strengths."""
        found = self._forms.get(word)
        if found is None:
            by_form: dict[str, list] = {}
            for table in self.tables:
                for entry in table.starting_with(word):
                    by_form.setdefault(entry.spun, []).append(entry)
            found = tuple(
                sorted((_form(form, entries) for form, entries in by_form.items()), key=lambda item: -item[1])
            )
            if len(self._forms) >= CACHE_LIMIT:
                self._forms.clear()
            self._forms[word] = found
        return found


def _best(rows: list[tuple[float, ...]]) -> float:
    """The best spin rate's sum of `rows`, each a term per rate (-inf for no rows)."""
    if not rows:
        return -math.inf
    return max(sum(column) for column in zip(*rows, strict=True))


def _form(form: str, entries: list) -> Form:  # noqa: ANN001 - the entries of one spun form
    """A spun form's words, strength, likelihood-ratio term at each spin rate, and originals."""
    strength = _strength(entries)
    originals = tuple((entry.original_words, entry.prior) for entry in entries)
    return tuple(form.split(" ")), strength, _terms(strength), originals


def _terms(strength: float) -> tuple[float, ...]:
    """ln(1 - s + s e^strength) at each spin rate s, the strength capped at STRONGEST."""
    capped = min(strength, STRONGEST)
    return tuple(math.log(1.0 - rate + rate * math.exp(capped)) for rate in RATES)


def _strength(entries: list) -> float:  # noqa: ANN001 - entries of one spun form
    """ln sum over originals of P(original) P(spun | original), over P(spun as itself)."""
    logs = [math.log(entry.prior) + entry.original_zipf * LN10 for entry in entries]
    return _log_sum(logs) - entries[0].spun_zipf * LN10


def _log_sum(logs: list[float]) -> float:
    """ln sum of e^value over `logs` (not empty)."""
    top = max(logs)
    return top + math.log(sum(math.exp(value - top) for value in logs))


def _window(model: LanguageModel, left: tuple[str, ...], middle: Sequence[str], right: list[str]) -> float:
    """Weighted ln P(middle, then right | left), `left` most recent first."""
    history, total = left, 0.0
    for word in (*middle, *right):
        total += model.logprob(word, history[:2])
        history = (word, *history[:1])
    return total


def _context() -> tuple:
    """How the core's screen reads forms in context: the model and the constants above."""
    return _model().core, CONTEXT_WEIGHT, CONTEXT_STRENGTH, CONTEXT_WORDS, CONTEXT_CEILING, CONTEXT_THRESHOLD


def _model() -> LanguageModel:
    from untangle.language_model import default_model

    return default_model()


def _might_infer(words: list[str]) -> bool:
    """Whether the inferred family (untangle.inferred) could find a very common word missing here."""
    alphabetic = [word for word in words if word.isalpha()]
    return _infers(len(alphabetic), Counter(alphabetic))


def _infers(alphabetic: int, counts: dict[str, int]) -> bool:
    """_might_infer, from the number of alphabetic words and how often the very common ones occur."""
    from untangle.inferred import missing_common

    return bool(missing_common(Counter(counts), alphabetic))


def _compiled_screen(tables: Sequence[Dictionary]):  # noqa: ANN202 - untangle._core.Screen, or None
    """The core's screen (None without the core). Where every table's rows are in a sorted file or
    held whole, the core reads their forms itself, as `Screen.forms` does; else it asks `forms`."""
    from untangle.text_reader import reader

    text_reader = reader()
    if text_reader is None:
        return None
    from untangle import _core
    from untangle.dictionary import PICK_RULES
    from untangle.inferred import COMMON

    rows = [table.compiled_rows() for table in tables]
    if any(source is None for source in rows):
        return _core.Screen(text_reader, CACHE_LIMIT, list(RATES), STRONGEST, counted=sorted(COMMON))
    return _core.Screen(text_reader, CACHE_LIMIT, list(RATES), STRONGEST, rows, 1 << len(PICK_RULES), sorted(COMMON))
