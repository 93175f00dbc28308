"""`untangle review` in a real terminal (pexpect drives a pseudo-terminal, one key per answer)."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from untangle.result import Change
from untangle.review import review

pexpect = pytest.importorskip("pexpect")

SPUN = "Helium said astatine the meeting that they person achieved a lot.\nThe team volition unfastened the span.\n"


def untangle_command() -> list[str]:
    script = shutil.which("untangle", path=os.path.dirname(sys.executable))
    return [script] if script else [sys.executable, "-m", "untangle.cli"]


def spawn(arguments: list[str], cwd: Path):  # noqa: ANN201
    command = untangle_command()
    env = {**os.environ, "NO_COLOR": "1", "TERM": "dumb"}
    return pexpect.spawn(command[0], [*command[1:], *arguments], cwd=str(cwd), env=env, encoding="utf-8", timeout=60)


def test_keys_in_a_terminal_accept_reject_edit_allow_and_write_once(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()  # the configuration search stops here
    article = tmp_path / "article.txt"
    article.write_text(SPUN, encoding="utf-8")
    child = spawn(["review", "article.txt"], tmp_path)
    child.expect(r"\[1/\d+\] article.txt:1 .*Helium")
    child.expect_exact("[y,n,e,a,i,q,?]")
    child.send("y")  # one key, no Enter: Helium -> He
    child.expect(r"\[2/\d+\].*astatine")
    child.expect_exact("[y,n,e,a,i,q,?]")
    child.send("n")  # astatine stays
    child.expect(r"\[3/\d+\].*person")
    child.expect_exact("[y,n,e,a,i,q,?]")
    child.send("e")
    child.expect_exact("Replacement [have]:")
    child.sendline("had")
    child.expect(r"\[4/\d+\].*volition")
    assert article.read_text(encoding="utf-8") == SPUN  # nothing is written before the end
    child.expect_exact("[y,n,e,a,i,q,?]")
    child.send("i")  # reject and allow "volition" from now on
    child.expect(r"\[5/\d+\].*unfastened")
    child.expect_exact("[y,n,e,a,i,q,?]")
    child.send("?")
    child.expect_exact("a accept this and all the rest")
    child.send("a")  # this and the rest
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert article.read_text(encoding="utf-8") == (
        "He said astatine the meeting that they had achieved a lot.\nThe team volition open the span.\n"
    )
    assert (tmp_path / ".untangle.toml").read_text(encoding="utf-8") == 'allow = ["volition"]\n'


def test_quit_writes_what_was_accepted_and_ctrl_c_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    article = tmp_path / "article.txt"
    article.write_text(SPUN, encoding="utf-8")
    child = spawn(["review", "article.txt"], tmp_path)
    child.expect_exact("[y,n,e,a,i,q,?]")
    child.send("y")
    child.expect_exact("[y,n,e,a,i,q,?]")
    child.sendintr()  # Ctrl-C
    child.expect("left unchanged")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert article.read_text(encoding="utf-8") == SPUN
    child = spawn(["review", "article.txt"], tmp_path)
    child.expect_exact("[y,n,e,a,i,q,?]")
    child.send("y")
    child.expect_exact("[y,n,e,a,i,q,?]")
    child.send("q")
    child.expect("1 accepted, 0 rejected, \\d+ not reviewed")
    child.expect(pexpect.EOF)
    assert article.read_text(encoding="utf-8") == SPUN.replace("Helium", "He", 1)


def test_the_review_loop_with_scripted_answers() -> None:
    changes = [
        Change(i * 10, i * 10 + 4, old, new, 0.9, "r", tier="guess" if old == "helium" else "sure")
        for i, (old, new) in enumerate(
            [("tin", "can"), ("tin", "can"), ("helium", "he"), ("past", "last"), ("near", "left")]
        )
    ]
    answers = iter(["x", "i", "e", "y", "q"])
    shown: list[str] = []
    outcome = review(
        changes, lambda c, i, n: shown.append(c.old), lambda _: next(answers), lambda c: "she", shown.append
    )
    assert outcome.allowed == ["tin"]
    assert [c.old for c in outcome.rejected] == ["tin", "tin"]  # the second tin is rejected unasked
    assert [(c.old, c.new, c.reason, c.tier) for c in outcome.accepted] == [
        ("helium", "she", "edited in review", "sure"),  # the reader's own word is no guess
        ("past", "last", "r", "sure"),
    ]
    assert [c.old for c in outcome.unreviewed] == ["near"]
    assert shown[:2] == ["tin", shown[1]] and "y accept" in shown[1]  # an unknown key shows the help
