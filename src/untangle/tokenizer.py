"""Lossless tokenizer: splits text into words, spaces and punctuation with exact offsets.

Joining the tokens' text always gives back the input, byte for byte, so a repair only ever
touches the words it changes. URLs and e-mail addresses are single tokens that are never edited.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import NamedTuple


class Kind(str, Enum):
    """What a token is; only WORD tokens are candidates for repair."""

    WORD = "word"
    NUMBER = "number"
    SPACE = "space"
    PUNCT = "punct"
    URL = "url"
    EMAIL = "email"


class Case(str, Enum):
    """The case pattern of a word, used to carry case from a spun word to its original."""

    LOWER = "lower"  # helium
    TITLE = "title"  # Helium
    UPPER = "upper"  # HELIUM
    MIXED = "mixed"  # iPhone, McDonald
    NONE = "none"  # no cased letters (digits, CJK)


_APOSTROPHES = "'\u2019"
_WORD_BODY = r"[^\W\d_]+"
_PATTERN = re.compile(
    r"(?P<url>(?:https?://|ftp://|www\.)[^\s<>\"'\u201c\u201d\u2018\u2019]+"
    r"(?<![.,;:!?)\]}]))"
    r"|(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
    r"|(?P<number>\d+(?:[.,:/]\d+)*(?:[^\W\d_]+)?)"
    rf"|(?P<word>{_WORD_BODY}(?:[{_APOSTROPHES}\-]{_WORD_BODY}|\d+)*)"
    r"|(?P<space>\s+)"
    r"|(?P<punct>[\s\S])",
)


class Token(NamedTuple):
    """A slice of the input: `text == source[start:end]`. (A named tuple: a text of a megabyte
    has about 400,000 tokens, and a tuple is built several times faster than a frozen dataclass.)"""

    text: str
    start: int
    end: int
    kind: Kind

    @property
    def case(self) -> Case:
        """The case pattern of this token's letters."""
        return case_of(self.text)


_KINDS = {kind.value: kind for kind in Kind}  # a dict look-up: calling Kind(...) per token costs more than the match


def tokenize(text: str) -> list[Token]:
    """Split `text` into tokens that cover it exactly, in order, with no gaps."""
    kinds = _KINDS
    return [
        Token(match.group(), match.start(), match.end(), kinds[match.lastgroup]) for match in _PATTERN.finditer(text)
    ]


def case_of(word: str) -> Case:
    """Classify the case pattern of `word` (letters only count)."""
    if word.isalpha() and word.islower():  # most words: every letter cased and lower
        return Case.LOWER
    letters = [c for c in word if c.isalpha() and (c.islower() or c.isupper())]
    if not letters:
        return Case.NONE
    if all(c.islower() for c in letters):
        return Case.LOWER
    if all(c.isupper() for c in letters):
        return Case.TITLE if len(letters) == 1 else Case.UPPER
    if letters[0].isupper() and all(c.islower() for c in letters[1:]):
        return Case.TITLE
    return Case.MIXED


def apply_case(pattern: Case, word: str) -> str:
    """Give `word` (lower case) the case pattern of the word it replaces.

    "Helium" -> "He", "ASTATINE" -> "AT"; a mixed or uncased original keeps `word` as is.
    """
    if pattern is Case.UPPER:
        return word.upper()
    if pattern is Case.TITLE:
        return word[:1].upper() + word[1:]
    return word
