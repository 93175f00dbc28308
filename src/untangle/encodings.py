"""Bytes to text and back again, exactly: the encoding and byte-order mark a file came with are
the ones it is written back with, so only repaired words differ.

UTF-8 is the default; a UTF-8 or UTF-16 byte-order mark is recognised; a caller may force any
encoding Python knows. Nothing else is normalised: newlines are not translated.
"""

from __future__ import annotations

import codecs
from typing import NamedTuple

DEFAULT_ENCODING = "utf-8"
# Longest first: a UTF-32 mark would start like a UTF-16 one, but we do not claim UTF-32.
BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Codecs whose decoder eats a byte-order mark and whose encoder writes one: asked for by name,
# the mark the data has is kept (and none is added); with no mark, the order the decoder assumes.
MARKED_FAMILIES = {
    "utf-8-sig": ((codecs.BOM_UTF8, "utf-8"),),
    "utf-16": ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")),
    "utf-32": ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be")),
}


class DecodeError(ValueError):
    """Bytes that are not text in the expected encoding; the message is one line for the user."""


class Encoding(NamedTuple):
    """How a text was stored: the codec and the byte-order mark (b"" for none) in front of it."""

    codec: str = DEFAULT_ENCODING
    bom: bytes = b""

    def encode(self, text: str) -> bytes:
        """The bytes of `text` stored the same way as the original."""
        return self.bom + text.encode(self.codec)

    @property
    def label(self) -> str:
        """A short name for reports, e.g. "UTF-8", "UTF-8 with BOM", "UTF-16-LE with BOM", "cp1252"."""
        name = self.codec.upper() if self.codec.startswith("utf") else self.codec
        return f"{name} with BOM" if self.bom else name


def text_codec(name: str) -> str:
    """The canonical name of text codec `name`; LookupError for an unknown name or for a codec
    that does not turn bytes into text (base64, hex, rot13, zlib)."""
    info = codecs.lookup(name)
    if not getattr(info, "_is_text_encoding", True):
        raise LookupError(f"{name!r} is not a text encoding")
    return info.name


def sniff(data: bytes, forced: str | None = None) -> Encoding:
    """The encoding of `data`: `forced` if given, else a byte-order mark's, else UTF-8."""
    if forced is not None:
        codec = text_codec(forced)
        if codec in MARKED_FAMILIES:  # codecs that would drop or add a mark of their own
            marks = MARKED_FAMILIES[codec]
            for mark, marked_codec in marks:
                if data.startswith(mark):
                    return Encoding(marked_codec, mark)
            return Encoding(marks[0][1])
        for mark, marked_codec in BYTE_ORDER_MARKS:
            if codecs.lookup(marked_codec).name == codec and data.startswith(mark):
                return Encoding(marked_codec, mark)
        return Encoding(codec)
    for mark, codec in BYTE_ORDER_MARKS:
        if data.startswith(mark):
            return Encoding(codec, mark)
    return Encoding()


def decode(data: bytes, name: str, forced: str | None = None) -> tuple[str, Encoding]:
    """Decode `data` strictly; the error says where the first bad byte is."""
    try:
        encoding = sniff(data, forced)
    except LookupError:
        raise DecodeError(f"unknown text encoding {forced!r}") from None
    body = data[len(encoding.bom) :]
    if forced is None and not encoding.bom and (order := utf16_without_mark(body)):
        raise DecodeError(
            f"{name}: looks like UTF-16 without a byte-order mark (NUL bytes between letters); "
            f"try --encoding utf-16-{order}"
        )
    try:
        return body.decode(encoding.codec), encoding
    except UnicodeDecodeError as error:
        offset = error.start + len(encoding.bom)
        bad = data[offset : offset + 1].hex()
        raise DecodeError(f"{name}: not valid {encoding.label} (byte 0x{bad} at offset {offset})") from None


def utf16_without_mark(data: bytes, sample: int = 4096) -> str:
    """ "le" or "be" when `data` reads as UTF-16 text with no mark: most of its even (or odd)
    bytes NUL and almost none of the others, as ASCII-range text stored in UTF-16 is; else ""."""
    head = data[: sample - sample % 2]
    pairs = len(head) // 2
    if pairs < 2:
        return ""
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if odd >= 0.6 * pairs and even <= 0.05 * pairs:
        return "le"
    if even >= 0.6 * pairs and odd <= 0.05 * pairs:
        return "be"
    return ""


def looks_binary(data: bytes) -> bool:
    """True for data that is not text: a NUL byte early on, unless a UTF-16 mark explains it."""
    if any(data.startswith(mark) for mark, codec in BYTE_ORDER_MARKS if codec.startswith("utf-16")):
        return False
    return b"\0" in data[:8192]
