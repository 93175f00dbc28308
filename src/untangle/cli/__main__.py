"""python -m untangle.cli: the same as the `untangle` command."""

from untangle.cli import run

run()
