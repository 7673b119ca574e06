"""The machine-wide settings an installer writes for every user of the counter PC.

The city's IT sets them once per PC at install time (the Windows installer's ``/BACKEND=`` and
``/CAFILE=``, the Debian package's ``/etc/center-desk/site.json``): the backend's address, the
city CA certificate that issued its TLS certificate, and the counter printers. The desk offers
them at enrollment and ``center-desk --self-test`` checks them before any desk is enrolled.
Nothing secret goes here, as in the per-user :mod:`.config`.

``site.json``::

    {"backend_url": "https://yoyaku.example.lg.jp", "ca_file": "city-ca.pem",
     "allowed_printers": ["counter"], "printer": "counter"}

A relative ``ca_file`` is relative to the folder of ``site.json``: installers put the CA next to
it.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

SITE_FILE = "site.json"


def site_dir(root: Path | None = None) -> Path:
    """``/etc/center-desk`` (under ``root``), or ``%ProgramData%\\center-desk`` on Windows."""
    if sys.platform == "win32":  # pragma: no cover - the Windows desks
        return Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / "center-desk"
    return (root or Path("/")) / "etc" / "center-desk"


@dataclass(frozen=True)
class SiteSettings:
    backend_url: str | None = None
    #: Absolute path of the city CA's PEM file, resolved against the site folder.
    ca_file: str | None = None
    allowed_printers: tuple[str, ...] = ()
    printer: str | None = None


def load_site(path: Path | None = None) -> SiteSettings | None:
    """The machine's settings, or None when the installer wrote none. Raises ValueError on a
    file that is not valid (an unknown key, a wrong type): a typo must not pass silently."""
    source = path or site_dir() / SITE_FILE
    if not source.exists():
        return None
    try:
        data: Any = json.loads(source.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{source} is not valid JSON: {exc.msg} (line {exc.lineno})") from None
    if not isinstance(data, dict):
        raise ValueError(f"{source} must hold a JSON object")
    known = {f.name for f in fields(SiteSettings)}
    unknown = set(data) - known
    if unknown:
        raise ValueError(f"unknown settings in {source}: {', '.join(sorted(unknown))}")
    for key in ("backend_url", "ca_file", "printer"):
        if data.get(key) is not None and not isinstance(data[key], str):
            raise ValueError(f"{key} in {source} must be a string")
    printers = data.get("allowed_printers", [])
    if not isinstance(printers, list) or not all(isinstance(p, str) for p in printers):
        raise ValueError(f"allowed_printers in {source} must be a list of queue names")
    ca_file = data.get("ca_file") or None
    if ca_file is not None:
        ca_file = str(source.parent / ca_file)  # an absolute ca_file stays as it is
    return SiteSettings(
        backend_url=(data.get("backend_url") or None),
        ca_file=ca_file,
        allowed_printers=tuple(printers),
        printer=data.get("printer") or None,
    )
