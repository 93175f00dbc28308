"""Which paragraphs are spun: Bayes factors of the spun reading against the text as written,
per paragraph, mixed over the kinds of document (clean, a partly spun page, spun throughout).
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import TYPE_CHECKING

from untangle.spinner_model import MAX_WORD_EVIDENCE, logit, sigmoid

if TYPE_CHECKING:
    from untangle.decoding import Sentence

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


def spun_paragraphs(work: list[Sentence], penalty: float = 0.0) -> tuple[float, dict[int, float], float, float]:
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
        return document_kinds(log_factor, shared, penalty)
    total = sum(log_factor.values()) - penalty  # one paragraph: as spun as the document
    document = sigmoid(total + logit(PRIOR_DOCUMENT_SPUN))
    clean_share, spun_share = DOCUMENT_KINDS[0][1], DOCUMENT_KINDS[-1][1]
    prior = document * spun_share + (1 - document) * clean_share
    spun = {paragraph: sigmoid(factor + logit(prior)) for paragraph, factor in log_factor.items()}
    evidence = log_mix(PRIOR_DOCUMENT_SPUN, total)  # spun at this rate, or clean
    return document, spun, document, evidence


def log_mix(share: float, factor: float) -> float:
    """ln(share * e^factor + 1 - share): a paragraph's evidence under a kind with this spun share."""
    if factor > 0:
        return factor + math.log(share + (1.0 - share) * math.exp(-factor))
    return math.log(share * math.exp(factor) + 1.0 - share)


def document_kinds(
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
        math.log(prior) + sum(log_mix(share, factor) for factor in kind_factors.values())
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
            kind * sigmoid(kind_factors[paragraph] + logit(share))
            for kind, (_, share), kind_factors in zip(posterior, DOCUMENT_KINDS, factors, strict=True)
        )
        for paragraph in log_factor
    }
    # A text is as spun as its kind says, or as its most spun paragraph: a page with one spun
    # paragraph is read by the clean kind (it allows a quoted passage), but it is not clean.
    return max(1.0 - posterior[0], max(spun.values(), default=0.0)), spun, posterior[-1], evidence


def odd_types(work: list[Sentence]) -> int:
    """How many word types read, on average, at least a nat likelier as spun forms than as written."""
    by_type: dict[str, list[float]] = defaultdict(list)
    for sentence in work:
        for word, evidence in sentence.evidence:
            by_type[word].append(evidence)
    return sum(1 for values in by_type.values() if sum(values) / len(values) >= 1.0)
