#!/usr/bin/env python3
"""Spinner families other than the one untangle was fitted to, emulated on our own articles.

Each family is a function clean text -> spun text, deterministic for a seed:
  phrase     a low-rate phrase rewriter (the "used to be" family): a fixed table of common words
             and phrases, each rewritten every time it occurs, capitals kept; about 5% of words
  wordnet2   a WordNet spinner with another pick rule: nouns first (then verbs, adjectives,
             adverbs), or a random early sense for some types, and it also replaces capitalised
             words and words with punctuation attached (case kept: "May" -> "Whitethorn")
  double     the phrase rewriter, then wordnet2 over its output
  double+the double spinning that also writes "issues" for every "the" (as one double-spun
             article from the wild did 37 times): no table lists it
  lowrate    the development article's kind of WordNet spinner (bench/spinner.py) that rewrites
             only a quarter of the word types it would: a few words in a hundred
  papermill  a paper mill's paraphraser on scientific prose (bench/corpus/science): every fixed
             technical term rewritten word by word with WordNet relatives ("tortured phrases":
             "random forest" -> "random woodland"), other words as wordnet2 does at half its rate
The tables below are ours, written for this harness; none is untangle's dictionary, and the
harness learns the phrase table only from one spun/clean pair (as a user would), never from here.
"""

from __future__ import annotations

import random
import re
import sys
from functools import lru_cache
from pathlib import Path

from wordfreq import zipf_frequency

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent / "scripts"))
from build_substitutions import inflect, is_plain_word, lemmas_of, spinner_choice  # noqa: E402
from wordnet import WordNet  # noqa: E402

# original -> spun. Inflected forms are listed where the rewriter also rewrites them.
PHRASES = {
    "was": "used to be",
    "were": "had been",
    "said": "mentioned",
    "says": "mentions",
    "every": "each",
    "many": "a lot of",
    "also": "additionally",
    "however": "then again",
    "because": "due to the fact",
    "help": "assist",
    "helped": "assisted",
    "helps": "assists",
    "need": "want",
    "needed": "wanted",
    "think": "assume",
    "thinks": "assumes",
    "show": "exhibit",
    "showed": "confirmed",
    "big": "large",
    "start": "begin",
    "started": "began",
    "buy": "purchase",
    "bought": "purchased",
    "use": "make use of",
    "get": "get hold of",
    "got": "obtained",
    "important": "essential",
    "problem": "hassle",
    "problems": "issues",
    "often": "frequently",
    "money": "cash",
    "enough": "sufficient",
    "almost": "nearly",
    "while": "whilst",
    "since": "considering",
    "before": "earlier than",
    "until": "till",
    "around": "round",
    "during": "all through",
    "really": "truely",
    "want": "prefer",
    "wanted": "desired",
    "find": "discover",
    "found": "located",
    "keep": "preserve",
    "kept": "saved",
    "look": "appear",
    "looked": "seemed",
    "hard": "difficult",
    "easy": "effortless",
    "good": "accurate",
    "best": "pleasant",
    "whole": "complete",
    "same": "identical",
    "different": "exceptional",
    "way": "manner",
    "in order to": "so as to",
    "as well as": "as nicely as",
    "a lot of": "lots of",
    "in fact": "in reality",
    "for example": "for instance",
    "still": "nonetheless",
    "again": "once more",
    "whether": "whether or not",
    "though": "even though",
    "although": "even though",
    "just": "simply",
    "quickly": "rapidly",
    "finally": "ultimately",
    "recently": "lately",
    "began": "commenced",
    "told": "advised",
    "asked": "requested",
    "called": "known as",
    "became": "grew to be",
    "become": "turn out to be",
    "seen": "viewed",
    "saw": "noticed",
    "lost": "misplaced",
    "won": "gained",
    "worked": "labored",
}
_PHRASE = re.compile(
    r"\b(" + "|".join(re.escape(o).replace(r"\ ", r"\s+") for o in sorted(PHRASES, key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)
WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")
NEVER = frozenset(
    ["the", "a", "an", "of", "to", "and", "it", "not", "by", "but", "its", "this", "that", "with", "for", "from", "i"]
)
NOUNS_FIRST = ("n", "v", "a", "r")


def _cased(written: str, spun: str) -> str:
    if written.isupper() and len(written) > 1:
        return spun.upper()
    if written[0].isupper():
        return spun[0].upper() + spun[1:]
    return spun


def phrase(text: str, seed: int = 0) -> str:
    """The low-rate phrase rewriter: every listed word or phrase, every time, capitals kept."""
    del seed  # a phrase rewriter's table is fixed: the same rewrite in every article

    def rewrite(match: re.Match[str]) -> str:
        written = match.group(0)
        return _cased(written, PHRASES[" ".join(written.lower().split())])

    return _PHRASE.sub(rewrite, text)


@lru_cache(maxsize=1)
def wordnet() -> WordNet:
    return WordNet()


def _first_form(word: str, tag: str, offered: list[tuple[str, str]]) -> str | None:
    """The first offered relative, inflected like `word`, that is a plain word other than it."""
    for relative, _ in offered:
        spun = inflect(relative, tag) if tag else relative
        if spun and spun != word and is_plain_word(spun):
            return spun
    return None


class PickRuleSpinner:
    """A WordNet spinner that picks nouns first and also rewrites capitalised and attached words."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.table: dict[str, str | None] = {}

    def _pick(self, word: str) -> str | None:
        for lemma, tag in lemmas_of(word).items():
            if self.rng.random() < 0.7:
                offered = spinner_choice(wordnet(), lemma, NOUNS_FIRST)
            else:  # a random early sense, any relation
                synsets = wordnet().synsets_of(lemma)[:3]
                offered = [(w.lower(), "synonym") for s in synsets for w in s.lemmas if is_plain_word(w.lower())]
                offered = [item for item in offered if item[0] != lemma]
                self.rng.shuffle(offered)
            spun = _first_form(word, tag, offered)
            if spun:
                return spun
        return None

    def replacement(self, word: str) -> str | None:
        if word not in self.table:
            chance = min(max(0.22 * (zipf_frequency(word, "en") - 2.8), 0.0), 0.9)
            replaced = word not in NEVER and self.rng.random() < chance
            self.table[word] = self._pick(word) if replaced else None
        return self.table[word]

    def spin(self, text: str) -> str:
        def rewrite(match: re.Match[str]) -> str:
            written = match.group(0)
            lower = written.lower()
            if not lower.isalpha() or (written != lower and not written[1:].islower()):
                return written
            spun = self.replacement(lower)
            return _cased(written, spun) if spun else written

        return WORD.sub(rewrite, text)


# Technical terms a paper mill's paraphraser rewrites word by word; what each becomes is
# WordNet's, picked as wordnet2 picks (PickRuleSpinner._pick), not a list of reported phrases.
TERMS = (
    "artificial intelligence",
    "machine learning",
    "deep learning",
    "neural network",
    "random forest",
    "big data",
    "cloud computing",
    "mean square error",
    "signal to noise ratio",
    "surface area",
    "speech recognition",
    "error rate",
    "linear model",
    "sensor networks",
    "satellite images",
)
_TERM = re.compile(r"\b(" + "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in TERMS) + r")\b", re.IGNORECASE)


class PaperMill(PickRuleSpinner):
    """Tortured phrases for technical terms, and ordinary words spun at half wordnet2's rate."""

    def tortured(self, term: str) -> str:
        words = []
        for word in term.split():
            if word in NEVER:
                words.append(word)
                continue
            picked = self._pick_first(word)
            words.append(picked or word)
        return " ".join(words)

    def _pick_first(self, word: str) -> str | None:
        for lemma, tag in lemmas_of(word).items():
            spun = _first_form(word, tag, spinner_choice(wordnet(), lemma, NOUNS_FIRST))
            if spun:
                return spun
        return None

    def replacement(self, word: str) -> str | None:
        if word not in self.table and self.rng.random() < 0.5:
            self.table[word] = None  # half the types a general spinner would take are left alone
        return super().replacement(word)

    def spin(self, text: str) -> str:
        pieces, position = [], 0
        for match in _TERM.finditer(text):
            pieces.append(super().spin(text[position : match.start()]))
            pieces.append(_cased(match.group(0), self.tortured(" ".join(match.group(0).lower().split()))))
            position = match.end()
        pieces.append(super().spin(text[position:]))
        return "".join(pieces)


def papermill(text: str, seed: int = 0) -> str:
    """A paper mill's paraphraser: tortured technical terms, other words lightly spun."""
    return PaperMill(seed).spin(text)


def wordnet2(text: str, seed: int = 0) -> str:
    """The second WordNet family: its own pick rule, capitals and attached words included."""
    return PickRuleSpinner(seed).spin(text)


def double(text: str, seed: int = 0) -> str:
    """Double spinning: the phrase rewriter, then the WordNet spinner over its output."""
    return wordnet2(phrase(text), seed)


def double_the(text: str, seed: int = 0) -> str:
    """Double spinning, and "issues" for every "the" (capital kept), as seen in the wild."""
    spun = double(text, seed)
    return re.sub(r"\b(the|The)\b", lambda m: "issues" if m.group(1) == "the" else "Issues", spun)


def lowrate(text: str, seed: int = 0) -> str:
    """bench/spinner.py's spinner, leaving three in four of the word types it would rewrite alone."""
    import spinner

    class LowRate(spinner.Spinner):
        def replacement(self, word: str) -> str | None:
            if word not in self.table and self.rng.random() > 0.25:
                self.table[word] = None
            return super().replacement(word)

    return LowRate(seed, as_written=True).spin(text)


FAMILIES = {
    "phrase": phrase,
    "wordnet2": wordnet2,
    "double": double,
    "papermill": papermill,
    "lowrate": lowrate,
    "double+the": double_the,
}


def main() -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("family", choices=sorted(FAMILIES))
    parser.add_argument("path", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    sys.stdout.write(FAMILIES[args.family](args.path.read_text(encoding="utf-8"), args.seed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
