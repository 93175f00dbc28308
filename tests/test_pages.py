"""Partly spun pages: a spun passage inside a clean page is repaired as it would be on its own,
and the clean paragraphs around it are left exactly as written. Also the regression gate's
flagging rule (bench/quality.py --compare)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import untangle

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # own_texts, a helper module next to the tests
# Our own clean paragraphs: a page about a library's move, with a headline and a byline.
CLEAN = [
    "Town Library Moves to the Old Post Office",
    "By a staff reporter",
    "The town library will move into the old post office building on Main Street next month, "
    "the council decided at its meeting on Monday evening.",
    "The council also agreed to keep the reading room open on Sunday afternoons during the move, "
    "so that students preparing for exams can still use it.",
    "Volunteers have offered to carry the books across the square, and a local bakery will give "
    "coffee to everyone who helps on the first weekend.",
    "The library first opened in a single room above the fire station more than a century ago.",
    "Readers can return books to either building until the end of the year.",
]
# Two spun paragraphs of our own example article, quoted inside that page.
SPUN = (ROOT / "examples" / "spun-article.txt").read_text(encoding="utf-8").splitlines()[:2]


def page() -> str:
    return "\n".join(CLEAN[:4] + SPUN + CLEAN[4:]) + "\n"


def test_a_spun_passage_inside_a_clean_page_is_repaired_as_it_would_be_alone() -> None:
    alone = untangle.restore("\n".join(SPUN) + "\n")
    result = untangle.restore(page())
    lines = result.text.splitlines()
    assert lines[:4] + lines[6:] == CLEAN  # the clean paragraphs, byte for byte
    assert len(result.changes) >= 0.9 * len(alone.changes)
    assert {(c.old, c.new) for c in result.changes} >= {(c.old, c.new) for c in alone.changes if c.confidence > 0.9}
    assert "He told reporters at a news conference" in lines[4]
    assert "connected" not in lines[4] and "successful" not in lines[4]


def test_check_shows_the_spun_paragraphs_of_a_page_not_one_level_for_the_whole() -> None:
    result = untangle.restore(page())
    by_line = [round(p.spun_probability, 2) for p in result.paragraphs]
    assert by_line[4] >= 0.9 and by_line[5] >= 0.9
    assert max(by_line[:4] + by_line[6:]) < 0.5
    assert result.spun_probability >= 0.9


def _quality_module():  # noqa: ANN202
    spec = importlib.util.spec_from_file_location("quality", ROOT / "bench" / "quality.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("quality", module)
    spec.loader.exec_module(module)
    return module


def test_the_gate_flags_a_point_lost_a_harmful_edit_gained_and_a_clean_word_changed() -> None:
    flags = _quality_module().flags
    then = {"recall": 0.70, "precision": 0.97, "harmful": 2, "swaps": 100, "edits": 70}
    assert flags("set", dict(then), then) == []
    assert flags("set", dict(then, recall=0.695), then) == []  # within a point
    assert flags("set", dict(then, recall=0.68), then) == ["recall 0.700 -> 0.680"]
    assert flags("set", dict(then, precision=0.95, harmful=3), then) == [
        "precision 0.970 -> 0.950",
        "harmful 2 -> 3",
    ]
    assert flags("set", dict(then, recall=0.9, harmful=1), then) == []  # gains are not flagged
    assert flags("clean", {"changed": 1, "words": 900}, {"changed": 0, "words": 900}) == ["clean words changed 0 -> 1"]
    assert flags("clean", {"changed": 0, "words": 900}, {"changed": 2, "words": 900}) == []


def test_the_html_report_lists_the_spun_stretches_of_a_partly_spun_page() -> None:
    from untangle.html_report import HtmlReport

    report = HtmlReport()
    report.add("page.txt", page(), untangle.restore(page()))
    html = report.render()
    assert '<ul class="stretches"><li>spun: lines 5-6 (2 paragraphs, probability' in html
    whole = "\n".join(SPUN) + "\n"  # spun throughout: the facts line says it, no list
    report = HtmlReport()
    report.add("spun.txt", whole, untangle.restore(whole))
    assert 'class="stretches"' not in report.render().split("</style>")[1]


def test_explain_says_which_level_each_word_was_read_at() -> None:
    from untangle.explain import explain

    suspects = explain(page())
    spun = [s for s in suspects if s.line in (5, 6)]
    assert spun and all(0.0 < s.spin_level < 1.0 for s in spun)
    assert {s.reading for s in spun} == {"usual levels"}
    assert "spin_level" in spun[0].as_dict() and spun[0].as_dict()["reading"] == "usual levels"


def test_a_page_whose_spun_paragraph_is_densely_spun_is_not_read_at_the_low_rate() -> None:
    """The low rate must explain the paragraphs the usual levels find spun at least as well: a
    page with one densely spun paragraph (every word our little spinner knows replaced) among
    many clean ones is read at the usual levels, so the clean paragraphs are not drawn toward
    "lightly spun" (at the low rate they read 0.05-0.12) and the spun one is read as it is."""
    from own_texts import CLEAN as OWN_CLEAN
    from own_texts import LONGER, MORE, spun

    from untangle.explain import explain

    paragraphs = [p for p in (OWN_CLEAN + "\n" + LONGER + "\n" + MORE).split("\n") if p.strip()]
    text = "\n".join([spun(paragraphs[0]), *paragraphs[1:]]) + "\n"
    assert {s.reading for s in explain(text)} == {"usual levels"}
    result = untangle.restore(text)
    assert result.paragraphs[0].spun_probability > 0.9
    assert max(p.spun_probability for p in result.paragraphs[1:]) < 0.05
    assert result.text.split("\n")[1:] == text.split("\n")[1:]


def test_a_word_one_spinner_keeps_is_restored_where_another_replaced_it() -> None:
    """Two spinners on one page: the first leaves "said" as written (eight times), the second
    writes "aforesaid" for it. The plain occurrences are evidence that "said" is not replaced,
    but one type's say is capped (3 nats) like every other: uncapped, eight of them ruled "said"
    out and "aforesaid" was read as "same" or left."""
    import own_texts
    from own_texts import CLEAN as OWN_CLEAN
    from own_texts import LONGER, MORE, spun

    first_spinner = {k: v for k, v in own_texts.SWAPS.items() if k != "said"}
    original = own_texts.SWAPS
    try:
        own_texts.SWAPS = first_spinner
        keeps_said = spun(OWN_CLEAN)
    finally:
        own_texts.SWAPS = original
    text = keeps_said + "\n" + spun(MORE) + "\n" + spun(LONGER)
    assert text.count("aforesaid") == 4 and keeps_said.count(" said ") >= 6
    out = untangle.fix(text)
    assert "aforesaid" not in out
    assert out.count("said") == text.count("said")  # every "aforesaid" became "said", no other "said" moved
