"""`untangle review`: accept or reject each change interactively."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from untangle.cli.common import (
    EXIT_CODES_HELP,
    EXIT_IO,
    EXIT_OK,
    FileOptions,
    allow_option,
    config_option,
    dictionary_option,
    encoding_option,
    fail_on_data_error,
    markup_option,
    neural_option,
    no_guesses_option,
    threshold_option,
)
from untangle.inputs import InputError, read
from untangle.result import GUESS, Change


@click.command(epilog=EXIT_CODES_HELP)
@click.argument("path", type=click.Path(dir_okay=False))
@threshold_option
@click.option(
    "--all", "apply_all", is_flag=True, help="Also review suggestions below the threshold (confidence >= 0.5)."
)
@dictionary_option
@allow_option
@neural_option
@no_guesses_option
@config_option
@encoding_option
@markup_option
@fail_on_data_error
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

    files = FileOptions(
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
