"""Spinner families: one document fit per family of substitutions, undone as a cascade.

A text may have been rewritten by several spinners in turn (a phrase rewriter, then a WordNet
spinner: double spinning), and each spinner has its own rate, its own table and its own
clean/spun decision. Fitted together, the absence of one family's artifacts drowns another's
evidence: a phrase rewriter that changes 5% of words looks clean beside a WordNet table whose
thousands of originals all stand as written. So each family is fitted alone, the last spinner
first (the built-in WordNet table, then each user dictionary in the order given), each pass
reading the text the previous pass restored; the passes' changes are composed into changes of
the input, so a word two spinners rewrote in turn comes back as one change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, NamedTuple

from untangle.dictionary import BUILTIN
from untangle.result import GUESS, Change, Paragraph, Result, apply_changes

if TYPE_CHECKING:
    from untangle.decoding import Sentence
    from untangle.engine import Engine, Options
    from untangle.screen import Screen

__all__ = ["BUILTIN", "Cascade", "Pass", "compose"]


class Pass(NamedTuple):
    """One family's fit, for `untangle explain`: the text it read and its decoded sentences."""

    family: str
    text: str
    work: list[Sentence]
    spun_paragraph: dict[int, float]
    to_input: _OffsetMap  # offsets in `text` -> offsets in the input


class Cascade:
    """Engines for the families of a run, applied in order; behaves like one Engine."""

    def __init__(self, engines: Sequence[Engine], screen: Screen | None = None, screened: int = 0) -> None:
        if not engines:
            raise ValueError("a cascade needs at least one family")
        self.engines = tuple(engines)
        # Clears documents no family could find spun, before any fit; the first `screened`
        # families are those whose tables it reads: a document it clears for them alone (a very
        # common word missing, which the inferred family reads) is fitted by the others only.
        self.screen = screen
        self.screened = screened

    def restore(self, text: str, options: Options) -> Result:
        """Repair `text` family by family; every change is reported against the input."""
        if options.screen and self.screen is not None:
            from untangle.screen import CLEARED, LOOK, TABLES_CLEARED

            verdict = self.screen.verdict(text)
            if verdict == CLEARED:
                return Result(text)
            if verdict == TABLES_CLEARED:
                return self._run(text, options, trace=False, engines=self.engines[self.screened :])[0]
            if verdict == LOOK:  # each family's fit looks first (Options.look)
                options = replace(options, look=True)
        return self._run(text, options, trace=False)[0]

    def restore_traced(self, text: str, options: Options) -> tuple[Result, list[Pass]]:
        """The result and every family's decoded pass (for `untangle explain`)."""
        return self._run(text, options, trace=True)

    def _run(
        self, text: str, options: Options, trace: bool, engines: Sequence[Engine] | None = None
    ) -> tuple[Result, list[Pass]]:
        composed: Result | None = None
        passes: list[Pass] = []
        current = text
        for engine in self.engines if engines is None else engines:
            to_input = _OffsetMap(composed.changes if composed else ())
            settled = replace(options, settled=tuple(to_input.spans))  # earlier families' swaps
            if trace:
                result, work, spun_paragraph = engine.restore_traced(current, settled)
                passes.append(Pass(engine.family, current, work, spun_paragraph, to_input))
            else:
                result = engine.restore(current, settled)
            composed = result if composed is None else compose(text, composed, result, to_input)
            current = result.text
        assert composed is not None
        return composed, passes


class _OffsetMap:
    """Maps offsets in a text made by applying `changes` to an input back to the input's offsets.

    An offset inside a change's new text maps to that change's start in the input.
    """

    def __init__(self, changes: Sequence[Change]) -> None:
        self.changes = sorted(changes, key=lambda c: c.start)
        self.spans: list[tuple[int, int]] = []  # each change's span in the changed text
        shift = 0
        for change in self.changes:
            start = change.start + shift
            self.spans.append((start, start + len(change.new)))
            shift += len(change.new) - (change.end - change.start)

    def __call__(self, offset: int) -> int:
        shift = 0
        for change, (start, end) in zip(self.changes, self.spans, strict=True):
            if end <= offset:
                shift += len(change.new) - (change.end - change.start)
            elif start < offset < end:
                return change.start
            else:
                break
        return offset - shift

    def overlapping(self, start: int, end: int) -> list[int]:
        """Indexes of the changes whose new text overlaps [start, end) of the changed text."""
        return [i for i, (a, b) in enumerate(self.spans) if a < end and start < b]


def compose(source: str, earlier: Result, later: Result, to_input: _OffsetMap) -> Result:
    """The result of `later` (which read `earlier.text`) followed by `earlier`, against `source`."""
    middle = earlier.text
    merged_into: set[int] = set()
    changes: list[Change] = []
    for cluster, group in _clusters(later.changes, to_input):
        merged_into.update(group)
        changes.append(_onto_input(source, middle, cluster, group, to_input))
    changes += [c for i, c in enumerate(to_input.changes) if i not in merged_into]
    held = list(earlier.held_back)
    for cluster, group in _clusters(later.held_back, to_input):
        held.extend(_onto_input(source, middle, [one], group, to_input) for one in cluster)
    changes.sort(key=lambda c: c.start)
    held.sort(key=lambda c: c.start)
    return Result(
        apply_changes(source, changes),
        tuple(changes),
        max(earlier.spin_level, later.spin_level),
        tuple(held),
        1.0 - (1.0 - earlier.spun_probability) * (1.0 - later.spun_probability),
        _paragraphs(earlier.paragraphs, later.paragraphs),
    )


def _clusters(changes: Sequence[Change], to_input: _OffsetMap) -> list[tuple[list[Change], list[int]]]:
    """Later changes grouped by the earlier changes they overlap: two later changes inside one
    earlier change's new text ("yy" and "z" of "yy z") become one change of the input."""
    clusters: list[tuple[list[Change], list[int]]] = []
    for change in sorted(changes, key=lambda c: c.start):
        group = to_input.overlapping(change.start, change.end)
        if clusters and group and clusters[-1][1] and group[0] <= clusters[-1][1][-1]:
            clusters[-1][0].append(change)
            clusters[-1][1].extend(i for i in group if i not in clusters[-1][1])
        else:
            clusters.append(([change], group))
    return clusters


def _onto_input(source: str, middle: str, cluster: list[Change], group: list[int], to_input: _OffsetMap) -> Change:
    """Later changes (made on the text the earlier passes produced) as one change of the input;
    with the earlier changes they overlap (`group`) they become one change: both spinners' work undone."""
    change = cluster[-1]
    if not group:
        start, end = to_input(change.start), to_input(change.end)
        return replace(change, start=start, end=end, old=source[start:end])
    low = min(cluster[0].start, to_input.spans[group[0]][0])
    high = max(cluster[-1].end, to_input.spans[group[-1]][1])
    start, end = to_input(low), to_input(high)
    before = [to_input.changes[i] for i in group]
    confidence = 1.0
    for one in [*before, *cluster]:
        confidence *= one.confidence
    reasons = "; then ".join(c.reason for c in [*before, *cluster])
    pieces, position = [], low
    for one in cluster:
        pieces += [middle[position : one.start], one.new]
        position = one.end
    pieces.append(middle[position:high])
    tier = GUESS if any(one.tier == GUESS for one in [*before, *cluster]) else change.tier
    return replace(
        change,
        start=start,
        end=end,
        old=source[start:end],
        new="".join(pieces),
        confidence=confidence,
        reason=reasons,
        tier=tier,
    )


def _paragraphs(earlier: tuple[Paragraph, ...], later: tuple[Paragraph, ...]) -> tuple[Paragraph, ...]:
    """Per paragraph, P(spun by any family); line breaks are never changed, so paragraphs pair up."""
    if len(earlier) != len(later):
        return earlier
    return tuple(
        Paragraph(a.start, a.end, 1.0 - (1.0 - a.spun_probability) * (1.0 - b.spun_probability))
        for a, b in zip(earlier, later, strict=True)
    )
