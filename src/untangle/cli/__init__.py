"""The `untangle` command: a thin click layer over the library API, one module per command.

Exit codes: 0 success; 2 usage error; 3 an input could not be read or decoded, or output could
not be written; 4 a dictionary or data file is malformed. A command's module is imported only
when it runs (or when --help lists them), so `untangle fix` loads nothing the others need.
"""

from __future__ import annotations

import gc
import importlib

import click

from untangle import __version__

# The command's name -> its module in this package, and the click command's name there.
COMMANDS = {
    "check": ("check", "check"),
    "config": ("configuration", "show_config"),
    "diff": ("diff", "diff"),
    "explain": ("explain", "explain"),
    "fix": ("fix", "fix"),
    "learn": ("learn", "learn"),
    "review": ("review", "review"),
}

EXIT_CODES_HELP = """\b
Exit codes:
  0  success
  2  usage error (bad option or argument)
  3  an input could not be read or decoded, or output could not be written
  4  a dictionary or data file is malformed"""


class _Commands(click.Group):
    """A group whose commands are imported when asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        found = COMMANDS.get(name)
        if found is None:
            return None
        module, attribute = found
        return getattr(importlib.import_module(f"untangle.cli.{module}"), attribute)


@click.group(
    cls=_Commands,
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


def run() -> None:
    """The `untangle` command as a process runs it: `main`, after moving everything start-up
    imported out of the cyclic collector's reach (gc.freeze). Those objects live until exit, yet
    each of the collector's passes, and its last one at exit, scanned them all again: a tenth of
    a one-line run. Tests and other callers use `main`, which leaves their collector alone."""
    gc.freeze()
    main()
