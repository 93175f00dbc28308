"""The review workflow: diff formats, confidence tiers, configuration, allow lists, inline
markers, user dictionaries and explanations, through the command line."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from untangle.cli import main

SPUN = "Helium said astatine the meeting that they person achieved a lot.\nThe team volition unfastened the span.\n"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty git repository as the working directory (the configuration search stops at it)."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("ending", ["\n", "\r\n", ""])
@pytest.mark.skipif(shutil.which("git") is None or shutil.which("patch") is None, reason="needs git and patch")
def test_unified_diff_applies_with_git_and_patch_and_equals_fix(
    runner: CliRunner, repo: Path, spun_article: str, ending: str
) -> None:
    text = spun_article.rstrip("\n").replace("\n", ending or "\n") + ending
    (repo / "article.txt").write_bytes(text.encode("utf-8"))
    fixed = runner.invoke(main, ["fix", "article.txt"]).stdout_bytes
    patch = runner.invoke(main, ["diff", "--format", "unified", "article.txt"]).stdout_bytes
    assert patch.startswith(b"--- a/article.txt\n+++ b/article.txt\n@@ ")
    (repo / "spun.patch").write_bytes(patch)
    subprocess.run(["git", "apply", "spun.patch"], cwd=repo, check=True)
    assert (repo / "article.txt").read_bytes() == fixed != text.encode("utf-8")
    (repo / "article.txt").write_bytes(text.encode("utf-8"))
    subprocess.run(["patch", "-s", "-p1", "-i", "spun.patch"], cwd=repo, check=True)
    assert (repo / "article.txt").read_bytes() == fixed


def test_json_has_one_object_per_suggestion_at_its_line_and_column(runner: CliRunner, repo: Path) -> None:
    (repo / "a.txt").write_text(SPUN, encoding="utf-8")
    result = runner.invoke(main, ["diff", "--format", "json", "a.txt"])
    records = [json.loads(line) for line in result.stdout.splitlines()]
    lines = SPUN.splitlines()
    assert {tuple(sorted(r)) for r in records} == {
        (
            "applied",
            "column",
            "confidence",
            "end",
            "family",
            "line",
            "new",
            "old",
            "path",
            "reason",
            "relation",
            "scorer",
            "start",
            "tier",
        )
    }
    assert {r["tier"] for r in records if not r["applied"]} <= {"held back"}
    assert {r["tier"] for r in records if r["applied"]} <= {"sure", "guess"}
    for record in records:
        assert record["path"] == "a.txt"
        row = lines[record["line"] - 1]
        assert row[record["column"] - 1 :].startswith(record["old"])
        assert SPUN[record["start"] : record["end"]] == record["old"]
        assert 0.0 <= record["confidence"] <= 1.0 and record["reason"]
        assert record["applied"] == (record["confidence"] >= 0.7)
    applied = [(r["old"], r["new"]) for r in records if r["applied"]]
    assert ("Helium", "He") in applied and ("astatine", "at") in applied


def test_word_format_marks_held_back_suggestions(runner: CliRunner) -> None:
    text = "They privation to present the possibility.\n"
    shown = runner.invoke(main, ["diff", "--format", "word", "--min-confidence", "0.99"], input=SPUN).stdout
    assert "{?" in shown and "?}" in shown  # held back at 0.99: shown, marked
    hidden = runner.invoke(main, ["diff", "--format", "word", "--min-confidence", "0.99", "--no-held-back"], input=SPUN)
    assert "{?" not in hidden.stdout
    assert runner.invoke(main, ["diff", "--format", "word"], input=text).exit_code == 0


def test_rich_format_colours_only_when_asked(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    coloured = runner.invoke(main, ["diff", "--format", "rich", "--color", "always"], input=SPUN).stdout
    assert "\x1b[" in coloured and "held back" not in coloured.split("\n")[0]
    assert "applied" in coloured
    plain = runner.invoke(main, ["diff", "--format", "rich", "--color", "never"], input=SPUN).stdout
    assert "\x1b[" not in plain and "Helium He" in plain
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in runner.invoke(main, ["diff", "--format", "rich"], input=SPUN).stdout


def test_all_applies_more_and_says_how_many_were_held_back(runner: CliRunner, spun_article: str) -> None:
    default = runner.invoke(main, ["fix"], input=spun_article)
    assert "lower-confidence suggestions held back" in default.stderr
    everything = runner.invoke(main, ["fix", "--all"], input=spun_article)
    assert everything.stdout != default.stdout

    def applied(*options: str) -> int:
        out = runner.invoke(main, ["diff", "--format", "json", *options], input=spun_article).stdout
        return sum(json.loads(line)["applied"] for line in out.splitlines())

    assert applied("--all") > applied()
    assert runner.invoke(main, ["fix", "--all", "--min-confidence", "0.8"], input="x").exit_code == 2


def test_configuration_is_found_upward_and_options_win(runner: CliRunner, repo: Path) -> None:
    (repo / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.untangle]\nmin-confidence = 0.99\nallow = ["helium"]\nguesses = false\n',
        encoding="utf-8",
    )
    (repo / "sub").mkdir()
    (repo / "sub" / "a.txt").write_text(SPUN, encoding="utf-8")
    out = runner.invoke(main, ["fix", "sub/a.txt"]).stdout
    assert out == SPUN  # nothing here is 99% sure, and no best guesses
    lower = runner.invoke(main, ["fix", "--min-confidence", "0.7", "sub/a.txt"]).stdout
    assert lower.startswith("Helium said at the meeting that they have achieved")  # helium allowed
    shown = runner.invoke(main, ["config", "sub/a.txt"]).stdout
    assert "min-confidence = 0.99  # " + str(repo / "pyproject.toml") + " [tool.untangle]" in shown
    assert 'allow = ["helium"]' in shown and "include = []  # default" in shown
    assert "guesses = false  # " + str(repo / "pyproject.toml") in shown
    (repo / "sub" / ".untangle.toml").write_text('allow = ["astatine"]\n', encoding="utf-8")
    nearer = runner.invoke(main, ["fix", "--allow", "person", "sub/a.txt"]).stdout  # the nearer file wins
    assert nearer.startswith("He said astatine the meeting that they person achieved")
    explicit = repo / "strict.toml"
    explicit.write_text("min-confidence = 0.9\n", encoding="utf-8")  # replaces the found files
    assert runner.invoke(main, ["fix", "--config", str(explicit), "sub/a.txt"]).stdout.startswith("He said at")


def test_bad_configuration_is_one_line_and_exit_2(runner: CliRunner, repo: Path) -> None:
    (repo / ".untangle.toml").write_text("min-confidence = 2\n", encoding="utf-8")
    result = runner.invoke(main, ["fix"], input=SPUN)
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0 and "min-confidence must be a number from 0.5 to 1.0" in result.stderr
    (repo / ".untangle.toml").write_text("colour = 1\n", encoding="utf-8")
    assert "unknown setting 'colour'" in runner.invoke(main, ["config"]).stderr
    (repo / ".untangle.toml").write_text("allow = [\n", encoding="utf-8")
    assert "not valid TOML" in runner.invoke(main, ["fix"], input=SPUN).stderr
    assert runner.invoke(main, ["fix", "--config", "missing.toml"], input=SPUN).exit_code == 2


def test_inline_markers_suppress_changes_on_their_lines(runner: CliRunner) -> None:
    text = (
        "Helium said so.  <!-- untangle: ignore -->\n"
        "# untangle: ignore-next-line\n"
        "Helium said astatine noon.\n"
        "Helium said astatine noon.\n"
    )
    out = runner.invoke(main, ["fix"], input=text).stdout
    assert out.splitlines() == [
        "Helium said so.  <!-- untangle: ignore -->",
        "# untangle: ignore-next-line",
        "Helium said astatine noon.",
        "He said at noon.",
    ]


def test_user_dictionaries_add_and_validate(runner: CliRunner, repo: Path) -> None:
    (repo / "mine.tsv").write_text("spun\toriginal\n# a phrase spinner\nmost cancers\tcancer\nfrobnicated\tsaid\n")
    text = "Helium frobnicated astatine the meeting that most cancers patients person been treated.\n"
    out = runner.invoke(main, ["fix", "--dictionary", "mine.tsv"], input=text).stdout
    assert out == "He said at the meeting that cancer patients have been treated.\n"
    assert "frobnicated" in runner.invoke(main, ["fix"], input=text).stdout  # only with the dictionary
    (repo / ".untangle.toml").write_text('dictionaries = ["mine.tsv"]\n', encoding="utf-8")
    assert runner.invoke(main, ["fix"], input=text).stdout == out  # from the configuration
    (repo / "bad.tsv").write_text("ok\tfine\nbroken\tBroken\n", encoding="utf-8")
    bad = runner.invoke(main, ["fix", "--dictionary", "bad.tsv"], input=text)
    assert bad.exit_code == 4 and "bad.tsv:2: original form 'Broken' must be lower case" in bad.stderr


def test_explain_lists_candidates_and_the_decision(runner: CliRunner) -> None:
    text = "Helium said astatine the meeting that the present plan is good."
    out = runner.invoke(main, ["explain", text]).stdout
    assert "1:1: 'Helium'" in out and "changed to 'He'" in out
    assert "(as written)" in out and "(an unlisted original)" in out
    records = [
        json.loads(line) for line in runner.invoke(main, ["explain", "--format", "json", text]).stdout.splitlines()
    ]
    helium = records[0]
    assert helium["word"] == "Helium" and helium["readings"][0]["original"] == "he"
    total = sum(r["probability"] for r in helium["readings"]) + helium["unlisted"] + helium["as_written"]
    assert total == pytest.approx(1.0, abs=0.01)
    clean = runner.invoke(main, ["explain", "--word", "present", "The present plan is good."]).stdout
    assert "'present'" in clean and "kept" in clean


def test_pre_commit_hooks_run_untangle() -> None:
    hooks = (Path(__file__).resolve().parent.parent / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "- id: untangle-check" in hooks and "entry: untangle check --quiet" in hooks
    assert "- id: untangle-fix" in hooks and "entry: untangle fix --write" in hooks
