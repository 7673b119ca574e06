"""Japanese first (STYLE.md §12): every visible string of the window has its Japanese
translation, the compiled .qm matches the .ts, and the window really speaks Japanese."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QCoreApplication

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "translations" / "center_desk_ja.ts"
QM = TS.with_suffix(".qm")
BIN = Path(sys.executable).parent


def _unfinished(ts: Path) -> list[str]:
    missing = []
    for message in ET.parse(ts).getroot().iter("message"):
        translation = message.find("translation")
        source = message.findtext("source") or ""
        if translation is None or translation.get("type") in ("unfinished", "vanished", "obsolete"):
            if translation is None or translation.get("type") == "unfinished":
                missing.append(source)
        elif not (translation.text or "").strip() and translation.find("numerusform") is None:
            missing.append(source)
    return missing


def test_every_string_has_a_japanese_translation() -> None:
    assert _unfinished(TS) == []


def test_no_visible_string_escaped_extraction(tmp_path: Path) -> None:
    copy = tmp_path / TS.name
    shutil.copy(TS, copy)
    sources = sorted(str(p) for p in (ROOT / "center_desk" / "ui").rglob("*.py"))
    subprocess.run(
        [
            str(BIN / "pyside6-lupdate"),
            "-no-obsolete",
            "-locations",
            "none",
            *sources,
            "-ts",
            str(copy),
        ],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    assert _unfinished(copy) == [], "run resources/translations/update.sh and translate"


def test_the_compiled_translation_is_current(tmp_path: Path) -> None:
    compiled = tmp_path / QM.name
    subprocess.run(
        [str(BIN / "pyside6-lrelease"), str(TS), "-qm", str(compiled)],
        check=True,
        capture_output=True,
    )
    assert compiled.read_bytes() == QM.read_bytes(), "run resources/translations/update.sh"


def test_the_window_speaks_japanese() -> None:
    # The GUI tests' session fixture has installed the translation (as the desk does).
    assert QCoreApplication.translate("MainWindow", "Today") == "本日"
    assert QCoreApplication.translate("MainWindow", "Needs attention") == "要対応"
