"""Interactive review: the user accepts, rejects or edits each change before anything is written.

The loop is separate from the terminal: it asks through callables, so the CLI wires it to key
presses and tests can drive it with a script of answers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from untangle.result import SURE, Change

ACCEPT, REJECT, EDIT, ACCEPT_REST, ALLOW, QUIT, HELP = "y", "n", "e", "a", "i", "q", "?"
KEYS_HELP = (
    "y accept   n reject   e edit the replacement   a accept this and all the rest\n"
    "i reject and always allow this word (adds it to the configuration's allow list)\n"
    "q quit: write what was accepted so far, leave the rest   ? this help"
)
PROMPT = "Apply this change? [y,n,e,a,i,q,?] "


@dataclass
class Outcome:
    """What the review decided."""

    accepted: list[Change] = field(default_factory=list)  # with any edited replacement
    rejected: list[Change] = field(default_factory=list)
    allowed: list[str] = field(default_factory=list)  # words added to the allow list
    unreviewed: list[Change] = field(default_factory=list)  # left after q


def review(
    changes: Sequence[Change],
    show: Callable[[Change, int, int], None],
    ask: Callable[[str], str],
    edit: Callable[[Change], str],
    say: Callable[[str], None],
) -> Outcome:
    """Walk `changes` in order: `show` one, `ask` for a key, `edit` a replacement on request."""
    outcome = Outcome()
    allowed: set[str] = set()
    accept_rest = False
    for index, change in enumerate(changes, 1):
        word = change.old.lower()
        if word in allowed:
            outcome.rejected.append(change)
            continue
        if accept_rest:
            outcome.accepted.append(change)
            continue
        show(change, index, len(changes))
        while True:
            key = ask(PROMPT)
            if key == HELP or key not in (ACCEPT, REJECT, EDIT, ACCEPT_REST, ALLOW, QUIT):
                say(KEYS_HELP)
                continue
            break
        if key == ACCEPT:
            outcome.accepted.append(change)
        elif key == REJECT:
            outcome.rejected.append(change)
        elif key == EDIT:
            replacement = edit(change)
            if replacement == change.old:
                outcome.rejected.append(change)
            else:
                outcome.accepted.append(
                    replace(change, new=replacement, reason="edited in review", confidence=1.0, tier=SURE)
                )
        elif key == ACCEPT_REST:
            outcome.accepted.append(change)
            accept_rest = True
        elif key == ALLOW:
            outcome.rejected.append(change)
            allowed.add(word)
            outcome.allowed.append(word)
        else:  # QUIT
            outcome.unreviewed.extend(changes[index - 1 :])
            break
    return outcome
