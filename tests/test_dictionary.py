"""Dictionary parsing, validation with file:line errors, and integrity of the shipped table."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from untangle.dictionary import (
    COLUMNS,
    PYTHON_SEARCHES,
    Dictionary,
    DictionaryError,
    Entry,
    OriginalsFile,
    SortedLines,
    builtin,
    data_path,
    load,
    parse,
)


def test_parses_rows_with_defaults_for_missing_evidence() -> None:
    entries = parse("# comment\nspun\toriginal\nquality league\tnews conference\t\t0.4\nhelium\the\n")
    assert entries == [
        Entry("quality league", "news conference", "user", 0.4),
        Entry("helium", "he", "user", 0.1),
    ]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("onlyone", "expected 2 to 7 tab-separated fields"),
        ("Helium\the", "must be lower case"),
        ("helium\thelium", "are the same"),
        ("helium\the\tsynonym\t1.5", "prior must be in (0, 1]"),
        ("helium\the\tsynonym\tlots", "prior must be a number"),
        ("helium\t\tsynonym", "empty original"),
    ],
)
def test_malformed_rows_are_reported_with_file_and_line(row: str, message: str) -> None:
    with pytest.raises(DictionaryError) as caught:
        parse(f"# header\n{row}\n", "mine.tsv")
    assert str(caught.value).startswith("mine.tsv:2: ")
    assert message in str(caught.value)


def test_duplicates_are_rejected() -> None:
    with pytest.raises(DictionaryError, match=r"x.tsv:3: duplicate entry 'helium' -> 'he'"):
        parse("helium\the\nastatine\tat\nhelium\the\n", "x.tsv")


def test_load_reports_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(DictionaryError, match="cannot read"):
        load(tmp_path / "missing.tsv")
    bad = tmp_path / "bad.tsv"
    bad.write_bytes(b"helium\the\xff\n")
    with pytest.raises(DictionaryError, match="not UTF-8"):
        load(bad)


def test_user_entries_override_and_extend() -> None:
    dictionary = Dictionary([Entry("helium", "he", "synonym", 0.4)])
    dictionary.add([Entry("helium", "he", "user", 0.9), Entry("due to the fact that", "because", "user", 0.5)])
    assert dictionary.starting_with("helium") == [Entry("helium", "he", "user", 0.9)]
    assert "due to the fact that" in dictionary
    assert dictionary.is_original("because")


def _data_lines(name: str) -> list[str]:
    return [line for line in data_path(name).read_text(encoding="utf-8").splitlines() if not line.startswith("#")]


def test_builtin_table_is_sorted_unique_and_valid() -> None:
    lines = _data_lines("substitutions.tsv")
    assert lines[0] == "\t".join(COLUMNS)
    rows = lines[1:]
    assert rows == sorted(rows), "data lines must be sorted for binary search"
    entries = parse("\n".join(rows), "substitutions.tsv")  # raises on any malformed row or duplicate
    assert len(entries) > 100_000


def test_builtin_has_no_cycles_through_curated_rows() -> None:
    """A curated original must not itself be rewritten by another curated row (no chains)."""
    rows = [line.split("\t") for line in _data_lines("substitutions.tsv")[1:]]
    curated = {(spun, original) for spun, original, relation, *_ in rows if relation == "curated"}
    spun_forms = {spun for spun, _ in curated}
    assert not {original for _, original in curated} & spun_forms


def test_builtin_lookup_covers_single_words_and_phrases() -> None:
    dictionary = builtin()
    assert "at" in {e.original for e in dictionary.starting_with("astatine")}
    assert any(e.spun == "due to the fact that" and e.original == "because" for e in dictionary.starting_with("due"))
    assert dictionary.is_original("because")
    assert dictionary.zipf("astatine") > 0


def test_every_original_listed_in_originals_tsv() -> None:
    originals = {line.split("\t")[0] for line in _data_lines("originals.tsv")}
    rows = _data_lines("substitutions.tsv")[1:]
    assert {line.split("\t")[1] for line in rows} == originals
    table = builtin()  # which reads originals.tsv in place: every row is found and well formed
    for line in _data_lines("originals.tsv"):
        word, zipf, _ = line.split("\t")
        assert table.is_original(word) and table.zipf(word) == float(zipf), word


def test_originals_carry_a_headword_flag() -> None:
    flags = {line.split("\t")[0]: line.split("\t")[2] for line in _data_lines("originals.tsv")}
    assert set(flags.values()) <= {"0", "1"}
    assert flags["argue"] == "1" and flags["argued"] == "0"  # WordNet lists "argue", not "argued"
    assert flags["officials"] == "0" and flags["using"] == "1"  # "using" is a noun headword
    assert flags["because"] == "1"  # the original of a curated swap is looked up as written
    dictionary = builtin()
    assert dictionary.is_headword("argue") and not dictionary.is_headword("argued")


def test_the_originals_file_is_read_in_place_and_its_bad_rows_are_named(tmp_path: Path) -> None:
    path = tmp_path / "o.tsv"
    path.write_text("# c\nargue\t4.1\t1\nargued\t4.3\t0\nargues\tmany\t1\nold\t3.0\nolder\t2.9\tyes\n", "utf-8")
    originals = OriginalsFile(SortedLines.open(path))  # memory-mapped, as the built-in one is
    assert originals.get("argue") == (4.1, True)
    assert originals.get("argued") == (4.3, False)
    assert originals.get("old") == (3.0, True)  # no flag: a headword
    assert originals.get("arg") is None and originals.get("zebra") is None
    with pytest.raises(DictionaryError, match=r"o.tsv:4: zipf must be a number"):
        originals.get("argues")
    with pytest.raises(DictionaryError, match=r"o.tsv:6: headword must be 0 or 1"):
        originals.get("older")


def test_a_user_row_keeps_the_frequency_the_originals_file_gives() -> None:
    known = OriginalsFile(SortedLines(b"argue\t4.1\t1\nargued\t4.3\t0\n"))
    dictionary = Dictionary.over(SortedLines(), known)
    assert dictionary.is_original("argued") and not dictionary.is_original("reasoned")
    assert not dictionary.is_headword("argued")
    dictionary.add([Entry("reasoned", "argued", "user", 0.5, original_zipf=2.0)])
    assert dictionary.zipf("argued") == 4.3 and dictionary.is_headword("argued")
    assert dictionary.extended([]).is_headword("argued")


def test_a_user_row_makes_its_original_a_headword() -> None:
    dictionary = Dictionary.over(SortedLines(), OriginalsFile(SortedLines(b"argued\t4.3\t0\n")))
    assert not dictionary.is_headword("argued")
    dictionary.add([Entry("reasoned", "argued", "user", 0.5)])
    assert dictionary.is_headword("argued")


def test_no_row_respells_a_word_the_british_or_the_american_way() -> None:
    # WordNet lists colour/color as co-lemmas; restoring one to the other repairs nothing and
    # changes the author's spelling (a harmful edit in a British text).
    table = builtin()
    for spun, other in [
        ("colour", "color"),
        ("centimetres", "centimeters"),
        ("organised", "organized"),
        ("theatre", "theater"),
        ("color", "colour"),
        ("analyze", "analyse"),
        ("judgement", "judgment"),
        ("acknowledgment", "acknowledgement"),
    ]:
        assert all(entry.original != other for entry in table.starting_with(spun)), (spun, other)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.text(alphabet="ab \t!é", max_size=5), max_size=12),
    st.text(alphabet="ab \té", max_size=3),
    st.text(alphabet="ab !é", max_size=3),
)
def test_the_core_finds_the_lines_python_finds(tmp_path_factory, lines, low, high) -> None:
    """A sorted file searched by the compiled core (SortedLines.open) gives the lines the Python
    search of the same bytes gives, header and empty lines included."""
    data = ("# header\n" + "\n".join(sorted(lines)) + "\n").encode("utf-8")
    path = tmp_path_factory.mktemp("sorted") / "lines.tsv"
    path.write_bytes(data)
    mapped, held = SortedLines.open(path), SortedLines(data)
    for _ in range(PYTHON_SEARCHES):
        mapped.between("", "")  # until the core takes the search over
    assert mapped.between(low, high) == held.between(low, high)
    assert mapped._searched is not None and held._searched is None  # the core's search, and Python's
