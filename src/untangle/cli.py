"""The `untangle` command: a thin click layer over the library API.

Exit codes: 0 success; 2 usage error; 3 an input could not be read or decoded, or output could
not be written; 4 a dictionary or data file is malformed.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import click

from untangle import __version__
from untangle.batch import CHANGED, FAILED, UNCHANGED, FileReport, Settings, Summary
from untangle.config import Config
from untangle.discovery import Discovery
from untangle.inputs import STDIN_NAME, InputError, read
from untangle.restorer import Restorer
from untangle.result import GUESS, Change

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_IO = 3
EXIT_DATA = 4

ALL_SUGGESTIONS = 0.5  # --all: every suggestion more likely right than wrong

EXIT_CODES_HELP = """\b
Exit codes:
  0  success
  2  usage error (bad option or argument)
  3  an input could not be read or decoded, or output could not be written
  4  a dictionary or data file is malformed"""


def _threshold_option(function):  # noqa: ANN001, ANN201
    return click.option(
        "--min-confidence",
        "threshold",
        type=click.FloatRange(0.5, 1.0),
        default=None,
        metavar="P",
        help="Apply only changes at least this sure (0.5 to 1.0; default 0.7).",
    )(function)


_config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="PATH",
    help="Read settings from PATH instead of the nearest .untangle.toml or pyproject.toml.",
)
_dictionary_option = click.option(
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
_encoding_option = click.option(
    "--encoding",
    metavar="NAME",
    default=None,
    help="Decode input with this codec (default: UTF-8, or what a byte-order mark says).",
)
_markup_option = click.option(
    "--markup",
    type=click.Choice(["auto", "text", "html", "markdown"]),
    default="auto",
    show_default=True,
    help="Input format; auto goes by extension (.html/.htm, .md). Markup and code are never changed.",
)


def _text_or_json_option(what: str):  # noqa: ANN202
    """--format text|json, where json prints one object per `what` on its own line."""
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help=f"json: one object per {what} on its own line, for pipelines.",
    )


_neural_option = click.option(
    "--neural",
    is_flag=True,
    help="Settle what the trigram model leaves open with a neural language model "
    "(Gemma 3 270M; needs: pip install 'untangle[neural]').",
)
_no_guesses_option = click.option(
    "--no-guesses",
    is_flag=True,
    help="Apply only sure changes: no marked best guess where a word is unlikely as written "
    "but no original reaches the threshold (the config's guesses = false).",
)
_allow_option = click.option(
    "--allow",
    multiple=True,
    metavar="WORD",
    help="A word or phrase never to change, such as a name (repeatable; adds to the config's list).",
)


def _fail_on_data_error(function):  # noqa: ANN001, ANN201
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


@click.group(
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=EXIT_CODES_HELP,
)
@click.version_option(__version__, "-V", "--version", prog_name="untangle")
def main() -> None:
    """Restore the original wording of spun text ("astatine the" -> "at the").

    \b
    Examples:
      untangle fix article.txt > restored.txt
      cat article.txt | untangle fix
      untangle diff article.txt
      untangle review article.txt
      untangle check --format json crawl/ > verdicts.jsonl
      untangle learn --pair spun.txt original.txt -o my-spinner.tsv

    `untangle COMMAND --help` describes each command. check exits 1 when an input looks spun;
    review exits 130 when interrupted.
    """


def _file_options(function):  # noqa: ANN001, ANN201
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
        _encoding_option,
        _markup_option,
        click.option(
            "-j",
            "--jobs",
            type=click.IntRange(1, 256),
            default=None,
            metavar="N",
            help="Worker processes for folders and JSON Lines (default: one per core).",
        ),
        click.option("-q", "--quiet", is_flag=True, help="No progress bar, notes or summary; errors only."),
        _threshold_option,
        click.option(
            "--all",
            "apply_all",
            is_flag=True,
            help="Apply every suggestion more likely right than wrong (confidence >= 0.5), not only confident ones.",
        ),
        _dictionary_option,
        click.option(
            "--no-builtin",
            is_flag=True,
            help="Use only the --dictionary files, not the built-in tables (text from another spinner).",
        ),
        _allow_option,
        _neural_option,
        click.option(
            "--no-screen",
            is_flag=True,
            help="Fit every text, even one the quick screen finds too plain to be spun (slower; same output).",
        ),
        _no_guesses_option,
        _config_option,
    ]

    @functools.wraps(function)
    def wrapper(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        shared = {name: kwargs.pop(name) for name in _FileOptions.__dataclass_fields__}
        return function(*args, files=_FileOptions(**shared), **kwargs)

    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper


@dataclass(frozen=True)
class _FileOptions:
    """The options `_file_options` adds, as one value: which files, and how to read and repair them."""

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
            _require_neural()
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


def _require_neural() -> None:
    """A one-line usage error (exit 2) when --neural cannot run, before any file is touched."""
    from untangle.neural import missing

    problem = missing()
    if problem:
        raise click.UsageError(problem)


def _stdin_only(paths: tuple[str, ...]) -> bool:
    return not paths or paths == (STDIN_NAME,)


def _discover(paths: tuple[str, ...], files: _FileOptions, extra_exclude: tuple[str, ...] = ()) -> Discovery:
    from untangle.discovery import discover

    if STDIN_NAME in paths:
        raise click.UsageError("'-' (standard input) cannot be mixed with files")
    config = files.config(paths)
    return discover(paths, config.include, (*config.exclude, *extra_exclude), not files.no_gitignore)


def _run(  # noqa: ANN202
    paths: tuple[str, ...],
    files: _FileOptions,
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

    if _stdin_only(paths):
        report = _stdin_report(settings)
        summary = Summary()
        summary.add(report)
        with Reporter(1, files.quiet, label) as reporter:
            reporter(report)
        on_report(report)
        return summary, report.status == FAILED
    found = _discover(paths, files, extra_exclude)
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


def _stdin_report(settings: Settings) -> FileReport:
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


@main.command(epilog=EXIT_CODES_HELP)
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
@_file_options
@_fail_on_data_error
def fix(
    paths: tuple[str, ...],
    write: bool,
    output_dir: Path | None,
    backup: str | None,
    jsonl: bool,
    field_name: str,
    use_dask: bool,
    scheduler: str | None,
    files: _FileOptions,
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
    if writing and _stdin_only(paths):
        raise click.UsageError("--write and --output-dir need files or folders, not standard input")
    if not writing and any(os.path.isdir(path) for path in paths):
        raise click.UsageError("a folder needs --write (fix in place) or --output-dir DIR (write a copy)")
    settings = files.settings(paths, write=write, output_dir=output_dir, backup=backup, keep_text=not writing)
    out = sys.stdout.buffer

    def emit(report: FileReport) -> None:
        if report.output is not None:
            out.write(report.output)

    with _dask_mapper(use_dask and not _stdin_only(paths), scheduler, files.jobs) as mapper:
        summary, failed = _run(
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
        _note_held_back(summary.held_back, summary.guesses)
    sys.exit(EXIT_IO if failed else EXIT_OK)


def _note_held_back(count: int, guesses: int = 0) -> None:
    if guesses:
        click.echo(
            f"untangle: {guesses} best guess{'es' if guesses != 1 else ''} applied where a word is unlikely as"
            " written (marked {~new~} in `untangle diff`; --no-guesses to leave them)",
            err=True,
        )
    if count:
        click.echo(f"untangle: {count} lower-confidence suggestions held back (see `untangle diff`)", err=True)


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


@main.command(epilog=EXIT_CODES_HELP)
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
@_file_options
@_fail_on_data_error
def diff(paths: tuple[str, ...], output_format: str, color: str, no_held_back: bool, files: _FileOptions) -> None:
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
            page.add_failure(_display_name(report.path), report.message)
        if report.result is None or report.source is None:
            return
        name = _display_name(report.path)
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

    summary, failed = _run(paths, files, settings, "reading", show, summarize=False)
    if page is not None:
        out.write(page.render())
    out.flush()
    if not files.quiet:
        click.echo(render.summary(summary.changes, summary.scanned, summary.held_back, summary.guesses), err=True)
    sys.exit(EXIT_IO if failed else EXIT_OK)


def _display_name(path: str) -> str:
    """A path as diffs show it: relative to here when it is below here, so patches apply."""
    if path == STDIN_NAME:
        return "<stdin>"
    try:
        relative = Path(path).resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path
    return relative.as_posix()


EXIT_SPUN = 1
CHECK_EXIT_HELP = """\b
Exit codes:
  0  no input looks spun
  1  at least one input looks spun
  2  usage error
  3  an input could not be read or decoded
  4  a dictionary or data file is malformed"""


@main.command(epilog=CHECK_EXIT_HELP)
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
@_text_or_json_option("input")
@_file_options
@_fail_on_data_error
def check(paths: tuple[str, ...], spun_threshold: float, output_format: str, files: _FileOptions) -> None:
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

    summary, failed = _run(paths, files, files.settings(paths, keep_text=True), "checking", judge, summarize=False)
    if not files.quiet and output_format == "text" and not _stdin_only(paths):
        click.echo(f"untangle: {summary.scanned} checked, {spun_count} spun", err=True)
    if failed:
        sys.exit(EXIT_IO)
    sys.exit(EXIT_SPUN if spun_count else EXIT_OK)


@main.command(epilog=EXIT_CODES_HELP)
@click.argument("path", type=click.Path(dir_okay=False))
@_threshold_option
@click.option(
    "--all", "apply_all", is_flag=True, help="Also review suggestions below the threshold (confidence >= 0.5)."
)
@_dictionary_option
@_allow_option
@_neural_option
@_no_guesses_option
@_config_option
@_encoding_option
@_markup_option
@_fail_on_data_error
def review(
    path: str,
    threshold: float | None,
    apply_all: bool,
    dictionaries: tuple[str, ...],
    allow: tuple[str, ...],
    neural: bool,
    no_guesses: bool,
    config_path: Path | None,
    encoding: str | None,
    markup: str,
) -> None:
    """Go through the changes to PATH one by one, then write the accepted ones.

    Each change is shown in its line with its confidence and reason. Keys: y accept, n reject,
    e edit the replacement, a accept this and all the rest, i reject and add the word to the
    allow list of the configuration (or a new .untangle.toml), q quit (write what was accepted
    so far), ? help. The file is written once, atomically, at the end; Ctrl-C writes nothing.

    \b
    Example:
      untangle review article.txt
    """
    from untangle import render
    from untangle.config import add_allowed
    from untangle.result import apply_changes
    from untangle.review import review as run_review
    from untangle.safe_write import WriteError, atomic_write

    files = _FileOptions(
        include=(),
        exclude=(),
        no_gitignore=False,
        encoding=encoding,
        markup=markup,
        jobs=None,
        quiet=False,
        threshold=threshold,
        apply_all=apply_all,
        dictionaries=dictionaries,
        no_builtin=False,
        allow=allow,
        neural=neural,
        no_screen=False,
        no_guesses=no_guesses,
        config_path=config_path,
    )
    settings = files.settings((path,))
    try:
        document = read(path, settings.encoding)
    except InputError as error:
        click.echo(f"untangle: {error}", err=True)
        sys.exit(EXIT_IO)
    result = settings.restorer(path).restore(document.text)
    changes = list(result.changes)
    if not changes:
        click.echo(f"untangle: {path}: nothing to change", err=True)
        sys.exit(EXIT_OK)
    interactive = sys.stdin.isatty()
    colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")

    def show(change: Change, index: int, total: int) -> None:
        line = document.text.count("\n", 0, change.start) + 1
        tier = "  GUESS" if change.tier == GUESS else ""
        click.echo(f"\n[{index}/{total}] {path}:{line}  {change.confidence:.0%}{tier}  {change.reason}")
        marked = render.in_sentence(document.text, change)
        if colour:
            marked = marked.replace("[-", "\x1b[31;9m").replace("-]{+", "\x1b[0m \x1b[1;32m").replace("+}", "\x1b[0m")
        click.echo(f"  {marked}")

    def ask(prompt: str) -> str:
        click.echo(prompt, nl=False)
        if interactive:
            key = click.getchar()
            click.echo(key)
            return key
        answer = sys.stdin.readline()
        if not answer:
            return "q"  # end of input: stop, keep what was decided
        return answer.strip()[:1]

    def edit(change: Change) -> str:
        return click.prompt("Replacement", default=change.new)

    try:
        outcome = run_review(changes, show, ask, edit, click.echo)
    except (KeyboardInterrupt, click.Abort):
        click.echo(f"\nuntangle: review interrupted; {path} left unchanged", err=True)
        sys.exit(130)
    if outcome.allowed:
        from untangle.config import find

        # The configuration in use, else a new .untangle.toml here (or beside a file outside here).
        target = files.config_path or find(Path(path))
        here = Path.cwd()
        folder = here if Path(path).resolve().is_relative_to(here.resolve()) else Path(path).parent
        for word in outcome.allowed:
            written = add_allowed(word, target, folder)
            target = written
            click.echo(f"untangle: {word!r} added to the allow list in {written}", err=True)
    if outcome.accepted:
        repaired = apply_changes(document.text, outcome.accepted)
        try:
            atomic_write(Path(path).resolve(), document.encoding.encode(repaired))
        except (WriteError, OSError) as error:
            click.echo(f"untangle: {error}", err=True)
            sys.exit(EXIT_IO)
    click.echo(
        f"untangle: {path}: {len(outcome.accepted)} accepted, {len(outcome.rejected)} rejected"
        + (f", {len(outcome.unreviewed)} not reviewed" if outcome.unreviewed else "")
        + ("" if outcome.accepted else "; file unchanged"),
        err=True,
    )


@main.command(epilog=EXIT_CODES_HELP)
@click.argument("text", required=False)
@click.option("--word", "words", multiple=True, metavar="WORD", help="Also show every occurrence of WORD (repeatable).")
@_text_or_json_option("suspicious word")
@_threshold_option
@_dictionary_option
@_allow_option
@_neural_option
@_no_guesses_option
@_config_option
@_fail_on_data_error
def explain(
    text: str | None,
    words: tuple[str, ...],
    output_format: str,
    threshold: float | None,
    dictionaries: tuple[str, ...],
    allow: tuple[str, ...],
    neural: bool,
    no_guesses: bool,
    config_path: Path | None,
) -> None:
    """Show why untangle changes each suspicious word of TEXT (or standard input), or does not.

    For every word with a listed original that has at least a 5% chance: the probability that
    its paragraph is spun, each candidate original with its relation, prior and probability,
    the chance of an original untangle does not list, the chance it is as written, and the
    decision `fix` takes with the same settings.

    \b
    Examples:
      untangle explain "Helium said astatine the meeting."
      untangle explain --word present < article.txt
    """
    import json

    from untangle.config import resolve
    from untangle.explain import explain as explain_text

    if text is None:
        try:
            text = read(STDIN_NAME, None).text
        except InputError as error:
            click.echo(f"untangle: {error}", err=True)
            sys.exit(EXIT_IO)
    config = resolve(config_path).with_options(
        threshold, False, dictionaries, allow, neural=neural, no_guesses=no_guesses
    )
    if config.neural:
        _require_neural()
    restorer = Restorer(
        config.min_confidence,
        config.dictionaries,
        config.allow,
        builtin=config.builtin,
        neural=config.neural,
        guesses=config.guesses,
    )
    suspects = explain_text(text, restorer, frozenset(word.lower() for word in words))
    for suspect in suspects:
        if output_format == "json":
            click.echo(json.dumps(suspect.as_dict(), ensure_ascii=False))
            continue
        family = "" if suspect.family == "builtin" else f"; {suspect.family} family"
        click.echo(
            f"{suspect.line}:{suspect.column}: {suspect.word!r}  (paragraph spun: {suspect.paragraph_spun:.2f};"
            f" read at spin level {suspect.spin_level:.2f}, {suspect.reading}{family})"
        )
        for reading in suspect.readings:
            prior = f"prior {reading.prior:<6.3f}"
            scores = ""
            if reading.neural is not None and reading.trigram is not None:
                scores = (
                    f"  ({reading.scorer} {reading.neural:+.1f}, trigram {reading.trigram:+.1f} nats vs as written)"
                )
            click.echo(f"    {reading.original:<24} {reading.relation:<9} {prior} p={reading.probability:.2f}{scores}")
        click.echo(f"    {'(an unlisted original)':<24} {'':<9} {'':<12} p={suspect.unlisted:.2f}")
        click.echo(f"    {'(as written)':<24} {'':<9} {'':<12} p={suspect.as_written:.2f}")
        click.echo(f"    -> {suspect.decision}")
    if output_format == "text" and not suspects:
        click.echo("nothing suspicious: no word has a likely original", err=True)


@main.command(epilog=EXIT_CODES_HELP)
@click.option(
    "--pair",
    "pairs",
    nargs=2,
    multiple=True,
    type=click.Path(exists=False, dir_okay=False),
    metavar="SPUN ORIGINAL",
    help="A spun text and the original it was made from (repeatable).",
)
@click.option(
    "--corpus",
    type=click.Path(file_okay=False),
    default=None,
    metavar="DIR",
    help="Propose substitutions from spun text alone: every prose file under DIR.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="TSV",
    help="Write the dictionary here (atomically); default: standard output.",
)
@click.option("--no-inflections", is_flag=True, help="Do not add the other inflections of learned words.")
@click.option(
    "--limit", type=click.IntRange(1, 10_000), default=50, show_default=True, help="With --corpus: proposals kept."
)
@_fail_on_data_error
def learn(
    pairs: tuple[tuple[str, str], ...], corpus: str | None, output: Path | None, no_inflections: bool, limit: int
) -> None:
    """Learn a spinner's substitutions and write a user dictionary for --dictionary.

    With --pair: aligns each spun text with its original word by word and keeps every swap of
    up to four words a side (inserted or deleted text, numbers and rewritten sentences are
    edits, not swaps), with the other inflections of learned words. With --corpus: proposes
    words the corpus uses far more often than English does and whose contexts read better with
    a common relative; review them before use. A table of what was learned goes to stderr.

    \b
    Examples:
      untangle learn --pair spun.txt original.txt -o my-spinner.tsv
      untangle fix --dictionary my-spinner.tsv --no-builtin other-spun.txt
      untangle learn --corpus crawl/ -o proposals.tsv
    """
    from untangle import learn as learning
    from untangle.safe_write import WriteError, atomic_write

    if bool(pairs) == bool(corpus):
        raise click.UsageError("give --pair SPUN ORIGINAL (repeatable) or --corpus DIR")
    texts: dict[str, str] = {}
    names = [name for pair in pairs for name in pair]
    if corpus:
        from untangle.discovery import discover

        names = [str(found.path) for found in discover([corpus]).files]
        if not names:
            raise click.UsageError(f"no prose files under {corpus}")
    for name in names:
        try:
            texts[name] = read(name).text
        except InputError as error:
            click.echo(f"untangle: {error}", err=True)
            sys.exit(EXIT_IO)
    if pairs:
        entries = learning.learn_from_pairs(
            [(texts[spun], texts[original]) for spun, original in pairs], inflect=not no_inflections
        )
        header = f"learned by untangle {__version__} from {len(pairs)} spun/original pair(s)"
        rows = [(e.spun, e.original, e.relation, str(e.count), f"{e.prior:.2f}") for e in entries]
        columns = ("spun", "original", "relation", "seen", "prior")
    else:
        entries = learning.propose_from_corpus(texts.values(), limit=limit)
        header = f"proposed by untangle {__version__} from {len(texts)} file(s) under {corpus}; review before use"
        rows = [
            (p.spun, p.original, f"{p.score:.1f}", str(p.count), f"{p.overuse:.1f}", f"{p.context_gain:.1f}")
            for p in entries
        ]
        columns = ("spun", "original", "score", "count", "overuse", "context")
    tsv = learning.write_tsv(entries, header)
    if output is None:
        sys.stdout.write(tsv)
    else:
        try:
            atomic_write(output.resolve(), tsv.encode("utf-8"), mode=None if output.exists() else 0o644)
        except (WriteError, OSError) as error:
            click.echo(f"untangle: {error}", err=True)
            sys.exit(EXIT_IO)
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(rows)} substitutions" + (f" -> {output}" if output else ""), title_justify="left")
    for column in columns:
        table.add_column(column)
    for row in rows[:25]:
        table.add_row(*row)
    Console(stderr=True, highlight=False).print(table)
    if len(rows) > 25:
        click.echo(f"... and {len(rows) - 25} more", err=True)


@main.command("config", epilog=EXIT_CODES_HELP)
@click.argument("path", required=False, type=click.Path())
@_config_option
@_fail_on_data_error
def show_config(path: str | None, config_path: Path | None) -> None:
    """Print the settings in effect for PATH (default: here) and where each comes from.

    untangle reads the nearest .untangle.toml, or pyproject.toml with a [tool.untangle] table,
    searching upward from PATH and stopping at the top of a repository.

    \b
    Example .untangle.toml:
      min-confidence = 0.8
      dictionaries = ["my-spinner.tsv"]
      allow = ["helium", "present"]
      exclude = ["drafts/"]
    """
    import json

    from untangle.config import KEYS, resolve

    config = resolve(config_path, Path(path) if path else None)
    click.echo(f"# configuration file: {config.path or '(none found; defaults)'}")
    for key in KEYS:
        value = getattr(config, key.replace("-", "_"))
        shown = (
            "0.7 (engine default)" if value is None else json.dumps(list(value) if isinstance(value, tuple) else value)
        )
        click.echo(f"{key} = {shown}  # {config.source(key)}")


if __name__ == "__main__":
    main()
