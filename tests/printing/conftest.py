"""A real CUPS server for the print tests, started and stopped by the tests themselves.

``cups_server`` runs a private ``cupsd`` as a child process: its own configuration, spool,
state and logs in a temporary folder, listening only on a Unix socket there, so it touches
neither the machine's CUPS nor its printers. It has one queue, ``counter-pdf``, driven by
cups-pdf (the Debian package printer-driver-cups-pdf) with its stock PPD, which writes each job
as a PDF into the folder's ``out/``.

Facts about Debian 12 this relies on (checked, they save an afternoon):

* cups-pdf's backend is installed mode 0700, so cupsd runs it only when cupsd itself runs as
  root: without root the tests skip (and fail under CI=true, where they must run).
* cups-pdf reads its settings from ``/etc/cups/cups-pdf-<instance>.conf`` for a device URI
  ``cups-pdf:/<instance>``; that path is compiled in. The fixture writes a uniquely named file
  there (output folder, spool and log inside the temporary folder) and removes it afterwards.
* The filters run as user ``lp``: the temporary folder is made with :func:`tempfile.mkdtemp`
  (pytest's ``tmp_path`` sits under a 0700 folder ``lp`` cannot enter) and opened to 0755, and
  cupsd's TempDir lies inside its RequestRoot, which cupsd itself gives to ``lp``.
* ``Printcap`` is set empty, or cupsd writes the machine's /run/cups/printcap.
* cups-pdf converts through PostScript and Ghostscript: the PDF it writes looks like ours but
  has lost the fonts' Unicode maps, so its text cannot be extracted (checked with every
  ``pdftops-renderer``: the text comes out as control characters). So the tests read the text
  from the document CUPS spooled for the job (``PreserveJobFiles Yes``), check that it is our
  PDF byte for byte, and check the printed PDF by its pages, by how they look, and by reading
  the approval slip's barcode back from it.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

CUPS_PDF_PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd")
CUPS_PDF_BACKEND = Path("/usr/lib/cups/backend/cups-pdf")
QUEUE = "counter-pdf"
COUNTER_PC_POLICY = (
    Path(__file__).resolve().parents[2] / "installers" / "linux" / "cupsd-center-desk.conf"
)


def _unavailable(reason: str) -> None:
    # Under CI the print tests must run: a silent skip there would hide a broken bootstrap.
    if os.environ.get("CI"):
        pytest.fail(f"CUPS print tests cannot run: {reason}")
    pytest.skip(reason)


@dataclass
class CupsServer:
    root: Path
    socket: Path
    output: Path
    queue: str

    def env(self) -> dict[str, str]:
        return {**os.environ, "CUPS_SERVER": str(self.socket), "LC_ALL": "C"}

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            list(args), env=self.env(), capture_output=True, text=True, timeout=30, check=False
        )

    def outputs(self) -> set[Path]:
        return set(self.output.glob("*.pdf"))

    def wait_for_job(self, job_id: str, timeout: float = 90.0) -> Path:
        """Wait until CUPS has finished ``job_id`` and return the PDF cups-pdf wrote for it."""
        number = job_id.rsplit("-", 1)[1]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            active = self.run("lpstat", "-o", self.queue).stdout.split()
            found = sorted(self.output.glob(f"*job_{number}.pdf"))
            if job_id not in active and found:
                return found[0]
            time.sleep(0.2)
        raise AssertionError(f"job {job_id} gave no output in {timeout} s; see {self.root}/log")

    def spooled_document(self, job_id: str) -> bytes:
        """The document CUPS received for ``job_id``, as kept in its spool."""
        number = int(job_id.rsplit("-", 1)[1])
        return (self.root / "spool" / f"d{number:05d}-001").read_bytes()

    def active_jobs(self) -> list[str]:
        return [line.split()[0] for line in self.run("lpstat", "-o").stdout.splitlines() if line]

    def completed_jobs(self) -> list[str]:
        lines = self.run("lpstat", "-W", "completed", "-o").stdout.splitlines()
        return [line.split()[0] for line in lines if line]


def _write_config(root: Path, *, keep_jobs: bool = True) -> None:
    (root / "etc").mkdir()
    (root / "log").mkdir()
    (root / "spool" / "tmp").mkdir(parents=True)
    for name in ("cache", "state", "out"):
        (root / name).mkdir()
    (root / "etc" / "cups-files.conf").write_text(
        "\n".join(
            [
                f"ServerRoot {root}/etc",
                f"RequestRoot {root}/spool",
                f"TempDir {root}/spool/tmp",
                f"CacheDir {root}/cache",
                f"StateDir {root}/state",
                f"AccessLog {root}/log/access_log",
                f"ErrorLog {root}/log/error_log",
                f"PageLog {root}/log/page_log",
                "ServerBin /usr/lib/cups",
                "DataDir /usr/share/cups",
                "User lp",
                "Group lp",
                "SystemGroup root",
                "Printcap",
                "",
            ]
        ),
        encoding="utf-8",
    )
    (root / "etc" / "cupsd.conf").write_text(
        "\n".join(
            [
                "LogLevel info",
                f"Listen {root}/cups.sock",
                "Browsing No",
                "WebInterface No",
                "DefaultAuthType None",
                # Keep each job's document in the spool after printing, so the tests can check
                # that CUPS got exactly our PDF. (CUPS's default keeps it a day; a counter PC
                # must say No: the documents hold personal data.) ``keep_jobs=False`` applies
                # the counter PC's own policy instead (installers/linux/cupsd-center-desk.conf).
                "PreserveJobFiles Yes" if keep_jobs else COUNTER_PC_POLICY.read_text("utf-8"),
                # Only local processes can reach the socket; inside, anything goes.
                "<Location />",
                "  Order allow,deny",
                "  Allow all",
                "</Location>",
                "<Location /admin>",
                "  Order allow,deny",
                "  Allow all",
                "</Location>",
                "<Policy default>",
                "  <Limit All>",
                "    Order deny,allow",
                "  </Limit>",
                "</Policy>",
                "",
            ]
        ),
        encoding="utf-8",
    )


@pytest.fixture(scope="session")
def cups_server() -> Iterator[CupsServer]:
    with cups_server_running() as server:
        yield server


@contextmanager
def cups_server_running(*, keep_jobs: bool = True) -> Iterator[CupsServer]:
    """A private cupsd with the ``counter-pdf`` queue, stopped and removed on exit."""
    cupsd = shutil.which("cupsd") or "/usr/sbin/cupsd"
    missing = [p for p in (cupsd, CUPS_PDF_BACKEND, CUPS_PDF_PPD) if not Path(p).exists()] + [
        tool for tool in ("lp", "lpstat", "lpadmin", "lpoptions") if shutil.which(tool) is None
    ]
    if missing:
        _unavailable(
            f"missing {', '.join(map(str, missing))} (cups, cups-client, printer-driver-cups-pdf)"
        )
    if os.geteuid() != 0:
        _unavailable("cups-pdf's backend runs only under a root cupsd")

    root = Path(tempfile.mkdtemp(prefix="center-desk-cups-"))
    root.chmod(0o755)
    instance = f"centerdesktest{secrets.token_hex(4)}"
    instance_conf = Path(f"/etc/cups/cups-pdf-{instance}.conf")
    process: subprocess.Popen[bytes] | None = None
    try:
        _write_config(root, keep_jobs=keep_jobs)
        instance_conf.write_text(
            "\n".join(
                [
                    f"Out {root}/out",
                    f"AnonDirName {root}/out",
                    f"Spool {root}/cups-pdf-spool",
                    "Grp root",
                    f"Log {root}/log",
                    "LogType 3",
                    # Always put the job id in the file name: the tests find their output by it.
                    "Label 2",
                    "",
                ]
            ),
            encoding="utf-8",
        )
        process = subprocess.Popen(
            [cupsd, "-f", "-c", f"{root}/etc/cupsd.conf", "-s", f"{root}/etc/cups-files.conf"],
            stdout=subprocess.DEVNULL,
            stderr=(root / "log" / "cupsd.stderr").open("wb"),
        )
        server = CupsServer(root=root, socket=root / "cups.sock", output=root / "out", queue=QUEUE)
        deadline = time.monotonic() + 20
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"cupsd exited ({process.returncode}); see {root}/log")
            if server.socket.exists() and "is running" in server.run("lpstat", "-r").stdout:
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"cupsd did not start; see {root}/log")
            time.sleep(0.1)
        added = server.run(
            "lpadmin", "-p", QUEUE, "-E", "-v", f"cups-pdf:/{instance}", "-P", str(CUPS_PDF_PPD)
        )
        assert added.returncode == 0, added.stderr
        yield server
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        instance_conf.unlink(missing_ok=True)
        shutil.rmtree(root, ignore_errors=True)
