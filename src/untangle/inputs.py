"""Reading input text: files or standard input, as exact bytes decoded strictly as UTF-8.

Nothing is normalised: line endings, a byte-order mark and every other character come through
unchanged, so output differs from input only where a word was repaired.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

STDIN_NAME = "-"


class InputError(Exception):
    """Input that cannot be read or decoded; the message is one line for the user."""


@dataclass(frozen=True, slots=True)
class Document:
    """One input: where it came from (a path, or "-" for standard input) and its text."""

    name: str
    text: str


def decode(data: bytes, name: str) -> str:
    """Decode UTF-8 strictly; say where the first bad byte is if it is not UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        bad = data[error.start : error.start + 1].hex()
        raise InputError(f"{name}: not valid UTF-8 (byte 0x{bad} at offset {error.start})") from None


def read(name: str) -> Document:
    """Read one input by name; "-" is standard input."""
    if name == STDIN_NAME:
        data = sys.stdin.buffer.read()
        return Document(STDIN_NAME, decode(data, "<stdin>"))
    path = Path(name)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a directory") from None
    except PermissionError:
        raise InputError(f"{name}: permission denied") from None
    except OSError as error:
        raise InputError(f"{name}: cannot read ({error.strerror or error})") from None
    return Document(name, decode(data, name))
