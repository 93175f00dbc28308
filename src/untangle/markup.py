"""Repairing only the prose of HTML and Markdown: tags, attributes, URLs, code stay byte for byte.

The document is cut into prose and markup. The engine reads a *projection*: the prose pieces
joined as a reader sees them (an inline tag joins words of one sentence, a block tag ends a
paragraph, an entity becomes its character). Changes found in the projection are mapped back
to the source; a change that would touch markup is dropped, never applied.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from untangle.result import Change, Paragraph, Result, apply_changes

FORMATS = ("text", "html", "markdown")

PARAGRAPH_BREAK = "\n\n"
INLINE_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "cite",
        "data",
        "dfn",
        "em",
        "font",
        "i",
        "ins",
        "del",
        "kbd",
        "mark",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "time",
        "u",
        "var",
        "wbr",
    }
)
VERBATIM_ELEMENTS = "script|style|pre|code|textarea|template|svg|math"

_HTML_PIECES = re.compile(
    rf"""(?P<element><(?P<name>{VERBATIM_ELEMENTS})\b[^>]*>.*?</(?P=name)\s*>)
       |(?P<comment><!--.*?(?:-->|\Z))
       |(?P<declaration><![^>]*>|<\?.*?(?:\?>|\Z))
       |(?P<tag></?(?P<tag_name>[A-Za-z][\w:-]*)(?:[^>"']|"[^"]*"|'[^']*')*>)
       |(?P<entity>&(?:[A-Za-z][A-Za-z0-9]*|\#[0-9]+|\#[xX][0-9A-Fa-f]+);)""",
    re.IGNORECASE | re.DOTALL | re.VERBOSE,
)

_MARKDOWN_PIECES = re.compile(
    r"""(?P<front>\A---[ \t]*\n.*?\n---[ \t]*(?:\n|\Z))
       |(?P<fence>^[ ]{0,3}(?P<fence_mark>`{3,}|~{3,})[^\n]*\n(?:.*?\n)??[ ]{0,3}(?P=fence_mark)[`~]*[ \t]*(?:\n|\Z)
                 |^[ ]{0,3}(?:`{3,}|~{3,})[^\n]*(?:\n.*)?\Z)
       |(?P<definition>^[ ]{0,3}\[[^\]\n]+\]:[ \t]*\S+[^\n]*$)
       |(?P<code>(?P<ticks>`+)(?!`).+?(?<!`)(?P=ticks)(?!`))
       |(?P<target>(?<=\])\([^)\s]*(?:\s+(?:"[^"\n]*"|'[^'\n]*'|\([^)\n]*\)))?\s*\))
       |(?P<autolink><(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\s]*|[^<>\s@]+@[^<>\s]+)>)
       |(?P<tag><!--.*?(?:-->|\Z)|</?[A-Za-z][\w:-]*(?:[^>"']|"[^"]*"|'[^']*')*>)
       |(?P<entity>&(?:[A-Za-z][A-Za-z0-9]*|\#[0-9]+|\#[xX][0-9A-Fa-f]+);)""",
    re.MULTILINE | re.DOTALL | re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of the source: prose (editable, copied as is) or markup (shown to the engine as `seen`)."""

    start: int
    end: int
    prose: bool
    seen: str  # what the engine reads in its place


def pieces(text: str, markup: str) -> list[Piece]:
    """Cut `text` into prose and markup pieces covering it exactly, in order."""
    pattern = _HTML_PIECES if markup == "html" else _MARKDOWN_PIECES
    result: list[Piece] = []
    position = 0
    for match in pattern.finditer(text):
        if match.start() > position:
            result.append(Piece(position, match.start(), True, text[position : match.start()]))
        result.append(Piece(match.start(), match.end(), False, _seen(match, markup)))
        position = match.end()
    if position < len(text):
        result.append(Piece(position, len(text), True, text[position:]))
    return result


def _seen(match: re.Match[str], markup: str) -> str:
    kind = match.lastgroup
    if kind == "entity":
        return html.unescape(match.group())
    if kind in ("code", "target", "autolink"):
        return ""
    if kind == "tag" and markup == "html":
        name = match.group("tag_name").lower()
        if name == "br":
            return "\n"
        return "" if name in INLINE_TAGS else PARAGRAPH_BREAK
    if kind == "tag":  # inline HTML inside Markdown
        return ""
    return PARAGRAPH_BREAK


class Projection:
    """The text the engine reads for a marked-up document, and the way back to source offsets."""

    def __init__(self, text: str, markup: str) -> None:
        self.source = text
        self.pieces = pieces(text, markup)
        self.starts: list[int] = []  # offset of each piece in the projected text
        chunks, offset = [], 0
        for piece in self.pieces:
            self.starts.append(offset)
            chunks.append(piece.seen)
            offset += len(piece.seen)
        self.text = "".join(chunks)

    def to_source(self, start: int, end: int) -> tuple[int, int] | None:
        """Source span of projected span [start, end), or None unless it lies inside one prose piece."""
        index = bisect.bisect_right(self.starts, start) - 1
        if index < 0:
            return None
        piece = self.pieces[index]
        shift = piece.start - self.starts[index]
        if not piece.prose or end + shift > piece.end:
            return None
        return start + shift, end + shift

    def offset_to_source(self, offset: int) -> int:
        """The nearest source offset for a projected offset (for paragraph bounds)."""
        index = max(bisect.bisect_right(self.starts, offset) - 1, 0)
        if not self.pieces:
            return 0
        piece = self.pieces[index]
        return min(piece.start + (offset - self.starts[index]), piece.end) if piece.prose else piece.start


def restore_marked_up(text: str, markup: str, restore_plain: Callable[[str], Result]) -> Result:
    """Restore the prose of an HTML or Markdown document; every other byte stays as it was."""
    if markup == "text":
        return restore_plain(text)
    projection = Projection(text, markup)
    result = restore_plain(projection.text)

    def mapped(changes: tuple[Change, ...]) -> tuple[Change, ...]:
        kept = []
        for change in changes:
            span = projection.to_source(change.start, change.end)
            if span is not None and text[span[0] : span[1]] == change.old:
                kept.append(replace(change, start=span[0], end=span[1]))
        return tuple(kept)

    changes = mapped(result.changes)
    paragraphs = tuple(
        Paragraph(projection.offset_to_source(p.start), projection.offset_to_source(p.end), p.spun_probability)
        for p in result.paragraphs
    )
    return replace(
        result,
        text=apply_changes(text, changes),
        changes=changes,
        held_back=mapped(result.held_back),
        paragraphs=paragraphs,
    )
