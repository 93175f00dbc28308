"""`check`'s spun stretches: runs of consecutive spun paragraphs, with lines and swapped share."""

from __future__ import annotations

from untangle.result import Change, Paragraph, Result
from untangle.verdict import Verdict, stretches

TEXT = "clean one\nspun two here\nspun three here\nclean four\nspun five\n"


def _result() -> Result:
    lines, offset, paragraphs = TEXT.split("\n")[:-1], 0, []
    for line, probability in zip(lines, (0.01, 0.99, 0.9, 0.02, 0.8), strict=True):
        paragraphs.append(Paragraph(offset, offset + len(line), probability))
        offset += len(line) + 1
    change = Change(10, 14, "spun", "was", 0.9, "test")
    return Result(TEXT, (change,), 0.1, (), 0.99, tuple(paragraphs))


def test_consecutive_spun_paragraphs_make_one_stretch() -> None:
    found = stretches(TEXT, _result(), 0.5)
    assert [(s.first_line, s.last_line, s.paragraphs) for s in found] == [(2, 3, 2), (5, 5, 1)]
    assert found[0].spun_probability == 0.9
    assert abs(found[0].swapped_share - 0.9 / 6) < 1e-9  # one change at 0.9 in six words
    assert found[1].swapped_share == 0.0


def test_check_prints_and_serialises_the_stretches() -> None:
    verdict = Verdict.of("page.txt", TEXT, _result(), 0.5)
    assert "spun: lines 2-3 (2 paragraphs, probability 0.90, 15% of words swapped)" in verdict.as_text()
    assert "spun: line 5 (1 paragraph," in verdict.as_text()
    assert '"stretches": [{"first_line": 2, "last_line": 3' in verdict.as_json()
