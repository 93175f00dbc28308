"""The substitution dictionary: spun forms, the originals they may stand for, and the evidence.

The TSV format is documented in data/substitutions.tsv's header and in the README. Loading
validates every row and reports problems as `path:line: message`.
"""

from __future__ import annotations

import math
import mmap
import sys
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

COLUMNS = ("spun", "original", "relation", "prior", "spun_zipf", "original_zipf", "picks")
# Bits of `picks`, in order; the last is adjectives first in LibreOffice's thesaurus (WordNet 3.1).
PICK_RULES = ("adjectives first", "nouns first", "verbs first", "adverbs first", "thesaurus order")
REQUIRED_COLUMNS = 2  # spun and original; the evidence columns have defaults
DEFAULT_PRIOR = 0.1
LN10 = math.log(10)
# Searches of a file in Python before the compiled core takes them over, unless it is loaded
# already: a short text's few searches cost less than loading the core (a cleared one-line
# input never loads it).
PYTHON_SEARCHES = 200


class DictionaryError(ValueError):
    """A malformed dictionary file; the message names the file and line."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One way a spinner may have produced `spun` from `original`."""

    spun: str
    original: str
    relation: str
    prior: float
    spun_zipf: float = 0.0
    original_zipf: float = 0.0
    family: str = "builtin"  # the table it comes from: builtin, or a user dictionary's file name
    picks: int = 0  # bit k: the spinner's pick rule PICK_RULES[k] chooses `spun` first for `original`

    @property
    def spun_words(self) -> tuple[str, ...]:
        return tuple(self.spun.split(" "))

    @property
    def original_words(self) -> tuple[str, ...]:
        return tuple(self.original.split(" "))


@lru_cache(maxsize=1)
def _core():  # noqa: ANN202 - untangle._core, or None
    from untangle.language_model import compiled_core

    return compiled_core()


def _reverse_prior(entry: Entry) -> float:
    """ln P(original) * P(spun | original), from the original's Zipf frequency and the prior."""
    return math.log(entry.prior) + entry.original_zipf * LN10


class SortedLines:
    """The data lines of a sorted TSV file, searched in place: nothing is split or parsed up front.

    The file's bytes are memory-mapped (or held, for text given directly); a lookup binary-searches
    byte offsets for the first line not below a key. UTF-8 byte order is code-point order, so the
    file's sort order (Python's, on str) holds for the bytes too.
    """

    def __init__(self, data: bytes | mmap.mmap = b"", source: str = "<memory>") -> None:
        self._data = data
        self.source = source
        self._start = 0
        while self._start < len(data) and (
            data[self._start : self._start + 1] == b"#" or data[self._start : self._start + 5] == b"spun\t"
        ):
            end = data.find(b"\n", self._start)
            self._start = len(data) if end < 0 else end + 1
        self._count: int | None = None
        self._searched = None  # the same file mapped in the compiled core, which searches it faster
        self._path: Path | None = None  # the file, while the core may still take over its search
        self._searches = 0

    @classmethod
    def open(cls, path: Path) -> SortedLines:
        """Map the file at `path` (an empty file maps to an empty table)."""
        with path.open("rb") as handle:
            if path.stat().st_size == 0:
                return cls(b"", str(path))
            lines = cls(mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ), str(path))
        lines._path = path
        return lines

    def _line_at(self, offset: int) -> tuple[int, int]:
        """Start and end of the line holding byte `offset`'s successor line start (offset is a line start)."""
        end = self._data.find(b"\n", offset)
        return offset, len(self._data) if end < 0 else end

    def _lower_bound(self, key: bytes) -> int:
        """Offset of the first data line >= key."""
        low, high = self._start, len(self._data)
        while low < high:
            middle = (low + high) // 2
            line_start = self._data.rfind(b"\n", self._start, middle) + 1 if middle > self._start else self._start
            line_start = max(line_start, self._start)
            start, end = self._line_at(line_start)
            if self._data[start:end] < key:
                low = end + 1
            else:
                high = start
        return low

    def between(self, low: str, high: str) -> list[tuple[int, str]]:
        """(byte offset, line) for every data line with low <= line < high, in order (searched in
        the compiled core where it is built)."""
        if self._searched is None and self._path is not None:
            self._searches += 1
            if self._searches > PYTHON_SEARCHES or "untangle._core" in sys.modules:
                self.compiled()
        if self._searched is not None:
            return self._searched.between(self._start, low.encode("utf-8"), high.encode("utf-8"))
        position = self._lower_bound(low.encode("utf-8"))
        stop = high.encode("utf-8")
        found = []
        while position < len(self._data):
            start, end = self._line_at(position)
            line = self._data[start:end]
            if line >= stop:
                break
            if line:
                found.append((start, line.decode("utf-8")))
            position = end + 1
        return found

    def compiled(self):  # noqa: ANN201 - untangle._core.SortedFile, or None
        """The file as the compiled core maps it (made now if a search has not made it yet); None
        for lines given in memory or where the core is not built."""
        if self._searched is None and self._path is not None:
            core = _core()
            self._searched = core.SortedFile(self._path) if core is not None else None
            self._path = None
        return self._searched

    def has_lines(self) -> bool:
        """Whether any data line follows the comments and header (len counts them all: slower)."""
        return self._start < len(self._data)

    @property
    def start(self) -> int:
        """The byte offset of the first data line (after comments and a header)."""
        return self._start

    def line_number(self, offset: int) -> int:
        """1-based line number of the line starting at byte `offset` (for error messages)."""
        return self._data[:offset].count(b"\n") + 1  # a slice: an mmap has no count()

    def __len__(self) -> int:
        if self._count is None:
            body = self._data[self._start :]
            self._count = body.count(b"\n") + (1 if body and not body.endswith(b"\n") else 0)
        return self._count


class Dictionary:
    """Entries indexed by the first word of their spun form, for lookup while scanning text.

    The built-in table has a quarter of a million rows, so it is not parsed up front: its data
    lines are kept sorted and binary-searched, and only the rows for words that occur in the
    text are parsed (and validated). Entries added with `add` (user dictionaries) override them.
    """

    def __init__(self, entries: Iterable[Entry] = ()) -> None:
        self._lines = SortedLines()
        self._parsed: dict[str, list[Entry]] = {}
        self._added: dict[str, list[Entry]] = {}
        self._zipf: dict[str, float] = {}
        # Originals of added rows: a user's row says the spinner replaces its original as written.
        self._originals: set[str] = set()
        self._known: OriginalsFile | None = None  # the built-in originals, searched in place
        self.add(entries)

    @classmethod
    def over(cls, lines: SortedLines, known: OriginalsFile | None = None) -> Dictionary:
        """A dictionary over sorted data lines searched in place; rows are parsed on demand.

        `known` lists the originals (and which are not headwords of the spinner's thesaurus),
        also looked up in place.
        """
        dictionary = cls()
        dictionary._lines = lines
        dictionary._known = known
        return dictionary

    def add(self, entries: Iterable[Entry]) -> None:
        """Add entries; an entry for a (spun, original) pair already present replaces it."""
        for entry in entries:
            bucket = self._added.setdefault(entry.spun_words[0], [])
            bucket[:] = [e for e in bucket if (e.spun, e.original) != (entry.spun, entry.original)]
            bucket.append(entry)
            self._parsed.pop(entry.spun_words[0], None)
            self._originals.add(entry.original)
            if entry.original_zipf and self._known_row(entry.original) is None:
                self._zipf.setdefault(entry.original, entry.original_zipf)

    def extended(self, entries: Iterable[Entry]) -> Dictionary:
        """A new dictionary: these rows plus `entries`, which override rows for the same pair.

        The built-in table's lines are shared, not copied, so this is cheap.
        """
        copy = Dictionary()
        copy._lines = self._lines
        copy._zipf = dict(self._zipf)
        copy._originals = set(self._originals)
        copy._known = self._known
        copy._added = {word: list(bucket) for word, bucket in self._added.items()}
        copy.add(entries)
        return copy

    def starting_with(self, word: str) -> list[Entry]:
        """Entries whose spun form begins with `word` (lower case), likeliest originals first.

        The order is P(original) * P(spun | original), so a caller that can afford to look at
        only a few originals of a word with dozens (such as "on") takes the first ones.
        """
        found = self._parsed.get(word)
        if found is None:
            found = self._parse_rows(word)
            added = self._added.get(word)
            if added:
                overridden = {(e.spun, e.original) for e in added}
                found = [e for e in found if (e.spun, e.original) not in overridden] + added
            found.sort(key=_reverse_prior, reverse=True)
            self._parsed[word] = found
        return found

    def _parse_rows(self, word: str) -> list[Entry]:
        # Rows for `word` itself ("word<TAB>...") and for phrases starting with it ("word ...")
        # are adjacent in sorted order (TAB < space < "!"), so one search finds both.
        entries = []
        for offset, line in self._lines.between(word + "\t", word + "!"):
            fields = line.split("\t")
            try:
                entries.append(_trusted_row(fields) or parse_line(fields))
            except ValueError as error:
                where = f"{self._lines.source}:{self._lines.line_number(offset)}"
                raise DictionaryError(f"{where}: {error}") from None
        return entries

    def compiled_rows(self) -> tuple | None:
        """The rows as the compiled core reads them itself (untangle.screen): (the core's mapping of
        the sorted file, its first data byte, no lines) for a table over a file alone, (None, 0,
        the rows as data lines) for added rows alone; None for a mix of both, or a table the core
        cannot map."""
        if self._added:
            if self._lines.has_lines():
                return None
            return None, 0, [_data_line(entry) for bucket in self._added.values() for entry in bucket]
        if not self._lines.has_lines():
            return None, 0, []
        searched = self._lines.compiled()
        return (searched, self._lines.start, []) if searched is not None else None

    def compiled_files(self) -> tuple | None:
        """The table and the originals file as the compiled core reads them itself (the engine's
        word types): ((table, first data byte), (originals, first data byte), pick rules), each file
        as the core maps it; None unless this is a table over both files alone."""
        if self._added or self._known is None or not self._lines.has_lines():
            return None
        table, originals = self._lines.compiled(), self._known.lines.compiled()
        if table is None or originals is None:
            return None
        return (table, self._lines.start), (originals, self._known.lines.start), 1 << len(PICK_RULES)

    def listed_words(self) -> list[str] | None:
        """Every word the dictionary says anything of (starts a spun form, is an original, has a
        frequency) where its rows are all added ones; None for a table over a file."""
        if self._lines.has_lines() or self._known is not None:
            return None
        return sorted(set(self._added) | self._originals | set(self._zipf))

    def zipf(self, word: str) -> float:
        """The Zipf frequency of `word` if the dictionary records one, else 0.0."""
        known = self._zipf.get(word)
        if known is None:
            row = self._known_row(word)
            if row is not None:
                known = row[0]
            else:
                known = next((e.spun_zipf for e in self.starting_with(word) if e.spun == word), 0.0)
            self._zipf[word] = known
        return known

    def is_original(self, word: str) -> bool:
        """True if some entry restores to `word`, so a spinner could have replaced it."""
        return word in self._originals or self._known_row(word) is not None

    def is_headword(self, word: str) -> bool:
        """True unless `word` is a form the spinner's thesaurus lists only under its lemma
        ("argued" under "argue"): a spinner that looks words up as written leaves it alone."""
        if word in self._originals:
            return True
        row = self._known_row(word)
        return row is None or row[1]

    def _known_row(self, word: str) -> tuple[float, bool] | None:
        return self._known.get(word) if self._known is not None else None

    def __len__(self) -> int:
        return len(self._lines) + sum(len(bucket) for bucket in self._added.values())

    def __contains__(self, spun: str) -> bool:
        return any(entry.spun == spun for entry in self.starting_with(spun.split(" ", 1)[0]))


def _data_line(entry: Entry) -> str:
    """`entry` as a complete row of the generated table (floats written to round-trip exactly)."""
    return "\t".join(
        (
            entry.spun,
            entry.original,
            entry.relation,
            repr(entry.prior),
            repr(entry.spun_zipf),
            repr(entry.original_zipf),
            str(entry.picks),
        )
    )


def _trusted_row(fields: list[str]) -> Entry | None:
    """A complete row of the generated table, built without the per-field checks (the table is
    checked whole by the integrity tests); None sends anything unusual through `parse_line`."""
    if len(fields) != len(COLUMNS):
        return None
    try:
        prior, spun_zipf, original_zipf = float(fields[3]), float(fields[4]), float(fields[5])
        picks = int(fields[6])
    except ValueError:
        return None
    if not 0.0 < prior <= 1.0 or not 0 <= picks < 1 << len(PICK_RULES):
        return None
    return Entry(fields[0], fields[1], fields[2], prior, spun_zipf, original_zipf, picks=picks)


def parse_line(fields: list[str]) -> Entry:
    """One data row as an Entry; raises ValueError with a message for the user."""
    if len(fields) < REQUIRED_COLUMNS or len(fields) > len(COLUMNS):
        raise ValueError(f"expected {REQUIRED_COLUMNS} to {len(COLUMNS)} tab-separated fields, got {len(fields)}")
    spun, original = (field.strip() for field in fields[:2])
    for name, value in (("spun", spun), ("original", original)):
        if not value:
            raise ValueError(f"empty {name} form")
        if value != value.lower():
            raise ValueError(f"{name} form {value!r} must be lower case")
        if "  " in value:
            raise ValueError(f"{name} form {value!r} has a double space")
    if spun == original:
        raise ValueError(f"spun and original are the same ({spun!r})")
    relation = fields[2].strip() if len(fields) > 2 and fields[2].strip() else "user"
    prior = _number(fields, 3, "prior", DEFAULT_PRIOR)
    if not 0.0 < prior <= 1.0:
        raise ValueError(f"prior must be in (0, 1], got {prior}")
    picks = _number(fields, 6, "picks", 0.0)
    if picks != int(picks) or not 0 <= picks < 1 << len(PICK_RULES):
        raise ValueError(f"picks must be a whole number from 0 to {(1 << len(PICK_RULES)) - 1}, got {fields[6]!r}")
    spun_zipf, original_zipf = _number(fields, 4, "spun_zipf", 0.0), _number(fields, 5, "original_zipf", 0.0)
    return Entry(spun, original, relation, prior, spun_zipf, original_zipf, picks=int(picks))


def _number(fields: list[str], index: int, name: str, default: float) -> float:
    if len(fields) <= index or not fields[index].strip():
        return default
    try:
        value = float(fields[index])
    except ValueError:
        raise ValueError(f"{name} must be a number, got {fields[index]!r}") from None
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {fields[index]!r}")
    return value


def parse(text: str, source: str = "<string>") -> list[Entry]:
    """Parse dictionary text; comment lines start with #, a header row naming `spun` is skipped."""
    entries = []
    seen: set[tuple[str, str]] = set()
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if fields[0] == "spun":
            continue
        try:
            entry = parse_line(fields)
        except ValueError as error:
            raise DictionaryError(f"{source}:{number}: {error}") from None
        if (entry.spun, entry.original) in seen:
            raise DictionaryError(f"{source}:{number}: duplicate entry {entry.spun!r} -> {entry.original!r}")
        seen.add((entry.spun, entry.original))
        entries.append(entry)
    return entries


def load(path: str | Path) -> Dictionary:
    """Load and validate a dictionary file (user dictionaries use the built-in format)."""
    return Dictionary(load_entries(path))


def load_entries(path: str | Path) -> list[Entry]:
    """A user dictionary's validated rows, with word frequencies filled in where a row has none
    (the engine's spin level depends on how common the original is); their family is the file's name."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise DictionaryError(f"{path}: cannot read: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise DictionaryError(f"{path}: not UTF-8 text") from None
    return [replace(_with_frequencies(entry), family=path.name) for entry in parse(text, str(path))]


def _with_frequencies(entry: Entry) -> Entry:
    if entry.spun_zipf and entry.original_zipf:
        return entry
    from wordfreq import zipf_frequency

    return replace(
        entry,
        spun_zipf=entry.spun_zipf or zipf_frequency(entry.spun, "en"),
        original_zipf=entry.original_zipf or zipf_frequency(entry.original, "en"),
    )


def data_path(name: str) -> Path:
    """A shipped data file: inside the installed package, or in the checkout's data/ folder."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "data" / name, here.parents[1] / "data" / name):
        if candidate.is_file():
            return candidate
    from importlib import resources  # an unusual installation (a zip): ask the import system

    packaged = resources.files("untangle") / "data" / name
    if packaged.is_file():
        return Path(str(packaged))
    raise DictionaryError(f"the built-in data file {name} is missing from the installation")


class OriginalsFile:
    """originals.tsv searched in place: a word's Zipf frequency and headword flag, parsed when
    asked (parsing all 23,000 rows was a quarter of untangle's start-up)."""

    def __init__(self, lines: SortedLines) -> None:
        self.lines = lines
        self._rows: dict[str, tuple[float, bool] | None] = {}

    def get(self, word: str) -> tuple[float, bool] | None:
        """(Zipf frequency, is a headword) of `word`, or None if the file does not list it."""
        if word in self._rows:
            return self._rows[word]
        row = None
        for offset, line in self.lines.between(word + "\t", word + "\n"):  # TAB sorts just before LF
            zipf, _, headword = line.partition("\t")[2].partition("\t")
            try:
                frequency = float(zipf)
            except ValueError:
                raise self._error(offset, f"zipf must be a number, got {zipf!r}") from None
            if headword not in ("", "0", "1"):
                raise self._error(offset, f"headword must be 0 or 1, got {headword!r}")
            row = (frequency, headword != "0")
        self._rows[word] = row
        return row

    def _error(self, offset: int, problem: str) -> DictionaryError:
        return DictionaryError(f"{self.lines.source}:{self.lines.line_number(offset)}: {problem}")


BUILTIN = "builtin"  # the family name of the built-in table's changes
PHRASES = "phrases"  # the family name of the built-in phrase-rewriter table


@lru_cache(maxsize=1)
def builtin_phrases() -> Dictionary:
    """The built-in phrase-rewriter family (data/phrases.tsv): a few dozen rows, parsed on load
    (their word frequencies are in the file, so wordfreq is not loaded for them)."""
    path = data_path("phrases.tsv")
    entries = parse(path.read_text(encoding="utf-8"), str(path))
    return Dictionary(replace(entry, family=PHRASES) for entry in entries)


@lru_cache(maxsize=1)
def builtin() -> Dictionary:
    """The dictionary shipped with untangle, loaded once per process."""
    table, originals = data_path("substitutions.tsv"), data_path("originals.tsv")
    return Dictionary.over(SortedLines.open(table), OriginalsFile(SortedLines.open(originals)))
