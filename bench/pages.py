#!/usr/bin/env python3
"""Partly spun pages, built from our own articles: the layouts real scraped pages have.

Each layout is a list of blocks (paragraphs, headlines, captions, posts) of which some are spun
by bench/spinner.py (the development article's kind of spinner, looking words up as written)
and the rest are left as written. A spun block is taken from the whole article spun by one
spinner table (spun_article), so the page and the "spun whole" reference hold the same swaps:
  one-para       one spun paragraph (the third) in a clean article
  two-paras      paragraphs three and four spun (the layout of the pages issue's measurement)
  half           the second half of the article spun
  body           a spun article body under a clean headline, byline and date, with clean image
                 captions and a clean "related stories" list around it
  thread         a forum thread of short posts from several articles, one of them spun
  two-families   paragraphs two and three spun by this spinner, six and seven by another
                 family (bench/families.py wordnet2: nouns first, capitals and punctuation too)
  quote          a clean article quoting one spun sentence
  two-paras.md   two-paras as Markdown (front matter, a heading, an image, blank-line paragraphs)
  two-paras.html two-paras as HTML (<h1>, <p> blocks)
  two-paras.wrapped two-paras as plain text wrapped at 72 columns, blank lines between paragraphs
For each set: recall, precision and harmful edits on the page, changed words in its clean
blocks, recall and precision when the spun blocks are fixed on their own as one document (the
reference: a spun passage inside a page should be repaired as it would be alone), and on the
same blocks when the whole article is spun and fixed (more of the spinner's evidence to pool;
for one-para, two-paras, half and their forms these are exactly the page's swaps).

Usage: python bench/pages.py [--threshold P] [--neural]
"""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, os.environ.get("UNTANGLE_SOURCE", str(BENCH.parent / "src")))

from scoring import Tally, changed_words, score  # noqa: E402

import untangle  # noqa: E402

CORPUS = BENCH / "corpus"
SEED = 1


@dataclass(frozen=True)
class Page:
    """A page as blocks: each block's clean text, the text on the page, and whether it is spun."""

    clean: tuple[str, ...]
    shown: tuple[str, ...]
    spun: tuple[bool, ...]
    separator: str = "\n"
    head: str = ""  # markup before the first block (front matter), never spun

    def text(self, blocks: tuple[str, ...]) -> str:
        return self.head + self.separator.join(blocks) + "\n"

    def blocks_of(self, output: str) -> list[str]:
        """The blocks of an output of this page (only words change, so the separators stand)."""
        body = output[len(self.head) :]
        return body[: -1 if body.endswith("\n") else None].split(self.separator)


def articles() -> dict[str, list[str]]:
    return {
        path.name: [line for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]
        for path in sorted(CORPUS.glob("*.txt"))
    }


def spin_together(paragraphs: list[str], seed: int, family: Callable[[str, int], str] | None = None) -> list[str]:
    """Spin paragraphs as one text (one spinner table for the page), then split them again."""
    if family is None:
        from spinner import spin

        def family(text: str, seed: int) -> str:
            return spin(text, seed, True)

    if not paragraphs:
        return []
    spun = family("\n".join(paragraphs), seed).split("\n")
    assert len(spun) == len(paragraphs), "the spinner kept the paragraph breaks"
    return spun


@lru_cache(maxsize=64)
def _spun_article(paragraphs: tuple[str, ...], family: Callable[[str, int], str] | None) -> tuple[str, ...]:
    return tuple(spin_together(list(paragraphs), SEED, family))


def spun_article(paragraphs: list[str], family: Callable[[str, int], str] | None = None) -> list[str]:
    """The whole article spun (one spinner table): a page takes its spun blocks from here, so the
    "whole" reference scores the very swaps the page holds. (Spinning the chosen paragraphs on
    their own draws other swaps: the emulator's choices are random per text, and on 62-125 swaps
    that alone moved recall by 20 points, which read as a gap between page and whole.)"""
    return list(_spun_article(tuple(paragraphs), family))


def with_spun(paragraphs: list[str], chosen: set[int]) -> Page:
    spun = spun_article(paragraphs)
    shown = tuple(spun[i] if i in chosen else p for i, p in enumerate(paragraphs))
    return Page(tuple(paragraphs), shown, tuple(i in chosen for i in range(len(paragraphs))))


def one_para(name: str, paragraphs: list[str]) -> Page:
    return with_spun(paragraphs, {2})


def two_paras(name: str, paragraphs: list[str]) -> Page:
    return with_spun(paragraphs, {2, 3})


def half(name: str, paragraphs: list[str]) -> Page:
    return with_spun(paragraphs, set(range(len(paragraphs) // 2, len(paragraphs))))


def body(name: str, paragraphs: list[str]) -> Page:
    title = name.removesuffix(".txt").replace("-", " ").title()
    spun = spun_article(paragraphs)
    clean = [f"{title}: What We Know", "By Staff Reporter", "Published 4 December 2026, updated 9:40 a.m."]
    shown = list(clean)
    flags = [False, False, False]
    for index, (original, rewritten) in enumerate(zip(paragraphs, spun, strict=True)):
        if index == 3:
            caption = "Photo: the scene on the first morning, as seen from the north side of the square."
            clean.append(caption)
            shown.append(caption)
            flags.append(False)
        clean.append(original)
        shown.append(rewritten)
        flags.append(True)
    related = ["Related stories", "Council to vote on new parking rules", "Weather service warns of early frost"]
    return Page(tuple(clean + related), tuple(shown + related), tuple(flags + [False] * len(related)))


def thread(name: str, paragraphs: list[str]) -> Page:
    others = [p for other, ps in articles().items() if other != name for p in ps[1:2]][:4]
    posts = [*others[:2], paragraphs[1], *others[2:]]  # the third post, this article's own, is spun
    clean, shown, flags = [], [], []
    for number, post in enumerate(posts):
        header = f"Reply #{number + 1} from reader{number * 7 + 3}, posted {number + 2} hours ago"
        clean += [header, post]
        flags += [False, number == 2]
        shown += [header, spun_article(paragraphs)[1] if number == 2 else post]
    return Page(tuple(clean), tuple(shown), tuple(flags))


def two_families(name: str, paragraphs: list[str]) -> Page:
    from families import wordnet2

    first = spun_article(paragraphs)[1:3]
    second = spun_article(paragraphs, wordnet2)[5:7]
    shown = list(paragraphs)
    shown[1:3] = first
    shown[5:7] = second
    flags = tuple(index in (1, 2, 5, 6) for index in range(len(paragraphs)))
    return Page(tuple(paragraphs), tuple(shown), flags)


def quote(name: str, paragraphs: list[str]) -> Page:
    """One sentence of a paragraph quoted, spun, inside the clean article (a block of its own)."""
    index = max(range(1, len(paragraphs)), key=lambda i: len(paragraphs[i]))
    sentence = paragraphs[index].split(". ")[0].rstrip(".") + "."
    spun_sentence = spun_article(paragraphs)[index].split(". ")[0].rstrip(".") + "."  # the spinner keeps ". "
    quoted = f'As one reader put it in a letter this week: "{sentence}"'
    spun_quote = f'As one reader put it in a letter this week: "{spun_sentence}"'
    clean = [*paragraphs[:4], quoted, *paragraphs[4:]]
    shown = [*paragraphs[:4], spun_quote, *paragraphs[4:]]
    return Page(tuple(clean), tuple(shown), tuple(index == 4 for index in range(len(clean))))


def markdown(name: str, paragraphs: list[str]) -> Page:
    page = two_paras(name, paragraphs)
    title = name.removesuffix(".txt").replace("-", " ").title()
    head = f"---\ntitle: {title}\ndate: 2026-12-04\n---\n\n# {title}\n\n![The scene](images/{name}.jpg)\n\n"
    return Page(page.clean, page.shown, page.spun, "\n\n", head)


def html(name: str, paragraphs: list[str]) -> Page:
    page = two_paras(name, paragraphs)
    title = name.removesuffix(".txt").replace("-", " ").title()
    head = f"<html><head><title>{title}</title></head><body>\n<h1>{title}</h1>\n"

    def wrap(blocks: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(f"<p>{block}</p>" for block in blocks)

    return Page(wrap(page.clean), wrap(page.shown), page.spun, "\n", head)


def wrapped(name: str, paragraphs: list[str]) -> Page:
    """two-paras as a plain-text archive or e-mail has it: wrapped at 72 columns, blank lines
    between paragraphs (spun before wrapping, as a scraper's copy would be)."""
    page = two_paras(name, paragraphs)

    def fill(blocks: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(textwrap.fill(block, 72) for block in blocks)

    return Page(fill(page.clean), fill(page.shown), page.spun, "\n\n")


LAYOUTS: dict[str, tuple[Callable[[str, list[str]], Page], str]] = {
    "one-para": (one_para, "text"),
    "two-paras": (two_paras, "text"),
    "half": (half, "text"),
    "body": (body, "text"),
    "thread": (thread, "text"),
    "two-families": (two_families, "text"),
    "quote": (quote, "text"),
    "two-paras.md": (markdown, "markdown"),
    "two-paras.html": (html, "html"),
    "two-paras.wrapped": (wrapped, "text"),
}


@dataclass
class PageFigures:
    """One set's figures: on the pages, in their clean blocks, and on the same blocks spun whole."""

    page: Tally
    alone: Tally  # the page's spun blocks fixed on their own
    whole: Tally  # the same blocks when the whole article is spun and fixed
    clean_edits: int = 0
    clean_words: int = 0


def spun_part(page: Page, blocks: list[str] | tuple[str, ...]) -> str:
    return "\n".join(block for block, spun in zip(blocks, page.spun, strict=True) if spun)


def measure(layout: str, restorer_for: Callable[[str], untangle.Restorer]) -> PageFigures:
    """Fix every page of `layout` and, for reference, every article spun whole."""
    build, markup = LAYOUTS[layout]
    restorer = restorer_for(markup)
    figures = PageFigures(Tally(), Tally(), Tally())
    for name, paragraphs in articles().items():
        page = build(name, paragraphs)
        output = page.blocks_of(restorer.fix(page.text(page.shown)))
        figures.page.add(score(spun_part(page, page.shown), spun_part(page, page.clean), spun_part(page, output)))
        for clean, out, spun in zip(page.clean, output, page.spun, strict=True):
            if not spun:
                figures.clean_edits += changed_words(clean, out)
                figures.clean_words += len(clean.split())
        alone = spun_part(page, page.shown)  # the spun blocks on their own, as one document
        figures.alone.add(score(alone, spun_part(page, page.clean), restorer.fix(alone + "\n").removesuffix("\n")))
        lines = tuple(block.replace("\n", " ") for block in page.clean)  # a wrapped layout: its article unwrapped
        whole = Page(lines, tuple(spun_article(list(lines))), (True,) * len(lines))
        whole_output = whole.blocks_of(restorer.fix(whole.text(whole.shown)))
        figures.whole.add(score(spun_part(page, whole.shown), spun_part(page, lines), spun_part(page, whole_output)))
    return figures


def page_sets(threshold: float | None = None, neural: bool = False, **options: bool) -> dict[str, PageFigures]:
    """Every layout's figures, in LAYOUTS order; `options` go to every Restorer (guesses=False)."""

    def restorer_for(markup: str) -> untangle.Restorer:
        return untangle.Restorer(threshold, markup=markup, neural=neural, **options)

    return {layout: measure(layout, restorer_for) for layout in LAYOUTS}


def lines(results: dict[str, PageFigures]) -> list[str]:
    rows = []
    for layout, figures in results.items():
        page, whole = figures.page, figures.whole
        rows.append(
            f"pages/{layout:<15} recall {page.recall:6.3f}  precision {page.precision:6.3f}  harmful {page.harmful:3d}"
            f"  swaps {page.swaps:4d}  | alone: {figures.alone.recall:.3f} / {figures.alone.precision:.3f}"
            f"  | spun whole: {whole.recall:.3f} / {whole.precision:.3f}"
            f"  | clean blocks: {figures.clean_edits} changed words in {figures.clean_words}"
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threshold", type=float, default=None)
    parser.add_argument("--neural", action="store_true")
    arguments = parser.parse_args()
    for line in lines(page_sets(arguments.threshold, arguments.neural)):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
