"""The compiled core's reader of characters: which characters it classes as Python does, and
how. Kept apart from untangle.compiled_text so the screen can load the core's reader without the
engine's modules (a one-shot command pays for every import)."""

from __future__ import annotations

from functools import lru_cache

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


def alphabetic_word_counts(text: str) -> dict[str, int] | None:
    """How often each alphabetic lower-case word form (str.isalpha) occurs in `text`
    (untangle.segment's words), read by the core; None where it declines the text or is not built."""
    text_reader = reader()
    return text_reader.alphabetic_word_counts(text) if text_reader is not None else None


def alphabetic_counts_of(text: str, words: list[str]) -> tuple[int, dict[str, int]] | None:
    """How many alphabetic words `text` has, and how often each of `words` occurs among them
    (as alphabetic_word_counts counts); None where the core declines the text or is not built."""
    text_reader = reader()
    return text_reader.alphabetic_counts_of(text, words) if text_reader is not None else None
