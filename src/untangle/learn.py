"""Learning a spinner's substitutions: from spun/original pairs, or from spun text alone.

From pairs: the two texts are aligned word by word (difflib); every replaced run of at most
MAX_PHRASE words on each side is a substitution, counted over all pairs. Genuine edits between
versions are left out: insertions and deletions, runs with numbers, and long rewritten runs.
Single words and phrase heads are generalised through their lemmas to the other inflections
(reasoned <- argued gives reasons <- argues). Each row's prior is how often the spinner rewrote
the original this way when it met it, smoothed.

From a corpus: words and short phrases much more frequent in the corpus than in English
(wordfreq) whose contexts the language model finds likelier with a common relative from the
built-in dictionary are proposed, best first, for a person to review.
"""

from __future__ import annotations

import difflib
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from untangle.dictionary import Entry

MAX_PHRASE = 4  # words per side of a learned substitution; longer runs are edits, not swaps
MIN_COUNT = 1  # times a substitution must be seen in the pairs
MAX_REGION = 3 * MAX_PHRASE  # words a side of a differing stretch that may still be swaps
EDIT_COST = 6.0  # a changed number or mark inside a stretch of swaps
LEARNED, INFLECTED = "learned", "learned-inflection"
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|\d[\d.,]*|[^\w\s]", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Learned:
    """One learned substitution with the evidence behind it."""

    spun: str
    original: str
    relation: str
    count: int  # times seen in the pairs (0 for an inflection inferred from another row)
    prior: float  # P(the spinner writes `spun` for `original`)

    def row(self) -> str:
        from wordfreq import zipf_frequency

        return "\t".join(
            (
                self.spun,
                self.original,
                self.relation,
                f"{self.prior:.4f}",
                f"{zipf_frequency(self.spun, 'en'):.2f}",
                f"{zipf_frequency(self.original, 'en'):.2f}",
            )
        )


def words(text: str) -> list[str]:
    """Lower-case word and punctuation tokens; punctuation anchors the alignment."""
    return [token.lower() for token in _WORD.findall(text)]


def _is_phrase(tokens: list[str]) -> bool:
    return 0 < len(tokens) <= MAX_PHRASE and all(t[0].isalpha() for t in tokens)


@dataclass(frozen=True, slots=True)
class _Region:
    """A stretch where the two texts differ, with one agreeing word of context on each side."""

    spun: tuple[str, ...]
    original: tuple[str, ...]
    simple: bool  # one replaced run and nothing else: its pair is evidence on its own


def _regions(spun: str, original: str) -> list[_Region]:
    """Differing stretches of an aligned pair. Runs separated by a single agreeing word are
    joined: a spinner's phrase often contains a word of the original ("make use of" <- "use")."""
    spun_words, original_words = words(spun), words(original)
    matcher = difflib.SequenceMatcher(None, spun_words, original_words, autojunk=False)
    ops = [op for op in matcher.get_opcodes()]
    regions, index = [], 0
    while index < len(ops):
        tag, i1, i2, j1, j2 = ops[index]
        if tag == "equal":
            index += 1
            continue
        parts = 1
        while (
            index + 2 < len(ops)
            and ops[index + 1][0] == "equal"
            and ops[index + 1][2] - ops[index + 1][1] == 1
            and ops[index + 2][0] != "equal"
        ):
            index += 2
            parts += 1
            i2, j2 = ops[index][2], ops[index][4]
        simple = parts == 1 and tag == "replace"
        context_before = i1 > 0 and j1 > 0
        spun_part = spun_words[i1 - 1 if context_before else i1 : min(i2 + 1, len(spun_words))]
        original_part = original_words[j1 - 1 if context_before else j1 : min(j2 + 1, len(original_words))]
        if i2 < len(spun_words) and j2 < len(original_words) and spun_words[i2] != original_words[j2]:
            spun_part, original_part = spun_part[:-1], original_part[:-1]  # no shared word after
        regions.append(_Region(tuple(spun_part), tuple(original_part), simple))
        index += 1
    return regions


def _segment(
    region: _Region, known: dict[tuple[str, str], float], spun_forms: set[str]
) -> list[tuple[str, str]] | None:
    """The cheapest way to explain a region as agreeing words and swaps of at most MAX_PHRASE
    words a side: known swaps are cheap, new ones dear, and a new swap that swallows a known
    spun form dearer still. None if the region cannot be explained (a rewritten sentence)."""
    spun, original = region.spun, region.original
    if max(len(spun), len(original)) > MAX_REGION:
        return None  # a rewritten or added sentence
    best: dict[tuple[int, int], tuple[float, list[tuple[str, str]]]] = {(0, 0): (0.0, [])}
    for i in range(len(spun) + 1):
        for j in range(len(original) + 1):
            if (i, j) not in best:
                continue
            cost, path = best[(i, j)]
            moves = []
            if i < len(spun) and j < len(original) and spun[i] == original[j]:
                moves.append((i + 1, j + 1, cost, None))
            elif i < len(spun) and j < len(original) and not (spun[i][0].isalpha() or original[j][0].isalpha()):
                moves.append((i + 1, j + 1, cost + EDIT_COST, None))  # a changed number: an edit, not a swap
            for a in range(1, MAX_PHRASE + 1):
                for b in range(1, MAX_PHRASE + 1):
                    if i + a > len(spun) or j + b > len(original):
                        continue
                    left, right = spun[i : i + a], original[j : j + b]
                    if not _swap_shaped(left, right):
                        continue
                    pair = (" ".join(left), " ".join(right))
                    if pair in known:
                        step = 1.0 / (1.0 + known[pair])
                    else:
                        step = 3.0 + 0.5 * (a + b) + 2.0 * sum(1 for w in left if w in spun_forms)
                    moves.append((i + a, j + b, cost + step, pair))
            for i2, j2, new_cost, pair in moves:
                if (i2, j2) not in best or new_cost < best[(i2, j2)][0]:
                    best[(i2, j2)] = (new_cost, path + ([pair] if pair else []))
    end = best.get((len(spun), len(original)))
    return end[1] if end else None


def _swap_shaped(left: tuple[str, ...], right: tuple[str, ...]) -> bool:
    """Could `left` be a spinner's rewrite of `right`? Words only; an agreeing word at an end is
    a copy, unless the rewrite adds words around a kept one ("software program" <- "software")."""
    if not _is_phrase(list(left + right)) or left == right:
        return False
    if len(left) == len(right):
        return left[0] != right[0] and left[-1] != right[-1]
    return not (left[0] == right[0] and left[-1] == right[-1])


def _pieces(region: _Region) -> set[tuple[str, str]]:
    """Swaps that could be part of a region: aligned at its start or at its end."""
    spun, original = region.spun, region.original
    found = set()
    for a in range(1, MAX_PHRASE + 1):
        for b in range(1, MAX_PHRASE + 1):
            for i, j in (
                (0, 0),
                (1, 1),
                (len(spun) - a, len(original) - b),
                (len(spun) - a - 1, len(original) - b - 1),
            ):
                if i < 0 or j < 0 or i + a > len(spun) or j + b > len(original):
                    continue
                left, right = spun[i : i + a], original[j : j + b]
                if _swap_shaped(left, right):
                    found.add((" ".join(left), " ".join(right)))
    return found


def substitutions(spun: str, original: str, known: dict[tuple[str, str], float] | None = None) -> Counter:
    """(spun form, original) pairs and how often each occurs in one aligned pair of texts."""
    found: Counter[tuple[str, str]] = Counter()
    known = known or {}
    spun_forms = {pair[0] for pair in known}
    for region in _regions(spun, original):
        pairs = _segment(region, known, spun_forms)
        for pair in pairs or ():
            found[pair] += 1
    return found


def _simple_pairs(pairs: list[tuple[str, str]]) -> dict[tuple[str, str], float]:
    """Swaps that stand alone somewhere (one replaced run), with their inflections: the
    vocabulary that explains the harder stretches."""
    counts: Counter[tuple[str, str]] = Counter()
    for spun, original in pairs:
        for region in _regions(spun, original):
            if not region.simple:
                continue
            inner_spun = [w for w in region.spun]
            inner_original = [w for w in region.original]
            while inner_spun and inner_original and inner_spun[0] == inner_original[0]:
                inner_spun, inner_original = inner_spun[1:], inner_original[1:]
            while inner_spun and inner_original and inner_spun[-1] == inner_original[-1]:
                inner_spun, inner_original = inner_spun[:-1], inner_original[:-1]
            if len(inner_spun) == len(inner_original) > 1:
                continue  # "tiny firm" <- "small company": one swap or two? the pieces will tell
            if _is_phrase(inner_spun) and _is_phrase(inner_original):
                counts[(" ".join(inner_spun), " ".join(inner_original))] += 1
    # A swap hidden inside several different stretches ("firm" in "tiny firm", "firm requires")
    # recurs as a possible piece of each; a piece of one stretch only is no evidence.
    recurring: Counter[tuple[str, str]] = Counter()
    for spun, original in pairs:
        for region in _regions(spun, original):
            recurring.update(_pieces(region))
    counts.update({pair: n - 1 for pair, n in recurring.items() if n >= 2 and pair not in counts})
    known: dict[tuple[str, str], float] = dict(counts)
    for (spun_form, original_form), count in counts.items():
        for inflected in _inflections(spun_form, original_form):
            known.setdefault(inflected, count * 0.5)
    return known


def learn_from_pairs(pairs: Iterable[tuple[str, str]], inflect: bool = True) -> list[Learned]:
    """Learned substitutions from (spun text, original text) pairs, most frequent first."""
    pairs = list(pairs)
    known = _simple_pairs(pairs)
    counts: Counter[tuple[str, str]] = Counter()
    for _ in range(2):  # the second pass explains hard stretches with what the first learned
        counts = Counter()
        for spun, original in pairs:
            counts.update(substitutions(spun, original, known))
        for pair, count in counts.items():
            known[pair] = max(known.get(pair, 0.0), float(count))
    originals_seen: Counter[str] = Counter()
    for _, original in pairs:
        tokens = words(original)
        for size in range(1, MAX_PHRASE + 1):
            originals_seen.update(" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1))
    learned = {}
    for (spun_form, original_form), count in counts.items():
        if count < MIN_COUNT:
            continue
        met = max(originals_seen[original_form], count)
        prior = (count + 0.5) / (met + 1.0)  # how often the spinner rewrote it this way, smoothed
        learned[(spun_form, original_form)] = Learned(spun_form, original_form, LEARNED, count, prior)
    if inflect:
        for entry in list(learned.values()):
            for spun_form, original_form in _inflections(entry.spun, entry.original):
                if (spun_form, original_form) not in learned and spun_form != original_form:
                    learned[(spun_form, original_form)] = Learned(
                        spun_form, original_form, INFLECTED, 0, entry.prior * 0.8
                    )
    return sorted(learned.values(), key=lambda e: (-e.count, e.relation, e.spun, e.original))


# Auxiliaries inflect by person and number, not by what the spinner did: "had been" <- "were"
# says nothing about "has been" <- "is" or "have been" <- "be", which clean text is full of.
AUXILIARIES = frozenset(["be", "have", "do"])


def _inflections(spun: str, original: str) -> list[tuple[str, str]]:
    """Other inflections of a learned pair: both heads (first words) inflected the same way,
    unless either head is an auxiliary."""
    try:
        from lemminflect import getAllInflections, getAllLemmas
    except ImportError:  # pragma: no cover - lemminflect is a dependency
        return []
    spun_words, original_words = spun.split(" "), original.split(" ")
    spun_head, original_head = spun_words[0], original_words[0]
    pairs = []
    for pos, original_lemmas in getAllLemmas(original_head).items():
        spun_lemmas = getAllLemmas(spun_head).get(pos)
        if not spun_lemmas or pos not in ("VERB", "NOUN", "ADJ"):
            continue
        if original_lemmas[0] in AUXILIARIES or spun_lemmas[0] in AUXILIARIES:
            continue
        original_forms = getAllInflections(original_lemmas[0], upos=pos)
        spun_forms = getAllInflections(spun_lemmas[0], upos=pos)
        # the tags under which the two heads appear as written: the pair is one inflection
        tags = [t for t, forms in original_forms.items() if original_head in forms]
        if not tags or not any(spun_head in spun_forms.get(t, ()) for t in tags):
            continue
        for tag, forms in original_forms.items():
            if tag in tags or tag not in spun_forms:
                continue
            new_spun = " ".join([spun_forms[tag][0], *spun_words[1:]])
            new_original = " ".join([forms[0], *original_words[1:]])
            pairs.append((new_spun, new_original))
    return pairs


# --- from spun text alone ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Proposal:
    """A word the corpus overuses and the common relative its contexts prefer."""

    spun: str
    original: str
    score: float  # log-odds-like: overuse (nats) plus the mean context gain of the original
    count: int  # occurrences in the corpus
    overuse: float  # ln(corpus frequency / English frequency)
    context_gain: float  # mean ln P(context with original) - ln P(context as written)


def propose_from_corpus(texts: Iterable[str], minimum_count: int = 3, limit: int = 50) -> list[Proposal]:
    """Candidate substitutions from spun text alone, best first (for review, not blind use).

    Candidates come from the built-in table and, as in `fix`, from the inferred family: a very
    common word missing from the corpus is a candidate for the types that stand in for it.
    """
    from wordfreq import word_frequency

    from untangle.inferred import propose
    from untangle.pipeline import default_engine

    engine = default_engine()
    texts = list(texts)
    inferred: dict[str, list[Entry]] = {}
    for row in propose("\n".join(texts), engine.dictionary):
        inferred.setdefault(row.spun, []).append(row)
    counts: Counter[str] = Counter()
    contexts: dict[str, list[tuple[str, str, str]]] = {}
    total = 0
    for text in texts:
        tokens = [t for t in words(text) if t[0].isalpha()]
        total += len(tokens)
        for index, token in enumerate(tokens):
            counts[token] += 1
            window = contexts.setdefault(token, [])
            if len(window) < 20:
                before = tokens[index - 1] if index else "<s>"
                after = tokens[index + 1] if index + 1 < len(tokens) else "</s>"
                window.append((before, token, after))
    proposals = []
    for token, count in counts.items():
        if count < minimum_count:
            continue
        english = max(word_frequency(token, "en"), 1e-8)
        overuse = math.log(count / total / english)
        if overuse < 1.0:
            continue  # used about as often as English uses it
        best = None
        for entry in [*engine.dictionary.starting_with(token), *inferred.get(token, [])]:
            if entry.spun != token or " " in entry.original:
                continue
            gain = sum(_context_gain(engine, left, token, entry.original, right) for left, _, right in contexts[token])
            gain /= len(contexts[token])
            if best is None or gain > best[1]:
                best = (entry.original, gain)
        if best is None or best[1] <= 0:
            continue
        proposals.append(Proposal(token, best[0], overuse + best[1], count, overuse, best[1]))
    proposals.sort(key=lambda p: -p.score)
    return proposals[:limit]


def _context_gain(engine, left: str, written: str, original: str, right: str) -> float:  # noqa: ANN001
    model = engine.model

    def score(word: str) -> float:  # ln P(word | left) + ln P(right | left word)
        return model.logprob(word, (left,)) + model.logprob(right, (word, left))

    return score(original) - score(written)


def write_tsv(entries: Iterable[Learned | Proposal], header: str) -> str:
    """A user dictionary in the built-in TSV format, with `header` as comment lines."""
    lines = [f"# {line}" if line else "#" for line in header.splitlines()]
    lines.append("spun\toriginal\trelation\tprior\tspun_zipf\toriginal_zipf")
    for entry in entries:
        if isinstance(entry, Proposal):
            prior = 1.0 / (1.0 + math.exp(-entry.score + 3.0))
            entry = Learned(entry.spun, entry.original, "proposed", entry.count, min(max(prior, 0.01), 1.0))
        lines.append(entry.row())
    return "\n".join(lines) + "\n"
