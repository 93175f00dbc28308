"""The neural scorer for real (Gemma 3 270M through llama.cpp): run where the neural extra is installed.

CI installs the extra, so these run there; on a machine without it they are skipped, and the
one test that needs no model checks the error a user then gets.
"""

from __future__ import annotations

import json
import math

import pytest
from click.testing import CliRunner

import untangle
from untangle.cli import main
from untangle.context import Passage, Variant

HAVE_EXTRA = __import__("untangle.neural", fromlist=["missing"]).missing() is None
needs_model = pytest.mark.skipif(not HAVE_EXTRA, reason="the neural extra is not installed")


def test_without_the_extra_neural_is_a_one_line_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import untangle.neural

    monkeypatch.setattr(untangle.neural, "missing", lambda: "--neural needs the neural extra: pip install x")
    result = CliRunner().invoke(main, ["fix", "--neural"], input="Helium said astatine noon.\n")
    assert result.exit_code == 2
    assert "pip install" in result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == ""


@pytest.fixture(scope="module")
def scorer():  # noqa: ANN201
    from untangle.neural import default_scorer

    return default_scorer()


def _one(scorer, sentence: str, word: str, replacement: str | None) -> float:  # noqa: ANN001
    start = sentence.index(word)
    return scorer.score(sentence, [Passage(0, len(sentence), (Variant(start, start + len(word), replacement),))])[0][0]


@needs_model
def test_the_model_is_assembled_once_into_the_cache() -> None:
    from untangle.neural import MODEL_BYTES, model_path

    path = model_path()
    assert path.stat().st_size == MODEL_BYTES
    assert model_path() == path
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]  # no half-written file left


@needs_model
def test_it_prefers_the_original_to_the_spun_word(scorer) -> None:  # noqa: ANN001
    assert _one(scorer, "He said astatine the meeting that it was over.", "astatine", "at") > 5
    assert _one(scorer, "He said at the meeting that it was over.", "at", "astatine") < -5


@needs_model
def test_only_the_best_looking_contenders_are_scored_in_full(scorer) -> None:  # noqa: ANN001
    from untangle.neural import CONTENDERS, MARGIN

    sentence = "We met astatine the station before the storm arrived."
    start = sentence.index("astatine")

    def scores(*variants: tuple[str, float | None]) -> list[float]:
        span = [Variant(start, start + 8, word, prior) for word, prior in variants]
        return scorer.score(sentence, [Passage(0, len(sentence), tuple(span))])[0]

    alone = scores(("at", None), ("near", None))
    # A contender that looks MARGIN nats worse than the reading in place is not scored; one that
    # looks well is scored as if it had no prior.
    at, near = scores(("at", 0.0), ("near", -(MARGIN + 40.0)))
    assert at == pytest.approx(alone[0], abs=0.5) and near == -math.inf
    # Of many that look alike, only CONTENDERS are scored; variants without a prior always are.
    words = ["at", "near", "by", "outside", "behind", "beside"]
    ranked = scores(*[(w, 0.0) for w in words], ("inside", None))
    assert sum(1 for s in ranked[:-1] if s > -math.inf) == CONTENDERS and math.isfinite(ranked[-1])
    assert ranked[0] > -math.inf  # "at" looks best after "We met"


@needs_model
def test_the_text_before_counts(scorer) -> None:  # noqa: ANN001
    chemistry = "The balloon was filled with a light noble gas. It was helium"
    politics = "The senator walked to the podium and waited. Then he"
    text = f"{chemistry} that lifted it.\n{politics} spoke."
    first = text.index("helium")
    second = text.index("he spoke")
    passages = [
        Passage(0, len(chemistry) + 15, (Variant(first, first + 6, "he"),)),
        Passage(len(chemistry) + 16, len(text), (Variant(second, second + 2, "helium"),)),
    ]
    (to_he,), (to_helium,) = scorer.score(text, passages)
    assert to_he < 0 and to_helium < 0


@needs_model
def test_scores_are_deterministic_and_an_open_slot_is_finite(scorer) -> None:  # noqa: ANN001
    sentence = "The committee will meet successful March to discuss the budget."
    start = sentence.index("successful")
    passage = Passage(0, len(sentence), (Variant(start, start + 10, "in"), Variant(start, start + 10, None)))
    first = scorer.score(sentence, [passage])
    assert scorer.score(sentence, [passage]) == first
    to_in, open_slot = first[0]
    assert to_in > 0 and math.isfinite(open_slot)


@needs_model
def test_a_long_text_restarts_the_memory_and_still_scores(scorer, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    import untangle.neural

    # One spun word per sentence; the sentences differ in length, so that positions after a
    # restart fall where other sentences' tokens stood before it.
    sentences = [
        "We met astatine the station before the storm arrived.",
        "Later that evening the whole family walked slowly to the old market astatine dusk.",
        "She waited astatine home.",
        "The children played in the garden while their parents cooked dinner astatine the long table.",
        "Nobody arrived astatine noon.",
        "The train left astatine six and reached the coast a little after the sun had set.",
    ]
    text, passages = "", []
    for sentence in sentences:
        at = len(text) + sentence.index("astatine")
        passages.append(Passage(len(text), len(text) + len(sentence), (Variant(at, at + 8, "at"),)))
        text += sentence + " "
    whole = scorer.score(text, passages)
    monkeypatch.setattr(untangle.neural, "KEEP_TOKENS", 40)  # the first three sentences fit, the fourth restarts
    monkeypatch.setattr(untangle.neural, "RESTART_TOKENS", 12)
    restarted = scorer.score(text, passages)
    # What was read before the first restart scores as in one pass (llama.cpp's kernels differ a
    # little with the batch size, so not to the last digit), though the positions after the
    # restart repeat its numbers; after it, all still score.
    assert [s[0] for s in restarted[:3]] == pytest.approx([s[0] for s in whole[:3]], abs=0.5)
    assert whole[0][0] > 0 and restarted[0][0] > 0
    assert len(restarted) == len(passages) and all(math.isfinite(s[0]) for s in restarted)


@needs_model
def test_neural_restore_repairs_and_leaves_clean_text(spun_article: str, clean_article: str) -> None:
    fixed = untangle.fix(spun_article, neural=True)
    assert "He told reporters at a" in fixed and "as soon as possible" in fixed
    assert untangle.fix(clean_article, neural=True) == clean_article


@needs_model
def test_diff_json_and_explain_name_the_neural_scorer(spun_article: str) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["diff", "--neural", "--format", "json"], input=spun_article)
    assert result.exit_code == 0, result.output
    changes = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    flat = [c for item in changes for c in item.get("changes", [item])]
    assert flat and all(c["scorer"] in ("neural", "trigram") for c in flat)
    assert any(c["scorer"] == "neural" for c in flat)
    explained = runner.invoke(main, ["explain", "--neural", "--format", "json"], input=spun_article)
    assert explained.exit_code == 0, explained.output
    readings = [r for line in explained.stdout.splitlines() for r in json.loads(line)["readings"]]
    neural = [r for r in readings if r["scorer"] == "neural"]
    assert neural and all("neural" in r and "trigram" in r for r in neural)
    # Both scores are against the words as written, which are always scored: an original reads
    # differently from the word it replaces.
    assert all(r["neural"] != 0.0 for r in neural)


def test_the_configuration_turns_the_neural_tier_on(tmp_path) -> None:  # noqa: ANN001
    from untangle.config import ConfigError, load

    good = tmp_path / ".untangle.toml"
    good.write_text("neural = true\n", encoding="utf-8")
    config = load(good)
    assert config.neural is True and config.source("neural") == str(good)
    bad = tmp_path / "bad.toml"
    bad.write_text("neural = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="neural must be true or false"):
        load(bad)


def test_a_restorer_asked_for_the_neural_tier_stays_small_to_pickle() -> None:
    import pickle

    assert len(pickle.dumps(untangle.Restorer(neural=True))) < 250


@needs_model
def test_a_sentence_too_long_for_the_memory_is_left_to_the_lattice(scorer, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    import untangle.neural

    monkeypatch.setattr(untangle.neural, "LONGEST_SENTENCE", 8)
    short = "He said astatine noon."
    long = "They said astatine the end of a very long day of talks that nothing was agreed."
    text = f"{short} {long}"
    at_short, at_long = short.index("astatine"), len(short) + 1 + long.index("astatine")
    passages = [
        Passage(0, len(short), (Variant(at_short, at_short + 8, "at"),)),
        Passage(len(short) + 1, len(text), (Variant(at_long, at_long + 8, "at"),)),
    ]
    (first,), (second,) = scorer.score(text, passages)
    assert first > 0 and second == 0.0


@needs_model
def test_a_reading_that_extends_the_texts_last_word_is_scored(scorer) -> None:  # noqa: ANN001
    # "right" -> "rightfield" shares the word's first token: the reading differs only after the
    # text's last token, which must then be read too (it once raised KeyError, a traceback).
    text = "One of these days I will be right"
    start = text.index("right")
    scores = scorer.score(text, [Passage(0, len(text), (Variant(start, len(text), "rightfield"),))])
    assert len(scores) == 1 and math.isfinite(scores[0][0]) and scores[0][0] < 0
