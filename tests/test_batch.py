"""Batch fixing: folders, mirrored output, encodings, markup, JSON Lines, check, and safe writes."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from untangle.cli import main

SPUN = (
    "Helium told reporters astatine a quality league that the work was late due to the fact that the bridge was closed."
)
FIXED = "He told reporters at a news conference that the work was late because the bridge was closed."
CLEAN = "The council met on Tuesday and agreed to repair the bridge before the winter storms arrive."


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def make_tree(root: Path) -> dict[str, Path]:
    files = {
        "spun": root / "a-spun.txt",
        "clean": root / "b-clean.txt",
        "nested": root / "sub" / "c-spun.txt",
        "hidden": root / ".cache" / "d-spun.txt",
    }
    for key, path in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(CLEAN + "\n" if key == "clean" else SPUN + "\n", encoding="utf-8")
    return files


def test_write_fixes_in_place_and_leaves_unchanged_files_alone(runner: CliRunner, tmp_path: Path) -> None:
    files = make_tree(tmp_path)
    files["spun"].chmod(0o640)
    clean_before = files["clean"].stat()
    result = runner.invoke(main, ["fix", "--write", "--jobs", "1", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert files["spun"].read_text(encoding="utf-8") == FIXED + "\n"
    assert files["nested"].read_text(encoding="utf-8") == FIXED + "\n"
    assert files["hidden"].read_text(encoding="utf-8") == SPUN + "\n"  # hidden folders are skipped
    assert stat.S_IMODE(files["spun"].stat().st_mode) == 0o640
    clean_after = files["clean"].stat()
    assert (clean_after.st_ino, clean_after.st_mtime_ns) == (clean_before.st_ino, clean_before.st_mtime_ns)
    assert "3 files scanned: 2 changed, 0 skipped, 0 failed" in result.stderr
    assert not list(tmp_path.rglob("*untangle-tmp"))


def test_output_dir_mirrors_the_tree_and_keeps_originals(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "in"
    files = make_tree(source)
    result = runner.invoke(main, ["fix", "--output-dir", str(tmp_path / "out"), str(source)])
    assert result.exit_code == 0, result.output
    assert files["spun"].read_text(encoding="utf-8") == SPUN + "\n"
    assert (tmp_path / "out" / "a-spun.txt").read_text(encoding="utf-8") == FIXED + "\n"
    assert (tmp_path / "out" / "sub" / "c-spun.txt").read_text(encoding="utf-8") == FIXED + "\n"
    assert (tmp_path / "out" / "b-clean.txt").read_text(encoding="utf-8") == CLEAN + "\n"


def test_in_place_writes_are_fsynced_and_mirrored_copies_are_not(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A replaced original must survive a power cut; a copy whose source stays need not."""
    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda descriptor: (synced.append(descriptor), real_fsync(descriptor))[1])
    source = tmp_path / "in"
    make_tree(source)
    mirrored = runner.invoke(main, ["fix", "--jobs", "1", "--output-dir", str(tmp_path / "out"), str(source)])
    assert mirrored.exit_code == 0, mirrored.output
    assert (tmp_path / "out" / "a-spun.txt").read_text(encoding="utf-8") == FIXED + "\n"
    assert synced == []
    in_place = runner.invoke(main, ["fix", "--jobs", "1", "--write", str(source)])
    assert in_place.exit_code == 0, in_place.output
    assert len(synced) >= 2  # each of the two changed files (its data, then its folder)


def test_backup_keeps_the_original_and_is_not_fixed_next_time(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(SPUN, encoding="utf-8")
    assert runner.invoke(main, ["fix", "--write", "--backup", ".orig", str(tmp_path)]).exit_code == 0
    assert (tmp_path / "a.txt.orig").read_text(encoding="utf-8") == SPUN
    assert path.read_text(encoding="utf-8") == FIXED
    again = runner.invoke(main, ["fix", "--write", "--backup", ".orig", str(tmp_path)])
    assert "1 file scanned" in again.stderr
    assert (tmp_path / "a.txt.orig").read_text(encoding="utf-8") == SPUN


def test_include_exclude_and_gitignore(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("ignored/\n", encoding="utf-8")
    for name in ("keep.txt", "skip.md", "ignored/x.txt", "drafts/y.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(SPUN, encoding="utf-8")
    result = runner.invoke(main, ["fix", "-w", "--include", "*.txt", "--exclude", "drafts/", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "keep.txt").read_text(encoding="utf-8") == FIXED
    for untouched in ("skip.md", "ignored/x.txt", "drafts/y.txt"):
        assert (tmp_path / untouched).read_text(encoding="utf-8") == SPUN
    everything = runner.invoke(main, ["fix", "-w", "--no-gitignore", str(tmp_path)])
    assert (tmp_path / "ignored" / "x.txt").read_text(encoding="utf-8") == FIXED
    assert everything.exit_code == 0


def test_relative_paths_inside_a_repository(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("*.log\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text(SPUN, encoding="utf-8")
    (tmp_path / "docs" / "run.log").write_text(SPUN, encoding="utf-8")
    monkeypatch.chdir(tmp_path / "docs")
    result = runner.invoke(main, ["check", "--format", "json", "."])
    assert result.exit_code == 1, result.output
    assert [json.loads(line)["path"] for line in result.stdout.splitlines()] == ["a.txt"]


def test_binary_files_are_skipped_with_a_note(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")  # a .txt that is not text
    result = runner.invoke(main, ["fix", "-w", str(tmp_path)])
    assert result.exit_code == 0
    assert "image.txt: skipped (binary file)" in result.stderr
    assert (tmp_path / "image.txt").read_bytes().startswith(b"\x89PNG")


def test_folders_take_only_prose_files_unless_told(runner: CliRunner, tmp_path: Path) -> None:
    code = "def helium():\n    return astatine  # said astatine the meeting\n"
    (tmp_path / "tool.py").write_text(code, encoding="utf-8")
    (tmp_path / "notes.md").write_text(SPUN + "\n", encoding="utf-8")
    result = runner.invoke(main, ["fix", "-w", str(tmp_path)])
    assert result.exit_code == 0
    assert (tmp_path / "tool.py").read_text(encoding="utf-8") == code  # source code is not prose
    assert (tmp_path / "notes.md").read_text(encoding="utf-8") != SPUN + "\n"
    assert runner.invoke(main, ["diff", "--include", "*.py", str(tmp_path)]).stdout.startswith(str(tmp_path))


@pytest.mark.parametrize(
    ("encoding", "bom", "newline"),
    [
        ("utf-8", b"", "\r\n"),
        ("utf-8", b"\xef\xbb\xbf", "\n"),
        ("utf-16-le", b"\xff\xfe", "\r\n"),
        ("utf-16-be", b"\xfe\xff", "\n"),
    ],
)
def test_encoding_bom_and_newlines_survive_a_write(
    runner: CliRunner, tmp_path: Path, encoding: str, bom: bytes, newline: str
) -> None:
    path = tmp_path / "a.txt"
    text = newline.join([SPUN, CLEAN])  # no final newline
    path.write_bytes(bom + text.encode(encoding))
    result = runner.invoke(main, ["fix", "--write", str(path)])
    assert result.exit_code == 0, result.output
    assert path.read_bytes() == bom + newline.join([FIXED, CLEAN]).encode(encoding)


def test_forced_encoding_and_undecodable_files(runner: CliRunner, tmp_path: Path) -> None:
    latin = tmp_path / "latin.txt"
    latin.write_bytes(("Café owners said: " + SPUN).encode("latin-1"))
    good = tmp_path / "good.txt"
    good.write_text(SPUN, encoding="utf-8")
    result = runner.invoke(main, ["fix", "--write", str(tmp_path)])
    assert result.exit_code == 3
    assert "latin.txt: not valid UTF-8" in result.stderr
    assert latin.read_bytes() == ("Café owners said: " + SPUN).encode("latin-1")  # left untouched
    assert good.read_text(encoding="utf-8") == FIXED  # the others are still fixed
    forced = runner.invoke(main, ["fix", "--write", "--encoding", "latin-1", str(latin)])
    assert forced.exit_code == 0
    assert latin.read_bytes() == ("Café owners said: " + FIXED).encode("latin-1")
    assert runner.invoke(main, ["fix", "--encoding", "klingon", str(latin)]).exit_code == 2


def test_output_dir_mirrors_files_it_cannot_repair_byte_for_byte(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "in"
    (source / "sub").mkdir(parents=True)
    latin = ("Café owners said: " + SPUN).encode("latin-1")
    (source / "latin.txt").write_bytes(latin)  # not UTF-8: reported, still copied
    (source / "sub" / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")  # binary: skipped, still copied
    (source / "good.txt").write_text(SPUN, encoding="utf-8")
    result = runner.invoke(main, ["fix", "-o", str(tmp_path / "out"), str(source)])
    assert result.exit_code == 3 and "latin.txt: not valid UTF-8" in result.stderr
    assert (tmp_path / "out" / "latin.txt").read_bytes() == latin
    assert (tmp_path / "out" / "sub" / "image.txt").read_bytes() == b"\x89PNG\r\n\x1a\n\x00\x00"
    assert (tmp_path / "out" / "good.txt").read_text(encoding="utf-8") == FIXED


def test_html_only_prose_changes(runner: CliRunner, tmp_path: Path) -> None:
    page = (
        "<html><head><style>p.astatine { color: red }</style></head><body>\n"
        '<p class="helium">Helium told reporters astatine a <a href="https://example.org/astatine">quality league</a>'
        " that the work was late due to the fact that the bridge was closed.</p>\n"
        "<pre>astatine helium</pre><p>Ben &amp; Jerry&rsquo;s shop opened.</p>\n</body></html>\n"
    )
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    result = runner.invoke(main, ["fix", str(path)])
    assert result.exit_code == 0
    expected = (
        page.replace(">Helium told reporters astatine a", ">He told reporters at a")
        .replace(">quality league<", ">news conference<")
        .replace("due to the fact that", "because")
    )
    assert result.stdout == expected


def test_markdown_code_and_links_stay(runner: CliRunner, tmp_path: Path) -> None:
    text = (
        "# Notes\n\nHelium told reporters astatine a [quality league](https://example.org/astatine) that the "
        "`astatine` flag was late due to the fact that the bridge was closed.\n\n```\nhelium astatine\n```\n"
    )
    path = tmp_path / "notes.md"
    path.write_text(text, encoding="utf-8")
    out = runner.invoke(main, ["fix", str(path)]).stdout
    assert "He told reporters at a [news conference](https://example.org/astatine)" in out
    assert "`astatine` flag" in out
    assert "```\nhelium astatine\n```\n" in out
    assert "because" in out


def test_jsonl_repairs_one_field_and_keeps_the_rest(runner: CliRunner) -> None:
    lines = [
        json.dumps({"id": 1, "text": SPUN, "title": "astatine"}) + "\n",
        '{"id": 2.50, "meta": {"k": [1, 2]}}\n',
        "not json\n",
        json.dumps({"text": CLEAN, "id": 3}),
    ]
    result = runner.invoke(main, ["fix", "--jsonl", "--field", "text", "--jobs", "1"], input="".join(lines))
    assert result.exit_code == 3  # the bad line is reported ...
    out = result.stdout.splitlines(keepends=True)
    assert len(out) == 4  # ... and passed through
    assert json.loads(out[0]) == {"id": 1, "text": FIXED, "title": "astatine"}
    assert out[1:] == lines[1:]
    assert "<stdin>:3: not a JSON object" in result.stderr


def test_jsonl_with_workers_matches_serial(runner: CliRunner) -> None:
    lines = "".join(json.dumps({"n": n, "text": SPUN if n % 3 else CLEAN}) + "\n" for n in range(40))
    serial = runner.invoke(main, ["fix", "--jsonl", "-j", "1"], input=lines)
    parallel = runner.invoke(main, ["fix", "--jsonl", "-j", "2"], input=lines)
    assert serial.exit_code == parallel.exit_code == 0
    assert serial.stdout == parallel.stdout
    assert serial.stdout.count(FIXED) == 26


def test_diff_on_a_folder_is_the_same_with_any_number_of_workers(runner: CliRunner, tmp_path: Path) -> None:
    for n in range(6):
        (tmp_path / f"f{n}.txt").write_text(SPUN if n % 2 else CLEAN, encoding="utf-8")
    one = runner.invoke(main, ["diff", "--jobs", "1", str(tmp_path)])
    two = runner.invoke(main, ["diff", "--jobs", "2", str(tmp_path)])
    assert one.stdout == two.stdout
    assert [line.split(":")[0][-6:] for line in one.stdout.splitlines()] == ["f1.txt", "f3.txt", "f5.txt"]


def test_check_exit_codes_and_json(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "clean.txt").write_text(CLEAN * 3, encoding="utf-8")
    assert runner.invoke(main, ["check", str(tmp_path / "clean.txt")]).exit_code == 0
    (tmp_path / "spun.txt").write_text(SPUN, encoding="utf-8")
    result = runner.invoke(main, ["check", "--format", "json", str(tmp_path)])
    assert result.exit_code == 1
    verdicts = {Path(v["path"]).name: v for v in map(json.loads, result.stdout.splitlines())}
    assert verdicts["spun.txt"]["spun"] is True
    assert verdicts["spun.txt"]["paragraphs"][0]["line"] == 1
    assert verdicts["clean.txt"]["spun"] is False
    assert runner.invoke(main, ["check", str(tmp_path / "missing.txt")]).exit_code == 3


def test_usage_errors(runner: CliRunner, tmp_path: Path) -> None:
    assert runner.invoke(main, ["fix", str(tmp_path)]).exit_code == 2  # a folder needs --write or -o
    assert runner.invoke(main, ["fix", "--write"], input=SPUN).exit_code == 2
    assert runner.invoke(main, ["fix", "--write", "-o", str(tmp_path), str(tmp_path)]).exit_code == 2
    assert runner.invoke(main, ["fix", "--backup", ".b", str(tmp_path)]).exit_code == 2


def test_read_only_and_vanished_files_are_reported_while_others_are_fixed(tmp_path: Path) -> None:
    from untangle.batch import Settings, run
    from untangle.discovery import discover

    for name in ("a.txt", "locked.txt", "gone.txt", "z.txt"):
        (tmp_path / name).write_text(SPUN, encoding="utf-8")
    (tmp_path / "locked.txt").chmod(0o444)
    found = discover([tmp_path])
    (tmp_path / "gone.txt").unlink()  # vanishes between discovery and processing
    reports = []
    summary = run(found.files, Settings(write=True), jobs=1, on_report=reports.append)
    by_name = {Path(r.path).name: r for r in reports}
    assert by_name["locked.txt"].status == "failed" and "read-only" in by_name["locked.txt"].message
    assert by_name["gone.txt"].status == "failed" and "no such file" in by_name["gone.txt"].message
    assert (tmp_path / "locked.txt").read_text(encoding="utf-8") == SPUN
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == FIXED
    assert (tmp_path / "z.txt").read_text(encoding="utf-8") == FIXED
    assert (summary.changed, summary.failed) == (2, 2)


def test_a_full_disk_leaves_the_original_intact(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import errno

    from untangle import safe_write
    from untangle.batch import Settings, run
    from untangle.discovery import discover

    path = tmp_path / "a.txt"
    path.write_text(SPUN, encoding="utf-8")

    def no_space(descriptor: int, data: object) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(safe_write.os, "write", no_space)
    reports = []
    run(discover([tmp_path]).files, Settings(write=True), jobs=1, on_report=reports.append)
    assert reports[0].status == "failed"
    assert "No space left on device" in reports[0].message
    assert path.read_text(encoding="utf-8") == SPUN
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]  # no temporary file left


def test_stale_temporary_files_are_removed_by_the_next_run(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(SPUN, encoding="utf-8")
    stale = tmp_path / ".a.txt.999999999.untangle-tmp"  # no process has this id
    stale.write_text("half", encoding="utf-8")
    result = runner.invoke(main, ["fix", "--write", str(tmp_path)])
    assert result.exit_code == 0
    assert not stale.exists()
    assert "left by an interrupted run" in result.stderr
