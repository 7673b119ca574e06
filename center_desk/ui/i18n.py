"""Japanese first (STYLE.md §12): the bundled font and the Qt translations.

Source strings are English; ``resources/translations/*_ja.qm`` (compiled from the ``.ts`` files
next to them) turn them into Japanese, which is the default. ``CENTER_DESK_LANG=en`` keeps
English (for the city's IT and for developers).
"""

from __future__ import annotations

import os

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from center_desk.resources import resource_path

FONT_FILES = ("ipaexg.ttf", "ipaexm.ttf")
UI_FONT_FAMILY = "IPAexGothic"


def install_fonts(app: QApplication) -> str:
    """Register the bundled Japanese fonts (a counter PC, or an offscreen test, may have none)
    and make the gothic one the window's font. Returns the family used."""
    family = ""
    for name in FONT_FILES:
        font_id = QFontDatabase.addApplicationFont(str(resource_path("fonts", name)))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        if name == "ipaexg.ttf" and families:
            family = families[0]
    if family:
        font = QFont(family)
        font.setPointSize(11)
        app.setFont(font)
    return family


def language() -> str:
    return os.environ.get("CENTER_DESK_LANG", "ja").lower()[:2]


def install_translations(app: QCoreApplication) -> list[QTranslator]:
    """Load every ``*_ja.qm`` (one per area of the window). Keep the returned translators
    alive: Qt does not own them."""
    lang = language()
    installed: list[QTranslator] = []
    if lang == "en":
        return installed
    # Calendars and date pickers in Japanese (月 and 火, not "Feb" and "Tue"), whatever the
    # PC's own locale.
    QLocale.setDefault(QLocale(QLocale.Language.Japanese, QLocale.Country.Japan))
    folder = resource_path("translations")
    for qm in sorted(folder.glob(f"*_{lang}.qm")):
        translator = QTranslator(app)
        if translator.load(str(qm)):
            app.installTranslator(translator)
            installed.append(translator)
    # Qt's own strings (OK/Cancel in standard dialogs).
    qt = QTranslator(app)
    from PySide6.QtCore import QLibraryInfo

    if qt.load(
        QLocale(lang), "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    ):
        app.installTranslator(qt)
        installed.append(qt)
    return installed
