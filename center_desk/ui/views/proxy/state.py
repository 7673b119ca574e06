"""What the proxy view holds: the request staff are making and the state every part of the view
shares, declared once so the parts (days, applying, the view) are typed."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QWidget,
)

from center_desk.domain import (
    ApplicationWindows,
    CenterCalendar,
)
from center_desk.store.groups import CachedGroup

from ...context import DeskContext
from ...widgets.cells import Cell
from ...widgets.group_search import GroupSearchBox
from ...widgets.message_bar import MessageBar


@dataclass(frozen=True)
class ProxyRequest:
    kind: str
    user_id: str
    room_id: str
    use_date: date
    slot_id: str
    headcount: int
    purpose: str


class ProxyState(QWidget):
    """The state of the proxy view; set up by :class:`~.view.ProxyView`."""

    ctx: DeskContext
    calendar: CenterCalendar
    use_date: date | None
    windows: ApplicationWindows | None
    group: CachedGroup | None
    online: bool | None
    _stale: bool
    _busy: bool
    _date_typed_by_staff: bool
    _request_ids: dict[ProxyRequest, uuid.UUID]
    # The widgets (view.py builds them).
    date_field: QLineEdit
    date_label: QLabel
    closed_note: MessageBar
    now_label: QLabel
    window_rows: dict[str, tuple[QLabel, QLabel]]
    day_grid: QTableWidget
    day_cells: dict[tuple[str, str], Cell]
    results_note: QLabel
    results: QTableWidget
    search: GroupSearchBox
    group_label: QLabel
    quota_label: QLabel
    room: QComboBox
    slot: QComboBox
    headcount: QSpinBox
    purpose: QLineEdit
    lottery_button: QPushButton
    first_come_button: QPushButton
    outcome: MessageBar
