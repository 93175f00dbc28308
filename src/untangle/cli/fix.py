"""`untangle fix`: repaired text out, for standard input, files, folders and JSON Lines."""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from pathlib import Path

import click

from untangle.batch import FileReport
from untangle.cli.common import (
    EXIT_CODES_HELP,
    EXIT_IO,
    EXIT_OK,
    EXIT_USAGE,
    FileOptions,
    fail_on_data_error,
    file_options,
    note_held_back,
    process_inputs,
    stdin_only,
)
from untangle.inputs import STDIN_NAME
from untangle.restorer import Restorer


@click.command(epilog=EXIT_CODES_HELP)
@click.argument("paths", nargs=-1, type=click.Path(allow_dash=True))
@click.option("-w", "--write", is_flag=True, help="Fix files in place (atomically; unchanged files are not touched).")
@click.option(
    "-o",
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    metavar="DIR",
    help="Write every file, fixed or not, into a mirrored tree under DIR; leave the originals alone.",
)
@click.option("--backup", metavar="SUFFIX", default=None, help="With --write, keep each original as FILE+SUFFIX.")
@click.option("--jsonl", is_flag=True, help="Input is JSON Lines: repair one field of each record (see --field).")
@click.option("--field", "field_name", default="text", show_default=True, help="With --jsonl, the field to repair.")
@click.option(
    "--dask",
    "use_dask",
    is_flag=True,
    help="Spread the work over a local Dask cluster, one worker per core (or --jobs); needs untangle[dask].",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    default=None,
    help="Spread the work over the Dask cluster at ADDRESS (tcp://host:8786); needs untangle[dask].",
)
@file_options
@fail_on_data_error
def fix(
    paths: tuple[str, ...],
    write: bool,
    output_dir: Path | None,
    backup: str | None,
    jsonl: bool,
    field_name: str,
    use_dask: bool,
    scheduler: str | None,
    files: FileOptions,
) -> None:
    """Repair PATHS (files, folders, or standard input).

    Without --write or --output-dir, the repaired text goes to standard output. Only repaired
    words differ from the input: spacing, punctuation, line endings, encoding and case are kept.
    In HTML and Markdown only prose is repaired. Diagnostics go to standard error.

    \b
    Examples:
      untangle fix article.txt > restored.txt
      cat article.txt | untangle fix
      untangle fix --write --backup .orig articles/
      untangle fix --output-dir restored/ --jobs 4 articles/
      untangle fix --jsonl --field text < crawl.jsonl > repaired.jsonl
      untangle fix --jsonl --dask crawl.jsonl > repaired.jsonl
    """
    if write and output_dir is not None:
        raise click.UsageError("use either --write or --output-dir, not both")
    if backup is not None and not write:
        raise click.UsageError("--backup needs --write")
    if backup is not None and (not backup or "/" in backup):
        raise click.BadParameter("must be a non-empty file name suffix such as .orig", param_hint="--backup")
    if use_dask and scheduler:
        raise click.UsageError("use either --dask (a local cluster) or --scheduler ADDRESS, not both")
    if jsonl:
        if write or output_dir is not None:
            raise click.UsageError("--jsonl writes to standard output; redirect it instead of --write/--output-dir")
        with _dask_mapper(use_dask, scheduler, files.jobs) as mapper:
            restorer = files.settings(paths).restorer()
            status = _fix_records(paths, field_name, restorer, files.jobs, files.quiet, mapper)
        sys.exit(status)
    writing = write or output_dir is not None
    if writing and stdin_only(paths):
        raise click.UsageError("--write and --output-dir need files or folders, not standard input")
    if not writing and any(os.path.isdir(path) for path in paths):
        raise click.UsageError("a folder needs --write (fix in place) or --output-dir DIR (write a copy)")
    settings = files.settings(paths, write=write, output_dir=output_dir, backup=backup, keep_text=not writing)
    out = sys.stdout.buffer

    def emit(report: FileReport) -> None:
        if report.output is not None:
            out.write(report.output)

    with _dask_mapper(use_dask and not stdin_only(paths), scheduler, files.jobs) as mapper:
        summary, failed = process_inputs(
            paths,
            files,
            settings,
            "fixing",
            emit,
            jobs=None if writing else 1,  # to standard output: in order, in this process
            summarize=writing,
            extra_exclude=(f"*{backup}",) if backup else (),  # a later run must not treat backups as articles
            mapper=mapper,
        )
    out.flush()
    if not writing and not files.quiet:
        note_held_back(summary.held_back, summary.guesses)
    sys.exit(EXIT_IO if failed else EXIT_OK)


@contextlib.contextmanager
def _dask_mapper(local: bool, address: str | None, jobs: int | None):  # noqa: ANN202
    """The Dask cluster's ordered map for --dask or --scheduler; None (and no Dask import) otherwise."""
    if not local and not address:
        yield None
        return
    try:
        from untangle.dask import cluster, ordered_map
    except ImportError:
        click.echo("untangle: --dask and --scheduler need Dask: pip install 'untangle[dask]'", err=True)
        sys.exit(EXIT_USAGE)
    from untangle.batch import default_jobs

    try:
        context = cluster(address, jobs or default_jobs())
        client = context.__enter__()
    except (OSError, TimeoutError) as error:
        click.echo(f"untangle: cannot reach the Dask scheduler {address or '(local)'}: {error}", err=True)
        sys.exit(EXIT_IO)
    try:
        yield functools.partial(ordered_map, client)
    finally:
        context.__exit__(None, None, None)


def _fix_records(
    paths: tuple[str, ...],
    field_name: str,
    restorer: Restorer,
    jobs: int | None,
    quiet: bool,
    mapper=None,  # noqa: ANN001 - batch.Mapper
) -> int:
    """Stream JSON Lines from PATHS (or standard input) to standard output, one field repaired."""
    import io

    from untangle.batch import default_jobs, run_records

    status = EXIT_OK
    changed = records = 0
    out = sys.stdout
    for name in paths or (STDIN_NAME,):
        try:
            raw = sys.stdin.buffer if name == STDIN_NAME else open(name, "rb")  # noqa: SIM115
        except OSError as error:
            click.echo(f"untangle: {name}: cannot read ({error.strerror})", err=True)
            status = EXIT_IO
            continue
        label = "<stdin>" if name == STDIN_NAME else name
        with raw:
            lines = io.TextIOWrapper(raw, encoding="utf-8", errors="strict", newline="")
            try:
                outcomes = run_records(lines, field_name, restorer, jobs or default_jobs(), mapper)
                for number, outcome in enumerate(outcomes, 1):
                    records += 1
                    changed += outcome.changed
                    if outcome.error:
                        click.echo(f"untangle: {label}:{number}: {outcome.error}; line passed through", err=True)
                        status = EXIT_IO
                    out.write(outcome.line)
            except UnicodeDecodeError as error:
                click.echo(f"untangle: {label}: not valid UTF-8 ({error.reason}); stopped there", err=True)
                status = EXIT_IO
    out.flush()
    if not quiet:
        click.echo(f"untangle: {records} records, {changed} repaired", err=True)
    return status
