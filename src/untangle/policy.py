"""What a user has vetoed: allowed words and phrases, and lines marked `untangle: ignore`.

Applied after the engine, to the whole document (markup included), so a marker in an HTML or
Markdown comment works too. A vetoed change is dropped from both the applied changes and the
held-back suggestions, and the text is rebuilt without it.

>>> ignored_lines("a\\nb  # untangle: ignore\\n# untangle: ignore-next-line\\nc\\n")
frozenset({2, 3, 4})
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import replace

from untangle.result import Change, Result, apply_changes

IGNORE_LINE = "untangle: ignore"
IGNORE_NEXT_LINE = "untangle: ignore-next-line"
_MARKER = re.compile(r"untangle:\s*ignore(-next-line)?\b")


def ignored_lines(text: str) -> frozenset[int]:
    """1-based numbers of the lines no change may touch: marked lines and the lines after a
    next-line marker (the marker's own line is left alone too: it is usually a comment)."""
    lines: set[int] = set()
    for number, line in enumerate(text.splitlines(), 1):
        for match in _MARKER.finditer(line):
            lines.add(number)
            if match.group(1):
                lines.add(number + 1)
    return frozenset(lines)


def _line_starts(text: str) -> list[int]:
    """Offsets where lines begin, by the same line breaks as ignored_lines (str.splitlines)."""
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    return starts


def veto(text: str, result: Result, allow: frozenset[str] = frozenset()) -> Result:
    """`result` without changes to allowed words or phrases (matched ignoring case) or on
    ignored lines; `result.text` is rebuilt from what is left."""
    ignored = ignored_lines(text) if "untangle:" in text else frozenset()
    if not ignored and not allow:
        return result
    starts = _line_starts(text)

    def kept(change: Change) -> bool:
        if " ".join(change.old.lower().split()) in allow:
            return False
        ends = (change.start, max(change.start, change.end - 1))
        return not any(bisect_right(starts, offset) in ignored for offset in ends)

    changes = tuple(c for c in result.changes if kept(c))
    if len(changes) == len(result.changes) and all(kept(c) for c in result.held_back):
        return result
    return replace(
        result,
        text=apply_changes(text, changes),
        changes=changes,
        held_back=tuple(c for c in result.held_back if kept(c)),
    )


def normalise_allowed(words: tuple[str, ...] | list[str]) -> frozenset[str]:
    """Allowed words and phrases as veto() matches them: lower case, single spaces."""
    return frozenset(" ".join(word.lower().split()) for word in words if word.strip())
