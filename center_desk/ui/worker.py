"""One thread owns the SQLCipher connection (DESIGN.md §2).

Every cache access goes through :meth:`DbWorker.call`, which runs the function on the worker's
thread and waits for it. The GUI thread never calls it: the GUI hands work to
:class:`~center_desk.ui.tasks.Tasks`, whose pool threads call the worker, and gets the result
back by signal (as Anki's ``QueryOp`` does).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QThread

from center_desk.store import Cache, Connection

T = TypeVar("T")

_STOP = object()


class DbWorker:
    def __init__(self, open_cache: Callable[[], Cache]) -> None:
        self._queue: queue.Queue[Any] = queue.Queue()
        self._closed = False
        self._opened: Future[Cache] = Future()
        self._thread = threading.Thread(
            target=self._run, args=(open_cache,), name="desk-cache", daemon=True
        )
        self._thread.start()
        # Opening may fail (no keyring, unreadable file): the caller learns it here.
        self.cache_path = self._opened.result().path

    def _run(self, open_cache: Callable[[], Cache]) -> None:
        try:
            cache = open_cache()
        except BaseException as exc:
            self._opened.set_exception(exc)
            return
        self._opened.set_result(cache)
        while True:
            item = self._queue.get()
            if item is _STOP:
                cache.close()
                return
            work, future = item
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(work(cache.connection))
            except BaseException as exc:
                future.set_exception(exc)

    def submit(self, work: Callable[[Connection], T]) -> Future[T]:
        if self._closed:
            raise RuntimeError("the desk's cache is closed")
        future: Future[T] = Future()
        self._queue.put((work, future))
        return future

    def call(self, work: Callable[[Connection], T], /) -> T:
        """Run ``work`` on the cache's thread and return its result (a :class:`DbRunner`).
        Never from the GUI thread: it would freeze the window while the cache is busy."""
        app = QCoreApplication.instance()
        if app is not None and QThread.currentThread() is app.thread():
            raise RuntimeError("the GUI thread must not wait for the cache; use Tasks")
        return self.submit(work).result()

    __call__ = call

    def close(self) -> None:
        """Close the cache (its key leaves memory with the connection)."""
        self._closed = True
        if self._thread.is_alive():
            self._queue.put(_STOP)
            self._thread.join(timeout=10)
