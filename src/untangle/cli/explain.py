"""`untangle explain`: why each suspicious word was read as it was."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from untangle.cli.common import (
    EXIT_CODES_HELP,
    EXIT_IO,
    allow_option,
    config_option,
    dictionary_option,
    fail_on_data_error,
    neural_option,
    no_guesses_option,
    require_neural,
    text_or_json_option,
    threshold_option,
)
from untangle.inputs import STDIN_NAME, InputError, read
from untangle.restorer import Restorer


@click.command(epilog=EXIT_CODES_HELP)
@click.argument("text", required=False)
@click.option("--word", "words", multiple=True, metavar="WORD", help="Also show every occurrence of WORD (repeatable).")
@text_or_json_option("suspicious word")
@threshold_option
@dictionary_option
@allow_option
@neural_option
@no_guesses_option
@config_option
@fail_on_data_error
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
        require_neural()
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
