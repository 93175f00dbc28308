"""What a document says about its spinner: P(a word is spun) per word class and frequency band
(the spin levels), and the substitution table (which words it replaces, with which forms, by
which pick rule). The model is described in untangle.engine and docs/design.md.
"""

from __future__ import annotations

import math

from untangle.dictionary import Entry
from untangle.segment import ATTACHED, BARE, CAPITALISED, Word

# A trigram model is overconfident about a single word ("where helium collects" vs "where he
# collects" differ a millionfold), so no one word type may say more than this (in nats) about
# whether its paragraph was spun: a spinner's mapping of a type is one decision however often the
# type occurs, so a type's evidence is its mean over its occurrences (a word kept as written ten
# times says no more against spinning than once), capped. A spun paragraph shows many artifacts,
# a clean one at most a few.
MAX_WORD_EVIDENCE = 3.0
# Spin level of a spun text before its own evidence is in: a WordNet spinner changes about a
# quarter of all words, most of them words it has a replacement for (field notes).
PRIOR_SPIN = 0.3
# Capitalised words and words with punctuation attached are spun less (one spinner family
# never touches them), so their level starts lower; a document that shows otherwise moves it.
# A bare word the spinner's thesaurus lists only under its lemma ("argued", "officials") is its
# own class: the development article's spinner looks words up as written and replaced 1 of ~180
# such tokens against two thirds of common headwords. Its level starts low; a spinner that does
# inflect ("argued" -> "reasoned") raises it through EM like any other.
INFLECTED = "inflected"
PRIOR_SPIN_BY_CLASS = {BARE: PRIOR_SPIN, INFLECTED: 0.03, CAPITALISED: 0.02, ATTACHED: 0.1}
PRIOR_SPIN_WEIGHT = 5.0  # pseudo-count of words behind the prior level
# "Spun" means a spinner was at work: it replaces at least this share of the common words it
# could replace (bare words with Zipf >= 4). Without this floor a spun reading of a clean text
# could claim a near-zero level and cost nothing, and the clean/spun decision would be void.
MIN_SPUN_LEVEL = 0.2
MIN_SPUN_BAND = 2
# A word that untangle's model says the spinner replaces may still appear as written now and
# then (a path the spinner skips); and words are bursty, so a text uses a word less evenly than
# its overall frequency suggests. These temper the plain-count evidence above.
LEAK = 0.05
BURSTINESS = 0.5
# Weight of the dictionary prior against a document's own evidence (pseudo-count). A spinner's
# table is a function (each original gets one form), so one confident swap should nearly settle
# pi(o -> s) for the rest of the text: 2 moves "extremity" -> "end" from 0.49 to past the
# threshold once another occurrence is sure; 8 kept it near the dictionary prior.
PI_PSEUDO_COUNT = 2.0
# Weight of the class level against a written type's other occurrences when pooling whether the
# spinner wrote it (1: one other occurrence weighs as much as the level).
WRITTEN_PSEUDO_COUNT = 1.0
MAX_SPIN = 0.95  # a spin level of 1 would make every written word impossible
# Pick rules other than the one the table's prior assumes (dictionary.PICK_RULES[1:]: nouns,
# verbs or adverbs first, or adjectives first in LibreOffice's thesaurus). A spinner follows
# rule k for a share theta_k of the types it replaces; the document fit estimates the shares
# by EM from its swaps, so a spinner that picks nouns first ("in" -> "inch") is recognised after
# a few sure swaps. Each share starts small, held by a pseudo-count of PICK_PSEUDO_COUNT swaps.
PICK_RULE_COUNT = 4
PICK_START = 0.02
PICK_PSEUDO_COUNT = 5.0
OTHER_RULES = 0b11110  # the bits of `Entry.picks` for those rules


def zipf_bin(zipf: float) -> int:
    """Frequency band of a word: a spinner replaces common words far more often than rare ones."""
    return min(max(int(zipf) - 2, 0), 4)  # <3, 3-4, 4-5, 5-6, >=6


def level_key(word_class: str, zipf: float, headword: bool = True) -> tuple[str, int]:
    """The spin level a word shares: bare headwords by frequency band, the rarer classes pooled.

    Capitalised, punctuation-attached and inflected words are few in any one text or rarely
    spun; split by band, each level would rest on a handful of words and a few wrong guesses
    would inflate it.
    """
    if word_class == BARE and not headword:
        return (INFLECTED, 0)
    return (word_class, zipf_bin(zipf) if word_class == BARE else 0)


def logit(p: float) -> float:
    return math.log(p / (1.0 - p))


def sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def replacement(level: float, evidence: float) -> float:
    """P(the spinner replaces a word): its class's level moved by the text's evidence (in nats)."""
    return min(max(sigmoid(logit(level) + evidence), 1e-9), MAX_SPIN)


def other_pick(entry: Entry) -> bool:
    """Whether only pick rules other than the table's own choose entry.spun first."""
    return bool(entry.picks & OTHER_RULES) and not entry.picks & 1


class SpinLevels:
    """P(a word is spun | its paragraph is spun), per word class and frequency band.

    `scale` multiplies the prior levels and the floor: 1 for a spinner that rewrites about a
    quarter of all words, LOW_RATE_SCALE for one that rewrites a few in a hundred.
    """

    def __init__(self, levels: dict[tuple[str, int], float] | None = None, scale: float = 1.0) -> None:
        self.levels = levels or {}
        self.scale = scale

    def at(self, key: tuple[str, int]) -> float:
        """The level for a (word class, frequency band) key."""
        level = self.levels.get(key)
        if level is None:
            level = self.levels[key] = self._bounded(key, PRIOR_SPIN_BY_CLASS[key[0]] * self.scale, self.scale)
        return level

    @staticmethod
    def _bounded(key: tuple[str, int], level: float, scale: float) -> float:
        if key[0] == BARE and key[1] >= MIN_SPUN_BAND:
            level = max(level, MIN_SPUN_LEVEL * scale)
        return min(level, MAX_SPIN)

    @classmethod
    def estimate(
        cls, swapped: dict[tuple[str, int], float], seen: dict[tuple[str, int], float], scale: float = 1.0
    ) -> SpinLevels:
        levels = {}
        for key, n in seen.items():
            prior = PRIOR_SPIN_BY_CLASS[key[0]] * scale
            levels[key] = cls._bounded(
                key, (swapped.get(key, 0.0) + PRIOR_SPIN_WEIGHT * prior) / (n + PRIOR_SPIN_WEIGHT), scale
            )
        return cls(levels, scale)


class SubstitutionTable:
    """What this document says about its spinner: which words it replaces, and with what.

    pi(o -> s): a spinner rewrites a word type the same way throughout a text, so occurrences
    pool their evidence; each occurrence is scored leaving its own previous posterior out, so an
    occurrence cannot vouch for itself.
    P(o is replaced): a word the spinner replaces leaves no plain occurrence of itself behind,
    while a word it leaves alone shows up about as often as English uses it. So a common word
    that never appears as written in spun paragraphs is likely replaced ("last" missing while
    "past" is everywhere), and one that does appear is not.
    """

    def __init__(
        self,
        pair_counts: dict[tuple[str, str], float] | None = None,
        original_counts: dict[str, float] | None = None,
        kept_as_written: dict[str, float] | None = None,
        spun_words: float = 0.0,
        support: dict[str, dict[str, float]] | None = None,
        written_spun: dict[tuple[str, str], list[float]] | None = None,
        rules: tuple[float, ...] | None = None,
    ) -> None:
        # theta_k: the share of types this spinner picks by rule k + 1
        self.rules = rules if rules is not None else (PICK_START,) * PICK_RULE_COUNT
        self.pair_counts = pair_counts or {}
        self.original_counts = original_counts or {}
        self.kept_as_written = kept_as_written or {}
        self.spun_words = spun_words  # plain words in spun paragraphs (expected count)
        self.support = support or {}  # original -> spun form -> summed log-odds of its swaps
        # (written word, class) -> (expected spun occurrences, occurrences) in spun paragraphs
        self.written_spun = written_spun or {}
        self._evidence: dict[str, float] = {}
        self._log_replaced: dict[tuple[str, float], float] = {}
        self._fixed: dict[int, tuple[float, float, float, float]] = {}

    def log_emission(self, entry: Entry, level: float, own_share: float) -> float:
        """ln(P(the spinner replaces entry.original) * pi(entry.original -> entry.spun)).

        `own_share` (this occurrence's previous posterior) is left out of the pooled counts. The
        parts that do not depend on the occurrence are computed once per entry and level: the
        decoder asks for tens of thousands of these per pass.
        """
        fixed = self._fixed.get(id(entry))
        if fixed is None:
            fixed = self._fixed[id(entry)] = (
                self.pair_counts.get((entry.original, entry.spun), 0.0),
                self.original_counts.get(entry.original, 0.0),
                PI_PSEUDO_COUNT * self.prior(entry),
                math.log(self._exclusive(entry)),
            )
        pair, total, pseudo, log_exclusive = fixed
        replaced = self._log_replaced.get((entry.original, level))
        if replaced is None:
            replaced = self._log_replaced[(entry.original, level)] = math.log(self._replaced(entry, level))
        if own_share:
            pair = max(pair - own_share, 0.0)
            total = max(total - own_share, 0.0)
        return replaced + math.log((pair + pseudo) / (total + PI_PSEUDO_COUNT)) + log_exclusive

    def prior(self, entry: Entry) -> float:
        """The prior weight of entry.spun for entry.original, given the pick rules this spinner
        follows: the table's prior, plus theta_k where rule k, and not the rule the prior already
        holds, picks this form first. (The substitution table normalises pi over the document's
        counts, so the weights need not sum to 1.)"""
        if not other_pick(entry):
            return entry.prior
        return entry.prior + sum(theta for k, theta in enumerate(self.rules) if entry.picks >> (k + 1) & 1)

    def responsibilities(self, entry: Entry) -> list[float]:
        """For a swap by `entry`, the posterior share of each other pick rule (the EM E-step). A
        form the table's own rule picks too is that rule's: it says nothing about the others."""
        if not other_pick(entry):
            return [0.0] * len(self.rules)
        total = self.prior(entry)
        return [theta / total if entry.picks >> (k + 1) & 1 else 0.0 for k, theta in enumerate(self.rules)]

    def _exclusive(self, entry: Entry) -> float:
        """A spinner maps a word type to one form: a rival form with far stronger support wins.

        "as" -> "arsenic" seen nine times beyond doubt leaves no room for "as" -> "territory".
        """
        forms = self.support.get(entry.original)
        if not forms or len(forms) < 2:
            return 1.0
        own = forms.get(entry.spun, 0.0)
        rivals = sum(math.exp(min(value - own, 50.0)) for form, value in forms.items() if form != entry.spun)
        return 1.0 / (1.0 + rivals) if rivals > 1.0 else 1.0

    def stays(self, word: str, level: float) -> float:
        """P(the spinner leaves `word` as written), given the level of its class.

        A spinner rewrites a word type the same way throughout a text (the development article's
        left 3 of 444 bare occurrences of the types it replaced), so a word read confidently as
        the original of a swap elsewhere is one this spinner replaces, and where it stands as
        written it is more likely a spun form of something else. Each such swap is evidence
        ln(1 / LEAK), the mirror of a plain occurrence's ln LEAK, capped like any one type's say.
        """
        restored = self.original_counts.get(word, 0.0)
        if restored <= 0.0:
            return 1.0 - level
        evidence = min(restored * -math.log(LEAK), MAX_WORD_EVIDENCE)
        return 1.0 - replacement(level, evidence)

    def written_stays(self, word: Word, stay: float, own_spun: float, own_weight: float) -> float:
        """P(the word as written is the author's), pooled over the other occurrences of its type.

        A spinner emits a written type everywhere or nowhere it could: if the type's other
        occurrences read as spun forms (of whatever originals: "person" for "have" and for
        "leader"), this one likely is one too; if they read as the author's, so does this one.
        `stay` (from the class level) is the prior, worth WRITTEN_PSEUDO_COUNT occurrences; this
        occurrence's own share from the last fit is left out so it cannot vouch for itself.
        """
        tally = self.written_spun.get((word.lower, word.word_class))
        if tally is None:
            return stay
        spun, seen = tally
        spun = max(spun - own_spun, 0.0)
        seen = max(seen - own_weight, 0.0)
        return 1.0 - (spun + WRITTEN_PSEUDO_COUNT * (1.0 - stay)) / (seen + WRITTEN_PSEUDO_COUNT)

    def _replaced(self, entry: Entry, level: float) -> float:
        """P(the spinner replaces entry.original in this text), from the level and its plain count."""
        evidence = self._evidence.get(entry.original)
        if evidence is None:
            expected = self.spun_words * 10 ** (entry.original_zipf - 9.0) * BURSTINESS
            kept = self.kept_as_written.get(entry.original, 0.0)
            # Plain occurrences are Poisson: at English's rate if the spinner leaves the word
            # alone, at LEAK times that if it replaces it. (The rate's own terms cancel: with
            # them on one side only, a rare word written once looked *more* likely replaced.)
            evidence = max(kept * math.log(LEAK), -MAX_WORD_EVIDENCE) + expected * (1.0 - LEAK)
            self._evidence[entry.original] = evidence
        return replacement(level, evidence)
