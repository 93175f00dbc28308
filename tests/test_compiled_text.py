"""The core's whole per-document path (untangle.compiled_text) against the Python path it
short-cuts: the same character classes, tokens, sentences and restorations."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from untangle import compiled_text, text_reader
from untangle.segment import sentences
from untangle.text_reader import ALPHA, CHAR_RANGES, DECLINE, DIGIT, LETTER, LOWER, SPACE, UPPER, WORD, reader
from untangle.tokenizer import tokenize

sys.path.insert(0, str(Path(__file__).resolve().parent))
from own_texts import CLEAN, LONGER, MORE, spun  # noqa: E402 - a helper module next to the tests

CLASSES = ((LETTER, r"[^\W\d_]"), (DIGIT, r"\d"), (WORD, r"\w"), (SPACE, r"\s"))


def test_the_character_table_follows_python_re_and_str():
    """Every character the core reads is classed as the tokenizer's regular expressions and str's
    methods class it, with its one-character lower case (or marked DECLINE)."""
    checked = 0
    for first, flags, lowers in text_reader.char_table():
        for offset, (flag, lower) in enumerate(zip(flags, lowers, strict=True)):
            c = chr(first + offset)
            for bit, pattern in CLASSES:
                assert bool(flag & bit) == bool(re.fullmatch(pattern, c)), (hex(ord(c)), pattern)
            for bit, method in ((ALPHA, str.isalpha), (LOWER, str.islower), (UPPER, str.isupper)):
                assert bool(flag & bit) == method(c), (hex(ord(c)), method)
            assert bool(flag & DECLINE) == (len(c.lower()) != 1)
            assert lower == (c.lower() if len(c.lower()) == 1 else c)
            checked += 1
    assert checked == sum(end - first for first, end in CHAR_RANGES) > 1000
    table = {first: flags for first, flags, _ in text_reader.char_table()}
    assert table[0][0x130 - 0] & DECLINE  # "İ".lower() is two characters


def python_reading(text: str) -> tuple[list, list]:
    tokens = tokenize(text)
    words = [
        [(w.index, w.lower, ("bare", "capitalised", "attached").index(w.word_class), w.paragraph, w.joined_to_next)
         for w in sentence]
        for sentence in sentences(tokens)
    ]  # fmt: skip
    return [(t.start, t.end, t.kind.value) for t in tokens], words


PIECES = [
    "the", "The", "THE", "helium", "Mr", "U.S.", "it's", "it\u2019s", "well-known", "x1y2", "3.5km", "1,000",
    "12:30", "1/2", "caf\u00e9", "\u00c9t\u00e9", "na\u00efve", "\u00b2", "_", "a_b", "www.x.org", "http://a.b/c).",
    "https://", "ftp://x", "a.b+c@d-e.org", "x@y", "@", ".", ",", "!", "?", "\u2026", "\u201c", "\u201d", "\u2018",
    "\u2014", "-", "'", "(", ")", " ", "  ", "\t", "\n", "\n\n", "\r\n", "\r", " \n", "\u2029", "\u00a0", "\u2028",
    "\x0b", "\x1c", "\ufeff", "\u2126", "\u212a", "\u2160", "\u00aa", "\u01c5",
]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30))
def test_the_core_reads_a_text_as_python_does(pieces):
    """Tokens (kinds and offsets in characters) and sentences (lower-case forms, classes,
    paragraphs, joins) come out of the core as out of untangle.tokenizer and untangle.segment."""
    text = "".join(pieces)
    read = reader().segment(text)
    assert read is not None
    tokens, words = read
    assert (tokens, words) == tuple(python_reading(text))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_any_text_is_read_as_python_does_or_declined(text):
    """On any Unicode the core either reads the text as Python does or declines it."""
    read = reader().segment(text)
    if read is not None:
        assert read == tuple(python_reading(text))
    elif text:
        assert any(not any(a <= ord(c) < b for a, b in CHAR_RANGES) or len(c.lower()) != 1 for c in text)


def test_no_character_the_core_reads_is_a_letter_in_one_case_only():
    """The core asks whether a word is alphabetic of its written form, where Python asks it of
    the lower-case form (whose characters may lie outside the table): the same answer for every
    character of the table."""
    for first, end in CHAR_RANGES:
        for code in range(first, end):
            lower = chr(code).lower()
            if len(lower) == 1:
                assert chr(code).isalpha() == lower.isalpha(), hex(code)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from(PIECES), max_size=12).map("".join), min_size=1, max_size=4))
def test_word_counts_follow_python_s_words_whatever_was_read_before(texts):
    """The alphabetic words' counts, as the inferred family counts them; the reader keeps its
    last text's reading for the next family, and counts never come from another text's, whether
    a text repeats or not."""
    from collections import Counter

    for text in [*texts, *texts[::-1], "\u2126 and \u01b1"]:  # lower-case forms outside the table
        counts = text_reader.alphabetic_word_counts(text)
        if counts is not None:
            words = (word.lower for sentence in sentences(tokenize(text)) for word in sentence)
            assert counts == Counter(word for word in words if word.isalpha())
            asked = ["the", "in", "helium", "zz"]
            total, some = text_reader.alphabetic_counts_of(text, asked)
            assert total == sum(counts.values())
            assert some == {word: count for word, count in counts.items() if word in asked}


def _restorations(text: str, monkeypatch: pytest.MonkeyPatch, screen: bool = True):
    """`text` restored by the core's whole path, and by the engine's Python reading with the core's fit.

    Without the screen every family fits the text: the core's first look, which the screen asks
    for and the Python reading does not take, reports its own P(paragraph spun) for a text it
    leaves unfitted."""
    from untangle.restorer import Restorer

    through_core = Restorer(screen=screen).restore(text)
    with monkeypatch.context() as patched:
        patched.setattr(compiled_text.CompiledText, "restore", lambda *args, **kwargs: None)
        through_python = Restorer(screen=screen).restore(text)
    return through_core, through_python


TEXTS = [
    CLEAN,
    spun(CLEAN + "\n" + MORE),
    CLEAN + "\n" + spun(LONGER.split("\n\n")[1]) + "\n\n" + MORE,
    spun(LONGER + "\n" + CLEAN, every=4),
    "Helium told reporters astatine a quality league that the activity was late due to the fact that "
    "immoderate of the alloy had to beryllium replaced.\r\n\r\nThe span volition unfastened adjacent spring.",
    "Helium said.",
    "",
]


@pytest.mark.parametrize("index", range(len(TEXTS)))
def test_the_core_path_restores_as_the_python_reading_does(index, monkeypatch):
    """Every family of the cascade (the phrase family reading the WordNet family's output, with
    its settled spans) gives the same result either way: changes, held back, paragraphs. Behind
    the screen, where the core may look first and leave a text unfitted, the changes are the same."""
    through_core, through_python = _restorations(TEXTS[index], monkeypatch, screen=False)
    assert through_core == through_python
    screened, _ = _restorations(TEXTS[index], monkeypatch)
    assert (screened.text, screened.changes, screened.held_back) == (
        through_core.text,
        through_core.changes,
        through_core.held_back,
    )


def test_a_text_the_core_declines_is_read_in_python(monkeypatch):
    """A character outside the table (here CJK) sends the text to the Python reading: still restored."""
    text = spun(CLEAN) + "\n\u4e2d\u6587\n"
    assert reader().segment(text) is None
    through_core, through_python = _restorations(text, monkeypatch)
    assert through_core == through_python
    assert through_core.changes


def _counting(path: compiled_text.CompiledText) -> list[str]:
    """The words `path` asks Python's dictionary about from now on."""
    asked: list[str] = []
    describe = path.describe

    def counting(words: list[str]) -> list[tuple]:
        asked.extend(words)
        return describe(words)

    path.describe = counting  # type: ignore[method-assign]
    return asked


def test_the_family_keeps_the_word_types_it_met():
    """A family asks the dictionary for a word type once, then keeps it (here a table with a
    user's row, which the core does not read from the files itself)."""
    from untangle.dictionary import Entry, builtin
    from untangle.language_model import default_model

    path = compiled_text.CompiledText(builtin().extended([Entry("zzyzx", "x", "user", 0.1)]))
    asked = _counting(path)
    model = default_model()
    path.restore(model, "Helium said astatine the meeting that helium would go.", (), 0.7, True)
    assert sorted(asked) == sorted({"helium", "said", "astatine", "the", "meeting", "that", "would", "go"})
    assert path.family.types == len(asked)
    asked.clear()
    path.restore(model, "Helium went home.", (), 0.7, True)
    assert asked == ["went", "home"]


def test_the_core_reads_the_built_in_files_itself_and_python_the_rest(tmp_path):
    """Over the generated files the core describes every word type itself (the TEXTS above give
    the same results as the Python reading); a row it does not read goes to Python's dictionary,
    which names the malformed line."""
    from untangle.dictionary import Dictionary, DictionaryError, OriginalsFile, SortedLines, builtin
    from untangle.language_model import default_model

    model = default_model()
    path = compiled_text.CompiledText(builtin())
    asked = _counting(path)
    restored = path.restore(model, "Helium said astatine the meeting that helium would go.", (), 0.7, True)
    assert asked == [] and [c.new for c in restored.changes] == ["He", "at", "he"]
    assert restored.changes[0].relation and restored.changes[0].family == "builtin"

    table, originals = tmp_path / "table.tsv", tmp_path / "originals.tsv"
    table.write_text("astatine\tat\tsynonym\t0.5\t1.5\t7.4\t0\nhelium\the\tsynonym\tmany\t3.3\t7.3\t0\n")
    originals.write_text("at\t7.4\t1\nhe\t7.3\t1\n")
    dictionary = Dictionary.over(SortedLines.open(table), OriginalsFile(SortedLines.open(originals)))
    path = compiled_text.CompiledText(dictionary)
    asked = _counting(path)
    with pytest.raises(DictionaryError, match="table.tsv:2"):
        path.restore(model, "Helium said astatine the meeting.", (), 0.7, True)
    assert asked == ["helium"]


def test_a_table_of_a_few_rows_is_asked_about_its_own_words_only():
    """The phrase table says nothing of most words: the core asks it about the words it lists
    (spun forms' first words, originals) and reads every other word as unlisted, with the same
    restoration as when it asked about every word."""
    from untangle.dictionary import builtin, builtin_phrases
    from untangle.language_model import default_model

    phrases = builtin_phrases()
    listed = phrases.listed_words()
    assert listed is not None and {"used", "mentioned", "was", "said"} <= set(listed)
    assert builtin().listed_words() is None  # a table over the generated files: the core reads them
    model = default_model()
    text = "The mayor mentioned that the bridge used to be too weak, and the council mentioned it twice."
    path = compiled_text.CompiledText(phrases)
    asked = _counting(path)
    restored = path.restore(model, text, (), 0.7, True)
    assert set(asked) <= set(listed) and {"mentioned", "used"} <= set(asked) and "bridge" not in asked
    from untangle import _core
    from untangle.candidates import TYPE_CACHE_LIMIT
    from untangle.dictionary import Entry

    every_word = compiled_text.CompiledText(phrases)
    every_word.family = _core.Family(reader(), TYPE_CACHE_LIMIT, None, Entry)  # asks about every word
    asked_everything = _counting(every_word)
    assert every_word.restore(model, text, (), 0.7, True) == restored
    assert "bridge" in asked_everything
    assert [c.new for c in restored.changes] == ["said", "was", "said"]
