"""The committed data/ files are exactly what scripts/build_substitutions.py generates.

Needs WordNet 3.0 (Debian wordnet-base), LibreOffice's thesaurus (Debian mythes-en-us) and
lemminflect, which only regenerating requires;
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


def _sources_available() -> bool:
    sys.path.insert(0, str(SCRIPTS))
    try:
        from thesaurus import find_thesaurus
        from wordnet import find_wordnet_dir

        find_wordnet_dir()
        find_thesaurus()
        return True
    except SystemExit:
        return False
    finally:
        sys.path.remove(str(SCRIPTS))


@pytest.mark.skipif(importlib.util.find_spec("lemminflect") is None, reason="lemminflect not installed")
@pytest.mark.skipif(not _sources_available(), reason="wordnet-base or mythes-en-us not installed")
def test_committed_dictionary_matches_the_build_script() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPTS / "build_substitutions.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr


# A thesaurus in LibreOffice's format, written for this test: "have" offers no plain synonym in
# its first meaning, so a spinner takes the first generic term there; "soon" offers a synonym.
TINY_THESAURUS = """UTF-8
have|2
(noun)|rich person|wealthy person|person (generic term)|individual (generic term)
(verb)|hold|own|get (related term)
soon|1
(adv)|shortly|presently|before long|late (antonym)
"""


@pytest.mark.skipif(importlib.util.find_spec("lemminflect") is None, reason="lemminflect not installed")
def test_the_thesaurus_reads_as_synsets_and_gives_the_spinners_first_pick(tmp_path: Path) -> None:
    path = tmp_path / "th_tiny.dat"
    path.write_text(TINY_THESAURUS, encoding="utf-8")
    sys.path.insert(0, str(SCRIPTS))
    try:
        from build_substitutions import first_choice, relatives
        from thesaurus import Thesaurus

        thesaurus = Thesaurus(path)
        noun, verb = thesaurus.synsets_of("have")
        assert noun.lemmas == ["have", "rich person", "wealthy person"] and verb.lemmas == ["have", "hold", "own"]
        assert [thesaurus.synsets[target].lemmas for _, target in noun.pointers] == [["person"], ["individual"]]
        assert first_choice(thesaurus, "have")[0] == ("person", "hypernym")
        assert first_choice(thesaurus, "soon")[0] == ("shortly", "synonym")
        found = relatives(thesaurus, "soon")
        assert "late" not in found and found["presently"][0] == "synonym"  # an antonym is no synonym
    finally:
        sys.path.remove(str(SCRIPTS))
