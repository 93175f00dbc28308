"""`untangle check`'s verdict on one input: spun or not, how much, and where it is worst."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

from untangle.result import Result

MOST_SUSPICIOUS = 3  # paragraphs listed per input
EXCERPT_WORDS = 8


@dataclass(frozen=True, slots=True)
class SuspiciousParagraph:
    """A paragraph likely spun: the line it starts on, its probability and its first words."""

    line: int
    spun_probability: float
    excerpt: str


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
        )

    def as_text(self) -> str:
        """One line per input, plus one indented line per suspicious paragraph."""
        if not self.spun:
            return f"{self.path}: clean (spun probability {self.spun_probability:.2f})"
        lines = [
            f"{self.path}: spun (probability {self.spun_probability:.2f}, spin level {self.spin_level:.2f}, "
            f"{self.changes} changes to make{self._by_family()})"
        ]
        lines += [f"  line {p.line}: {p.spun_probability:.2f}  {p.excerpt} ..." for p in self.paragraphs]
        return "\n".join(lines)

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
                "families": self.families,
                "paragraphs": [
                    {"line": p.line, "spun_probability": round(p.spun_probability, 4), "excerpt": p.excerpt}
                    for p in self.paragraphs
                ],
            },
            ensure_ascii=False,
        )
