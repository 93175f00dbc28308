"""Text wrapped at the margin, with blank lines between paragraphs (plain-text archives, e-mail,
Markdown): a single line break is a wrap, read like a space; a blank line ends a paragraph."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from untangle import Restorer
from untangle.segment import is_wrapped, sentences
from untangle.tokenizer import tokenize

sys.path.insert(0, str(Path(__file__).resolve().parent))
from own_texts import CLEAN  # noqa: E402 - a helper module next to the tests


def _words(text: str) -> list[list[tuple[str, int]]]:
    return [[(word.lower, word.paragraph) for word in sentence] for sentence in sentences(tokenize(text))]


def test_a_wrap_neither_ends_the_sentence_nor_the_paragraph() -> None:
    text = "The council said on Monday that the\nbridge would open soon.\n\nA second paragraph\nfollows here.\n"
    found = _words(text)
    assert [word for word, _ in found[0]] == [
        "the",
        "council",
        "said",
        "on",
        "monday",
        "that",
        "the",
        "bridge",
        "would",
        "open",
        "soon",
    ]
    assert {paragraph for _, paragraph in found[0]} == {0}
    assert {paragraph for _, paragraph in found[1]} == {1}


def test_without_blank_lines_every_line_is_a_paragraph() -> None:
    found = _words("The bridge would open\nsoon said the council\n")
    assert len(found) == 2
    assert [found[0][0][1], found[1][0][1]] == [0, 1]


def test_a_wrapped_text_is_restored_as_the_same_text_unwrapped() -> None:
    spun = (
        CLEAN.replace(" on Monday", " connected Monday")
        .replace("would open in", "volition unfastened successful")
        .replace("She said", "She aforesaid")
        .replace("also promised", "besides promised")
    )
    paragraphs = [" ".join(block.split("\n")) for block in spun.strip().split("\n\n")]
    one_line_each = "\n".join(paragraphs) + "\n"
    wrapped = "\n\n".join(textwrap.fill(paragraph, 40) for paragraph in paragraphs) + "\n"
    plain = Restorer().restore(one_line_each)
    narrow = Restorer().restore(wrapped)
    assert [(c.old, c.new) for c in narrow.changes] == [(c.old, c.new) for c in plain.changes]
    assert ("volition", "will") in [(c.old, c.new) for c in narrow.changes]
    # Only the changed words differ: every line break of the wrapped text is where it was.
    assert narrow.text.count("\n") == wrapped.count("\n")


def test_a_phrase_across_a_wrap_is_still_one_phrase() -> None:
    text = (
        "Helium said the work was late due to the\nfact that the steel came late astatine the site.\n\n"
        "The mayor was not pleased.\n"
    )
    changes = Restorer().restore(text).changes
    assert any(c.new == "because" and "\n" in c.old for c in changes), changes


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(["a", " ", "\t", "\n", "\r", "\u2029", "."]), max_size=40))
def test_the_fast_blank_line_check_agrees_with_the_tokens(text: str) -> None:
    """segmented() decides wrapping by a regular expression over the text; sentences() alone
    decides it from the tokens: the two must agree, or the engine and explain would differ."""
    tokens = tokenize(text)
    assert sentences(tokens, is_wrapped(text)) == sentences(tokens)
