"""A reusable, picklable restorer for batches: the API data pipelines call.

A `Restorer` is only its settings. Pickling it (to a worker process, a Dask or Spark task)
ships a few bytes; each process loads the dictionary and language model once, on first use,
and every later call in that process reuses them.

>>> from untangle import Restorer
>>> restorer = Restorer(threshold=0.8)
>>> import pickle; len(pickle.dumps(restorer)) < 200
True
>>> restorer.repair(["Helium said astatine the meeting."])  # doctest: +SKIP
[Repair(text='He said at the meeting.', changes=2, spin_level=..., spun_probability=...)]
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, overload

from untangle.result import Result

if TYPE_CHECKING:
    import pandas

NO_TEXT = math.nan  # spin level and probability of a missing value (None, NaN or NA in a column)


@dataclass(frozen=True, slots=True)
class Repair:
    """One text's outcome in a batch: the repaired text and the figures a pipeline filters on."""

    text: Any  # the repaired string; a missing value (None, NaN) is passed through as it was
    changes: int  # words and phrases changed
    spin_level: float  # share of replaceable words the spinner changed, as estimated (0 = clean)
    spun_probability: float  # posterior probability that the text was spun at all


@dataclass(frozen=True, slots=True)
class Restorer:
    """Repairs texts with fixed settings; cheap to pickle, loads its models lazily per process.

    `dictionaries` are user dictionary files (the built-in TSV format) whose rows override the
    built-in ones (`builtin=False` uses them alone); `allow` lists words and phrases never to
    change; `markup` is "text", "html" or "markdown" (only prose is repaired). Lines marked
    `untangle: ignore` (or after a line marked `untangle: ignore-next-line`) are never changed.
    `neural=True` settles what the trigram model leaves open with Gemma 3 270M (the `neural`
    extra; `untangle.neural.NeuralUnavailable` if it is not installed). `screen=False` fits every
    text, even one the screen before the engine would return unchanged (untangle.screen).
    `guesses=False` applies only sure changes: no best guess (a change with tier "guess") where
    the word as written is unlikely but no original reaches the threshold.
    """

    threshold: float | None = None  # confidence a change needs; None: the engine's default
    dictionaries: tuple[str, ...] = ()
    allow: tuple[str, ...] = ()
    markup: str = "text"
    builtin: bool = True  # False: only the user dictionaries (a spinner unlike the WordNet one)
    neural: bool = False  # True: the neural scorer settles what the trigram leaves open (untangle[neural])
    screen: bool = True  # False: fit every document, even those the screen would clear (untangle.screen)
    guesses: bool = True  # False: only sure changes, no marked best guesses (Change.tier)

    def options(self):  # noqa: ANN201 - engine.Options, imported lazily
        """The engine's options for these settings; loads the neural scorer once per process if asked."""
        from untangle.decision import DEFAULT_THRESHOLD
        from untangle.engine import Options

        context = None
        if self.neural:
            from untangle.neural import default_scorer

            context = default_scorer()
        threshold = DEFAULT_THRESHOLD if self.threshold is None else self.threshold
        return Options(threshold, context, screen=self.screen, guesses=self.guesses)

    def restore(self, text: str) -> Result:
        """Repair one text; the full result with every change."""
        from untangle.pipeline import engine_for
        from untangle.policy import normalise_allowed, veto
        from untangle.windows import restore_in_windows

        options = self.options()
        engine = engine_for(self.dictionaries, self.builtin)

        def restore_plain(plain: str) -> Result:
            return restore_in_windows(plain, lambda window: engine.restore(window, options))

        if self.markup == "text":
            result = restore_plain(text)
        else:
            from untangle.markup import restore_marked_up

            result = restore_marked_up(text, self.markup, restore_plain)
        return veto(text, result, normalise_allowed(self.allow))

    def fix(self, text: str) -> str:
        """Repair one text; only the repaired text."""
        return self.restore(text).text

    def repair_one(self, text: Any) -> Repair:
        """Repair one value of a batch; None, NaN and NA pass through, other non-strings are an error."""
        if _missing(text):
            return Repair(text, 0, NO_TEXT, NO_TEXT)
        if not isinstance(text, str):
            raise TypeError(f"untangle repairs strings, not {type(text).__name__}")
        result = self.restore(text)
        return Repair(result.text, len(result.changes), result.spin_level, result.spun_probability)

    @overload
    def repair(self, texts: pandas.Series) -> pandas.DataFrame: ...
    @overload
    def repair(self, texts: Iterable[Any]) -> list[Repair]: ...

    def repair(self, texts):  # noqa: ANN001, ANN201 - typed by the overloads above
        """Repair many texts in one call.

        A pandas Series gives a DataFrame with the same index and the columns `text`, `changes`,
        `spin_level` and `spun_probability`; any other iterable gives a list of `Repair` values.
        """
        if _is_series(texts):
            import pandas

            repairs = [self.repair_one(text) for text in texts]
            return pandas.DataFrame(
                {
                    "text": pandas.Series([r.text for r in repairs], index=texts.index, dtype=texts.dtype),
                    "changes": pandas.Series([r.changes for r in repairs], index=texts.index, dtype="int64"),
                    "spin_level": pandas.Series([r.spin_level for r in repairs], index=texts.index, dtype="float64"),
                    "spun_probability": pandas.Series(
                        [r.spun_probability for r in repairs], index=texts.index, dtype="float64"
                    ),
                },
                index=texts.index,
            )
        return [self.repair_one(text) for text in texts]


def _missing(value: object) -> bool:
    """None, a float NaN, or pandas' NA: a missing value in a column, not a text."""
    return value is None or (isinstance(value, float) and math.isnan(value)) or type(value).__name__ == "NAType"


def _is_series(value: object) -> bool:
    """A pandas Series, recognised without importing pandas for callers that never use it."""
    cls = type(value)
    return cls.__name__ == "Series" and cls.__module__.startswith("pandas")
