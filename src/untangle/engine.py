"""The restoration engine: propose originals for suspicious words, score them in context, decide.

Model: a noisy channel with a per-paragraph switch, fitted to each document by EM.
  A paragraph is either clean (every word is as the author wrote it) or spun. If spun,
  P(text as written | reading) = prod over words of
      1 - lambda            for a word left as written
      lambda * pi(o -> s)   for a word s the spinner wrote in place of o
  and P(reading) comes from a trigram language model.
`lambda` (the spin level) is estimated per word class (bare, capitalised, punctuation
attached) and frequency band, because spinners treat those differently. `pi(o -> s)` starts
from the dictionary prior and pools evidence over the document: a spinner rewrites a word type
the same way every time. Whether a paragraph is spun at all is decided by the Bayes factor of
the spun reading against the text as written, so a clean page with one odd "Helium is" stays
clean and a spun quote inside a clean page is still found. Forward-backward over each sentence
gives every candidate's posterior, which is its confidence.
"""

from __future__ import annotations

import gc
import math
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from operator import itemgetter
from typing import TYPE_CHECKING

from untangle.context import ContextScorer, TrigramScorer
from untangle.dictionary import BUILTIN, Dictionary, Entry, builtin
from untangle.language_model import LanguageModel, default_model
from untangle.lattice import Arc, arc_posteriors
from untangle.result import GUESS, HELD_BACK, SURE, Change, Paragraph, Result, apply_changes
from untangle.segment import ATTACHED, BARE, CAPITALISED, Word, segmented
from untangle.tokenizer import Case, Token, apply_case

if TYPE_CHECKING:
    from untangle.settle import Settled

DEFAULT_THRESHOLD = 0.7  # posterior a change needs: precision over recall (a wrong edit is worse)
HOLD_BACK_FLOOR = 0.2  # suggestions between this and the threshold are reported, not applied
# The guess tier: below the threshold, the likeliest reading is applied, marked a guess, where the
# word as written is itself unlikely (the reader's question: is the word on the page right?) and
# that reading holds at least GUESS_SHARE of the chance that it is not (the listed and unlisted
# originals together). Calibrated on the tuning sets (bench/guesses.py, docs/design.md): at
# P(as written) <= 0.1 no guess changed a word the author wrote; 55-65% of them were right.
GUESS_MAX_AS_WRITTEN = 0.1
GUESS_SHARE = 0.4
GUESS_MAX_TYPE_AS_WRITTEN = 0.5  # no guess for a type that reads as written elsewhere in the text
EM_ITERATIONS = 2  # position-by-position passes that fit the document's parameters (a third changed nothing measurable)
# A trigram model is overconfident about a single word ("where helium collects" vs "where he
# collects" differ a millionfold), so no one word type may say more than this (in nats) about
# whether its paragraph was spun: a spinner's mapping of a type is one decision however often the
# type occurs, so a type's evidence is its mean over its occurrences (a word kept as written ten
# times says no more against spinning than once), capped. A spun paragraph shows many artifacts,
# a clean one at most a few.
MAX_WORD_EVIDENCE = 3.0
NEGLIGIBLE = 1e-3  # a paragraph less likely spun than this is not decoded further
JOINT_FLOOR = 0.01  # candidates below this posterior in the last cheap pass skip the joint pass
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
PRIOR_DOCUMENT_SPUN = 0.2  # before reading it, a document is more likely clean than spun
# A low-rate spinner (a few words in a hundred) leaves most common words standing, which the
# floor above reads as evidence against spinning. So a text that does not look spun at the usual
# levels is read once more with every level and the floor scaled by LOW_RATE_SCALE; the low-rate
# reading must beat the text as written by LOW_RATE_PENALTY nats more (the spun hypothesis is
# split between two rates), and the better of the two readings goes on to the fit.
LOW_RATE_SCALE = 0.2
# Only a text with at least this many word types that read better as spun forms (by at least one
# nat) is read again: a low-rate spinner's evidence is such types, and a clean text rarely has two.
LOW_RATE_MIN_ODD_TYPES = 2
LOW_RATE_PENALTY = math.log(2.0) + MAX_WORD_EVIDENCE
# A document is one of three kinds, each a share of its paragraphs spun: clean (a paragraph
# rarely spun: a quoted spun passage), a page (a spun article body, post or quote among clean
# headlines, captions, comments and articles: some paragraphs spun, the rest as written), or spun
# from top to bottom (almost every paragraph). The paragraphs' evidence picks the kind (a
# mixture: P(text | kind) = prod over paragraphs of share * factor + 1 - share), and each
# paragraph's P(spun) follows from its own factor under each kind. Without the page kind a
# document was read at one level: the clean paragraphs of a page outvoted its spun ones and the
# spun part was barely repaired (bench/pages.py).
PRIOR_PAGE = 0.15
DOCUMENT_KINDS = (  # (prior, share of paragraphs spun)
    (1.0 - PRIOR_DOCUMENT_SPUN - PRIOR_PAGE, 0.002),  # clean
    (PRIOR_PAGE, 0.3),  # a page, partly spun
    (PRIOR_DOCUMENT_SPUN, 0.95),  # spun throughout
)
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
# Originals per spun word worth a language model look-up, by reverse prior. 8 reads the harness
# sets as well as 12 did (dev 0.749 / 0.973 at 0.7 either way) with a quarter fewer queries.
REVERSE_PRESELECT = 8
RIGHT_ALTERNATIVES = 2  # restored readings of the next word tried as right context
PRESELECT = 6  # candidates per position scored by the language model in the lattice at most
MAX_CANDIDATES = 4  # candidate originals decoded per position, best by local score
HOPELESS = -12.0  # local log-odds below which a candidate is not worth decoding
# Single-word originals of an open position (the dictionary's likeliest first) that a wider context
# scorer may weigh beyond the lattice's few: the lattice keeps those the trigram prefers, and the
# right original of a rarer sense ("enactment" -> "support") is often not among them. Dev at 0.7
# (neural): 12 0.876 / 0.980, 24 0.878 / 0.985, 48 0.880 / 0.985, 96 0.878 / 0.985.
POOL = 48
MAX_SPIN = 0.95  # a spin level of 1 would make every written word impossible
# Weight of "spun, from an original the dictionary does not list" against a listed original's
# prior. About a quarter of a spinner's swaps have no listed original; a listed candidate has to
# beat this to be applied, which keeps wrong originals for unlisted swaps out.
UNKNOWN_ORIGIN_SHARE = 0.03
UNKNOWN = "unknown-origin"
# Pick rules other than the one the table's prior assumes (dictionary.PICK_RULES[1:]: nouns,
# verbs or adverbs first). A spinner follows rule k for a share theta_k of the types it replaces;
# the document fit estimates the shares by EM from its swaps, so a spinner that picks nouns first
# ("in" -> "inch") is recognised after a few sure swaps. Each share starts small, held by a
# pseudo-count of PICK_PSEUDO_COUNT swaps.
PICK_RULE_COUNT = 3
PICK_START = 0.02
PICK_PSEUDO_COUNT = 5.0
OTHER_RULES = 0b1110  # the bits of `Entry.picks` for those rules


@dataclass(frozen=True, slots=True)
class Options:
    """Settings for one restoration."""

    threshold: float = DEFAULT_THRESHOLD
    # A wider context scorer (untangle.neural.NeuralScorer) that settles what the trigram fit
    # leaves open; None decides with the trigram lattice alone.
    context: ContextScorer | None = None
    # Spans of the text (start, end) that an earlier family of the cascade restored
    # (untangle.families): they are that family's swaps, not evidence of what this family's
    # spinner leaves alone.
    settled: tuple[tuple[int, int], ...] = ()
    # Whether a cascade with a screen (untangle.screen) may return a document it clears unchanged
    # without fitting it; --no-screen turns it off.
    screen: bool = True
    # Whether a likeliest reading below the threshold is applied as a guess where the word as
    # written is unlikely (Change.tier "guess"); --no-guesses keeps only sure changes.
    guesses: bool = True


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


def _logit(p: float) -> float:
    return math.log(p / (1.0 - p))


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def _replacement(level: float, evidence: float) -> float:
    """P(the spinner replaces a word): its class's level moved by the text's evidence (in nats)."""
    return min(max(_sigmoid(_logit(level) + evidence), 1e-9), MAX_SPIN)


class _SpinLevels:
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
    ) -> _SpinLevels:
        levels = {}
        for key, n in seen.items():
            prior = PRIOR_SPIN_BY_CLASS[key[0]] * scale
            levels[key] = cls._bounded(
                key, (swapped.get(key, 0.0) + PRIOR_SPIN_WEIGHT * prior) / (n + PRIOR_SPIN_WEIGHT), scale
            )
        return cls(levels, scale)


class _SubstitutionTable:
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
        if not _other_pick(entry):
            return entry.prior
        return entry.prior + sum(theta for k, theta in enumerate(self.rules) if entry.picks >> (k + 1) & 1)

    def responsibilities(self, entry: Entry) -> list[float]:
        """For a swap by `entry`, the posterior share of each other pick rule (the EM E-step). A
        form the table's own rule picks too is that rule's: it says nothing about the others."""
        if not _other_pick(entry):
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
        return 1.0 - _replacement(level, evidence)

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
            evidence = self._evidence[entry.original] = kept * math.log(LEAK) + expected * (1.0 - LEAK)
        return _replacement(level, evidence)


@dataclass
class _Sentence:
    """A sentence being restored: its words, candidates, and the latest decoding."""

    words: list[Word]
    candidates: list[list[tuple[int, Entry]]]
    # Preselected candidates per position: (context gain, length, entry, original words, level key).
    options: list[list[tuple]] | None = None
    keys: list[tuple[str, int] | None] = field(default_factory=list)  # level key of each written word
    memo: dict = field(default_factory=dict)  # language model scores reused between EM iterations
    posteriors: dict[Arc, float] = field(default_factory=dict)  # given that its paragraph is spun
    evidence: list[tuple[str, float]] = field(default_factory=list)  # per word: ln P(spun) / P(as written)
    spun_share: list[float] = field(default_factory=list)  # per word: weighted P(read as a spun form), last fit
    weight: float = 0.0  # P(its paragraph is spun) in the last fit
    verdicts: dict = field(default_factory=dict)  # arc -> settle.Settled, for arcs a context scorer re-decided
    settled: set[int] = field(default_factory=set)  # positions an earlier family restored (Options.settled)
    # For `untangle explain` only: per position, the fitted P(spun | paragraph spun) the word was
    # read at (its likeliest reading's class and band), and the name of the document's reading.
    levels_read: dict[int, float] = field(default_factory=dict)
    reading: str = ""

    @property
    def paragraph(self) -> int:
        return self.words[0].paragraph


class Engine:
    """Restores spun text; holds the dictionary and language model so they load once."""

    def __init__(
        self, dictionary: Dictionary | None = None, model: LanguageModel | None = None, family: str = BUILTIN
    ) -> None:
        self.dictionary = dictionary if dictionary is not None else builtin()
        self.family = family  # the name its changes carry (untangle.families)
        self._model = model
        self._entry_keys: dict[tuple[str, int], tuple[Entry, tuple[str, int]]] = {}  # by word class, id(entry)

    @property
    def model(self) -> LanguageModel:
        if self._model is None:
            self._model = default_model()
        return self._model

    def restore(self, text: str, options: Options = Options()) -> Result:
        """Repair `text`; every edit is reported as a Change."""
        return self._run(text, options, trace=False)[0]

    def restore_traced(
        self, text: str, options: Options = Options()
    ) -> tuple[Result, list[_Sentence], dict[int, float]]:
        """The result, and the decoded document behind it for `untangle explain`: the sentences
        with every reading's posterior (given a spun paragraph) and each paragraph's P(spun)."""
        return self._run(text, options, trace=True)

    def _run(self, text: str, options: Options, trace: bool) -> tuple[Result, list[_Sentence], dict[int, float]]:
        # The decoder allocates millions of short-lived objects but creates no reference cycles;
        # with the dictionary's many long-lived objects in memory, the cyclic collector would
        # spend a third of the run re-scanning them. Without a trace, the decoded document is
        # freed before the collector is back on, so it never has them to scan.
        collecting = gc.isenabled()
        gc.disable()
        try:
            result, work, spun_paragraph = self._restore(text, options, trace)
            if not trace:
                work = []
        finally:
            if collecting:
                gc.enable()
        return result, work, spun_paragraph

    def _restore(
        self, text: str, options: Options, trace: bool = False
    ) -> tuple[Result, list[_Sentence], dict[int, float]]:
        tokens, work, spun_paragraph, document_spun, fitted = self._fit(
            text, options.settled, with_table=options.context is not None
        )
        if trace:
            self._trace_levels(work, fitted[0])
        if options.context is not None:
            from untangle.settle import settle

            levels, table = fitted

            def pool(sentence: _Sentence, position: int) -> list[Arc]:
                return self._pool(sentence, position, levels, table)

            settle(text, work, spun_paragraph, options.context, TrigramScorer(self.model), _with_case_of, pool)
        changes, held = self._decide(tokens, work, spun_paragraph, options.threshold, options.guesses)
        eligible = sum(1 for s in work for c in s.candidates if c)
        spin_level = sum(c.confidence for c in changes + held) / eligible if eligible else 0.0
        result = Result(
            apply_changes(text, changes),
            tuple(changes),
            spin_level,
            tuple(held),
            document_spun,
            self._paragraphs(work, spun_paragraph),
        )
        return result, work, spun_paragraph

    def _fit(
        self, text: str, settled: tuple[tuple[int, int], ...] = (), with_table: bool = True
    ) -> tuple[list[Token], list[_Sentence], dict[int, float], float, tuple[_SpinLevels, _SubstitutionTable | None]]:
        """Tokenize, then fit the document's parameters by EM and decode every sentence; also
        returns the fitted spin levels and substitution table (the compiled fit leaves the table
        out unless `with_table`)."""
        tokens, split = segmented(text)
        work = [_Sentence(words, self._candidates(words)) for words in split]
        levels, table = _SpinLevels(), _SubstitutionTable()
        if not any(found for sentence in work for found in sentence.candidates):
            return tokens, work, {}, 0.0, (levels, table)  # nothing this table could have written: clean, at no cost
        if settled:
            _leave_out(work, settled)
        if self.model.core is not None:  # the same fit, compiled (untangle.compiled, rust/src/fit.rs)
            from untangle.compiled import fit_compiled

            spun_paragraph, document_spun, fitted = fit_compiled(self, work, REVERSE_PRESELECT, with_table)
            return tokens, work, spun_paragraph, document_spun, fitted
        spun_paragraph: dict[int, float] = {}
        document_spun = throughout = PRIOR_DOCUMENT_SPUN
        for iteration in range(EM_ITERATIONS + 1):
            joint = iteration == EM_ITERATIONS  # the last pass decodes whole sentences jointly
            for sentence in work:
                if iteration and spun_paragraph.get(sentence.paragraph, 1.0) < NEGLIGIBLE:
                    continue  # a clean paragraph: it adds nothing to the fit and nothing in it will change
                sentence.posteriors = self._decode(sentence, levels, table, joint)
            if not joint:  # the decision clean/spun uses the capped per-word evidence
                penalty = LOW_RATE_PENALTY if levels.scale != 1.0 else 0.0
                document_spun, spun_paragraph, throughout, evidence = self._spun_paragraphs(work, penalty)
            # Not spun throughout at the usual levels (clean, or a page with a few spun-looking
            # paragraphs): perhaps a low-rate spinner's work, read again at its levels.
            if iteration == 0 and throughout < 0.5 and _odd_types(work) >= LOW_RATE_MIN_ODD_TYPES:
                levels, document_spun, spun_paragraph = self._try_low_rate(
                    work, table, document_spun, spun_paragraph, evidence
                )
            if max(spun_paragraph.values(), default=0.0) < NEGLIGIBLE:
                break  # the whole text is clean
            if not joint:
                levels, table = self._maximise(work, spun_paragraph, table, levels.scale)
        return tokens, work, spun_paragraph, document_spun, (levels, table)

    def _try_low_rate(
        self,
        work: list[_Sentence],
        table: _SubstitutionTable,
        document_spun: float,
        spun_paragraph: dict[int, float],
        evidence: float,
    ) -> tuple[_SpinLevels, float, dict[int, float]]:
        """The first pass read again at a low spin rate; kept if it explains the text better (a
        higher marginal likelihood against the text as written than `evidence`, the usual
        levels' over every kind of document)."""
        high = [(s.posteriors, s.evidence) for s in work]
        low = _SpinLevels(scale=LOW_RATE_SCALE)
        for sentence in work:
            sentence.posteriors = self._decode(sentence, low, table, False)
        low_document, low_paragraph, _, low_evidence = self._spun_paragraphs(work, LOW_RATE_PENALTY)
        if low_evidence > evidence:
            return low, low_document, low_paragraph
        for sentence, (posteriors, evidence) in zip(work, high, strict=True):
            sentence.posteriors, sentence.evidence = posteriors, evidence
        return _SpinLevels(), document_spun, spun_paragraph

    def _trace_levels(self, work: list[_Sentence], levels: _SpinLevels) -> None:
        """Record the level each considered word was read at, for `untangle explain`."""
        reading = "usual levels" if levels.scale == 1.0 else "low-rate levels"
        for sentence in work:
            sentence.reading = reading
            likeliest: dict[int, tuple[float, Arc]] = {}
            for arc, p in sentence.posteriors.items():
                if arc.start not in likeliest or p > likeliest[arc.start][0]:
                    likeliest[arc.start] = (p, arc)
            for position, word in enumerate(sentence.words):
                if not sentence.candidates[position] or position not in likeliest:
                    continue
                best = likeliest[position][1]
                if isinstance(best.payload, Entry):
                    key = self._entry_key(word, best.payload)
                else:
                    key = sentence.keys[position] if sentence.keys else None
                    key = key or level_key(word.word_class, self.dictionary.zipf(word.lower))
                sentence.levels_read[position] = levels.at(key)

    @staticmethod
    def _paragraphs(work: list[_Sentence], spun_paragraph: dict[int, float]) -> tuple[Paragraph, ...]:
        spans: dict[int, list[int]] = {}
        for sentence in work:
            span = spans.setdefault(sentence.paragraph, [sentence.words[0].token.start, 0])
            span[1] = sentence.words[-1].token.end
        return tuple(
            Paragraph(start, end, spun_paragraph.get(number, 0.0)) for number, (start, end) in sorted(spans.items())
        )

    def _candidates(self, words: list[Word]) -> list[list[tuple[int, Entry]]]:
        """For each position, the (span length, entry) pairs whose spun form matches there."""
        found: list[list[tuple[int, Entry]]] = []
        for position, word in enumerate(words):
            here = []
            if word.token.text.isalpha() or "-" in word.token.text:
                for entry in self.dictionary.starting_with(word.lower):
                    if " " not in entry.spun:
                        here.append((1, entry))
                    elif self._phrase_matches(words, position, entry.spun_words):
                        here.append((len(entry.spun_words), entry))
            found.append(here)
        return found

    @staticmethod
    def _phrase_matches(words: list[Word], position: int, spun: tuple[str, ...]) -> bool:
        if position + len(spun) > len(words):
            return False
        for offset, part in enumerate(spun):
            word = words[position + offset]
            if word.lower != part:
                return False
            if offset < len(spun) - 1 and not word.joined_to_next:
                return False
        return True

    def _decode(
        self, sentence: _Sentence, levels: _SpinLevels, table: _SubstitutionTable, joint: bool
    ) -> dict[Arc, float]:
        """Posteriors of the sentence's readings given that its paragraph is spun.

        `joint` decodes the whole lattice with the trigram model (forward-backward). Otherwise
        each position is scored on its own between its written neighbours: a cheap
        approximation that is good enough to estimate the document's parameters in EM.
        """
        arcs_from, gains = self._arcs(sentence, levels, table, joint)
        if joint:
            return arc_posteriors(arcs_from, self.model, sentence.memo)[0]
        posteriors: dict[Arc, float] = {}
        sentence.evidence = []
        for arcs, word in zip(arcs_from, sentence.words, strict=True):
            if len(arcs) == 1:
                sentence.evidence.append((word.lower, arcs[0].emission))
                posteriors[arcs[0]] = 1.0
                continue
            logits = [gains[id(arc)] + arc.emission for arc in arcs]
            top = max(logits)
            norm = top + math.log(sum(math.exp(logit - top) for logit in logits))
            sentence.evidence.append((word.lower, norm))
            for arc, logit in zip(arcs, logits, strict=True):
                posteriors[arc] = math.exp(logit - norm)
        return posteriors

    def _arcs(
        self, sentence: _Sentence, levels: _SpinLevels, table: _SubstitutionTable, joint: bool = False
    ) -> tuple[list[list[Arc]], dict[int, float]]:
        """The lattice: per position the written word, the best candidates and "unknown origin".

        Also returns each arc's context gain over the written word (keyed by id), for the
        position-by-position approximation.
        """
        if sentence.options is None:
            sentence.options = self._preselect(sentence)
            sentence.keys = [
                None if position in sentence.settled else self._written_key(word)
                for position, word in enumerate(sentence.words)
            ]
        previous = {(arc.start, id(arc.payload)): p for arc, p in sentence.posteriors.items() if arc.payload}
        arcs_from: list[list[Arc]] = []
        gains: dict[int, float] = {}
        log = math.log
        levels_at, log_emission, previous_get = levels.at, table.log_emission, previous.get
        for position, word in enumerate(sentence.words):
            stay_key = sentence.keys[position]
            options = sentence.options[position]
            stay_p = table.stays(word.lower, levels.at(stay_key)) if stay_key else 1.0
            if options and sentence.spun_share:
                stay_p = table.written_stays(word, stay_p, sentence.spun_share[position], sentence.weight)
            stay = log(max(stay_p, 1e-9))
            keep = Arc(position, position + 1, (word.lower,), stay)
            gains[id(keep)] = 0.0
            if not options:
                arcs_from.append([keep])
                continue
            scored = []
            for option in options:
                level = levels_at(option[4])
                entry = option[2]
                emission = log_emission(entry, level, previous_get((position, id(entry)), 0.0))
                scored.append((option[0] + emission, emission, level, option))
            scored.sort(key=itemgetter(0), reverse=True)
            kept = []
            for score, emission, level, (context_gain, length, entry, original_words, _) in scored[:MAX_CANDIDATES]:
                if score - stay <= HOPELESS:
                    break
                arc = Arc(position, position + length, original_words, emission, entry)
                gains[id(arc)] = context_gain
                kept.append((arc, level))
            if joint:  # readings the position-by-position passes found negligible stay out of the lattice
                kept = [(a, level) for a, level in kept if previous.get((position, id(a.payload)), 1.0) >= JOINT_FLOOR]
            arcs = [keep] + [arc for arc, _ in kept]
            if kept:
                best, spin = kept[0]
                unknown = self._unknown_origin(best, spin)
                gains[id(unknown)] = gains[id(best)]
                arcs.append(unknown)
            arcs_from.append(arcs)
        return arcs_from, gains

    def _pool(self, sentence: _Sentence, position: int, levels: _SpinLevels, table: _SubstitutionTable) -> list[Arc]:
        """The position's single-word originals, up to POOL, as arcs emitting under the fitted model."""
        word = sentence.words[position]
        arcs = []
        for length, entry in sentence.candidates[position][:POOL]:
            if length == 1:
                emission = table.log_emission(entry, levels.at(self._entry_key(word, entry)), 0.0)
                arcs.append(Arc(position, position + 1, entry.original_words, emission, entry))
        return arcs

    def _written_key(self, word: Word) -> tuple[str, int] | None:
        """The level key of a word left as written, or None if no entry restores to it."""
        lower = word.lower
        if not self.dictionary.is_original(lower):
            return None
        return level_key(word.word_class, self.dictionary.zipf(lower), self.dictionary.is_headword(lower))

    def _entry_key(self, word: Word, entry: Entry) -> tuple[str, int]:
        """The level key of `entry`'s original, written where `word` stands (cached: the decoder
        asks for it for every candidate of every position)."""
        cached = self._entry_keys.get((word.word_class, id(entry)))
        if cached is None:
            key = level_key(word.word_class, entry.original_zipf, self.dictionary.is_headword(entry.original))
            # The entry is held with its key so that its id cannot be reused by another entry.
            cached = self._entry_keys[(word.word_class, id(entry))] = (entry, key)
        return cached[1]

    def _preselect(self, sentence: _Sentence) -> list[list[tuple]]:
        """Per position, the candidates worth decoding, with their context gain over the written word.

        The gain (how much better the candidate reads than the written word between the written
        neighbours) does not change between EM iterations, so it is computed once; candidates
        whose gain plus prior is hopeless are dropped here. Before any language model call, a
        spun word's originals are ranked by P(original) * P(spun | original) and only the likeliest
        are scored: a word such as "on" is a WordNet relative of dozens of rarer words.
        """
        words = sentence.words
        lowered = [w.lower for w in words]
        # The dictionary lists a word's originals likeliest first (P(original) * P(spun | original)).
        ranked = [candidates[:REVERSE_PRESELECT] for candidates in sentence.candidates]
        options = []
        for position, candidates in enumerate(ranked):
            here = []
            left = tuple(reversed(lowered[max(0, position - 2) : position]))
            written: dict[int, float] = {}
            rights: dict[int, list[list[str]]] = {}
            for length, entry in candidates:
                if length not in rights:
                    rights[length] = self._right_contexts(lowered, ranked, position + length)
                    written[length] = self._best_window(left, lowered[position : position + length], rights[length])
                original_words = entry.original_words
                fit = self._best_window(left, original_words, rights[length])
                key = self._entry_key(words[position], entry)
                here.append((fit - written[length], length, entry, original_words, key))
            here.sort(key=lambda item: -(item[0] + math.log(item[2].prior)))
            options.append(here[:PRESELECT])
        return options

    @staticmethod
    def _right_contexts(lowered: list[str], ranked: list[list[tuple[int, Entry]]], start: int) -> list[list[str]]:
        """The written right neighbours, and readings where the next word is itself restored.

        Adjacent swaps ("quality league" -> "news conference") must be judged together: "news"
        only fits once "league" is read as "conference".
        """
        contexts = [lowered[start : start + 2]]
        if start < len(lowered):
            for length, entry in ranked[start][:RIGHT_ALTERNATIVES]:
                if length == 1:
                    contexts.append([*entry.original_words, *lowered[start + 1 : start + 2]])
        return contexts

    @staticmethod
    def _unknown_origin(best: Arc, spin: float) -> Arc:
        """The reading "spun, but from an original the dictionary does not list".

        It reads like the best listed candidate (a true original fits its context well), so a
        candidate wins only where the spinner would likely have chosen this spun form for it.
        """
        return Arc(best.start, best.end, best.words, math.log(spin * UNKNOWN_ORIGIN_SHARE), UNKNOWN)

    def _best_window(self, left: tuple[str, ...], middle: Iterable[str], rights: list[list[str]]) -> float:
        """ln P of `middle` after `left`, followed by the likeliest of the right contexts."""
        logprob = self.model.logprob
        state = left or ("<s>",)
        total = 0.0
        for word in middle:
            total += logprob(word, state)
            state = (word, state[0])
        best = -math.inf
        for right in rights:
            after, here = 0.0, state
            for word in right:
                after += logprob(word, here)
                here = (word, here[0])
            if after > best:
                best = after
        return total + best

    @staticmethod
    def _spun_paragraphs(work: list[_Sentence], penalty: float = 0.0) -> tuple[float, dict[int, float], float, float]:
        """P(document spun), P(paragraph spun), P(spun throughout) and ln P(text | this reading)
        against the text as written, from Bayes factors of spun vs as written.

        `penalty` (nats against the spun reading) marks the low-rate reading, which chooses the
        kind of document from evidence counting each word type once in the whole text: a
        spinner maps a type one way per document, and a text of many short paragraphs (source
        code, a list) would otherwise have one odd identifier vouch for it in every paragraph.
        """
        by_type: dict[tuple[int, str], list[float]] = defaultdict(lambda: [0.0, 0])
        for sentence in work:
            for word, evidence in sentence.evidence:
                tally = by_type[(sentence.paragraph, word)]
                tally[0] += evidence
                tally[1] += 1
        log_factor: dict[int, float] = defaultdict(float)
        for (paragraph, _), (evidence, count) in by_type.items():
            log_factor[paragraph] += min(evidence / count, MAX_WORD_EVIDENCE)
        if len(log_factor) > 1:  # one paragraph has no page to be part of
            # A spun passage in an otherwise clean text (the clean and page kinds): a type that
            # reads as spun vouches once per document, shared by the paragraphs it stands in, as
            # the spinner made one decision for it. Source code or a list of many short
            # paragraphs would otherwise have one odd identifier ("return", "enumerate") make
            # each of them a spun passage of its own.
            paragraphs_of: dict[str, int] = defaultdict(int)
            for _, word in by_type:
                paragraphs_of[word] += 1
            shared: dict[int, float] = defaultdict(float)
            for (paragraph, word), (evidence, count) in by_type.items():
                say = min(evidence / count, MAX_WORD_EVIDENCE)
                shared[paragraph] += say / paragraphs_of[word] if say > 0 else say
            return _document_kinds(log_factor, shared, penalty)
        total = sum(log_factor.values()) - penalty  # one paragraph: as spun as the document
        document = _sigmoid(total + _logit(PRIOR_DOCUMENT_SPUN))
        clean_share, spun_share = DOCUMENT_KINDS[0][1], DOCUMENT_KINDS[-1][1]
        prior = document * spun_share + (1 - document) * clean_share
        spun = {paragraph: _sigmoid(factor + _logit(prior)) for paragraph, factor in log_factor.items()}
        evidence = _log_mix(PRIOR_DOCUMENT_SPUN, total)  # spun at this rate, or clean
        return document, spun, document, evidence

    def _maximise(
        self, work: list[_Sentence], spun_paragraph: dict[int, float], previous: _SubstitutionTable, scale: float
    ) -> tuple[_SpinLevels, _SubstitutionTable]:
        """M-step: spin levels, the document's substitution table and its pick rules from expected counts."""
        rule_counts = [0.0] * len(previous.rules)
        swaps = 0.0
        zipf = self.dictionary.zipf
        swapped: dict[tuple[str, int], float] = defaultdict(float)
        seen: dict[tuple[str, int], float] = defaultdict(float)
        kept_as_written: dict[str, float] = defaultdict(float)
        pair_counts: dict[tuple[str, str], float] = defaultdict(float)
        original_counts: dict[str, float] = defaultdict(float)
        support: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        written_spun: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
        spun_words = 0.0
        for sentence in work:
            weight = spun_paragraph.get(sentence.paragraph, 0.0)
            if weight < NEGLIGIBLE:
                continue  # a clean paragraph's counts carry no weight
            words = sentence.words
            keep_share = [1.0] * len(words)
            # A word inside a spun phrase that may stand for it ("software" in "software program"
            # for "software") is no evidence that the spinner leaves that word alone.
            own_phrase: set[int] = set()
            for arc, probability in sentence.posteriors.items():
                if arc.payload is None:
                    continue
                word = words[arc.start]
                for position in range(arc.start, arc.end):
                    keep_share[position] -= probability
                    if arc.end - arc.start > 1 and words[position].lower in arc.words:
                        own_phrase.add(position)
                if arc.payload is UNKNOWN:
                    key = level_key(word.word_class, zipf(word.lower))
                else:
                    entry: Entry = arc.payload  # type: ignore[assignment]
                    key = self._entry_key(word, entry)
                    pair_counts[(entry.original, entry.spun)] += weight * probability
                    swaps += weight * probability
                    for k, share in enumerate(previous.responsibilities(entry)):
                        rule_counts[k] += weight * probability * share
                    clipped = min(max(probability, 1e-6), 1 - 1e-6)
                    support[entry.original][entry.spun] += weight * max(_logit(clipped), 0.0)
                    original_counts[entry.original] += weight * probability
                swapped[key] += weight * probability
                seen[key] += weight * probability
            keys = sentence.keys  # set when the sentence was first decoded
            sentence.weight = weight
            sentence.spun_share = [0.0] * len(words)
            for position, (word, share) in enumerate(zip(words, keep_share, strict=True)):
                share = max(share, 0.0)
                if sentence.options[position]:
                    own = sentence.spun_share[position] = weight * (1.0 - share)
                    tally = written_spun[(word.lower, word.word_class)]
                    tally[0] += own
                    tally[1] += weight
                if word.word_class == BARE:
                    spun_words += weight
                written_key = keys[position]
                if written_key is not None:
                    seen[written_key] += weight * share
                    if word.word_class == BARE and position not in own_phrase:
                        kept_as_written[word.lower] += weight * share
        rules = tuple((count + PICK_PSEUDO_COUNT * PICK_START) / (swaps + PICK_PSEUDO_COUNT) for count in rule_counts)
        table = _SubstitutionTable(
            pair_counts, original_counts, kept_as_written, spun_words, support, written_spun, rules
        )
        return _SpinLevels.estimate(swapped, seen, scale), table

    def _decide(
        self,
        tokens: list[Token],
        work: list[_Sentence],
        spun_paragraph: dict[int, float],
        threshold: float,
        guesses: bool = True,
    ) -> tuple[list[Change], list[Change]]:
        """The changes to apply (sure ones, and guesses where the word as written is itself
        unlikely) and the suggestions held back."""
        changes: list[Change] = []
        held: list[Change] = []
        positions = []  # (sentence, start, readings, P(as written)) of every position with readings
        # A spinner rewrites a word type the same way throughout a text, so a guess needs its
        # type to read as spun everywhere: one occurrence confidently as written vouches for all.
        type_written: dict[str, float] = defaultdict(float)
        for sentence in work:
            spun = spun_paragraph.get(sentence.paragraph, 0.0)
            by_start: dict[int, list[tuple[float, Arc]]] = defaultdict(list)
            kept: dict[int, float] = {}
            for arc, given_spun in sentence.posteriors.items():
                if arc.payload is None:
                    kept[arc.start] = given_spun
                elif arc.payload is not UNKNOWN:
                    by_start[arc.start].append((spun * given_spun, arc))
            for start, given_kept in kept.items():
                lower = sentence.words[start].lower
                type_written[lower] = max(type_written[lower], 1.0 - spun * (1.0 - given_kept))
            for start, readings in by_start.items():
                as_written = 1.0 - spun * (1.0 - kept.get(start, 0.0))
                positions.append((sentence, start, sorted(readings, key=lambda pair: -pair[0]), as_written))
        for sentence, start, readings, as_written in positions:
            guess = (
                guesses
                and type_written[sentence.words[start].lower] <= GUESS_MAX_TYPE_AS_WRITTEN
                and _is_guess(readings, as_written)
            )
            for rank, (probability, arc) in enumerate(readings):
                if probability < HOLD_BACK_FLOOR and not (guess and rank == 0):
                    continue
                tier = SURE if probability >= threshold else GUESS if guess and rank == 0 else HELD_BACK
                change = self._change(tokens, sentence, arc, probability, tier)
                (held if tier == HELD_BACK else changes).append(change)
        changes = _without_overlaps(changes, held)
        changes.sort(key=lambda c: c.start)
        held.sort(key=lambda c: c.start)
        return changes, held

    @staticmethod
    def _change(tokens: list[Token], sentence: _Sentence, arc: Arc, probability: float, tier: str) -> Change:
        entry: Entry = arc.payload  # type: ignore[assignment]
        words = sentence.words
        first, last = words[arc.start].token, words[arc.end - 1].token
        source_text = "".join(t.text for t in tokens[words[arc.start].index : words[arc.end - 1].index + 1])
        verdict = sentence.verdicts.get(arc)
        return Change(
            first.start,
            last.end,
            source_text,
            _with_case(first.case, entry.original),
            probability,
            _reason(entry, probability, verdict, tier),
            entry.relation,
            verdict.scorer if verdict else "trigram",
            entry.family,
            tier,
        )


def _is_guess(readings: list[tuple[float, Arc]], as_written: float) -> bool:
    """A best guess: the word as written is unlikely (at most GUESS_MAX_AS_WRITTEN) and the best
    reading holds GUESS_SHARE of the probability that it is not (listed or unlisted originals)."""
    if as_written > GUESS_MAX_AS_WRITTEN or not readings:
        return False
    best = readings[0][0]
    return best >= HOLD_BACK_FLOOR and best >= GUESS_SHARE * (1.0 - as_written)


def _without_overlaps(changes: list[Change], held: list[Change]) -> list[Change]:
    """Sure changes never overlap (their posteriors would sum past 1); a guess that overlaps a
    sure change or a likelier guess is held back instead."""
    kept = sorted((c for c in changes if c.tier == SURE), key=lambda c: c.start)
    starts = [c.start for c in kept]
    for change in sorted((c for c in changes if c.tier != SURE), key=lambda c: -c.confidence):
        at = bisect_left(starts, change.start)
        neighbours = kept[max(at - 1, 0) : at + 1]  # kept spans never overlap: only these can touch it
        if any(change.start < other.end and other.start < change.end for other in neighbours):
            held.append(replace(change, tier=HELD_BACK))
            continue
        kept.insert(at, change)
        starts.insert(at, change.start)
    return kept


def _log_mix(share: float, factor: float) -> float:
    """ln(share * e^factor + 1 - share): a paragraph's evidence under a kind with this spun share."""
    if factor > 0:
        return factor + math.log(share + (1.0 - share) * math.exp(-factor))
    return math.log(share * math.exp(factor) + 1.0 - share)


def _document_kinds(
    log_factor: dict[int, float], shared: dict[int, float], low_rate_penalty: float = 0.0
) -> tuple[float, dict[int, float], float, float]:
    """P(document spun in part or whole), P(paragraph spun), P(spun throughout) and ln P(text),
    from the paragraphs' log Bayes factors (`log_factor`, and `shared`: each word type's say
    split among the paragraphs it stands in), mixed over DOCUMENT_KINDS.

    At the usual levels, the clean and page kinds read shared evidence (a spun passage in a
    clean text is one spinner's decisions, counted once) and the spun-throughout kind each
    paragraph's own. The low-rate reading (a light spinner: a few words anywhere) chooses its
    kind from shared evidence under every kind, so that a spun post in a thread cannot make
    every clean post beside it "lightly spun", and reads its paragraphs by their own evidence
    once the kind is chosen. Its spun kinds pay `low_rate_penalty` (nats) in the returned
    evidence, the price of the reading's extra freedom (the clean kind is the same under either
    reading), but not again when the kinds are weighed within the reading.
    """
    low_rate = low_rate_penalty > 0.0
    factors = [shared, shared, log_factor]
    chosen_by = [shared] * len(DOCUMENT_KINDS) if low_rate else factors
    joint = [
        math.log(prior) + sum(_log_mix(share, factor) for factor in kind_factors.values())
        for (prior, share), kind_factors in zip(DOCUMENT_KINDS, chosen_by, strict=True)
    ]
    if low_rate:
        factors = [shared, log_factor, log_factor]
    top = max(joint)
    weights = [math.exp(value - top) for value in joint]
    norm = sum(weights)
    posterior = [weight / norm for weight in weights]
    evidence = top + math.log(norm)
    if low_rate:  # the reading's price is paid when it is chosen, not again by its kinds
        spun_kinds = math.log(sum(weights[1:])) + top - low_rate_penalty
        evidence = max(joint[0], spun_kinds) + math.log1p(math.exp(-abs(joint[0] - spun_kinds)))
    spun = {
        paragraph: sum(
            kind * _sigmoid(kind_factors[paragraph] + _logit(share))
            for kind, (_, share), kind_factors in zip(posterior, DOCUMENT_KINDS, factors, strict=True)
        )
        for paragraph in log_factor
    }
    # A text is as spun as its kind says, or as its most spun paragraph: a page with one spun
    # paragraph is read by the clean kind (it allows a quoted passage), but it is not clean.
    return max(1.0 - posterior[0], max(spun.values(), default=0.0)), spun, posterior[-1], evidence


def _other_pick(entry: Entry) -> bool:
    """Whether only pick rules other than the table's own choose entry.spun first."""
    return bool(entry.picks & OTHER_RULES) and not entry.picks & 1


def _odd_types(work: list[_Sentence]) -> int:
    """How many word types read, on average, at least a nat likelier as spun forms than as written."""
    by_type: dict[str, list[float]] = defaultdict(list)
    for sentence in work:
        for word, evidence in sentence.evidence:
            by_type[word].append(evidence)
    return sum(1 for values in by_type.values() if sum(values) / len(values) >= 1.0)


def _leave_out(work: list[_Sentence], settled: tuple[tuple[int, int], ...]) -> None:
    """Words inside `settled` spans say nothing about the spin level (they may still be restored
    further: "utilized to beryllium" read as "used to be" by the WordNet family is a phrase
    rewriter's "was")."""
    from bisect import bisect_right

    spans = sorted(settled)
    starts = [start for start, _ in spans]
    for sentence in work:
        for position, word in enumerate(sentence.words):
            index = bisect_right(starts, word.token.start) - 1
            if index >= 0 and word.token.start < spans[index][1]:
                sentence.settled.add(position)


def _with_case_of(token: Token, original: str) -> str:
    return _with_case(token.case, original)


def _with_case(pattern: Case, original: str) -> str:
    if original == "i":
        return "I"
    return apply_case(pattern, original)


RELATION_TEXT = {
    "synonym": "a WordNet synonym of",
    "similar": "a WordNet similar-to head for",
    "hypernym": "a WordNet hypernym of",
    "curated": "a known spinner substitute for",
    "phrase": "a known phrase-rewriter substitute for",
    "inferred": "frequent here, where the text never uses the very common word",
}


def _reason(entry: Entry, probability: float, verdict: Settled | None = None, tier: str = "sure") -> str:
    link = RELATION_TEXT.get(entry.relation, f"a {entry.relation} dictionary substitute for")
    reason = f"'{entry.spun}' is {link} '{entry.original}'; context favours '{entry.original}' (p={probability:.2f})"
    if tier == GUESS:
        reason += f"; a best guess: '{entry.spun}' is unlikely as written here"
    if verdict is not None and verdict.scorer != "trigram":
        reason += f"; {verdict.scorer} {verdict.context:+.1f}, trigram {verdict.trigram:+.1f} nats"
    return reason
