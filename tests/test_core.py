"""The compiled core (untangle._core) against the Python it replaces: pocketsphinx's own scores
for the trigram model, and the Python forward-backward for the lattice decoder."""

from __future__ import annotations

import functools
import math
import random
import sys
from pathlib import Path

import pocketsphinx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from untangle import _core
from untangle.language_model import OOV_SENTINEL, LanguageModel
from untangle.lattice import Arc, arc_posteriors

sys.path.insert(0, str(Path(__file__).resolve().parent))
from own_texts import CLEAN, LONGER, MORE, spun  # noqa: E402 - a helper module next to the tests

MODEL_PATH = pocketsphinx.get_model_path("en-us/en-us.lm.bin")
WRITTEN = (
    "the council said on monday that the new bridge over the river would open next spring "
    "after two years of work and a long argument about its cost helium astatine quality league "
    "<s> </s> zzyzx unlistedword of in at by to a an"
)
TEXT = WRITTEN.split()


@pytest.fixture(scope="module")
def reference():
    return pocketsphinx.NGramModel.readfile(MODEL_PATH)


@pytest.fixture(scope="module")
def compiled():
    return _core.TrigramModel(MODEL_PATH)


def as_reference(value: int) -> int | None:
    return None if value <= OOV_SENTINEL else value


def test_counts_and_vocabulary(compiled):
    assert compiled.counts == (72_547, 2_051_547, 1_669_625)
    assert compiled.id("the") is not None
    assert compiled.id("zzyzx") is None


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(TEXT), min_size=1, max_size=3))
def test_scores_equal_pocketsphinx(reference, compiled, words):
    assert compiled.prob(words) == as_reference(reference.prob(words))


def test_scores_equal_pocketsphinx_on_many_queries(reference, compiled):
    """Every order of n-gram and back-off path: running text, shuffled text, rare words."""
    rng = random.Random(7)
    vocabulary = TEXT + ["'s", "u.s.", "e-mail", "nineteen"]
    queries = [TEXT[i : i + 3] for i in range(len(TEXT) - 2)]
    queries += [[rng.choice(vocabulary) for _ in range(rng.randint(1, 3))] for _ in range(3000)]
    mismatches = [q for q in queries if compiled.prob(q) != as_reference(reference.prob(q))]
    assert mismatches == []


def test_bad_model_files_are_refused(tmp_path):
    with pytest.raises(OSError, match="cannot open"):
        _core.TrigramModel(tmp_path / "missing.lm.bin")
    other = tmp_path / "other.bin"
    other.write_bytes(b"Darpa Trigram LM" + bytes(64))
    with pytest.raises(OSError, match="header"):
        _core.TrigramModel(other)
    with pytest.raises(ValueError):
        _core.TrigramModel(MODEL_PATH).prob([])


def test_malformed_lattices_are_refused(compiled):
    the = compiled.id("the")
    with pytest.raises(ValueError, match="no arc"):
        compiled.arc_posteriors([[]], [], 0.6)
    with pytest.raises(ValueError, match="ends at"):
        compiled.arc_posteriors([[(5, [the], 0.0)]], [], 0.6)
    with pytest.raises(ValueError, match="no score"):
        compiled.arc_posteriors([[(1, [-1], 0.0)]], [], 0.6)


WORDS = ["he", "helium", "said", "at", "astatine", "the", "news", "quality", "conference", "league", "zzyzx", "of"]


@st.composite
def lattices(draw):
    """A sentence of 1-6 positions; each holds the word as written and up to three readings,
    some spanning two positions or emitting two words."""
    n = draw(st.integers(1, 6))
    arcs_from = []
    for start in range(n):
        arcs = [Arc(start, start + 1, (draw(st.sampled_from(WORDS)),), draw(st.floats(-3, 0)))]
        for _ in range(draw(st.integers(0, 3))):
            end = start + draw(st.integers(1, min(2, n - start)))
            words = tuple(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=2)))
            arcs.append(Arc(start, end, words, draw(st.floats(-12, 0)), payload="swap"))
        arcs_from.append(arcs)
    return arcs_from


@settings(max_examples=150, deadline=None)
@given(lattices())
def test_compiled_lattice_equals_python(arcs_from):
    python, compiled = _models()
    expected, expected_total = arc_posteriors(arcs_from, python)
    found, total = arc_posteriors(arcs_from, compiled)
    assert math.isclose(total, expected_total, rel_tol=1e-9, abs_tol=1e-9)
    assert set(found) == set(expected)
    for arc, probability in expected.items():
        assert math.isclose(found[arc], probability, rel_tol=1e-7, abs_tol=1e-12)


@functools.lru_cache(maxsize=1)
def _models() -> tuple[LanguageModel, LanguageModel]:
    """The Python path (pocketsphinx) and the compiled core, each with its own score cache."""
    python, compiled = LanguageModel(compiled=False), LanguageModel(compiled=True)
    assert python.core is None and compiled.core is not None
    return python, compiled


def test_same_restoration_either_way():
    """The engine restores a spun paragraph identically with and without the compiled core."""
    from untangle.engine import Engine

    text = (
        "Helium told reporters astatine a quality league that the activity was late due to the fact "
        "that immoderate of the alloy had to beryllium replaced. The span volition unfastened adjacent spring.\n"
    )
    python, compiled = _models()
    expected, found = Engine(model=python).restore(text), Engine(model=compiled).restore(text)
    assert found.text == expected.text != text
    assert [(c.start, c.new, c.tier) for c in found.changes] == [(c.start, c.new, c.tier) for c in expected.changes]
    for mine, theirs in zip(found.changes + found.held_back, expected.changes + expected.held_back, strict=True):
        assert math.isclose(mine.confidence, theirs.confidence, rel_tol=1e-9)  # sums taken in another order


def _fit_texts() -> list[str]:
    whole = spun(CLEAN + "\n" + MORE)
    page = CLEAN + "\n" + spun(LONGER.split("\n\n")[1]) + "\n\n" + MORE  # one spun block in a clean page
    light = spun(LONGER + "\n" + CLEAN, every=4)  # a low-rate spinner's few swaps
    paragraphs = [p for p in (CLEAN + "\n" + LONGER + "\n" + MORE).split("\n") if p.strip()]
    first = "\n".join([spun(paragraphs[0]), *paragraphs[1:]]) + "\n"  # where the rate check refuses the low rate
    return [CLEAN, whole, page, light, "Helium said.", "Helium is lighter than air, astatine least.", first]


@pytest.mark.parametrize("index", range(7))
def test_compiled_fit_equals_python(index):
    """The document fit in the core gives the Python fit's restoration on whole spun texts, a page
    with one spun paragraph, a lightly spun text, clean text and one-liners."""
    from untangle.engine import Engine

    text = _fit_texts()[index]
    python, compiled = _models()
    expected, found = Engine(model=python).restore(text), Engine(model=compiled).restore(text)
    assert found.text == expected.text
    assert [(c.start, c.new, c.tier) for c in found.changes] == [(c.start, c.new, c.tier) for c in expected.changes]
    assert [(c.start, c.new) for c in found.held_back] == [(c.start, c.new) for c in expected.held_back]
    for mine, theirs in zip(found.changes + found.held_back, expected.changes + expected.held_back, strict=True):
        assert math.isclose(mine.confidence, theirs.confidence, rel_tol=1e-6, abs_tol=1e-9)
    assert math.isclose(found.spun_probability, expected.spun_probability, rel_tol=1e-6, abs_tol=1e-9)
    for mine, theirs in zip(found.paragraphs, expected.paragraphs, strict=True):
        assert (mine.start, mine.end) == (theirs.start, theirs.end)
        assert math.isclose(mine.spun_probability, theirs.spun_probability, rel_tol=1e-6, abs_tol=1e-9)


def test_the_test_texts_cover_the_fit():
    """The texts above exercise what they claim: a restored whole text, a page where only the spun
    block gets suggestions, and a clean text left alone."""
    from untangle.engine import Engine

    python, _ = _models()
    clean, whole, page, *_ = _fit_texts()
    assert Engine(model=python).restore(clean).changes == ()
    assert len(Engine(model=python).restore(whole).changes) >= 10
    block = spun(LONGER.split("\n\n")[1])
    start = page.index(block)
    result = Engine(model=python).restore(page)
    suggestions = result.changes + result.held_back
    assert len(suggestions) >= 3
    assert all(start <= change.start < start + len(block) for change in suggestions)


def test_threads_sharing_one_model_restore_as_one_thread_does():
    """The compiled fit releases the interpreter: texts fixed on four threads at once come out as
    they do one after another (no state shared between documents in flight)."""
    from concurrent.futures import ThreadPoolExecutor

    import untangle

    texts = [*_fit_texts(), *(spun(paragraph) for paragraph in LONGER.split("\n\n"))] * 3
    alone = [untangle.fix(text) for text in texts]
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(untangle.fix, texts))
    assert together == alone
    assert sum(out != text for out, text in zip(alone, texts, strict=True)) >= 5
