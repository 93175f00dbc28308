"""Showing changes to a person: plain word-diff markup for pipes, a coloured view for terminals.

Rendering only consumes Change values; it never decides anything.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from untangle.result import Change


@dataclass(frozen=True, slots=True)
class ChangedLine:
    """One line of the input that holds at least one change."""

    number: int  # 1-based
    start: int  # offset of the line in the text
    text: str  # the line without its line ending
    changes: tuple[Change, ...]


def changed_lines(text: str, changes: Sequence[Change]) -> Iterator[ChangedLine]:
    """Group changes by the line they start on, in order."""
    ordered = sorted(changes, key=lambda change: change.start)
    index = 0
    offset = 0
    for number, line in enumerate(text.splitlines(keepends=True), 1):
        body = line.rstrip("\r\n")
        end = offset + len(line)
        here = []
        while index < len(ordered) and ordered[index].start < end:
            here.append(ordered[index])
            index += 1
        if here:
            yield ChangedLine(number, offset, body, tuple(here))
        offset = end


def word_diff(line: ChangedLine) -> str:
    """The line with each change written as [-old-]{+new+}."""
    pieces = []
    position = 0
    for change in line.changes:
        start, end = change.start - line.start, change.end - line.start
        pieces.append(line.text[position:start])
        pieces.append(f"[-{change.old}-]{{+{change.new}+}}")
        position = end
    pieces.append(line.text[position:])
    return "".join(pieces)


def plain(name: str, text: str, changes: Sequence[Change]) -> str:
    """Plain word-diff markup, one changed line per output line, prefixed with name:line:."""
    return "".join(f"{name}:{line.number}: {word_diff(line)}\n" for line in changed_lines(text, changes))


def summary(count: int, files: int = 1, held_back: int = 0) -> str:
    """One line: how many changes in how many inputs, and how many were held back."""
    noun = "change" if count == 1 else "changes"
    where = f" in {files} files" if files > 1 else ""
    held = f"; {held_back} lower-confidence suggestion{'s' if held_back != 1 else ''} held back" if held_back else ""
    return f"{count} {noun}{where}{held}"


def rich_view(console, name: str, text: str, changes: Sequence[Change]) -> None:  # noqa: ANN001
    """Coloured word-level view: each changed line with old words struck red, new words green,
    followed by why each change was made and how sure untangle is."""
    from rich.text import Text

    for line in changed_lines(text, changes):
        out = Text()
        out.append(f"{name}:{line.number}: ", style="bold cyan")
        position = 0
        for change in line.changes:
            start, end = change.start - line.start, change.end - line.start
            out.append(line.text[position:start])
            out.append(change.old, style="red strike")
            out.append(" ")
            out.append(change.new, style="bold green")
            position = end
        out.append(line.text[position:])
        console.print(out, soft_wrap=True, highlight=False)
        for change in line.changes:
            console.print(
                Text(f"    {change.old} -> {change.new}  {change.confidence:.0%}  {change.reason}", style="dim"),
                soft_wrap=True,
                highlight=False,
            )
