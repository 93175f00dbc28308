"""Minimal reader for the WordNet 3.0 database files (data.* and index.*).

Used only at build time by build_substitutions.py; untangle never needs WordNet at run time.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

POS_FILES = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}
DEFAULT_DIRS = ("/usr/share/wordnet", "/usr/local/share/wordnet", "/usr/share/wordnet/dict")


@dataclass
class Synset:
    """One synset: its lemmas (in WordNet order) and outgoing pointers."""

    key: str  # "n:01234567"
    ss_type: str  # n, v, a, s, r
    lemmas: list[str]
    pointers: list[tuple[str, str]] = field(default_factory=list)  # (symbol, target key)

    def related(self, symbol: str) -> list[str]:
        """Keys of synsets this one points to with `symbol`."""
        return [target for sym, target in self.pointers if sym == symbol]


def _clean_lemma(word: str) -> str:
    """Strip adjective syntactic markers like (a), (p), (ip) and use spaces for underscores."""
    if word.endswith(")") and "(" in word:
        word = word[: word.index("(")]
    return word.replace("_", " ")


def find_wordnet_dir() -> Path:
    """Locate the WordNet database directory (WORDNET_DIR overrides the Debian default)."""
    candidates = [os.environ.get("WORDNET_DIR", "")] + list(DEFAULT_DIRS)
    for candidate in candidates:
        if candidate and (Path(candidate) / "data.noun").is_file():
            return Path(candidate)
    raise SystemExit("WordNet 3.0 not found: apt-get install wordnet-base, or set WORDNET_DIR")


class WordNet:
    """All synsets of WordNet, and an index from lemma to its synsets in sense order."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or find_wordnet_dir()
        self.synsets: dict[str, Synset] = {}
        self.index: dict[str, list[str]] = {}
        for pos, name in POS_FILES.items():
            self._read_data(pos, self.directory / f"data.{name}")
            self._read_index(pos, self.directory / f"index.{name}")

    def _read_data(self, pos: str, path: Path) -> None:
        with open(path, encoding="latin-1") as handle:
            for line in handle:
                if line.startswith("  "):
                    continue  # licence header
                fields = line.split(" | ", 1)[0].split()
                offset, ss_type = fields[0], fields[2]
                w_cnt = int(fields[3], 16)
                words = [_clean_lemma(fields[4 + 2 * i]) for i in range(w_cnt)]
                at = 4 + 2 * w_cnt
                p_cnt = int(fields[at])
                pointers = []
                for i in range(p_cnt):
                    symbol, target, target_pos = fields[at + 1 + 4 * i : at + 4 + 4 * i]
                    target_pos = "a" if target_pos == "s" else target_pos
                    pointers.append((symbol, f"{target_pos}:{target}"))
                self.synsets[f"{pos}:{offset}"] = Synset(f"{pos}:{offset}", ss_type, words, pointers)

    def _read_index(self, pos: str, path: Path) -> None:
        with open(path, encoding="latin-1") as handle:
            for line in handle:
                if line.startswith("  "):
                    continue
                fields = line.split()
                lemma = fields[0].replace("_", " ")
                synset_cnt = int(fields[2])
                offsets = fields[-synset_cnt:]
                self.index.setdefault(lemma, []).extend(f"{pos}:{o}" for o in offsets)

    def synsets_of(self, lemma: str) -> list[Synset]:
        """Synsets containing `lemma` (lower case), nouns first, then verbs, adjectives, adverbs."""
        return [self.synsets[key] for key in self.index.get(lemma.lower(), [])]
