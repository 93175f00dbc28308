"""Configuration: `.untangle.toml` or `[tool.untangle]` in pyproject.toml, found by searching upward.

Keys (all optional):
    min-confidence = 0.8              # confidence a change needs (0.5 to 1.0)
    builtin = false                   # use only the user dictionaries (another spinner family)
    neural = true                     # settle open decisions with the neural scorer (the neural extra)
    screen = false                    # fit every text, even one the quick screen would clear
    guesses = false                   # apply only sure changes, no best guesses for unlikely words
    dictionaries = ["spinner.tsv"]    # user dictionaries, relative to the config file
    allow = ["helium", "quality league"]   # words and phrases never to change
    include = ["*.txt"]               # folder runs: take only these (.gitignore syntax)
    exclude = ["drafts/"]             # folder runs: skip these

Command-line options win over the file; `--dictionary`, `--allow`, `--include` and `--exclude`
add to the file's lists. Every value remembers where it came from, for `untangle config`.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CONFIG_NAME = ".untangle.toml"
PYPROJECT = "pyproject.toml"
DEFAULT = "default"
LIST_KEYS = ("dictionaries", "allow", "include", "exclude")
KEYS = ("min-confidence", "builtin", "neural", "screen", "guesses", *LIST_KEYS)


class ConfigError(ValueError):
    """A configuration file that cannot be used; the message names the file."""


@dataclass(frozen=True)
class Config:
    """Effective settings and, for each key, where its value came from."""

    path: Path | None = None  # the file read, if any
    min_confidence: float | None = None
    builtin: bool = True  # use the built-in dictionary (false: only the user dictionaries)
    neural: bool = False  # settle what the trigram leaves open with the neural scorer
    screen: bool = True  # clear documents the screen finds too plain to be spun, without a fit
    guesses: bool = True  # apply a marked best guess where a word is unlikely as written
    dictionaries: tuple[str, ...] = ()  # absolute paths
    allow: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    sources: dict[str, str] = field(default_factory=dict)

    def source(self, key: str) -> str:
        return self.sources.get(key, DEFAULT)

    def with_options(
        self,
        min_confidence: float | None = None,
        no_builtin: bool = False,
        dictionaries: tuple[str, ...] = (),
        allow: tuple[str, ...] = (),
        include: tuple[str, ...] = (),
        exclude: tuple[str, ...] = (),
        neural: bool = False,
        no_screen: bool = False,
        no_guesses: bool = False,
    ) -> Config:
        """These settings with command-line options applied: a scalar replaces, a list extends."""
        sources = dict(self.sources)
        values: dict[str, Any] = {
            "min_confidence": self.min_confidence,
            "builtin": self.builtin,
            "neural": self.neural,
            "screen": self.screen,
            "guesses": self.guesses,
        }
        if neural:
            values["neural"] = True
            sources["neural"] = "command line"
        if no_screen:
            values["screen"] = False
            sources["screen"] = "command line"
        if no_guesses:
            values["guesses"] = False
            sources["guesses"] = "command line"
        if min_confidence is not None:
            values["min_confidence"] = min_confidence
            sources["min-confidence"] = "command line"
        if no_builtin:
            values["builtin"] = False
            sources["builtin"] = "command line"
        extras = {"dictionaries": dictionaries, "allow": allow, "include": include, "exclude": exclude}
        for key, extra in extras.items():
            current = getattr(self, key)
            if key == "dictionaries":
                extra = tuple(str(Path(path).resolve()) for path in extra)
            values[key] = current + tuple(item for item in extra if item not in current)
            if extra:
                sources[key] = f"{self.source(key)} + command line" if current else "command line"
        return Config(self.path, sources=sources, **values)


def find(start: Path) -> Path | None:
    """The nearest `.untangle.toml`, or pyproject.toml with a [tool.untangle] table, from `start`
    upward; the search stops at the top of a repository (a folder holding .git)."""
    folder = start.resolve()
    if folder.is_file():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        own = candidate / CONFIG_NAME
        if own.is_file():
            return own
        pyproject = candidate / PYPROJECT
        if pyproject.is_file() and _has_tool_table(pyproject):
            return pyproject
        if (candidate / ".git").exists():
            return None
    return None


def _has_tool_table(pyproject: Path) -> bool:
    try:
        return "untangle" in _read_toml(pyproject).get("tool", {})
    except ConfigError:
        return False


def _read_toml(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as error:
        raise ConfigError(f"{path}: cannot read ({error.strerror or error})") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML ({error})") from None


def load(path: Path) -> Config:
    """Read and validate one configuration file."""
    data = _read_toml(path)
    if path.name == PYPROJECT:
        data = data.get("tool", {}).get("untangle", {})
        where = f"{path} [tool.untangle]"
    else:
        where = str(path)
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: expected a table of settings")
    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        raise ConfigError(f"{where}: unknown setting {unknown[0]!r} (known: {', '.join(KEYS)})")
    values: dict[str, Any] = {}
    sources = {}
    if "min-confidence" in data:
        value = data["min-confidence"]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.5 <= value <= 1.0:
            raise ConfigError(f"{where}: min-confidence must be a number from 0.5 to 1.0, got {value!r}")
        values["min_confidence"] = float(value)
        sources["min-confidence"] = where
    for key in ("builtin", "neural", "screen", "guesses"):
        if key in data:
            if not isinstance(data[key], bool):
                raise ConfigError(f"{where}: {key} must be true or false, got {data[key]!r}")
            values[key] = data[key]
            sources[key] = where
    for key in LIST_KEYS:
        if key not in data:
            continue
        items = data[key]
        if not isinstance(items, list) or not all(isinstance(item, str) and item.strip() for item in items):
            raise ConfigError(f"{where}: {key} must be a list of non-empty strings")
        if key == "dictionaries":
            items = [str((path.parent / item).resolve()) for item in items]
        values[key] = tuple(items)
        sources[key] = where
    return Config(path, sources=sources, **values)


def resolve(explicit: Path | None, start: Path | None = None) -> Config:
    """The configuration in effect: `explicit` (from --config) or the one found from `start`."""
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"{explicit}: no such configuration file")
        return load(explicit)
    found = find(start or Path.cwd())
    return load(found) if found is not None else Config()


def add_allowed(word: str, config_path: Path | None, here: Path) -> Path:
    """Add `word` to the allow-list of the configuration in use, or of a new `.untangle.toml` in
    `here`; returns the file written. The file's other text (comments, order) is kept."""
    import json
    import re

    from untangle.safe_write import atomic_write

    target = config_path if config_path is not None else here / CONFIG_NAME
    text = target.read_text(encoding="utf-8") if target.is_file() else ""
    before = load(target).allow if text else ()
    if word in before:
        return target
    entry = json.dumps(word, ensure_ascii=False)  # a JSON string is a valid TOML basic string
    start, end = 0, len(text)
    if target.name == PYPROJECT:
        header = re.search(r"^\[tool\.untangle\][ \t]*$", text, re.M)
        if header is None:
            raise ConfigError(f"{target}: no [tool.untangle] table to add to")
        start = header.end()
        following = re.compile(r"^\[", re.M).search(text, start)
        end = following.start() if following else len(text)
    table = text[start:end]
    existing = re.search(r"^allow\s*=\s*\[(.*?)\]", table, re.M | re.S)
    if existing:
        inside = existing.group(1).rstrip()
        separator = "" if not inside.strip() else ("" if inside.endswith(",") else ",") + " "
        pos = start + existing.start(1) + len(inside)
        updated = text[:pos] + separator + entry + text[pos:]
    elif target.name == PYPROJECT:
        updated = text[:start] + f"\nallow = [{entry}]" + text[start:]
    else:
        updated = text + ("" if not text or text.endswith("\n") else "\n") + f"allow = [{entry}]\n"
    atomic_write(target, updated.encode("utf-8"), mode=None if target.exists() else 0o644)
    if load(target).allow != (*before, word):
        atomic_write(target, text.encode("utf-8"))
        raise ConfigError(f"{target}: could not add {word!r} to allow safely; add it by hand")
    return target
