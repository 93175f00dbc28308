#!/usr/bin/env python3
"""Quality harness: how well untangle restores spun text and how little it touches clean text.

Sets:
  dev        ../shared/dev (a real spun article and clean articles), when it exists
  tuning     our own articles (bench/corpus), spun by bench/spinner.py, used while tuning
  held-out   our own articles kept out of all tuning (HELD_OUT below), spun the same way
             (each set twice: /lookup by a spinner that looks words up as written, /lemma by
             one that goes through lemmas and re-inflects)
  clean      our own articles as written: changed words per 10,000
  families   other spinner families (bench/families.py) on the same articles: a low-rate phrase
             rewriter (fixed with a dictionary `untangle learn` made from one spun/clean pair,
             built-in table on, as a user would), a WordNet spinner with another pick rule that
             also rewrites capitalised and punctuated words, and both in turn (double spinning),
             no dictionary given, and a paper mill's paraphraser (tortured technical terms)
             on our own scientific prose (bench/corpus/science); each with its clean texts
             fixed the same way; a low-rate WordNet spinner (a few words in a hundred); and
             double spinning that also writes "issues" for every "the" (no table lists it)
It prints recall, precision and harmful edits per set, what the screen before the engine
(untangle.screen) cleared in each set and whether every output is what the engine alone would
give, and the time to fix a 5,000-word text.
This is a benchmark: it prints figures and never fails the build.

With --neural every set is fixed with the neural scorer (the neural extra); the speed lines are
then left to bench/neural_cost.py, which times both tiers per 1,000 words.

Double-spun articles in Hugo Markdown with "issues" for every "the" and function words rewritten
word for word (bench/hugo.py, the layout of issue 35) are a set of their own, with their clean
pages.

Partly spun pages (bench/pages.py: a few spun paragraphs in a clean page, a spun body among
clean headline and captions, a thread with one spun post, two families on one page, a quoted
spun sentence, Markdown and HTML forms) are a set of their own.

The regression gate: --compare REV runs every set (dev, tuning, held-out, clean, families,
pages) for the working tree and for commit REV (checked out in a temporary git worktree, measured
by this same harness) side by side, and flags every set that loses more than one point of
recall or precision, gains a harmful edit, or changes a clean word more. --json prints every
set's figures as one JSON object instead of the table (what --compare reads).

Each set's line ends with the residual word error: words of the output that differ from the
original, per word of the original (what a reader still has to fix). --no-guesses fixes with
sure changes only (the guess tier off, as untangle --no-guesses): run it beside the default to
see what the guesses add; --compare REV --no-guesses checks that it is today's output.

Usage: python bench/quality.py [--threshold P] [--show] [--neural] [--no-guesses] [--json | --compare REV]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
# --compare measures another commit's engine with this harness: its src/ comes first.
SOURCE = Path(os.environ.get("UNTANGLE_SOURCE", ROOT / "src"))
sys.path.insert(0, str(SOURCE))

from scoring import changed_words, score  # noqa: E402

import untangle  # noqa: E402

CORPUS = BENCH / "corpus"
SHARED_DEV = ROOT.parent / "shared" / "dev"
# Kept out of all tuning: look at their figures, never at their individual errors.
HELD_OUT = {"farm-drought.txt", "football-final.txt", "museum-theft.txt"}
# Each article is spun twice: seed 1 by a spinner that looks words up as written (as the
# development article's does), seed 2 by one that goes through lemmas and re-inflects.
VARIANTS = ((1, True), (2, False))
NEURAL: dict[str, bool] = {"neural": False}  # --neural (every fix settles open decisions with the
# neural scorer) and --no-guesses (only sure changes: every fix as before the guess tier)


# Per set: [documents, documents the screen cleared, their paragraphs, all paragraphs, documents
# the screen cleared or left to the inferred family alone whose output differs without the
# screen (must stay 0)].
SCREENED: dict[str, list[int]] = {}


def fix(text: str, threshold: float | None, set_name: str) -> str:
    restorer = untangle.Restorer(threshold, **NEURAL)
    watch(set_name, text, restorer)
    return restorer.fix(text)


def watch(set_name: str, text: str, restorer: untangle.Restorer) -> None:
    """Note whether the screen clears `text` and, if so, whether the engine alone would return it
    unchanged too (a cleared text comes back as it is, so the output is the same either way)."""
    import dataclasses

    try:
        from untangle.pipeline import engine_for
    except ImportError:  # a revision before untangle.pipeline (the gate runs this file on old trees)
        from untangle.engine import engine_for

    screen = engine_for(restorer.dictionaries, restorer.builtin).screen
    paragraphs = sum(1 for line in text.split("\n") if line.strip())
    tally = SCREENED.setdefault(set_name, [0, 0, 0, 0, 0])
    tally[0] += 1
    tally[3] += paragraphs
    if not restorer.screen or screen is None:
        return
    # Cleared, or cleared for the tables' families with the inferred family still fitted (a
    # revision before Screen.verdict only clears).
    verdict = screen.verdict(text) if hasattr(screen, "verdict") else ("cleared" if screen.clears(text) else "fit")
    if verdict == "cleared":
        tally[1] += 1
        tally[2] += paragraphs
    if verdict != "fit":
        tally[4] += dataclasses.replace(restorer, screen=False).fix(text) != restorer.fix(text)


def screen_lines() -> list[str]:
    """One line per set: what the screen cleared, and whether every output is what it would be without it."""
    lines = []
    for name, (documents, cleared, paragraphs_cleared, paragraphs, differing) in SCREENED.items():
        same = "identical" if not differing else f"{differing} DIFFERENT"
        lines.append(
            f"screen       {name:<20} cleared {cleared:3d} of {documents:3d} documents "
            f"({paragraphs_cleared} of {paragraphs} paragraphs); output without the screen: {same}"
        )
    return lines


# Every set's figures by name, as the table prints them (--json prints this; --compare reads it).
FIGURES: dict[str, dict[str, float]] = {}


def row(
    name: str, recall: float, precision: float, harmful: int, swaps: int, edits: int, residual: float | None = None
) -> str:
    """One set's line; `residual` is the word error left in the output (changed words against the
    original, per word of the original)."""
    FIGURES[name] = {"recall": recall, "precision": precision, "harmful": harmful, "swaps": swaps, "edits": edits}
    figures = f"recall {recall:6.3f}  precision {precision:6.3f}  harmful {harmful:3d}"
    left = f"  residual word error {residual:.3f}" if residual is not None else ""
    return f"{name:<16} {figures}  swaps {swaps:4d}  edits {edits:4d}{left}"


def dev_scores(output: str) -> dict:
    """The development set's own scorer's figures (recall, precision, swaps, edits, ...) for `output`."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "out.txt"
        path.write_text(output, encoding="utf-8")
        done = subprocess.run(
            [sys.executable, str(SHARED_DEV / "score.py"), str(SHARED_DEV / "milley.spun.txt")]
            + [str(SHARED_DEV / "milley.gold.txt"), str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
    return json.loads(done.stdout)


def dev_set(threshold: float | None) -> list[str]:
    spun = SHARED_DEV / "milley.spun.txt"
    if not spun.exists():
        return ["dev          (../shared/dev not present: skipped)"]
    figures = dev_scores(fix(spun.read_text(encoding="utf-8"), threshold, "dev"))
    lines = [
        row(
            "dev",
            figures["recall"],
            figures["precision"],
            figures["harmful"],
            figures["swaps"],
            figures["edits"],
            figures.get("wer_out"),
        )
    ]
    edits = words = 0
    for path in sorted((SHARED_DEV / "clean").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        edits += changed_words(text, fix(text, threshold, "dev-clean"))
        words += len(text.split())
    FIGURES["dev-clean"] = {"changed": edits, "words": words}
    lines.append(f"dev-clean    {edits} changed words in {words} words")
    return lines


def own_pairs(threshold: float | None, show: bool) -> list[str]:
    from spinner import spin

    lines = []
    for label, held in (("tuning", False), ("held-out", True)):
        for seed, as_written in VARIANTS:
            totals, wrong, words = [0, 0, 0, 0, 0], 0, 0
            for path in sorted(CORPUS.glob("*.txt")):
                if (path.name in HELD_OUT) != held:
                    continue
                clean = path.read_text(encoding="utf-8")
                spun = spin(clean, seed, as_written)
                output = fix(spun, threshold, f"{label}/{'lookup' if as_written else 'lemma'}")
                result = score(spun, clean, output)
                for index, value in enumerate(
                    (result.swaps, result.restored, result.edits, result.correct, result.harmful)
                ):
                    totals[index] += value
                wrong += changed_words(clean, output)
                words += len(clean.split())
                if show and not held:
                    print(f"--- {path.name} seed {seed}: recall {result.recall:.3f} precision {result.precision:.3f}")
            swaps, restored, edits, correct, harmful = totals
            name = f"{label}/{'lookup' if as_written else 'lemma'}"
            lines.append(
                row(name, restored / max(swaps, 1), correct / max(edits, 1), harmful, swaps, edits, wrong / words)
            )
    return lines


# The phrase family's training pair: two tuning articles joined into one text of about 950 words
# (one of ours alone holds too few of the rewriter's words to learn its table from).
PHRASE_TRAINING = ("balloon-shortage.txt", "hospital-staffing.txt")


def family_sets(threshold: float | None) -> list[str]:
    import tempfile

    from families import FAMILIES, PHRASES, phrase

    articles = {path.name: path.read_text(encoding="utf-8") for path in sorted(CORPUS.glob("*.txt"))}
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        original = "\n".join(articles[name] for name in PHRASE_TRAINING)
        (base / "spun.txt").write_text(phrase(original), encoding="utf-8")
        (base / "original.txt").write_text(original, encoding="utf-8")
        command = [
            "learn",
            "--pair",
            str(base / "spun.txt"),
            str(base / "original.txt"),
            "-o",
            str(base / "phrase.tsv"),
        ]
        subprocess.run([sys.executable, "-m", "untangle.cli", *command], check=True, capture_output=True)
        learned = (base / "phrase.tsv").read_text(encoding="utf-8").splitlines()
        rows = {tuple(line.split("\t")[:2]) for line in learned if not line.startswith(("#", "spun\t"))}
        science = {path.name: path.read_text(encoding="utf-8") for path in sorted((CORPUS / "science").glob("*.txt"))}
        setups = (
            (
                "phrase+learned",
                FAMILIES["phrase"],
                untangle.Restorer(threshold, dictionaries=(str(base / "phrase.tsv"),), **NEURAL),
            ),
            ("phrase/none", FAMILIES["phrase"], untangle.Restorer(threshold, **NEURAL)),
            ("wordnet2", FAMILIES["wordnet2"], untangle.Restorer(threshold, **NEURAL)),
            ("double", FAMILIES["double"], untangle.Restorer(threshold, **NEURAL)),
            ("double+the", FAMILIES["double+the"], untangle.Restorer(threshold, **NEURAL)),
            ("lowrate", FAMILIES["lowrate"], untangle.Restorer(threshold, **NEURAL)),
            ("papermill", FAMILIES["papermill"], untangle.Restorer(threshold, **NEURAL)),
        )
        lines = []
        for name, family, restorer in setups:
            totals, flagged, tested, clean_edits, words, wrong = [0, 0, 0, 0, 0], 0, 0, 0, 0, 0
            for article, clean in (science if name == "papermill" else articles).items():
                if name.startswith("phrase") and article in PHRASE_TRAINING:
                    continue
                spun = family(clean, 1)
                watch(name, spun, restorer)
                watch(f"{name}-clean", clean, restorer)
                result = restorer.restore(spun)
                figures = score(spun, clean, result.text)
                for index, value in enumerate(
                    (figures.swaps, figures.restored, figures.edits, figures.correct, figures.harmful)
                ):
                    totals[index] += value
                flagged += result.spun_probability >= 0.5
                tested += 1
                clean_edits += changed_words(clean, restorer.fix(clean))
                words += len(clean.split())
                wrong += changed_words(clean, result.text)
            swaps, restored, edits, correct, harmful = totals
            lines.append(
                row(name, restored / max(swaps, 1), correct / max(edits, 1), harmful, swaps, edits, wrong / words)
            )
            FIGURES[f"{name}-clean"] = {"changed": clean_edits, "words": words}
            lines.append(
                f"{'':16} flagged spun {flagged}/{tested}; clean articles: {clean_edits} changed words in {words}"
            )
        listed = sum(1 for original, spun in PHRASES.items() if (spun, original) in rows)
        lines.append(f"{'':16} learned {len(rows)} rows from one pair; {listed} of the rewriter's {len(PHRASES)} rules")
    return lines


def clean_text(threshold: float | None) -> list[str]:
    edits = words = 0
    for path in sorted(CORPUS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        edits += changed_words(text, fix(text, threshold, "clean"))
        words += len(text.split())
    FIGURES["clean"] = {"changed": edits, "words": words}
    return [f"clean        {edits} changed words in {words} words = {edits / words * 10_000:.1f} per 10,000"]


def timing(threshold: float | None) -> list[str]:
    """Time to fix a 5,000-word spun text: in this process with the models loaded, and as a user
    runs it (`untangle fix FILE` in a fresh process: start-up, model loading and all)."""
    import gc
    import tempfile

    import spinner

    texts = [spinner.spin(path.read_text(encoding="utf-8"), 3) for path in sorted(CORPUS.glob("*.txt"))]
    text = "\n".join(texts)
    while len(text.split()) < 5000:
        text += "\n" + text
    text = " ".join(text.split()[:5000])
    # The emulator's WordNet (half a million objects) is the harness's, not untangle's: free it,
    # or the cyclic collector's passes over it would be charged to untangle.
    spinner.wordnet.cache_clear()
    gc.collect()
    from untangle.language_model import default_model

    untangle.fix(text, threshold=threshold)  # the dictionary rows it needs, parsed once per process
    runs = []
    for _ in range(3):
        # Scores cached from the previous run would make the text look like one seen before; a
        # batch meets new texts, so each run starts with the language model's cache empty.
        default_model().clear_cache()
        start = time.perf_counter()
        untangle.fix(text, threshold=threshold)
        runs.append(time.perf_counter() - start)
    lines = [
        f"speed        5,000 spun words fixed in {min(runs):.2f} s "
        "(best of 3, models loaded, language model cache emptied before each run)"
    ]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "article.txt"
        path.write_text(text, encoding="utf-8")
        command = [sys.executable, "-c", "from untangle.cli import main; main()", "fix", str(path)]
        if threshold is not None:
            command[4:4] = ["--min-confidence", str(threshold)]
        walls = []
        for _ in range(3):
            start = time.perf_counter()
            subprocess.run(command, capture_output=True, check=False, cwd=folder)
            walls.append(time.perf_counter() - start)
    lines.append(f"speed        `untangle fix` on that text in a fresh process: {min(walls):.2f} s (best of 3)")
    return lines


def page_sets(threshold: float | None) -> list[str]:
    """The partly spun pages of bench/pages.py, with the same pages' clean blocks as their own set."""
    import pages

    results = pages.page_sets(threshold, **NEURAL)
    for layout, figures in results.items():
        page = figures.page
        FIGURES[f"pages/{layout}"] = {
            "recall": page.recall,
            "precision": page.precision,
            "harmful": page.harmful,
            "swaps": page.swaps,
            "edits": page.edits,
        }
        FIGURES[f"pages/{layout}-clean"] = {"changed": figures.clean_edits, "words": figures.clean_words}
    return pages.lines(results)


def hugo_set(threshold: float | None) -> list[str]:
    """Double-spun Hugo Markdown pages with "issues" for every "the" (bench/hugo.py)."""
    import hugo

    figures = hugo.measure(threshold=threshold, **NEURAL)
    FIGURES["hugo+the"] = {
        "recall": figures.recall,
        "precision": figures.precision,
        "harmful": figures.harmful,
        "swaps": figures.swaps,
        "edits": figures.edits,
    }
    FIGURES["hugo+the-clean"] = {"changed": figures.clean_changed, "words": figures.clean_words}
    return [hugo.line(figures)]


def all_sets(threshold: float | None, show: bool = False) -> list[str]:
    """Every quality set's lines (FIGURES holds their figures afterwards)."""
    sets = dev_set(threshold) + own_pairs(threshold, show) + clean_text(threshold)
    return sets + family_sets(threshold) + page_sets(threshold) + hugo_set(threshold)


def measured(source: Path, threshold: float | None, neural: bool, no_guesses: bool = False) -> subprocess.Popen:
    """This harness with --json over the engine in `source` (a src/ folder), in a child process."""
    command = [sys.executable, str(Path(__file__).resolve()), "--json"]
    command += ["--threshold", str(threshold)] if threshold is not None else []
    command += ["--neural"] if neural else []
    command += ["--no-guesses"] if no_guesses else []
    env = dict(os.environ, UNTANGLE_SOURCE=str(source), PYTHONPATH=str(source))
    return subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)


def flags(set_name: str, now: dict[str, float], then: dict[str, float]) -> list[str]:
    """What the gate flags for one set: over a point of recall or precision lost, a harmful edit
    gained, a clean word more changed."""
    found = []
    if "changed" in now:
        if now["changed"] > then["changed"]:
            found.append(f"clean words changed {then['changed']} -> {now['changed']}")
        return found
    for measure in ("recall", "precision"):
        if now[measure] < then[measure] - 0.01:
            found.append(f"{measure} {then[measure]:.3f} -> {now[measure]:.3f}")
    if now["harmful"] > then["harmful"]:
        found.append(f"harmful {then['harmful']} -> {now['harmful']}")
    return found


def compare(revision: str, threshold: float | None, neural: bool, no_guesses: bool = False) -> int:
    """The regression gate: every set for the working tree against `revision`, side by side."""
    with tempfile.TemporaryDirectory() as folder:
        tree = Path(folder) / "tree"
        subprocess.run(["git", "worktree", "add", "--detach", "--quiet", str(tree), revision], cwd=ROOT, check=True)
        try:
            runs = [measured(ROOT / "src", threshold, neural, no_guesses), measured(tree / "src", threshold, neural)]
            now, then = (json.loads(run.communicate()[0]) for run in runs)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=False)
    print(f"{'set':<24} {'recall':>15} {'precision':>15} {'harmful':>9}   (then -> now; {revision} -> working tree)")
    flagged = 0
    for name, figures in now.items():
        before = then.get(name)
        if before is None:
            print(f"{name:<24} (new set: not measured at {revision})")
            continue
        if "changed" in figures:
            cells = f"clean: {before['changed']} -> {figures['changed']} changed words in {figures['words']}"
        else:
            cells = (
                f"{before['recall']:.3f} -> {figures['recall']:.3f} {before['precision']:.3f} -> "
                f"{figures['precision']:.3f} {before['harmful']:>3} -> {figures['harmful']:<3}"
            )
        problems = flags(name, figures, before)
        flagged += bool(problems)
        print(f"{name:<24} {cells}" + (f"   FLAGGED: {'; '.join(problems)}" if problems else ""))
    print(f"gate: {flagged} of {len(now)} sets flagged")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threshold", type=float, default=None)
    parser.add_argument("--show", action="store_true", help="per-article figures for the tuning set")
    parser.add_argument("--neural", action="store_true", help="fix with the neural scorer (untangle[neural])")
    parser.add_argument("--no-guesses", action="store_true", help="fix with sure changes only (untangle --no-guesses)")
    parser.add_argument("--json", action="store_true", help="print every set's figures as one JSON object")
    parser.add_argument("--compare", metavar="REV", help="the regression gate: every set against commit REV")
    args = parser.parse_args()
    if args.compare:
        return compare(args.compare, args.threshold, args.neural, args.no_guesses)
    NEURAL["neural"] = args.neural
    if args.no_guesses:
        NEURAL["guesses"] = False
    untangle.fix("warm up the models astatine once", **NEURAL)
    if args.json:
        all_sets(args.threshold)
        print(json.dumps(FIGURES))
        return 0
    speed = ["speed        see bench/neural_cost.py for both tiers"] if args.neural else timing(args.threshold)
    for line in all_sets(args.threshold, args.show) + screen_lines() + speed:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
