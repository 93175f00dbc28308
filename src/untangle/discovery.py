"""Finding the files a batch run works on: folders walked in a stable order, .gitignore honoured.

Files named on the command line are always taken. Inside folders, hidden files and folders are
skipped, as is anything a .gitignore excludes or the user's --exclude matches; only prose files
are taken (DEFAULT_INCLUDE: plain text, Markdown, HTML, reStructuredText), or what --include
matches when given: source code run through a prose repairer would be damaged. Patterns use
.gitignore syntax ("*.txt", "drafts/", "/top.md").
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from untangle.safe_write import is_temp

GITIGNORE = ".gitignore"
DEFAULT_INCLUDE = ("*.txt", "*.text", "*.md", "*.markdown", "*.html", "*.htm", "*.rst")


class Found(NamedTuple):
    """A file to process, and its path relative to the argument it was found under. (Named tuples
    here and for other small records of a run: a dataclass costs a command's start-up ten times as much.)"""

    path: Path
    relative: Path  # for --output-dir: where it goes in the mirrored tree
    named: bool = False  # named on the command line: always read, never sniffed for binary data


class Skipped(NamedTuple):
    """A path passed over, and why (shown to the user as a note)."""

    path: Path
    reason: str


@dataclass(slots=True)
class Discovery:
    """What a walk found: files in order, notes on what it skipped, and the folders it visited."""

    files: list[Found] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    missing: list[Path] = field(default_factory=list)
    folders: list[Path] = field(default_factory=list)


def _spec(patterns: Iterable[str]):  # noqa: ANN202
    lines = [line for line in patterns if line.strip()]
    if not lines:
        return None
    if all(_SUFFIX.fullmatch(line) for line in lines):
        return _Suffixes(tuple(line[1:] for line in lines))
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(lines)


# A pattern that is a star and a file name ending ("*.txt", as every default one is): as
# .gitignore reads it, it matches a path any part of which has that ending (a file, or anything
# in a folder so named); no pattern library is loaded for it (importing one took 26 ms of a
# one-shot run over a folder).
_SUFFIX = re.compile(r"\*\.[A-Za-z0-9]+")


class _Suffixes(NamedTuple):
    """Patterns of the form "*.ext": a path matches where a part of it ends with one of them."""

    endings: tuple[str, ...]

    def match_file(self, path: str) -> bool:
        return any(part.endswith(self.endings) for part in path.rstrip("/").split("/"))


class _Ignores:
    """The .gitignore files in effect in one folder: each with the folder it is relative to."""

    def __init__(self, specs: tuple[tuple[Path, object], ...] = ()) -> None:
        self.specs = specs

    def entering(self, folder: Path) -> _Ignores:
        try:
            lines = (folder / GITIGNORE).read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return self
        spec = _spec(lines)
        return _Ignores((*self.specs, (folder, spec))) if spec else self

    def ignored(self, path: Path, is_dir: bool) -> bool:
        """Whether `path` (absolute) is excluded by any .gitignore in effect."""
        for base, spec in self.specs:
            relative = path.relative_to(base).as_posix() + ("/" if is_dir else "")
            if spec.match_file(relative):  # type: ignore[attr-defined]
                return True
        return False


def _git_root_ignores(folder: Path) -> _Ignores:
    """The .gitignore files of the folders above `folder`, up to the repository root."""
    chain = []
    for parent in folder.parents:
        chain.append(parent)
        if (parent / ".git").exists():
            break
    else:
        return _Ignores()
    ignores = _Ignores()
    for parent in reversed(chain):
        ignores = ignores.entering(parent)
    return ignores


def discover(
    paths: Sequence[str | Path],
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    use_gitignore: bool = True,
) -> Discovery:
    """Expand `paths` (files and folders) into the files to process, in a deterministic order."""
    found = Discovery()
    specs = None  # built on the first folder: a run over named files needs no pattern matching
    for argument in paths:
        root = Path(argument)
        if root.is_dir():
            specs = specs or (_spec(include or DEFAULT_INCLUDE), _spec(exclude))
            include_spec, exclude_spec = specs
            ignores = _git_root_ignores(Path(os.path.abspath(root))) if use_gitignore else _Ignores()
            _walk(root, root, ignores, include_spec, exclude_spec, use_gitignore, found)
        elif root.exists() or root.is_symlink():
            found.files.append(Found(root, Path(root.name), named=True))
            found.folders.append(root.parent)
        else:
            found.missing.append(root)
    return found


def _walk(root, folder, ignores, include_spec, exclude_spec, use_gitignore, found) -> None:  # noqa: ANN001
    if use_gitignore:
        ignores = ignores.entering(Path(os.path.abspath(folder)))
    found.folders.append(folder)
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as error:
        found.skipped.append(Skipped(folder, f"cannot list ({error.strerror or error})"))
        return
    for entry in entries:
        path = Path(entry.path)
        relative = path.relative_to(root)
        is_dir = entry.is_dir(follow_symlinks=False)
        if entry.name.startswith(".") or is_temp(path):
            continue  # hidden files and folders (.git, .venv, our own temporary files)
        if entry.is_symlink():
            found.skipped.append(Skipped(path, "symbolic link (name the target to fix it)"))
            continue
        if ignores.ignored(Path(os.path.abspath(path)), is_dir):
            continue
        posix = relative.as_posix() + ("/" if is_dir else "")
        if exclude_spec is not None and exclude_spec.match_file(posix):
            continue
        if is_dir:
            _walk(root, path, ignores, include_spec, exclude_spec, use_gitignore, found)
        elif include_spec is not None and not include_spec.match_file(posix):
            continue
        elif entry.is_file(follow_symlinks=False):
            found.files.append(Found(path, relative))
        else:
            found.skipped.append(Skipped(path, f"{special_kind(path)}, not a regular file"))


def special_kind(path: Path) -> str:
    """What a path that is neither a regular file nor a folder is, in words ("named pipe")."""
    try:
        mode = path.lstat().st_mode
    except OSError:
        return "not readable"
    for test, kind in (
        (stat.S_ISFIFO, "named pipe"),
        (stat.S_ISSOCK, "socket"),
        (stat.S_ISCHR, "character device"),
        (stat.S_ISBLK, "block device"),
    ):
        if test(mode):
            return kind
    return "special file"
