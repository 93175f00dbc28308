"""Engine behaviour on text written for these tests: spun text is repaired, clean text is not."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import untangle
from untangle.result import Change, apply_changes

# A spun news paragraph (our own text, spun the way a WordNet spinner does it). It gives the
# document-level evidence that makes ambiguous words in the test sentences decidable.
SPUN_CONTEXT = (
    "The council said connected Monday that it volition effort to unfastened the library successful June. "
    "Officials told reporters astatine a briefing that the activity was delayed due to the fact that "
    "immoderate of the funding had to beryllium approved, and that staff person been working astatine night "
    "truthful the building tin unfastened arsenic soon arsenic possible.\n"
)


def changes_of(text: str) -> list[tuple[str, str]]:
    return [(c.old, c.new) for c in untangle.restore(text).changes]


def test_fix_repairs_unmistakable_artifacts(spun_article: str) -> None:
    fixed = untangle.fix(spun_article)
    assert "He told reporters at a" in fixed
    assert "because some of the" in fixed
    assert "had to be replaced" in fixed
    assert "as soon as possible" in fixed
    assert "astatine" not in fixed and "beryllium" not in fixed


def test_clean_article_is_untouched(clean_article: str) -> None:
    result = untangle.restore(clean_article)
    assert result.text == clean_article
    assert result.changes == ()
    assert result.spun_probability < 0.5


def test_spun_article_is_recognised_as_spun(spun_article: str) -> None:
    result = untangle.restore(spun_article)
    assert result.spun_probability > 0.99
    assert result.spin_level > 0.2


def test_case_is_carried_to_the_original() -> None:
    text = SPUN_CONTEXT + "Helium said the plan was ready. ASTATINE LEAST it is done.\n"
    pairs = changes_of(text)
    assert ("Helium", "He") in pairs


def test_phrase_entries_are_restored_as_one_change() -> None:
    result = untangle.restore(SPUN_CONTEXT)
    phrase = [c for c in result.changes if c.old == "due to the fact that"]
    assert phrase and phrase[0].new == "because"


def test_only_changed_words_differ(spun_article: str) -> None:
    result = untangle.restore(spun_article)
    assert apply_changes(spun_article, result.changes) == result.text
    previous_end = 0
    for change in result.changes:
        assert spun_article[change.start : change.end] == change.old
        assert change.start >= previous_end  # disjoint, in order
        previous_end = change.end


def test_changes_are_frozen_values_with_reasons(spun_article: str) -> None:
    change = untangle.restore(spun_article).changes[0]
    assert isinstance(change, Change)
    with pytest.raises(dataclasses.FrozenInstanceError):
        change.new = "x"  # type: ignore[misc]
    assert 0.0 < change.confidence <= 1.0
    assert change.old in change.reason or change.old.lower() in change.reason
    assert change.relation


def test_higher_threshold_never_adds_changes(spun_article: str) -> None:
    loose = untangle.restore(spun_article, threshold=0.5).changes
    strict = untangle.restore(spun_article, threshold=0.95).changes
    assert {(c.start, c.new) for c in strict} <= {(c.start, c.new) for c in loose}
    assert all(c.confidence >= 0.95 for c in strict if c.tier == "sure")  # the threshold is for sure changes
    assert all(c.tier == "guess" for c in strict if c.confidence < 0.95)


def test_line_endings_and_spacing_survive_a_repair() -> None:
    text = SPUN_CONTEXT.replace("\n", "\r\n") + "  \t\r\n"
    fixed = untangle.fix(text)
    assert fixed.count("\r\n") == text.count("\r\n")
    assert fixed.endswith("  \t\r\n")
    assert "\n" not in fixed.replace("\r\n", "")


def test_empty_and_whitespace_input() -> None:
    assert untangle.fix("") == ""
    assert untangle.fix(" \n\t") == " \n\t"


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_any_unicode_text_is_handled_and_only_words_change(text: str) -> None:
    result = untangle.restore(text)
    assert apply_changes(text, result.changes) == result.text
    for change in result.changes:
        assert text[change.start : change.end] == change.old


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.sampled_from(["the", "astatine", "helium", "said", "successful", "city", "person", "."]), max_size=40)
)
def test_spun_word_soup_never_crashes_and_is_consistent(words: list[str]) -> None:
    text = " ".join(words)
    result = untangle.restore(text)
    assert result.text == apply_changes(text, result.changes)


CLEAN_PAGE = (
    "The bakery on Elm Street reopened on Monday after a fire in March closed it for six weeks. The owner "
    "said the repairs had cost more than she expected, but that customers had kept sending messages of support.\n"
    "Several neighbours lined up before dawn to buy bread. One man said he had driven across town every "
    "morning during the closure to find a loaf that tasted the same, and had never found one.\n"
    "The owner plans to hire two more bakers this summer and to open a small cafe in the room next door, "
    "where the fire started. She said the building inspector had approved the new wiring last week.\n"
)


def test_a_spun_paragraph_inside_a_clean_page_is_found(spun_article: str) -> None:
    page = CLEAN_PAGE + spun_article.splitlines()[0] + "\n" + CLEAN_PAGE
    result = untangle.restore(page)
    quote_start = len(CLEAN_PAGE)
    quote_end = quote_start + len(spun_article.splitlines()[0])
    spun_paragraphs = [p for p in result.paragraphs if quote_start <= p.start < quote_end]
    clean_paragraphs = [p for p in result.paragraphs if not quote_start <= p.start < quote_end]
    assert [p.spun_probability > 0.9 for p in spun_paragraphs] == [True]
    assert all(p.spun_probability < 0.5 for p in clean_paragraphs)
    assert result.changes and all(quote_start <= c.start < quote_end for c in result.changes)
    assert any(c.old == "astatine" for c in result.changes)


def test_an_original_written_elsewhere_is_not_read_into_a_spun_form() -> None:
    # "argued" stands as written later on, so this spinner does not replace it: "reasoned" is
    # the author's word, although the paragraph is plainly spun.
    text = (
        "Officials said helium would speak astatine the quality league successful the capital connected Monday. "
        "The curate reasoned that the budget was excessively small, and helium argued that the city should "
        "person acted sooner.\n"
    )
    pairs = changes_of(text)
    assert ("astatine", "at") in pairs and ("person", "have") in pairs
    assert all(old != "reasoned" for old, _ in pairs)


def test_inflected_originals_are_restored_when_the_text_shows_a_spinner_that_inflects() -> None:
    # Inflected words start with a low spin level (the development article's spinner leaves
    # them alone), but a text full of inflected swaps raises it.
    text = (
        SPUN_CONTEXT + "The functionaries reasoned that the budgets were excessively small and utilized the "
        "reserves. The councillors reasoned that the metropolises should person acted sooner, and the "
        "functionaries utilized their funds.\n"
    )
    result = untangle.restore(text)
    pairs = [(c.old, c.new) for c in result.changes]
    assert ("utilized", "used") in pairs and ("metropolises", "cities") in pairs
    assert ("reasoned", "argued") in [(c.old, c.new) for c in result.changes + result.held_back]


def test_a_word_restored_elsewhere_is_less_likely_kept_as_written() -> None:
    # A spinner rewrites a type the same way throughout a text: once "past" is read as the
    # original of a swap, a bare "past" is more likely a spun form ("last" -> "past") than the
    # author's own word. A word never restored keeps the class level.
    from untangle.spinner_model import SubstitutionTable

    table = SubstitutionTable(original_counts={"past": 1.0})
    assert table.stays("week", 0.3) == pytest.approx(0.7)
    assert table.stays("past", 0.3) < 0.15
    assert SubstitutionTable(original_counts={"past": 0.1}).stays("past", 0.3) > table.stays("past", 0.3)


def test_a_written_type_read_as_spun_elsewhere_is_less_likely_the_authors_here() -> None:
    # A spinner emits a written type everywhere or nowhere it could, whatever its originals
    # ("person" for "have" and for "leader"): the type's other occurrences move this one's
    # chance of being as written, and its own share from the last fit is left out.
    from untangle.segment import BARE, sentences
    from untangle.spinner_model import WRITTEN_PSEUDO_COUNT, SubstitutionTable
    from untangle.tokenizer import tokenize

    word = sentences(tokenize("past"))[0][0]
    assert word.word_class == BARE
    spun_twice = SubstitutionTable(written_spun={("past", BARE): (2.0, 2.0)})
    kept_twice = SubstitutionTable(written_spun={("past", BARE): (0.0, 2.0)})
    assert spun_twice.written_stays(word, 0.7, 0.0, 0.0) < 0.3
    assert kept_twice.written_stays(word, 0.7, 0.0, 0.0) > 0.85
    # Only this occurrence was seen: its own share cannot vouch for itself, the level decides.
    alone = SubstitutionTable(written_spun={("past", BARE): (1.0, 1.0)})
    assert alone.written_stays(word, 0.7, 1.0, 1.0) == pytest.approx(0.7)
    assert SubstitutionTable().written_stays(word, 0.7, 0.0, 0.0) == 0.7
    # The level weighs as WRITTEN_PSEUDO_COUNT occurrences against the others.
    expected = 1.0 - (2.0 + WRITTEN_PSEUDO_COUNT * 0.3) / (2.0 + WRITTEN_PSEUDO_COUNT)
    assert spun_twice.written_stays(word, 0.7, 0.0, 0.0) == pytest.approx(expected)
