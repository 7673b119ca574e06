"""Issue 15, "a leak scan as a test": after a full GUI day on the demo (tests/e2e/full_day.py,
in a process of its own), no file under the user's home, config, data, cache and temp folders,
nothing in the CUPS spool and nothing in the process's log output holds any of the names,
phones, addresses or e-mails entered, in UTF-8 or UTF-16, except the encrypted cache.

CUPS runs with the counter PC's own policy (installers/linux/cupsd-center-desk.conf: keep no
job files, no job history). The printer's output folder is the paper, and the embedded demo
backend's database is the reservation system: both hold the data by design and are not searched.
PDFs found anywhere are searched by their text too (their streams are compressed).
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from center_desk.domain import normalize_digits
from tests.e2e.full_day import ADDRESS_BLOCK, ENTERED, INDIVIDUAL, INDIVIDUAL_OFFLINE
from tests.printing.conftest import CupsServer, cups_server_running
from tests.support.backend_process import REPO_ROOT

pytestmark = [pytest.mark.gui, pytest.mark.cups, pytest.mark.keyring]

DAY_TIMEOUT = 540

#: The encrypted cache (center_desk.sync.config.DeskConfig.cache_path) and SQLite's companions
#: to it, which SQLCipher encrypts too. Its plaintext ledger of waiting work is searched.
CACHE_FILES = {f"desk-cache.sqlcipher{suffix}" for suffix in ("", "-wal", "-shm", "-journal")}

PERSONAL_FIELDS = ("name", "furigana", "phone", "email", "address")


def needles() -> list[str]:
    """Each personal value entered, in the forms it could be stored in."""
    values = [ENTERED["name"], INDIVIDUAL, INDIVIDUAL_OFFLINE, f"小川西町{ADDRESS_BLOCK}"]
    for path, value in ENTERED.items():
        if "." in path and path.split(".", 1)[1] in PERSONAL_FIELDS:
            values.append(value)
    found: set[str] = set()
    for value in values:
        for form in (value, unicodedata.normalize("NFKC", value), normalize_digits(value)):
            found.add(form)
            found.add(form.replace(" ", ""))
            found.add(form.replace(" ", "\u3000"))
        digits = "".join(ch for ch in normalize_digits(value) if ch.isdigit())
        if len(digits) >= 9:  # a phone number without its hyphens
            found.add(digits)
    # Katakana forms of the furigana, as the desk normalises them.
    for path in ("representative.furigana", "responsible.furigana"):
        kana = ENTERED[path]
        found.add("".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in kana))
    return sorted(found)


def encodings(needle: str) -> list[bytes]:
    return [needle.encode(e) for e in ("utf-8", "utf-16-le", "utf-16-be")]


def _files(folder: Path) -> Iterator[Path]:
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path


def _pdf_text(data: bytes) -> str:
    try:
        return "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    except Exception:  # a damaged or partial PDF: its bytes were searched anyway
        return ""


def hits_in(data: bytes, wanted: list[str]) -> list[str]:
    found = [n for n in wanted if any(code in data for code in encodings(n))]
    if data.startswith(b"%PDF"):
        text = _pdf_text(data)
        found += [n for n in wanted if n in text and n not in found]
    return found


@pytest.fixture
def counter_cups() -> Iterator[CupsServer]:
    with cups_server_running(keep_jobs=False) as server:
        yield server


def test_a_full_gui_day_leaves_no_personal_data_outside_the_encrypted_cache(
    tmp_path: Path, counter_cups: CupsServer
) -> None:
    user = tmp_path / "user"
    folders = {
        "HOME": user / "home",
        "XDG_CONFIG_HOME": user / "home" / ".config",
        "XDG_DATA_HOME": user / "home" / ".local" / "share",
        "XDG_CACHE_HOME": user / "home" / ".cache",
        "XDG_STATE_HOME": user / "home" / ".local" / "state",
        "TMPDIR": user / "tmp",
    }
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    env = {
        **os.environ,
        **{k: str(v) for k, v in folders.items()},
        "CUPS_SERVER": str(counter_cups.socket),
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    env.pop("CENTER_DESK_DATA_DIR", None)
    day = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "tests/e2e/full_day.py",
            "-p",
            "no:logging",
            "-p",
            "no:cacheprovider",
            "-s",
            "-q",
            "-x",
        ],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        timeout=DAY_TIMEOUT,
        check=False,
    )
    output = day.stdout + day.stderr
    assert day.returncode == 0, (
        day.stdout.decode("utf-8", "replace")[-5000:]
        + day.stderr.decode("utf-8", "replace")[-1500:]
    )
    assert b"FULL DAY DONE" in output
    # The printer printed: the notice, three bookings' slips and the day journal came out as
    # paper, and CUPS has finished with them (its spool is what is searched next).
    deadline = time.monotonic() + 120
    while counter_cups.active_jobs() and time.monotonic() < deadline:
        time.sleep(0.5)  # waiting for cupsd and its filters to finish, not for time to pass
    assert not counter_cups.active_jobs()
    assert len(counter_cups.outputs()) == 5, sorted(counter_cups.outputs())
    wanted = needles()

    leaks: dict[str, list[str]] = {}
    found = hits_in(output, wanted)
    if found:
        leaks["<process output>"] = found
    searched: list[Path] = []
    by_design: dict[str, bytes] = {"cache": b"", "backend": b""}
    for folder in [user, counter_cups.root / "spool", counter_cups.root / "cups-pdf-spool"]:
        if not folder.exists():
            continue
        for path in _files(folder):
            name = path.name
            if name.startswith("backend.sqlite3") and path.parent.name == "demo-backend":
                by_design["backend"] += path.read_bytes()  # the reservation system's database
                continue
            if name in CACHE_FILES:
                by_design["cache"] += path.read_bytes()  # the encrypted cache itself
                continue
            searched.append(path)
            found = hits_in(path.read_bytes(), wanted)
            if found:
                leaks[str(path)] = found
    assert not leaks, leaks
    # The walk reached the desk's folder and the backend's, and the search finds the data
    # where it is stored in the clear: the reservation system's database.
    assert by_design["cache"] and by_design["backend"], searched
    stored = hits_in(by_design["backend"], wanted)
    for value in (ENTERED["representative.name"], ENTERED["responsible.phone"], INDIVIDUAL):
        assert value in stored, (value, stored)
    assert ENTERED["representative.email"] in stored
    # The plaintext ledger of work still waiting (the offline walk-in) was searched, not empty.
    ledgers = [p for p in searched if p.name.endswith(".waiting.json")]
    assert ledgers and "直前予約" in ledgers[0].read_text(encoding="utf-8"), searched
    # The encrypted cache holds the same data, unreadable.
    assert hits_in(by_design["cache"], wanted) == []


def test_the_scan_finds_what_it_looks_for() -> None:
    """The search itself can fail: UTF-8 and UTF-16 each give a hit, other text none."""
    wanted = needles()
    phone = ENTERED["representative.phone"]
    assert phone in wanted and phone.replace("-", "") in wanted
    assert hits_in(f"x{phone}y".encode("utf-16-le"), wanted) == [phone]
    assert ENTERED["responsible.email"] in hits_in(
        f"mail={ENTERED['responsible.email']}".encode(), wanted
    )
    assert hits_in("小平市の地域センター 042-000-0000".encode(), wanted) == []
