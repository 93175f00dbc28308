"""Bad input: a named file is fixed or an error (exit 3), never empty output; backups are never
overwritten; codecs that are not text encodings and undecodable stdin are one-line errors;
named pipes are read as streams; long documents are fitted in windows."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

import untangle
from untangle import windows
from untangle.cli import main
from untangle.families import Cascade
from untangle.safe_write import atomic_write

RACING_FILES = 200
SPUN = "Helium told reporters astatine a quality league that the bridge was closed.\n"
FIXED = "He told reporters at a news conference that the bridge was closed.\n"


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


@pytest.mark.parametrize(
    "data",
    [SPUN.encode("utf-16-le"), SPUN.encode("utf-16-be"), bytes(range(256)) * 8],
    ids=["utf-16-le without mark", "utf-16-be without mark", "random bytes"],
)
def test_a_named_file_that_looks_binary_is_an_error_not_empty_output(
    runner: CliRunner, tmp_path: Path, data: bytes
) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(data)
    result = runner.invoke(main, ["fix", str(path)])
    assert result.exit_code == 3
    assert result.stdout == ""
    assert "notes.txt" in result.stderr and "Traceback" not in result.stderr
    assert path.read_bytes() == data


def test_utf16_without_a_mark_names_the_encoding_that_reads_it(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(SPUN.encode("utf-16-le"))
    failed = runner.invoke(main, ["fix", str(path)])
    assert "--encoding utf-16-le" in failed.stderr
    fixed = runner.invoke(main, ["fix", "--encoding", "utf-16-le", str(path)])
    assert fixed.exit_code == 0
    assert fixed.stdout_bytes == FIXED.encode("utf-16-le")


def test_a_named_utf8_file_with_a_nul_is_fixed(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"\0" + SPUN.encode())
    result = runner.invoke(main, ["fix", str(path)])
    assert result.exit_code == 0
    assert result.stdout_bytes == b"\0" + FIXED.encode()


def test_inside_a_folder_binary_files_are_still_skipped(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_bytes(SPUN.encode("utf-16-le"))
    result = runner.invoke(main, ["fix", "-w", str(tmp_path)])
    assert result.exit_code == 0
    assert "skipped (binary file)" in result.stderr


@pytest.mark.parametrize("codec", ["base64", "rot13", "hex", "zlib"])
@pytest.mark.parametrize("command", ["fix", "diff", "check"])
def test_a_codec_that_is_not_a_text_encoding_is_a_usage_error(
    runner: CliRunner, tmp_path: Path, codec: str, command: str
) -> None:
    path = tmp_path / "a.txt"
    path.write_text(SPUN, encoding="utf-8")
    for arguments in ([str(path)], [str(tmp_path)] if command != "fix" else ["-w", str(tmp_path)], []):
        result = runner.invoke(main, [command, "--encoding", codec, *arguments], input=SPUN)
        assert result.exit_code == 2, (arguments, result.output)
        assert "not a text encoding" in result.stderr or "unknown text encoding" in result.stderr
        assert result.exception is None or isinstance(result.exception, SystemExit)
    assert path.read_text(encoding="utf-8") == SPUN


def test_explain_on_undecodable_stdin_is_a_one_line_error(runner: CliRunner) -> None:
    result = runner.invoke(main, ["explain"], input=b"caf\xe9\n")
    assert result.exit_code == 3
    assert isinstance(result.exception, SystemExit)
    assert result.stderr.strip().count("\n") == 0 and "not valid UTF-8" in result.stderr


def test_concurrent_runs_with_backups_keep_every_original(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    for number in range(RACING_FILES):
        (folder / f"a{number:02d}.txt").write_text(SPUN, encoding="utf-8")
    command = [sys.executable, "-m", "untangle.cli", "fix", "-w", "--backup", ".orig", "-j", "2", "-q", str(folder)]
    runs = [subprocess.Popen(command, stderr=subprocess.PIPE) for _ in range(2)]
    for run in runs:
        run.wait(timeout=300)
    for number in range(RACING_FILES):
        assert (folder / f"a{number:02d}.txt.orig").read_text(encoding="utf-8") == SPUN
        assert (folder / f"a{number:02d}.txt").read_text(encoding="utf-8") == FIXED
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        name for number in range(RACING_FILES) for name in (f"a{number:02d}.txt", f"a{number:02d}.txt.orig")
    )


def test_a_backup_that_holds_another_text_is_never_replaced(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(SPUN, encoding="utf-8")
    (tmp_path / "a.txt.orig").write_text("the first original\n", encoding="utf-8")
    result = runner.invoke(main, ["fix", "-w", "--backup", ".orig", str(path)])
    assert result.exit_code == 3
    assert "already holds an earlier original" in result.stderr
    assert (tmp_path / "a.txt.orig").read_text(encoding="utf-8") == "the first original\n"
    assert path.read_text(encoding="utf-8") == SPUN
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "a.txt.orig"]


def test_a_backup_hard_linked_to_the_file_keeps_the_original_and_leaves_no_staging_file(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(SPUN, encoding="utf-8")
    os.link(path, tmp_path / "a.txt.orig")
    atomic_write(path, FIXED.encode(), backup_suffix=".orig")
    assert path.read_text(encoding="utf-8") == FIXED
    assert (tmp_path / "a.txt.orig").read_text(encoding="utf-8") == SPUN
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "a.txt.orig"]


def _feed(fifo: Path, data: bytes) -> threading.Thread:
    def write() -> None:
        with open(fifo, "wb") as pipe:
            pipe.write(data)

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    return thread


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_is_read_as_a_stream_and_never_replaced(runner: CliRunner, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    writer = _feed(fifo, SPUN.encode())
    result = runner.invoke(main, ["fix", str(fifo)])
    writer.join(timeout=10)
    assert result.exit_code == 0 and result.stdout == FIXED
    refused = runner.invoke(main, ["fix", "-w", str(fifo)])
    assert refused.exit_code == 3
    assert "named pipe cannot be fixed in place" in refused.stderr
    assert fifo.is_fifo()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_inside_a_folder_is_skipped_with_a_note(runner: CliRunner, tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "a.txt").write_text(SPUN, encoding="utf-8")
    result = runner.invoke(main, ["fix", "-w", str(tmp_path)])
    assert result.exit_code == 0
    assert "pipe.txt: skipped (named pipe, not a regular file)" in result.stderr
    assert (tmp_path / "pipe.txt").is_fifo()


def test_windows_cover_the_text_and_end_between_words() -> None:
    text = ("One two three four. Five six seven.\n\n" * 50) + "x" * 300 + " tail words here."
    spans = windows.window_spans(text, 120)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:], strict=False))
    assert all(end - start <= 120 for start, end in spans)
    for _, end in spans[:-1]:
        assert not (text[end - 1].isalpha() and text[end].isalpha()) or text[end - 1] == "x"


def test_a_long_text_is_restored_window_by_window_like_its_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    paragraphs = [
        "Helium told reporters astatine a quality league that the bridge was closed.",
        "The council met on Tuesday and agreed to repair the road before winter.",
        "The mayor said connected Tuesday that the metropolis volition unfastened the span.",
    ]
    text = "\n".join(paragraphs * 4) + "\n"
    seen: list[int] = []
    original_restore = Cascade.restore

    def spy(self: Cascade, window: str, options: object) -> untangle.Result:
        seen.append(len(window))
        return original_restore(self, window, options)

    monkeypatch.setattr(Cascade, "restore", spy)
    monkeypatch.setattr(windows, "WINDOW_CHARS", 200)
    windowed = untangle.restore(text)
    assert len(seen) > 3 and max(seen) <= 200  # the engine never holds more than a window
    assert windowed.text.count("He told reporters at a news conference") == 4
    assert windowed.text.count("The council met on Tuesday") == 4
    for change in windowed.changes:
        assert text[change.start : change.end] == change.old
    starts = [p.start for p in windowed.paragraphs]
    assert starts == sorted(starts) and len(starts) == 12


def test_explain_reads_a_long_text_a_window_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    from untangle.explain import explain

    paragraph = "Helium said the metropolis volition unfastened the span successful the spring.\n"
    text = "".join(f"Line {n}. " + paragraph for n in range(12))
    whole = [(s.line, s.column, s.word, s.decision) for s in explain(text)]
    monkeypatch.setattr(windows, "WINDOW_CHARS", 300)  # about three lines a window
    assert len(windows.window_spans(text)) > 3
    read: list[int] = []
    traced = Cascade.restore_traced

    def spy(self, part, options):  # noqa: ANN001, ANN202
        read.append(len(part))
        return traced(self, part, options)

    monkeypatch.setattr(Cascade, "restore_traced", spy)
    windowed = explain(text)
    assert len(read) > 3 and max(read) <= 300  # the engine never held more than a window
    assert [text[s.start : s.end] for s in windowed] == [s.word for s in windowed]
    assert all(s.line == text.count("\n", 0, s.start) + 1 for s in windowed)
    assert {s.line for s in windowed} == set(range(1, 13))  # every window's words, at their own lines
    assert {(line, word) for line, _, word, _ in whole} <= {(s.line, s.word) for s in windowed}
