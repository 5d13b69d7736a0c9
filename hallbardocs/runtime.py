"""How hallbardocs uses the process's garbage collector: one policy, in one place.

A library call leaves the host process as it found it: by default nothing here touches the
collector. A command, or a batch that makes many documents in one process, opts in with
:func:`use_batch_policy`, which the ``hallbardocs`` command does. Then:

- everything imported before the first render is frozen (``gc.freeze()``), so later collections
  scan only what the renders made;
- a full collection runs after every :data:`COLLECT_AFTER` characters of rendered document XML
  (python-docx's package objects and docxtpl leave reference cycles, which hold whole XML trees
  until the cyclic collector runs: memory stays flat over hundreds of renders);

Whether or not a run opts in, the collector pauses while PyYAML builds a plan (many objects, no
cycles: collecting there would double the time of loading a large plan) and is restored right
after, so the process is left as it was found.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["COLLECT_AFTER", "after_render", "before_render", "no_collection", "use_batch_policy"]

COLLECT_AFTER = 1_000_000
"""A full collection after this much rendered XML (about 150 measure pages): collecting after every
render would cost 15–20 ms each time; after a million characters a small document shares that cost
with the next few."""

_batch = False
_frozen = False
_uncollected = 0


def use_batch_policy(enabled: bool = True) -> None:
    """Let hallbardocs manage the collector for a run of many documents (see the module's text)."""
    global _batch
    _batch = enabled


def before_render() -> None:
    """Called by the renderer before it renders: freezes what was imported, once, in a batch."""
    global _frozen
    if _batch and not _frozen:
        _frozen = True
        gc.freeze()


def after_render(rendered_chars: int) -> None:
    """Called by the renderer after a render of ``rendered_chars`` characters of XML."""
    global _uncollected
    if not _batch:
        return
    _uncollected += rendered_chars
    if _uncollected >= COLLECT_AFTER:
        _uncollected = 0
        gc.collect()


@contextlib.contextmanager
def no_collection() -> Iterator[None]:
    """No cyclic collection inside; the collector's state is restored afterwards."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
