#!/usr/bin/env python3
"""A spinner emulator: rewrites clean text the way the WordNet synonym spinner in the field notes does.

It exists to make spun/clean pairs from our own articles for the quality harness. It follows the
measured behaviour (shared/notes/field.md), not untangle's dictionary, so it also produces swaps
untangle cannot know (two-step chains, late senses): recall on its output is an honest test.

- One decision per word type and article: a type is always replaced the same way.
- Common words are replaced far more often than rare ones; a fixed set is never replaced.
- Capitalised words and words with punctuation attached are left alone (this family's habit).
- The replacement is a WordNet relative of any part of speech, regardless of sense: for half the
  types the spinner's habitual first pick (adjective senses first, the first other plain lemma,
  else a similar-to head or hypernym), otherwise mostly a co-lemma of a random early sense, else
  an adjective-cluster partner or a hypernym, sometimes two steps away. A few well-known swaps
  come from outside WordNet.
- Inflected words: the development article's spinner looks each word up as written, so it
  replaces only WordNet's own lemmas ("argue", "using") and leaves "argued" and "officials"
  alone; the notes describe spinners that go through the lemma and re-inflect ("argued" ->
  "reasoned"). `as_written` picks one behaviour per article, so both are tested.

Needs WordNet 3.0 (Debian wordnet-base), wordfreq and lemminflect: bench-only dependencies.
Usage: python bench/spinner.py CLEAN.txt [--seed N] > SPUN.txt
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from functools import lru_cache
from pathlib import Path

from lemminflect import getAllInflections, getAllLemmas
from wordfreq import zipf_frequency

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from build_substitutions import first_choice  # noqa: E402
from wordnet import WordNet  # noqa: E402

NEVER = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "to",
        "and",
        "it",
        "not",
        "by",
        "but",
        "said",
        "its",
        "this",
        "that",
        "with",
        "for",
        "from",
    ]
)
OUTSIDE_WORDNET = {
    "because": "due to the fact that",
    "when": "erstwhile",
    "where": "wherever",
    "so": "truthful",
    "some": "immoderate",
    "any": "immoderate",
}
RELATION_ODDS = (("synonym", 0.6), ("pointer", 0.3), ("chain", 0.1))
# Measured on the development article: about half the spinner's word types take the first plain
# word of the first synset, adjectives first (scripts/build_substitutions.py, first_choice), and
# about one in five of those goes through the same choice again.
FIRST_CHOICE_ODDS = 0.5
REPEAT_ODDS = 0.2
POINTERS = ("&", "@", "@i")
WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")


@lru_cache(maxsize=1)
def wordnet() -> WordNet:
    return WordNet()


def replace_chance(word: str) -> float:
    """Share of types of this frequency the spinner rewrites (common words far more often)."""
    zipf = zipf_frequency(word, "en")
    return min(max(0.22 * (zipf - 2.8), 0.0), 0.92)


def _plain(word: str) -> bool:
    return word.isalpha() and word.islower()


def _relatives(lemma: str, rng: random.Random) -> list[str]:
    """Candidate replacements for a lemma, from a randomly chosen (early-biased) sense."""
    synsets = wordnet().synsets_of(lemma)
    if not synsets:
        return []
    weights = [0.55**rank for rank in range(len(synsets))]
    synset = rng.choices(synsets, weights)[0]
    kind = rng.choices([name for name, _ in RELATION_ODDS], [odds for _, odds in RELATION_ODDS])[0]
    if kind == "synonym":
        words = synset.lemmas
    else:
        targets = [wordnet().synsets[key] for sym, key in synset.pointers if sym in POINTERS]
        if kind == "chain" and targets:
            first = rng.choice(targets)
            targets = [wordnet().synsets[key] for sym, key in first.pointers if sym in POINTERS] or [first]
        words = [w for target in targets for w in target.lemmas]
    return [w.lower() for w in words if _plain(w.lower()) and w.lower() != lemma]


def _habitual(word: str, rng: random.Random) -> str | None:
    """The spinner's measured habit: its first pick, sometimes taken again from that pick."""
    picks = first_choice(wordnet(), word)
    if not picks:
        return None
    spun = picks[0][0]
    for _ in range(2):
        again = first_choice(wordnet(), spun) if rng.random() < REPEAT_ODDS else []
        if not again or again[0][0] == word:
            break
        spun = again[0][0]
    return spun


def _inflected(word: str, rng: random.Random, as_written: bool = False) -> str | None:
    """A spun form for `word`: through its lemma, re-inflected like the original, or (as_written)
    only if WordNet lists the word itself."""
    if as_written and word not in wordnet().index:
        return None
    if rng.random() < FIRST_CHOICE_ODDS:
        return _habitual(word, rng)
    lemmas = {word: ""}
    for found in [] if as_written else getAllLemmas(word).values():
        for lemma in found:
            for tag, forms in getAllInflections(lemma).items():
                if word in forms and lemma != word:
                    lemmas.setdefault(lemma, tag)
    for lemma, tag in lemmas.items():
        for _ in range(3):
            options = _relatives(lemma, rng)
            if not options:
                break
            choice = rng.choice(options)
            if not tag:
                return choice
            forms = getAllInflections(choice).get(tag)
            if forms:
                return forms[0]
    return None


class Spinner:
    """Holds one article's word-type decisions, so every occurrence is rewritten alike."""

    def __init__(self, seed: int, as_written: bool = False) -> None:
        self.rng = random.Random(seed)
        self.as_written = as_written
        self.table: dict[str, str | None] = {}

    def replacement(self, word: str) -> str | None:
        if word not in self.table:
            choice = None
            if word in OUTSIDE_WORDNET:
                choice = OUTSIDE_WORDNET[word] if self.rng.random() < 0.9 else None
            elif word not in NEVER and self.rng.random() < replace_chance(word):
                choice = _inflected(word, self.rng, self.as_written)
            self.table[word] = choice
        return self.table[word]

    def spin(self, text: str) -> str:
        pieces, position = [], 0
        for match in WORD.finditer(text):
            word = match.group()
            before = text[match.start() - 1] if match.start() else " "
            after = text[match.end()] if match.end() < len(text) else " "
            attached = not (before.isspace() and (after.isspace()))
            if attached or not _plain(word):
                continue
            new = self.replacement(word)
            if new:
                pieces.append(text[position : match.start()])
                pieces.append(new)
                position = match.end()
        pieces.append(text[position:])
        return "".join(pieces)


def spin(text: str, seed: int = 0, as_written: bool = False) -> str:
    """Spin `text` with a fresh article-level table."""
    return Spinner(seed, as_written).spin(text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--as-written", action="store_true", help="replace only words WordNet lists as written")
    args = parser.parse_args()
    sys.stdout.write(spin(args.path.read_text(encoding="utf-8"), args.seed, args.as_written))
    return 0


if __name__ == "__main__":
    sys.exit(main())
