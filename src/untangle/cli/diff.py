"""`untangle diff`: the repair as a reviewable diff (word, unified, rich, JSON, HTML)."""

from __future__ import annotations

import os
import sys
from dataclasses import replace

import click

from untangle.batch import FAILED, FileReport
from untangle.cli.common import (
    EXIT_CODES_HELP,
    EXIT_IO,
    EXIT_OK,
    FileOptions,
    display_name,
    fail_on_data_error,
    file_options,
    process_inputs,
)


@click.command(epilog=EXIT_CODES_HELP)
@click.argument("paths", nargs=-1, type=click.Path(allow_dash=True))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["auto", "rich", "word", "unified", "json", "html"]),
    default="auto",
    show_default=True,
    help="auto: rich on a terminal, word when piped; unified: a patch for git apply or patch -p1; "
    "json: one object per suggestion; html: one self-contained review page.",
)
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour the rich view; auto colours on a terminal unless NO_COLOR is set.",
)
@click.option("--no-held-back", is_flag=True, help="Show only the changes fix would apply, not held-back suggestions.")
@file_options
@fail_on_data_error
def diff(paths: tuple[str, ...], output_format: str, color: str, no_held_back: bool, files: FileOptions) -> None:
    """Show every change untangle would make to PATHS (files, folders, or standard input).

    \b
    Formats:
      rich     each changed line, grouped by file, old words struck out in red and new ones in
               green, held-back suggestions in yellow; under it each change's confidence and reason
      word     NAME:LINE: text with [-old-]{+new+}; a held-back suggestion as [-old-]{?new?}
      unified  a patch of the changes fix would apply (git apply, patch -p1)
      json     one object per suggestion: path, line, column, start, end, old, new, confidence,
               relation, reason, applied (false: held back)
      html     one self-contained page for a browser: a sortable summary of the files, where
               in each file the changes are, every changed sentence; filters by confidence,
               file and word (no network access; input text is always escaped)
    A summary line goes to standard error. Nothing is changed.

    \b
    Examples:
      untangle diff article.txt
      untangle diff --format unified articles/ > spun.patch && git apply spun.patch
      untangle diff --format json article.txt | jq 'select(.confidence > 0.9)'
      untangle diff --format html articles/ > report.html
    """
    from untangle import render

    colour_allowed = color == "always" or (color == "auto" and not os.environ.get("NO_COLOR"))
    if output_format == "auto":
        output_format = "rich" if sys.stdout.isatty() or color == "always" else "word"
    console = None
    if output_format == "rich":
        from rich.console import Console

        console = Console(force_terminal=colour_allowed, no_color=not colour_allowed, highlight=False)
    out = sys.stdout
    settings = files.settings(paths, keep_text=True)
    page = None
    if output_format == "html":
        from untangle.decision import DEFAULT_THRESHOLD
        from untangle.html_report import HtmlReport

        page = HtmlReport(DEFAULT_THRESHOLD if settings.threshold is None else settings.threshold)

    def show(report: FileReport) -> None:
        if page is not None and report.status == FAILED:
            page.add_failure(display_name(report.path), report.message)
        if report.result is None or report.source is None:
            return
        name = display_name(report.path)
        result = report.result
        held_back = () if no_held_back else result.held_back
        if page is not None:
            page.add(name, report.source, replace(result, held_back=held_back))
        elif output_format == "unified":
            out.write(render.unified(name, report.source, result.text))
        elif output_format == "json":
            out.write(render.json_lines(name, report.source, result.changes, held_back))
        elif console is not None:
            render.rich_view(console, name, report.source, result.changes, held_back)
        else:
            out.write(render.plain(name, report.source, result.changes, held_back))

    summary, failed = process_inputs(paths, files, settings, "reading", show, summarize=False)
    if page is not None:
        out.write(page.render())
    out.flush()
    if not files.quiet:
        click.echo(render.summary(summary.changes, summary.scanned, summary.held_back, summary.guesses), err=True)
    sys.exit(EXIT_IO if failed else EXIT_OK)
