"""Minimal reader for LibreOffice's English thesaurus (th_en_US_v2.dat, Debian mythes-en-us).

The thesaurus is WordNet 3.1 laid out per headword: each meaning is a part of speech and a list
of terms, plain ones the meaning's other lemmas, tagged ones its similar terms, generic terms
(hypernyms), related terms and antonyms. Spinners that look words up in it pick from 3.1's
synsets ("eventually" -> "yet", "newly" -> "recently", absent from 3.0). It is read here into
the same shape as wordnet.WordNet (pseudo-synsets with similar-to and hypernym pointers), so
build_substitutions.py treats both sources alike. Build time only.
"""

from __future__ import annotations

import os
from pathlib import Path

from wordnet import Synset

DEFAULT_PATHS = ("/usr/share/mythes/th_en_US_v2.dat", "/usr/share/myspell/dicts/th_en_US_v2.dat")
PARTS = {"(adj)": "a", "(noun)": "n", "(verb)": "v", "(adv)": "r"}
# Tagged terms the spinner can take: similar terms (the adjective cluster's head) and generic
# terms (hypernyms), as WordNet's & and @ pointers. Related terms and antonyms are not synonyms.
POINTERS = {" (similar term)": "&", " (generic term)": "@"}
SKIPPED = (" (related term)", " (antonym)")


def find_thesaurus() -> Path:
    """Locate th_en_US_v2.dat (THESAURUS overrides the Debian default)."""
    for candidate in (os.environ.get("THESAURUS", ""), *DEFAULT_PATHS):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    raise SystemExit("LibreOffice's English thesaurus not found: apt-get install mythes-en-us, or set THESAURUS")


class Thesaurus:
    """Every headword's meanings as pseudo-synsets, in the thesaurus's order."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or find_thesaurus()
        self.synsets: dict[str, Synset] = {}
        self.index: dict[str, list[str]] = {}
        with open(self.path, encoding="utf-8") as handle:
            handle.readline()  # the encoding's name
            for line in handle:
                headword, count = line.rstrip("\n").rsplit("|", 1)
                meanings = [handle.readline().rstrip("\n").split("|") for _ in range(int(count))]
                self._add(headword, meanings)

    def _add(self, headword: str, meanings: list[list[str]]) -> None:
        lemma = headword.lower()
        keys = self.index.setdefault(lemma, [])
        for part, *terms in meanings:
            pos = PARTS.get(part)
            if pos is None:
                continue
            key = f"{pos}:{lemma}:{len(keys)}"
            lemmas, pointers = [lemma], []
            for term in terms:
                symbol = next((s for suffix, s in POINTERS.items() if term.endswith(suffix)), None)
                if symbol is not None:
                    target = f"{pos}:term:{term[: term.rindex(' (')]}"
                    self.synsets.setdefault(target, Synset(target, pos, [term[: term.rindex(" (")]]))
                    pointers.append((symbol, target))
                elif not term.endswith(SKIPPED):
                    lemmas.append(term)
            self.synsets[key] = Synset(key, pos, lemmas, pointers)
            keys.append(key)

    def synsets_of(self, lemma: str) -> list[Synset]:
        """The meanings of `lemma` (lower case), in the thesaurus's order."""
        return [self.synsets[key] for key in self.index.get(lemma.lower(), [])]
