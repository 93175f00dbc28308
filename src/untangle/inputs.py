"""Reading input text: files or standard input, as exact bytes decoded strictly.

Nothing is normalised: line endings and every character come through unchanged, and the
encoding (with any byte-order mark) is remembered so output is stored the same way.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NamedTuple

from untangle.encodings import DecodeError, Encoding, decode

STDIN_NAME = "-"
# A file's markup by its extension (untangle.markup repairs only the prose of HTML and Markdown).
EXTENSIONS = {".html": "html", ".htm": "html", ".xhtml": "html", ".md": "markdown", ".markdown": "markdown"}


class InputError(Exception):
    """Input that cannot be read or decoded; the message is one line for the user."""


class Document(NamedTuple):
    """One input: where it came from (a path, or "-" for standard input), its text and encoding."""

    name: str
    text: str
    encoding: Encoding = Encoding()


def read_bytes(path: Path, name: str) -> bytes:
    """The bytes of a file, with OS errors turned into one-line InputErrors."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a directory") from None
    except PermissionError:
        raise InputError(f"{name}: permission denied") from None
    except OSError as error:
        raise InputError(f"{name}: cannot read ({error.strerror or error})") from None


def parse(data: bytes, name: str, encoding: str | None = None, label: str | None = None) -> Document:
    """Decode bytes read from `name` into a Document; errors call it `label` (default: name)."""
    try:
        text, found = decode(data, label or name, encoding)
    except DecodeError as error:
        raise InputError(str(error)) from None
    return Document(name, text, found)


def read(name: str, encoding: str | None = None) -> Document:
    """Read one input by name; "-" is standard input."""
    if name == STDIN_NAME:
        return parse(sys.stdin.buffer.read(), STDIN_NAME, encoding, label="<stdin>")
    return parse(read_bytes(Path(name), name), name, encoding)


def format_for(name: str, requested: str | None = None) -> str:
    """The format of a file: `requested` unless it is None or "auto", else from its extension.

    Here rather than in untangle.markup, so that plain text never imports the markup machinery."""
    if requested not in (None, "auto"):
        return requested
    dot = name.rfind(".")
    return EXTENSIONS.get(name[dot:].lower(), "text") if dot >= 0 else "text"
