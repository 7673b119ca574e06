"""The registration form (利用者登録届出書) as staff type it from paper, for a new group or a
change of registration.

Every problem is shown next to its field at once (the domain's ``validate_group`` lists them
all; the backend's 422 names the same fields). What staff typed is never thrown away: an error
keeps the form, an offline desk keeps the form, and a lock that closes the dialog leaves a draft
in the encrypted cache that the next form opens with (DESIGN.md §5).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from center_desk.domain import FieldProblem, GroupCheck, GroupForm, Person, validate_group
from center_desk.domain import lookup_address as domain_lookup_address
from center_desk.domain.group import normalize_postal_code
from center_desk.protocol.groups import GroupIn, GroupOut, GroupRegistered, GroupSummary, PersonIn
from center_desk.store import meta
from center_desk.store.groups import CachedGroup
from center_desk.sync.errors import Refused

from .. import messages
from ..context import DeskContext

log = logging.getLogger("center_desk.ui.group_form")

ROLES = ("representative", "responsible")
PERSON_FIELDS = ("name", "furigana", "postal_code", "address", "phone", "email")
#: Field paths in form order: the first one with a problem gets the focus.
FIELD_ORDER: tuple[str, ...] = (
    "name",
    "furigana",
    "activity",
    "member_count",
    "kodaira_member_count",
    "representative_is_resident",
    "fee_exemption",
    "fee_exemption_note",
    *(f"{role}.{leaf}" for role in ROLES for leaf in PERSON_FIELDS),
)
EXEMPTION_CODES = ("city_subsidy", "school_pta", "shakyo_subsidy", "other")
#: Domain problem codes: their messages are the domain's own Japanese sentences. Anything else
#: the backend names (pydantic's English) gets our generic words instead.
DOMAIN_CODES = frozenset(
    {
        "required",
        "too_long",
        "not_katakana",
        "bad_postal_code",
        "unknown_postal_code",
        "bad_phone",
        "bad_email",
        "too_few_members",
        "representative_not_resident",
        "bad_count",
        "kodaira_more_than_members",
        "too_few_residents",
        "unknown_fee_exemption",
    }
)
ERROR_COLOUR = "#b00020"
WARNING_COLOUR = "#8a5a00"

T = TypeVar("T")


def run_for(
    owner: QObject,
    ctx: DeskContext,
    work: Callable[[], T],
    on_done: Callable[[T], object] = lambda _: None,
    on_error: Callable[[BaseException], object] | None = None,
) -> None:
    """``ctx.tasks.run`` for a widget: the answer is dropped once the widget is gone (a
    dialog the lock closed, a window closed at exit), so a late reply never reaches it."""

    def done(result: T) -> None:
        if shiboken6.isValid(owner):
            on_done(result)

    def failed(error: BaseException) -> None:
        if not shiboken6.isValid(owner):
            return
        if on_error is None:
            log.warning("background work failed: %s", type(error).__name__)
            return
        on_error(error)

    ctx.tasks.run(work, done, failed)


def exemption_label(code: str | None) -> str:
    """使用料免除 grounds in the staff's words (the printed slip uses the domain's labels)."""
    labels = {
        None: QCoreApplication.translate("GroupFormDialog", "None (pays the fee)"),
        "city_subsidy": QCoreApplication.translate(
            "GroupFormDialog", "City subsidy for the purpose"
        ),
        "school_pta": QCoreApplication.translate("GroupFormDialog", "City school PTA"),
        "shakyo_subsidy": QCoreApplication.translate(
            "GroupFormDialog", "Social welfare council grant"
        ),
        "other": QCoreApplication.translate("GroupFormDialog", "Other (write the reason)"),
    }
    return labels.get(code, code or "")


class MessageBar(QLabel):
    """One message above a form or list: an error, a warning or a note."""

    STYLES: ClassVar[dict[str, str]] = {
        "error": f"background: #fde7ea; color: {ERROR_COLOUR}; border: 1px solid #f3b6bf;",
        "warning": "background: #fff3cd; color: #5c4400; border: 1px solid #f0d58a;",
        "info": "background: #e7f0fa; color: #1f4e79; border: 1px solid #b8d0ea;",
        "success": "background: #e6f4ea; color: #1e5631; border: 1px solid #a8d5b5;",
    }

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.kind = ""
        self.hide()

    def show_message(self, kind: str, text: str) -> None:
        self.kind = kind
        self.setStyleSheet(f"QLabel {{ {self.STYLES[kind]} padding: 6px 10px; }}")
        self.setText(text)
        self.setVisible(bool(text))

    def clear_message(self) -> None:
        self.kind = ""
        self.setText("")
        self.hide()


@dataclass
class _Field:
    path: str
    widget: QWidget
    error: QLabel
    get: Callable[[], str]
    put: Callable[[str], None]


def _person_in(person: Person) -> PersonIn:
    return PersonIn(
        name=person.name,
        furigana=person.furigana,
        postal_code=person.postal_code,
        address=person.address,
        phone=person.phone,
        email=person.email or None,
    )


def group_in(form: GroupForm) -> GroupIn:
    """The wire form of a checked registration."""
    return GroupIn(
        name=form.name,
        furigana=form.furigana,
        activity=form.activity,
        member_count=form.member_count,
        kodaira_member_count=form.kodaira_member_count,
        representative_is_resident=form.representative_is_resident,
        representative=_person_in(form.representative),
        responsible=_person_in(form.responsible),
        fee_exemption=form.fee_exemption,
        fee_exemption_note=form.fee_exemption_note,
    )


def values_of(form: GroupForm) -> dict[str, str]:
    """A form as the text in each field."""
    values = {
        "name": form.name,
        "furigana": form.furigana,
        "activity": form.activity,
        "member_count": str(form.member_count),
        "kodaira_member_count": str(form.kodaira_member_count),
        "representative_is_resident": "1" if form.representative_is_resident else "",
        "fee_exemption": form.fee_exemption or "",
        "fee_exemption_note": form.fee_exemption_note,
    }
    for role in ROLES:
        person: Person = getattr(form, role)
        for leaf in PERSON_FIELDS:
            values[f"{role}.{leaf}"] = getattr(person, leaf) or ""
    return values


def form_of(values: dict[str, str]) -> GroupForm:
    def person(role: str) -> Person:
        return Person(
            name=values[f"{role}.name"],
            furigana=values[f"{role}.furigana"],
            postal_code=values[f"{role}.postal_code"],
            address=values[f"{role}.address"],
            phone=values[f"{role}.phone"],
            email=values[f"{role}.email"] or None,
        )

    return GroupForm(
        name=values["name"],
        furigana=values["furigana"],
        activity=values["activity"],
        member_count=int(values["member_count"] or 0),
        kodaira_member_count=int(values["kodaira_member_count"] or 0),
        representative_is_resident=values["representative_is_resident"] == "1",
        representative=person("representative"),
        responsible=person("responsible"),
        fee_exemption=values["fee_exemption"] or None,
        fee_exemption_note=values["fee_exemption_note"],
    )


def draft_key(user_id: str | None) -> str:
    """Where a closed form's draft waits in the cache's meta table (encrypted with the rest)."""
    return f"draft:group_form:{user_id or 'new'}"


def save_draft(ctx: DeskContext, user_id: str | None, values: dict[str, str]) -> None:
    _put_draft(ctx, user_id, json.dumps(values, ensure_ascii=False))


def clear_draft(ctx: DeskContext, user_id: str | None) -> None:
    _put_draft(ctx, user_id, "")


def _put_draft(ctx: DeskContext, user_id: str | None, text: str) -> None:
    key = draft_key(user_id)
    db = ctx.db
    # Not tied to the dialog: the write must happen even when the lock has just closed it.
    ctx.tasks.run(
        lambda: db.call(lambda conn: meta.put(conn, key, text)),
        on_error=lambda e: log.warning("draft not kept: %s", type(e).__name__),
    )


#: The form's natural size: three columns side by side, every field with room for its note.
FORM_SIZE = (1300, 690)


class GroupFormDialog(QDialog):
    """利用者登録届出書. ``existing``: change that group's registration (the user id stays)."""

    #: GroupRegistered (new) or GroupOut (change), after the backend accepted the form.
    saved = Signal(object)

    def __init__(
        self,
        ctx: DeskContext,
        parent: QWidget | None = None,
        *,
        existing: CachedGroup | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.existing = existing
        self.registered: GroupRegistered | None = None
        #: Gets the backend's answer when it arrives after the form was closed (the lock).
        self.orphan_saved: Callable[[GroupRegistered | GroupOut], None] | None = None
        self.changed: GroupOut | None = None
        self.fields: dict[str, _Field] = {}
        self._touched: set[str] = set()
        self._to_normalize: set[str] = set()
        self._submitted = False
        self._busy = False
        self._finished = False
        self._check_generation = 0
        self._filling = False
        self._autofilled: dict[str, str] = {}
        self._similar_key: tuple[str, ...] | None = None
        self._similar_warned_key: tuple[str, ...] | None = None
        self._similar: list[GroupSummary] = []
        self._warned_fields: tuple[str, ...] = ()
        self.setObjectName("groupForm")
        self.setModal(True)
        if existing is None:
            self.setWindowTitle(self.tr("Register a group"))
        else:
            self.setWindowTitle(
                self.tr("Change of registration: %1").replace("%1", existing.user_id)
            )

        outer = QVBoxLayout(self)
        heading = QLabel(self.windowTitle(), self)
        heading.setObjectName("heading")
        heading.setStyleSheet("font-size: 14pt; font-weight: bold;")
        outer.addWidget(heading)
        self.banner = MessageBar(self)
        self.banner.setObjectName("formBanner")
        outer.addWidget(self.banner)
        self.similar_bar = MessageBar(self)
        self.similar_bar.setObjectName("similarWarning")
        outer.addWidget(self.similar_bar)

        body = QWidget(self)
        columns = QHBoxLayout(body)
        columns.setContentsMargins(0, 0, 0, 0)
        columns.addWidget(self._group_box(body), 10)
        self._name_edit.editingFinished.connect(self._check_similar_soon)
        columns.addWidget(self._person_box(body, "representative"), 9)
        columns.addWidget(self._person_box(body, "responsible"), 9)
        scroll = QScrollArea(self)
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(scroll, 1)

        self.discard_bar = QFrame(self)
        self.discard_bar.setObjectName("discardBar")
        self.discard_bar.setStyleSheet("#discardBar { background: #fff3cd; }")
        discard_row = QHBoxLayout(self.discard_bar)
        discard_row.addWidget(
            QLabel(self.tr("Discard what you typed? Press Esc again to discard."), self)
        )
        discard_row.addStretch(1)
        self.keep_button = QPushButton(self.tr("Keep typing"), self.discard_bar)
        self.keep_button.clicked.connect(self._keep_typing)
        self.discard_button = QPushButton(self.tr("Discard"), self.discard_bar)
        self.discard_button.setObjectName("discardButton")
        self.discard_button.clicked.connect(self.discard)
        discard_row.addWidget(self.keep_button)
        discard_row.addWidget(self.discard_button)
        self.discard_bar.hide()
        outer.addWidget(self.discard_bar)

        buttons = QHBoxLayout()
        self.status = QLabel("", self)
        self.status.setObjectName("formStatus")
        buttons.addWidget(self.status, 1)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.setToolTip(self.tr("Close the form (Esc)"))
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.request_cancel)
        self.submit_button = QPushButton(
            self.tr("Register") if existing is None else self.tr("Save changes"), self
        )
        self.submit_button.setObjectName("submitButton")
        self.submit_button.setToolTip(self.tr("Check the form and send it (Enter)"))
        self.submit_button.setDefault(True)
        self.submit_button.clicked.connect(self.submit)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.submit_button)
        outer.addLayout(buttons)
        # Ctrl+Enter submits from anywhere, including a combo box whose list is open.
        QShortcut(QKeySequence("Ctrl+Return"), self, self.submit)

        self._initial = self.values()
        if existing is not None:
            self.set_values(values_of(existing.form))
            self._initial = self.values()
        self._load_draft()
        self.fields["name"].widget.setFocus()
        self._fit_size()

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
        self.fields[path] = _Field(path, widget, error, get, put)

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
        combo.addItem(exemption_label(None), "")
        for code in EXEMPTION_CODES:
            combo.addItem(exemption_label(code), code)

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

    # --- checking ------------------------------------------------------------------------

    def _left(self, path: str) -> None:
        """Staff left a field: check the form off the GUI thread (the postal-code check reads
        Japan Post's dictionary) and mark the fields they have already been through."""
        if self._filling:
            return
        if self.fields[path].get() not in ("", "0"):
            self._touched.add(path)
        if path in ("member_count", "kodaira_member_count", "representative_is_resident"):
            self._touched.update(("member_count", "kodaira_member_count"))
        self._recheck(normalize=path)

    def _recheck(self, *, normalize: str | None = None) -> None:
        if normalize is not None:
            # Kept until a check is delivered: only the newest check is, and it normalises
            # every field left since the last one.
            self._to_normalize.add(normalize)
        self._check(self._checked, latest_only=True)

    def _check(
        self, then: Callable[[GroupCheck, dict[str, str]], None], *, latest_only: bool = False
    ) -> None:
        self._check_generation += 1
        generation = self._check_generation
        snapshot = self.values()
        form = form_of(snapshot)

        def deliver(check: GroupCheck) -> None:
            if self._finished:
                return
            # A field check speaks only if it is the newest (an older one describes text that
            # has changed since); the submit's check always does, or the submit would hang.
            if latest_only and generation != self._check_generation:
                return
            then(check, snapshot)

        run_for(self, self.ctx, lambda: validate_group(form), deliver, self._failed)

    def _checked(self, check: GroupCheck, snapshot: dict[str, str]) -> None:
        self._write_back(check, snapshot, self._to_normalize)
        self._to_normalize = set()
        shown = set(FIELD_ORDER) if self._submitted else self._touched
        self.show_problems([p for p in check.problems if p.field in shown], only=shown)
        self.show_warnings([w for w in check.warnings if w.field in shown])

    def show_warnings(self, warnings: list[FieldProblem]) -> None:
        """Amber notes under fields that have no problem: staff may go on regardless."""
        for warning in warnings:
            field = self.fields.get(warning.field)
            if field is None or not field.error.isHidden():
                continue
            field.error.setText(warning.message)
            field.error.setStyleSheet(f"color: {WARNING_COLOUR};")
            field.error.show()

    def _write_back(self, check: GroupCheck, snapshot: dict[str, str], paths: set[str]) -> None:
        """Put the normalised values (katakana, phone and postal formats) back into the fields
        that still hold what was checked; never touch a field staff have typed on since."""
        normalized = values_of(check.normalized)
        for path in paths:
            field = self.fields[path]
            unchanged = path in normalized and field.get() == snapshot[path]
            if unchanged and normalized[path] != snapshot[path]:
                field.put(normalized[path])

    def show_problems(self, problems: list[FieldProblem], *, only: set[str] | None = None) -> None:
        """Each problem under its field; fields in ``only`` (all by default) without a problem
        are cleared."""
        by_field: dict[str, list[str]] = {}
        for problem in problems:
            path = problem.field if problem.field in self.fields else ""
            by_field.setdefault(path, []).append(problem.message)
        for path, field in self.fields.items():
            if only is not None and path not in only:
                continue
            text = "\n".join(by_field.get(path, []))
            field.error.setText(text)
            field.error.setStyleSheet(f"color: {ERROR_COLOUR};")
            field.error.setVisible(bool(text))
            field.widget.setProperty("invalid", bool(text))
            # The field's own frame turns red too, for staff who look at the boxes first.
            # Line edits get a red frame too; spin and combo boxes would lose their native
            # arrows under a style sheet, so the note alone marks them.
            if isinstance(field.widget, QLineEdit):
                field.widget.setStyleSheet(
                    f"QLineEdit {{ border: 2px solid {ERROR_COLOUR}; }}" if text else ""
                )
        stray = by_field.get("", [])
        if stray:
            self.banner.show_message("error", "\n".join(stray))

    def _postal_left(self, role: str) -> None:
        """Fill the address from the postal code, off the GUI thread, unless staff have already
        typed an address of their own."""
        postal = self.fields[f"{role}.postal_code"].get()
        if not postal.strip():
            return

        def filled(address: str | None) -> None:
            if self._finished or address is None:
                return
            # The field may have been reformatted meanwhile (1870032 -> 187-0032, by the check
            # that runs as staff leave it): the same code still gets its address.
            now = self.fields[f"{role}.postal_code"].get()
            if normalize_postal_code(now) != normalize_postal_code(postal):
                return
            target = self.fields[f"{role}.address"]
            current = target.get()
            previous = self._autofilled.get(role)
            if not current.strip() or current == previous:
                target.put(address)
                self._autofilled[role] = address
                edit = target.widget
                if isinstance(edit, QLineEdit):
                    edit.setCursorPosition(len(address))

        run_for(self, self.ctx, lambda: domain_lookup_address(postal), filled, self._failed)

    def _failed(self, error: BaseException) -> None:
        if self._finished:
            return
        log.warning("group form background work failed: %s", type(error).__name__)
        self.banner.show_message("error", messages.for_error(error).text())

    # --- similar groups (a warning, never a block) ------------------------------------------

    def _similar_query(self) -> tuple[str, ...]:
        values = self.values()
        return (
            values["name"].strip(),
            values["representative.phone"].strip(),
            values["responsible.phone"].strip(),
        )

    def _check_similar_soon(self) -> None:
        # After the current event: editingFinished fires before the focus has moved on.
        QTimer.singleShot(0, lambda: self._check_similar(then=None))

    def _check_similar(self, then: Callable[[], None] | None) -> None:
        key = self._similar_query()
        if self._finished or not any(key):
            if then:
                then()
            return
        if key == self._similar_key:
            if then:
                then()
            return
        name, phone_a, phone_b = key
        ops = self.ctx.ops
        own = self.existing.user_id if self.existing else None

        def work() -> list[GroupSummary]:
            found: dict[str, GroupSummary] = {}
            for phone in dict.fromkeys((phone_a, phone_b)):
                for hit in ops.similar_groups(name, phone):
                    found[hit.user_id] = hit
            return [hit for uid, hit in found.items() if uid != own]

        def done(hits: list[GroupSummary]) -> None:
            if self._finished:
                return
            self._similar_key = key
            self._similar = hits
            self._show_similar()
            if then:
                then()

        def failed(error: BaseException) -> None:
            # Offline or refused: no warning to give; registration itself will say why.
            log.info("similar-group check skipped: %s", type(error).__name__)
            if then and not self._finished:
                then()

        run_for(self, self.ctx, work, done, failed)

    def _show_similar(self) -> None:
        if not self._similar:
            self.similar_bar.clear_message()
            return
        lines = [self.tr("A group with the same name or phone number is already registered:")]
        for hit in self._similar[:5]:
            state = "" if hit.active else self.tr(" (de-registered)")
            who = (
                self.tr("registered at another center")
                if hit.representative_name is None
                else self.tr("representative %1").replace("%1", hit.representative_name)
            )
            lines.append(f"・{hit.user_id}　{hit.name}　" + who + state)
        lines.append(self.tr("Check that it is not the same group before registering."))
        self.similar_bar.show_message("warning", "\n".join(lines))

    # --- submitting ----------------------------------------------------------------------

    def _fit_size(self) -> None:
        """As large as the form wants, within the larger of the desk window and the screen
        (a counter PC's 1366×768 holds it; a smaller screen scrolls)."""
        width, height = FORM_SIZE
        bounds = []
        parent = self.parentWidget()
        if parent is not None:
            window = parent.window()
            bounds.append((window.width(), window.height()))
        screen = self.screen()
        if screen is not None:
            geometry = screen.availableGeometry()
            bounds.append((geometry.width(), geometry.height()))
        if bounds:
            max_width, max_height = max(bounds)
            width, height = min(width, max_width - 40), min(height, max_height - 40)
        self.resize(max(width, 600), max(height, 400))

    def submit(self) -> None:
        if self._busy or self._finished:
            return
        self._busy = True
        self._submitted = True
        self.banner.clear_message()
        self.discard_bar.hide()
        self.status.setText(self.tr("Checking…"))
        self._check(self._submit_checked)

    def _submit_checked(self, check: GroupCheck, snapshot: dict[str, str]) -> None:
        if self.values() != snapshot:
            # Typed on while the check ran: check what is there now, not what was.
            self._check(self._submit_checked)
            return
        self._write_back(check, snapshot, set(self.fields))
        self.show_problems(list(check.problems))
        if check.form is None:
            self._busy = False
            self.status.setText(
                self.tr("%1 problem(s): see the red notes.").replace("%1", str(len(check.problems)))
            )
            first = next(p.field for p in check.problems)
            target = self.fields.get(first)
            if target is not None:
                target.widget.setFocus()
            return
        form = check.form
        warned = tuple(w.field for w in check.warnings)
        if warned and self._warned_fields != warned:
            # An unknown postal code: staff look once; Enter again sends it all the same.
            self._warned_fields = warned
            self._busy = False
            self.show_warnings(list(check.warnings))
            self.status.setText(self.tr("Check the amber notes; press Enter again to go ahead."))
            self.submit_button.setText(
                self.tr("Register anyway") if self.existing is None else self.tr("Save anyway")
            )
            self.fields[warned[0]].widget.setFocus()
            return
        if self.existing is not None:
            self._send(form)
            return

        def after_similar() -> None:
            key = self._similar_query()
            if self._similar and self._similar_warned_key != key:
                # The first time staff see the warning, they decide: Enter again registers.
                self._similar_warned_key = key
                self._busy = False
                self.status.setText(self.tr("Press Enter again to register anyway."))
                self.submit_button.setText(self.tr("Register anyway"))
                return
            self._send(form)

        self._check_similar(then=after_similar)

    def _send(self, form: GroupForm) -> None:
        self.status.setText(self.tr("Sending to the reservation system…"))
        wire = group_in(form)
        ops = self.ctx.ops
        existing = self.existing
        user_id = existing.user_id if existing else None

        def work() -> GroupRegistered | GroupOut:
            if user_id is None:
                return ops.register_group(wire)
            return ops.change_group(user_id, wire)

        orphan = self.orphan_saved
        ctx = self.ctx

        def done(result: GroupRegistered | GroupOut) -> None:
            if shiboken6.isValid(self) and not self._finished:
                self._done(result)
                return
            # The lock closed the form while the backend was registering: the answer (the
            # only copy of the initial password) goes to whoever opened the form, and the
            # draft the lock kept is no longer needed.
            clear_draft(ctx, user_id)
            if orphan is not None:
                orphan(result)

        def failed(error: BaseException) -> None:
            if shiboken6.isValid(self) and not self._finished:
                self._refused(error)

        ctx.tasks.run(work, done, failed)

    def _done(self, result: GroupRegistered | GroupOut) -> None:
        self._busy = False
        if isinstance(result, GroupRegistered):
            self.registered = result
        else:
            self.changed = result
        self._finish()
        self._save_draft(None)
        self.saved.emit(result)
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self._busy = False
        self.status.setText("")
        if self._finished:
            return
        log.info("group form not accepted: %s", type(error).__name__)
        if isinstance(error, Refused) and error.fields:
            generic = messages.for_code("invalid_input")
            problems = [
                FieldProblem(
                    f.field,
                    f.code,
                    f.message if f.code in DOMAIN_CODES else self.tr("This entry is not accepted."),
                )
                for f in error.fields
            ]
            self.show_problems(problems)
            self.banner.show_message("error", generic.text())
            first = next((p.field for p in problems if p.field in self.fields), None)
            if first:
                self.fields[first].widget.setFocus()
            return
        self.banner.show_message("error", messages.for_error(error).text())

    # --- closing -------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            event.accept()
            self.request_cancel()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: Any) -> None:
        if not self._finished and self.is_dirty():
            event.ignore()
            self.request_cancel()
            return
        super().closeEvent(event)

    def request_cancel(self) -> None:
        """Esc: close at once when nothing was typed; otherwise ask (Esc again discards)."""
        if not self.is_dirty():
            self.discard()
            return
        if self.discard_bar.isVisible():
            self.discard()
            return
        self.discard_bar.show()
        self.keep_button.setFocus()

    def _keep_typing(self) -> None:
        self.discard_bar.hide()
        self.fields["name"].widget.setFocus()

    def discard(self) -> None:
        self._finish()
        self._save_draft(None)
        super().reject()

    def reject(self) -> None:
        """Closing from outside (the lock) never asks and never loses the typing: it goes
        to the cache as a draft for the next form."""
        if not self._finished:
            self._finish()
            self._save_draft(self.values() if self.is_dirty() else None)
        super().reject()

    def _finish(self) -> None:
        self._finished = True

    # --- drafts --------------------------------------------------------------------------

    def draft_origin(self) -> tuple[str, dict[str, str]]:
        """For the offer after an unlock (drafts.py); the values wait under draft_key."""
        return "group_form", {"user_id": self.existing.user_id if self.existing else ""}

    def draft_values(self) -> dict[str, str] | None:
        return self.values() if not self._finished and self.is_dirty() else None

    def _save_draft(self, values: dict[str, str] | None) -> None:
        if values:
            save_draft(self.ctx, self.existing.user_id if self.existing else None, values)
        else:
            clear_draft(self.ctx, self.existing.user_id if self.existing else None)

    def _load_draft(self) -> None:
        key = draft_key(self.existing.user_id if self.existing else None)
        db = self.ctx.db

        def restored(text: str | None) -> None:
            if self._finished or not text:
                return
            try:
                values = json.loads(text)
            except ValueError:
                return
            if not isinstance(values, dict) or self.is_dirty():
                return
            self.set_values({str(k): str(v) for k, v in values.items()})
            self.banner.show_message(
                "info",
                self.tr(
                    "What was typed before the form closed (e.g. the desk locked) is back. "
                    "Check it and continue."
                ),
            )

        run_for(
            self,
            self.ctx,
            lambda: db.call(lambda conn: meta.get(conn, key)),
            restored,
            lambda e: log.warning("draft not read: %s", type(e).__name__),
        )
