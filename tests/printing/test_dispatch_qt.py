"""The Windows print path (Qt printing), exercised on Linux through Qt's own CUPS backend.

Qt reaches CUPS on Linux and the spooler on Windows behind the same QPrinter API, so printing
to the tests' cups-pdf queue runs every line of dispatch_qt except the spooler itself. Each case
runs in a child process: Qt's printer list and libcups's server choice are per process.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import textwrap
from typing import TYPE_CHECKING

import pytest
from PIL import Image
from pyzbar import pyzbar

from center_desk.printing import render_png_pages

if TYPE_CHECKING:  # the fixture's type; conftest.py is not importable as a module
    from conftest import CupsServer

pytest.importorskip("PySide6.QtPdf", reason="needs PySide6-Pdf (QtPdf) for Qt printing")

SCRIPT = textwrap.dedent(
    """
    import json, sys
    from PySide6.QtGui import QGuiApplication
    from center_desk.printing import PrinterConfig, PrintPolicy, PrintError, approval_slip_pdf
    from center_desk.printing.dispatch_qt import print_pdf_qt
    from center_desk.printing.render_samples import sample_slip

    app = QGuiApplication([])
    queue, allowed, virtual_ok = sys.argv[1], sys.argv[2].split(","), sys.argv[3] == "1"
    config = PrinterConfig(queue=queue, allowed_queues=frozenset(allowed))
    try:
        policy = PrintPolicy(allow_virtual_for_tests=virtual_ok)
        record = print_pdf_qt(approval_slip_pdf(sample_slip()), config, policy)
        print(json.dumps({"job_id": record.job_id, "approval_number": record.approval_number}))
    except PrintError as error:
        print(json.dumps({"problem": error.problem.value}))
    """
)


def run_qt(server: CupsServer, queue: str, allowed: str, virtual_ok: bool) -> dict[str, str]:
    env = {**server.env(), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, queue, allowed, "1" if virtual_ok else "0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        cwd=os.getcwd(),
    )
    result: dict[str, str] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@pytest.mark.cups
def test_qt_printing_prints_a_slip_whose_barcode_reads_back(cups_server: CupsServer) -> None:
    before = cups_server.outputs()
    result = run_qt(cups_server, cups_server.queue, cups_server.queue, virtual_ok=True)
    assert result == {"job_id": "qt", "approval_number": "R8-000123"}
    # Qt gives no job id: wait for the new output file instead.
    import time

    deadline = time.monotonic() + 60
    while not (new := cups_server.outputs() - before) and time.monotonic() < deadline:
        time.sleep(0.2)
    while cups_server.active_jobs() and time.monotonic() < deadline:
        time.sleep(0.2)
    (output,) = new
    (page,) = render_png_pages(output.read_bytes(), dpi=300, gray=True)
    found = pyzbar.decode(Image.open(io.BytesIO(page)))
    assert [(f.type, f.data.decode()) for f in found] == [("CODE128", "R8-000123")]


@pytest.mark.cups
def test_qt_printing_refuses_virtual_and_unlisted_printers(cups_server: CupsServer) -> None:
    before = cups_server.completed_jobs()
    assert run_qt(cups_server, cups_server.queue, cups_server.queue, virtual_ok=False) == {
        "problem": "virtual_printer"
    }
    assert run_qt(cups_server, cups_server.queue, "counter-laser", virtual_ok=True) == {
        "problem": "not_allowed"
    }
    assert run_qt(cups_server, "no-such", "no-such", virtual_ok=True) == {"problem": "unavailable"}
    assert cups_server.completed_jobs() == before
