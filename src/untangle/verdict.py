"""`untangle check`'s verdict on one input: spun or not, how much, and where it is worst."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

from untangle.result import GUESS, Result

MOST_SUSPICIOUS = 3  # paragraphs listed per input
EXCERPT_WORDS = 8


@dataclass(frozen=True, slots=True)
class SuspiciousParagraph:
    """A paragraph likely spun: the line it starts on, its probability and its first words."""

    line: int
    spun_probability: float
    excerpt: str


@dataclass(frozen=True, slots=True)
class SpunStretch:
    """A run of consecutive spun paragraphs: the lines it spans, how sure, and how much of it was
    swapped (a page is often spun only in part: its body, one post, a quoted passage)."""

    first_line: int
    last_line: int
    paragraphs: int
    spun_probability: float  # the least sure of its paragraphs
    swapped_share: float  # expected swapped words (changes and held-back suggestions) per word

    def describe(self) -> str:
        """Where it is and how spun, in words: "lines 5-6 (2 paragraphs, probability 1.00, 31% of
        words swapped)"."""
        where = (
            f"line {self.first_line}"
            if self.first_line == self.last_line
            else f"lines {self.first_line}-{self.last_line}"
        )
        return (
            f"{where} ({self.paragraphs} paragraph{'s' if self.paragraphs > 1 else ''}, "
            f"probability {self.spun_probability:.2f}, {self.swapped_share:.0%} of words swapped)"
        )

    def as_dict(self) -> dict[str, float | int]:
        return {
            "first_line": self.first_line,
            "last_line": self.last_line,
            "paragraphs": self.paragraphs,
            "spun_probability": round(self.spun_probability, 4),
            "swapped_share": round(self.swapped_share, 4),
        }


def stretches(text: str, result: Result, threshold: float) -> tuple[SpunStretch, ...]:
    """The runs of consecutive paragraphs at least `threshold` likely spun, in order."""
    runs: list[list] = []
    for paragraph in result.paragraphs:
        if paragraph.spun_probability < threshold:
            runs.append([])
        elif runs and runs[-1]:
            runs[-1].append(paragraph)
        else:
            runs.append([paragraph])
    found = []
    suggestions = result.changes + result.held_back
    for run in (r for r in runs if r):
        start, end = run[0].start, run[-1].end
        words = len(text[start:end].split()) or 1
        swapped = sum(c.confidence for c in suggestions if start <= c.start < end)
        found.append(
            SpunStretch(
                text.count("\n", 0, start) + 1,
                text.count("\n", 0, end) + 1,
                len(run),
                min(p.spun_probability for p in run),
                swapped / words,
            )
        )
    return tuple(found)


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether one input looks spun, with the figures behind the call."""

    path: str
    spun: bool
    spun_probability: float
    spin_level: float
    changes: int
    paragraphs: tuple[SuspiciousParagraph, ...]
    families: dict[str, int] = field(default_factory=dict)  # changes per family (builtin, phrases, a file)
    stretches: tuple[SpunStretch, ...] = ()  # where the text is spun: runs of spun paragraphs
    guesses: int = 0  # of the changes, best guesses (Change.tier "guess")

    @classmethod
    def of(cls, path: str, text: str, result: Result, threshold: float) -> Verdict:
        """Judge `text` from the engine's `result`; spun when the probability reaches `threshold`."""
        ranked = sorted(result.paragraphs, key=lambda p: -p.spun_probability)
        suspicious = tuple(
            SuspiciousParagraph(
                text.count("\n", 0, paragraph.start) + 1,
                paragraph.spun_probability,
                " ".join(text[paragraph.start : paragraph.end].split()[:EXCERPT_WORDS]),
            )
            for paragraph in ranked[:MOST_SUSPICIOUS]
            if paragraph.spun_probability >= threshold
        )
        return cls(
            "<stdin>" if path == "-" else path,
            result.spun_probability >= threshold,
            result.spun_probability,
            result.spin_level,
            len(result.changes),
            suspicious,
            dict(Counter(change.family for change in result.changes).most_common()),
            stretches(text, result, threshold),
            sum(change.tier == GUESS for change in result.changes),
        )

    def as_text(self) -> str:
        """One line per input, plus one indented line per suspicious paragraph."""
        if not self.spun:
            return f"{self.path}: clean (spun probability {self.spun_probability:.2f})"
        lines = [
            f"{self.path}: spun (probability {self.spun_probability:.2f}, spin level {self.spin_level:.2f}, "
            f"{self.changes} changes to make{self._guessed()}{self._by_family()})"
        ]
        lines += [f"  spun: {stretch.describe()}" for stretch in self.stretches]
        lines += [f"  line {p.line}: {p.spun_probability:.2f}  {p.excerpt} ..." for p in self.paragraphs]
        return "\n".join(lines)

    def _guessed(self) -> str:
        return f", {self.guesses} of them best guesses" if self.guesses else ""

    def _by_family(self) -> str:
        if not self.families:
            return ""
        return ": " + ", ".join(f"{count} {family}" for family, count in self.families.items())

    def as_json(self) -> str:
        """One JSON object on one line (see the README for the fields)."""
        return json.dumps(
            {
                "path": self.path,
                "spun": self.spun,
                "spun_probability": round(self.spun_probability, 4),
                "spin_level": round(self.spin_level, 4),
                "changes": self.changes,
                "guesses": self.guesses,
                "families": self.families,
                "paragraphs": [
                    {"line": p.line, "spun_probability": round(p.spun_probability, 4), "excerpt": p.excerpt}
                    for p in self.paragraphs
                ],
                "stretches": [stretch.as_dict() for stretch in self.stretches],
            },
            ensure_ascii=False,
        )
