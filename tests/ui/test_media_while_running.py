"""Issue 15: a storage volume connected while the desk runs raises the red banner and an audit
event, and in strict mode keeps personal data hidden until it is removed. The announcement is a
real D-Bus signal, shaped as udisks2 sends it, on the test's session bus."""

from __future__ import annotations

import subprocess
from dataclasses import replace

import pytest
from PySide6.QtDBus import QDBusConnection

from center_desk.security.posture import PostureReport
from center_desk.ui.media_watcher import RemovableMediaWatcher
from tests.ui.conftest import DeskUnderTest

MANAGER = "org.freedesktop.DBus.ObjectManager"


def _udisks_signal(name: str, args: list[str]) -> None:
    subprocess.run(
        [
            "gdbus",
            "emit",
            "--session",
            "--object-path",
            "/org/freedesktop/UDisks2",
            "--signal",
            f"{MANAGER}.{name}",
            *args,
        ],
        check=True,
        timeout=30,
    )


def _plug(device: str) -> None:
    path = f"/org/freedesktop/UDisks2/block_devices/{device}"
    interfaces = (
        "{'org.freedesktop.UDisks2.Block': {'HintSystem': <false>},"
        " 'org.freedesktop.UDisks2.Filesystem': {}}"
    )
    _udisks_signal("InterfacesAdded", [f"objectpath '{path}'", interfaces])


def _unplug(device: str) -> None:
    path = f"/org/freedesktop/UDisks2/block_devices/{device}"
    _udisks_signal(
        "InterfacesRemoved",
        [f"objectpath '{path}'", "['org.freedesktop.UDisks2.Block']"],
    )


def _policy_in_force(desk_app: DeskUnderTest, monkeypatch: pytest.MonkeyPatch) -> None:
    # This test machine has no USB policy installed: the device policy check is made to pass,
    # so what is tested is the volume alone.
    monkeypatch.setattr("center_desk.ui.main_window.check_posture", lambda: PostureReport(()))
    desk_app.window.check_posture()
    desk_app.settle()
    assert not desk_app.window.posture_banner.isVisible()


def _watch_session_bus(desk_app: DeskUnderTest) -> RemovableMediaWatcher:
    # The test's stand-in for the system bus: any sender may speak for udisks2 here.
    watcher = RemovableMediaWatcher(desk_app.window, bus=QDBusConnection.sessionBus(), service="")
    assert watcher.listening
    watcher.appeared.connect(desk_app.window.media_appeared)
    watcher.gone.connect(desk_app.window.media_gone)
    return watcher


def _audit_kinds(desk_app: DeskUnderTest) -> list[tuple[str, str]]:
    return desk_app.ctx.db.submit(
        lambda db: [
            (r[0], r[1])
            for r in db.execute(
                "SELECT kind, subject FROM audit_events WHERE kind LIKE 'removable%' ORDER BY id"
            ).fetchall()
        ]
    ).result()


def test_a_volume_plugged_in_raises_the_banner_and_is_audited(
    desk_app: DeskUnderTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = desk_app.window
    _policy_in_force(desk_app, monkeypatch)
    desk_app.sign_in()
    _watch_session_bus(desk_app)
    _plug("loop3")  # a loop device is not media
    _plug("sdb1")
    desk_app.qtbot.waitUntil(window.posture_banner.isVisible, timeout=10000)
    assert "sdb1" in window.posture_banner.text()
    assert window.pages.currentIndex() == window.PAGE_WORK  # not strict: work goes on
    _unplug("sdb1")
    desk_app.qtbot.waitUntil(lambda: not window.media.any, timeout=10000)
    desk_app.settle()
    assert not window.posture_banner.isVisible()
    assert _audit_kinds(desk_app) == [
        ("removable_media_connected", "sdb1"),
        ("removable_media_removed", "sdb1"),
    ]


def test_strict_mode_hides_personal_data_until_the_volume_is_gone(
    desk_app: DeskUnderTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = desk_app.window
    _policy_in_force(desk_app, monkeypatch)
    desk_app.sign_in()
    desk_app.ctx.config = replace(desk_app.ctx.config, strict_posture=True)
    _watch_session_bus(desk_app)
    _plug("sdc1")
    desk_app.qtbot.waitUntil(
        lambda: window.pages.currentIndex() == window.PAGE_LOCKED, timeout=10000
    )
    desk_app.settle()
    # Unlocking is refused while the volume is there.
    assert "sdc1" in window.posture_banner.text()
    panel = window.unlock_panel
    panel.staff_id.setText(desk_app.backend.staff_id)
    panel.password.setText(desk_app.backend.staff_password)
    panel.submit()
    desk_app.settle()
    assert window.pages.currentIndex() == window.PAGE_LOCKED
    assert panel.error.isVisible()

    _unplug("sdc1")
    desk_app.qtbot.waitUntil(lambda: not window.media.any, timeout=10000)
    panel.staff_id.setText(desk_app.backend.staff_id)
    panel.password.setText(desk_app.backend.staff_password)
    panel.submit()
    desk_app.qtbot.waitUntil(lambda: window.pages.currentIndex() == window.PAGE_WORK, timeout=20000)
