"""Split a token stream into sentences of words, the units the language model scores.

Punctuation is not a word for the model, but it matters as evidence: some spinners leave a word
alone when punctuation is attached to it, or when it is capitalised, so each word records its
class ("bare", "capitalised", "attached") and its paragraph.
"""

from __future__ import annotations

import re
import threading
from typing import NamedTuple

from untangle.tokenizer import Case, Kind, Token, case_of, tokenize

SENTENCE_END_MARKS = frozenset(".!?…")
ABBREVIATION_MAX_LEN = 3  # "Mr.", "Gen.", "U.S." do not end a sentence
BARE, CAPITALISED, ATTACHED = "bare", "capitalised", "attached"
WRAPS = frozenset({"\n", "\r\n", "\r", " \n", " \r\n"})  # a line wrapped at the margin, read as one space
UPPER_CASES = (Case.TITLE, Case.UPPER, Case.MIXED)  # a word of these cases is "capitalised"
APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'"})


class Word(NamedTuple):
    """A word token inside a sentence (a named tuple, built once per word of every text)."""

    index: int  # index of the token in the token list
    token: Token
    lower: str  # the form looked up in the dictionary and given to the language model
    word_class: str  # BARE, CAPITALISED or ATTACHED
    paragraph: int
    joined_to_next: bool  # only a single plain space separates it from the next word


def _is_abbreviation(token: Token) -> bool:
    return token.kind is Kind.WORD and token.case is not Case.LOWER and len(token.text) <= ABBREVIATION_MAX_LEN


def _line_breaks(text: str) -> int:
    return text.count("\n") + text.count("\r") - text.count("\r\n") + text.count("\u2029")


_BREAK = r"(?:\r\n|\n|\r(?!\n)|\u2029)"  # one line break; CRLF is one
BLANK_LINE = re.compile(_BREAK + r"[^\S\r\n\u2029]*" + _BREAK)


def is_wrapped(text: str) -> bool:
    """Whether `text` separates its paragraphs by blank lines (so a single line break is a wrap)."""
    return BLANK_LINE.search(text) is not None


def sentences(tokens: list[Token], wrapped: bool | None = None) -> list[list[Word]]:
    """Group word and number tokens into sentences, in order.

    A line break ends a sentence and a paragraph, except in a text whose paragraphs are
    separated by blank lines: there a single line break is a wrap inside a paragraph (plain
    text and Markdown wrapped at 72 or 80 columns), read like a space, so a sentence is not cut
    at the margin and a paragraph's evidence is pooled over all its lines.
    """
    result: list[list[Word]] = []
    current: list[Word] = []
    paragraph = 0
    if wrapped is None:
        wrapped = any(token.kind is Kind.SPACE and _line_breaks(token.text) >= 2 for token in tokens)

    def close() -> None:
        nonlocal current
        if current:
            result.append(current)
            current = []

    space, punct, word_kind, number = Kind.SPACE, Kind.PUNCT, Kind.WORD, Kind.NUMBER
    last = len(tokens) - 1
    for index, token in enumerate(tokens):
        text, _, _, kind = token
        if kind is space:
            if text == " ":
                continue
            breaks = _line_breaks(text)
            if breaks and not (wrapped and breaks == 1):
                close()
                paragraph += 1
            continue
        if kind is punct:
            if text in SENTENCE_END_MARKS and not (index and _is_abbreviation(tokens[index - 1])):
                close()
            continue
        if kind is not word_kind and kind is not number:
            continue  # URLs and e-mail addresses are not prose
        after = tokens[index + 1] if index < last else None
        if not (text.isalpha() and text.islower()) and case_of(text) in UPPER_CASES:  # token.case, fast path first
            word_class = CAPITALISED
        elif (index and tokens[index - 1].kind is punct) or (after is not None and after.kind is punct):
            word_class = ATTACHED
        else:
            word_class = BARE
        joined = (
            after is not None
            and after.kind is space
            and (after.text == " " or (wrapped and after.text in WRAPS))
            and index + 1 < last
            and tokens[index + 2].kind is word_kind
        )
        lower = text.lower()
        if "\u2019" in lower or "\u2018" in lower:
            lower = lower.translate(APOSTROPHES)
        current.append(Word(index, token, lower, word_class, paragraph, joined))
    close()
    return result


_LAST_SEGMENTED = threading.local()  # per thread: a Dask "threads" scheduler runs several at once


def segmented(text: str) -> tuple[list[Token], list[list[Word]]]:
    """Tokens and sentences of `text`; the last text's are reused (each family of a cascade reads
    the same text again when the families before it changed nothing). Tokens and words are frozen."""
    last = getattr(_LAST_SEGMENTED, "value", None)
    if last is not None and last[0] == text:
        return last[1], last[2]
    tokens = tokenize(text)
    segmented = sentences(tokens, is_wrapped(text))
    _LAST_SEGMENTED.value = (text, tokens, segmented)
    return tokens, segmented
