"""Reading a file the user named, safely: only a regular file, and only up to a size cap.

Every input file hallbardocs reads (a plan, a follow-up, an indicator file, a logo, a template) is
read through :func:`read_user_file`, and every text file through :func:`read_user_text`, which
also decodes it as UTF-8. A FIFO, a device (``/dev/zero``), a socket or a folder is
refused without reading from it (a FIFO is opened without blocking), and so is a file larger than
its cap, before anything is read into memory. The caps are generous:

==================  =========  ===========================================
what                cap        constant
==================  =========  ===========================================
a plan or follow-up 50 MB      :data:`DATA_LIMIT` (also indicator files)
a logo              20 MB      :data:`IMAGE_LIMIT`
a Word template     100 MB     :data:`TEMPLATE_LIMIT`
==================  =========  ===========================================

A refusal is :class:`UnreadableFile` with the reason in Swedish (:class:`NotUtf8`, with the line and
byte of the first bad character, for a text file in another encoding); each caller turns it into
its own coded problem (HD001, HD402, HD501, HD901), so the message says which file and why.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from hallbardocs.errors import os_reason

__all__ = [
    "DATA_LIMIT",
    "IMAGE_LIMIT",
    "TEMPLATE_LIMIT",
    "NotUtf8",
    "UnreadableFile",
    "read_user_file",
    "read_user_text",
    "size_text",
]

MB = 1_000_000
DATA_LIMIT = 50 * MB
"""The largest plan, follow-up or indicator file read (a 2000-measure plan is about 2 MB)."""
IMAGE_LIMIT = 20 * MB
"""The largest logo read."""
TEMPLATE_LIMIT = 100 * MB
"""The largest Word template read."""


class UnreadableFile(Exception):
    """A file that was not read; ``reason`` says why in Swedish (lower case, no full stop)."""

    def __init__(self, reason: str, *, missing: bool = False) -> None:
        self.reason = reason
        self.missing = missing
        super().__init__(reason)


class NotUtf8(UnreadableFile):
    """A text file that is not UTF-8: ``line`` and ``byte`` (both from 1) say where it first is not."""

    def __init__(self, line: int, byte: int) -> None:
        self.line = line
        self.byte = byte
        super().__init__("filen är inte kodad som UTF-8")


def size_text(size: int) -> str:
    """A size as a Swedish reader would say it: ``50 MB``."""
    return f"{size // MB} MB" if size >= MB else f"{size} byte"


def _kind(mode: int) -> str | None:
    """What a file that is not a regular file is, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "det är en mapp, ingen fil"
    if stat.S_ISFIFO(mode):
        return "det är en namngiven rörledning (FIFO), ingen vanlig fil"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "det är en enhetsfil, ingen vanlig fil"
    if stat.S_ISSOCK(mode):
        return "det är en socket, ingen vanlig fil"
    return "det är ingen vanlig fil"


def read_user_file(path: str | Path, limit: int, *, head: int | None = None) -> bytes:
    """The bytes of the regular file at ``path`` (all of them, or the first ``head``).

    Raises :class:`UnreadableFile` for a file that is missing or cannot be opened, that is not a
    regular file, or that is larger than ``limit`` bytes (checked before reading, also when only
    the ``head`` is read, and again while reading, for a file that grows).
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise UnreadableFile("filen finns inte", missing=True) from None
    except OSError as exc:
        raise UnreadableFile(os_reason(exc)) from None
    try:
        info = os.fstat(fd)
        kind = _kind(info.st_mode)
        if kind is not None:
            raise UnreadableFile(kind)
        if info.st_size > limit:
            raise UnreadableFile(f"filen är större än {size_text(limit)}")
        if flags & getattr(os, "O_NONBLOCK", 0):
            os.set_blocking(fd, True)  # a regular file: read it as usual
        wanted = limit + 1 if head is None else head
        chunks: list[bytes] = []
        got = 0
        while got < wanted:
            chunk = os.read(fd, min(wanted - got, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
    except OSError as exc:
        raise UnreadableFile(os_reason(exc)) from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if head is None and len(data) > limit:
        raise UnreadableFile(f"filen är större än {size_text(limit)}")
    return data


def read_user_text(path: str | Path, limit: int) -> str:
    """The text of the regular file at ``path``, read as by :func:`read_user_file` and decoded as
    UTF-8 (a byte order mark is allowed and dropped).

    Raises :class:`UnreadableFile` as :func:`read_user_file` does, and :class:`NotUtf8` with the
    line and byte of the first character that is not UTF-8.
    """
    data = read_user_file(path, limit)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NotUtf8(data[: exc.start].count(b"\n") + 1, exc.start + 1) from None
