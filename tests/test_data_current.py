"""The committed data/ files are exactly what scripts/build_substitutions.py generates.

Needs WordNet 3.0 (Debian wordnet-base) and lemminflect, which only regenerating requires;
where they are missing the test is skipped, and .ci/run installs them so CI always runs it.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "scripts"


def _wordnet_available() -> bool:
    sys.path.insert(0, str(SCRIPTS))
    try:
        from wordnet import find_wordnet_dir

        find_wordnet_dir()
        return True
    except SystemExit:
        return False
    finally:
        sys.path.remove(str(SCRIPTS))


@pytest.mark.skipif(importlib.util.find_spec("lemminflect") is None, reason="lemminflect not installed")
@pytest.mark.skipif(not _wordnet_available(), reason="WordNet 3.0 (wordnet-base) not installed")
def test_committed_dictionary_matches_the_build_script() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPTS / "build_substitutions.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
