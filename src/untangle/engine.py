"""The restoration engine: propose originals for suspicious words, score them in context, decide.

Model: a noisy channel with a per-paragraph switch, fitted to each document by EM.
  A paragraph is either clean (every word is as the author wrote it) or spun. If spun,
  P(text as written | reading) = prod over words of
      1 - lambda            for a word left as written
      lambda * pi(o -> s)   for a word s the spinner wrote in place of o
  and P(reading) comes from a trigram language model.
`lambda` (the spin level) is estimated per word class (bare, capitalised, punctuation
attached) and frequency band, because spinners treat those differently. `pi(o -> s)` starts
from the dictionary prior and pools evidence over the document: a spinner rewrites a word type
the same way every time. Whether a paragraph is spun at all is decided by the Bayes factor of
the spun reading against the text as written, so a clean page with one odd "Helium is" stays
clean and a spun quote inside a clean page is still found. Forward-backward over each sentence
gives every candidate's posterior, which is its confidence.

The stages are modules of their own: untangle.candidates (what each position offers),
untangle.spinner_model (spin levels, substitution table), untangle.decoding (lattices and their
posteriors), untangle.kinds (which paragraphs are spun), the fit (untangle.compiled, the Rust
core, or untangle.python_fit) and untangle.decision (changes, guesses, held back). The Engine
below runs them for one family; untangle.pipeline builds the families of a run.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass
from typing import TYPE_CHECKING

from untangle.candidates import REVERSE_PRESELECT, Candidates
from untangle.decision import DEFAULT_THRESHOLD, decide, from_suggestions, with_case_of
from untangle.decoding import Sentence, pool
from untangle.dictionary import BUILTIN, Dictionary, Entry, builtin
from untangle.language_model import LanguageModel, default_model
from untangle.lattice import Arc
from untangle.python_fit import fit, leave_out
from untangle.result import Paragraph, Result, apply_changes
from untangle.segment import segmented
from untangle.spinner_model import SpinLevels, SubstitutionTable, level_key

if TYPE_CHECKING:
    from untangle.compiled_text import CompiledText
    from untangle.context import ContextScorer
    from untangle.tokenizer import Token


@dataclass(frozen=True, slots=True)
class Options:
    """Settings for one restoration."""

    threshold: float = DEFAULT_THRESHOLD
    # A wider context scorer (untangle.neural.NeuralScorer) that settles what the trigram fit
    # leaves open; None decides with the trigram lattice alone.
    context: ContextScorer | None = None
    # Spans of the text (start, end) that an earlier family of the cascade restored
    # (untangle.families): they are that family's swaps, not evidence of what this family's
    # spinner leaves alone.
    settled: tuple[tuple[int, int], ...] = ()
    # Whether a cascade with a screen (untangle.screen) may return a document it clears unchanged
    # without fitting it; --no-screen turns it off.
    screen: bool = True
    # Whether the compiled core takes a cheap first look before the fit and leaves a text it
    # finds clearly clean unfitted (rust/src/first_look.rs); the screen asks for it where it
    # found too little evidence to fit for, but too much to clear the text on its own.
    look: bool = False
    # Whether a likeliest reading below the threshold is applied as a guess where the word as
    # written is unlikely (Change.tier "guess"); --no-guesses keeps only sure changes.
    guesses: bool = True


class Engine:
    """Restores spun text for one family; holds the dictionary and language model so they load once."""

    def __init__(
        self, dictionary: Dictionary | None = None, model: LanguageModel | None = None, family: str = BUILTIN
    ) -> None:
        self.dictionary = dictionary if dictionary is not None else builtin()
        self.family = family  # the name its changes carry (untangle.families)
        self._model = model
        self.candidates = Candidates(self.dictionary, lambda: self.model)
        self._compiled_text: CompiledText | None = None

    @property
    def model(self) -> LanguageModel:
        if self._model is None:
            self._model = default_model()
        return self._model

    @property
    def compiled_text(self) -> CompiledText:
        """The core's whole path for this family (its word types kept between texts)."""
        if self._compiled_text is None:
            from untangle.compiled_text import CompiledText

            self._compiled_text = CompiledText(self.dictionary)
        return self._compiled_text

    def restore(self, text: str, options: Options = Options()) -> Result:
        """Repair `text`; every edit is reported as a Change."""
        return self._run(text, options, trace=False)[0]

    def restore_traced(
        self, text: str, options: Options = Options()
    ) -> tuple[Result, list[Sentence], dict[int, float]]:
        """The result, and the decoded document behind it for `untangle explain`: the sentences
        with every reading's posterior (given a spun paragraph) and each paragraph's P(spun)."""
        return self._run(text, options, trace=True)

    def _run(self, text: str, options: Options, trace: bool) -> tuple[Result, list[Sentence], dict[int, float]]:
        # The decoder allocates millions of short-lived objects but creates no reference cycles;
        # with the dictionary's many long-lived objects in memory, the cyclic collector would
        # spend a third of the run re-scanning them. Without a trace, the decoded document is
        # freed before the collector is back on, so it never has them to scan.
        collecting = gc.isenabled()
        gc.disable()
        try:
            result, work, spun_paragraph = self._restore(text, options, trace)
            if not trace:
                work = []
        finally:
            if collecting:
                gc.enable()
        return result, work, spun_paragraph

    def _restore(
        self, text: str, options: Options, trace: bool = False
    ) -> tuple[Result, list[Sentence], dict[int, float]]:
        # Without a trace or a context scorer nothing reads the posteriors after the decision,
        # so the compiled core takes the decision too and sends back only its suggestions.
        plain = options.context is None and not trace
        if plain and self.model.core is not None:
            restored = self.compiled_text.restore(
                self.model, text, options.settled, options.threshold, options.guesses, options.look
            )
            if restored is not None:
                return restored, [], {}
        tokens, work, spun_paragraph, document_spun, fitted, suggestions = self._fit(
            text,
            options.settled,
            with_table=options.context is not None,
            decide=(options.threshold, options.guesses) if plain else None,
        )
        if trace:
            self._trace_levels(work, fitted[0])
        if options.context is not None:
            from untangle.context import TrigramScorer  # the neural tier's: not loaded without it
            from untangle.settle import settle

            levels, table = fitted

            def pooled(sentence: Sentence, position: int) -> list[Arc]:
                return pool(self.candidates, sentence, position, levels, table)

            settle(text, work, spun_paragraph, options.context, TrigramScorer(self.model), with_case_of, pooled)
        if suggestions is not None:
            changes, held = from_suggestions(tokens, work, suggestions)
        else:
            changes, held = decide(tokens, work, spun_paragraph, options.threshold, options.guesses)
        eligible = sum(1 for s in work for c in s.candidates if c)
        spin_level = sum(c.confidence for c in changes + held) / eligible if eligible else 0.0
        result = Result(
            apply_changes(text, changes),
            tuple(changes),
            spin_level,
            tuple(held),
            document_spun,
            self._paragraphs(work, spun_paragraph),
        )
        return result, work, spun_paragraph

    def _fit(
        self,
        text: str,
        settled: tuple[tuple[int, int], ...] = (),
        with_table: bool = True,
        decide: tuple[float, bool] | None = None,
    ) -> tuple[
        list[Token], list[Sentence], dict[int, float], float, tuple[SpinLevels, SubstitutionTable | None], list | None
    ]:
        """Tokenize, find each position's candidates, then fit the document's parameters by EM and
        decode every sentence (in the compiled core where it is built); also returns the fitted
        spin levels and substitution table (the compiled fit leaves the table out unless
        `with_table`), and, when the core also took the decision (`decide`: threshold and
        guesses), its suggestions in place of the sentences' posteriors (else None)."""
        tokens, split = segmented(text)
        work = [Sentence(words, self.candidates.find(words)) for words in split]
        if not any(found for sentence in work for found in sentence.candidates):
            nothing = (SpinLevels(), SubstitutionTable())
            return tokens, work, {}, 0.0, nothing, None  # nothing this table could have written: clean, at no cost
        if settled:
            leave_out(work, settled)
        if self.model.core is not None:  # the same fit, compiled (untangle.compiled, rust/src/fit.rs)
            from untangle.compiled import fit_compiled

            spun_paragraph, document_spun, fitted, suggestions = fit_compiled(
                self.candidates, work, REVERSE_PRESELECT, with_table, decide
            )
            return tokens, work, spun_paragraph, document_spun, fitted, suggestions
        spun_paragraph, document_spun, fitted = fit(self.candidates, work)
        return tokens, work, spun_paragraph, document_spun, fitted, None

    def _trace_levels(self, work: list[Sentence], levels: SpinLevels) -> None:
        """Record the level each considered word was read at, for `untangle explain`."""
        reading = "usual levels" if levels.scale == 1.0 else "low-rate levels"
        for sentence in work:
            sentence.reading = reading
            likeliest: dict[int, tuple[float, Arc]] = {}
            for arc, p in sentence.posteriors.items():
                if arc.start not in likeliest or p > likeliest[arc.start][0]:
                    likeliest[arc.start] = (p, arc)
            for position, word in enumerate(sentence.words):
                if not sentence.candidates[position] or position not in likeliest:
                    continue
                best = likeliest[position][1]
                if isinstance(best.payload, Entry):
                    key = self.candidates.entry_key(word, best.payload)
                else:
                    key = sentence.keys[position] if sentence.keys else None
                    key = key or level_key(word.word_class, self.dictionary.zipf(word.lower))
                sentence.levels_read[position] = levels.at(key)

    @staticmethod
    def _paragraphs(work: list[Sentence], spun_paragraph: dict[int, float]) -> tuple[Paragraph, ...]:
        spans: dict[int, list[int]] = {}
        for sentence in work:
            span = spans.setdefault(sentence.paragraph, [sentence.words[0].token.start, 0])
            span[1] = sentence.words[-1].token.end
        return tuple(
            Paragraph(start, end, spun_paragraph.get(number, 0.0)) for number, (start, end) in sorted(spans.items())
        )
