"""Writing files so that a crash, a full disk or a kill -9 never leaves a half-written one.

The new content goes to a temporary file in the same folder, is flushed and fsynced, gets the
original's permission bits, and then replaces the original with one atomic `os.replace`. At
every moment the path holds either the old file or the complete new one. A temporary file left
by a killed run is recognised by its name and removed by the next run that visits the folder.
A copy whose source stays on disk (a mirrored tree) is written the same way but not fsynced: a
power cut can cost that copy, never an original, so it is not worth a disk flush per file.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
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


def atomic_write(
    path: Path, data: bytes, *, mode: int | None = None, backup_suffix: str | None = None, durable: bool = True
) -> None:
    """Replace the file at `path` with `data` atomically, keeping `mode` (default: the file's own).

    With `backup_suffix`, the original is kept next to it as path + suffix (itself replaced
    atomically). On any failure the original is untouched, the temporary file is removed and a
    WriteError says what went wrong. `durable=False` skips the fsyncs, for a copy of a file that
    stays on disk (a power cut may then lose the copy, never the source).
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
            if durable:
                os.fsync(descriptor)
        finally:
            os.close(descriptor)
        if mode is not None:
            os.chmod(temporary, mode)
        if backup_suffix:
            _backup(path, backup_suffix)
        os.replace(temporary, path)
    except WriteError:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    except OSError as error:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise WriteError(f"{path}: cannot write ({error.strerror or error}); the original is unchanged") from None
    if durable:
        _sync_folder(path.parent)


class BackupExists(WriteError):
    """The backup's name already holds other bytes than the file: an earlier original, kept."""


def _backup(path: Path, suffix: str) -> None:
    """Keep the current `path` as path + suffix, never replacing a different existing file.

    The backup is made by an exclusive hard link (or a copy linked into place the same way), so
    of two runs racing to back up a file, one wins and the other sees the backup it made. A
    backup that already holds these bytes (a hard link to the file, or an identical copy) is
    kept; one that holds other bytes is an earlier original and is never overwritten."""
    target = path.with_name(path.name + suffix)
    try:
        os.link(path, target)
        return
    except FileExistsError:
        _keep_existing(path, target)
        return
    except OSError:
        pass  # no hard links on this file system: copy, then link the copy into place
    import shutil

    staging = temp_path(target)
    try:
        shutil.copy2(path, staging)
        os.link(staging, target)
    except FileExistsError:
        _keep_existing(path, target)
    finally:
        with contextlib.suppress(OSError):
            staging.unlink()


def _keep_existing(path: Path, target: Path) -> None:
    import filecmp

    if not filecmp.cmp(path, target, shallow=False):
        raise BackupExists(
            f"{path}: the backup {target.name} already holds an earlier original; left unchanged "
            "(move the backup away or choose another --backup suffix)"
        )


@contextlib.contextmanager
def exclusive_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock on the file at `path` (a regular file) until the block ends.

    A file replaced by os.replace is a new inode, so after waiting for the lock the path is
    checked to still name the locked file; if another run replaced it meanwhile, the new file is
    locked instead. Without fcntl (not on POSIX), or for a file that cannot be opened, there is
    no lock."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    while True:
        try:
            descriptor = os.open(path, os.O_RDONLY)
        except OSError:
            yield  # unreadable or gone: reading it will say why, and nothing will be written
            return
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            locked, current = os.fstat(descriptor), os.stat(path)
            if (locked.st_dev, locked.st_ino) == (current.st_dev, current.st_ino):
                yield
                return
        finally:
            os.close(descriptor)


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
