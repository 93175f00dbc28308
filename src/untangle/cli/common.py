"""What the commands share: exit codes, option decorators, reading files or standard input
and running them through the batch runner with progress."""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path
from typing import NamedTuple

import click

from untangle.batch import CHANGED, FAILED, UNCHANGED, FileReport, Settings, Summary
from untangle.cli import EXIT_CODES_HELP  # noqa: F401 - the commands' shared epilog, re-exported
from untangle.config import Config
from untangle.discovery import Discovery
from untangle.inputs import STDIN_NAME, InputError, read

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_IO = 3
EXIT_DATA = 4

ALL_SUGGESTIONS = 0.5  # --all: every suggestion more likely right than wrong


def threshold_option(function):  # noqa: ANN001, ANN201
    return click.option(
        "--min-confidence",
        "threshold",
        type=click.FloatRange(0.5, 1.0),
        default=None,
        metavar="P",
        help="Apply only changes at least this sure (0.5 to 1.0; default 0.7).",
    )(function)


config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="PATH",
    help="Read settings from PATH instead of the nearest .untangle.toml or pyproject.toml.",
)
dictionary_option = click.option(
    "--dictionary",
    "dictionaries",
    multiple=True,
    type=click.Path(dir_okay=False),
    metavar="TSV",
    help=(
        "A user dictionary in the built-in TSV format, fitted as its own spinner family after the "
        "built-in tables; a row for a built-in pair overrides it (repeatable)."
    ),
)
encoding_option = click.option(
    "--encoding",
    metavar="NAME",
    default=None,
    help="Decode input with this codec (default: UTF-8, or what a byte-order mark says).",
)
markup_option = click.option(
    "--markup",
    type=click.Choice(["auto", "text", "html", "markdown"]),
    default="auto",
    show_default=True,
    help="Input format; auto goes by extension (.html/.htm, .md). Markup and code are never changed.",
)


def text_or_json_option(what: str):  # noqa: ANN202
    """--format text|json, where json prints one object per `what` on its own line."""
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help=f"json: one object per {what} on its own line, for pipelines.",
    )


neural_option = click.option(
    "--neural",
    is_flag=True,
    help="Settle what the trigram model leaves open with a neural language model "
    "(Gemma 3 270M; needs: pip install 'untangle[neural]').",
)
no_guesses_option = click.option(
    "--no-guesses",
    is_flag=True,
    help="Apply only sure changes: no marked best guess where a word is unlikely as written "
    "but no original reaches the threshold (the config's guesses = false).",
)
allow_option = click.option(
    "--allow",
    multiple=True,
    metavar="WORD",
    help="A word or phrase never to change, such as a name (repeatable; adds to the config's list).",
)


def fail_on_data_error(function):  # noqa: ANN001, ANN201
    """Turn a malformed dictionary into a one-line error and exit code 4."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        from untangle.config import ConfigError
        from untangle.dictionary import DictionaryError

        try:
            return function(*args, **kwargs)
        except DictionaryError as error:
            click.echo(f"untangle: {error}", err=True)
            sys.exit(EXIT_DATA)
        except ConfigError as error:
            click.echo(f"untangle: {error}", err=True)
            sys.exit(EXIT_USAGE)
        except BrokenPipeError:
            # The reader went away (e.g. `| head`); that is not our error to report.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(EXIT_IO)

    return wrapper


def file_options(function):  # noqa: ANN001, ANN201
    """Options every command that reads files shares: which files, how to decode and parse them."""
    options = [
        click.option(
            "--include",
            multiple=True,
            metavar="GLOB",
            help="In folders, take only files matching GLOB (.gitignore syntax; repeatable).",
        ),
        click.option(
            "--exclude", multiple=True, metavar="GLOB", help="In folders, skip what matches GLOB (repeatable)."
        ),
        click.option("--no-gitignore", is_flag=True, help="Do not skip what .gitignore files exclude."),
        encoding_option,
        markup_option,
        click.option(
            "-j",
            "--jobs",
            type=click.IntRange(1, 256),
            default=None,
            metavar="N",
            help="Worker processes for folders and JSON Lines (default: one per core).",
        ),
        click.option("-q", "--quiet", is_flag=True, help="No progress bar, notes or summary; errors only."),
        threshold_option,
        click.option(
            "--all",
            "apply_all",
            is_flag=True,
            help="Apply every suggestion more likely right than wrong (confidence >= 0.5), not only confident ones.",
        ),
        dictionary_option,
        click.option(
            "--no-builtin",
            is_flag=True,
            help="Use only the --dictionary files, not the built-in tables (text from another spinner).",
        ),
        allow_option,
        neural_option,
        click.option(
            "--no-screen",
            is_flag=True,
            help=(
                "Fit every text in full, even one the quick screen or the fit's first look finds "
                "too plain to be spun (slower; same output)."
            ),
        ),
        no_guesses_option,
        config_option,
    ]

    @functools.wraps(function)
    def wrapper(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        shared = {name: kwargs.pop(name) for name in FileOptions._fields}
        return function(*args, files=FileOptions(**shared), **kwargs)

    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper


class FileOptions(NamedTuple):
    """The options `file_options` adds, as one value: which files, and how to read and repair them.
    (A named tuple: a frozen dataclass costs every command's start-up ten times as much.)"""

    include: tuple[str, ...]
    exclude: tuple[str, ...]
    no_gitignore: bool
    encoding: str | None
    markup: str
    jobs: int | None
    quiet: bool
    threshold: float | None
    apply_all: bool
    dictionaries: tuple[str, ...]
    no_builtin: bool
    allow: tuple[str, ...]
    neural: bool
    no_screen: bool
    no_guesses: bool
    config_path: Path | None

    def config(self, paths: tuple[str, ...] = ()) -> Config:
        """The configuration file's settings (found from the first path, or here) with these options applied."""
        from untangle.config import resolve

        start = Path(paths[0]) if paths and paths[0] != STDIN_NAME else None
        if self.apply_all and self.threshold is not None:
            raise click.UsageError("use either --all or --min-confidence, not both")
        return resolve(self.config_path, start).with_options(
            self.threshold,
            self.no_builtin,
            self.dictionaries,
            self.allow,
            self.include,
            self.exclude,
            self.neural,
            self.no_screen,
            self.no_guesses,
        )

    def settings(self, paths: tuple[str, ...] = (), **extra: object) -> Settings:
        """Batch settings from these options, the configuration and the command's own (`extra`)."""
        if self.encoding is not None:
            from untangle.encodings import text_codec

            try:
                text_codec(self.encoding)
            except LookupError:
                raise click.BadParameter(f"unknown text encoding {self.encoding!r}", param_hint="--encoding") from None
        from untangle.dictionary import load_entries

        config = self.config(paths)
        for path in config.dictionaries:
            load_entries(path)  # a malformed dictionary fails here, once, with file:line
        if not config.builtin and not config.dictionaries:
            raise click.UsageError("--no-builtin (or builtin = false) needs at least one --dictionary")
        if config.neural:
            require_neural()
        markup = None if self.markup == "auto" else self.markup
        threshold = ALL_SUGGESTIONS if self.apply_all else config.min_confidence
        return Settings(
            threshold=threshold,
            markup=markup,
            encoding=self.encoding,
            dictionaries=config.dictionaries,
            builtin=config.builtin,
            allow=config.allow,
            neural=config.neural,
            screen=config.screen,
            guesses=config.guesses,
            **extra,
        )


def require_neural() -> None:
    """A one-line usage error (exit 2) when --neural cannot run, before any file is touched."""
    from untangle.neural import missing

    problem = missing()
    if problem:
        raise click.UsageError(problem)


def stdin_only(paths: tuple[str, ...]) -> bool:
    return not paths or paths == (STDIN_NAME,)


def discover_files(paths: tuple[str, ...], files: FileOptions, extra_exclude: tuple[str, ...] = ()) -> Discovery:
    from untangle.discovery import discover

    if STDIN_NAME in paths:
        raise click.UsageError("'-' (standard input) cannot be mixed with files")
    config = files.config(paths)
    return discover(paths, config.include, (*config.exclude, *extra_exclude), not files.no_gitignore)


def process_inputs(  # noqa: ANN202
    paths: tuple[str, ...],
    files: FileOptions,
    settings: Settings,
    label: str,
    on_report,  # noqa: ANN001
    jobs: int | None = None,
    summarize: bool = True,
    extra_exclude: tuple[str, ...] = (),
    mapper=None,  # noqa: ANN001 - batch.Mapper: run the files on a Dask cluster
):
    """Process standard input, or discover and process files; report as they finish, in order.

    Returns the summary and whether anything failed (a missing path, an unreadable file).
    """
    from untangle.batch import default_jobs, run
    from untangle.progress import Reporter
    from untangle.safe_write import remove_stale_temps

    if stdin_only(paths):
        report = stdin_report(settings)
        summary = Summary()
        summary.add(report)
        with Reporter(1, files.quiet, label) as reporter:
            reporter(report)
        on_report(report)
        return summary, report.status == FAILED
    found = discover_files(paths, files, extra_exclude)
    with Reporter(len(found.files), files.quiet, label) as reporter:
        for path in found.missing:
            reporter.say(f"untangle: {path}: no such file", always=True)
        for skipped in found.skipped:
            reporter.say(f"untangle: note: {skipped.path}: skipped ({skipped.reason})")
        if settings.write or settings.output_dir is not None:
            folders = set(found.folders) | ({settings.output_dir} if settings.output_dir else set())
            for folder in sorted(folders):
                for stale in remove_stale_temps(folder):
                    reporter.say(f"untangle: note: removed {stale}, left by an interrupted run")

        def handle(report: FileReport) -> None:
            reporter(report)
            on_report(report)

        # The neural scorer uses every core for itself and ~0.7 GB per process: one worker unless asked.
        workers = jobs or files.jobs or (1 if settings.neural else default_jobs())
        summary = run(found.files, settings, workers, handle, mapper)
        if summarize:
            reporter.finish(summary)
    return summary, bool(found.missing) or summary.failed > 0


def stdin_report(settings: Settings) -> FileReport:
    """Standard input processed like a file."""
    from untangle.batch import restore_file_text

    try:
        document = read(STDIN_NAME, settings.encoding)
    except InputError as error:
        return FileReport(STDIN_NAME, FAILED, str(error))
    result = restore_file_text(document.text, "", settings)
    status = CHANGED if result.changes else UNCHANGED
    output = document.encoding.encode(result.text)
    return FileReport(STDIN_NAME, status, result=result, source=document.text, output=output)


def note_held_back(count: int, guesses: int = 0) -> None:
    if guesses:
        click.echo(
            f"untangle: {guesses} best guess{'es' if guesses != 1 else ''} applied where a word is unlikely as"
            " written (marked {~new~} in `untangle diff`; --no-guesses to leave them)",
            err=True,
        )
    if count:
        click.echo(f"untangle: {count} lower-confidence suggestions held back (see `untangle diff`)", err=True)


def display_name(path: str) -> str:
    """A path as diffs show it: relative to here when it is below here, so patches apply."""
    if path == STDIN_NAME:
        return "<stdin>"
    try:
        relative = Path(path).resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path
    return relative.as_posix()
