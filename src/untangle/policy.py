"""What a user has vetoed: allowed words and phrases, and lines marked `untangle: ignore`.

Applied after the engine, to the whole document (markup included), so a marker in an HTML or
Markdown comment works too. A vetoed change is dropped from both the applied changes and the
held-back suggestions, and the text is rebuilt without it.

>>> ignored_lines("a\\nb  # untangle: ignore\\n# untangle: ignore-next-line\\nc\\n")
frozenset({2, 3, 4})
"""

from __future__ import annotations

import re
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
    starts = [0]
    for match in re.finditer(r"\r\n|\r|\n", text):
        starts.append(match.end())
    return starts


def veto(text: str, result: Result, allow: frozenset[str] = frozenset()) -> Result:
    """`result` without changes to allowed words or phrases (matched ignoring case) or on
    ignored lines; `result.text` is rebuilt from what is left."""
    ignored = ignored_lines(text) if "untangle:" in text else frozenset()
    if not ignored and not allow:
        return result
    starts = _line_starts(text)

    def line_of(offset: int) -> int:
        low, high = 0, len(starts)
        while low + 1 < high:
            middle = (low + high) // 2
            if starts[middle] <= offset:
                low = middle
            else:
                high = middle
        return low + 1

    def kept(change: Change) -> bool:
        if " ".join(change.old.lower().split()) in allow:
            return False
        return not any(line_of(offset) in ignored for offset in (change.start, max(change.start, change.end - 1)))

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
