"""Batch runs: many files (or JSON Lines records) through the engine, in worker processes.

Each file is read, decoded, repaired and written back on its own; a failure is reported for
that file and the run goes on. Reports come back in input order whatever the number of workers,
so output and summaries are deterministic. The settings travel to the workers as a small
picklable value; each worker loads the models once.
"""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from untangle.discovery import Found, special_kind
from untangle.encodings import looks_binary
from untangle.inputs import InputError, format_for, parse, read_bytes
from untangle.restorer import Restorer
from untangle.result import GUESS, Result
from untangle.safe_write import WriteError, atomic_write, exclusive_lock, read_only

CHANGED, UNCHANGED, SKIPPED, FAILED = "changed", "unchanged", "skipped", "failed"
RECORD_WINDOW = 512  # JSON Lines records in flight per worker: bounds memory on any stream
RECORD_SLICE = RECORD_WINDOW // 4  # records per task handed to a worker
# Runs tasks elsewhere (a Dask cluster): mapper(function, argument tuples) yields
# function(*arguments) for each, in input order.
Mapper = Callable[[Callable[..., Any], Iterable[tuple]], Iterator[Any]]


class Settings(NamedTuple):
    """What to do with each file; small and picklable, shipped to every worker. (This module's
    records are named tuples: a frozen dataclass costs a command's start-up ten times as much.)"""

    threshold: float | None = None
    markup: str | None = None  # "text", "html", "markdown"; None: by file extension
    encoding: str | None = None  # forced codec; None: UTF-8 or a byte-order mark's
    write: bool = False  # replace each changed file in place
    output_dir: Path | None = None  # or write every file into this mirrored tree
    backup: str | None = None  # keep the original as path + this suffix when writing in place
    keep_text: bool = False  # return the original and repaired text (diff, standard output)
    dictionaries: tuple[str, ...] = ()  # user dictionary files, absolute paths
    builtin: bool = True  # False: the user dictionaries alone
    allow: tuple[str, ...] = ()  # words and phrases never to change
    neural: bool = False  # settle open decisions with the neural scorer (the neural extra)
    screen: bool = True  # False: no screen before the engine (--no-screen)
    guesses: bool = True  # False: only sure changes (--no-guesses)

    def restorer(self, name: str = "") -> Restorer:
        """The Restorer for file `name` (its extension may say HTML or Markdown)."""
        markup = format_for(name, self.markup)
        return Restorer(
            self.threshold, self.dictionaries, self.allow, markup, self.builtin, self.neural, self.screen, self.guesses
        )


class FileReport(NamedTuple):
    """What happened to one file."""

    path: str
    status: str  # CHANGED, UNCHANGED, SKIPPED or FAILED
    message: str = ""  # why it was skipped or failed
    result: Result | None = None
    source: str | None = None  # the original text, when Settings.keep_text
    output: bytes | None = None  # the repaired file's bytes, when Settings.keep_text

    @property
    def changes(self) -> int:
        return len(self.result.changes) if self.result else 0

    @property
    def held_back(self) -> int:
        return len(self.result.held_back) if self.result else 0

    @property
    def guesses(self) -> int:
        return sum(change.tier == GUESS for change in self.result.changes) if self.result else 0


@dataclass(slots=True)
class Summary:
    """Totals for the end-of-run line."""

    scanned: int = 0
    changed: int = 0
    skipped: int = 0
    failed: int = 0
    changes: int = 0
    guesses: int = 0  # of the changes, best guesses (Change.tier)
    held_back: int = 0
    seconds: float = 0.0

    def add(self, report: FileReport) -> None:
        self.scanned += 1
        self.changes += report.changes
        self.guesses += report.guesses
        self.held_back += report.held_back
        if report.status == CHANGED:
            self.changed += 1
        elif report.status == SKIPPED:
            self.skipped += 1
        elif report.status == FAILED:
            self.failed += 1

    def line(self) -> str:
        noun = "file" if self.scanned == 1 else "files"
        return (
            f"{self.scanned} {noun} scanned: {self.changed} changed, {self.skipped} skipped, "
            f"{self.failed} failed; {self.changes} changes made"
            + (f" ({self.guesses} best guesses)" if self.guesses else "")
            + (f", {self.held_back} lower-confidence suggestions held back" if self.held_back else "")
            + f"; {self.seconds:.1f} s"
        )


def restore_file_text(text: str, name: str, settings: Settings) -> Result:
    """Restore one file's text, repairing only prose if it is HTML or Markdown."""
    return settings.restorer(name).restore(text)


def process(found: Found, settings: Settings) -> FileReport:
    """Read, repair and (if asked) write one file; never raises for a problem with the file.

    Writing in place holds an exclusive lock on the file from the read to the rename, so two
    runs on the same folder take turns file by file and the second reads the first's output."""
    name = str(found.path)
    if not settings.write:
        return _process(found, settings, name)
    target = found.path.resolve()  # a symbolic link keeps pointing at the fixed file
    if target.exists() and not target.is_file():
        kind = special_kind(target)
        return FileReport(name, FAILED, f"{name}: a {kind} cannot be fixed in place; read it without --write")
    try:
        with exclusive_lock(target):
            return _process(found, settings, name, target)
    except OSError as error:
        return FileReport(name, FAILED, _write_failure(name, error))


def _process(found: Found, settings: Settings, name: str, target: Path | None = None) -> FileReport:
    try:
        data = read_bytes(found.path, name)
    except InputError as error:
        return FileReport(name, FAILED, str(error))
    try:
        if not found.named and looks_binary(data) and settings.encoding is None:
            return _mirrored(found, settings, data, FileReport(name, SKIPPED, "binary file"))
        document = parse(data, name, settings.encoding)
    except InputError as error:
        return _mirrored(found, settings, data, FileReport(name, FAILED, str(error)))
    result = restore_file_text(document.text, name, settings)
    output = document.encoding.encode(result.text) if result.changes else data
    status = CHANGED if result.changes else UNCHANGED
    try:
        if target is not None and result.changes:
            if read_only(target):
                return FileReport(name, FAILED, f"{name}: read-only; left unchanged", result)
            atomic_write(target, output, backup_suffix=settings.backup)
        elif settings.output_dir is not None:
            _write_mirror(found, settings.output_dir, output)
    except (WriteError, OSError) as error:
        return FileReport(name, FAILED, _write_failure(name, error), result)
    if settings.keep_text:
        return FileReport(name, status, result=result, source=document.text, output=output)
    return FileReport(name, status, result=result)


def _mirrored(found: Found, settings: Settings, data: bytes, report: FileReport) -> FileReport:
    """With --output-dir, a file untangle cannot repair is still copied, byte for byte, so the
    mirrored tree is complete; a failure to copy is reported instead."""
    if settings.output_dir is None:
        return report
    try:
        _write_mirror(found, settings.output_dir, data)
    except (WriteError, OSError) as error:
        message = _write_failure(str(settings.output_dir / found.relative), error)
        return FileReport(report.path, FAILED, f"{report.message}; {message}")
    return report


def _write_mirror(found: Found, output_dir: Path, data: bytes) -> None:
    """Write `data` at the file's place in the mirrored tree, with the original's mode: atomically,
    but not fsynced, since the original stays where it is (safe_write's docstring)."""
    target = output_dir / found.relative
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(target, data, mode=found.path.stat().st_mode & 0o7777, durable=False)


def _write_failure(name: str, error: OSError) -> str:
    """One line saying why `name` could not be written."""
    return str(error) if isinstance(error, WriteError) else f"{name}: cannot write ({error.strerror})"


def _warm() -> None:
    """Worker start-up: load the dictionary and language model once per process."""
    from untangle.pipeline import default_engine

    default_engine().model  # noqa: B018 - loading is the point


def _context():  # noqa: ANN202 - a multiprocessing context, imported only when workers are used
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _pool(workers: int):  # noqa: ANN202 - a multiprocessing.Pool
    """Worker processes that share the parent's models: loaded before a fork, the language model's
    pages are shared copy-on-write. Measured (bench/speed.py, 2 workers): real memory (PSS) of the
    process tree 278 MB against 312 MB when each worker loads its own."""
    context = _context()
    if context.get_start_method() == "fork":
        _warm()
    return context.Pool(workers, initializer=_warm)


def _process_star(arguments: tuple[Found, Settings]) -> FileReport:
    return process(*arguments)


def run(
    files: list[Found],
    settings: Settings,
    jobs: int = 1,
    on_report: Callable[[FileReport], None] | None = None,
    mapper: Mapper | None = None,
) -> Summary:
    """Process `files` with `jobs` workers (or on `mapper`'s); call `on_report` for each, in input order."""
    summary = Summary()
    started = time.perf_counter()
    reports: Iterable[FileReport]
    pool = None
    if mapper is not None:
        reports = mapper(process, ((found, settings) for found in files))
    elif jobs > 1 and len(files) > 1:
        pool = _pool(min(jobs, len(files)))
        chunk = max(1, min(8, len(files) // (jobs * 8)))
        reports = pool.imap(_process_star, ((found, settings) for found in files), chunksize=chunk)
    else:
        reports = (process(found, settings) for found in files)
    try:
        for report in reports:
            summary.add(report)
            if on_report is not None:
                on_report(report)
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
    summary.seconds = time.perf_counter() - started
    return summary


# --- JSON Lines ---------------------------------------------------------------------------


class RecordOutcome(NamedTuple):
    """One record's output line, whether it changed, and an error for a line that is not JSON."""

    line: str
    changed: bool
    error: str = ""


def _repair_records(lines: list[str], field_name: str, restorer: Restorer) -> list[RecordOutcome]:
    from untangle.records import RecordError, repair_line

    outcomes = []
    for line in lines:
        try:
            repaired, changed = repair_line(line, field_name, restorer.fix)
            outcomes.append(RecordOutcome(repaired, changed))
        except RecordError as error:
            outcomes.append(RecordOutcome(line, False, str(error)))
    return outcomes


def _windows(lines: Iterable[str], size: int) -> Iterator[list[str]]:
    iterator = iter(lines)
    while window := list(itertools.islice(iterator, size)):
        yield window


def run_records(
    lines: Iterable[str],
    field_name: str,
    restorer: Restorer | None = None,
    jobs: int = 1,
    mapper: Mapper | None = None,
) -> Iterator[RecordOutcome]:
    """Repair field `field_name` of each JSON Lines record, in order, in bounded memory.

    Records are taken a window at a time and split among the workers (or handed to `mapper` a
    slice at a time), so however long the stream, only a few thousand records are in memory.
    """
    restorer = restorer or Restorer()
    if mapper is not None:
        slices = ((part, field_name, restorer) for part in _windows(lines, RECORD_SLICE))
        for outcomes in mapper(_repair_records, slices):
            yield from outcomes
        return
    if jobs <= 1:
        for window in _windows(lines, RECORD_WINDOW):
            yield from _repair_records(window, field_name, restorer)
        return
    with _pool(jobs) as pool:
        for window in _windows(lines, RECORD_WINDOW * jobs):
            slices = [window[i : i + RECORD_SLICE] for i in range(0, len(window), RECORD_SLICE)]
            arguments = [(part, field_name, restorer) for part in slices]
            for outcomes in pool.starmap(_repair_records, arguments):
                yield from outcomes


def default_jobs() -> int:
    """Worker processes by default: one per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)
