"""Writing files so that a crash, a full disk or a kill -9 never leaves a half-written one.

The new content goes to a temporary file in the same folder, is flushed and fsynced, gets the
original's permission bits, and then replaces the original with one atomic `os.replace`. At
every moment the path holds either the old file or the complete new one. A temporary file left
by a killed run is recognised by its name and removed by the next run that visits the folder.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

TEMP_MARK = ".untangle-tmp"  # temporary files are named .<name>.<pid>.untangle-tmp


class WriteError(OSError):
    """A file that could not be written; the original is intact. One line for the user."""


def temp_path(path: Path) -> Path:
    """Where the new content of `path` is written before it replaces `path`."""
    return path.with_name(f".{path.name}.{os.getpid()}{TEMP_MARK}")


def is_temp(path: Path) -> bool:
    """True for a temporary file of ours (never processed as input)."""
    return path.name.startswith(".") and path.name.endswith(TEMP_MARK)


def _owner_alive(path: Path) -> bool:
    """Whether the process that made temporary file `path` still runs (so the file is in use)."""
    try:
        pid = int(path.name[: -len(TEMP_MARK)].rsplit(".", 1)[1])
    except (IndexError, ValueError):
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    """A killed process nobody has reaped yet still answers os.kill; Linux's /proc tells."""
    try:
        status = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return status.rsplit(")", 1)[-1].split()[0] in ("Z", "X")


def remove_stale_temps(folder: Path) -> list[Path]:
    """Delete temporary files in `folder` left by runs that died; return what was removed."""
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        path = Path(entry.path)
        if entry.is_file(follow_symlinks=False) and is_temp(path) and not _owner_alive(path):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                removed.append(path)
    return removed


def read_only(path: Path) -> bool:
    """True if `path` is marked read-only: no write permission bit is set, or we may not write it.

    The mode bits are checked too because root may write anything; a file someone marked
    read-only is not ours to replace even then.
    """
    mode = path.stat().st_mode
    return not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(path, os.W_OK)


def _write_all(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(descriptor, view)
        view = view[written:]


def atomic_write(path: Path, data: bytes, *, mode: int | None = None, backup_suffix: str | None = None) -> None:
    """Replace the file at `path` with `data` atomically, keeping `mode` (default: the file's own).

    With `backup_suffix`, the original is kept next to it as path + suffix (itself replaced
    atomically). On any failure the original is untouched, the temporary file is removed and a
    WriteError says what went wrong.
    """
    try:
        if mode is None and path.exists():
            mode = stat.S_IMODE(path.stat().st_mode)
        temporary = temp_path(path)
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    except OSError as error:
        raise WriteError(f"{path}: cannot write ({error.strerror or error})") from None
    try:
        try:
            _write_all(descriptor, data)
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        if mode is not None:
            os.chmod(temporary, mode)
        if backup_suffix:
            _backup(path, backup_suffix)
        os.replace(temporary, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise WriteError(f"{path}: cannot write ({error.strerror or error}); the original is unchanged") from None
    _sync_folder(path.parent)


def _backup(path: Path, suffix: str) -> None:
    """Keep the current `path` as path + suffix: a hard link if possible, else a copy."""
    import shutil

    target = path.with_name(path.name + suffix)
    staging = target.with_name(f".{target.name}.{os.getpid()}{TEMP_MARK}")
    with contextlib.suppress(FileNotFoundError):
        staging.unlink()
    try:
        try:
            os.link(path, staging)
        except OSError:
            shutil.copy2(path, staging)
        os.replace(staging, target)
    except OSError:
        with contextlib.suppress(OSError):
            staging.unlink()
        raise


def _sync_folder(folder: Path) -> None:
    """fsync the folder so the rename itself survives a power cut (best effort)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
