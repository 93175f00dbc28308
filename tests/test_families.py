"""Spinner families: a user dictionary is fitted as its own family, so a low-rate spinner the user
taught untangle is followed with the built-in table on; passes compose into changes of the input."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from untangle import Restorer
from untangle.cli import main
from untangle.families import _OffsetMap, compose
from untangle.result import Change, Result, apply_changes

sys.path.insert(0, str(Path(__file__).resolve().parent))
from own_texts import CLEAN, LONGER, MORE  # noqa: E402 - a helper module next to the tests

# A phrase rewriter that touches only a handful of common words (about one word in twenty of
# CLEAN): nothing the built-in tables know, so alone they see a clean text.
RULES = {
    "also": "additionally",
    "asked": "requested",
    "would": "may want to",
    "glad": "thrilled",
    "promised": "pledged",
}


def phrase_spin(text: str) -> str:
    """Rewrite every occurrence of the rules' words, as a phrase rewriter does."""
    import re

    pattern = re.compile(r"\b(" + "|".join(RULES) + r")\b")
    return pattern.sub(lambda m: RULES[m.group(1)], text)


@pytest.fixture()
def rules_file(tmp_path: Path) -> Path:
    lines = ["spun\toriginal\trelation\tprior"] + [f"{s}\t{o}\tlearned\t0.9" for o, s in RULES.items()]
    path = tmp_path / "rewriter.tsv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_low_rate_family_is_followed_with_the_builtin_table_on(rules_file: Path) -> None:
    spun = phrase_spin(CLEAN)
    assert Restorer().restore(spun).changes == ()  # the built-in table alone sees nothing
    result = Restorer(dictionaries=(str(rules_file),)).restore(spun)
    assert result.spun_probability > 0.9
    restored = sum(1 for c in result.changes if c.new == {v: k for k, v in RULES.items()}.get(c.old.lower()))
    swaps = sum(spun.count(form) for form in RULES.values())
    assert restored >= 0.8 * swaps and restored == len(result.changes)
    assert {c.family for c in result.changes} == {"rewriter.tsv"}
    assert Restorer(dictionaries=(str(rules_file),)).fix(CLEAN) == CLEAN  # clean text stays clean


def test_check_flags_and_diff_names_the_family(rules_file: Path, tmp_path: Path) -> None:
    (tmp_path / "spun.txt").write_text(phrase_spin(CLEAN), encoding="utf-8")
    (tmp_path / "clean.txt").write_text(CLEAN, encoding="utf-8")
    runner = CliRunner()
    flagged = runner.invoke(main, ["check", "--dictionary", str(rules_file), str(tmp_path / "spun.txt")])
    assert flagged.exit_code == 1, flagged.output
    clean = runner.invoke(main, ["check", "--dictionary", str(rules_file), str(tmp_path / "clean.txt")])
    assert clean.exit_code == 0, clean.output
    diff = runner.invoke(
        main, ["diff", "--format", "json", "--dictionary", str(rules_file), str(tmp_path / "spun.txt")]
    )
    records = [json.loads(line) for line in diff.stdout.splitlines()]
    applied = [r for r in records if r["applied"]]
    assert applied and all(r["family"] == "rewriter.tsv" for r in applied)


def _change(start: int, end: int, source: str, new: str, confidence: float = 0.9) -> Change:
    return Change(start, end, source[start:end], new, confidence, "r")


def test_a_word_two_families_rewrote_comes_back_as_one_change() -> None:
    source = "I secondhand to beryllium late."
    # The WordNet pass undoes "secondhand to beryllium" -> "used to be"; the phrase pass "used to be" -> "was".
    earlier = Result(apply_changes(source, [_change(2, 12, source, "used"), _change(16, 25, source, "be")]), ())
    earlier = Result(earlier.text, (_change(2, 12, source, "used", 0.9), _change(16, 25, source, "be", 0.8)))
    middle = earlier.text
    assert middle == "I used to be late."
    later = Result("I was late.", (_change(2, 12, middle, "was", 0.95),))
    both = compose(source, earlier, later, _OffsetMap(earlier.changes))
    assert both.text == "I was late."
    assert [(c.old, c.new) for c in both.changes] == [("secondhand to beryllium", "was")]
    assert both.changes[0].confidence == pytest.approx(0.9 * 0.8 * 0.95)


@st.composite
def two_passes(draw: st.DrawFn) -> tuple[str, list[Change], list[Change]]:
    words = draw(st.lists(st.sampled_from(["ab", "c", "de", "fgh"]), min_size=1, max_size=12))
    source = " ".join(words)

    def changes_of(text: str) -> list[Change]:
        spans, position = [], 0
        for word in text.split(" "):
            spans.append((position, position + len(word)))
            position += len(word) + 1
        picked = draw(st.lists(st.booleans(), min_size=len(spans), max_size=len(spans)))
        news = draw(st.lists(st.sampled_from(["x", "yy z", "w"]), min_size=len(spans), max_size=len(spans)))
        return [_change(a, b, text, new) for (a, b), on, new in zip(spans, picked, news, strict=True) if on]

    earlier = changes_of(source)
    later = changes_of(apply_changes(source, earlier))
    return source, earlier, later


@given(two_passes())
def test_composed_changes_rebuild_the_last_pass_from_the_input(case: tuple[str, list[Change], list[Change]]) -> None:
    source, earlier_changes, later_changes = case
    middle = apply_changes(source, earlier_changes)
    final = apply_changes(middle, later_changes)
    earlier = Result(middle, tuple(earlier_changes))
    both = compose(source, earlier, Result(final, tuple(later_changes)), _OffsetMap(earlier_changes))
    assert apply_changes(source, both.changes) == final == both.text
    for change in both.changes:
        assert source[change.start : change.end] == change.old
    starts = [c.start for c in both.changes]
    assert all(a.end <= b.start for a, b in zip(both.changes, both.changes[1:], strict=False)) and starts == sorted(
        starts
    )


def test_the_builtin_phrase_family_restores_its_rewrites_only_where_they_replace_the_original() -> None:
    spun = CLEAN.replace(" said", " mentioned").replace(" was ", " used to be ")
    result = Restorer().restore(spun)
    assert {(c.old, c.new, c.family) for c in result.changes} == {
        ("mentioned", "said", "phrases"),
        ("used to be", "was", "phrases"),
    }
    assert result.text == CLEAN
    # A clean text may say "used to be" and "mentioned" where "was" and "said" stand too.
    clean = CLEAN + "\nThe depot used to be a market. Nobody mentioned the cost.\n"
    assert Restorer().fix(clean) == clean


def _table_spin(text: str, rule: int, only: frozenset[str] | None = None) -> tuple[str, int]:
    """Spin `text` with the built-in table's first picks under pick rule `rule` (a bit of
    Entry.picks): every word that has one, or only the words in `only`."""
    import re
    from collections import Counter

    from untangle.dictionary import data_path

    counts = Counter(re.findall(r"[a-z]+", text))
    picks: dict[str, str] = {}
    for line in data_path("substitutions.tsv").read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        if len(fields) == 7 and fields[1] in counts and fields[6].isdigit() and int(fields[6]) & rule:
            picks.setdefault(fields[1], fields[0])
    picks = {o: s for o, s in picks.items() if " " not in s and o not in {"the", "a", "of", "to", "and"}}
    if only is not None:
        picks = {o: s for o, s in picks.items() if o in only}
    spun = re.sub(r"\b[a-z]+\b", lambda m: picks.get(m.group(0), m.group(0)), text)
    return spun, sum(text.count(f" {o} ") for o in picks)


def _nouns_first_spin(text: str) -> tuple[str, int]:
    """Spin `text` as a spinner that picks nouns first would (for many words the adjectives-first
    rule the prior assumes agrees)."""
    return _table_spin(text, 0b10)


def test_a_spinner_that_rewrites_a_few_words_in_a_hundred_is_followed() -> None:
    text = CLEAN + "\n" + MORE + "\n" + LONGER
    # Five words, rewritten everywhere as the development article's spinner would: 2% of words.
    rewritten = frozenset(["asked", "at", "morning", "new", "week"])
    spun, swaps = _table_spin(text, 0b01, rewritten)
    assert swaps / len(text.split()) < 0.03
    result = Restorer().restore(spun)
    assert result.spun_probability > 0.5
    assert len(result.changes) >= 6 and all(c.new.lower() in rewritten for c in result.changes)


def test_a_spinner_that_picks_nouns_first_is_recognised(monkeypatch: pytest.MonkeyPatch) -> None:
    import untangle.spinner_model as spinner_model

    text = CLEAN + "\n" + MORE + "\n" + LONGER
    spun, swaps = _nouns_first_spin(text)
    assert swaps >= 100

    def restored() -> int:
        result = Restorer().restore(spun)
        return sum(1 for c in result.changes if f" {c.new} " in text)

    learning = restored()
    monkeypatch.setattr(spinner_model, "PICK_START", 0.0)  # no share for other rules: the prior alone
    assert learning > restored()


def test_a_form_the_tables_own_rule_picks_says_nothing_about_other_rules() -> None:
    from untangle.dictionary import Entry
    from untangle.spinner_model import SubstitutionTable

    table = SubstitutionTable(rules=(0.1, 0.05, 0.02, 0.3))
    nouns_only = Entry("inch", "in", "synonym", 0.1, picks=0b00010)
    thesaurus_only = Entry("yet", "eventually", "synonym", 0.1, picks=0b10000)  # WordNet 3.1's first pick
    shared = Entry("astatine", "at", "synonym", 0.6, picks=0b11111)
    assert table.prior(nouns_only) == pytest.approx(0.2)
    assert table.responsibilities(nouns_only) == pytest.approx([0.5, 0.0, 0.0, 0.0])
    assert table.prior(thesaurus_only) == pytest.approx(0.4)
    assert table.responsibilities(thesaurus_only) == pytest.approx([0.0, 0.0, 0.0, 0.75])
    assert table.prior(shared) == 0.6 and table.responsibilities(shared) == [0.0, 0.0, 0.0, 0.0]


def test_check_counts_the_changes_of_each_family(rules_file: Path, tmp_path: Path) -> None:
    (tmp_path / "spun.txt").write_text(phrase_spin(CLEAN), encoding="utf-8")
    runner = CliRunner()
    args = ["check", "--format", "json", "--dictionary", str(rules_file), str(tmp_path / "spun.txt")]
    record = json.loads(runner.invoke(main, args).stdout)
    assert record["families"] == {"rewriter.tsv": record["changes"]} and record["changes"] > 0
    text = runner.invoke(main, args[:1] + args[3:]).stdout
    assert f"{record['changes']} changes to make: {record['changes']} rewriter.tsv" in text


def test_a_very_common_word_missing_where_another_stands_is_inferred() -> None:
    import re

    text = CLEAN + "\n" + MORE + "\n" + LONGER
    spun = re.sub(r"\bThe\b", "Issues", re.sub(r"\bthe\b", "issues", text))  # no table lists this
    result = Restorer().restore(spun)
    inferred = [c for c in result.changes if c.family == "inferred"]
    assert {(c.old, c.new) for c in inferred} <= {("issues", "the"), ("Issues", "The")}
    assert len(inferred) >= 0.8 * len(re.findall(r"\b[Tt]he\b", text))
    assert inferred[0].relation == "inferred" and "never uses" in inferred[0].reason
    # A text that uses "the" as English does, and "issues" too, proposes nothing.
    clean = text + "\nThe issues were money, time and the issues of trust that issues of this kind raise.\n"
    assert Restorer().fix(clean) == clean


def test_a_text_in_another_language_infers_nothing() -> None:
    # Our own French: "the", "of", "and", "to" and "in" are all missing, as in any French text;
    # a spinner replacing one of them would leave the others.
    french = (
        "Le maire a annoncé lundi que la nouvelle ligne de bus ouvrira au printemps. Elle a dit que chaque "
        "arrêt aura un abri et une carte, et elle a aussi promis des trajets gratuits pour la première "
        "semaine. Le projet a été retardé deux fois. Les ingénieurs ont dit que le vieux pont de la rue "
        "principale était trop faible pour les bus, et chaque plan pour le réparer était plus cher que le "
        "précédent. Le conseil a aussi demandé une étude de la circulation. Les habitants ont dit qu'ils "
        "étaient contents que le travail soit enfin terminé. Un chauffeur a dit que la route était longue "
        "mais que chaque minute gagnée compterait. Le maire a dit que la ville ajoutera aussi un bus de nuit. "
    ) * 5
    assert Restorer().fix(french) == french


def test_source_code_is_not_read_as_a_low_rate_spinners_work() -> None:
    # untangle's own families.py as it once stood: many short paragraphs with identifiers
    # ("append", "enumerate") that read like spun forms, one odd type vouching in each.
    code = (Path(__file__).resolve().parent / "data" / "source-code.txt").read_text(encoding="utf-8")
    assert Restorer().fix(code) == code


def test_terse_english_without_the_infers_nothing() -> None:
    # Our own recipe: no "the" anywhere, as recipes are written, and many words that could
    # stand for it; no one of them does, so nothing is inferred ("tin" once became "the").
    recipe = (
        "Preheat oven to 180 degrees. Grease a baking tin and line it with paper. Sift flour and salt "
        "into a large bowl. Rub in butter until mixture looks like fine crumbs. Stir in sugar and a "
        "pinch of cinnamon. Beat eggs with milk in a jug, then pour into bowl and mix to a soft dough. "
        "Spoon dough into tin and level top with a knife. Bake in centre of oven for forty minutes, "
        "until golden and firm to touch. Leave to cool in tin for ten minutes, then turn out onto a "
        "rack. Dust with icing sugar and serve warm with cream or jam.\n"
        "Tips: use cold butter for a lighter crumb. Add a handful of raisins with sugar for a fruit "
        "loaf. Swap half of flour for wholemeal flour for a nuttier taste. Store in a tin for up to "
        "three days, or freeze in slices and toast from frozen.\n"
    ) * 3
    assert Restorer().fix(recipe) == recipe
