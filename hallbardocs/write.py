"""Writing outputs atomically: a file appears whole at its path, or not at all.

The bytes go to a temporary file beside the target (``.hd-XXXXXXXX.tmp``, short, so any name the
file system allows can be written), are flushed to disk, and replace the target in one rename. A
failure leaves any earlier file at the path as it was and no temporary file behind. A process
killed mid-write cannot clean up after itself: the next write into that folder removes such a
leftover, but only one that is ours (our name pattern, our user, a regular file), old, and not
locked by the process still writing it.

An output path that is one of the inputs is refused: inputs are never modified. The output's folder
must exist (a typo in a path is not silently made into new folders), and its suffix must name a
format the command writes (:func:`output_format`).
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TypeVar

from hallbardocs.errors import Location, OutputError, Problem, os_reason

__all__ = ["STALE_AFTER", "check_output", "output_format", "remove_stale_temporaries", "write_atomically"]

T = TypeVar("T")

_PREFIX, _SUFFIX = ".hd-", ".tmp"
_OURS = re.compile(r"\.hd-[A-Za-z0-9_]{8}\.tmp")
"""The names :func:`tempfile.mkstemp` gives our temporary files (eight random characters)."""
STALE_AFTER = 15 * 60
"""Seconds after its last write that a leftover temporary file of ours may be removed."""


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _same_path(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except (OSError, RuntimeError):
        return False


def _name_max(folder: Path) -> int:
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):  # no pathconf (Windows) or no answer
        return 255


def output_format(path: str | Path, formats: Mapping[str, T]) -> T:
    """What writes ``path``: the entry of ``formats`` (suffix -> writer) for its suffix.

    An unknown suffix is :class:`OutputError` HD603, so ``-o ut.pdf`` never gets a Word file named
    ut.pdf. The suffix is compared in lower case.
    """
    path = Path(path)
    found = formats.get(path.suffix.lower())
    if found is None:
        suffixes = list(formats)
        known = " eller ".join([", ".join(suffixes[:-1]), suffixes[-1]] if len(suffixes) > 1 else suffixes)
        what = f"”{path.suffix}”" if path.suffix else "inget filtillägg"
        raise OutputError(
            Problem(
                "HD603",
                f"Utfilen har {what}, men bara {known} kan skrivas här; byt tillägget på filnamnet.",
                Location(str(path)),
            )
        )
    return found


def check_output(path: str | Path, *, inputs: Iterable[str | Path] = ()) -> Path:
    """Refuse an output path that cannot be written, before any work is spent on its content:
    one of ``inputs`` (HD602), a folder, a folder that does not exist, or a name too long (HD601)."""
    path = Path(path)
    for source in inputs:
        source = Path(source)
        if _same_path(path, source) or _same_file(path, source):
            raise OutputError(
                Problem(
                    "HD602", "Utfilen är samma fil som en av indatafilerna; välj ett annat namn.", Location(str(path))
                )
            )
    parent = path.parent
    if not parent.is_dir():
        what = "finns inte" if not parent.exists() else "är ingen mapp"
        raise OutputError(
            Problem(
                "HD601",
                f"Mappen ”{parent}” {what}; skapa den först eller välj en annan mapp.",
                Location(str(path)),
            )
        )
    size = len(os.fsencode(path.name))
    limit = _name_max(parent)
    if size > limit:
        raise OutputError(
            Problem(
                "HD601",
                f"Filnamnet är för långt ({size} byte; filsystemet tillåter högst {limit}); välj ett kortare namn.",
                Location(str(path)),
            )
        )
    try:
        is_dir = path.is_dir()
    except OSError as exc:
        raise OutputError(
            Problem("HD601", f"Utfilen kunde inte skrivas: {os_reason(exc)}.", Location(str(path)))
        ) from None
    if is_dir:
        raise OutputError(Problem("HD601", "Utfilen är en mapp; ange ett filnamn.", Location(str(path))))
    return path


def _lock(fd: int) -> bool:
    """Take an exclusive advisory lock on ``fd`` without waiting; False if another process has it
    (an :class:`OSError` where the file system has no locks)."""
    if sys.platform == "win32":  # an open file cannot be removed on Windows: nothing to lock
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def remove_stale_temporaries(folder: str | Path, *, older_than: float = STALE_AFTER) -> list[Path]:
    """Remove the temporary files a killed write left in ``folder``; returns the paths removed.

    A file is removed only if its name is one of ours (``.hd-XXXXXXXX.tmp``), it is a regular file
    owned by this user, it was last written more than ``older_than`` seconds ago, and no process
    holds the lock every write keeps on its temporary file until it is renamed. Anything else in
    the folder is never touched; a file that cannot be checked is left alone.
    """
    removed: list[Path] = []
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not _OURS.fullmatch(entry.name):
            continue
        with contextlib.suppress(OSError):
            info = entry.stat(follow_symlinks=False)
            if not stat.S_ISREG(info.st_mode) or now - info.st_mtime < older_than:
                continue
            if hasattr(os, "getuid") and info.st_uid != os.getuid():
                continue
            fd = os.open(entry.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
            try:
                opened = os.fstat(fd)
                if (opened.st_dev, opened.st_ino) != (info.st_dev, info.st_ino) or not _lock(fd):
                    continue  # replaced meanwhile, or still being written
                again = os.lstat(entry.path)
                if (again.st_dev, again.st_ino) == (info.st_dev, info.st_ino):
                    if sys.platform == "win32":
                        os.close(fd)
                        fd = -1
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
            finally:
                if fd >= 0:
                    os.close(fd)
    return removed


def write_atomically(path: str | Path, data: bytes, *, inputs: Iterable[str | Path] = ()) -> Path:
    """Write ``data`` to ``path`` atomically; refuse a path that is one of ``inputs``, or that
    :func:`check_output` refuses."""
    path = check_output(path, inputs=inputs)
    remove_stale_temporaries(path.parent)
    temporary: str | None = None
    try:
        fd, temporary = tempfile.mkstemp(prefix=_PREFIX, suffix=_SUFFIX, dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            with contextlib.suppress(OSError):  # a file system without locks: the age check still holds
                _lock(fh.fileno())  # held until the file is closed, so a clean-up never takes it
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
            if sys.platform != "win32":  # Windows cannot rename an open file
                os.replace(temporary, path)
                temporary = None
        if temporary is not None:
            os.replace(temporary, path)
            temporary = None
    except OSError as exc:
        raise OutputError(
            Problem("HD601", f"Utfilen kunde inte skrivas: {os_reason(exc)}.", Location(str(path)))
        ) from None
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
    return path
