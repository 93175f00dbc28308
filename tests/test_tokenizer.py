"""The tokenizer must reproduce any input exactly and keep special tokens whole."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from untangle.tokenizer import Case, Kind, apply_case, case_of, tokenize


@given(st.text())
def test_tokens_join_back_to_the_input(text: str) -> None:
    assert "".join(token.text for token in tokenize(text)) == text


@given(st.text())
def test_offsets_are_contiguous_and_match_the_source(text: str) -> None:
    position = 0
    for token in tokenize(text):
        assert token.start == position
        assert text[token.start : token.end] == token.text
        assert token.text  # no empty tokens
        position = token.end
    assert position == len(text)


def kinds(text: str) -> list[tuple[str, str]]:
    return [(t.text, t.kind.value) for t in tokenize(text) if t.kind is not Kind.SPACE]


def test_apostrophes_inside_words_stay_in_the_word() -> None:
    assert kinds("it's Biden’s") == [("it's", "word"), ("Biden’s", "word")]


def test_curly_quotes_are_separate_punctuation() -> None:
    assert kinds("“Seize it,” she said") == [
        ("“", "punct"),
        ("Seize", "word"),
        ("it", "word"),
        (",", "punct"),
        ("”", "punct"),
        ("she", "word"),
        ("said", "word"),
    ]


def test_hyphenated_words_and_numbers() -> None:
    assert kinds("a well-known 1,000-year 9:34 plan") == [
        ("a", "word"),
        ("well-known", "word"),
        ("1,000", "number"),
        ("-", "punct"),
        ("year", "word"),
        ("9:34", "number"),
        ("plan", "word"),
    ]


def test_urls_and_emails_are_single_tokens() -> None:
    assert kinds("see https://example.org/a?b=1, or write to news@example.org.") == [
        ("see", "word"),
        ("https://example.org/a?b=1", "url"),
        (",", "punct"),
        ("or", "word"),
        ("write", "word"),
        ("to", "word"),
        ("news@example.org", "email"),
        (".", "punct"),
    ]


def test_line_endings_are_preserved_as_space_tokens() -> None:
    tokens = tokenize("one\r\ntwo\n")
    assert [t.text for t in tokens] == ["one", "\r\n", "two", "\n"]


def test_case_patterns() -> None:
    assert case_of("helium") is Case.LOWER
    assert case_of("Helium") is Case.TITLE
    assert case_of("HELIUM") is Case.UPPER
    assert case_of("iPhone") is Case.MIXED
    assert case_of("2022") is Case.NONE
    assert case_of("A") is Case.TITLE


@given(st.text())
def test_case_patterns_count_only_cased_letters(word: str) -> None:
    # The rule as documented: only letters that are lower or upper case count. Titlecase
    # letters (U+01C5), lowercase numerals (U+217B) and uncased scripts are ignored.
    letters = [c for c in word if c.isalpha() and (c.islower() or c.isupper())]
    if not letters:
        expected = Case.NONE
    elif all(c.islower() for c in letters):
        expected = Case.LOWER
    elif all(c.isupper() for c in letters):
        expected = Case.TITLE if len(letters) == 1 else Case.UPPER
    elif letters[0].isupper() and all(c.islower() for c in letters[1:]):
        expected = Case.TITLE
    else:
        expected = Case.MIXED
    assert case_of(word) is expected


def test_letters_neither_lower_nor_upper_do_not_count() -> None:
    assert case_of("\u01c5a") is Case.LOWER  # a titlecase digraph, then a lower-case letter
    assert case_of("\u217b") is Case.NONE  # a lower-case Roman numeral is not a letter


def test_case_transfer() -> None:
    assert apply_case(Case.TITLE, "he") == "He"
    assert apply_case(Case.UPPER, "at") == "AT"
    assert apply_case(Case.LOWER, "news conference") == "news conference"
    assert apply_case(Case.TITLE, "news conference") == "News conference"
