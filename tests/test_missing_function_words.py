"""A spinner that writes one ordinary word for every "the" (issue 35): double-spun articles
scraped into Hugo Markdown, with front matter, image links, two-space separator lines and a
quoted statement left as written, come back; clean text that uses those words is untouched."""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

import pytest

from untangle import Restorer
from untangle.dictionary import builtin
from untangle.inferred import missing_common, propose

sys.path.insert(0, str(Path(__file__).resolve().parent))
from own_texts import CLEAN, LONGER, MORE  # noqa: E402 - a helper module next to the tests

# Function words rewritten word for word as the real copies did (forms the built-in table lists).
FORMS = {"at": "astatine", "or": "oregon", "as": "equally", "on": "along"}


def spun_prose(text: str) -> str:
    text = re.sub(r"\b(the|The)\b", lambda m: "issues" if m.group(1) == "the" else "Issues", text)
    return re.sub(r"\b(" + "|".join(FORMS) + r")\b", lambda m: FORMS[m.group(1)], text)


def hugo(paragraphs: list[str], quote: str) -> str:
    head = '---\ntitle: "The Town Report"\ndate: 2019-05-14\ntags: ["news"]\n---\n\n'
    head += "![The bridge](/img/the-bridge.jpg)\n"
    blocks = [*paragraphs[:2], f"> {quote}", *paragraphs[2:]]
    return head + "  \n" + "\n  \n".join(blocks) + "\n"


def paragraphs_of(text: str) -> list[str]:
    return [" ".join(block.split()) for block in text.split("\n\n") if block.strip()]


QUOTE = "We will keep the bridge open for the buses until the new one is ready, the mayor wrote."


def test_a_double_spun_hugo_page_gets_back_the_the_it_lost() -> None:
    clean = paragraphs_of(CLEAN + "\n" + MORE + "\n" + LONGER)
    spun_page = hugo([spun_prose(p) for p in clean], QUOTE)
    clean_page = hugo(clean, QUOTE)
    # The quote and the front matter keep "the" as written: the word is rare, not absent.
    assert len(re.findall(r"\b[Tt]he\b", spun_page)) >= 5
    output = Restorer(markup="markdown").fix(spun_page)
    stood = len(re.findall(r"\bissues\b", spun_page, re.IGNORECASE))
    left = len(re.findall(r"\bissues\b", output, re.IGNORECASE))
    assert stood >= 40 and left <= 0.05 * stood
    # Nothing outside the prose changed, and every line the spinner left alone is as it was.
    spun_lines, out_lines, clean_lines = spun_page.split("\n"), output.split("\n"), clean_page.split("\n")
    for spun, out, original in zip(spun_lines, out_lines, clean_lines, strict=True):
        if spun == original:
            assert out == spun
    assert sum(o == c for o, c in zip(out_lines, clean_lines, strict=True)) > sum(
        s == c for s, c in zip(spun_lines, clean_lines, strict=True)
    )


def test_a_stand_in_that_outnumbers_the_few_left_is_proposed_but_a_close_second_blocks_it() -> None:
    words = spun_prose(" ".join(paragraphs_of(CLEAN + "\n" + MORE + "\n" + LONGER))).split()
    text = " ".join(words) + " " + QUOTE  # "the" four times, "issues" some fifty
    rows = propose(text, builtin())
    assert [(row.spun, row.original) for row in rows] == [("issues", "the")]
    rival = text + " " + " ".join(["problems"] * (text.lower().count("issues") // 2 + 1))
    assert propose(rival, builtin()) == []  # two words could stand for it: neither is proposed


def test_a_common_word_as_english_uses_it_is_never_missing() -> None:
    counts = Counter(re.findall(r"[a-z]+", (CLEAN + MORE + LONGER).lower()))
    assert missing_common(counts) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "The issues raised by the committee were discussed at length, and the issues of cost came first.",
        "The parade went past the bridge and past the old mill before it turned toward the square.",
        "There was live music on the green, and the bands played live until the lights went out.",
        "The prize money was equally shared, and the two teams were equally pleased with the result.",
        "Readers in Oregon and Indiana wrote in along with readers from the rest of the country.",
    ],
)
def test_clean_text_using_the_stand_ins_is_untouched(sentence: str) -> None:
    text = CLEAN + "\n" + sentence + "\n" + MORE + "\n" + LONGER
    assert Restorer().fix(text) == text
    page = hugo(paragraphs_of(text), QUOTE)
    assert Restorer(markup="markdown").fix(page) == page


def test_the_wild_copies_other_rewrites_come_back_and_their_words_stay_in_clean_text() -> None:
    # Our own security story, written with the forms the real copies used for "files" and "Windows".
    spun = (
        "Attackers copied the recordsdata from the shared folder before anyone noticed. The stolen "
        "recordsdata included payroll records and scanned passports.\n"
        "Researchers said the malware encrypts recordsdata on Home windows machines and asks for a ransom. "
        "It also deletes backup recordsdata so that victims cannot restore them.\n"
    )
    fixed = Restorer().fix(spun)
    assert "recordsdata" not in fixed and fixed.count(" files") == 4 and "on Windows machines" in fixed
    clean = (
        "The builder fitted new home windows and doors along the whole street last spring, and the "
        "council paid for half of the cost.\n" + CLEAN
    )
    assert Restorer().fix(clean) == clean


def test_only_the_core_words_count_as_missing_when_a_few_remain() -> None:
    # A long text on one topic: every core word at its usual rate, "or" at half of it.
    counts = Counter({"the": 300, "of": 150, "and": 150, "to": 150, "a": 130, "in": 110, "or": 6, "helium": 40})
    counts["word"] = 5000 - counts.total()
    assert "or" not in missing_common(counts)
    counts["or"] = 0
    assert "or" in missing_common(counts)  # missing outright: a spinner's work
    counts["the"] = 20  # a core word at a tenth of its rate, a quote keeping a few: missing
    assert "the" in missing_common(counts)
