"""Sending a form to the counter printer through Qt's printing (Windows).

Windows has no ``lp``; Qt reaches the Windows spooler. Qt cannot hand a PDF to a printer as it
is, so each page is rendered with QtPdf (``PySide6.QtPdf``, in PySide6-Addons) at the printer's
resolution (300 dpi by default: text and the Code 128 barcode stay sharp) and painted onto a
``QPrinter``. The same rules as :mod:`.dispatch` apply first: only an allowed printer, never a
virtual one (Microsoft Print to PDF, XPS Document Writer, OneNote), and the ``QPrinter`` is
always in native format, never ``PdfFormat`` (print to file).

PySide6 is imported lazily, inside the functions, so importing this module costs nothing and
the rest of the printing layer stays Qt-free (DESIGN.md §2). Call from the GUI thread, or from
a worker thread with a ``QGuiApplication`` alive: Qt allows painting on a ``QPrinter`` from
either.
"""

from __future__ import annotations

import importlib
from typing import Any

from .dispatch import (
    PRODUCTION,
    PrinterConfig,
    PrintError,
    PrintPolicy,
    PrintProblem,
    PrintRecord,
    check_allowed,
    is_virtual_printer,
)
from .document import FormPdf

_A4_INCHES = (210 / 25.4, 297 / 25.4)


def _qt_pdf() -> Any:
    try:
        return importlib.import_module("PySide6.QtPdf")
    except ImportError:
        raise PrintError(
            PrintProblem.MISSING_SOFTWARE,
            "PySide6.QtPdf is not installed (pip package PySide6-Addons)",
        ) from None


def print_pdf_qt(
    form: FormPdf,
    config: PrinterConfig,
    policy: PrintPolicy = PRODUCTION,
    *,
    dpi: int = 300,
) -> PrintRecord:
    """Print ``form`` on the Qt printer named ``config.queue``; return the audit record.

    Qt gives no spooler job id, so the record's ``job_id`` is ``"qt"``.
    """
    check_allowed(config)
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QSize
    from PySide6.QtGui import QPageSize, QPainter
    from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

    info = QPrinterInfo.printerInfo(config.queue)
    if info.isNull():
        raise PrintError(PrintProblem.UNAVAILABLE, f"no printer named {config.queue!r}")
    virtual = is_virtual_printer(info.printerName(), "", info.makeAndModel())
    if virtual and not policy.allow_virtual_for_tests:
        raise PrintError(
            PrintProblem.VIRTUAL_PRINTER,
            f"printer {config.queue!r} writes files, not paper; the desk does not use it",
        )

    qt_pdf = _qt_pdf()
    document = qt_pdf.QPdfDocument()
    buffer = QBuffer()
    buffer.setData(QByteArray(form.data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    if document.pageCount() < 1:
        raise PrintError(PrintProblem.FAILED, "the form could not be read for printing")

    printer = QPrinter(info, QPrinter.PrinterMode.HighResolution)
    # Native format: the spooler. PdfFormat would be print-to-file.
    printer.setOutputFormat(QPrinter.OutputFormat.NativeFormat)
    printer.setDocName(form.job_title)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setFullPage(True)
    size = QSize(round(_A4_INCHES[0] * dpi), round(_A4_INCHES[1] * dpi))

    painter = QPainter()
    if not painter.begin(printer):
        raise PrintError(PrintProblem.FAILED, f"printer {config.queue!r} did not start the job")
    try:
        for page in range(document.pageCount()):
            if page and not printer.newPage():
                raise PrintError(PrintProblem.FAILED, f"printer {config.queue!r} stopped the job")
            image = document.render(page, size)
            target: QRect = printer.paperRect(QPrinter.Unit.DevicePixel).toRect()
            painter.drawImage(target, image)
    finally:
        painter.end()
        buffer.close()
    return PrintRecord(
        forms=form.kinds,
        queue=config.queue,
        job_id="qt",
        reprint=form.reprint,
        pages=form.pages,
        approval_number=form.approval_number,
        user_id=form.user_id,
        journal_day=form.journal_day,
    )
