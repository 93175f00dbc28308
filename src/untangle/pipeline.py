"""The families of a run, in order, built once per setting: the built-in WordNet table, the
built-in phrase rewriter, each user dictionary, and the inferred family, behind the screen.

This sits above the engine (an engine fits one family; untangle.families composes their
passes; untangle.screen clears clean text before any fit), so the engine imports none of them.
"""

from __future__ import annotations

from functools import lru_cache

from untangle.dictionary import Dictionary, Entry, builtin
from untangle.engine import Engine
from untangle.families import Cascade

_DEFAULT_ENGINE: Engine | None = None


@lru_cache(maxsize=4)
def engine_for(dictionaries: tuple[str, ...] = (), builtin_table: bool = True) -> Cascade:
    """A process-wide cascade of family fits (untangle.families), loaded once per setting.

    With the built-in table, the first family is the built-in WordNet table, where a user row for
    a pair it lists overrides that row, and the second the built-in phrase-rewriter table
    (data/phrases.tsv); then each user dictionary is fitted alone, with its own spin
    level and clean/spun decision, so a spinner the user taught untangle is followed however few
    words it changes. (Its new rows stay out of the first fit: a word that fit restored here and
    there would read, to the user family's fit, as an original its spinner leaves alone.) Without
    the built-in table (`builtin_table` false), each user dictionary is one family.
    """
    if not dictionaries:
        if not builtin_table:
            return Cascade([Engine(Dictionary())])
        from untangle.screen import Screen

        # The built-in tables alone are screened; a user's table may list forms whose strength
        # its rows cannot tell (no frequencies), and a family the user taught must be followed.
        engines = [default_engine(), phrase_engine(), _inferred()]
        return Cascade(engines, Screen([engines[0].dictionary, engines[1].dictionary]), screened=2)
    from pathlib import Path

    from untangle.dictionary import load_entries

    files = [(Path(path).name, load_entries(path)) for path in dictionaries]  # family: the file's name
    engines = []
    if builtin_table:
        table = builtin()
        overrides = [entry for _, entries in files for entry in entries if _lists(table, entry)]
        engines += [Engine(table.extended(overrides)) if overrides else default_engine(), phrase_engine()]
    engines += [Engine(Dictionary(entries), family=name) for name, entries in files]
    if builtin_table:
        engines.append(_inferred())
    return Cascade(engines)


def _inferred():  # noqa: ANN202 - untangle.inferred.InferredFamily, imported lazily
    from untangle.inferred import InferredFamily

    return InferredFamily()


def _lists(table: Dictionary, entry: Entry) -> bool:
    """Whether `table` has a row for entry's (spun, original) pair."""
    return any(
        row.original == entry.original for row in table.starting_with(entry.spun_words[0]) if row.spun == entry.spun
    )


@lru_cache(maxsize=1)
def phrase_engine() -> Engine:
    """A process-wide Engine for the built-in phrase-rewriter family."""
    from untangle.dictionary import PHRASES, builtin_phrases

    return Engine(builtin_phrases(), family=PHRASES)


def default_engine() -> Engine:
    """A process-wide Engine with the built-in dictionary."""
    global _DEFAULT_ENGINE
    if _DEFAULT_ENGINE is None:
        _DEFAULT_ENGINE = Engine()
    return _DEFAULT_ENGINE
