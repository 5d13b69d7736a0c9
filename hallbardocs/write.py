"""Writing outputs atomically: a file appears whole at its path, or not at all.

The bytes go to a temporary file beside the target, are flushed to disk, and replace the target in
one rename. A failure leaves any earlier file at the path as it was and no temporary file behind.
An output path that is one of the inputs is refused: inputs are never modified.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from hallbardocs.errors import Location, OutputError, Problem, os_reason

__all__ = ["write_atomically"]


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def write_atomically(path: str | Path, data: bytes, *, inputs: Iterable[str | Path] = ()) -> Path:
    """Write ``data`` to ``path`` atomically; refuse a path that is one of ``inputs``."""
    path = Path(path)
    for source in inputs:
        source = Path(source)
        if path.resolve() == source.resolve() or _same_file(path, source):
            raise OutputError(
                Problem(
                    "HD602", "Utfilen är samma fil som en av indatafilerna; välj ett annat namn.", Location(str(path))
                )
            )
    if path.is_dir():
        raise OutputError(Problem("HD601", "Utfilen är en mapp; ange ett filnamn.", Location(str(path))))
    temporary: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
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
