"""The command line, through click's runner and as an installed script."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from untangle import __version__
from untangle.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fresh_process import modules_loaded  # noqa: E402 - a helper module next to the tests

SPUN = (
    "Helium told reporters astatine a quality league that the activity was late due to the fact that "
    "immoderate of the alloy had to beryllium replaced.\n"
)
FIXED = (
    "He told reporters at a news conference that the activity was late because some of the alloy had to be replaced.\n"
)


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def test_fix_reads_stdin_and_writes_only_the_text(runner: CliRunner, spun_article: str) -> None:
    result = runner.invoke(main, ["fix"], input=spun_article)
    assert result.exit_code == 0
    assert "He told reporters at a" in result.stdout
    assert "held back" not in result.stdout  # diagnostics go to stderr


def test_plain_text_never_imports_the_markup_machinery() -> None:
    # Start-up: a plain-text fix loads only what plain text needs; an .html file needs markup.
    assert modules_loaded(["fix"], "Helium said so.\n", ["untangle.markup"]) == []


FROZEN_AT_EXIT = """
import atexit, gc, sys
sys.argv = ["untangle", *sys.argv[1:]]
atexit.register(lambda: print(gc.get_freeze_count(), file=sys.stderr))
from untangle.cli import {entry}
{entry}()
"""


@pytest.mark.parametrize(("entry", "frozen"), [("run", True), ("main", False)])
def test_the_command_freezes_what_start_up_built_and_the_library_entry_does_not(entry: str, frozen: bool) -> None:
    # The process's entry point moves start-up's objects out of the collector's reach (a tenth
    # of a one-line run); `main`, which tests and other programs call, leaves the collector be.
    program = FROZEN_AT_EXIT.format(entry=entry)
    done = subprocess.run(
        [sys.executable, "-c", program, "fix"], input="Helium said so.\n", capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "He said so.\n"
    assert (int(done.stderr.strip().splitlines()[-1]) > 10_000) is frozen


def test_the_console_script_and_python_dash_m_run_the_freezing_entry() -> None:
    import tomllib

    project = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["scripts"]["untangle"] == "untangle.cli:run"
    main_module = (Path(__file__).parents[1] / "src" / "untangle" / "cli" / "__main__.py").read_text(encoding="utf-8")
    assert "run()" in main_module


def test_fix_dash_means_stdin(runner: CliRunner) -> None:
    result = runner.invoke(main, ["fix", "-"], input="")
    assert result.exit_code == 0
    assert result.stdout == ""


def test_fix_preserves_crlf_and_bom_bytes(runner: CliRunner, tmp_path: Path, spun_article: str) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"\xef\xbb\xbf" + spun_article.replace("\n", "\r\n").encode("utf-8"))
    result = runner.invoke(main, ["fix", str(path)])
    assert result.exit_code == 0
    out = result.stdout_bytes
    assert out.startswith(b"\xef\xbb\xbf")
    assert out.count(b"\r\n") == spun_article.count("\n")


def test_fix_on_clean_text_is_byte_identical(runner: CliRunner, clean_article: str) -> None:
    result = runner.invoke(main, ["fix"], input=clean_article)
    assert result.exit_code == 0
    assert result.stdout == clean_article


def test_diff_piped_uses_word_markup_and_summary(runner: CliRunner) -> None:
    result = runner.invoke(main, ["diff", "-"], input=SPUN)
    assert result.exit_code == 0
    assert "<stdin>:1: " in result.stdout
    assert "[-astatine-]{+at+}" in result.stdout
    assert "[-Helium-]{+He+}" in result.stdout
    assert "changes" in result.stderr.splitlines()[-1]


def test_diff_color_always_uses_ansi(runner: CliRunner) -> None:
    result = runner.invoke(main, ["diff", "--color", "always", "-"], input=SPUN)
    assert result.exit_code == 0
    assert "\x1b[" in result.stdout
    assert "astatine -> at" in result.stdout
    assert "WordNet synonym" in result.stdout


def test_missing_file_is_a_one_line_error(runner: CliRunner) -> None:
    result = runner.invoke(main, ["fix", "no/such/file.txt"])
    assert result.exit_code == 3
    assert result.stderr.strip() == "untangle: no/such/file.txt: no such file"
    assert "Traceback" not in result.output


def test_undecodable_input_is_a_one_line_error(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("caf\xe9".encode("latin-1"))
    result = runner.invoke(main, ["diff", str(path)])
    assert result.exit_code == 3
    assert "not valid UTF-8 (byte 0xe9 at offset 3)" in result.stderr


def test_other_files_are_still_fixed_when_one_fails(runner: CliRunner, tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(SPUN, encoding="utf-8")
    result = runner.invoke(main, ["fix", str(tmp_path / "gone.txt"), str(good)])
    assert result.exit_code == 3
    assert result.stdout == FIXED


def test_usage_errors_exit_2(runner: CliRunner) -> None:
    assert runner.invoke(main, ["fix", "--min-confidence", "3"]).exit_code == 2
    assert runner.invoke(main, ["frobnicate"]).exit_code == 2


def test_version_and_help(runner: CliRunner) -> None:
    assert __version__ in runner.invoke(main, ["--version"]).stdout
    for command in ([], *([name] for name in main.commands)):
        text = runner.invoke(main, [*command, "--help"]).stdout
        assert "Example" in text, command
        assert "Exit codes:" in text, command


def test_installed_script_runs_as_a_filter() -> None:
    script = shutil.which("untangle") or str(Path(sys.executable).parent / "untangle")
    if not Path(script).exists():
        pytest.skip("untangle is not installed as a script in this environment")
    done = subprocess.run([script, "fix"], input=SPUN.encode(), capture_output=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode() == FIXED


def test_every_option_has_help_text() -> None:
    for name, command in main.commands.items():
        for parameter in command.params:
            if parameter.param_type_name == "option":
                assert parameter.help, f"untangle {name} {parameter.opts[0]} has no help text"
