#!/usr/bin/env python3
"""Speed benchmark: untangle against codespell on the same files, in one run, as one table.

Builds a corpus from our own texts (bench/corpus; at least 20 MB clean and 20 MB spun by the
WordNet spinner emulator, bench/spinner.py, when WordNet is installed, else from the spun
paragraphs in examples/), then measures:
- start-up on a tiny input;
- MB/s on clean and on spun text: untangle and codespell on the same sample of the corpus, each
  the median of runs taken in turn with the other's (untangle only on a sample, since it is far
  slower); with and without the screen before the engine, and the share of each sample the
  screen clears; the compiled core against the Python engine it replaced
  (UNTANGLE_PURE_PYTHON=1) on the same sample, as commands and as the library's second pass in
  one process;
- the steady rate: untangle and codespell in turn on the whole clean corpus (`fix` with one
  worker and with the default workers, and `check`, which writes nothing), and on a corpus of
  another genre (the system's licence texts, where it has them); codespell alone on each whole
  corpus;
- a batch over a folder with 1, 4 and N worker processes, the same work on threads sharing one
  loaded model, and peak RSS.

Usage: python bench/speed.py [--mb 20] [--sample-mb 1] [--jobs N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from batch import PeakMemory, paragraphs  # noqa: E402 - the batch benchmark's helpers

UNTANGLE = [sys.executable, "-m", "untangle.cli"]
LICENCES = Path("/usr/share/common-licenses")  # Debian's licence texts, where the system has them
COMMAND_RUNS = 7  # runs of each command that the clean and spun rows take the median of


def build(folder: Path, megabytes: float, spun: bool, seed: int) -> tuple[int, str]:
    """Articles of two to six paragraphs until `megabytes`; returns bytes written and the source."""
    clean = [p for path in sorted((BENCH / "corpus").glob("*.txt")) for p in paragraphs(path)]
    rng = random.Random(seed)
    spin = None
    source = "our clean articles (bench/corpus)"
    if spun:
        try:
            import spinner

            spinner.wordnet()
            spin = spinner.spin
            source = "bench/corpus spun by bench/spinner.py (WordNet emulator)"
        except Exception:  # noqa: BLE001 - WordNet missing: fall back to spun text in the repo
            clean = paragraphs(ROOT / "examples" / "spun-article.txt")
            source = "examples/spun-article.txt paragraphs (WordNet not installed)"
    folder.mkdir(parents=True, exist_ok=True)
    size, number = 0, 0
    while size < megabytes * 1e6:
        text = "\n\n".join(rng.choice(clean) for _ in range(rng.randint(2, 6))) + "\n"
        if spin is not None:
            text = spin(text, seed=number)
        path = folder / f"part{number // 200:03d}" / f"article{number:05d}.txt"
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        size += len(text.encode("utf-8"))
        number += 1
    return size, source


def sample(folder: Path, megabytes: float, target: Path) -> int:
    """Copy the first files of `folder` until `megabytes` into `target`; returns bytes."""
    size = 0
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(folder.rglob("*.txt")):
        if size >= megabytes * 1e6:
            break
        shutil.copy(path, target / path.name)
        size += path.stat().st_size
    return size


def timed(
    command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None
) -> tuple[float, tuple[float, float], int]:
    """Wall seconds, peak RSS and PSS of the process tree in MB, and the exit code."""
    started = time.perf_counter()
    environment = _environment(env)
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=environment)
    memory = PeakMemory(process.pid)
    memory.start()
    _, stderr = process.communicate()
    seconds = time.perf_counter() - started  # before the sampler's last sleep
    memory.stop()
    if process.returncode not in (0, 1, 65):  # codespell exits 65 when it finds misspellings
        sys.stderr.write(stderr.decode(errors="replace"))
    return seconds, (memory.peak, memory.peak_pss), process.returncode


def _environment(env: dict[str, str] | None) -> dict[str, str] | None:
    """This process's environment with `env` applied (a value of "" removes the variable); None
    for no change."""
    if not env:
        return None
    return {key: value for key, value in {**os.environ, **env}.items() if value != ""}


def median_seconds(commands: list[list[str]], env: dict[str, str] | None = None, runs: int = 21) -> list[float]:
    """Median wall seconds of each command, run `runs` times in turn (interleaved, so a slow
    moment of the machine costs them alike) and with no memory sampler reading /proc beside them."""
    environment = _environment(env)
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(runs):
        for command, seconds in zip(commands, times, strict=True):
            started = time.perf_counter()
            subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment, check=False)
            seconds.append(time.perf_counter() - started)
    return [statistics.median(seconds) for seconds in times]


def codespell() -> list[str] | None:
    found = shutil.which("codespell", path=os.path.dirname(sys.executable)) or shutil.which("codespell")
    return [found] if found else None


def _cleared(folder: Path) -> str:
    """The share of the folder's bytes that the screen would return unchanged without a fit."""
    sys.path.insert(0, str(ROOT / "src"))
    from untangle.pipeline import engine_for

    screen = engine_for().screen
    total = cleared = 0
    for path in sorted(folder.rglob("*.txt")):
        text = path.read_text(encoding="utf-8")
        total += len(text.encode("utf-8"))
        cleared += len(text.encode("utf-8")) if screen.clears(text) else 0
    return f"{cleared / max(total, 1):.2f}"


# The library on threads: every file of a folder fixed by a pool of N threads sharing one loaded
# model (the compiled fit releases the interpreter while it works); prints nothing.
THREADS = """
import sys, pathlib
from concurrent.futures import ThreadPoolExecutor
import untangle
files = sorted(pathlib.Path(sys.argv[1]).rglob("*.txt"))
untangle.fix("Helium said.")
with ThreadPoolExecutor(int(sys.argv[2])) as pool:
    list(pool.map(lambda path: untangle.fix(path.read_text(encoding="utf-8")), files))
"""


# The engine alone, per core: one process fixes the sample once (loading everything it keeps)
# and is timed on a second pass, in CPU seconds, writing nothing (on some machines writing files
# slows the compute beside it; see docs/design.md, "Session 25").
WARM = """
import sys, pathlib, time
import untangle
texts = [path.read_text(encoding="utf-8") for path in sorted(pathlib.Path(sys.argv[1]).rglob("*.txt"))]
first = [untangle.fix(text) for text in texts]
started = time.process_time()
second = [untangle.fix(text) for text in texts]
print(time.process_time() - started, first == second)
"""


def warm_rate(folder: Path, size: int, env: dict[str, str] | None = None) -> float:
    """MB/s of the library's second pass over `folder` in one process (CPU time, no writes)."""
    done = subprocess.run(
        [sys.executable, "-c", WARM, str(folder)], capture_output=True, text=True, env=_environment(env), check=True
    )
    seconds, same = done.stdout.split()
    if same != "True":
        raise RuntimeError("the second pass gave other outputs than the first")
    return size / 1e6 / float(seconds)


def _same_outputs(one: Path, other: Path) -> str:
    """Whether two output trees hold the same files with the same bytes."""
    first = {p.relative_to(one): p.read_bytes() for p in one.rglob("*") if p.is_file()}
    second = {p.relative_to(other): p.read_bytes() for p in other.rglob("*") if p.is_file()}
    return "identical" if first == second else "DIFFERENT"


def _default_jobs() -> int:
    """The workers `untangle fix` starts on this machine when not told."""
    from untangle.batch import default_jobs

    return default_jobs()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=20.0, help="size of each corpus (clean, spun) in MB")
    parser.add_argument("--sample-mb", type=float, default=1.0, help="MB of each corpus untangle is timed on")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="workers for the batch run")
    parser.add_argument("--keep", type=Path, default=None, help="build the corpus here and keep it")
    arguments = parser.parse_args()
    spell = codespell()
    base = arguments.keep or Path(tempfile.mkdtemp(prefix="untangle-speed-"))
    rows: list[tuple[str, str, str, str]] = []  # measure, untangle, codespell, ratio

    def row(measure: str, ours: float | None, theirs: float | None, unit: str, higher_is_better: bool) -> None:
        ratio = ""
        if ours and theirs:
            ratio = f"{(ours / theirs if higher_is_better else theirs / ours):.3f}"
        shown = [f"{v:.3f} {unit}" if v is not None else "-" for v in (ours, theirs)]
        rows.append((measure, shown[0], shown[1], ratio))

    try:
        clock = time.perf_counter()
        clean_size, clean_source = build(base / "clean", arguments.mb, False, 1)
        spun_size, spun_source = build(base / "spun", arguments.mb, True, 2)
        print(f"corpus: {clean_size / 1e6:.1f} MB clean ({clean_source})")
        print(f"        {spun_size / 1e6:.1f} MB spun ({spun_source}); built in {time.perf_counter() - clock:.0f} s")
        tiny = base / "tiny.txt"
        tiny.write_text("Helium said astatine the meeting that the bridge would open.\n", encoding="utf-8")
        commands = [[*UNTANGLE, "fix", str(tiny)]] + ([[*spell, str(tiny)]] if spell else [])
        starts = median_seconds(commands)
        row("start-up, tiny input (median of 21)", starts[0], starts[1] if spell else None, "s", False)
        if os.environ.get("PYTHONDONTWRITEBYTECODE"):  # as a user's machine runs it: bytecode cached
            cached = {"PYTHONDONTWRITEBYTECODE": ""}
            median_seconds(commands, env=cached, runs=1)  # writes the bytecode
            starts = median_seconds(commands, env=cached)
            row("start-up, same, bytecode cached (median of 21)", starts[0], starts[1] if spell else None, "s", False)
        fix_rss = (0.0, 0.0)
        for kind in ("clean", "spun"):
            part = base / f"sample-{kind}"
            size = sample(base / kind, arguments.sample_mb, part)
            fix = [*UNTANGLE, "fix", "-q", "--jobs", "1", "--output-dir", str(base / f"out-{kind}"), str(part)]
            seconds, rss, _ = timed(fix)
            fix_rss = max(fix_rss, rss)
            their_rate = None
            # Both commands run in turn, COMMAND_RUNS times each, and each one's median counts:
            # one run of each swung by a quarter either way on this machine.
            if spell:
                seconds, their_seconds = median_seconds([fix, [*spell, str(part)]], runs=COMMAND_RUNS)
                their_rate = size / 1e6 / their_seconds
            row(
                f"{kind} prose, {size / 1e6:.1f} MB sample, 1 process (median of {COMMAND_RUNS if spell else 1})",
                size / 1e6 / seconds,
                their_rate,
                "MB/s",
                True,
            )
            python_seconds = timed(
                [*UNTANGLE, "fix", "-q", "--jobs", "1", "--output-dir", str(base / f"python-{kind}"), str(part)],
                env={"UNTANGLE_PURE_PYTHON": "1"},
            )[0]
            row(f"{kind} prose, same sample, Python engine", size / 1e6 / python_seconds, their_rate, "MB/s", True)
            same = _same_outputs(base / f"out-{kind}", base / f"python-{kind}")
            ratio = f"{python_seconds / seconds:.2f}x"
            rows.append((f"{kind}: compiled core vs Python engine (outputs {same})", ratio, "", ""))
            # Each engine's pass is timed twice, in turn with the other's, and its faster kept:
            # this machine's speed drifts over the minute the Python pass takes.
            python = {"UNTANGLE_PURE_PYTHON": "1"}
            warm, python_warm = warm_rate(part, size), warm_rate(part, size, env=python)
            warm, python_warm = max(warm, warm_rate(part, size)), max(python_warm, warm_rate(part, size, env=python))
            row(f"{kind} prose, same sample, library warm (CPU, no writes)", warm, their_rate, "MB/s", True)
            row(f"{kind} prose, same, Python engine's library warm", python_warm, their_rate, "MB/s", True)
            rows.append((f"{kind}: compiled core vs Python engine, library warm", f"{warm / python_warm:.2f}x", "", ""))
            unscreened = timed(
                [
                    *UNTANGLE,
                    "fix",
                    "-q",
                    "--jobs",
                    "1",
                    "--no-screen",
                    "--output-dir",
                    str(base / f"raw-{kind}"),
                    str(part),
                ]
            )[0]
            row(f"{kind} prose, same sample, --no-screen", size / 1e6 / unscreened, their_rate, "MB/s", True)
            same = _same_outputs(base / f"out-{kind}", base / f"raw-{kind}")
            rows.append((f"{kind} sample cleared by the screen (of bytes; outputs {same})", _cleared(part), "", ""))
        # The clean corpus whole, untangle and codespell in turn: the sample's rate above counts
        # each start-up once per half megabyte; here the steady rate shows. `fix` mirrors every
        # file into a folder, with one worker and with the default workers (codespell has one);
        # `check` reads and judges each file and writes nothing, as codespell does.
        whole_runs = 5
        whole = [str(base / "clean")]
        for name, command in (
            ("fix --output-dir, 1 process", ["fix", "-q", "--jobs", "1", "--output-dir", str(base / "whole-clean")]),
            (
                f"fix --output-dir, default workers ({_default_jobs()})",
                ["fix", "-q", "--output-dir", str(base / "whole-clean")],
            ),
            ("check, 1 process", ["check", "-q", "--jobs", "1"]),
        ):
            fix = [*UNTANGLE, *command, *whole]
            if spell:
                seconds, their_seconds = median_seconds([fix, [*spell, *whole]], runs=whole_runs)
            else:
                seconds, their_seconds = timed(fix)[0], None
            row(
                f"clean prose, whole corpus ({clean_size / 1e6:.0f} MB), {name} (median of {whole_runs})",
                clean_size / 1e6 / seconds,
                clean_size / 1e6 / their_seconds if their_seconds else None,
                "MB/s",
                True,
            )
        if spell and LICENCES.is_dir():
            # Another genre: formal legal English, which is full of words a spinner writes for
            # common ones ("constitutes", "terminate"), so the screen clears few of its documents.
            size = sum(path.stat().st_size for path in LICENCES.iterdir() if path.is_file())
            fix = [*UNTANGLE, "fix", "-q", "--jobs", "1", "--output-dir", str(base / "licences"), str(LICENCES)]
            seconds, their_seconds = median_seconds([fix, [*spell, str(LICENCES)]], runs=whole_runs)
            row(
                f"clean legal prose ({LICENCES}, {size / 1e6:.1f} MB), 1 process (median of {whole_runs})",
                size / 1e6 / seconds,
                size / 1e6 / their_seconds,
                "MB/s",
                True,
            )
        if spell:
            for kind, size in (("clean", clean_size), ("spun", spun_size)):
                seconds = timed([*spell, str(base / kind)])[0]
                row(
                    f"codespell alone, whole {kind} corpus ({size / 1e6:.0f} MB)",
                    None,
                    size / 1e6 / seconds,
                    "MB/s",
                    True,
                )
        part = base / "sample-spun"
        batch = {}
        for jobs in sorted({1, 4, arguments.jobs}):
            seconds, rss, _ = timed(
                [*UNTANGLE, "fix", "-q", "--jobs", str(jobs), "--output-dir", str(base / f"batch-{jobs}"), str(part)]
            )
            batch[jobs] = (seconds, rss)
            rows.append((f"batch, spun sample, --jobs {jobs}", f"{seconds:.1f} s", "", ""))
        for jobs in sorted(batch)[1:]:
            speedup = batch[1][0] / batch[jobs][0]
            rows.append((f"batch speed-up, {jobs} workers vs 1", f"{speedup:.2f}x", "", ""))
        for threads in sorted({1, arguments.jobs}):
            seconds = timed([sys.executable, "-c", THREADS, str(part), str(threads)])[0]
            rows.append((f"library on {threads} thread(s), spun sample, one model", f"{seconds:.1f} s", "", ""))
        rows.append(("peak RSS / PSS, fix (1 process)", f"{fix_rss[0]:.0f} / {fix_rss[1]:.0f} MB", "", ""))
        for jobs in sorted(batch):
            rss, pss = batch[jobs][1]
            rows.append((f"peak RSS / PSS, batch --jobs {jobs} (all processes)", f"{rss:.0f} / {pss:.0f} MB", "", ""))
    finally:
        if arguments.keep is None:
            shutil.rmtree(base, ignore_errors=True)
    width = max(len(r[0]) for r in rows)
    print(f"\n{'measure':<{width}}  {'untangle':>14}  {'codespell':>14}  {'ratio (>1: untangle better)':>27}")
    for measure, ours, theirs, ratio in rows:
        print(f"{measure:<{width}}  {ours:>14}  {theirs:>14}  {ratio:>27}")
    if not spell:
        print("\ncodespell is not installed here (pip install codespell): no ratios.")


if __name__ == "__main__":
    main()
