#!/usr/bin/env python3
"""How far untangle's speed targets (issue 19) can be reached in this design, measured.

Start-up: a one-line `untangle fix` needs the interpreter, click, dataclasses and the trigram model
(a one-line text is never cleared by the screen: too few words to outweigh one spun form). Each
floor below is a fresh process doing only that much, median of --runs, beside codespell's whole
run on the same line. If the floor with the model is already near two thirds of codespell's time,
no change inside untangle reaches the target.

Spun text: the engine on our articles spun by bench/spinner.py (examples/ without WordNet), with
the dictionary rows already parsed and the language model's cache emptied, as in a batch. Against
it: the distinct language-model queries it made, asked of pocketsphinx directly (the part a
compiled decoder would still pay), and how flat the profile is (functions covering 80% of the
interpreter's own time). A flat profile with a small C share means no single hot spot stands
between the engine and a tenfold speed-up: only moving the decoding loops out of Python does.

This is a benchmark: it prints figures and never fails the build.

Usage: python bench/speed_ceiling.py [--runs 9]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT / "src"))

from speed import codespell  # noqa: E402 - the speed benchmark's way of finding codespell

import untangle  # noqa: E402

LOAD_MODEL = "import pocketsphinx; pocketsphinx.NGramModel.readfile(pocketsphinx.get_model_path('en-us/en-us.lm.bin'))"
FLOORS = (
    ("interpreter alone", "pass"),
    ("+ click and dataclasses", "import click, dataclasses"),
    ("+ pocketsphinx's trigram model", f"import click, dataclasses; {LOAD_MODEL}"),
)


def median_run(command: list[str], runs: int) -> float:
    """Median wall time of `command` in a fresh process; bytecode may be cached, as after pip install."""
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=False, env=environment)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def start_up(runs: int) -> list[str]:
    with tempfile.TemporaryDirectory() as folder:
        tiny = Path(folder) / "tiny.txt"
        tiny.write_text("Helium said astatine the meeting that the bridge would open.\n", encoding="utf-8")
        spell = codespell()
        theirs = median_run([*spell, str(tiny)], runs) if spell else None
        rows = [(label, median_run([sys.executable, "-c", code], runs)) for label, code in FLOORS]
        rows.append(
            ("untangle fix, one line", median_run([sys.executable, "-m", "untangle.cli", "fix", str(tiny)], runs))
        )
    lines = [f"start-up (median of {runs} fresh processes)"]
    for label, seconds in rows:
        ratio = f"  {seconds / theirs:.2f}x codespell" if theirs else ""
        lines.append(f"  {label:34} {seconds * 1000:6.0f} ms{ratio}")
    if theirs:
        lines.append(f"  {'codespell, same line':34} {theirs * 1000:6.0f} ms  (target: 0.67x = {theirs * 667:.0f} ms)")
    return lines


def spun_text(seed: int) -> str:
    try:
        import spinner

        spinner.wordnet()
        return "\n".join(
            spinner.spin(path.read_text(encoding="utf-8"), seed) for path in sorted((BENCH / "corpus").glob("*.txt"))
        )
    except Exception:  # noqa: BLE001 - WordNet missing: the spun paragraphs in the repo
        return (ROOT / "examples" / "spun-article.txt").read_text(encoding="utf-8")


def decoding() -> list[str]:
    from untangle.language_model import default_model

    restorer = untangle.Restorer(None, screen=False)
    restorer.fix(spun_text(4))  # parses the dictionary rows a spun text needs, as a batch would have
    text = spun_text(3)
    model = default_model()
    model.clear_cache()
    start = time.perf_counter()
    restorer.fix(text)
    engine_seconds = time.perf_counter() - start
    queries = [[word, *history[:2]] for word, history in model._cache]  # noqa: SLF001 - what was asked
    prob = model._model.prob  # noqa: SLF001 - pocketsphinx itself, without untangle's wrapper
    start = time.perf_counter()
    for query in queries:
        prob(query)
    native_seconds = time.perf_counter() - start
    model.clear_cache()
    profile = cProfile.Profile()
    profile.enable()
    restorer.fix(text)
    profile.disable()
    own = sorted((row[2] for row in pstats.Stats(profile).stats.values()), reverse=True)  # tottime
    covered, functions = 0.0, 0
    while covered < 0.8 * sum(own):
        covered += own[functions]
        functions += 1
    size = len(text.encode("utf-8"))
    return [
        f"spun decoding ({size / 1000:.0f} KB, dictionary rows parsed, language-model cache emptied)",
        f"  engine                             {engine_seconds:6.2f} s  = {size / 1e6 / engine_seconds:.3f} MB/s",
        f"  its {len(queries):,} distinct trigram queries, asked of pocketsphinx directly: {native_seconds:.3f} s "
        f"({native_seconds / engine_seconds:.1%} of the engine)",
        f"  profile: the costliest function holds {own[0] / sum(own):.0%} of the interpreter's own time; "
        f"{functions} functions hold 80%",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="fresh processes per start-up figure")
    arguments = parser.parse_args()
    for line in start_up(arguments.runs) + decoding():
        print(line)


if __name__ == "__main__":
    main()
