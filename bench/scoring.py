"""Scoring a restoration against its original: recall, precision, and damage to clean text.

Units are word tokens aligned with difflib: a *swap* is a spun unit that differs from the
original; an *edit* is a unit the output changed. (Same definitions as the development scorer,
written independently so the harness runs where shared/ does not exist.)
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

TOKEN = re.compile(r"\w+(?:['\u2019\-]\w+)*|[^\w\s]")


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


def _units(a: list[str], b: list[str]) -> dict[tuple[int, int], tuple[str, ...]]:
    """Spans of `a` that differ in `b`, each mapped to what `b` has there."""
    found = {}
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if tag == "replace" and i2 - i1 == j2 - j1:
            for k in range(i2 - i1):
                found[(i1 + k, i1 + k + 1)] = (b[j1 + k],)
        else:
            found[(i1, i2)] = tuple(b[j1:j2])
    return found


def _segment(a: list[str], b: list[str], span: tuple[int, int]) -> tuple[str, ...]:
    """What `b` holds for the span of `a` (aligned), as a tuple of tokens."""
    units = _units(a, b)
    if span in units:
        return units[span]
    inside = [u for u in units if span[0] <= u[0] and u[1] <= span[1]]
    if not inside:
        return tuple(a[span[0] : span[1]])
    out, position = [], span[0]
    for unit in sorted(inside):
        out.extend(a[position : unit[0]])
        out.extend(units[unit])
        position = unit[1]
    out.extend(a[position : span[1]])
    return tuple(out)


@dataclass(frozen=True)
class Score:
    swaps: int
    restored: int
    edits: int
    correct: int
    harmful: int

    @property
    def recall(self) -> float:
        return self.restored / self.swaps if self.swaps else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.edits if self.edits else 1.0


def _enclosing(span: tuple[int, int], unit_sets: tuple[dict, ...]) -> tuple[int, int]:
    """The smallest span around `span` that no unit of either alignment straddles.

    The original and the output may align the same region differently ("age due to the fact
    that" -> "days because" as one block, "due to the fact that" -> "because" as one edit); an
    edit is judged within the whole block (its new words line up with the original's), or a right
    restoration would look like damage.
    """
    start, end = span
    grown = True
    while grown:
        grown = False
        for units in unit_sets:
            for a, b in units:
                if a < end and b > start and (a < start or b > end):
                    start, end, grown = min(a, start), max(b, end), True
    return start, end


def _all_matched(tokens_: list[str], gold: list[str], positions: range) -> bool:
    """Whether every token at `positions` lines up with an equal token of `gold`."""
    matched: set[int] = set()
    for tag, i1, i2, _, _ in difflib.SequenceMatcher(None, tokens_, gold, autojunk=False).get_opcodes():
        if tag == "equal":
            matched.update(range(i1, i2))
    return all(position in matched for position in positions)


def score(spun: str, original: str, output: str) -> Score:
    """Compare an output with the original, both aligned to the spun text."""
    s, g, o = tokens(spun), tokens(original), tokens(output)
    swaps = _units(s, g)
    edits = _units(s, o)
    restored = sum(1 for span, gold in swaps.items() if _segment(s, o, span) == gold)
    correct = harmful = 0
    for span, new in edits.items():
        start, end = _enclosing(span, (swaps, edits))
        block, gold = s[start:end], list(_segment(s, g, (start, end)))
        a, b = span[0] - start, span[1] - start
        if _all_matched(block[:a] + list(new) + block[b:], gold, range(a, a + len(new))):
            correct += 1
        elif _all_matched(block, gold, range(a, b)):
            harmful += 1
    return Score(len(swaps), restored, len(edits), correct, harmful)


def changed_words(before: str, after: str) -> int:
    """How many word tokens differ between two versions of a text."""
    a, b = tokens(before), tokens(after)
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    return sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in ops if tag != "equal")


@dataclass
class Tally:
    """Sums of scores over a set's pages."""

    swaps: int = 0
    restored: int = 0
    edits: int = 0
    correct: int = 0
    harmful: int = 0

    def add(self, figures: Score) -> None:
        self.swaps += figures.swaps
        self.restored += figures.restored
        self.edits += figures.edits
        self.correct += figures.correct
        self.harmful += figures.harmful

    @property
    def recall(self) -> float:
        return self.restored / max(self.swaps, 1)

    @property
    def precision(self) -> float:
        return self.correct / self.edits if self.edits else 1.0
