#!/usr/bin/env python3
"""Regenerate docs/report.png, the README's picture of `untangle diff --format html examples/`.

Needs Debian's chromium and chromium-driver, and selenium (the test extra).
Usage: python scripts/report_screenshot.py [--output docs/report.png]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "report.png")
    args = parser.parse_args()
    from chromium import headless_chromium

    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.html"
        with report.open("wb") as out:
            command = [sys.executable, "-m", "untangle.cli", "diff", "--format", "html", "-q", "examples/"]
            subprocess.run(command, stdout=out, check=True, cwd=ROOT)
        driver = headless_chromium(size="1100,1250")
        try:
            driver.get(report.as_uri())
            # show the keyboard tooltip of one doubtful change, as a reader checking it would
            driver.execute_script("document.querySelector('.change.held').focus()")
            args.output.parent.mkdir(parents=True, exist_ok=True)
            driver.save_screenshot(str(args.output))
        finally:
            driver.quit()
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
