"""Long documents in windows: the engine's memory grows with the text it fits (about 5 KB per
word), so a text longer than a window is restored a window at a time and the results joined.

Windows end at a paragraph break where one falls in the window's second half, else at a
sentence end, else at white space, so no word is cut. A normal article (up to some 16,000
words) is one window and comes back exactly as before; a 5 MB page is fitted in 40 or so
windows of its own, each with its own spin level, which is what a page of many parts needs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from untangle.result import Change, Paragraph, Result

WINDOW_CHARS = 100_000  # ~16,000 words, ~100 MB of decoder state at the peak (measured: 5 KB a word)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*|[\r\n\u2029]\s*")
_SENTENCE_END = re.compile(r"[.!?\u2026][\"'\u201d\u2019)\]]*\s+")
_SPACE = re.compile(r"\s+")


def window_spans(text: str, limit: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each window of `text`, in order, covering it exactly; one for a short text.

    `limit` is the longest window in characters (default WINDOW_CHARS)."""
    limit = limit or WINDOW_CHARS
    spans = []
    start = 0
    while len(text) - start > limit:
        end = _cut(text, start, start + limit)
        spans.append((start, end))
        start = end
    spans.append((start, len(text)))
    return spans


def _cut(text: str, start: int, stop: int) -> int:
    """Where a window that starts at `start` and may not pass `stop` best ends."""
    floor = start + (stop - start) // 2
    for pattern in (_PARAGRAPH_BREAK, _SENTENCE_END, _SPACE):
        last = None
        for match in pattern.finditer(text, floor, stop):
            last = match
        if last is not None:
            return last.end()
    return stop  # one run of over half a window with no space in it: not a word, cut anywhere


def restore_in_windows(text: str, restore: Callable[[str], Result], limit: int | None = None) -> Result:
    """`restore(text)`, a window at a time when `text` is longer than `limit` characters."""
    spans = window_spans(text, limit)
    if len(spans) == 1:
        return restore(text)
    return join([(start, restore(text[start:end])) for start, end in spans], len(text))


def join(parts: list[tuple[int, Result]], length: int) -> Result:
    """One Result from the results of consecutive windows, each with the offset it starts at.

    The spin level is the windows' average weighted by their length; the text is as spun as
    its most spun window."""

    def shifted(changes: tuple[Change, ...], offset: int) -> tuple[Change, ...]:
        return tuple(replace(c, start=c.start + offset, end=c.end + offset) for c in changes)

    text, changes, held_back, paragraphs = [], [], [], []
    level = 0.0
    spun = 0.0
    for index, (offset, result) in enumerate(parts):
        end = parts[index + 1][0] if index + 1 < len(parts) else length
        text.append(result.text)
        changes.extend(shifted(result.changes, offset))
        held_back.extend(shifted(result.held_back, offset))
        paragraphs.extend(Paragraph(p.start + offset, p.end + offset, p.spun_probability) for p in result.paragraphs)
        level += result.spin_level * (end - offset) / max(length, 1)
        spun = max(spun, result.spun_probability)
    return Result("".join(text), tuple(changes), level, tuple(held_back), spun, tuple(paragraphs))
