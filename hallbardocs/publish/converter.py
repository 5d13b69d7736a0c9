"""The warm converter: one LibreOffice process for every document of a run.

LibreOffice is started on first use, headless, with a throw-away profile of its own
(``-env:UserInstallation``) and listening on a local named pipe. A small worker of ours
(``_worker.py``) runs under LibreOffice's own Python, the one that can import ``uno`` (on Debian
``/usr/bin/python3`` with python3-uno; the user's venv usually cannot), and speaks JSON over its
standard input and output: one request a line, one answer a line. Every document of the run goes
through the same two processes; they are shut down at exit, or when the :class:`Converter` context
ends.

A document that takes longer than the timeout, or a LibreOffice or worker that dies, is detected:
both processes are ended, started again, and the document is tried once more; a second failure is
an :class:`~hallbardocs.errors.OutputError` (HD613 for a timeout, HD614 for a failure).
"""

from __future__ import annotations

import atexit
import concurrent.futures
import contextlib
import json
import os
import platform
import queue
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from hallbardocs.errors import Location, OutputError, Problem
from hallbardocs.render.table_styles import for_libreoffice

__all__ = [
    "Converter",
    "Layout",
    "default_converter",
    "find_allocator",
    "find_soffice",
    "find_uno_python",
    "shutdown_default_converter",
]

WORKER = Path(__file__).with_name("_worker.py")
INSTALL_HINT = (
    "Installera LibreOffice: på Debian och Ubuntu `apt-get install libreoffice-writer-nogui python3-uno`, "
    "annars från libreoffice.org (dess Python följer med)."
)
DEFAULT_TIMEOUT = 120.0
SECONDS_PER_MB = 300.0
"""Seconds one document may take (a 200-measure plan takes a few seconds)."""
START_TIMEOUT = 60.0
"""Seconds LibreOffice may take to start and accept the worker's connection."""
_NO_UNO_EXIT = 3
ALLOCATOR_SETTING = "HALLBARDOCS_LIBREOFFICE_MALLOC"
"""The environment variable that names the allocator LibreOffice is started with (a library's path),
or turns it off (``off`` or empty); unset, :func:`find_allocator` looks for tcmalloc."""
_ALLOCATOR = "libtcmalloc_minimal.so.4"
_LIBRARY_FOLDERS = (f"/usr/lib/{platform.machine()}-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/local/lib")


@dataclass(frozen=True)
class Layout:
    """What LibreOffice made of a document: the PDF (if asked for) and the page of each bookmark."""

    pdf: bytes | None
    pages: dict[str, int] = field(default_factory=dict)
    page_count: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds LibreOffice spent loading, updating, and reading pages and exporting (for bench/)."""


class _Failure(Exception):
    """One attempt failed; ``timeout`` tells a hang from a crash or an error."""

    def __init__(self, detail: str, *, timeout: bool = False) -> None:
        super().__init__(detail)
        self.timeout = timeout


def find_soffice() -> str | None:
    """The LibreOffice executable: ``$HALLBARDOCS_SOFFICE``, or ``soffice``/``libreoffice`` on the PATH."""
    configured = os.environ.get("HALLBARDOCS_SOFFICE")
    if configured:
        return configured if Path(configured).is_file() else shutil.which(configured)
    return shutil.which("soffice") or shutil.which("libreoffice")


def find_allocator() -> str | None:
    """The memory allocator the warm LibreOffice runs with, or None for the C library's own.

    LibreOffice allocates and frees small blocks by the million; glibc's malloc spends a fifth of
    its time on them. With gperftools' tcmalloc (Debian's ``libtcmalloc-minimal4``, Fedora's
    ``gperftools-libs``) preloaded, it starts in about 0.8 s instead of 1.2 s and lays out a
    200-measure plan a quarter faster (bench/README.md). ``$HALLBARDOCS_LIBREOFFICE_MALLOC`` names
    another library or turns it off (``off``); elsewhere than on Linux there is none.
    """
    configured = os.environ.get(ALLOCATOR_SETTING)
    if configured is not None:
        return None if configured.strip().lower() in ("", "off", "0", "no") else configured
    if not sys.platform.startswith("linux"):
        return None
    for folder in _LIBRARY_FOLDERS:
        candidate = Path(folder) / _ALLOCATOR
        if candidate.is_file():
            return str(candidate)
    return None


def _office_environment(allocator: str | None) -> dict[str, str] | None:
    """LibreOffice's environment: ours, with ``allocator`` preloaded (None: ours as it is). A
    ``LD_PRELOAD`` of the user's own is left as the user set it."""
    if not allocator or os.environ.get("LD_PRELOAD"):
        return None
    return {**os.environ, "LD_PRELOAD": allocator}


def _find_python(soffice: str) -> str | None:
    """The Python that can import ``uno``: ``$HALLBARDOCS_UNO_PYTHON``, the one LibreOffice ships
    beside its program (Windows, macOS, libreoffice.org's packages), or the system's python3
    (Debian's python3-uno)."""
    configured = os.environ.get("HALLBARDOCS_UNO_PYTHON")
    if configured:
        return configured
    program = Path(soffice).resolve().parent
    for candidate in (program / "python", program / "python.exe", Path("/usr/bin/python3")):
        if candidate.is_file():
            return str(candidate)
    return shutil.which("python3")


def find_uno_python(soffice: str | None = None) -> str | None:
    """The Python that can import ``uno`` for ``soffice`` (found when None), or None."""
    soffice = soffice or find_soffice()
    python = _find_python(soffice) if soffice else None
    if python is None:
        return None
    try:
        probe = subprocess.run(
            [python, "-c", "import uno"], capture_output=True, timeout=30, env=_clean_environment(), check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return python if probe.returncode == 0 else None


def _end(process: subprocess.Popen[Any] | None, grace: float = 3.0) -> None:
    """End a process and everything it started (soffice starts soffice.bin)."""
    if process is None or process.poll() is not None:
        return
    with contextlib.suppress(OSError):
        if hasattr(os, "killpg"):
            os.killpg(process.pid, signal.SIGTERM)
        else:  # pragma: no cover - Windows
            process.terminate()
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(OSError):
            if hasattr(os, "killpg"):
                os.killpg(process.pid, signal.SIGKILL)
            else:  # pragma: no cover - Windows
                process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(grace)


def _clean_environment() -> dict[str, str]:
    """The environment for LibreOffice's Python: without the user's Python settings, which belong to
    another interpreter."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}


class Converter:
    """A warm LibreOffice: started on the first :meth:`convert`, reused until :meth:`close`.

    Use it as a context manager (``with Converter() as c: c.convert(...)``) or through
    :func:`default_converter`, which is shared by a run and closed at exit. ``soffice`` and
    ``python`` name the LibreOffice executable and the Python that can import ``uno`` (found when
    None); ``timeout`` is the seconds one document may take, ``start_timeout`` the seconds
    LibreOffice may take to start, and ``grace`` the seconds it may take to quit when closed.
    ``allocator`` is the library LibreOffice is started with preloaded: ``"auto"`` finds tcmalloc
    (:func:`find_allocator`), None starts it with the C library's malloc. With
    ``inline_table_styles`` (the default) LibreOffice is given each document with its tables'
    styles written out as the formatting they stand for (:mod:`hallbardocs.render.table_styles`).
    """

    def __init__(
        self,
        *,
        soffice: str | None = None,
        python: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        start_timeout: float = START_TIMEOUT,
        grace: float = 5.0,
        allocator: str | None = "auto",
        inline_table_styles: bool = True,
    ) -> None:
        self.soffice = soffice
        self.allocator = find_allocator() if allocator == "auto" else allocator
        """The allocator library LibreOffice is preloaded with (:func:`find_allocator`), or None."""
        self.inline_table_styles = inline_table_styles
        """Whether LibreOffice gets each document with its table styles written out
        (:func:`hallbardocs.render.table_styles.for_libreoffice`: the same pages, laid out faster)."""
        self.python = python
        self.timeout = timeout
        self.start_timeout = start_timeout
        self.grace = grace
        """Seconds LibreOffice may take to quit when asked before it is ended."""
        self.starts = 0
        """How many times LibreOffice has been started (a restart after a hang or crash counts)."""
        self._lock = threading.Lock()
        self._office: subprocess.Popen[bytes] | None = None
        self._worker: subprocess.Popen[str] | None = None
        self._answers: queue.Queue[str | None] = queue.Queue()
        self._folder: Path | None = None
        self._log: IO[str] | None = None
        self._reader: threading.Thread | None = None
        self._count = 0
        self._queue: concurrent.futures.ThreadPoolExecutor | None = None
        self._queue_lock = threading.Lock()

    def __enter__(self) -> Converter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    @property
    def running(self) -> bool:
        return self._worker is not None and self._worker.poll() is None

    # -- the processes -----------------------------------------------------------------------

    def _start(self, where: Location) -> None:
        soffice = self.soffice or find_soffice()
        if soffice is None:
            raise OutputError(
                Problem("HD610", f"LibreOffice behövs för att göra PDF men hittades inte. {INSTALL_HINT}", where)
            )
        python = self.python or _find_python(soffice)
        if python is None:
            raise OutputError(Problem("HD611", _no_uno_message(soffice), where))
        self.starts += 1
        try:
            self._spawn(soffice, python)
        except OSError as exc:
            self._stop()
            raise OutputError(
                Problem("HD612", f"LibreOffice kunde inte startas ({exc.strerror or exc}). {INSTALL_HINT}", where)
            ) from None
        self._await_ready(soffice, where)

    def _spawn(self, soffice: str, python: str) -> None:
        """Start LibreOffice on a named pipe of its own, and the worker that connects to it."""
        self._folder = folder = Path(tempfile.mkdtemp(prefix="hallbardocs-lo-"))
        name = f"hallbardocs-{os.getpid()}-{secrets.token_hex(4)}"
        self._office = subprocess.Popen(
            [
                soffice,
                "--headless",
                "--invisible",
                "--norestore",
                "--nologo",
                "--nodefault",
                "--nolockcheck",
                f"-env:UserInstallation={(folder / 'profil').as_uri()}",
                f"--accept=pipe,name={name};urp;StarOffice.ComponentContext",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=_office_environment(self.allocator),
            start_new_session=True,
        )
        self._log = (folder / "worker.log").open("w", encoding="utf-8")
        self._worker = subprocess.Popen(
            [python, str(WORKER), f"pipe,name={name}", str(time.time() + self.start_timeout), str(folder)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
            encoding="utf-8",
            env=_clean_environment(),
            start_new_session=True,
        )
        self._answers = queue.Queue()
        assert self._worker.stdout is not None
        self._reader = threading.Thread(target=_read_lines, args=(self._worker.stdout, self._answers), daemon=True)
        self._reader.start()

    def _await_ready(self, soffice: str, where: Location) -> None:
        """Wait for the worker's word that it is connected; HD611 or HD612 if it does not come."""
        assert self._worker is not None
        try:
            ready = self._answer(self.start_timeout * 1.1 + 1)  # the worker gives up at start_timeout
        except _Failure as failure:
            ready = {"ready": False, "error": "" if failure.timeout else str(failure)}
        if ready.get("ready"):
            return
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._worker.wait(1)
        code = self._worker.poll()
        self._stop()
        if code == _NO_UNO_EXIT:
            raise OutputError(Problem("HD611", _no_uno_message(soffice), where))
        reason = f" ({ready['error']})" if ready.get("error") else f" inom {self.start_timeout:.0f} s"
        message = (
            f"LibreOffice startade inte{reason}. Försök igen; fungerar inte `soffice --headless --version` "
            "är LibreOffice felinstallerat."
        )
        raise OutputError(Problem("HD612", message, where))

    def _answer(self, timeout: float) -> dict[str, Any]:
        try:
            line = self._answers.get(timeout=timeout)
        except queue.Empty:
            raise _Failure(f"inget svar inom {timeout:.0f} s", timeout=True) from None
        if line is None:
            raise _Failure("LibreOffice avslutades oväntat")
        try:
            answer: dict[str, Any] = json.loads(line)
        except ValueError:
            raise _Failure(f"obegripligt svar: {line[:80]!r}") from None
        return answer

    def _stop(self, *, politely: bool = False) -> None:
        """End both processes: asked to quit first when ``politely``, else at once (after a hang or crash)."""
        worker, office, folder = self._worker, self._office, self._folder
        self._worker = self._office = None
        self._folder = None
        if politely and worker is not None and worker.poll() is None and worker.stdin is not None:
            with contextlib.suppress(OSError, ValueError):
                worker.stdin.write(json.dumps({"quit": True}) + "\n")
                worker.stdin.flush()
            with contextlib.suppress(subprocess.TimeoutExpired):
                worker.wait(self.grace)
            if office is not None:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    office.wait(self.grace)
        if worker is not None and worker.stdin is not None:
            with contextlib.suppress(OSError, ValueError):
                worker.stdin.close()
        _end(worker)
        _end(office)
        if self._reader is not None:
            self._reader.join(self.grace)  # it ends at the end of the worker's output
            self._reader = None
        if worker is not None and worker.stdout is not None:
            with contextlib.suppress(OSError, ValueError):
                worker.stdout.close()
        if self._log is not None:
            self._log.close()
            self._log = None
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)

    def close(self) -> None:
        """Shut LibreOffice down and remove its profile and temporary files (it starts again if used),
        after the documents :meth:`submit` has queued."""
        with self._queue_lock:
            queued, self._queue = self._queue, None
        if queued is not None:
            queued.shutdown(wait=True)
        with self._lock:
            self._stop(politely=True)

    # -- converting ------------------------------------------------------------------------------

    def time_for(self, docx: bytes) -> float:
        """Seconds one document may take: :attr:`timeout`, and :data:`SECONDS_PER_MB` more per
        megabyte of .docx (LibreOffice's layout grows with the document: a 2000-measure plan takes
        minutes where the example takes a second)."""
        return self.timeout + SECONDS_PER_MB * len(docx) / 1_000_000

    def _attempt(self, docx: bytes, pdf: bool, pdfa: bool, bookmarks: Sequence[str]) -> Layout:
        assert self._worker is not None and self._worker.stdin is not None and self._folder is not None
        self._count += 1
        source = self._folder / f"dokument-{self._count}.docx"
        target = self._folder / f"dokument-{self._count}.pdf"
        source.write_bytes(docx)
        request = {
            "input": str(source),
            "output": str(target) if pdf else "",
            "pdfa": pdfa,
            "bookmarks": list(bookmarks),
        }
        try:
            try:
                self._worker.stdin.write(json.dumps(request) + "\n")
                self._worker.stdin.flush()
            except (OSError, ValueError):
                raise _Failure("LibreOffice avslutades oväntat") from None
            answer = self._answer(self.time_for(docx))
            if not answer.get("ok"):
                raise _Failure(str(answer.get("error") or "okänt fel"))
            data = target.read_bytes() if pdf else None
        except OSError as exc:
            raise _Failure(f"PDF-filen saknas ({exc.strerror or exc})") from None
        finally:
            for path in (source, target):
                with contextlib.suppress(OSError):
                    path.unlink()
        pages = {str(k): int(v) for k, v in dict(answer.get("pages") or {}).items()}
        timings = {str(k): float(v) for k, v in dict(answer.get("timings") or {}).items()}
        return Layout(data, pages, int(answer.get("page_count") or 0), timings)

    def convert(
        self,
        docx: bytes,
        *,
        pdf: bool = True,
        pdfa: bool = False,
        bookmarks: Sequence[str] = (),
        where: Location | None = None,
    ) -> Layout:
        """Lay ``docx`` out with every field and index updated: the tagged PDF (PDF/A-2 with
        ``pdfa``; none when ``pdf`` is False) and the page of each of ``bookmarks``.

        Raises :class:`OutputError`: HD610/HD611 when LibreOffice or its Python bridge is missing,
        HD612 when it does not start, HD613/HD614 when the document failed twice (a timeout, or a
        crash or error), LibreOffice being restarted in between.
        """
        return self._convert(self._prepared(docx), pdf=pdf, pdfa=pdfa, bookmarks=bookmarks, where=where)

    def _prepared(self, docx: bytes) -> bytes:
        """The .docx LibreOffice is given (:attr:`inline_table_styles`)."""
        return for_libreoffice(docx) if self.inline_table_styles else docx

    def _convert(
        self, docx: bytes, *, pdf: bool, pdfa: bool, bookmarks: Sequence[str], where: Location | None
    ) -> Layout:
        where = where or Location("PDF")
        with self._lock:
            failure: _Failure | None = None
            for _ in range(2):
                if not self.running:
                    self._stop()
                    self._start(where)
                try:
                    return self._attempt(docx, pdf, pdfa, bookmarks)
                except _Failure as exc:
                    failure = exc
                    self._stop()  # a hang or a crash: start afresh for the retry, and for the next document
            assert failure is not None
            if failure.timeout:
                message = (
                    f"LibreOffice blev inte klar med dokumentet inom {self.time_for(docx):.0f} s, inte heller efter en "
                    "omstart. Försök igen, eller gör PDF av .docx-filen i LibreOffice eller Word."
                )
                raise OutputError(Problem("HD613", message, where))
            message = (
                f"LibreOffice kunde inte göra PDF av dokumentet, inte heller efter en omstart ({failure}). "
                "Öppna .docx-filen i LibreOffice eller Word och spara den som PDF."
            )
            raise OutputError(Problem("HD614", message, where))

    def submit(
        self,
        docx: bytes,
        *,
        pdf: bool = True,
        pdfa: bool = False,
        bookmarks: Sequence[str] = (),
        where: Location | None = None,
    ) -> concurrent.futures.Future[Layout]:
        """:meth:`convert` in the background: the document is queued for this LibreOffice, and our
        process goes on (rendering the next document, drawing charts) while it is laid out. The
        documents of the queue are converted one after the other, in the order given; the future's
        ``result()`` is the :class:`Layout`, or raises what :meth:`convert` raises."""
        # The copy for LibreOffice is made here, in the caller's thread: on the queue's thread it would
        # contend for the interpreter with what the caller does meanwhile (drawing charts), and took
        # ten times as long.
        prepared = self._prepared(docx)
        with self._queue_lock:
            if self._queue is None:
                self._queue = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="libreoffice")
            return self._queue.submit(self._convert, prepared, pdf=pdf, pdfa=pdfa, bookmarks=bookmarks, where=where)


def _no_uno_message(soffice: str) -> str:
    return (
        f"LibreOffice finns ({soffice}), men inte dess Python-brygga (uno), som behövs för att göra PDF. "
        "På Debian och Ubuntu: `apt-get install python3-uno`; eller ange en Python som kan "
        "`import uno` i miljövariabeln HALLBARDOCS_UNO_PYTHON."
    )


def _read_lines(stream: IO[str], answers: queue.Queue[str | None]) -> None:
    """The worker's answers, a line at a time; None when it has gone."""
    with contextlib.suppress(OSError, ValueError):
        for line in stream:
            answers.put(line)
    answers.put(None)


_DEFAULT: Converter | None = None
_DEFAULT_LOCK = threading.Lock()


def default_converter() -> Converter:
    """The converter shared by every document of this process, shut down at exit."""
    global _DEFAULT
    with _DEFAULT_LOCK:
        if _DEFAULT is None:
            _DEFAULT = Converter()
            atexit.register(shutdown_default_converter)
        return _DEFAULT


def shutdown_default_converter() -> None:
    """Shut the shared converter's LibreOffice down (also done at exit)."""
    global _DEFAULT
    with _DEFAULT_LOCK:
        converter, _DEFAULT = _DEFAULT, None
    if converter is not None:
        converter.close()
