"""Running the CLI in a fresh interpreter, to see what it imports (start-up tests)."""

from __future__ import annotations

import json
import subprocess
import sys

PROGRAM = """
import json, sys
from click.testing import CliRunner
from untangle.cli import main
args, stdin, tops = json.loads(sys.argv[1])
result = CliRunner().invoke(main, args, input=stdin)
assert result.exit_code == 0, result.output
print(json.dumps(sorted(m for m in sys.modules if m in tops or m.split('.')[0] in tops)))
"""


def modules_loaded(args: list[str], stdin: str, names: list[str]) -> list[str]:
    """Which of `names` (module names, or top-level packages) are imported after `untangle ARGS`
    reads `stdin`, in a new process (this one has imported everything already)."""
    run = subprocess.run(
        [sys.executable, "-c", PROGRAM, json.dumps([args, stdin, names])], capture_output=True, text=True, check=True
    )
    return json.loads(run.stdout)
