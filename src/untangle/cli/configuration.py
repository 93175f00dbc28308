"""`untangle config`: the settings in effect and where each comes from."""

from __future__ import annotations

from pathlib import Path

import click

from untangle.cli.common import (
    EXIT_CODES_HELP,
    config_option,
    fail_on_data_error,
)


@click.command("config", epilog=EXIT_CODES_HELP)
@click.argument("path", required=False, type=click.Path())
@config_option
@fail_on_data_error
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
