"""A progress bar for long runs, on standard error when it is a terminal, and silent otherwise.

A few lines of our own rather than a library (tqdm, rich): the runs it shows have a handful of
steps (the documents of a committee package), so it needs a count, a bar and the current step's
name, redrawn in place; it stays quiet in pipes, in CI (``CI`` set) and on a ``TERM=dumb``
terminal, where a bar would only add noise to a log.
"""

from __future__ import annotations

import os
import sys
from typing import TextIO

__all__ = ["ProgressBar", "wanted"]

_WIDTH = 24


def wanted(stream: TextIO) -> bool:
    """Whether a bar belongs on ``stream``: a terminal, not CI, not a dumb terminal."""
    if os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


class ProgressBar:
    """``[=========>      ] 2/3 miljöbokslutet``, redrawn on one line of ``stream`` (stderr)."""

    def __init__(self, total: int, *, stream: TextIO | None = None, enabled: bool | None = None) -> None:
        self.total = max(total, 1)
        self.done = 0
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = wanted(self.stream) if enabled is None else enabled
        self._shown = 0

    def __call__(self, done: int, total: int, what: str) -> None:
        """Show that ``done`` of ``total`` steps are done and ``what`` is being made (a job's callback)."""
        self.total = max(total, 1)
        self.done = done
        if not self.enabled:
            return
        filled = _WIDTH * min(done, self.total) // self.total
        bar = "=" * filled + (">" if filled < _WIDTH else "") + " " * max(_WIDTH - filled - 1, 0)
        line = f"[{bar}] {done}/{self.total} {what}"
        self.stream.write("\r" + line + " " * max(self._shown - len(line), 0))
        self.stream.flush()
        self._shown = len(line)

    def close(self) -> None:
        """Remove the bar, so the messages after it start on a clean line."""
        if self.enabled and self._shown:
            self.stream.write("\r" + " " * self._shown + "\r")
            self.stream.flush()
            self._shown = 0
