"""The HTML report in a real headless browser (Debian's chromium and chromium-driver, driven by
Selenium): its changes match the JSON view, the filters hide the right ones, hostile input stays
inert, and the page reads without JavaScript. CI installs the browser (UNTANGLE_BROWSER_TESTS=required
there, so a missing browser fails instead of skipping)."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from untangle.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from report_folder import write_report_folder  # noqa: E402 - a helper module next to the tests

from chromium import headless_chromium, missing  # noqa: E402 - the browser set-up the benchmark shares

REQUIRED = os.environ.get("UNTANGLE_BROWSER_TESTS") == "required"
SHOTS = os.environ.get("UNTANGLE_SCREENSHOTS")  # a folder to keep the screenshots in, if set


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict]]:
    absent = missing()
    if absent:
        if REQUIRED:
            pytest.fail(f"browser tests are required here, but {absent}")
        pytest.skip(absent)
    root = tmp_path_factory.mktemp("browser")
    folder = write_report_folder(root / "articles")
    runner = CliRunner()
    page = runner.invoke(main, ["diff", "--format", "html", str(folder)])
    assert page.exit_code == 0, page.output
    path = root / "report.html"
    path.write_text(page.stdout, "utf-8")
    listed = runner.invoke(main, ["diff", "--format", "json", str(folder)]).stdout.splitlines()
    return path, [json.loads(line) for line in listed]


@pytest.fixture(scope="module")
def browser(report: tuple[Path, list[dict]]) -> Iterator:
    driver = headless_chromium()
    driver.get(report[0].as_uri())
    yield driver
    driver.quit()


def _visible(driver) -> list[dict]:  # noqa: ANN001
    """The data of every change element the page shows right now."""
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('.change'))"
        ".filter(c => c.querySelector('ins').offsetParent !== null)"
        ".map(c => ({old: c.dataset.old, new: c.dataset.new, confidence: parseFloat(c.dataset.confidence),"
        " applied: c.dataset.applied === 'true'}));"
    )


def _set(driver, element_id: str, value: object) -> None:  # noqa: ANN001
    """Set a control as a person would, firing the events the page listens to."""
    driver.execute_script(
        "const el = document.getElementById(arguments[0]);"
        "if (el.type === 'checkbox') { el.checked = arguments[1]; } else { el.value = arguments[1]; }"
        "el.dispatchEvent(new Event('input')); el.dispatchEvent(new Event('change'));",
        element_id,
        value,
    )


def _shot(driver, tmp_path: Path, name: str) -> Path:  # noqa: ANN001
    folder = Path(SHOTS) if SHOTS else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    assert driver.save_screenshot(str(path))
    assert path.stat().st_size > 10_000  # a rendered page, not a blank one
    return path


def test_change_elements_match_the_json_view(browser, report) -> None:  # noqa: ANN001
    _, suggestions = report
    count = browser.execute_script("return document.querySelectorAll('.change').length")
    assert count == len(suggestions) > 10
    assert len(_visible(browser)) == count  # nothing is filtered at first
    assert browser.find_element("id", "controls").is_displayed()  # the script ran (its hash is allowed)
    assert browser.find_element("id", "shown-count").text == f"{count} of {count} suggestions shown"


def test_the_slider_hides_changes_below_it(browser, report, tmp_path: Path) -> None:  # noqa: ANN001
    _, suggestions = report
    for bar in (0.9, 0.75, 0.5):
        _set(browser, "min-confidence", bar)
        shown = _visible(browser)
        expected = [s for s in suggestions if round(s["confidence"], 4) >= bar]
        assert sorted((c["old"], c["new"]) for c in shown) == sorted((s["old"], s["new"]) for s in expected)
        assert all(c["confidence"] >= bar for c in shown)
        if bar == 0.9:
            # in a sentence still shown, a hidden change leaves its old word as plain text; a sentence
            # with no change left is hidden
            words = browser.execute_script(
                "return Array.from(document.querySelectorAll('.change.off:not(.or)')).map(c => [c.closest('li').hidden,"
                " c.querySelector('del').offsetParent !== null,"
                " getComputedStyle(c.querySelector('del')).textDecorationLine])"
            )
            hidden = browser.execute_script("return document.querySelectorAll('.change.off').length")
            assert hidden == len(suggestions) - len(expected) >= len(words) > 0
            assert all(shown == (not row_hidden) for row_hidden, shown, _ in words)
            assert all(line == "none" for row_hidden, _, line in words if not row_hidden)
            assert any(not row_hidden for row_hidden, _, _ in words)
            _shot(browser, tmp_path, "report-slider.png")
    _set(browser, "min-confidence", 0)


def test_held_back_toggle_and_word_filter(browser, report) -> None:  # noqa: ANN001
    _, suggestions = report
    _set(browser, "show-held", False)
    assert sorted(c["new"] for c in _visible(browser)) == sorted(s["new"] for s in suggestions if s["applied"])
    _set(browser, "show-held", True)
    _set(browser, "word-filter", "astatine")
    shown = _visible(browser)
    assert shown and all("astatine" in (c["old"] + c["new"]).lower() for c in shown)
    assert len(shown) == sum("astatine" in (s["old"] + s["new"]).lower() for s in suggestions)
    _set(browser, "word-filter", "")
    _set(browser, "file-filter", "nested")
    files = browser.execute_script(
        "return Array.from(document.querySelectorAll('section.file')).filter(f => !f.hidden).map(f => f.dataset.path)"
    )
    assert len(files) == 1 and "nested" in files[0]
    in_nested = [s for s in suggestions if Path(s["path"]).parent.name == "nested"]
    assert sorted(c["new"] for c in _visible(browser)) == sorted(s["new"] for s in in_nested) != []
    _set(browser, "file-filter", "")
    assert len(_visible(browser)) == len(suggestions)


def test_the_best_guesses_toggle(browser, report) -> None:  # noqa: ANN001
    _, suggestions = report
    guesses = [s for s in suggestions if s["tier"] == "guess"]
    assert guesses  # the report folder's spun articles have words surely spun with no sure original
    _set(browser, "show-guesses", False)
    shown = sorted((c["old"], c["new"]) for c in _visible(browser))
    assert shown == sorted((s["old"], s["new"]) for s in suggestions if s["tier"] != "guess")
    _set(browser, "show-guesses", True)
    assert len(_visible(browser)) == len(suggestions)


def test_hostile_input_stays_inert(browser) -> None:  # noqa: ANN001
    from selenium.common.exceptions import NoAlertPresentException

    assert browser.execute_script("return window.pwned === undefined")
    assert browser.title == "untangle report"
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018
    body = browser.find_element("tag name", "body").text
    assert "<script>window.pwned = 1;" in body
    assert 'onerror="window.pwned = 2"' in body
    assert not browser.find_elements("css selector", "main img, main script")


def test_focus_shows_the_reason(browser, tmp_path: Path) -> None:  # noqa: ANN001
    change = browser.find_element("css selector", ".change:not(.held)")
    tip = browser.find_element("id", "tip")
    assert not tip.is_displayed()
    browser.execute_script("arguments[0].focus()", change)
    assert tip.is_displayed()
    assert tip.text == change.get_attribute("title") and "WordNet" in tip.text
    _shot(browser, tmp_path, "report.png")
    browser.execute_script("arguments[0].blur()", change)
    assert not tip.is_displayed()


def test_sorting_the_table(browser) -> None:  # noqa: ANN001
    header = browser.find_elements("css selector", "#file-table th button")[4]  # Changes
    header.click()
    counts = [int(r.text.split()[-2]) for r in browser.find_elements("css selector", "#file-table tbody tr")]
    assert counts == sorted(counts, reverse=True)
    header.click()
    counts = [int(r.text.split()[-2]) for r in browser.find_elements("css selector", "#file-table tbody tr")]
    assert counts == sorted(counts)


def test_readable_without_javascript(report, tmp_path: Path) -> None:  # noqa: ANN001
    path, suggestions = report
    driver = headless_chromium(javascript=False)
    try:
        driver.get(path.as_uri())
        assert len(_visible(driver)) == len(suggestions)  # every change is shown
        assert not driver.find_element("id", "controls").is_displayed()  # controls that could do nothing are not
        assert driver.find_elements("css selector", "section.file")
        _shot(driver, tmp_path, "report-no-script.png")
    finally:
        driver.quit()
