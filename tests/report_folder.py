"""A small folder of our own texts for the HTML report's tests: spun, clean, hostile, undecodable."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from own_texts import CLEAN  # noqa: E402 - a helper module next to this one

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

# Spun text that also carries markup a scraped page might hold: it must show as text, never run.
HOSTILE = (
    "Helium said <script>window.pwned = 1; document.title = 'pwned'</script> connected Tuesday that the "
    'metropolis <img src="x" onerror="window.pwned = 2"> would person a quality league astatine noon.\n'
    "Helium told reporters astatine a quality league that the activity was late due to the fact that "
    "immoderate of the alloy had to beryllium replaced.\n"
)
HOSTILE_NAME = "hostile <img src=x onerror=window.pwned=3>.txt"  # a file name is input too


def write_report_folder(folder: Path) -> Path:
    """Fill `folder` with the report's test inputs and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "spun-article.txt").write_text((EXAMPLES / "spun-article.txt").read_text("utf-8"), "utf-8")
    (folder / "clean-article.txt").write_text(CLEAN, "utf-8")
    (folder / HOSTILE_NAME).write_text(HOSTILE, "utf-8")
    nested = folder / "nested"
    nested.mkdir(exist_ok=True)
    (nested / "spun-copy.txt").write_text(HOSTILE.split("\n", 1)[1], "utf-8")
    return folder
