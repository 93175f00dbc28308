"""`untangle learn`: a dictionary of a new spinner's swaps from pairs of texts."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from untangle import __version__
from untangle.cli.common import (
    EXIT_CODES_HELP,
    EXIT_IO,
    fail_on_data_error,
)
from untangle.inputs import InputError, read


@click.command(epilog=EXIT_CODES_HELP)
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
@fail_on_data_error
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
