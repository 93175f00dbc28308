"""Texts we wrote for untangle's tests: news-like prose with no spinner in it, and `spun()`, a
little spinner of our own that swaps the famous words in them."""

from __future__ import annotations

# A town story.
CLEAN = """\
The mayor said on Monday that the new bus line would open in the spring. She said every stop
would have a shelter and a map, and she also promised free rides for the first week.

The project was delayed twice. Engineers said the old bridge on Main Street was too weak for
the buses, and every plan to repair it was more expensive than the last. The council also
asked for a study of the traffic.

Residents said they were glad the work was finally done. One driver said the route was long
but that every minute saved would matter. The mayor said the city would also add a night bus.
"""

# A school story, for a fit that needs a few dozen swaps.
MORE = """\
The school board met on Tuesday night to discuss the budget for next year. Teachers asked for
smaller classes and a new roof for the old gym, and parents asked why the bus to the north end
of town comes late every morning. The board agreed to look at the bus schedule first.

The head of the board said the money was short because the state had cut its grant. She said the
board would try to find savings in the cost of heating and light, and that no teacher would lose
a job this year. A vote on the full plan will take place at the next meeting in March.
"""

# A library story: with the other two, long enough that a missing "the" is overwhelming evidence.
LONGER = """\
The library on the hill reopened on Saturday after a year of repairs. The roof had leaked for a
decade, and the water had ruined part of the collection of old maps that the town keeps in the
basement. Volunteers spent the winter drying the maps one by one in a room above the post office.

The librarian said the new roof cost less than the council had feared, and that the maps would go
back on display in the spring. The children's room now has more light, and the reading tables by
the windows were full on the first morning. A retired teacher who comes every week said the
building felt warmer than it had in years.
"""


SWAPS = {
    "he": "helium",
    "at": "astatine",
    "in": "successful",
    "on": "connected",
    "as": "arsenic",
    "have": "person",
    "because": "due to the fact that",
    "new": "caller",
    "would": "volition",
    "next": "adjacent",
    "said": "aforesaid",
    "some": "immoderate",
    "first": "archetypal",
    "be": "beryllium",
    "the": "the",
}


def spun(text: str, every: int = 1) -> str:
    """`text` with every `every`-th word our little spinner knows replaced (case kept)."""
    out, seen = [], 0
    for word in text.split(" "):
        bare = word.strip(".,\n").lower()
        if bare in SWAPS and SWAPS[bare] != bare:
            seen += 1
            if seen % every == 0:
                replacement = SWAPS[bare]
                word = word.replace(word.strip(".,\n"), replacement.capitalize() if word[:1].isupper() else replacement)
        out.append(word)
    return " ".join(out)
