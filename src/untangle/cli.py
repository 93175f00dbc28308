"""The `untangle` command: a thin click layer over the library API.

Exit codes: 0 success; 2 usage error; 3 an input could not be read or decoded, or output could
not be written; 4 a dictionary or data file is malformed.
"""

from __future__ import annotations

import os
import sys

import click

from untangle import __version__
from untangle.inputs import STDIN_NAME, Document, InputError, read

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_IO = 3
EXIT_DATA = 4

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


def _documents(files: tuple[str, ...]) -> tuple[list[Document], list[str]]:
    """Read every input; collect one-line errors instead of stopping at the first."""
    documents, errors = [], []
    for name in files or (STDIN_NAME,):
        try:
            documents.append(read(name))
        except InputError as error:
            errors.append(str(error))
    return documents, errors


def _restore(text: str, threshold: float | None):  # noqa: ANN202
    from untangle import restore

    return restore(text, threshold=threshold)


def _fail_on_data_error(function):  # noqa: ANN001, ANN201
    """Turn a malformed dictionary into a one-line error and exit code 4."""
    import functools

    @functools.wraps(function)
    def wrapper(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        from untangle.dictionary import DictionaryError

        try:
            return function(*args, **kwargs)
        except DictionaryError as error:
            click.echo(f"untangle: {error}", err=True)
            sys.exit(EXIT_DATA)
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
    """


@main.command(epilog=EXIT_CODES_HELP)
@click.argument("files", nargs=-1, type=click.Path(dir_okay=True, allow_dash=True))
@_threshold_option
@_fail_on_data_error
def fix(files: tuple[str, ...], threshold: float | None) -> None:
    """Write the repaired text of FILES (or standard input) to standard output.

    Only repaired words differ from the input: spacing, punctuation, line endings and case are
    kept. With no FILES, or with -, reads standard input. Diagnostics go to standard error.

    \b
    Examples:
      untangle fix article.txt > restored.txt
      curl -s https://example.org/a.txt | untangle fix -
      untangle fix --min-confidence 0.9 article.txt
    """
    documents, errors = _documents(files)
    out = sys.stdout.buffer
    total = held = 0
    for document in documents:
        result = _restore(document.text, threshold)
        total += len(result.changes)
        held += len(result.held_back)
        out.write(result.text.encode("utf-8"))
    out.flush()
    for error in errors:
        click.echo(f"untangle: {error}", err=True)
    if held:
        click.echo(f"untangle: {held} lower-confidence suggestions held back (see `untangle diff`)", err=True)
    sys.exit(EXIT_IO if errors else EXIT_OK)


@main.command(epilog=EXIT_CODES_HELP)
@click.argument("files", nargs=-1, type=click.Path(dir_okay=True, allow_dash=True))
@_threshold_option
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour the view; auto colours on a terminal unless NO_COLOR is set.",
)
@_fail_on_data_error
def diff(files: tuple[str, ...], threshold: float | None, color: str) -> None:
    """Show every change untangle would make to FILES (or standard input).

    On a terminal: each changed line with old words struck out in red and new ones in green,
    and under it why each change was made and how sure untangle is. When piped: one line per
    changed line, as NAME:LINE: text with [-old-]{+new+} markup. A summary line goes to stderr.

    \b
    Examples:
      untangle diff article.txt
      untangle diff article.txt | less -R
      untangle diff --color never article.txt > review.txt
    """
    from untangle import render

    documents, errors = _documents(files)
    use_color = color == "always" or (color == "auto" and sys.stdout.isatty() and not os.environ.get("NO_COLOR"))
    console = None
    if use_color:
        from rich.console import Console

        console = Console(force_terminal=True, highlight=False)
    out = sys.stdout
    total = held = 0
    for document in documents:
        result = _restore(document.text, threshold)
        total += len(result.changes)
        held += len(result.held_back)
        name = "<stdin>" if document.name == STDIN_NAME else document.name
        if console is not None:
            render.rich_view(console, name, document.text, result.changes)
        else:
            out.write(render.plain(name, document.text, result.changes))
    out.flush()
    for error in errors:
        click.echo(f"untangle: {error}", err=True)
    click.echo(render.summary(total, len(documents), held), err=True)
    sys.exit(EXIT_IO if errors else EXIT_OK)


if __name__ == "__main__":
    main()
