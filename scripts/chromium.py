"""Debian's headless Chromium through Selenium, for the HTML report's tests, benchmark and screenshot.

Only the installed browser and driver are used (their paths are given, so Selenium looks nothing up
and downloads nothing).
"""

from __future__ import annotations

import shutil
from pathlib import Path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


def missing() -> str | None:
    """Why a headless Chromium cannot be started here, or None if it can."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed"
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        return "Debian's chromium and chromium-driver are not installed"
    return None


def headless_chromium(javascript: bool = True, size: str = "1280,1400"):  # noqa: ANN201 - a selenium WebDriver
    """A headless Chromium window of `size` pixels; `javascript=False` turns scripts off."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", f"--window-size={size}"):
        options.add_argument(argument)
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
