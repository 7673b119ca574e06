"""A group's registration as the groups view shows it: the group, its representative and the
person responsible."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from center_desk.domain import (
    format_era_date,
)
from center_desk.store.groups import CachedGroup

from ...widgets.exemption import exemption_choice


class GroupDetails(QWidget):
    """A group's registration as the paper form has it, without editing."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.name = QLabel("", self)
        self.name.setObjectName("groupName")
        self.name.setStyleSheet("font-size: 15pt; font-weight: bold;")
        self.name.setWordWrap(True)
        self.state = QLabel("", self)
        self.state.setObjectName("groupState")
        top.addWidget(self.name, 1)
        top.addWidget(self.state, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        self.subtitle = QLabel("", self)
        self.subtitle.setObjectName("groupSubtitle")
        self.subtitle.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.subtitle)
        columns = QHBoxLayout()
        self.group_box, self.group_rows = self._box(
            self.tr("Group"),
            [
                ("activity", self.tr("Activity")),
                ("members", self.tr("Members")),
                ("resident", self.tr("Representative")),
                ("exemption", self.tr("Fee exemption")),
            ],
        )
        people = [
            ("name", self.tr("Name")),
            ("address", self.tr("Address")),
            ("phone", self.tr("Phone")),
            ("email", self.tr("E-mail")),
        ]
        self.rep_box, self.rep_rows = self._box(self.tr("Representative"), people)
        self.resp_box, self.resp_rows = self._box(self.tr("Person responsible"), people)
        for box in (self.group_box, self.rep_box, self.resp_box):
            columns.addWidget(box, 1)
        layout.addLayout(columns)

    def _box(self, title: str, rows: list[tuple[str, str]]) -> tuple[QGroupBox, dict[str, QLabel]]:
        box = QGroupBox(title, self)
        form = QFormLayout(box)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        labels: dict[str, QLabel] = {}
        for key, text in rows:
            value = QLabel("", box)
            value.setObjectName(f"detail:{key}")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(text, value)
            labels[key] = value
        return box, labels

    def show_group(self, group: CachedGroup) -> None:
        form = group.form
        self.name.setText(group.name)
        if group.active:
            self.state.setText(
                self.tr("Registered · valid until %1").replace(
                    "%1", format_era_date(group.valid_until, weekday=False)
                )
            )
            self.state.setStyleSheet("color: #1e5631; font-weight: bold;")
        else:
            self.state.setText(self.tr("De-registered"))
            self.state.setStyleSheet("color: #b00020; font-weight: bold;")
        self.subtitle.setText(
            self.tr("%1 · User ID %2").replace("%1", form.furigana).replace("%2", group.user_id)
        )
        self.group_rows["activity"].setText(form.activity)
        self.group_rows["members"].setText(
            self.tr("%1 (in Kodaira %2)")
            .replace("%1", str(form.member_count))
            .replace("%2", str(form.kodaira_member_count))
        )
        self.group_rows["resident"].setText(
            self.tr("Lives, works or studies in Kodaira")
            if form.representative_is_resident
            else self.tr("Not in Kodaira")
        )
        exemption = exemption_choice(form.fee_exemption)
        if form.fee_exemption_note:
            exemption += f"（{form.fee_exemption_note}）"
        self.group_rows["exemption"].setText(exemption)
        for person, rows in (
            (form.representative, self.rep_rows),
            (form.responsible, self.resp_rows),
        ):
            rows["name"].setText(f"{person.name}（{person.furigana}）")
            rows["address"].setText(f"〒{person.postal_code}\n{person.address}")
            rows["phone"].setText(person.phone)
            rows["email"].setText(person.email or self.tr("(none)"))
