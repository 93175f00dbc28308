"""A small phrase-rewriting spinner, unlike the WordNet one: a fixed table of surface forms and
phrases ("I was" -> "I used to be", "cancer" -> "most cancers"), applied longest match first,
every time, keeping a capital first letter. It records every swap, so recall and precision of a
restoration can be measured exactly. Written for untangle's tests and benchmarks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# original -> spun; verbs and nouns are listed with the inflections the spinner also rewrites.
RULES = {
    "i was": "i used to be",
    "cancer": "most cancers",
    "windows": "home windows",
    "artificial intelligence": "counterfeit consciousness",
    "neural network": "neural organization",
    "big data": "large information",
    "machine learning": "gadget studying",
    "deep learning": "profound studying",
    "climate change": "weather exchange",
    "data set": "information set",
    "on the other hand": "then again",
    "as well as": "in addition to",
    "in order to": "so as to",
    "help": "assist",
    "helps": "assists",
    "helped": "assisted",
    "use": "make use of",
    "uses": "makes use of",
    "using": "making use of",
    "show": "exhibit",
    "shows": "exhibits",
    "showed": "exhibited",
    "think": "assume",
    "thinks": "assumes",
    "bought": "purchased",
    "start": "commence",
    "started": "commenced",
    "need": "require",
    "needs": "requires",
    "needed": "required",
    "said": "stated",
    "very": "extremely",
    "big": "massive",
    "problem": "drawback",
    "problems": "drawbacks",
    "answer": "reply",
    "try": "attempt",
    "tried": "attempted",
    "trying": "attempting",
    "often": "regularly",
    "people": "individuals",
    "important": "vital",
    "however": "nevertheless",
    "also": "additionally",
    "small": "tiny",
    "quickly": "swiftly",
    "company": "firm",
    "doctors": "physicians",
    "doctor": "physician",
    "patients": "sufferers",
    "results": "outcomes",
    "computer": "pc",
    "software": "software program",
    "learn": "study",
    "learned": "studied",
}
_PATTERN = re.compile(
    r"\b(" + "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in sorted(RULES, key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Swap:
    """One rewrite: spun[start:end] stands where the author wrote `original`."""

    start: int
    end: int
    original: str


def spin(text: str) -> tuple[str, list[Swap]]:
    """The spun text and every swap in it, with offsets into the spun text."""
    pieces, swaps, position, shift = [], [], 0, 0
    for match in _PATTERN.finditer(text):
        written = match.group(0)
        spun = RULES[" ".join(written.lower().split())]
        if written[0].isupper():
            spun = spun[0].upper() + spun[1:]
        if written == "I was" or written.startswith("I "):
            spun = "I" + spun[1:]
        pieces.append(text[position : match.start()])
        start = match.start() + shift
        pieces.append(spun)
        swaps.append(Swap(start, start + len(spun), written))
        shift += len(spun) - len(written)
        position = match.end()
    pieces.append(text[position:])
    return "".join(pieces), swaps


def score(spun: str, swaps: list[Swap], changes) -> tuple[float, float]:  # noqa: ANN001
    """Recall (swaps whose text reads as the original after the changes inside them) and
    precision (changes that lie inside a swap so restored). A change that overlaps a swap's
    edge, or lies outside every swap, is wrong."""
    restored, right = 0, 0
    remaining = sorted(changes, key=lambda c: c.start)
    for swap in swaps:
        inside = [c for c in remaining if swap.start <= c.start and c.end <= swap.end]
        overlapping = [c for c in remaining if c.start < swap.end and c.end > swap.start and c not in inside]
        text, position = [], swap.start
        for change in inside:
            text.append(spun[position : change.start] + change.new)
            position = change.end
        text.append(spun[position : swap.end])
        if not overlapping and " ".join("".join(text).lower().split()) == " ".join(swap.original.lower().split()):
            restored += 1
            right += len(inside)
    recall = restored / len(swaps) if swaps else 1.0
    precision = right / len(changes) if changes else 1.0
    return recall, precision
