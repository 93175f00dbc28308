"""The context-scorer seam: settling open decisions, driven by fake scorers (no model needed)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from untangle.context import ContextScorer, Passage, TrigramScorer, Variant
from untangle.engine import Options
from untangle.language_model import default_model
from untangle.pipeline import default_engine

# Our own spun text: "successful" (for "in") and "person" (for "have") are the spinner's forms.
SPUN = (
    "The mayor said connected Monday that the city volition unfastened the bridge successful March. "
    "Workers person been repairing it since the flood, and they person finished most of the deck.\n"
)


@pytest.fixture(autouse=True)
def open_more(monkeypatch: pytest.MonkeyPatch) -> None:
    """A short text leaves few words open at the shipped bar; these tests open every word the
    lattice is not all but certain of, so the fake scorers have decisions to drive."""
    import untangle.settle

    monkeypatch.setattr(untangle.settle, "SURE", 0.999)
    monkeypatch.setattr(untangle.settle, "FLOOR", 0.001)


class Recording:
    """A fake scorer that remembers what it was asked and answers with a fixed rule."""

    name = "fake"

    def __init__(self, rule) -> None:  # noqa: ANN001 - rule(current text, variant) -> float
        self.rule = rule
        self.calls: list[tuple[str, list[Passage]]] = []

    def score(self, text: str, passages: Sequence[Passage]) -> list[list[float]]:
        self.calls.append((text, list(passages)))
        return [[self.rule(text, v) for v in p.variants] for p in passages]


def _restore(text: str, scorer: ContextScorer, threshold: float = 0.7):  # noqa: ANN202
    return default_engine().restore(text, Options(threshold, scorer))


def test_fake_scorers_satisfy_the_protocol() -> None:
    scorer: ContextScorer = Recording(lambda text, v: 0.0)
    assert scorer.score("a b", [Passage(0, 3, (Variant(0, 1, "c"),))]) == [[0.0]]


def test_a_scorer_that_prefers_the_text_as_read_keeps_the_lattice_decisions() -> None:
    plain = default_engine().restore(SPUN)
    # No variant is better than the reading in place: settling can only sharpen what the lattice chose.
    settled = _restore(SPUN, Recording(lambda text, v: -50.0))
    assert {(c.old, c.new) for c in plain.changes} <= {(c.old, c.new) for c in settled.changes}


def test_the_scorer_decides_what_the_lattice_left_open() -> None:
    def against_in(text: str, variant: Variant) -> float:
        # Reading "successful" as "in" costs 30 nats; every other variant is neutral.
        if variant.replacement is None:
            return -math.inf
        before = text[variant.start : variant.end].lower()
        after = variant.replacement.lower()
        if "in" in after.split() and "in" not in before.split():
            return -30.0
        if "in" in before.split() and "in" not in after.split():
            return 30.0
        return 0.0

    scorer = Recording(against_in)
    result = _restore(SPUN, scorer)
    assert scorer.calls, "a spun text has open decisions to settle"
    assert ("successful", "in") not in {(c.old, c.new) for c in result.changes}
    assert all(c.scorer in ("fake", "trigram") for c in result.changes)


def test_changes_say_which_scorer_decided() -> None:
    result = _restore(SPUN, Recording(lambda text, v: 0.0 if v.replacement is None else 2.0))
    assert {c.scorer for c in result.changes} <= {"fake", "trigram"}
    assert any(c.scorer == "fake" for c in result.changes)
    assert all("scorer" in c.as_dict() for c in result.changes)


def test_clean_text_is_never_sent_to_the_scorer(clean_article: str) -> None:
    scorer = Recording(lambda text, v: 100.0)  # would change everything it saw
    result = _restore(clean_article, scorer)
    assert scorer.calls == []
    assert result.text == clean_article


def test_passages_point_at_the_text_as_read() -> None:
    scorer = Recording(lambda text, v: 0.0)
    _restore(SPUN, scorer)
    (text, passages), *_ = scorer.calls
    assert [p.start for p in passages] == sorted(p.start for p in passages)
    for passage in passages:
        for variant in passage.variants:
            assert passage.start <= variant.start <= variant.end <= passage.end
    # The text as read already has the lattice's sure restorations in it.
    assert "will" in text


def test_an_open_slot_that_fits_far_better_holds_a_listed_original_back(monkeypatch: pytest.MonkeyPatch) -> None:
    import untangle.decoding

    # Only the lattice's readings are offered: this fake finds every offered word as fitting, and
    # dozens of contenders from the pool would share the mass evenly.
    monkeypatch.setattr(untangle.decoding, "POOL", 0)

    # A scorer that says some unlisted word fits every open one-word slot far better than anything
    # offered: those words are held back as "spun from an original no table lists".
    def settled(open_slot: float) -> set[tuple[str, str]]:
        result = _restore(SPUN, Recording(lambda text, v: open_slot if v.replacement is None else 0.0))
        return {(c.old, c.new) for c in result.changes if c.scorer == "fake"}

    better_elsewhere, unanswered, worse_elsewhere = settled(40.0), settled(-math.inf), settled(-40.0)
    assert better_elsewhere < unanswered
    # An open slot that fits far worse than what is offered makes the listed originals likelier
    # than when the scorer cannot say (an unlisted original then reads like the best listed one).
    assert unanswered <= worse_elsewhere


def test_the_scorer_can_choose_an_original_the_lattice_did_not_keep(monkeypatch: pytest.MonkeyPatch) -> None:
    import untangle.candidates
    import untangle.decoding

    engine = default_engine()
    entries = engine.dictionary.starting_with("person")
    listed = [e.original for e in entries if e.spun == "person" and " " not in e.original]
    # Past what the lattice ever decodes (REVERSE_PRESELECT by the dictionary's order), within the pool.
    wanted = listed[untangle.candidates.REVERSE_PRESELECT + 2]
    assert listed.index(wanted) < untangle.decoding.POOL

    def for_wanted(text: str, variant: Variant) -> float:
        if variant.replacement is None:
            return -math.inf
        return 30.0 if wanted in variant.replacement.lower().split() else 0.0

    def suggested(scorer: Recording) -> set[tuple[str, str]]:
        result = _restore(SPUN, scorer)
        return {(c.old, c.new) for c in result.changes + result.held_back if c.scorer == "fake"}

    scorer = Recording(for_wanted)
    # Suggested, at least: a rarely chosen original shares its fit with "an original no table lists".
    assert ("person", wanted) in suggested(scorer)
    # A reading with an original in it contends, with a prior against the reading in place (the
    # channel model's and the trigram's, in the scorer's units); an open slot and the words as
    # written are always scored in full.
    variants = [v for _, passages in scorer.calls for p in passages for v in p.variants]
    assert all(v.prior is not None for v in variants if v.replacement and wanted in v.replacement.lower().split())
    assert all(v.prior is None for v in variants if v.replacement is None)
    assert all(v.replacement in SPUN for v in variants if v.prior is None and v.replacement is not None)
    monkeypatch.setattr(untangle.decoding, "POOL", 0)  # the lattice's readings alone never offer it
    assert ("person", wanted) not in suggested(Recording(for_wanted))


@pytest.mark.parametrize("text", ["Helium said astatine the meeting.", "He said at the meeting."])
def test_trigram_scorer_prefers_the_original(text: str) -> None:
    scorer = TrigramScorer(default_model())
    sentence = "He said at the meeting." if text.startswith("He ") else "Helium said astatine the meeting."
    start = sentence.index("at") if sentence.startswith("He ") else sentence.index("astatine")
    word = "at" if sentence.startswith("He ") else "astatine"
    other = "astatine" if word == "at" else "at"
    (score,) = scorer.score(sentence, [Passage(0, len(sentence), (Variant(start, start + len(word), other),))])[0]
    assert (score < 0) == (word == "at")
    (open_slot,) = scorer.score(sentence, [Passage(0, len(sentence), (Variant(start, start + len(word), None),))])[0]
    assert open_slot == -math.inf  # a trigram cannot search its vocabulary


SPUN_WORDS = ["Helium", "astatine", "successful", "connected", "person", "arsenic", "volition", "said", "the"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.one_of(st.sampled_from(SPUN_WORDS), st.text(max_size=6)), max_size=30),
    st.floats(-20, 20, allow_nan=False),
)
def test_settling_any_text_keeps_everything_but_the_changed_words(pieces: list[str], answer: float) -> None:
    text = SPUN + " ".join(pieces)
    result = _restore(text, Recording(lambda current, v: answer))
    rebuilt, position = [], 0
    for change in result.changes:
        assert text[change.start : change.end] == change.old
        rebuilt.append(text[position : change.start] + change.new)
        position = change.end
    assert "".join(rebuilt) + text[position:] == result.text
    assert all(0.0 <= c.confidence <= 1.0 for c in result.changes)


# "Helium" stands as itself in the first sentence of the second paragraph; in the second it is
# the spinner's form of "He", a change the trigram is sure of.
HELIUM = SPUN + (
    "The fair sold balloons filled with helium, a gas lighter than air. Helium said the balloons were popular.\n"
)


@pytest.mark.parametrize("check", [True, False])
def test_a_sure_change_of_a_word_the_text_uses_as_itself_is_checked(
    monkeypatch: pytest.MonkeyPatch, check: bool
) -> None:
    import untangle.settle

    monkeypatch.setattr(untangle.settle, "SURE", 0.9)
    monkeypatch.setattr(untangle.settle, "CHECK_SURE", check)
    plain = {(c.old, c.new) for c in default_engine().restore(HELIUM).changes}
    assert {("Helium", "He"), ("person", "have")} <= plain

    def for_written(word: str, nats: float = 30.0):  # noqa: ANN202
        return lambda text, v: -math.inf if v.replacement is None else (nats if v.replacement == word else 0.0)

    # A scorer that finds the words as written far likelier takes the change back, but only where
    # the document uses that word as itself elsewhere ("person" is never left as written).
    for word, taken_back in (("Helium", check), ("person", False)):
        scorer = Recording(for_written(word))
        changes = {(c.old, c.new) for c in _restore(HELIUM, scorer).changes}
        assert ((word, "He" if word == "Helium" else "have") not in changes) == taken_back
    # A scorer that finds the change the likelier reading keeps it.
    kept = _restore(HELIUM, Recording(for_written("Helium", -30.0))).changes
    assert ("Helium", "He") in {(c.old, c.new) for c in kept}


# A page of our own: a clean paragraph, a spun one, a lightly spun one and a clean one. The
# trigram fit leaves the first (clean) paragraph in doubt (P(spun) about 0.4, near the page kind's
# prior: its few suspicious words read as written even given a spun paragraph).
PAGE = [
    "The town council met on Tuesday evening to discuss the budget for the coming year, and most "
    "members agreed that the roads should come first.",
    "The mayor said connected Monday that the city volition unfastened the bridge successful March. "
    "Workers person been repairing it since the flood, and they person finished most of the deck.",
    "Traffic volition return to the old road successful the spring, when the last of the barriers "
    "comes down and the crews move on to the next town.",
    "A public meeting about the plans for the old mill will be held next month at the community "
    "centre, and everyone is welcome to attend.",
]


def _judging(changes_fit: float):  # noqa: ANN202
    """A scorer that finds any word the page does not hold `changes_fit` nats likelier (or less
    likely, if negative) than the words as written, whatever the reading in place."""
    written = {word.strip(".,").lower() for paragraph in PAGE for word in paragraph.split()}

    def fit(piece: str) -> float:
        return changes_fit if any(w.strip(".,").lower() not in written for w in piece.split()) else 0.0

    def rule(text: str, variant: Variant) -> float:
        if variant.replacement is None:
            return -math.inf
        return fit(variant.replacement) - fit(text[variant.start : variant.end])

    return rule


def test_the_scorer_weighs_in_on_a_paragraph_the_trigram_fit_leaves_in_doubt() -> None:
    """A paragraph the fit reads as perhaps spun (short of one half) has its suspicious words
    scored too: where the wider context finds the words as written unlikely, the paragraph is
    likelier spun; where it finds them right, it is likelier clean. Paragraphs the fit is sure
    of keep their reading."""
    text = "\n".join(PAGE) + "\n"
    plain = default_engine().restore(text).paragraphs
    assert 0.05 <= plain[0].spun_probability < 0.5 and plain[1].spun_probability > 0.99
    written_fits = _restore(text, Recording(_judging(-10.0)))
    assert written_fits.paragraphs[0].spun_probability < plain[0].spun_probability
    assert written_fits.text.split("\n")[0] == PAGE[0]
    written_fails = _restore(text, Recording(_judging(10.0)))
    assert written_fails.paragraphs[0].spun_probability > 0.5 > plain[0].spun_probability
    assert written_fails.paragraphs[1].spun_probability == pytest.approx(plain[1].spun_probability)
