#!/usr/bin/env python3
"""HTML report benchmark: a folder of generated articles (a third of them spun by our WordNet
emulator, the rest clean), its report's size and time to build, and how fast Debian's chromium
opens it and applies a filter. Prints figures; never fails the build.

Articles come from our own texts only (bench/corpus). Needs WordNet (wordnet-base) for the
emulator, and chromium, chromium-driver and selenium for the browser figures (skipped without).

Usage: python bench/html_report.py [--files N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent / "scripts"))  # the browser set-up the tests share

from batch import build_folder as build_batch_folder  # noqa: E402 - a sibling benchmark module
from batch import paragraphs, write_articles  # noqa: E402
from spinner import spin  # noqa: E402

from chromium import headless_chromium, missing  # noqa: E402


def build_folder(folder: Path, count: int, seed: int = 11) -> tuple[int, int]:
    """Write `count` articles under `folder`; return (bytes written, spun files)."""
    pool = [p for path in sorted((BENCH / "corpus").glob("*.txt")) for p in paragraphs(path)]
    rng = random.Random(seed)
    texts = []
    for number in range(count):
        text = "\n\n".join(rng.choice(pool) for _ in range(rng.randint(2, 4))) + "\n"
        texts.append(spin(text, seed=number) if number % 3 == 0 else text)
    return write_articles(folder, texts), len(range(0, count, 3))


def browser_figures(report: Path) -> dict[str, float] | None:
    """Load time of the page in headless chromium and the time one slider move takes, in seconds."""
    if missing():
        return None
    driver = headless_chromium()
    try:
        started = time.perf_counter()
        driver.get(report.as_uri())
        opened = time.perf_counter() - started
        timing = driver.execute_script(
            "const n = performance.getEntriesByType('navigation')[0];"
            "return [n.domContentLoadedEventEnd, n.loadEventEnd];"
        )
        moved = driver.execute_script(
            "const s = document.getElementById('min-confidence'); const t = performance.now();"
            "s.value = 0.9; s.dispatchEvent(new Event('input')); document.body.offsetHeight;"
            "return performance.now() - t;"
        )
        changes = driver.execute_script("return document.querySelectorAll('.change').length")
    finally:
        driver.quit()
    return {
        "get": opened,
        "dom_ready": timing[0] / 1000,
        "load": timing[1] / 1000,
        "slider": moved / 1000,
        "changes": changes,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--keep", type=Path, help="Write the folder and report here instead of a temporary one.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        for name in ("emulated", "batch"):
            root = (args.keep or Path(temporary)) / name
            folder = root / "articles"
            if name == "emulated":
                size, spun = build_folder(folder, args.files)
                what = f"{spun} spun by the WordNet emulator (about one word in four changed), the rest clean"
            else:
                size = build_batch_folder(folder, args.files)
                what = "bench/batch.py's folder: a third drawn from the spun example article"
            report = root / "report.html"
            started = time.perf_counter()
            with report.open("wb") as out:
                command = [sys.executable, "-m", "untangle.cli", "diff", "--format", "html", "-q", str(folder)]
                subprocess.run(command, stdout=out, check=True)
            built = time.perf_counter() - started
            print(f"{name} folder: {args.files} files, {size / 1e6:.2f} MB; {what}")
            print(f"  report: {report.stat().st_size / 1e6:.2f} MB, built in {built:.1f} s (diff --format html)")
            figures = browser_figures(report)
            if figures is None:
                print("  browser: skipped (needs chromium, chromium-driver and selenium)")
                continue
            print(
                f"  chromium: {figures['changes']} change elements"
                f" ({report.stat().st_size / max(1, figures['changes']):.0f} bytes each, all included);"
                f" page loaded in {figures['load']:.2f} s (DOM ready {figures['dom_ready']:.2f} s);"
                f" one slider move re-filters in {figures['slider'] * 1000:.0f} ms"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
