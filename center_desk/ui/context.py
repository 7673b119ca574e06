"""Everything a view needs, handed down from the application (no globals)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from PySide6.QtWidgets import QWidget

from center_desk.domain import Center, Clock, SlotDef
from center_desk.sync.config import DeskConfig
from center_desk.sync.sign_in import SignedIn

from .sync_driver import SyncDriver
from .tasks import Tasks
from .worker import DbWorker

if TYPE_CHECKING:
    # Named for typing only. The forms (reportlab) are the print service's business, on
    # first print or in the warm-up after the first paint; the client and the operations
    # bring the wire models (pydantic) and are made on first use (issue 13).
    from center_desk.printing import PrintRecord
    from center_desk.sync.client import BackendClient
    from center_desk.sync.operations import DeskOperations
    from center_desk.sync.sign_in import StaffSignIn


class SlipPrinter(Protocol):
    """Printing a booking's two slips (利用申請書・利用承認書), off the GUI thread: what views
    ask of the desk's print service (``ui/print_service.PrintService``)."""

    def print_slips(
        self,
        reservation_ids: list[str],
        on_done: Callable[[list[PrintRecord]], object],
        on_error: Callable[[BaseException], object],
    ) -> None: ...

    def preview(
        self,
        reservation_id: str,
        parent: QWidget,
        on_error: Callable[[BaseException], object],
        on_printed: Callable[[list[PrintRecord]], object] = ...,
    ) -> None: ...


@dataclass(frozen=True)
class OnlineParts:
    """What talks to the backend, or queues work for it: made together, on first use."""

    client: BackendClient
    ops: DeskOperations
    staff_sign_in: StaffSignIn


@dataclass
class DeskContext:
    config: DeskConfig
    clock: Clock
    db: DbWorker
    #: Makes the client, the operations and the sign-in the first time one is asked for
    #: (``client``, ``ops``, ``staff_sign_in``), on whichever thread asks first. The sign-in
    #: panel shows without them, so the window paints before their imports (issue 13).
    make_online: Callable[[], OnlineParts]
    sync: SyncDriver
    tasks: Tasks
    demo: bool = False
    center: Center | None = None
    slots: tuple[SlotDef, ...] = ()
    staff: SignedIn | None = None
    #: The print service, made on first use (``ui/print_service.print_service``).
    printer: SlipPrinter | None = None
    #: Callbacks the main window registers (e.g. refresh every view after a sync).
    listeners: list[Callable[[], None]] = field(default_factory=list)

    _online: OnlineParts | None = field(default=None, init=False, repr=False)
    _online_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    @property
    def online(self) -> OnlineParts:
        made = self._online
        if made is None:
            with self._online_lock:  # a worker thread and the GUI may ask at once
                if self._online is None:
                    self._online = self.make_online()
                made = self._online
        return made

    @property
    def client(self) -> BackendClient:
        return self.online.client

    @property
    def ops(self) -> DeskOperations:
        return self.online.ops

    @property
    def staff_sign_in(self) -> StaffSignIn:
        return self.online.staff_sign_in

    @property
    def center_id(self) -> str:
        return self.config.center_id

    @property
    def staff_id(self) -> str | None:
        return self.staff.staff_id if self.staff else None

    def slot(self, slot_id: str) -> SlotDef | None:
        return next((s for s in self.slots if s.id == slot_id), None)

    def room_name(self, room_id: str) -> str:
        if self.center is not None:
            for room in self.center.rooms:
                if room.id == room_id:
                    return room.name
        return room_id
