"""The settings an installer wrote (site.json) reach the desk: the first-run window offers the
backend address and the city CA, and the enrolled desk keeps the allowed printers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from center_desk.sync.credentials import DeviceCredentials
from center_desk.sync.site import SiteSettings
from center_desk.ui.enroll import EnrollDialog
from tests.support.packaging import REPO, TlsFiles

pytestmark = [pytest.mark.gui, pytest.mark.keyring]


def _admin(postgres_url: str, *args: str) -> str:
    done = subprocess.run(
        [str(Path(sys.executable).with_name("center-desk-backend")), *args],
        env={
            **os.environ,
            "CENTER_DESK_BACKEND_DATABASE_URL": postgres_url,
            "CENTER_DESK_BACKEND_ENVIRONMENT": "test",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout.strip().splitlines()[-1]


def test_the_first_run_window_enrolls_with_the_sites_settings(
    qtbot: object, postgres_url: str, https_backend: str, tls_files: TlsFiles
) -> None:
    _admin(postgres_url, "catalog", "load", str(REPO / "resources/catalog/demo-catalog.json"))
    code = _admin(postgres_url, "enrollment-code", "ogawa-nishimachi")
    site = SiteSettings(https_backend, str(tls_files.ca), ("counter", "counter-2"), "counter")

    dialog = EnrollDialog(site=site)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    assert dialog.url.text() == https_backend
    assert dialog.ca_file.text() == str(tls_files.ca)
    dialog.code.setText(code)
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.click()

    config = dialog.result_config
    assert config is not None, dialog.error.text()
    try:
        assert config.center_id == "ogawa-nishimachi"
        assert config.ca_file == str(tls_files.ca)
        assert config.allowed_printers == ("counter", "counter-2")
        assert config.printer == "counter"
    finally:
        DeviceCredentials().forget(config.device_id)


def test_without_site_settings_the_window_starts_empty(qtbot: object) -> None:
    dialog = EnrollDialog(site=SiteSettings())
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    assert dialog.url.text() == "https://" and dialog.ca_file.text() == ""
