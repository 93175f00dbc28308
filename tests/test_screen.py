"""The screen before the engine: clean documents cleared without a fit, spun ones never, same output."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import untangle.screen
from untangle import Restorer
from untangle.pipeline import engine_for
from untangle.screen import CONTEXT_CEILING, CONTEXT_THRESHOLD, THRESHOLD

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fresh_process import modules_loaded  # noqa: E402 - helper modules next to the tests
from own_texts import CLEAN, LONGER, MORE  # noqa: E402
from own_texts import spun as spin_every_word  # noqa: E402
from phrase_spinner import spin as phrase_spin  # noqa: E402


def _screen() -> untangle.screen.Screen:
    screen = engine_for().screen
    assert screen is not None
    return screen


def _same_either_way(text: str) -> None:
    """The screen only ever saves time: the result is the engine's, with or without it."""
    screened, fitted = Restorer().restore(text), Restorer(screen=False).restore(text)
    assert screened.text == fitted.text
    assert [(c.start, c.end, c.new) for c in screened.changes] == [(c.start, c.end, c.new) for c in fitted.changes]


EVERYTHING = CLEAN + "\n" + MORE + "\n" + LONGER  # our three stories, 341 words


@pytest.mark.parametrize("text", [EVERYTHING, EVERYTHING + "\n" + EVERYTHING])
def test_long_clean_documents_are_cleared_and_come_back_as_the_engine_returns_them(text: str) -> None:
    assert _screen().clears(text)
    result = Restorer().restore(text)
    assert result.text == text and not result.changes and result.spun_probability == 0.0
    _same_either_way(text)


@pytest.mark.parametrize("text", [CLEAN, MORE, LONGER])
def test_a_short_text_is_too_little_evidence_either_way_to_clear(text: str) -> None:
    # At the lowest spin rate tried (2%), each weakly listed form counts only ln 0.98 against
    # spinning: a hundred words cannot reach the threshold, so the engine decides.
    assert not _screen().clears(text)
    _same_either_way(text)


def _spun_a_little(text: str) -> str:
    """Our clean text with three words spun, as a spinner that changes about one word in a hundred."""
    for original, spun in (("on Monday", "connected Monday"), ("in the spring", "successful the spring")):
        text = text.replace(original, spun, 1)
    return text.replace("She said", "She aforesaid", 1)


def test_spun_documents_are_never_cleared(spun_article: str) -> None:
    for text in (spun_article, _spun_a_little(EVERYTHING), "Helium said astatine the meeting.\n"):
        assert not _screen().clears(text), text[:60]
        _same_either_way(text)


def test_three_swaps_in_one_paragraph_of_a_clean_text_are_restored() -> None:
    # The text is wrapped at the margin with blank lines between paragraphs: its paragraphs are
    # the blank-line blocks, so the three swaps pool their evidence in one paragraph.
    assert {(c.old, c.new) for c in Restorer().restore(_spun_a_little(EVERYTHING)).changes} >= {
        ("connected", "on"),
        ("successful", "in"),
    }


def test_what_the_screen_clears_the_engine_leaves_alone() -> None:
    # Another spinner's forms (our phrase rewriter: "said" -> "stated") are no listed evidence:
    # cleared, and the engine with the built-in tables alone would change nothing there either.
    spun = phrase_spin(EVERYTHING)[0]
    assert spun != EVERYTHING and _screen().clears(spun)
    _same_either_way(spun)
    assert Restorer(screen=False).fix(spun) == spun


def test_a_text_missing_a_very_common_word_is_left_to_the_inferred_family() -> None:
    """The tables find nothing, so only the inferred family is fitted: the same text and changes
    as the whole cascade's."""
    spun = re.sub(r"\bThe\b", "Issues", re.sub(r"\bthe\b", "issues", EVERYTHING))  # no table lists "issues"
    assert not _screen().clears(spun) and _screen().verdict(spun) == untangle.screen.TABLES_CLEARED
    restored, whole = Restorer().restore(spun), Restorer(screen=False).restore(spun)
    assert any(c.family == "inferred" for c in restored.changes)
    assert (restored.text, restored.changes) == (whole.text, whole.changes)


def test_the_score_weighs_listed_forms_against_their_frequency_as_themselves() -> None:
    screen = _screen()
    assert screen.score(["zyxw", "qqq"]) == float("-inf")  # nothing listed: no evidence of spinning
    # "astatine" is far likelier the spinner's "at" than itself; "the" is listed for nothing.
    assert screen.score(["he", "said", "astatine", "the", "meeting"]) > -THRESHOLD
    strongest_first = [form[1] for form in screen.forms("astatine")]
    assert strongest_first == sorted(strongest_first, reverse=True)


def test_the_score_is_the_best_rate_likelihood_ratio_of_the_forms_found() -> None:
    import math

    from untangle.screen import RATES, STRONGEST

    screen = _screen()
    words = ["helium", "said", "astatine", "the", "meeting", "successful", "june"]
    strengths = []
    for word in words:
        forms = [(parts, strength) for parts, strength, *_ in screen.forms(word) if len(parts) == 1]
        if forms:
            strengths.append(min(forms[0][1], STRONGEST))
    assert len(strengths) >= 3
    expected = max(sum(math.log(1 - rate + rate * math.exp(s)) for s in strengths) for rate in RATES)
    assert screen.score(words) == pytest.approx(expected, rel=1e-12)


def test_its_memory_of_word_types_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(untangle.screen, "CACHE_LIMIT", 3)
    screen = untangle.screen.Screen(_screen().tables)
    for word in ["person", "present", "successful", "helium", "connected", "astatine"]:
        screen.forms(word)
        assert len(screen._forms) <= 3


def test_user_dictionaries_are_never_screened(tmp_path) -> None:  # noqa: ANN001
    table = tmp_path / "rewriter.tsv"
    table.write_text("spun\toriginal\nmentioned\tsaid\n", encoding="utf-8")
    assert engine_for((str(table),)).screen is None
    assert engine_for((), builtin_table=False).screen is None


# Whichever reads the trigram model: the compiled core, or pocketsphinx on the Python path.
MODEL_LOADERS = ["untangle._core", "pocketsphinx"]


def test_a_cleared_text_never_loads_the_language_model() -> None:
    assert modules_loaded(["fix"], EVERYTHING, MODEL_LOADERS) == []
    assert modules_loaded(["fix", "--no-screen"], EVERYTHING, MODEL_LOADERS) != []
    assert modules_loaded(["fix"], "Helium said astatine the meeting.\n", MODEL_LOADERS) != []


PLAIN = sorted(set(re.findall(r"[A-Za-z]+", EVERYTHING)))
SPUN_FORMS = ["helium", "astatine", "connected", "successful", "person", "volition", "aforesaid"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(PLAIN), max_size=400),
    st.lists(st.tuples(st.integers(0, 400), st.sampled_from(SPUN_FORMS)), max_size=3),
    st.sampled_from([" ", "\n", ". ", ", "]),
)
def test_any_text_of_plain_and_a_few_spun_words_reads_the_same_with_or_without_the_screen(
    words: list[str], spun: list[tuple[int, str]], gap: str
) -> None:
    for where, form in spun:
        words.insert(where % (len(words) + 1), form)
    _same_either_way(gap.join(words) + ".\n")


def test_the_configuration_or_the_command_line_turns_the_screen_off(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    from untangle.config import ConfigError, load, resolve

    settings_file = tmp_path / ".untangle.toml"
    settings_file.write_text("screen = false\n", encoding="utf-8")
    assert load(settings_file).screen is False and load(settings_file).source("screen") == str(settings_file)
    assert resolve(None, tmp_path).with_options(no_screen=True).source("screen") == "command line"
    settings_file.write_text('screen = "no"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="screen must be true or false"):
        load(settings_file)
    # Run from that folder, a cleared text is fitted after all: the language model loads.
    settings_file.write_text("screen = false\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert modules_loaded(["fix"], EVERYTHING, MODEL_LOADERS) != []


SCREEN_PIECES = [
    *SPUN_FORMS, "quality", "league", "due", "to", "the", "fact", "that", "The", "HELIUM", "well-known", "it's",
    "it\u2019s", "caf\u00e9", "x1y", "42", " ", " ", " ", "\n", ". ", ", ", "-", "'", "\u00e9t\u00e9", "_",
]  # fmt: skip


def _describing_screen():  # noqa: ANN202 - the core's screen that asks Python for every word's forms
    from untangle import _core
    from untangle.inferred import COMMON
    from untangle.text_reader import reader

    screen = untangle.screen
    return _core.Screen(reader(), screen.CACHE_LIMIT, list(screen.RATES), screen.STRONGEST, counted=sorted(COMMON))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(SCREEN_PIECES + PLAIN[:40]), max_size=60), st.booleans())
def test_the_compiled_screen_reads_a_text_as_the_python_one(pieces: list[str], reads_rows: bool) -> None:
    """The core's screen scores a text as the Python screen scores its words, by frequency and
    in context, whether it reads the built-in tables' rows itself or asks Python for each word's
    forms, and gives the word counts the inferred family's check needs."""
    from collections import Counter

    from untangle.inferred import COMMON
    from untangle.screen import WORD, _compiled_screen, _context

    screen = _screen()
    text = "".join(pieces)
    compiled = _compiled_screen(screen.tables) if reads_rows else _describing_screen()
    score, in_context, counts = compiled.score(text, screen._described, THRESHOLD, _context())
    words = WORD.findall(text.lower())
    alphabetic = [word for word in words if word.isalpha()]
    counted = {word: count for word, count in Counter(alphabetic).items() if word in COMMON}
    assert score == screen.score(words)
    if score < THRESHOLD:
        assert in_context is None and counts == (len(alphabetic), counted)
    elif score >= CONTEXT_CEILING:
        assert in_context is None and counts is None
    else:
        assert in_context == pytest.approx(screen.score_in_context(words), abs=1e-9)
        assert counts == ((len(alphabetic), counted) if in_context < CONTEXT_THRESHOLD else None)


ROW_WORDS = ["he", "at", "on", "quality", "league", "due", "to"]


@st.composite
def _rows(draw: st.DrawFn) -> list[tuple[str, str, float, float, float]]:
    """Rows of a small table: (spun, original, prior, spun Zipf, original Zipf); phrases, ties
    and repeated spun forms included."""
    spun_forms = st.lists(st.sampled_from(ROW_WORDS), min_size=1, max_size=3).map(" ".join)
    row = st.tuples(
        spun_forms,
        st.sampled_from(["x", "y", "z", "w v"]),
        st.sampled_from([1.0, 0.5, 0.25, 0.1, 1e-3]),
        st.sampled_from([0.0, 1.5, 3.0, 7.25]),
        st.sampled_from([0.0, 2.0, 5.5, 7.25]),
    )
    found = draw(st.lists(row, max_size=12, unique_by=lambda r: (r[0], r[1])))
    return [r for r in found if r[0] != r[1]]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_rows(), _rows(), st.lists(st.sampled_from([*ROW_WORDS, "x"]), max_size=30))
def test_the_core_reads_a_table_s_forms_as_python_does(
    tmp_path_factory: pytest.TempPathFactory, in_file: list, added: list, words: list[str]
) -> None:
    """Forms read by the core from a sorted file and from rows held whole (the phrase table's
    kind) score every text as Screen.forms's do: the same strengths, order and ties."""
    from untangle.dictionary import Dictionary, Entry, SortedLines
    from untangle.screen import Screen, _compiled_screen

    lines = sorted(f"{s}\t{o}\tsynonym\t{p!r}\t{sz!r}\t{oz!r}\t0" for s, o, p, sz, oz in in_file)
    path = tmp_path_factory.mktemp("table") / "table.tsv"
    path.write_text("# a comment\n" + "".join(line + "\n" for line in lines), encoding="utf-8")
    tables = [
        Dictionary.over(SortedLines.open(path)),
        Dictionary(Entry(s, o, "curated", p, sz, oz) for s, o, p, sz, oz in added),
    ]
    python = Screen(tables)
    compiled = _compiled_screen(tables)
    assert all(table.compiled_rows() is not None for table in tables)
    text = " ".join(words)
    assert compiled.score(text, python._described, THRESHOLD)[0] == python.score(words)


def test_a_row_the_core_does_not_read_is_read_by_python(tmp_path: Path) -> None:
    """A row the generated table would not hold (a user's short row, a bad number) goes to
    Python, which reads it as a user's row or says which line is wrong."""
    from untangle.dictionary import Dictionary, DictionaryError, SortedLines
    from untangle.screen import Screen, _compiled_screen

    path = tmp_path / "table.tsv"
    path.write_text("at\tastatine\tsynonym\t0.5\tnot-a-number\t7.0\t0\nhelium\the\n", encoding="utf-8")
    tables = [Dictionary.over(SortedLines.open(path))]
    python = Screen(tables)
    compiled = _compiled_screen(tables)
    assert compiled.score("helium", python._described, THRESHOLD)[0] == python.score(["helium"])
    with pytest.raises(DictionaryError, match="table.tsv:1"):
        compiled.score("at", python._described, THRESHOLD)


def test_the_core_takes_the_screen_over_after_a_few_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(untangle.screen, "PYTHON_CHARS", 100)
    screen = untangle.screen.Screen(_screen().tables)
    assert not screen.clears("Helium said the bridge opened.") and screen._compiled is None  # Python reads a line
    assert screen.clears(EVERYTHING) and screen._compiled  # a longer text: the core, from its first word
    assert screen.clears(EVERYTHING)  # read by the core now, as Python read it
    assert not screen.clears("Helium said astatine the quality league that helium would person a word.")


SCANNERS = (
    "Engineers cool the magnets of hospital scanners with liquid helium. The hospital's new scanner arrived last "
    "month, and staff said it was quieter and faster than the old machine."
)


def test_a_form_that_fits_its_context_as_written_is_weighed_in_context() -> None:
    """ "Liquid helium" looks spun by frequency alone ("he" is far commoner); in context it is
    not, and the text is cleared, as the engine would leave it. Spun, it is not cleared."""
    from untangle.screen import WORD

    text = EVERYTHING + "\n\n" + SCANNERS
    words = WORD.findall(text.lower())
    screen = untangle.screen.Screen(_screen().tables)
    assert THRESHOLD <= screen.score(words) < CONTEXT_CEILING
    assert screen.score_in_context(words) < CONTEXT_THRESHOLD
    assert screen.clears(text)
    assert Restorer(screen=False).fix(text) == text
    assert not screen.clears(spin_every_word(text))


# A clean story where "helium" stands where "he" could: the screen reads it as spun by frequency and in
# context alike.
GAS_STORY = "".join(
    paragraph + "\n"
    for paragraph in (
        (
            "A shortage of helium has reached the party shops of the valley, where owners say deliveries that "
            "once came every week now arrive once a month, if at all."
        ),
        (
            "The gas is pumped from a few fields where helium collects underground over millions of years. "
            "Geologists at the state university said the largest of them are running down, and that no new field "
            "of any size has been found in a decade."
        ),
        (
            "Helium is lighter than air and does not burn, which is why it replaced hydrogen in airships after a "
            "string of fires. Today most of it goes to hospitals, laboratories and factories that make computer "
            "chips, and only a small share ends up in balloons."
        ),
        (
            "At a meeting of the county board on Thursday, the owner of a shop on Elm Street said her sales had "
            "fallen by half since the spring. She asked the board to help small businesses buy the gas together "
            "at a lower price."
        ),
        (
            "A doctor from the regional hospital told the board that helium is needed to cool the magnets in its "
            "two scanners, and that the hospital had already paid twice as much this year as last. He said the "
            "scanners could not run without it."
        ),
        (
            "Board members said they would write to the state about the supply. One of them argued that helium is"
            " too precious to be let go into the sky at a birthday party, and that the county should not spend "
            "money to keep the price of balloons down."
        ),
    )
)


def test_a_clean_story_the_screen_cannot_clear_is_left_unfitted_after_a_first_look() -> None:
    """ "Where helium collects", "that helium is": the screen reads these as a spinner's "he" even in
    context, so it asks the fit to look first. The look, the fit's own model read cheaply, finds
    the originals around them left as written: no paragraph is worth fitting, and the story comes
    back as the fit would leave it. Spun, the same story is fitted."""
    from untangle.python_fit import NEGLIGIBLE

    assert _screen().verdict(GAS_STORY) == untangle.screen.LOOK
    family = engine_for().engines[0]
    usual, low_rate = family.compiled_text.look(family.model, GAS_STORY)
    assert usual < NEGLIGIBLE and low_rate < 0.1
    _same_either_way(GAS_STORY)
    assert Restorer(screen=False).fix(GAS_STORY) == GAS_STORY
    spun = spin_every_word(GAS_STORY)
    assert not _screen().clears(spun)
    assert family.compiled_text.look(family.model, spun)[0] > 0.5
    assert Restorer().restore(spun).changes
