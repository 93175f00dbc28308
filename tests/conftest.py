"""Shared fixtures: example texts written for these tests (never third-party articles)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def spun_article() -> str:
    return (EXAMPLES / "spun-article.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def clean_article() -> str:
    return (EXAMPLES / "clean-article.txt").read_text(encoding="utf-8")
