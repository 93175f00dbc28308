"""The guess tier: where a word is surely not what the author wrote but no original is sure, the
likeliest one is applied and marked a guess in every view; --no-guesses keeps only sure changes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import untangle
from untangle.cli import main
from untangle.result import GUESS, HELD_BACK, SURE

# Our own sentence: "immoderate" is surely spun ("any" or "some"), neither reading is sure.
SPUN = "Nobody knows with immoderate grade of certainty what volition happen.\n"


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def test_a_word_surely_spun_gets_its_likeliest_original_marked_as_a_guess() -> None:
    result = untangle.restore(SPUN)
    guesses = [c for c in result.changes if c.tier == GUESS]
    assert [(c.old, c.new) for c in guesses] == [("immoderate", "any")]
    assert guesses[0].confidence < 0.7 and "best guess" in guesses[0].reason
    assert {c.tier for c in result.changes} == {SURE, GUESS}
    assert all(c.tier == HELD_BACK for c in result.held_back)
    assert result.text == "Nobody knows with any degree of certainty what will happen.\n"


def test_no_guesses_gives_only_sure_changes() -> None:
    result = untangle.Restorer(guesses=False).restore(SPUN)
    assert all(c.tier == SURE for c in result.changes)
    assert "immoderate" in result.text and "degree" in result.text
    assert any(c.old == "immoderate" and c.tier == HELD_BACK for c in result.held_back)


def test_every_view_marks_the_guess(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(SPUN, encoding="utf-8")
    word = runner.invoke(main, ["diff", "--format", "word", str(path)])
    assert "[-immoderate-]{~any~}" in word.stdout and "[-grade-]{+degree+}" in word.stdout
    assert "(1 best guess)" in word.stderr
    rich = runner.invoke(main, ["diff", "--format", "rich", "--color", "never", str(path)]).stdout
    assert "immoderate -> any" in rich and "best guess" in rich
    output = runner.invoke(main, ["diff", "--format", "json", str(path)]).stdout
    records = [json.loads(line) for line in output.splitlines()]
    by_old = {(r["old"], r["applied"]): r["tier"] for r in records}
    assert by_old[("immoderate", True)] == "guess" and by_old[("grade", True)] == "sure"
    unified = runner.invoke(main, ["diff", "--format", "unified", str(path)])
    assert "+Nobody knows with any degree" in unified.stdout and "1 best guess" in unified.stderr
    page = runner.invoke(main, ["diff", "--format", "html", str(path)]).stdout
    assert 'class="change' in page and 'data-tier="guess"' in page and 'id="show-guesses"' in page
    assert ' guess"' in page.split('data-old="immoderate"')[0].rsplit("<span", 1)[1]
    check = runner.invoke(main, ["check", str(path)]).stdout
    assert "1 of them best guesses" in check
    explained = runner.invoke(main, ["explain", SPUN]).stdout
    assert "guessed 'any'" in explained
    fixed = runner.invoke(main, ["fix", str(path)])
    assert fixed.stdout.startswith("Nobody knows with any degree") and "1 best guess applied" in fixed.stderr
    review = runner.invoke(main, ["review", str(path)], input="n\nn\nn\nn\n").stdout
    assert "GUESS" in review.split("immoderate")[0].rsplit("\n[", 1)[1]  # in the header of its own change


def test_no_guesses_on_the_command_line_and_in_the_configuration(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(SPUN, encoding="utf-8")
    plain = runner.invoke(main, ["fix", "--no-guesses", str(path)]).stdout
    assert "immoderate degree" in plain
    (tmp_path / ".untangle.toml").write_text("guesses = false\n", encoding="utf-8")
    assert runner.invoke(main, ["fix", str(path)]).stdout == plain
    word = runner.invoke(main, ["diff", "--format", "word", str(path)]).stdout
    assert "{~" not in word and "[-immoderate-]{?any?}" in word


@pytest.mark.parametrize(
    "text",
    [
        "The museum bought a carnal painting of two lovers from a private collector last spring.\n",
        "The aboriginal art of the region is shown in three rooms, with notes by elders of the community.\n",
        "Helium is lighter than air, which is why the balloon rose so quickly above the square.\n",
    ],
)
def test_clean_text_with_rare_words_is_untouched(text: str) -> None:
    article = (
        "The council met on Tuesday to discuss the new budget for the town library.\n"
        + text
        + "Members agreed that the reading room needs new lights before the winter.\n"
    )
    assert untangle.fix(article) == article


def test_the_report_numbers_ten_sentences_and_more_with_room_for_their_digits() -> None:
    from untangle.html_report import HtmlReport

    text = "".join(f"Sentence {n} was said astatine noon.\n" for n in range(12))
    report = HtmlReport()
    report.add("a.txt", text, untangle.restore(text))
    page = report.render()
    assert page.count('<li class="sentence') >= 10 and '<ol class="w2">' in page
    assert "ol.w2{padding-left:4ch}" in page  # "10." keeps its "1" (it was cut to "0.")


def _decided(keeps: list[float]) -> list:
    """The engine's decision for "They took the territory back." read once per `keeps` entry,
    each time with P(as written | spun) of "territory" as given and the rest of the mass on
    "jurisdiction" (0.6 of it) and "district"."""
    from untangle.decision import decide
    from untangle.decoding import Sentence
    from untangle.dictionary import Entry
    from untangle.lattice import Arc
    from untangle.segment import segmented

    text = "".join("They took the territory back.\n" for _ in keeps)
    tokens, split = segmented(text)
    work, spun = [], {}
    for words, keep in zip(split, keeps, strict=True):
        sentence = Sentence(words, [[] for _ in words])
        position = next(i for i, w in enumerate(words) if w.lower == "territory")
        sentence.posteriors[Arc(position, position + 1, ("territory",), 0.0)] = keep
        for original, share in (("jurisdiction", 0.6), ("district", 0.4)):
            entry = Entry("territory", original, "synonym", 0.3)
            sentence.posteriors[Arc(position, position + 1, (original,), 0.0, entry)] = (1 - keep) * share
        work.append(sentence)
        spun[sentence.paragraph] = 1.0
    return decide(tokens, work, spun, 0.7)[0]


def test_a_type_read_as_written_elsewhere_is_not_guessed() -> None:
    # Alone, "territory" at P(as written) 0.05 is surely spun: its likeliest original is guessed.
    assert [(c.new, c.tier) for c in _decided([0.05])] == [("jurisdiction", GUESS)]
    # The same word confidently as written elsewhere: a spinner maps a type one way, so the
    # author wrote it here too, as far as a guess goes (a sure change would still be made).
    assert _decided([0.05, 0.95]) == []
