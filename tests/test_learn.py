"""`untangle learn`: from a spun/original pair to a dictionary that restores unseen text spun the
same way; from spun text alone to proposals. Texts and spinner are ours (tests/data, phrase_spinner)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from untangle import Restorer
from untangle.cli import main
from untangle.dictionary import load_entries
from untangle.learn import learn_from_pairs, propose_from_corpus, substitutions

sys.path.insert(0, str(Path(__file__).resolve().parent))
from phrase_spinner import score, spin  # noqa: E402 - a helper module next to the tests

DATA = Path(__file__).resolve().parent / "data"
TRAIN = (DATA / "learn-train.txt").read_text(encoding="utf-8")
UNSEEN = (DATA / "learn-test.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def learned_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("learn")
    spun, _ = spin(TRAIN)
    (folder / "spun.txt").write_text(spun, encoding="utf-8")
    (folder / "original.txt").write_text(TRAIN, encoding="utf-8")
    output = folder / "mine.tsv"
    result = CliRunner().invoke(
        main, ["learn", "--pair", str(folder / "spun.txt"), str(folder / "original.txt"), "-o", str(output)]
    )
    assert result.exit_code == 0, result.output
    return output


def test_a_pair_yields_its_phrase_and_word_swaps_and_their_inflections(learned_file: Path) -> None:
    pairs = {(e.spun, e.original): e for e in load_entries(learned_file)}  # the standard format, validated
    for swap in [
        ("most cancers", "cancer"),
        ("home windows", "windows"),
        ("software program", "software"),
        ("make use of", "use"),
        ("counterfeit consciousness", "artificial intelligence"),
        ("used to be", "was"),
        ("stated", "said"),
        ("firm", "company"),  # only ever next to another swap ("tiny firm", "firm requires")
    ]:
        assert swap in pairs, swap
        assert pairs[swap].relation == "learned"
    assert pairs[("stated", "said")].prior > 0.9  # "said" was always rewritten
    assert ("assisted", "helped") in pairs and pairs[("assisted", "helped")].relation == "learned-inflection"
    assert ("exhibits", "shows") in pairs
    assert not any(original == "the" or spun == "the" for spun, original in pairs)


def test_edits_between_versions_are_not_learned() -> None:
    original = "The team said the bridge cost 40 million. It opened in May. Officials were very pleased."
    spun = (
        "The squad stated the span cost 45 million. It opened in May after years of delays and "
        "arguments between the city and the builders. Officials were extremely pleased."
    )
    found = substitutions(spun, original)
    assert ("extremely", "very") in found and ("span", "bridge") in found
    assert ("squad stated", "team said") in found  # adjacent swaps seen once: one or two? kept whole
    assert not any(any(ch.isdigit() for ch in s + o) for s, o in found)  # a changed number
    assert not any("delays" in s or "builders" in s for s, o in found)  # an added sentence


def test_the_learned_dictionary_restores_an_unseen_text_spun_the_same_way(learned_file: Path) -> None:
    spun, swaps = spin(UNSEEN)
    alone = Restorer(dictionaries=(str(learned_file),), builtin=False).restore(spun)
    recall, precision = score(spun, swaps, alone.changes)
    assert recall >= 0.75 and precision >= 0.97, (recall, precision)
    with_builtin = Restorer(dictionaries=(str(learned_file),)).restore(spun)
    assert score(spun, swaps, with_builtin.changes)[0] >= 0.70
    without = Restorer().restore(spun)
    assert score(spun, swaps, without.changes)[0] < 0.4  # the built-in WordNet table alone cannot
    assert Restorer(dictionaries=(str(learned_file),), builtin=False).fix(UNSEEN) == UNSEEN  # clean stays


def test_the_command_line_uses_a_learned_dictionary(learned_file: Path, tmp_path: Path) -> None:
    spun, _ = spin(UNSEEN)
    runner = CliRunner()
    fixed = runner.invoke(main, ["fix", "--dictionary", str(learned_file), "--no-builtin"], input=spun).stdout
    assert "most cancers" not in fixed and "cancer in a scan" in fixed
    assert "farmers use machine learning" in fixed
    assert runner.invoke(main, ["fix", "--no-builtin"], input=spun).exit_code == 2  # needs a dictionary
    (tmp_path / ".untangle.toml").write_text(
        f'builtin = false\ndictionaries = ["{learned_file.as_posix()}"]\n', encoding="utf-8"
    )
    (tmp_path / ".git").mkdir()
    (tmp_path / "a.txt").write_text(spun, encoding="utf-8")
    assert runner.invoke(main, ["fix", str(tmp_path / "a.txt")]).stdout == fixed
    assert "builtin = false" in runner.invoke(main, ["config", str(tmp_path / "a.txt")]).stdout


def test_usage_errors() -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["learn"]).exit_code == 2
    assert runner.invoke(main, ["learn", "--pair", "missing.txt", "other.txt"]).exit_code == 3


def test_spun_text_alone_gives_proposals_best_first(spun_article: str) -> None:
    proposals = propose_from_corpus([spun_article, spin(TRAIN)[0]], minimum_count=2)
    top = {(p.spun, p.original) for p in proposals[:8]}
    assert {("astatine", "at"), ("helium", "he")} <= top
    assert ("stated", "said") in {(p.spun, p.original) for p in proposals}
    assert [p.score for p in proposals] == sorted((p.score for p in proposals), reverse=True)


def test_a_rewritten_auxiliary_is_learned_without_inflections_of_it() -> None:
    original = "The roads were closed. Drivers were angry. The bridges were old and the ferries were slow."
    spun = original.replace("were", "had been")
    rows = {(e.spun, e.original): e for e in learn_from_pairs([(spun, original)])}
    assert ("had been", "were") in rows
    assert not any(e.relation == "learned-inflection" for e in rows.values())  # no "has been" <- "is"


def test_corpus_proposals_include_an_original_no_table_lists() -> None:
    import re

    from own_texts import CLEAN, LONGER, MORE

    text = CLEAN + "\n" + MORE + "\n" + LONGER
    spun = re.sub(r"\bThe\b", "Issues", re.sub(r"\bthe\b", "issues", text))
    proposals = {p.spun: p for p in propose_from_corpus([spun])}
    assert proposals["issues"].original == "the"  # WordNet would offer "children" or "topics"
