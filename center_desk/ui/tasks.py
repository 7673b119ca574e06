"""Background work for the GUI: run a function on a pool thread, get its result (or its
error) back on the GUI thread by signal. Never touch a widget from the function itself."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

T = TypeVar("T")


class _Box:
    """Carries a result across threads. PySide6 miscounts references to ``None`` passed through
    a queued ``Signal(object)`` (the interpreter then aborts with "none_dealloc" at exit), and
    many results are ``None``: boxing every result keeps ``None`` off the signal."""

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value


class _Relay(QObject):
    """Lives on the GUI thread; its signals are emitted from a pool thread, so Qt queues the
    slots onto the GUI thread."""

    done = Signal(object)
    failed = Signal(object)

    def __init__(
        self,
        on_done: Callable[[Any], Any],
        on_error: Callable[[BaseException], Any] | None,
        finish: Callable[[_Relay], None],
    ) -> None:
        super().__init__()
        self._on_done = on_done
        self._on_error = on_error
        self._finish = finish
        self.done.connect(self._deliver)
        self.failed.connect(self._deliver_error)

    @Slot(object)
    def _deliver(self, box: object) -> None:
        self._finish(self)
        assert isinstance(box, _Box)
        self._on_done(box.value)

    @Slot(object)
    def _deliver_error(self, box: object) -> None:
        self._finish(self)
        assert isinstance(box, _Box)
        error = box.value
        assert isinstance(error, BaseException)
        if self._on_error is None:
            raise error
        self._on_error(error)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], object], relay: _Relay) -> None:
        super().__init__()
        self._work = work
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._work()
        except BaseException as exc:
            # Delivered to the GUI's error handler, never swallowed here.
            self._relay.failed.emit(_Box(exc))
        else:
            self._relay.done.emit(_Box(result))


class Tasks(QObject):
    """``tasks.run(work, on_done, on_error)``; counts work in flight so tests can wait."""

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, *, threads: int = 4) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(threads)
        self._relays: set[_Relay] = set()

    @property
    def in_flight(self) -> int:
        return len(self._relays)

    def run(
        self,
        work: Callable[[], T],
        on_done: Callable[[T], Any] = lambda _: None,
        on_error: Callable[[BaseException], Any] | None = None,
    ) -> None:
        relay = _Relay(on_done, on_error, self._finished)
        self._relays.add(relay)
        if len(self._relays) == 1:
            self.busy_changed.emit(True)
        self._pool.start(_Job(work, relay))

    def _finished(self, relay: _Relay) -> None:
        self._relays.discard(relay)
        if not self._relays:
            self.busy_changed.emit(False)

    def wait(self, msecs: int = 30000) -> bool:
        return self._pool.waitForDone(msecs)
