"""The report's charts drawn for paper by plotly.js itself, in a Chromium that kaleido
starts and this process keeps: started on first use, reused by every report after it,
started again when it died or stopped answering.

Why not kaleido's own export (calc_fig, or its sync server): it reloads its page after
every figure, parsing plotly.js again, which was nine tenths of each chart's time; and
its server waits for ever on a hung browser. Here one call draws all of a report's
charts, and every wait has a deadline, after which the browser and the helpers it
started are killed (see docs/PERFORMANCE.md, "Issue 13: the PDF")."""

import asyncio
import atexit
import base64
import contextlib
import logging
import os
import shutil
import signal
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import unquote

import kaleido
import orjson
from django.contrib.staticfiles import finders

logger = logging.getLogger(__name__)

# The basic bundle the pages serve: a quarter of the full one, so Chromium starts
# drawing sooner.
PLOTLY_JS = "vendor/plotly-basic-4.1.1.min.js"
EXPORT_TIMEOUT = 60  # seconds for a report's charts, a start included
PING_TIMEOUT = 5  # seconds for a warm browser to show it still answers
# CSS pixels are 1/96 inch; paper wants about 300 dots an inch.
PRINT_DPI = 300

# Each figure in turn, drawn at its own size. One call for the whole report: the
# messages to and from the browser, not the drawing, were most of a small chart's time.
DRAW = """(async (figures, format, scale) => {
  const images = [];
  for (const figure of figures) {
    const {width, height} = figure.layout;
    images.push(await Plotly.toImage(figure, {format, width, height, scale}));
  }
  return images;
})"""


class ExportError(RuntimeError):
    """The browser answered with an error instead of the images."""


def _child_processes() -> set[int]:
    """This process's children, from Linux's /proc (empty elsewhere)."""
    children = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue  # ended meanwhile
        if parent == os.getpid():
            children.add(int(stat.parent.name))
    return children


def _kill(pid: int) -> None:
    """The browser and the helpers it started (its process group, when it leads one)."""
    try:
        if os.getpgid(pid) == pid:
            os.killpg(pid, signal.SIGKILL)
        else:
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, os.WNOHANG)  # reaped, so no zombie stays behind
    except (ProcessLookupError, ChildProcessError, PermissionError):
        pass


def _decode(url: str) -> bytes:
    """The bytes of a data: URL as plotly.js gives them: base64 for pictures, quoted
    text for SVG."""
    head, _, body = url.partition(",")
    return base64.b64decode(body) if head.endswith(";base64") else unquote(body).encode()


class _Session:
    """One browser: its own event loop on a thread of its own (the caller may be inside
    an event loop already: an async view, Playwright), its folder for kaleido's page
    and Chromium's profile, and the pids to kill. Starting it doesn't wait."""

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="ripple-charts-"))
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.name = "ripple-chart-browser"
        self.thread.start()
        self.browser = None
        self.before = _child_processes()
        self.opened = asyncio.run_coroutine_threadsafe(self._open(), self.loop)

    async def _open(self):
        # mathjax=False: kaleido would otherwise load MathJax from a CDN.
        page = kaleido.PageGenerator(plotly=finders.find(PLOTLY_JS), mathjax=False)
        index = self.folder / "index.html"
        index.write_text(page.generate_index())
        self.browser = kaleido.Kaleido(page_generator=index, tmp_dir=str(self.folder))
        await self.browser.open()

    def wait_open(self, timeout: float) -> None:
        self._result(self.opened, timeout)

    def run(self, coroutine, timeout: float):
        return self._result(asyncio.run_coroutine_threadsafe(coroutine, self.loop), timeout)

    @staticmethod
    def _result(future, timeout: float):
        try:
            return future.result(max(timeout, 0))
        except TimeoutError:
            future.cancel()  # cancelling doesn't stop a hung browser: kill() does
            raise

    @property
    def alive(self) -> bool:
        process = getattr(self.browser, "subprocess", None)
        return process is not None and process.poll() is None

    @property
    def pid(self) -> int:
        return self.browser.subprocess.pid

    async def _evaluate(self, expression: str):
        answer = await self.browser.get_tab().send_command(
            "Runtime.evaluate",
            params={"expression": expression, "awaitPromise": True, "returnByValue": True},
        )
        if "error" in answer:
            raise ExportError(str(answer["error"])[:500])
        if "exceptionDetails" in answer["result"]:
            raise ExportError(str(answer["result"]["exceptionDetails"])[:500])
        return answer["result"]["result"].get("value")

    def ping(self, timeout: float) -> None:
        self.run(self._evaluate("1"), timeout)

    def draw(self, figures: list[dict], *, format: str, timeout: float) -> list[bytes]:
        scale = 1 if format == "svg" else PRINT_DPI / 96
        call = f"{DRAW}({orjson.dumps(figures).decode()}, {orjson.dumps(format).decode()}, {scale})"
        return [_decode(url) for url in self.run(self._evaluate(call), timeout)]

    def close(self, *, release: bool = True) -> None:
        """Kill the browser with its process group (a headless one loses nothing, and
        closing it gracefully took a second) and remove its files. Without release (the
        process is ending), its thread stops first, so kaleido doesn't log the death."""
        if not release:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(1)
        for pid in self.pids():
            _kill(pid)
        # Chromium keeps its lock's socket in a folder of its own, linked from the profile.
        for link in self.folder.glob("*/SingletonSocket"):
            shutil.rmtree(Path(os.readlink(link)).parent, ignore_errors=True)
        shutil.rmtree(self.folder, ignore_errors=True)
        if release:
            # kaleido's own closing then only frees pipes and threads, but waits a while
            # for its reader thread: on the browser's thread, not the caller's.
            self.loop.call_soon_threadsafe(self.loop.create_task, self._close_and_stop())

    def pids(self) -> set[int]:
        """The browser's wrapper process, leading its process group; or, if the start
        hung before kaleido knew its process, any child this process gained since."""
        if hasattr(self.browser, "subprocess"):
            return {self.pid}
        return _child_processes() - self.before

    async def _close_and_stop(self):
        try:
            with contextlib.suppress(Exception):
                if self.browser is not None:
                    await self.browser.close()
        finally:
            self.loop.stop()


class ChartBrowser:
    """The process's browser for charts. `starts` counts the browsers started."""

    def __init__(self):
        self._lock = threading.Lock()  # one report's charts at a time
        self._session: _Session | None = None
        self.starts = 0

    @property
    def pid(self) -> int | None:
        """The running browser's process (its wrapper's, leading its process group)."""
        session = self._session
        return session.pid if session and session.opened.done() and session.alive else None

    def warm(self) -> None:
        """Start a browser now, without waiting for it, unless one is running: a report
        about to be laid out then finds it (nearly) ready."""
        with self._lock:
            if self._session is None:
                self._start()

    def draw(self, figures: list[dict], *, format: str = "png") -> list[bytes]:
        """Each figure as an image (PNG at PRINT_DPI, or SVG), in order. Raises on
        failure, having killed a browser that failed or hung."""
        deadline = time.monotonic() + EXPORT_TIMEOUT
        with self._lock:
            session = self._ready(deadline)
            try:
                return session.draw(figures, format=format, timeout=deadline - time.monotonic())
            except BaseException:
                self._stop()
                raise

    def _ready(self, deadline: float) -> _Session:
        """The running browser, after a sign of life; or a new one."""
        session = self._session
        if session is not None and session.opened.done():
            try:
                session.opened.result()  # a start that failed is tried again
                if not session.alive:
                    raise ProcessLookupError("it had stopped")
                session.ping(min(PING_TIMEOUT, deadline - time.monotonic()))
                return session
            except Exception as error:
                why = str(error) or type(error).__name__
                logger.warning("Starting another chart browser: %s", why)
                self._stop()
        session = self._session or self._start()
        try:
            session.wait_open(deadline - time.monotonic())
        except BaseException:
            self._stop()
            raise
        return session

    def _start(self) -> _Session:
        self._session = _Session()
        self.starts += 1
        return self._session

    def _stop(self, *, release: bool = True) -> None:
        if self._session is not None:
            session, self._session = self._session, None
            session.close(release=release)

    def close(self, *, release: bool = True) -> None:
        """Stop the browser, if one runs (at the process's end, and in tests)."""
        with self._lock:
            self._stop(release=release)


BROWSER = ChartBrowser()
atexit.register(BROWSER.close, release=False)
