"""A family's whole per-document path in the compiled core: text in, suggestions out.

For a plain restoration (no context scorer, no trace) the core tokenizes and segments the text,
finds each word's candidates, fits, decodes and decides, so Python only makes the changes. The
core asks this module what the family's dictionary says of each word type the first time it
meets one and keeps the answer. It declines a text with a character outside the ranges whose
classes Python gave it (CHAR_RANGES); the engine reads that text in Python, with the same model.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from untangle.candidates import TYPE_CACHE_LIMIT
from untangle.compiled import model_settings
from untangle.decision import in_order, reason, with_case
from untangle.result import HELD_BACK, TIERS, Change, Paragraph, Result, apply_changes
from untangle.tokenizer import case_of

if TYPE_CHECKING:
    from untangle.dictionary import Dictionary
    from untangle.language_model import LanguageModel

# Characters the core classes as Python does: ASCII and the Latin letters, general punctuation
# (curly quotes, dashes, the ellipsis), superscripts, currency and letter-like symbols, the BOM.
CHAR_RANGES = ((0x0000, 0x0250), (0x2000, 0x2200), (0xFEFF, 0xFF00))
# The core's character flags (rust/src/tokenize.rs): re's [^\W\d_], \d, \w and \s, then
# str.isalpha, islower and isupper; DECLINE marks a character whose lower case is not one character.
LETTER, DIGIT, WORD, SPACE, ALPHA, LOWER, UPPER, DECLINE = (1 << bit for bit in range(8))


def char_table() -> list[tuple[int, list[int], str]]:
    """CHAR_RANGES as the core takes them: (first code point, flags, lower-case forms), from
    Python's own classes (re's follow str's methods). Built method by method over each range: it
    runs in every process that reads a text, start-up included."""
    table = []
    for first, end in CHAR_RANGES:
        chars = [chr(code) for code in range(first, end)]
        lowers = [c.lower() for c in chars]
        columns = (
            [LETTER if c.isalnum() and not c.isdecimal() else 0 for c in chars],
            [DIGIT if c.isdecimal() else 0 for c in chars],
            [WORD if c.isalnum() or c == "_" else 0 for c in chars],
            [SPACE if c.isspace() else 0 for c in chars],
            [ALPHA if c.isalpha() else 0 for c in chars],
            [LOWER if c.islower() else 0 for c in chars],
            [UPPER if c.isupper() else 0 for c in chars],
            [DECLINE if len(lower) != 1 else 0 for lower in lowers],
        )
        flags = [sum(bits) for bits in zip(*columns, strict=True)]
        single = "".join(lower if len(lower) == 1 else c for c, lower in zip(chars, lowers, strict=True))
        table.append((first, flags, single))
    return table


@lru_cache(maxsize=1)
def reader():  # noqa: ANN201 - untangle._core.TextReader, or None without the core
    """The core's reader of CHAR_RANGES (built once), or None where the core is not built."""
    from untangle.language_model import compiled_core

    core = compiled_core()
    return core.TextReader(char_table()) if core is not None else None


def word_counts(text: str) -> dict[str, int] | None:
    """How often each lower-case word form occurs in `text` (untangle.segment's words), read by
    the core; None where it declines the text or is not built."""
    text_reader = reader()
    return text_reader.word_counts(text) if text_reader is not None else None


class CompiledText:
    """The core's path for one family: its dictionary's word types as the core keeps them."""

    def __init__(self, dictionary: Dictionary) -> None:
        from untangle import _core

        self.dictionary = dictionary
        self.family = _core.Family(reader(), TYPE_CACHE_LIMIT)
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
    ) -> Result | None:
        """The family's restoration of `text`, or None if the core declines the text."""

        def unknown_scores(words: list[str]) -> list[float]:
            return [model.logprob(word, ()) for word in words]

        restored = self.family.restore(
            model.core, text, self.describe, list(settled), unknown_scores, model_settings(), (threshold, guesses)
        )
        if restored is None:
            return None
        suggestions, paragraphs, document_spun, eligible = restored
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
