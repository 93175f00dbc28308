"""The values the engine returns: each change it made, and the repaired text."""

from __future__ import annotations

from dataclasses import dataclass, field

# How sure a change is: applied because its original reaches the threshold, applied as the best
# guess for a word that is unlikely as written, or only suggested.
SURE = "sure"
GUESS = "guess"
HELD_BACK = "held back"
TIERS = (SURE, GUESS, HELD_BACK)


@dataclass(frozen=True, slots=True)
class Change:
    """One repaired span of the input: `text[start:end]` was `old` and becomes `new`."""

    start: int
    end: int
    old: str
    new: str
    confidence: float  # posterior probability that `new` is what the author wrote
    reason: str  # one line a reader can check ("astatine is a WordNet synonym of at; ...")
    relation: str = ""  # synonym, similar, hypernym, curated, user
    scorer: str = "trigram"  # the context model that decided it: trigram, or neural (the optional extra)
    family: str = "builtin"  # the table it came from: builtin, or the user dictionary's file name
    tier: str = SURE  # SURE, GUESS (applied, marked) or HELD_BACK (suggested only)

    def as_dict(self) -> dict[str, object]:
        """A plain dict for JSON output."""
        return {
            "start": self.start,
            "end": self.end,
            "old": self.old,
            "new": self.new,
            "confidence": round(self.confidence, 4),
            "relation": self.relation,
            "scorer": self.scorer,
            "family": self.family,
            "tier": self.tier,
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class Paragraph:
    """How likely one paragraph (a run of text between line breaks) was spun."""

    start: int  # offset of its first word in the input
    end: int  # offset just after its last word
    spun_probability: float


@dataclass(frozen=True, slots=True)
class Result:
    """The repaired text, the changes that produced it, and the spin level of the input."""

    text: str
    changes: tuple[Change, ...] = field(default_factory=tuple)
    spin_level: float = 0.0  # estimated share of replaceable words a spinner changed (0 = clean)
    held_back: tuple[Change, ...] = field(default_factory=tuple)  # below the confidence threshold
    spun_probability: float = 0.0  # posterior probability that the text was spun at all
    paragraphs: tuple[Paragraph, ...] = field(default_factory=tuple)  # per paragraph, in order

    def __str__(self) -> str:
        return self.text


def apply_changes(source: str, changes: tuple[Change, ...] | list[Change]) -> str:
    """Rebuild the text with `changes` (non-overlapping) applied; everything else is kept."""
    pieces = []
    position = 0
    for change in sorted(changes, key=lambda c: c.start):
        pieces.append(source[position : change.start])
        pieces.append(change.new)
        position = change.end
    pieces.append(source[position:])
    return "".join(pieces)
