"""Sending a form to the counter printer through CUPS (Linux): ``lp``, vector PDF, nothing on disk.

The desk prints only to a printer on the city's allowed list, and never to a virtual printer
that would turn the form into a file (cups-pdf, a ``file:`` device, "Print to PDF"): a file
of personal data is exactly what the counter PCs must not produce (DESIGN.md §5, "No USB
export"). Both checks happen before anything is sent, against what CUPS itself reports about
the queue (its device URI and make and model), not only against the queue's name.

The PDF goes to ``lp`` on its standard input, so it is never written to a file by us; CUPS
spools it in its own protected spool folder until the printer has it. The PDF is sent as is:
CUPS and the printer's driver render the vectors, so the small text and the barcode print
sharp.

Each print returns a :class:`PrintRecord` for the audit trail (the caller stores the event):
form kinds, identifiers, queue, reprint flag and CUPS job id, and no personal data.

The Windows path, through Qt's printing, is :mod:`.dispatch_qt`.
"""

from __future__ import annotations

import logging
import os
import re
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .document import FormKind, FormPdf

log = logging.getLogger(__name__)


class PrintProblem(StrEnum):
    """Why a print did not happen; the GUI words each one for staff."""

    NOT_ALLOWED = "not_allowed"  # the queue is not on the allowed list
    VIRTUAL_PRINTER = "virtual_printer"  # the queue writes files instead of paper
    UNAVAILABLE = "unavailable"  # CUPS does not know the queue, or cannot be reached
    MISSING_SOFTWARE = "missing_software"  # lp, pdftoppm or QtPdf is not installed
    FAILED = "failed"  # lp refused the job


class PrintError(RuntimeError):
    """A print that did not happen. The message names the queue, never the form's content."""

    def __init__(self, problem: PrintProblem, message: str) -> None:
        super().__init__(message)
        self.problem = problem


@dataclass(frozen=True)
class PrinterConfig:
    """The desk's printer setting: the queue it prints to and the queues the city allows."""

    queue: str
    allowed_queues: frozenset[str]
    #: CUPS server (host[:port] or a socket path); None means $CUPS_SERVER or the local default.
    cups_server: str | None = None


@dataclass(frozen=True)
class PrintPolicy:
    """How strict dispatch is. Production uses :data:`PRODUCTION` and nothing else."""

    #: Let a virtual (PDF/file) printer through. Only the tests set this, to print to their own
    #: cups-pdf queue; production never does (a file of personal data is what we must not make).
    allow_virtual_for_tests: bool = False


PRODUCTION = PrintPolicy()


@dataclass(frozen=True)
class PrintRecord:
    """What the audit event says about a print. Identifiers only: no names, no addresses."""

    forms: tuple[FormKind, ...]
    queue: str
    job_id: str
    reprint: bool
    pages: int
    approval_number: str | None = None
    user_id: str | None = None
    journal_day: date | None = None


@dataclass(frozen=True)
class QueueInfo:
    """What CUPS reports about a queue."""

    name: str
    device_uri: str
    make_and_model: str


# Device URI schemes that write a file rather than drive a printer.
_VIRTUAL_SCHEMES = ("cups-pdf:", "file:", "pdf:", "cups-brf:")
# Printer names and models that are virtual on CUPS and on Windows.
_VIRTUAL_WORDS = re.compile(r"pdf|xps|onenote|print\s*to\s*file|fax", re.IGNORECASE)


def is_virtual_printer(name: str, device_uri: str = "", make_and_model: str = "") -> bool:
    """Whether a printer makes files instead of paper, judged by everything we know about it.

    Errs towards "virtual": a real printer named "PDF" would be refused, which is a setting to
    fix, while a PDF printer let through would be a leak.
    """
    if device_uri.lower().startswith(_VIRTUAL_SCHEMES):
        return True
    if device_uri.startswith("/"):
        # A bare path: CUPS's FileDevice.
        return True
    return bool(_VIRTUAL_WORDS.search(name) or _VIRTUAL_WORDS.search(make_and_model))


def check_allowed(config: PrinterConfig) -> None:
    """Refuse a queue that is not on the allowed list (before asking CUPS anything)."""
    if config.queue not in config.allowed_queues:
        raise PrintError(
            PrintProblem.NOT_ALLOWED, f"printer queue {config.queue!r} is not on the allowed list"
        )


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise PrintError(
            PrintProblem.MISSING_SOFTWARE, f"{name} is not installed (Debian: cups-client)"
        )
    return found


def _environment(config: PrinterConfig) -> dict[str, str]:
    env = dict(os.environ)
    # lp and lpoptions translate their messages; we parse them, so they must speak C.
    env["LC_ALL"] = "C"
    env.pop("LANGUAGE", None)
    if config.cups_server:
        env["CUPS_SERVER"] = config.cups_server
    return env


def queue_info(config: PrinterConfig, *, timeout: float = 15.0) -> QueueInfo:
    """Ask CUPS for the queue's device URI and make and model (``lpoptions -p``)."""
    try:
        result = subprocess.run(
            [_tool("lpoptions"), "-p", config.queue],
            capture_output=True,
            text=True,
            env=_environment(config),
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise PrintError(PrintProblem.UNAVAILABLE, "CUPS did not answer in time") from None
    attributes: dict[str, str] = {}
    try:
        words = shlex.split(result.stdout)
    except ValueError:
        words = result.stdout.split()
    for word in words:
        key, _, value = word.partition("=")
        attributes[key] = value
    uri = attributes.get("device-uri", "")
    if result.returncode != 0 or not uri:
        raise PrintError(
            PrintProblem.UNAVAILABLE,
            f"CUPS does not know printer queue {config.queue!r} "
            f"({result.stderr.strip()[:200] or 'no such queue'})",
        )
    return QueueInfo(config.queue, uri, attributes.get("printer-make-and-model", ""))


def check_printer(config: PrinterConfig, policy: PrintPolicy = PRODUCTION) -> QueueInfo:
    """Everything that must hold before a print: allowed, known to CUPS, and real paper."""
    check_allowed(config)
    info = queue_info(config)
    if is_virtual_printer(info.name, info.device_uri, info.make_and_model):
        if not policy.allow_virtual_for_tests:
            raise PrintError(
                PrintProblem.VIRTUAL_PRINTER,
                f"printer queue {config.queue!r} writes files, not paper; the desk does not use it",
            )
        log.warning("printing to virtual printer %s: allowed for tests only", config.queue)
    return info


_REQUEST_ID = re.compile(r"request id is (\S+)")


def print_pdf(
    form: FormPdf,
    config: PrinterConfig,
    policy: PrintPolicy = PRODUCTION,
    *,
    timeout: float = 60.0,
) -> PrintRecord:
    """Send ``form`` to the configured CUPS queue; return the record for the audit trail.

    Raises :class:`PrintError` (nothing was printed) when the queue is not allowed, unknown,
    virtual, or CUPS refuses the job.
    """
    check_printer(config, policy)
    command = [
        _tool("lp"),
        "-d",
        config.queue,
        # The job title shows in the printer's queue and its logs: identifiers only.
        "-t",
        form.job_title,
        "-o",
        "job-sheets=none",
        # Every form is laid out on A4; asking for it picks the A4 tray instead of scaling.
        "-o",
        "media=A4",
        # No file operand: lp reads the PDF from standard input.
    ]
    try:
        result = subprocess.run(
            command,
            input=form.data,
            capture_output=True,
            env=_environment(config),
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise PrintError(PrintProblem.UNAVAILABLE, "CUPS did not accept the job in time") from None
    out = result.stdout.decode("utf-8", "replace")
    match = _REQUEST_ID.search(out)
    if result.returncode != 0 or match is None:
        message = result.stderr.decode("utf-8", "replace").strip()[:200]
        raise PrintError(
            PrintProblem.FAILED, f"lp refused the job for {config.queue!r}: {message or out[:200]}"
        )
    record = PrintRecord(
        forms=form.kinds,
        queue=config.queue,
        job_id=match.group(1),
        reprint=form.reprint,
        pages=form.pages,
        approval_number=form.approval_number,
        user_id=form.user_id,
        journal_day=form.journal_day,
    )
    log.info(
        "sent %s to %s as %s", "+".join(k.value for k in form.kinds), config.queue, record.job_id
    )
    return record
