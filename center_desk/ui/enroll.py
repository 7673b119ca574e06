"""First run without ``--demo``: the backend's address and the one-time enrollment code the
city issued for this center. The device token goes to the OS keyring.

The address, the CA file and the printers come prefilled from the machine's ``site.json``
when the installer wrote one (:mod:`center_desk.sync.site`)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from center_desk.sync.client import BackendClient, make_http
from center_desk.sync.config import DeskConfig
from center_desk.sync.credentials import DeviceCredentials
from center_desk.sync.site import SiteSettings, load_site

from . import messages


class EnrollDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, *, site: SiteSettings | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Set up this counter desk"))
        self.result_config: DeskConfig | None = None
        self._site = site if site is not None else _site_settings()
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Enter the reservation system's address and the enrollment code "
                "the city issued for this center."
            ),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.url = QLineEdit(self._site.backend_url or "https://", self)
        self.code = QLineEdit(self)
        self.code.setPlaceholderText("XXXX-XXXX-XXXX")
        self.name = QLineEdit("counter", self)
        self.ca_file = QLineEdit(self._site.ca_file or "", self)
        form.addRow(self.tr("Reservation system address"), self.url)
        form.addRow(self.tr("Enrollment code"), self.code)
        form.addRow(self.tr("Name of this desk"), self.name)
        form.addRow(self.tr("CA certificate file (optional)"), self.ca_file)
        layout.addLayout(form)
        self.error = QLabel("", self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._enroll)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _enroll(self) -> None:
        url = self.url.text().strip().rstrip("/")
        ca_file = self.ca_file.text().strip() or None
        try:
            credentials = DeviceCredentials()
            client = BackendClient(make_http(url, ca_file=ca_file))
            enrolled = client.enroll(
                self.code.text().strip(), self.name.text().strip() or "counter"
            )
            config = DeskConfig(
                backend_url=url,
                device_id=enrolled.device_id,
                center_id=enrolled.center_id,
                device_name=self.name.text().strip() or "counter",
                ca_file=ca_file,
                allowed_printers=self._site.allowed_printers,
                printer=self._site.printer,
            )
            config.validate()
        except Exception as exc:
            self.error.setText(messages.for_error(exc).text())
            return
        credentials.store(enrolled.device_id, enrolled.device_token)
        self.result_config = config
        self.accept()


def _site_settings() -> SiteSettings:
    # A broken site.json must not keep the desk from being enrolled by hand; --self-test
    # reports it to IT.
    try:
        return load_site() or SiteSettings()
    except (OSError, ValueError):
        return SiteSettings()
