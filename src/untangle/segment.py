"""Split a token stream into sentences of words, the units the language model scores.

Punctuation is not a word for the model, but it matters as evidence: some spinners leave a word
alone when punctuation is attached to it, or when it is capitalised, so each word records its
class ("bare", "capitalised", "attached") and its paragraph.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from untangle.tokenizer import Case, Kind, Token, tokenize

SENTENCE_END_MARKS = frozenset(".!?…")
ABBREVIATION_MAX_LEN = 3  # "Mr.", "Gen.", "U.S." do not end a sentence
BARE, CAPITALISED, ATTACHED = "bare", "capitalised", "attached"
WRAPS = frozenset({"\n", "\r\n", "\r", " \n", " \r\n"})  # a line wrapped at the margin, read as one space
APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'"})


@dataclass(frozen=True, slots=True)
class Word:
    """A word token inside a sentence."""

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

    for index, token in enumerate(tokens):
        if token.kind is Kind.SPACE:
            if token.text == " ":
                continue
            breaks = _line_breaks(token.text)
            if breaks and not (wrapped and breaks == 1):
                close()
                paragraph += 1
            continue
        if token.kind is Kind.PUNCT:
            previous = tokens[index - 1] if index else None
            if token.text in SENTENCE_END_MARKS and not (previous and _is_abbreviation(previous)):
                close()
            continue
        if token.kind not in (Kind.WORD, Kind.NUMBER):
            continue  # URLs and e-mail addresses are not prose
        before = tokens[index - 1] if index else None
        after = tokens[index + 1] if index + 1 < len(tokens) else None
        attached = any(t is not None and t.kind is Kind.PUNCT for t in (before, after))
        if token.case in (Case.TITLE, Case.UPPER, Case.MIXED):
            word_class = CAPITALISED
        elif attached:
            word_class = ATTACHED
        else:
            word_class = BARE
        next_next = tokens[index + 2] if index + 2 < len(tokens) else None
        joined = (
            after is not None
            and after.kind is Kind.SPACE
            and (after.text == " " or (wrapped and after.text in WRAPS))
            and next_next is not None
            and next_next.kind is Kind.WORD
        )
        lower = token.text.lower().translate(APOSTROPHES)
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
