"""JSON Lines: repair one string field per record and leave every other byte of the line alone.

Only the field's value is re-encoded; the other fields, their order, spacing and escapes are
copied from the input line, so a pipeline's other columns are bit-identical. A line with no
such field (or a non-string one) passes through unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

_DECODER = json.JSONDecoder()
_WHITESPACE = " \t\n\r"


class RecordError(ValueError):
    """A line that is not a JSON object; the message is one line for the user."""


@dataclass(frozen=True, slots=True)
class FieldSpan:
    """Where a top-level field's value lies in a line, and the value itself."""

    start: int
    end: int
    value: object


def _skip(line: str, index: int) -> int:
    while index < len(line) and line[index] in _WHITESPACE:
        index += 1
    return index


def find_field(line: str, name: str) -> FieldSpan | None:
    """The span of top-level field `name` in a JSON object line; None if the object lacks it."""
    try:
        index = _skip(line, 0)
        if index >= len(line) or line[index] != "{":
            raise RecordError("not a JSON object")
        index = _skip(line, index + 1)
        if line[index] == "}":
            _expect_end(line, index + 1)
            return None
        found = None
        while True:
            if line[index] != '"':
                raise RecordError(f"expected a field name at column {index + 1}")
            key, index = json.decoder.scanstring(line, index + 1)
            index = _skip(line, index)
            if line[index] != ":":
                raise RecordError(f"expected ':' at column {index + 1}")
            index = _skip(line, index + 1)
            value, end = _DECODER.raw_decode(line, index)
            if key == name:
                found = FieldSpan(index, end, value)  # the last duplicate wins, as in json.loads
            index = _skip(line, end)
            if line[index] == ",":
                index = _skip(line, index + 1)
                continue
            if line[index] == "}":
                _expect_end(line, index + 1)
                return found
            raise RecordError(f"expected ',' or '}}' at column {index + 1}")
    except IndexError:
        raise RecordError("unexpected end of line") from None
    except json.JSONDecodeError as error:
        raise RecordError(f"{error.msg} at column {error.colno}") from None


def _expect_end(line: str, index: int) -> None:
    if _skip(line, index) != len(line):
        raise RecordError(f"extra data after the object at column {index + 1}")


def repair_line(line: str, name: str, repair: Callable[[str], str]) -> tuple[str, bool]:
    """The line with field `name` repaired, and whether it changed. Line ending is kept."""
    body = line.rstrip("\r\n")
    ending = line[len(body) :]
    if not body.strip():
        return line, False
    span = find_field(body, name)
    if span is None or not isinstance(span.value, str):
        return line, False
    repaired = repair(span.value)
    if repaired == span.value:
        return line, False
    literal = body[span.start : span.end]
    ascii_only = literal.isascii() and "\\u" in literal  # keep the input's escaping style
    encoded = json.dumps(repaired, ensure_ascii=ascii_only)
    return body[: span.start] + encoded + body[span.end :] + ending, True
