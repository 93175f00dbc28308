#!/usr/bin/env python3
"""How well a cheap screen (no language model) could tell spun text from clean, before the engine.

The measurement behind untangle.screen's threshold, made with the screen's own score. Each word or phrase the built-in
tables list as a spun form gets a strength from the tables alone: ln of how much likelier it is as
a spinner's output than as itself, by unigram frequency (sum over its originals of P(original) x
the prior, over P(written)). A text's score is the best, over a few spin rates s, of
sum ln(1 - s + s e^strength): a likelihood ratio of "spun at rate s" against "clean" that ignores
context. The script prints, per threshold, the share of spun paragraphs and documents (every family
of bench/families.py, bench/spinner.py's family, the development article when ../shared/dev exists)
that such a screen would clear, against the share of clean text it would clear. Then the reading
in context, the first look, and a held-out check on text none of this was tuned on: Debian's
licence texts (where the system has them), spun at rates from 2% of types to all, each of which
must come back behind the screen exactly as the engine restores it with every document fitted.

Needs WordNet (wordnet-base) for the emulators. Usage: python bench/screen.py
"""

from __future__ import annotations

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT / "tests"))

from families import FAMILIES  # noqa: E402
from own_texts import CLEAN, LONGER, MORE  # noqa: E402
from spinner import spin  # noqa: E402

from untangle.dictionary import builtin, builtin_phrases  # noqa: E402
from untangle.screen import WORD, Screen  # noqa: E402

USUAL_CLEAN, LOW_RATE_CLEAN = 1e-2, 0.1  # the first look's bounds (rust/src/first_look.rs)
SCREEN = Screen([builtin(), builtin_phrases()])  # the built-in cascade's tables, as `fix` screens
DEV = ROOT.parent / "shared" / "dev"


def score(text: str) -> float:
    """The shipped screen's score of `text` (untangle.screen.Screen.score)."""
    return SCREEN.score(WORD.findall(text.lower()))


def spun_sets() -> list[tuple[str, str, str]]:
    """(family, clean, spun) for every emulated family on our articles, and the dev article."""
    corpus = BENCH / "corpus"
    articles = [p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt"))]
    science = [p.read_text(encoding="utf-8") for p in sorted((corpus / "science").glob("*.txt"))]
    sets = []
    for text in articles:
        for seed, as_written in ((0, False), (1, True), (2, False)):
            sets.append(("wordnet1", text, spin(text, seed, as_written)))
        for family in ("phrase", "wordnet2", "double", "double+the", "lowrate"):
            sets.append((family, text, FAMILIES[family](text, 1)))
    for text in science:
        sets.append(("papermill", text, FAMILIES["papermill"](text, 1)))
    if (DEV / "milley.spun.txt").exists():
        spun = (DEV / "milley.spun.txt").read_text(encoding="utf-8")
        sets.append(("dev", spun, spun))  # every paragraph of it is spun
    return sets


def clean_texts() -> list[str]:
    corpus = BENCH / "corpus"
    texts = [p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((corpus / "science").glob("*.txt"))]
    texts += [CLEAN, MORE, LONGER]
    if (DEV / "clean").is_dir():
        texts += [p.read_text(encoding="utf-8") for p in sorted((DEV / "clean").iterdir()) if p.is_file()]
    return texts


def main() -> int:
    spun_paragraphs, spun_documents = [], []
    for family, clean, spun in spun_sets():
        spun_documents.append((score(spun), family))
        before, after = clean.split("\n"), spun.split("\n")
        if len(before) != len(after):
            continue  # a spinner that moved line breaks: its paragraphs cannot be paired
        for original, written in zip(before, after, strict=True):
            if written.strip() and (original != written or family == "dev"):
                spun_paragraphs.append((score(written), family))
    clean_paragraphs, clean_documents = [], []
    for text in clean_texts():
        clean_documents.append((score(text), len(text)))
        clean_paragraphs += [(score(p), len(p)) for p in text.split("\n") if p.strip()]
    print(f"{len(spun_paragraphs)} spun paragraphs, {len(spun_documents)} spun documents;", end=" ")
    print(f"{len(clean_paragraphs)} clean paragraphs in {len(clean_documents)} clean documents")
    for unit, spun, clean in (
        ("paragraphs", spun_paragraphs, clean_paragraphs),
        ("documents", spun_documents, clean_documents),
    ):
        total = sum(size for _, size in clean)
        print(f"screening {unit}: threshold, spun cleared, clean cleared (share of bytes)")
        for threshold in (-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0):
            cleared = [family for value, family in spun if value < threshold]
            kept = sum(size for value, size in clean if value < threshold)
            families = ", ".join(sorted({f"{f} {cleared.count(f)}" for f in cleared}))
            print(f"  {threshold:5.1f}  {len(cleared):4d}/{len(spun)} ({families or 'none'})  {kept / total:.2f}")
        lowest = sorted(spun)[:5]
        print(f"  lowest spun scores: {', '.join(f'{v:.2f} {f}' for v, f in lowest)}")
        print(f"  highest clean scores: {', '.join(f'{v:.2f}' for v, _ in sorted(clean)[-5:])}")
    in_context()
    return 0


def low_rate_documents(
    keeps: tuple[float, ...] = (0.05, 0.1, 0.2), texts: list[str] | None = None, seeds: int = 3
) -> list[tuple[float, str]]:
    """Our articles (or `texts`) spun by bench/spinner.py keeping these shares of the word types
    it would rewrite (`seeds` seeds each): (the share kept, the spun text)."""
    import spinner

    def low_rate(keep: float) -> type:
        class LowRate(spinner.Spinner):
            def replacement(self, word: str) -> str | None:
                if word not in self.table and self.rng.random() > keep:
                    self.table[word] = None
                return super().replacement(word)

        return LowRate

    if texts is None:
        texts = list(dict.fromkeys(clean for _, clean, _ in spun_sets()))  # each article once
    documents = []
    for keep in keeps:
        for seed in range(seeds):
            for clean in texts:
                spun = low_rate(keep)(seed, as_written=True).spin(clean)
                if spun != clean:
                    documents.append((keep, spun))
    return documents


def very_low_rate() -> None:
    """Our articles spun keeping 5, 10 and 20% of the word types the spinner would rewrite: how
    many the engine changes, and whether the screen clears any of those."""
    from untangle import Restorer
    from untangle.screen import CONTEXT_CEILING, CONTEXT_THRESHOLD, THRESHOLD

    engine = Restorer(screen=False)
    changed, cleared, lowest = 0, [], []
    for keep, spun in low_rate_documents():
        if not engine.restore(spun).changes:
            continue
        changed += 1
        words = WORD.findall(spun.lower())
        first = SCREEN.score(words)
        second = SCREEN.score_in_context(words) if THRESHOLD <= first < CONTEXT_CEILING else first
        lowest.append(second)
        if first < THRESHOLD or second < CONTEXT_THRESHOLD:
            cleared.append(f"{keep:.2f}")
    print(f"  very low rates: {changed} spun documents the engine changes; the screen clears {len(cleared)}", end="")
    print(f" ({', '.join(cleared) or 'none'}); lowest score {min(lowest):.2f}" if lowest else "")


def licence_pieces(size: int = 7000) -> list[str]:
    """Debian's licence texts (where the system has them), cut at blank lines into pieces of about
    `size` characters: formal English none of our tuning read."""
    from speed import LICENCES as folder  # one home for where the system keeps them

    if not folder.is_dir():
        return []
    pieces = []
    for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.is_symlink()):
        piece = ""
        for paragraph in path.read_text(encoding="utf-8", errors="replace").split("\n\n"):
            piece += paragraph + "\n\n"
            if len(piece) >= size:
                pieces.append(piece)
                piece = ""
        if piece.strip():
            pieces.append(piece)
    return pieces


def held_out() -> None:
    """The screen and the first look on text never tuned on: the licence pieces spun keeping from
    2% to all of the word types the spinner would rewrite (two seeds). Behind the screen each one
    must be restored exactly as the engine restores it with every document fitted."""
    from untangle import Restorer

    pieces = licence_pieces()
    if not pieces:
        print("held out: no licence texts on this system")
        return
    screened, fitted = Restorer(), Restorer(screen=False)
    documents = low_rate_documents((0.02, 0.05, 0.1, 0.2, 1.0), pieces, seeds=2)
    differ, changes = [], 0
    for keep, spun in documents:
        full = fitted.restore(spun).changes
        changes += len(full)
        if screened.restore(spun).changes != full:
            differ.append(f"{keep:.2f}")
    print(f"held out: {len(documents)} spun licence pieces, {changes} changes with every document fitted;", end="")
    print(f" restored otherwise behind the screen: {len(differ)} ({', '.join(differ) or 'none'})")


def first_look(sample: list[str]) -> None:
    """The fit's first look (rust/src/first_look.rs) at every spun document the built-in family's
    fit changes (every set above, the page layouts of bench/pages.py, low rates from 2 to 20% of
    types), against clean texts: the largest P(paragraph spun) it reads at the usual levels and at
    the low rate. It leaves a text unfitted below 1e-2 and 0.1 (USUAL_CLEAN and LOW_RATE_CLEAN in
    rust/src/first_look.rs), so no spun document below 1e-2 may read below 0.1 at the low rate."""
    import pages

    from untangle.engine import Options
    from untangle.pipeline import default_engine

    family = default_engine()
    documents = [(family_name, text) for family_name, _, text in spun_sets()]
    for layout, (build, _) in pages.LAYOUTS.items():
        for name, paragraphs in pages.articles().items():
            page = build(name, paragraphs)
            documents += [
                (f"page {layout}", page.text(page.shown)),
                (f"alone {layout}", pages.spun_part(page, page.shown)),
            ]
    documents += [(f"{keep:.0%} of types", text) for keep, text in low_rate_documents((0.02, 0.05, 0.1, 0.2))]
    read = []
    for name, text in documents:
        if family.restore(text, Options()).changes:
            usual, low_rate = family.compiled_text.look(family.model, text) or (1.0, 1.0)
            read.append((usual, low_rate, name))
    print(f"first look: {len(read)} spun documents the built-in family's fit changes")
    print(
        "  lowest at the usual levels: "
        + ", ".join(f"{u:.1e} ({n}; low rate {lr:.2f})" for u, lr, n in sorted(read)[:3])
    )
    below = sorted((lr, n) for u, lr, n in read if u < USUAL_CLEAN)
    print(
        f"  lowest at the low rate of those below {USUAL_CLEAN:g}: "
        + ", ".join(f"{lr:.2f} ({n})" for lr, n in below[:3])
    )
    for name, texts in (("our clean texts", clean_texts()), ("bench/speed.py's clean sample", sample)):
        looks = [family.compiled_text.look(family.model, text) or (0.0, 0.0) for text in texts]
        usual, low_rate = max(u for u, _ in looks), max(lr for _, lr in looks)
        left = sum(1 for u, lr in looks if u < USUAL_CLEAN and lr < LOW_RATE_CLEAN)
        print(f"  {name}: highest {usual:.1e} usual, {low_rate:.2f} low rate; {left} of {len(texts)} left unfitted")


def in_context() -> None:
    """The second reading (Screen.score_in_context) of the documents the score does not clear:
    the lowest spun documents, and the clean bytes cleared by either reading, on our clean texts
    and on the clean sample bench/speed.py times (our articles' paragraphs, shuffled)."""
    import tempfile

    from speed import build

    from untangle.screen import CONTEXT_CEILING, THRESHOLD

    def both(text: str) -> tuple[float, float]:
        words = WORD.findall(text.lower())
        first = SCREEN.score(words)
        return first, (SCREEN.score_in_context(words) if THRESHOLD <= first < CONTEXT_CEILING else first)

    spun = sorted((both(text)[1], family) for family, _, text in spun_sets())
    print("in context (documents scoring from THRESHOLD to CONTEXT_CEILING read again):")
    print(f"  lowest spun documents: {', '.join(f'{v:.2f} {f}' for v, f in spun[:5])}")
    very_low_rate()
    held_out()
    with tempfile.TemporaryDirectory() as folder:
        build(Path(folder), 0.5, False, 1)
        sample = [p.read_text(encoding="utf-8") for p in sorted(Path(folder).rglob("*.txt"))]
    first_look(sample)
    for name, texts in (("our clean texts", clean_texts()), ("bench/speed.py's clean sample", sample)):
        read = [(*both(text), len(text)) for text in texts]
        total = sum(size for *_, size in read)
        by_score = sum(size for first, _, size in read if first < THRESHOLD) / total
        shares = ", ".join(
            f"{t}: {sum(size for first, second, size in read if first < THRESHOLD or second < t) / total:.2f}"
            for t in (-3.0, -2.0, -1.0, 0.0)
        )
        print(f"  {name}: clean bytes cleared by the score {by_score:.2f}; with context below {shares}")


if __name__ == "__main__":
    raise SystemExit(main())
