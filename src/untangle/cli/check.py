"""`untangle check`: is this text spun, and where (exit 1 when it is)."""

from __future__ import annotations

import sys

import click

from untangle.batch import FileReport
from untangle.cli.common import (
    EXIT_IO,
    EXIT_OK,
    FileOptions,
    fail_on_data_error,
    file_options,
    process_inputs,
    stdin_only,
    text_or_json_option,
)

EXIT_SPUN = 1
CHECK_EXIT_HELP = """\b
Exit codes:
  0  no input looks spun
  1  at least one input looks spun
  2  usage error
  3  an input could not be read or decoded
  4  a dictionary or data file is malformed"""


@click.command(epilog=CHECK_EXIT_HELP)
@click.argument("paths", nargs=-1, type=click.Path(allow_dash=True))
@click.option(
    "--threshold",
    "spun_threshold",
    type=click.FloatRange(0.0, 1.0),
    default=0.5,
    show_default=True,
    metavar="P",
    help="Call an input spun when the probability that it was spun is at least P.",
)
@text_or_json_option("input")
@file_options
@fail_on_data_error
def check(paths: tuple[str, ...], spun_threshold: float, output_format: str, files: FileOptions) -> None:
    """Say which of PATHS (files, folders, or standard input) look spun, like `black --check`.

    For each input: whether it looks spun, the probability, the spin level (share of replaceable
    words a spinner changed) and the most suspicious paragraphs by line. Nothing is changed.

    \b
    Examples:
      untangle check article.txt
      untangle check --format json crawl/ > verdicts.jsonl
      untangle check -q articles/ || echo "some articles are spun"
    """
    from untangle.verdict import Verdict

    spun_count = 0

    def judge(report: FileReport) -> None:
        nonlocal spun_count
        if report.result is None or report.source is None:
            return
        verdict = Verdict.of(report.path, report.source, report.result, spun_threshold)
        spun_count += verdict.spun
        if output_format == "json":
            click.echo(verdict.as_json())
        elif not files.quiet or verdict.spun:
            click.echo(verdict.as_text())

    summary, failed = process_inputs(
        paths, files, files.settings(paths, keep_text=True), "checking", judge, summarize=False
    )
    if not files.quiet and output_format == "text" and not stdin_only(paths):
        click.echo(f"untangle: {summary.scanned} checked, {spun_count} spun", err=True)
    if failed:
        sys.exit(EXIT_IO)
    sys.exit(EXIT_SPUN if spun_count else EXIT_OK)
