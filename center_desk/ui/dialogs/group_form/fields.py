"""The form's field widgets (利用者登録届出書's three columns) and reading and writing their text.

The base of :class:`~.dialog.GroupFormDialog`: it declares the state the dialog sets up, builds
the fields, and leaves what happens when staff leave a field to :class:`~.checks.GroupFormChecks`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from center_desk.protocol.groups import GroupSummary
from center_desk.store.groups import CachedGroup

from ...context import DeskContext
from ...widgets.exemption import EXEMPTION_CODES, exemption_choice
from ...widgets.message_bar import ERROR_COLOUR, MessageBar
from .values import PERSON_FIELDS, FormField


class GroupFormFields(QDialog):
    """The fields of the registration form; the checks and the dialog build on it."""

    # Set up by GroupFormDialog.__init__; declared here so each part of the form is typed.
    ctx: DeskContext
    existing: CachedGroup | None
    fields: dict[str, FormField]
    banner: MessageBar
    similar_bar: MessageBar
    same_button: QPushButton
    _name_edit: QLineEdit
    _initial: dict[str, str]
    _touched: set[str]
    _to_normalize: set[str]
    _submitted: bool
    _busy: bool
    _finished: bool
    _check_generation: int
    _filling: bool
    _autofilled: dict[str, str]
    _similar_key: tuple[str, ...] | None
    _similar_warned_key: tuple[str, ...] | None
    _similar: list[GroupSummary]
    _warned_fields: tuple[str, ...]

    # --- building ------------------------------------------------------------------------

    def _row(
        self,
        form: QFormLayout,
        path: str,
        label: str,
        widget: QWidget,
        get: Callable[[], str],
        put: Callable[[str], None],
    ) -> None:
        cell = QWidget(form.parentWidget())
        stack = QVBoxLayout(cell)
        stack.setContentsMargins(0, 0, 0, 0)
        stack.setSpacing(1)
        stack.addWidget(widget)
        error = QLabel("", cell)
        error.setObjectName(f"error:{path}")
        error.setWordWrap(True)
        error.setStyleSheet(f"color: {ERROR_COLOUR};")
        error.hide()
        stack.addWidget(error)
        widget.setObjectName(f"field:{path}")
        form.addRow(label, cell)
        self.fields[path] = FormField(path, widget, error, get, put)

    def _line(
        self, form: QFormLayout, path: str, label: str, *, max_length: int = 200
    ) -> QLineEdit:
        edit = QLineEdit(form.parentWidget())
        edit.setMaxLength(max_length)
        self._row(form, path, label, edit, edit.text, edit.setText)
        edit.editingFinished.connect(lambda p=path: self._left(p))
        return edit

    def _count(self, form: QFormLayout, path: str, label: str) -> QSpinBox:
        spin = QSpinBox(form.parentWidget())
        spin.setRange(0, 100000)
        spin.setSuffix(self.tr(" people"))

        def put(text: str) -> None:
            spin.setValue(int(text or 0))

        self._row(form, path, label, spin, lambda: str(spin.value()), put)
        spin.editingFinished.connect(lambda p=path: self._left(p))
        return spin

    def _group_box(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox(self.tr("Group"), parent)
        # Narrower columns would squeeze the red notes into a tall sliver: scroll instead.
        box.setMinimumWidth(420)
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._name_edit = self._line(form, "name", self.tr("Group name"), max_length=100)
        furigana = self._line(form, "furigana", self.tr("Furigana"), max_length=200)
        furigana.setPlaceholderText(self.tr("Katakana or hiragana"))
        self._line(form, "activity", self.tr("Activity"), max_length=400)
        self._count(form, "member_count", self.tr("Members"))
        self._count(form, "kodaira_member_count", self.tr("In Kodaira"))
        self.fields["kodaira_member_count"].widget.setToolTip(
            self.tr("Members who live, work or study in Kodaira")
        )
        resident = QCheckBox(self.tr("Lives, works or studies in Kodaira"), box)
        self._row(
            form,
            "representative_is_resident",
            self.tr("Representative"),
            resident,
            lambda: "1" if resident.isChecked() else "",
            lambda text: resident.setChecked(text == "1"),
        )
        resident.toggled.connect(lambda _=False: self._left("representative_is_resident"))
        combo = QComboBox(box)
        combo.addItem(exemption_choice(None), "")
        for code in EXEMPTION_CODES:
            combo.addItem(exemption_choice(code), code)

        def get_exemption() -> str:
            return str(combo.currentData() or "")

        def put_exemption(code: str) -> None:
            index = combo.findData(code)
            combo.setCurrentIndex(max(index, 0))

        self._row(
            form, "fee_exemption", self.tr("Fee exemption"), combo, get_exemption, put_exemption
        )
        combo.currentIndexChanged.connect(lambda _=0: self._left("fee_exemption"))
        note = self._line(form, "fee_exemption_note", self.tr("Exemption note"))
        note.setPlaceholderText(self.tr("Needed for “Other”"))
        return box

    def _person_box(self, parent: QWidget, role: str) -> QGroupBox:
        title = (
            self.tr("Representative")
            if role == "representative"
            else self.tr("Person responsible for use")
        )
        box = QGroupBox(title, parent)
        box.setMinimumWidth(370)
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._line(form, f"{role}.name", self.tr("Name"), max_length=60)
        furigana = self._line(form, f"{role}.furigana", self.tr("Furigana"), max_length=120)
        furigana.setPlaceholderText(self.tr("Katakana or hiragana"))
        postal = self._line(form, f"{role}.postal_code", self.tr("Postal code"), max_length=16)
        postal.setPlaceholderText(self.tr("e.g. 187-0032: fills the address"))
        postal.editingFinished.connect(lambda r=role: self._postal_left(r))
        self._line(form, f"{role}.address", self.tr("Address"))
        phone = self._line(form, f"{role}.phone", self.tr("Phone"), max_length=32)
        phone.setPlaceholderText(self.tr("With the area code"))
        email = self._line(form, f"{role}.email", self.tr("E-mail"), max_length=254)
        email.setPlaceholderText(self.tr("Optional: lottery results by e-mail"))
        phone.editingFinished.connect(self._check_similar_soon)
        if role == "representative":
            # Last in the representative's column, so Tab reaches it right before the person
            # responsible's fields, which it fills when they are the same person.
            self.same_button = QPushButton(self.tr("Same person is responsible →"), box)
            self.same_button.setObjectName("sameAsRepresentative")
            self.same_button.setAutoDefault(False)
            self.same_button.setToolTip(
                self.tr("Copy the representative's details to the person responsible (Ctrl+R)")
            )
            self.same_button.clicked.connect(self.copy_representative)
            QShortcut(QKeySequence("Ctrl+R"), self, self.copy_representative)
            form.addRow("", self.same_button)
        return box

    # --- values --------------------------------------------------------------------------

    def values(self) -> dict[str, str]:
        return {path: f.get() for path, f in self.fields.items()}

    def set_values(self, values: dict[str, str]) -> None:
        self._filling = True
        try:
            for path, value in values.items():
                if path in self.fields:
                    self.fields[path].put(value)
        finally:
            self._filling = False

    def field(self, path: str) -> QWidget:
        return self.fields[path].widget

    def error_text(self, path: str) -> str:
        label = self.fields[path].error
        return label.text() if not label.isHidden() else ""

    def is_dirty(self) -> bool:
        return self.values() != self._initial

    def copy_representative(self) -> None:
        for leaf in PERSON_FIELDS:
            self.fields[f"responsible.{leaf}"].put(self.fields[f"representative.{leaf}"].get())
        self._touched.update(f"responsible.{leaf}" for leaf in PERSON_FIELDS)
        self._recheck()

    # --- what leaving a field does (GroupFormChecks) ----------------------------------------

    def _left(self, path: str) -> None:
        raise NotImplementedError

    def _recheck(self, *, normalize: str | None = None) -> None:
        raise NotImplementedError

    def _postal_left(self, role: str) -> None:
        raise NotImplementedError

    def _check_similar_soon(self) -> None:
        raise NotImplementedError
