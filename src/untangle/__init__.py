"""untangle: restore the original wording of text that a synonym spinner rewrote.

>>> import untangle
>>> untangle.fix("Helium said astatine the meeting.")  # doctest: +SKIP
'He said at the meeting.'
>>> result = untangle.restore("Helium said astatine the meeting.")  # doctest: +SKIP
>>> [(c.old, c.new) for c in result.changes]  # doctest: +SKIP
[('Helium', 'He'), ('astatine', 'at')]
"""

from __future__ import annotations

from untangle.restorer import Repair, Restorer
from untangle.result import Change, Paragraph, Result

__version__ = "0.1.0"
__all__ = ["Change", "Paragraph", "Repair", "Restorer", "Result", "__version__", "fix", "restore"]


def restore(text: str, *, threshold: float | None = None, neural: bool = False, guesses: bool = True) -> Result:
    """Repair spun `text`; return the repaired text, every change made, and the spin level.

    `neural=True` settles what the trigram model leaves open with the neural scorer (the
    `neural` extra: pip install 'untangle[neural]'). Each change has a `tier`: "sure" (its
    original reaches the threshold) or "guess" (the likeliest original of a word that is
    unlikely as written); `guesses=False` makes only sure changes.
    """
    return Restorer(threshold, neural=neural, guesses=guesses).restore(text)


def fix(text: str, *, threshold: float | None = None, neural: bool = False, guesses: bool = True) -> str:
    """Repair spun `text` and return only the repaired text."""
    return restore(text, threshold=threshold, neural=neural, guesses=guesses).text
