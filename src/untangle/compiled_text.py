"""A family's whole per-document path in the compiled core: text in, suggestions out.

For a plain restoration (no context scorer, no trace) the core tokenizes and segments the text,
finds each word's candidates, fits, decodes and decides, so Python only makes the changes. The
core asks this module what the family's dictionary says of each word type the first time it
meets one and keeps the answer. It declines a text with a character outside the ranges whose
classes Python gave it (CHAR_RANGES); the engine reads that text in Python, with the same model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from untangle.candidates import TYPE_CACHE_LIMIT
from untangle.compiled import model_settings
from untangle.decision import in_order, reason, with_case
from untangle.dictionary import Entry
from untangle.result import HELD_BACK, TIERS, Change, Paragraph, Result, apply_changes
from untangle.text_reader import reader
from untangle.tokenizer import case_of

if TYPE_CHECKING:
    from untangle.dictionary import Dictionary
    from untangle.language_model import LanguageModel


class CompiledText:
    """The core's path for one family: its dictionary's word types as the core keeps them."""

    def __init__(self, dictionary: Dictionary) -> None:
        from untangle import _core

        self.dictionary = dictionary
        # The built-in table's word types are read by the core from its files; others by describe.
        # A dictionary of added rows alone (the phrase table, a user's) is asked about its own words only.
        self.family = _core.Family(
            reader(), TYPE_CACHE_LIMIT, dictionary.compiled_files(), Entry, dictionary.listed_words()
        )
        self._headwords: dict[str, bool] = {}  # an original's headword flag (many entries share one)

    def describe(self, words: list[str]) -> list[tuple]:
        """What the dictionary knows of each word type: (Zipf, is an original, is a headword,
        the entries whose spun form starts with it, as the core takes them)."""
        dictionary = self.dictionary
        headwords = self._headwords
        if len(headwords) >= TYPE_CACHE_LIMIT:
            headwords.clear()
        described = []
        for word in words:
            entries = []
            for e in dictionary.starting_with(word):
                headword = headwords.get(e.original)
                if headword is None:
                    headword = headwords[e.original] = dictionary.is_headword(e.original)
                entries.append((e.original, e.spun, e.prior, e.picks, e.original_zipf, headword, e))
            described.append(
                (dictionary.zipf(word), dictionary.is_original(word), dictionary.is_headword(word), entries)
            )
        return described

    def restore(
        self,
        model: LanguageModel,
        text: str,
        settled: tuple[tuple[int, int], ...],
        threshold: float,
        guesses: bool,
        look: bool = False,
    ) -> Result | None:
        """The family's restoration of `text`, or None if the core declines the text; with
        `look`, a text the core's first look finds clearly clean comes back unfitted."""
        restored = self._restored(model, text, settled, threshold, guesses, look)
        if restored is None:
            return None
        suggestions, paragraphs, document_spun, eligible, _ = restored
        changes: list[Change] = []
        held: list[Change] = []
        for start, end, first_end, entry, probability, tier_number in suggestions:
            tier = TIERS[tier_number]
            made = Change(
                start,
                end,
                text[start:end],
                with_case(case_of(text[start:first_end]), entry.original),
                probability,
                reason(entry, probability, None, tier),
                entry.relation,
                "trigram",
                entry.family,
                tier,
            )
            (held if tier == HELD_BACK else changes).append(made)
        changes, held = in_order(changes, held)
        spin_level = sum(c.confidence for c in changes + held) / eligible if eligible else 0.0
        return Result(
            apply_changes(text, changes),
            tuple(changes),
            spin_level,
            tuple(held),
            document_spun,
            tuple(Paragraph(start, end, spun) for _, start, end, spun in paragraphs),
        )

    def look(self, model: LanguageModel, text: str) -> tuple[float, float] | None:
        """The core's first look at `text` (for bench/screen.py): the largest P(paragraph spun)
        it reads at the usual levels and at the low rate; None where it did not look."""
        restored = self._restored(model, text, (), 0.5, True, True)
        return None if restored is None else restored[4]

    def _restored(
        self,
        model: LanguageModel,
        text: str,
        settled: tuple[tuple[int, int], ...],
        threshold: float,
        guesses: bool,
        look: bool,
    ) -> tuple | None:
        def unknown_scores(words: list[str]) -> list[float]:
            return [model.logprob(word, ()) for word in words]

        return self.family.restore(
            model.core,
            text,
            self.describe,
            list(settled),
            unknown_scores,
            model_settings(),
            (threshold, guesses),
            look,
        )
