#!/usr/bin/env python3
"""Double-spun articles scraped into Hugo Markdown, "issues" for every "the" (issue 35's layout).

Emulates what real spun copies of news articles looked like: YAML front matter (title, date,
tags, image) left as scraped, an image link, short paragraphs separated by lines that hold two
spaces, a block quote left as written (a quoted tweet or statement, so "the" still occurs a few
times), and prose spun by the phrase rewriter, then a WordNet spinner (bench/families.py
`double`), then a word-for-word pass over function words of the kind seen in the wild: "issues"
for every "the", and "equally" (as), "ar" (are), "live" (be), "along" (on), "inwards" or
"indiana" (in), "past" (by), "oregon" (or), "astatine" (at), "fifty-fifty" (even). Built from our
own articles (bench/corpus); the table below is ours.

For each page: recall, precision and harmful edits against the same page as written, and the
share of the "issues" standing for "the" that come back.

Usage: python bench/hugo.py [--neural] [--show]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, os.environ.get("UNTANGLE_SOURCE", str(BENCH.parent / "src")))

from scoring import Tally, score  # noqa: E402

import untangle  # noqa: E402

CORPUS = BENCH / "corpus"
SEPARATOR = "\n  \n"  # paragraphs are separated by a line holding two spaces
# Function words the wild spinner rewrote word for word (every occurrence), with its forms.
FUNCTION_WORDS = {
    "the": ("issues",),
    "as": ("equally",),
    "are": ("ar",),
    "be": ("live",),
    "on": ("along",),
    "in": ("inwards", "indiana"),  # two forms of one word, as in the wild
    "by": ("past",),
    "or": ("oregon",),
    "at": ("astatine",),
    "even": ("fifty-fifty",),
}
_FUNCTION = re.compile(r"\b(" + "|".join(FUNCTION_WORDS) + r")\b", re.IGNORECASE)


def rewrite_function_words(text: str, seed: int) -> str:
    """Every listed function word rewritten, capitals kept ("The" -> "Issues")."""
    rng = random.Random(seed)

    def rewrite(match: re.Match[str]) -> str:
        written = match.group(0)
        form = rng.choice(FUNCTION_WORDS[written.lower()])
        return form[0].upper() + form[1:] if written[0].isupper() else form

    return _FUNCTION.sub(rewrite, text)


def spin(prose: str, seed: int) -> str:
    from families import double

    return rewrite_function_words(double(prose, seed), seed)


@dataclass(frozen=True)
class HugoPage:
    clean: str
    spun: str
    the_count: int  # "the" in the spun prose (each now "issues")


def short_paragraphs(paragraphs: list[str]) -> list[str]:
    """Each paragraph cut in two at a sentence end near its middle (scraped pages have short ones)."""
    out = []
    for paragraph in paragraphs:
        ends = [m.end() for m in re.finditer(r"[.!?] ", paragraph)]
        if len(ends) < 2:
            out.append(paragraph)
            continue
        cut = min(ends, key=lambda end: abs(end - len(paragraph) / 2))
        out += [paragraph[:cut].rstrip(), paragraph[cut:]]
    return out


def page(name: str, text: str, seed: int = 1) -> HugoPage:
    paragraphs = [line for line in text.split("\n") if line.strip()]
    title, body = paragraphs[0], short_paragraphs(paragraphs[1:])
    slug = name.removesuffix(".txt")
    head = (
        f'---\ntitle: "{title}"\ndate: 2019-05-14T09:30:00+00:00\ndraft: false\n'
        f'tags: ["news", "{slug}"]\nimage: "/images/{slug}.jpg"\n---\n\n'
        f"![{slug}](/images/{slug}.jpg)" + SEPARATOR
    )
    quoted = "> " + body[2].split(". ")[0].rstrip(".") + "."  # a quoted statement, left as written
    spun_body = spin("\n".join(body), seed).split("\n")
    assert len(spun_body) == len(body)
    clean_blocks = [*body[:3], quoted, *body[3:]]
    spun_blocks = [*spun_body[:3], quoted, *spun_body[3:]]
    the_count = len(re.findall(r"\bthe\b", "\n".join(body), re.IGNORECASE))
    return HugoPage(head + SEPARATOR.join(clean_blocks) + "\n", head + SEPARATOR.join(spun_blocks) + "\n", the_count)


def issues_restored(page: HugoPage, output: str) -> tuple[int, int]:
    """(the "issues" standing for "the" that came back, how many there were): every "issues"
    beyond those the page as written has is a spun "the"."""

    def count(text: str) -> int:
        return len(re.findall(r"\bissues\b", text, re.IGNORECASE))

    spun = count(page.spun) - count(page.clean)
    left = count(output) - count(page.clean)
    return spun - max(left, 0), spun


@dataclass
class HugoFigures(Tally):
    """The pages' scores, with the "issues" restored and the clean pages' changed words."""

    the_back: int = 0
    the_total: int = 0
    clean_changed: int = 0
    clean_words: int = 0


def measure(neural: bool = False, threshold: float | None = None, show: bool = False, **options: bool) -> HugoFigures:
    """The set's figures; `options` go to the Restorer (guesses=False)."""
    from scoring import changed_words

    restorer = untangle.Restorer(threshold, markup="markdown", neural=neural, **options)
    figures = HugoFigures()
    for path in sorted(CORPUS.glob("*.txt")):
        one = page(path.name, path.read_text(encoding="utf-8"))
        output = restorer.fix(one.spun)
        result = score(one.spun, one.clean, output)
        back, total = issues_restored(one, output)
        figures.add(result)
        figures.the_back += back
        figures.the_total += total
        figures.clean_changed += changed_words(one.clean, restorer.fix(one.clean))
        figures.clean_words += len(one.clean.split())
        if show:
            print(f"  {path.name:<24} recall {result.restored}/{result.swaps}  'the' back {back}/{total}")
    return figures


def line(figures: HugoFigures) -> str:
    return (
        f"hugo+the     recall {figures.recall:6.3f}  precision {figures.precision:6.3f}  harmful {figures.harmful:3d}"
        f"  swaps {figures.swaps:4d}  | 'issues' for 'the' restored {figures.the_back}/{figures.the_total}"
        f" = {figures.the_back / max(figures.the_total, 1):.3f}"
        f"  | clean pages: {figures.clean_changed} changed words in {figures.clean_words}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--neural", action="store_true")
    parser.add_argument("--threshold", type=float, default=None)
    parser.add_argument("--show", action="store_true", help="per-article figures")
    arguments = parser.parse_args()
    print(line(measure(arguments.neural, arguments.threshold, arguments.show)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
