"""The export stage: our own files written back out.

- a plan as YAML, JSON or an Excel workbook (``hallbardocs convert``, :data:`FORMATS`; the
  workbook by :mod:`hallbardocs.export.workbook`);
- a follow-up file as YAML or JSON (:data:`FOLLOWUP_FORMATS`), with the reports that
  :mod:`hallbardocs.collect.merge` merged in (``hallbardocs followup import``).

"Export" means this stage only. The sector workbooks sent out for the follow-up are written by
:mod:`hallbardocs.collect.outgoing` (``hallbardocs followup export``, whose command and API name,
:func:`hallbardocs.export_followup_workbooks`, stay as users know them).

Two imports into the same follow-up file must not lose each other's reports. :func:`followup_lock`
takes an advisory lock (``flock``) on a lock file beside the follow-up, held from reading it to
writing it, so a second run waits for the first and then reads what the first wrote. A writer that
does not take the lock (an editor, another tool) is caught by :func:`snapshot`: the file is read
once more just before it is replaced, and a change since it was first read is refused (HD810).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import json
import os
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hallbardocs.errors import Location, OutputError, Problem, os_reason
from hallbardocs.model.plan import Plan

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "FOLLOWUP_FORMATS",
    "FORMATS",
    "LOCK_TIMEOUT",
    "check_unchanged",
    "dump_data",
    "dump_plan",
    "followup_lock",
    "plain_data",
    "plan_to_data",
    "snapshot",
]


def _json(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, default=_json_default) + "\n").encode("utf-8")


def _yaml(data: dict[str, Any]) -> bytes:
    import yaml

    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100).encode("utf-8")


def _plan_yaml(plan: Plan) -> bytes:
    return _yaml(plan_to_data(plan))


def _plan_json(plan: Plan) -> bytes:
    return _json(plan_to_data(plan))


def _plan_workbook(plan: Plan) -> bytes:
    """The plan as a workbook. In a cell every line break shows, so the rich texts are written as
    they would be typed there (:func:`~hallbardocs.richtext.cell_text`): a paragraph wrapped by hand
    in YAML is one line, a hard break a line break, and the workbook reads back to the same text."""
    from hallbardocs.export.workbook import write_plan_workbook
    from hallbardocs.richtext import cell_text

    copy = plan.model_copy(deep=True)
    for priority in copy.strategy.priorities:
        if priority.description:
            priority.description = cell_text(priority.description)
    for chapter in copy.chapters:
        chapter.text = cell_text(chapter.text)
    for measure in copy.measures:
        measure.description = cell_text(measure.description)
    return write_plan_workbook(copy)


FOLLOWUP_FORMATS: dict[str, Callable[[dict[str, Any]], bytes]] = {".yaml": _yaml, ".yml": _yaml, ".json": _json}
"""What a follow-up file can be written as: suffix -> the serializer of its data in that format."""

FORMATS: dict[str, Callable[[Plan], bytes]] = {
    ".yaml": _plan_yaml,
    ".yml": _plan_yaml,
    ".json": _plan_json,
    ".xlsx": _plan_workbook,
}
"""What a plan can be written as (``hallbardocs convert``): suffix -> the plan's bytes in that format.
YAML and JSON go through the same serializers as a follow-up file."""


def plain_data(value: Any) -> Any:
    """``value`` with decimals as int or float and paths as text, ready for YAML or JSON."""
    if isinstance(value, dict):
        return {k: plain_data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain_data(v) for v in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, Path):
        return value.as_posix()
    return value


def plan_to_data(plan: Plan) -> dict[str, Any]:
    """The plan as plain data with the file format's Swedish keys (dates stay dates)."""
    return plain_data(plan.model_dump(by_alias=True, exclude_none=True, exclude_defaults=True))  # type: ignore[no-any-return]


def dump_data(data: dict[str, Any], suffix: str) -> bytes:
    """Plain data (a plan's or a follow-up's) as YAML or JSON, by ``suffix`` (.yaml, .yml, .json)."""
    write = FOLLOWUP_FORMATS.get(suffix.lower())
    if write is None:
        raise ValueError(f"unsupported format {suffix!r}")
    return write(data)


def dump_plan(plan: Plan, suffix: str) -> bytes:
    """The plan in the format of ``suffix`` (.yaml, .yml, .json or .xlsx)."""
    write = FORMATS.get(suffix.lower())
    if write is None:
        raise ValueError(f"unsupported format {suffix!r}")
    return write(plan)


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


LOCK_TIMEOUT = 120.0
"""Seconds a ``followup import`` waits for another run to finish with the same follow-up file."""


def _lock_path(path: Path) -> Path:
    name = f".{path.name}.lock"
    if len(os.fsencode(name)) > 255:  # a long (legal) name: the lock file's name is a digest of it
        name = f".{hashlib.sha256(os.fsencode(path.name)).hexdigest()[:32]}.lock"
    return path.parent / name


@contextlib.contextmanager
def followup_lock(path: str | Path, timeout: float | None = None) -> Iterator[None]:
    """Hold an exclusive advisory lock for the follow-up file ``path`` (HD810 if another run holds
    it for longer than ``timeout`` seconds, by default :data:`LOCK_TIMEOUT`).

    The lock is on ``.NAME.lock`` beside the file, not on the file itself: the file is replaced by a
    rename when it is written, and a lock on the old file would not stop a run that opens the new
    one. The lock file is empty and stays; it is never the follow-up. Where the folder does not
    exist yet or cannot hold the lock file, or the system has no ``flock``, there is no lock, and
    :func:`snapshot` still refuses a lost update.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on POSIX
        yield
        return
    target = Path(path)
    if not target.parent.is_dir():
        yield
        return
    lock = _lock_path(target)
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError:
        yield
        return
    try:
        timeout = LOCK_TIMEOUT if timeout is None else timeout
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise OutputError(
                        Problem(
                            "HD810",
                            "Uppföljningsfilen används av en annan körning av hallbardocs, som inte blev klar "
                            f"på {round(timeout)} sekunder (låsfilen {lock.name}); inget skrevs. Försök igen när den är klar.",
                            Location(str(target)),
                        )
                    ) from None
                time.sleep(0.05)
            except OSError as exc:  # a file system without locks: go on without one
                if exc.errno in (errno.ENOLCK, errno.EOPNOTSUPP, errno.EINVAL):
                    break
                raise OutputError(
                    Problem("HD601", f"Utfilen kunde inte låsas: {os_reason(exc)}.", Location(str(target)))
                ) from None
        yield
    finally:
        os.close(fd)  # closing releases the lock


def snapshot(path: str | Path) -> bytes | None:
    """The follow-up file's bytes as they are now (None if there is none), to compare with later."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        return None


def check_unchanged(path: str | Path, before: bytes | None) -> None:
    """Refuse to replace ``path`` if it changed since ``before`` was read (HD810): that would lose
    what someone else wrote in between."""
    try:
        now = snapshot(path)
    except OSError:
        now = b"" if before is None else None
    if now != before:
        raise OutputError(
            Problem(
                "HD810",
                "Uppföljningsfilen ändrades av något annat medan arbetsböckerna lästes in; inget skrevs, "
                "så att den ändringen inte går förlorad. Kör importen igen.",
                Location(str(path)),
            )
        )
