"""A property-based fuzz of the command line: random bytes, encodings, markup and options, given
as a named file, on standard input, as a folder and as JSON Lines.

Whatever the input: no traceback, an exit code from the documented set, a named input either
fixed (exactly what the library restores, so no byte changes outside repaired words) or
reported with exit 3, and a folder holding only its files and the backups asked for. The number
of examples is bounded (UNTANGLE_FUZZ_EXAMPLES, default 60 per property) so CI's time is too.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from untangle import Restorer
from untangle.cli import main
from untangle.inputs import format_for
from untangle.result import apply_changes

EXAMPLES = int(os.environ.get("UNTANGLE_FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
WORDS = ["Helium", "said", "astatine", "the", "successful", "connected", "person", "quality", "league", "bridge"]
SEPARATORS = [" ", "\n", "\r\n", "\n\n", ", ", ". ", "\t", "<p>", "</p>", "# ", "`", "&amp;", "\u00a0", "\0"]
CODECS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252", "latin-1"]
EXIT_CODES = {"fix": {0, 2, 3}, "diff": {0, 2, 3}, "check": {0, 1, 2, 3}}

prose = st.lists(st.one_of(st.sampled_from(WORDS), st.sampled_from(SEPARATORS), st.text(max_size=3)), max_size=30).map(
    "".join
)


@st.composite
def payloads(draw: st.DrawFn) -> bytes:
    """Text in some encoding, or bytes that are no text at all."""
    if draw(st.booleans()):
        return draw(st.binary(max_size=200))
    return draw(prose).encode(draw(st.sampled_from(CODECS)), errors="replace")


options = st.fixed_dictionaries(
    {},
    optional={
        "--encoding": st.sampled_from([*CODECS, "base64", "rot13", "no-such-codec"]),
        "--markup": st.sampled_from(["auto", "text", "html", "markdown"]),
        "--min-confidence": st.sampled_from(["0.5", "0.9", "1.0", "2", "x"]),
        "--all": st.just(None),
    },
)
names = st.sampled_from(["a.txt", "b.md", "c.html", "d.rst", "e"])


def arguments(chosen: dict[str, str | None]) -> list[str]:
    flat: list[str] = []
    for option, value in chosen.items():
        flat += [option] if value is None else [option, value]
    return flat


def assert_no_traceback(result: Result, command: str) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.stderr
    assert result.exit_code in EXIT_CODES[command], (result.exit_code, result.stderr)


def expected_output(data: bytes, name: str, chosen: dict[str, str | None]) -> bytes | None:
    """What `fix` must write for a named file, per the library; None if it cannot be decoded."""
    from untangle.inputs import InputError, parse

    try:
        document = parse(data, name, chosen.get("--encoding"))
    except InputError:
        return None
    threshold = 0.5 if "--all" in chosen else float(chosen.get("--min-confidence") or 0.7)
    markup = chosen.get("--markup") or "auto"
    result = Restorer(threshold, markup=format_for(name, markup)).restore(document.text)
    for change in result.changes:
        assert document.text[change.start : change.end] == change.old
    assert apply_changes(document.text, result.changes) == result.text
    return document.encoding.encode(result.text) if result.changes else data


def usage_error(chosen: dict[str, str | None]) -> bool:
    bad_codec = chosen.get("--encoding") in ("base64", "rot13", "no-such-codec")
    bad_threshold = chosen.get("--min-confidence") in ("2", "x")
    both = "--all" in chosen and "--min-confidence" in chosen
    return bad_codec or bad_threshold or both


@FUZZ
@given(data=payloads(), name=names, chosen=options, command=st.sampled_from(sorted(EXIT_CODES)))
def test_a_named_file_is_fixed_or_reported(data: bytes, name: str, chosen: dict, command: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        result = CliRunner().invoke(main, [command, *arguments(chosen), str(path)])
        assert_no_traceback(result, command)
        assert path.read_bytes() == data
        assert sorted(os.listdir(folder)) == [name]
    if usage_error(chosen):
        assert result.exit_code == 2
        return
    expected = expected_output(data, name, chosen)
    if expected is None:
        assert result.exit_code == 3 and name in result.stderr
    elif command == "fix":
        assert result.exit_code == 0, result.stderr
        assert result.stdout_bytes == expected


@FUZZ
@given(data=payloads(), chosen=options, command=st.sampled_from(sorted(EXIT_CODES)))
def test_standard_input_is_fixed_or_reported(data: bytes, chosen: dict, command: str) -> None:
    result = CliRunner().invoke(main, [command, *arguments(chosen)], input=data)
    assert_no_traceback(result, command)
    if usage_error(chosen):
        assert result.exit_code == 2
        return
    expected = expected_output(data, "", chosen)
    if expected is None:
        assert result.exit_code == 3 and "<stdin>" in result.stderr
    elif command == "fix":
        assert result.exit_code == 0 and result.stdout_bytes == expected


@FUZZ
@given(
    files=st.dictionaries(names, payloads(), min_size=1, max_size=4),
    chosen=options,
    mode=st.sampled_from(["write", "backup", "output-dir"]),
)
def test_a_folder_holds_only_its_files_and_the_backups_asked_for(files: dict, chosen: dict, mode: str) -> None:
    with tempfile.TemporaryDirectory() as top:
        folder = Path(top) / "in"
        folder.mkdir()
        for name, data in files.items():
            (folder / name).write_bytes(data)
        flags = {"write": ["-w"], "backup": ["-w", "--backup", ".orig"], "output-dir": ["-o", str(Path(top) / "out")]}
        result = CliRunner().invoke(main, ["fix", "-q", "-j", "1", *flags[mode], *arguments(chosen), str(folder)])
        assert_no_traceback(result, "fix")
        left = set(os.listdir(folder))
        if mode == "backup":
            assert left - set(files) <= {name + ".orig" for name in files}
            for backup in left - set(files):
                assert (folder / backup).read_bytes() == files[backup.removesuffix(".orig")]
        else:
            assert left == set(files)
        out = Path(top) / "out"
        if mode == "output-dir" and out.exists():
            assert set(os.listdir(out)) <= set(files)
        shutil.rmtree(top, ignore_errors=True)


records = st.lists(
    st.one_of(
        prose.map(lambda text: json.dumps({"id": 1, "text": text})),
        prose.map(lambda text: json.dumps({"other": text})),
        st.text(max_size=20),
    ),
    max_size=6,
)


@FUZZ
@given(lines=records, newline=st.sampled_from(["\n", "\r\n"]), tail=st.binary(max_size=4))
def test_json_lines_pass_through_or_are_reported(lines: list[str], newline: str, tail: bytes) -> None:
    data = newline.join(line.replace("\n", " ").replace("\r", " ") for line in lines).encode("utf-8") + tail
    result = CliRunner().invoke(main, ["fix", "--jsonl", "-j", "1"], input=data)
    assert_no_traceback(result, "fix")
    assert result.exit_code in (0, 3)
    for line in result.stdout.splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and "id" in record:
            assert set(record) == {"id", "text"}
