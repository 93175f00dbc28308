"""What a batch run tells the person watching: a progress bar, notes, errors, a summary (stderr).

The bar appears only on a terminal and never with --quiet; errors are always printed; notes
(skipped files) and the summary are dropped by --quiet.
"""

from __future__ import annotations

import sys

import click

from untangle.batch import FAILED, SKIPPED, FileReport, Summary


class Reporter:
    """Counts reports into a bar and prints their notes and errors as they arrive, in order."""

    def __init__(self, total: int, quiet: bool = False, label: str = "fixing") -> None:
        self.quiet = quiet
        self.total = total
        self.label = label
        self._progress = None
        self._task = None

    def __enter__(self) -> Reporter:
        if not self.quiet and self.total > 1 and sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self._progress = Progress(
                TextColumn(f"[bold]{self.label}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._progress.__enter__()
            self._task = self._progress.add_task(self.label, total=self.total)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.__exit__(None, None, None)

    def say(self, message: str, always: bool = False) -> None:
        """Print a line on stderr (above the bar, if there is one)."""
        if self.quiet and not always:
            return
        if self._progress is not None:
            self._progress.console.print(message, markup=False, highlight=False, soft_wrap=True)
        else:
            click.echo(message, err=True)

    def __call__(self, report: FileReport) -> None:
        if report.status == FAILED:
            self.say(f"untangle: {report.message}", always=True)
        elif report.status == SKIPPED:
            self.say(f"untangle: note: {report.path}: skipped ({report.message})")
        if self._progress is not None:
            self._progress.advance(self._task)

    def finish(self, summary: Summary) -> None:
        self.say(f"untangle: {summary.line()}")
