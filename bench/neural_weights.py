#!/usr/bin/env python3
"""How the neural tier's combination weights trade recall for precision, from remembered scores.

settle.py combines, per reading of an open group, the channel model's emissions, Gemma's ln P,
the trigram's ln P and Gemma's best unlisted word ("open slot") with four weights. Gemma's
answers do not depend on the weights, so this benchmark scores every text with Gemma once,
remembers the answers (bench/.neural-cache.pkl, keyed by text and variants), and then refits
the sets for each weight setting in seconds. Sets: the development article (when ../shared/dev
exists) and the tuning articles spun by bench/spinner.py; --held-out takes the held-out ones
instead (to check a choice, never to make it). A benchmark: it prints and never fails.

Usage: python bench/neural_weights.py [--held-out] [--right N] [--contenders N] [--margin NATS]
       [--sure P] [--thresholds 0.7,0.8,0.9] [SETTING ...]
       a SETTING is context,trigram,anything,emission (e.g. 1.0,0.5,0.7,1.0); default a grid
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import pickle
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent / "src"))

from quality import CORPUS, HELD_OUT, SHARED_DEV, VARIANTS, dev_scores  # noqa: E402
from scoring import score  # noqa: E402

import untangle  # noqa: E402
import untangle.neural  # noqa: E402
from untangle import settle  # noqa: E402
from untangle.result import apply_changes  # noqa: E402

CACHE = BENCH / ".neural-cache.pkl"


class RememberingScorer:
    """The neural scorer, asked once per (text, variants) across runs; answers kept on disk."""

    name = "neural"

    def __init__(self) -> None:
        self.answers: dict[str, list[list[float]]] = pickle.loads(CACHE.read_bytes()) if CACHE.exists() else {}
        self.asked = 0
        self._scorer = None

    def score(self, text, passages):  # noqa: ANN001, ANN201
        neural = untangle.neural
        extra = (neural.RIGHT_TOKENS, neural.CONTENDERS, neural.MARGIN)
        key = hashlib.sha256(repr((text, tuple(passages), *extra)).encode()).hexdigest()
        if key not in self.answers:
            if self._scorer is None:
                self._scorer = untangle.neural.NeuralScorer()
            self.answers[key] = self._scorer.score(text, passages)
            self.asked += 1
        return self.answers[key]

    def save(self) -> None:
        if self.asked:
            partial = CACHE.with_suffix(".partial")
            partial.write_bytes(pickle.dumps(self.answers))
            partial.replace(CACHE)  # an interrupted run never leaves a truncated cache behind
            self.asked = 0


def sets(held_out: bool) -> list[tuple[str, str, str | None]]:
    """(set name, spun text, original or None for the development article)."""
    from spinner import spin

    found = []
    if (SHARED_DEV / "milley.spun.txt").exists():
        found.append(("dev", (SHARED_DEV / "milley.spun.txt").read_text(encoding="utf-8"), None))
    for path in sorted(CORPUS.glob("*.txt")):
        if (path.name in HELD_OUT) == held_out:
            original = path.read_text(encoding="utf-8")
            for seed, as_written in VARIANTS:
                label = "held-out" if held_out else "tuning"
                found.append(
                    (f"{label}/{'lookup' if as_written else 'lemma'}", spin(original, seed, as_written), original)
                )
    return found


def run(texts, thresholds: tuple[float, ...]) -> dict[tuple[str, float], tuple[float, float]]:  # noqa: ANN001
    """Per set and threshold: (recall, precision) with the weights now in settle (one restore per
    text at the lowest threshold; each threshold applies the changes at least that sure)."""
    totals: dict[tuple[str, float], list[int]] = {}
    for name, spun, original in texts:
        changes = untangle.restore(spun, threshold=min(thresholds), neural=True).changes
        for threshold in thresholds:
            output = apply_changes(spun, [c for c in changes if c.confidence >= threshold])
            if original is None:
                dev = dev_scores(output)
                figures = (dev["restored"], dev["swaps"], dev["correct"], dev["edits"])
            else:
                result = score(spun, original, output)
                figures = (result.restored, result.swaps, result.correct, result.edits)
            row = totals.setdefault((name, threshold), [0, 0, 0, 0])
            for i, value in enumerate(figures):
                row[i] += value
    return {key: (r / max(s, 1), c / max(e, 1)) for key, (r, s, c, e) in totals.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("settings", nargs="*")
    parser.add_argument("--held-out", action="store_true")
    parser.add_argument("--right", type=int, default=untangle.neural.RIGHT_TOKENS, help="tokens scored past a variant")
    parser.add_argument("--contenders", type=int, default=untangle.neural.CONTENDERS, help="contenders scored in full")
    parser.add_argument("--sure", type=float, default=settle.SURE, help="posterior above which a word is not open")
    parser.add_argument("--margin", type=float, default=untangle.neural.MARGIN, help="nats a contender may look worse")
    parser.add_argument("--thresholds", default="0.7,0.8,0.9", help="comma-separated (default 0.7,0.8,0.9)")
    args = parser.parse_args()
    untangle.neural.RIGHT_TOKENS = args.right
    untangle.neural.CONTENDERS = args.contenders
    untangle.neural.MARGIN = args.margin
    settle.SURE = args.sure
    scorer = RememberingScorer()
    untangle.neural.default_scorer = lambda: scorer
    if args.settings:
        grid = [tuple(float(x) for x in s.split(",")) for s in args.settings]
    else:
        grid = list(itertools.product((1.0, 0.6), (0.5, 0.25), (0.7,), (1.0, 1.5)))
    texts = sets(args.held_out)
    for setting in grid:
        settle.CONTEXT_SHARE, settle.TRIGRAM_SHARE, settle.ANYTHING_SHARE, settle.EMISSION_SHARE = setting
        thresholds = tuple(float(t) for t in args.thresholds.split(","))
        figures = run(texts, thresholds)
        scorer.save()
        for threshold in thresholds:
            shown = "  ".join(f"{name} {r:.3f}/{p:.3f}" for (name, t), (r, p) in figures.items() if t == threshold)
            print(f"{','.join(f'{x:g}' for x in setting):<18} @{threshold:g}  {shown}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
