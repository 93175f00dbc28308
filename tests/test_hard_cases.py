"""The hard cases of restoration: ambiguous spun words decided by context and document evidence.

Every text here was written for these tests. The spun article uses one consistent spinner
mapping (as a real spinner does): have->person, leader->person, last->past, want->privation,
some/any->immoderate, he->helium, at->astatine, in->successful, on->connected, as->arsenic ...
Known failures are strict xfails: they document what untangle cannot do yet, and the suite tells
us when one starts to pass.
"""

from __future__ import annotations

import pytest

import untangle

SPUN_ARTICLE = (
    "The talks successful Geneva ended connected Friday without a deal, officials said. The "
    "delegations person met 3 times since the past summit, and each broadside person accused the "
    "different of stalling. Helium told reporters astatine the airport that the government would not "
    "alteration its position due to the fact that immoderate of the demands were unacceptable.\n"
    "Diplomats said the past circular of talks had produced small advancement. They privation to "
    "present a caller proposal successful the spring, but nary 1 expects immoderate breakthrough "
    "soon. The foreign curate said the state would effort again, arsenic it did past year, and that "
    "helium remained hopeful astir a truthful called interim agreement.\n"
)


def restored(sentence: str) -> str:
    """The restored form of `sentence` when it is the last paragraph of the spun article."""
    return untangle.fix(SPUN_ARTICLE + sentence + "\n").split("\n")[-2]


def test_have_from_person_before_a_participle() -> None:
    assert "they have achieved" in restored(
        "Negotiators said they person achieved astir arsenic overmuch arsenic possible."
    )


@pytest.mark.xfail(strict=True, reason="leader is a low-prior original of 'person'; the context alone does not lift it")
def test_leader_from_person_after_a_nationality() -> None:
    assert "the Ukrainian leader did not" in restored(
        "Successful the end, the Ukrainian person did not repeat the demand."
    )


def test_want_restored_and_present_kept() -> None:
    assert restored("They privation to present the possibility to voters.") == (
        "They want to present the possibility to voters."
    )


def test_helium_said_in_a_spun_article_becomes_he_said() -> None:
    assert restored("Helium said the vote would beryllium held adjacent month.").startswith("He said")


def test_helium_in_a_clean_science_paragraph_stays() -> None:
    text = (
        "Helium is lighter than air, which is why balloons filled with it rise. The gas is also used to "
        "cool the magnets in hospital scanners, and most of the world's supply comes from natural gas "
        "fields, where helium collects underground over millions of years.\n"
        "Researchers said the supply of helium would stay tight until a new plant opens next year.\n"
    )
    assert untangle.fix(text) == text


@pytest.mark.xfail(
    strict=True, reason="the trigram model prefers 'the past week'; one occurrence is not enough evidence"
)
def test_past_week_becomes_last_week_in_a_spun_article() -> None:
    assert "last week" in restored("The curate met his counterpart successful the past week.")


def test_past_week_stays_in_a_clean_article() -> None:
    text = (
        "The city library extended its opening hours over the past week, and the number of visitors rose "
        "by a third. The director said the change would stay in place for the summer.\n"
    )
    assert untangle.fix(text) == text


def test_immoderate_before_possibilities_becomes_some() -> None:
    assert "there are some possibilities" in restored("Helium said determination are immoderate possibilities.") or (
        "are some possibilities" in restored("Officials said location are immoderate possibilities.")
    )


def test_immoderate_grade_becomes_any_degree() -> None:
    # 'any' and 'some' split the posterior; neither is sure, but "immoderate" is surely not
    # the author's and 'any' is the likelier: a best guess.
    assert "any degree of certainty" in restored(
        "Nobody knows with immoderate grade of certainty what volition happen."
    )


def test_helium_stays_in_two_short_clean_sentences() -> None:
    text = (
        "Helium is lighter than air, which is why the balloon rose so quickly. "
        "A person at the front desk can answer questions about the present schedule."
    )
    assert restored(text) == text
