"""Numbers written as digits: a spinner writes "1" for "one" (WordNet lists the numeral beside the
name), so the table offers the name for the numeral; the trigram model, trained on speech
transcripts that spell numbers out, reads a numeral as its name, so it never takes a numeral for a
spun word on its own (authors write digits too)."""

from __future__ import annotations

import pytest

import untangle
from untangle.dictionary import builtin
from untangle.explain import explain
from untangle.language_model import SPOKEN_NUMBERS, LanguageModel, compiled_core


def test_the_table_offers_the_spelled_out_number_for_a_numeral() -> None:
    table = builtin()
    for numeral, name in (("1", "one"), ("2", "two"), ("10", "ten")):
        assert name in {entry.original for entry in table.starting_with(numeral)}


def test_spoken_names_are_one_word_each() -> None:
    assert SPOKEN_NUMBERS["1"] == "one" and SPOKEN_NUMBERS["20"] == "twenty" and SPOKEN_NUMBERS["90"] == "ninety"
    assert "21" not in SPOKEN_NUMBERS and "100" not in SPOKEN_NUMBERS
    assert all(" " not in name for name in SPOKEN_NUMBERS.values())


@pytest.mark.parametrize("compiled", [True, False])
def test_the_trigram_reads_a_numeral_as_its_spoken_name(compiled: bool) -> None:
    if compiled and compiled_core() is None:
        pytest.skip("the compiled core is not built")
    model = LanguageModel(compiled=compiled)
    assert model.logprob("1", ("in", "born")) == model.logprob("one", ("in", "born"))
    assert model.logprob("week", ("1", "in")) == model.logprob("week", ("one", "in"))
    assert model.in_vocabulary("7")
    assert not model.in_vocabulary("4711")  # a numeral with no one-word name stays unknown


def test_a_clean_text_with_numerals_is_untouched() -> None:
    text = (
        "The team won 2 of its 3 games and scored 10 goals in 1 week, the coach said on Monday.\n"
        "Tickets for the final cost 20 dollars, and 1 in 4 seats is already sold.\n"
    )
    assert untangle.fix(text) == text


def test_a_numeral_in_a_spun_paragraph_is_offered_but_not_forced_by_the_trigram() -> None:
    spun = (
        "Helium said the council volition conscionable astatine 10 a.m. connected Monday, and that nary 1 "
        "expects a ballot earlier the outpouring.\n"
    )
    text = untangle.fix(spun)
    assert text.startswith("He said the council will") and "at 10 a.m. on Monday" in text
    assert "no 1 expects" in text  # the trigram cannot tell "1" from "one": not applied
    (numeral,) = [suspect for suspect in explain(spun, words=frozenset({"1"})) if suspect.word == "1"]
    assert numeral.readings[0].original == "one" and numeral.readings[0].probability > 0.0  # but weighed
