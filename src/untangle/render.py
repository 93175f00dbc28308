"""Showing changes to a person: plain word-diff markup for pipes, a coloured view for terminals.

Rendering only consumes Change values; it never decides anything.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from untangle.result import GUESS, Change


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


_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+|[\r\n]+")


def sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The offsets of the sentence (or line, if shorter) holding text[start:end]."""
    left = 0
    for match in _SENTENCE_END.finditer(text, max(0, start - 2000), start):
        if _ends_sentence(text, match.start()):
            left = match.end()
    found = next((m for m in _SENTENCE_END.finditer(text, end) if _ends_sentence(text, m.start())), None)
    right = found.start() + (1 if text[found.start()] in ".!?" else 0) if found else len(text)
    return left, max(right, end)


def _ends_sentence(text: str, mark: int) -> bool:
    """False after a title or an initial ("Gen.", "A."): a short capitalised word before a period."""
    if text[mark] != ".":
        return True
    word = re.search(r"(\w+)$", text[max(0, mark - 4) : mark])
    return not (word and word.group(1)[:1].isupper() and len(word.group(1)) <= 3)


def in_sentence(text: str, change: Change) -> str:
    """The sentence holding `change`, with the change written as [-old-]{+new+}."""
    left, right = sentence_span(text, change.start, change.end)
    return f"{text[left : change.start]}[-{change.old}-]{{+{change.new}+}}{text[change.end : right]}"


def word_diff(line: ChangedLine, held: frozenset[int] = frozenset()) -> str:
    """The line with each change written as [-old-]{+new+}, a best guess (applied, tier "guess")
    as [-old-]{~new~}, and a held-back suggestion (its id() in `held`) as [-old-]{?new?}: shown,
    not applied. Of overlapping suggestions the first is shown."""
    pieces = []
    position = 0
    for change in line.changes:
        start, end = change.start - line.start, change.end - line.start
        if start < position:
            continue  # a held-back alternative for a span already shown
        pieces.append(line.text[position:start])
        mark = "?" if id(change) in held else "~" if change.tier == GUESS else "+"
        pieces.append(f"[-{change.old}-]{{{mark}{change.new}{mark}}}")
        position = end
    pieces.append(line.text[position:])
    return "".join(pieces)


def plain(name: str, text: str, changes: Sequence[Change], held_back: Sequence[Change] = ()) -> str:
    """Plain word-diff markup, one changed line per output line, prefixed with name:line:."""
    held = frozenset(id(c) for c in held_back)
    return "".join(
        f"{name}:{line.number}: {word_diff(line, held)}\n" for line in changed_lines(text, [*changes, *held_back])
    )


def unified(name: str, before: str, after: str, context: int = 3) -> str:
    """A unified diff of one file that `git apply` and `patch -p1` accept (a/ and b/ prefixes,
    line endings kept, a missing final newline marked as diff marks it)."""
    import difflib

    if before == after:
        return ""
    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), f"a/{name}", f"b/{name}", n=context
    )
    out = []
    for line in lines:
        if line.startswith(("---", "+++")):
            out.append(line.rstrip("\n") + "\n")
        elif line.endswith("\n"):
            out.append(line)
        else:
            out.append(line + "\n\\ No newline at end of file\n")
    return "".join(out)


def json_lines(name: str, text: str, changes: Sequence[Change], held_back: Sequence[Change] = ()) -> str:
    """One JSON object per suggestion: path, line, column (1-based, in characters), old, new,
    confidence, relation, reason, and whether it is applied (false: held back)."""
    import json

    starts = [0] + [index + 1 for index, char in enumerate(text) if char == "\n"]
    out = []
    from bisect import bisect_right

    for applied, change in sorted(
        [(True, c) for c in changes] + [(False, c) for c in held_back], key=lambda pair: pair[1].start
    ):
        line = bisect_right(starts, change.start)
        record = {"path": name, "line": line, "column": change.start - starts[line - 1] + 1}
        record.update(change.as_dict())
        record["applied"] = applied
        out.append(json.dumps(record, ensure_ascii=False) + "\n")
    return "".join(out)


def summary(count: int, files: int = 1, held_back: int = 0, guesses: int = 0) -> str:
    """One line: how many changes in how many inputs, how many of them best guesses, and how many
    suggestions were held back."""
    noun = "change" if count == 1 else "changes"
    where = f" in {files} files" if files > 1 else ""
    guessed = f" ({guesses} best guess{'es' if guesses != 1 else ''})" if guesses else ""
    held = f"; {held_back} lower-confidence suggestion{'s' if held_back != 1 else ''} held back" if held_back else ""
    return f"{count} {noun}{guessed}{where}{held}"


def rich_view(  # noqa: ANN001
    console, name: str, text: str, changes: Sequence[Change], held_back: Sequence[Change] = ()
) -> None:
    """Coloured word-level view grouped by file and line: each changed line with old words struck
    red and new words green (best guesses magenta; held-back suggestions yellow, not applied), then under it each
    change with how sure untangle is and why."""
    from rich.text import Text

    held = frozenset(id(c) for c in held_back)
    shown_name = False
    for line in changed_lines(text, [*changes, *held_back]):
        if not shown_name:
            console.print(Text(name, style="bold underline"), highlight=False)
            shown_name = True
        out = Text()
        out.append(f"{line.number:>5}: ", style="cyan")
        position = 0
        for change in line.changes:
            start, end = change.start - line.start, change.end - line.start
            if start < position:
                continue
            out.append(line.text[position:start])
            out.append(change.old, style="red strike")
            out.append(" ")
            style = "yellow" if id(change) in held else "bold magenta" if change.tier == GUESS else "bold green"
            out.append(change.new, style=style)
            position = end
        out.append(line.text[position:])
        console.print(out, soft_wrap=True, highlight=False)
        for change in line.changes:
            label = "held back" if id(change) in held else "best guess" if change.tier == GUESS else "applied"
            console.print(
                Text(
                    f"       {change.old} -> {change.new}  {change.confidence:.0%} {label}  {change.reason}",
                    style="dim",
                ),
                soft_wrap=True,
                highlight=False,
            )
