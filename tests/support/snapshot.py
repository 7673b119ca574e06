"""Helpers for the resumable-snapshot tests: a backend log with reservations and groups in it,
a TCP proxy that cuts the connection at a chosen pull, and the desk's view of it."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import date, datetime

from sqlalchemy import select

from center_desk.backend.models import ReservationRow
from center_desk.backend.services.changes import record_row_change, reference_group
from center_desk.store import Connection
from tests.support.backend_app import (
    CENTER,
    HALL,
    TATAMI2,
    Backend,
    insert_groups,
    insert_reservation,
)

SLOTS = ("morning", "afternoon", "evening")


def seed_log(backend: Backend, *, groups: int, reservations: int, now: datetime) -> None:
    """Groups referenced by the desk's center and reservations of it, in the change log (as
    the backend's own services would record them)."""
    user_ids = insert_groups(backend.ctx, groups, now=now)
    with backend.ctx.db.session() as session:
        for user_id in user_ids:
            reference_group(session, center_id=CENTER, user_id=user_id, now=now)
    made = 0
    day = date(2027, 2, 9)
    while made < reservations:
        for room in (HALL, TATAMI2):
            for slot in SLOTS:
                if made >= reservations:
                    break
                reservation_id = insert_reservation(
                    backend.ctx,
                    user_id=user_ids[made % len(user_ids)],
                    day=day,
                    room=room,
                    slot=slot,
                    now=now,
                )
                with backend.ctx.db.session() as session:
                    row = session.get(ReservationRow, reservation_id)
                    assert row is not None
                    record_row_change(session, "reservation", row, now)
                made += 1
        day = date.fromordinal(day.toordinal() + 1)


def backend_reservations(backend: Backend) -> set[str]:
    with backend.ctx.db.session() as session:
        return {
            str(i)
            for i in session.scalars(
                select(ReservationRow.id).where(ReservationRow.center_id == CENTER)
            )
        }


def desk_reservations(db: Connection) -> set[str]:
    return {str(r[0]) for r in db.execute("SELECT id FROM reservations").fetchall()}


class CuttingProxy:
    """A TCP proxy in front of the backend that forwards bytes both ways and, when the client
    sends its ``cut_at``-th pull request (1-based), drops both connections instead: the pull
    in flight is lost, as on a network drop. ``cut_at = 0``: never cut."""

    def __init__(self, target_port: int, cut_at: int = 0) -> None:
        self.target_port = target_port
        self.cut_at = cut_at
        self.pulls = 0
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(8)
        self.port = int(self._listener.getsockname()[1])
        self._lock = threading.Lock()
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            threading.Thread(target=self._pipe_up, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client), daemon=True).start()

    def _pipe_up(self, client: socket.socket, upstream: socket.socket) -> None:
        try:
            while data := client.recv(65536):
                with self._lock:
                    self.pulls += data.count(b"GET /v1/sync/pull")
                    cut = self.cut_at and self.pulls >= self.cut_at
                if cut:
                    self.cut_at = 0
                    break
                upstream.sendall(data)
        except OSError:
            pass
        _close(client, upstream)

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        _close(source, sink)

    def close(self) -> None:
        self._closed = True
        self._listener.close()


def _close(*sockets: socket.socket) -> None:
    for sock in sockets:
        with suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        sock.close()


@contextmanager
def cutting_proxy(target_url: str, cut_at: int) -> Iterator[CuttingProxy]:
    proxy = CuttingProxy(int(target_url.rsplit(":", 1)[1].rstrip("/")), cut_at)
    try:
        yield proxy
    finally:
        proxy.close()
