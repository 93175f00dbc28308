"""`untangle diff --format html`: one self-contained page whose changes match the JSON view, with
every piece of input text escaped (the browser-driven checks are in test_html_browser.py)."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from untangle.cli import main
from untangle.html_report import HtmlReport
from untangle.result import Change, Paragraph, Result

sys.path.insert(0, str(Path(__file__).resolve().parent))
from report_folder import HOSTILE_NAME, write_report_folder  # noqa: E402 - a helper module next to the tests


class _Elements(HTMLParser):
    """Every start tag with its attributes, and the text inside each script element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self._inside: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._inside = tag
            (self.scripts if tag == "script" else self.styles).append("")

    def handle_endtag(self, tag: str) -> None:
        self._inside = None

    def handle_data(self, data: str) -> None:
        if self._inside == "script":
            self.scripts[-1] += data
        elif self._inside == "style":
            self.styles[-1] += data

    def with_class(self, name: str) -> list[dict[str, str | None]]:
        return [attrs for _, attrs in self.tags if name in (attrs.get("class") or "").split()]


def _parse(page: str) -> _Elements:
    parser = _Elements()
    parser.feed(page)
    parser.close()
    return parser


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_report_folder(tmp_path_factory.mktemp("report") / "articles")


@pytest.fixture(scope="module")
def page(folder: Path) -> str:
    result = CliRunner().invoke(main, ["diff", "--format", "html", str(folder)])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_every_suggestion_of_the_json_view_is_one_change_element(folder: Path, page: str) -> None:
    listed = CliRunner().invoke(main, ["diff", "--format", "json", str(folder)]).stdout.splitlines()
    suggestions = [json.loads(line) for line in listed]
    changes = _parse(page).with_class("change")
    assert len(changes) == len(suggestions) > 10
    shown = sorted((c["data-old"], c["data-new"], c["data-confidence"], c["data-applied"]) for c in changes)
    expected = sorted(
        (s["old"], s["new"], str(s["confidence"]), "true" if s["applied"] else "false") for s in suggestions
    )
    assert shown == expected


def test_every_file_is_one_file_element_with_its_path(folder: Path, page: str) -> None:
    paths = sorted(attrs["data-path"] for attrs in _parse(page).with_class("file"))
    expected = sorted(str(p) for p in folder.rglob("*.txt"))
    assert [Path(p).name for p in paths] == [Path(p).name for p in expected]
    assert HOSTILE_NAME in {Path(p).name for p in paths}  # the name is data, unescaped once parsed


def test_input_markup_is_escaped_and_only_the_pages_own_script_exists(page: str) -> None:
    parsed = _parse(page)
    assert len(parsed.scripts) == 1
    assert "pwned" not in parsed.scripts[0]
    assert not [tag for tag, attrs in parsed.tags if tag == "img" or "onerror" in attrs]
    assert "hostile &lt;img src=x onerror=window.pwned=3&gt;.txt" in page  # the file name's markup is text
    assert "&lt;script&gt;window.pwned = 1;" in page
    assert "onerror=&quot;window.pwned = 2&quot;" in page


def test_the_policy_allows_exactly_the_inline_style_and_script(page: str) -> None:
    parsed = _parse(page)
    policy = next(
        attrs["content"] for tag, attrs in parsed.tags if attrs.get("http-equiv") == "Content-Security-Policy"
    )

    def digest(text: str) -> str:
        return "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()

    assert f"script-src '{digest(parsed.scripts[0])}'" in policy
    assert f"style-src '{digest(parsed.styles[0])}'" in policy
    assert "default-src 'none'" in policy  # no network: no fonts, images or scripts from anywhere


def test_the_page_needs_nothing_from_outside(page: str) -> None:
    parsed = _parse(page)
    for _, attrs in parsed.tags:
        for name in ("src", "href"):
            value = attrs.get(name)
            assert value is None or value.startswith("#"), (name, value)
    assert "http://" not in page.split("<body>", 1)[0]
    assert not re.search(r"url\(", page)


def test_held_back_suggestions_are_marked_apart_from_applied_changes(page: str) -> None:
    changes = _parse(page).with_class("change")
    held = [c for c in changes if "held" in c["class"].split()]
    assert held and all(c["data-applied"] == "false" for c in held)
    assert all(c["data-applied"] == "true" for c in changes if c not in held)


def test_summary_counts_files_spun_changes_and_held_back(folder: Path, page: str) -> None:
    listed = [
        json.loads(line)
        for line in CliRunner().invoke(main, ["diff", "--format", "json", str(folder)]).stdout.splitlines()
    ]
    applied = sum(s["applied"] for s in listed)
    totals = re.search(r'<p class="totals">(.*?)</p>', page).group(1)
    assert "<b>4</b> files scanned" in totals
    assert f"<b>{applied}</b> changes applied" in totals
    assert f"<b>{len(listed) - applied}</b> held back" in totals
    assert "<b>3</b> spun" in totals  # the clean article is not


def test_no_held_back_leaves_them_out(folder: Path) -> None:
    page = CliRunner().invoke(main, ["diff", "--format", "html", "--no-held-back", str(folder)]).stdout
    assert 'data-applied="false"' not in page
    assert 'data-applied="true"' in page


def test_standard_input_and_an_unreadable_file(tmp_path: Path) -> None:
    runner = CliRunner()
    from_stdin = runner.invoke(main, ["diff", "--format", "html"], input="Helium said so astatine noon.\n")
    assert from_stdin.exit_code == 0
    assert 'data-path="&lt;stdin&gt;"' in from_stdin.stdout
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 helium astatine noon.\n".encode("latin-1"))
    (tmp_path / "fine.txt").write_text("Helium said so astatine noon.\n", "utf-8")
    result = runner.invoke(main, ["diff", "--format", "html", str(tmp_path)])
    assert result.exit_code == 3  # an input could not be decoded: said on the page and by the exit code
    assert 'class="failure"' in result.stdout
    assert "latin1.txt" in result.stdout
    assert result.stdout.rstrip().endswith("</html>")


def test_a_change_shows_its_confidence_relation_and_reason(page: str) -> None:
    helium = next(c for c in _parse(page).with_class("change") if c["data-old"] == "Helium")
    assert re.fullmatch(r"'helium' is a WordNet synonym of 'he'; context favours 'he' \(p=0\.\d\d\)", helium["title"])
    held = [c for c in _parse(page).with_class("change") if "held" in c["class"].split()]
    assert held and all(c["title"].startswith("held back; '") for c in held)


_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)


@settings(max_examples=60, deadline=None)
@given(before=_TEXT, old=_TEXT.filter(bool), new=_TEXT, after=_TEXT, path=_TEXT, reason=_TEXT)
def test_any_text_stays_text(before: str, old: str, new: str, after: str, path: str, reason: str) -> None:
    """Whatever the input, file name or reason holds, the page has exactly its own elements."""
    source = before + old + after
    change = Change(len(before), len(before) + len(old), old, new, 0.8, reason, "synonym")
    result = Result(source, (change,), 0.3, (), 0.9, (Paragraph(0, len(source), 0.9),))
    report = HtmlReport()
    report.add(path, source, result)
    page = report.render()
    parsed = _parse(page)
    assert len(parsed.scripts) == 1
    changes = parsed.with_class("change")
    assert len(changes) == 1
    assert (changes[0]["data-old"], changes[0]["data-new"]) == (old, new)
    assert [attrs["data-path"] for attrs in parsed.with_class("file")] == [path]
    assert {tag for tag, _ in parsed.tags} <= _OWN_TAGS


_OWN_TAGS = {
    "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "h4", "p", "b", "span",
    "form", "label", "input", "output", "main", "section", "figure", "svg", "line", "g", "rect", "text",
    "figcaption", "path", "table", "thead", "tr", "th", "button", "tbody", "td", "a", "div", "ol", "li", "del", "ins",
    "br", "script",
}  # fmt: skip
