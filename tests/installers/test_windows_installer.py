"""What of the Windows installer can be checked on Linux: the Inno Setup script refers to files
that exist or that the shared PyInstaller spec and build.ps1 produce, applies and removes the
device policy the desk checks, and writes the site settings the desk reads. (Compiling it needs
Inno Setup on Windows: build.ps1.)"""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

from center_desk.sync.site import SiteSettings
from tests.support.packaging import REPO, SPEC

WINDOWS = REPO / "installers" / "windows"
ISS = WINDOWS / "center-desk.iss"
BUILD = WINDOWS / "build.ps1"


def _sections(text: str) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current = ""
    for raw in text.splitlines():
        line = raw.strip()
        if current != "Code" and (not line or line.startswith(";")):
            continue
        match = re.fullmatch(r"\[(\w+)\]", line)
        if match:
            current = match.group(1)
            sections.setdefault(current, [])
        elif current:
            sections[current].append(line)
    return sections


def _entries(lines: list[str]) -> list[dict[str, str]]:
    """Inno's `Key: "value"; Key: value` lines as dicts."""
    entries = []
    for line in lines:
        entry = {}
        for match in re.finditer(r'(\w+):\s*("(?:[^"]|"")*"|[^;]*)', line):
            entry[match.group(1)] = match.group(2).strip().strip('"').replace('""', '"')
        entries.append(entry)
    return entries


SECTIONS = _sections(ISS.read_text(encoding="utf-8"))
DEFINES = dict(re.findall(r'#define (\w+) "([^"]*)"', ISS.read_text(encoding="utf-8")))


def _expand(value: str) -> str:
    return re.sub(r"\{#(\w+)\}", lambda m: DEFINES[m.group(1)], value)


def test_the_script_has_what_a_per_machine_install_needs() -> None:
    assert {"Setup", "Languages", "Files", "Icons", "Run", "UninstallRun", "Code"} <= set(SECTIONS)
    setup = dict(line.split("=", 1) for line in SECTIONS["Setup"])
    assert setup["PrivilegesRequired"] == "admin"
    assert re.fullmatch(r"\{\{[0-9A-F-]{36}\}", setup["AppId"])
    assert setup["DefaultDirName"] == r"{autopf}\center-desk"


def test_every_file_it_installs_exists_or_is_what_the_build_makes() -> None:
    sources = [_expand(e["Source"]) for e in _entries(SECTIONS["Files"])]
    built = [s for s in sources if "*" in s]
    assert built == [r"..\..\dist\pyinstaller\center-desk\*"]
    # build.ps1 puts PyInstaller's output there, from the shared spec whose folder is center-desk.
    script = BUILD.read_text(encoding="utf-8")
    assert r"--distpath dist\pyinstaller" in script
    assert r"installers\pyinstaller\center-desk.spec" in script
    assert r"installers\windows\center-desk.iss" in script
    assert 'name="center-desk")' in SPEC.read_text(encoding="utf-8")
    for source in sources:
        if "*" not in source:
            assert (WINDOWS / source.replace("\\", "/")).is_file(), source


def test_the_start_menu_entry_starts_the_windowed_program_the_spec_builds() -> None:
    icons = _entries(SECTIONS["Icons"])
    assert [i["Filename"] for i in icons] == [r"{app}\center-desk-window.exe"]
    assert 'name="center-desk-window"' in SPEC.read_text(encoding="utf-8")


def test_it_applies_the_device_policy_and_removes_it_on_uninstall() -> None:
    installed = {
        e["Source"]: e["DestDir"] for e in _entries(SECTIONS["Files"]) if "*" not in e["Source"]
    }
    run = " ".join(e["Parameters"] for e in _entries(SECTIONS["Run"]))
    uninstall = " ".join(e["Parameters"] for e in _entries(SECTIONS["UninstallRun"]))
    assert installed["Apply-DevicePolicy.ps1"] == installed["Remove-DevicePolicy.ps1"]
    assert r"{app}\policy\Apply-DevicePolicy.ps1" in run
    assert r"{app}\policy\Remove-DevicePolicy.ps1" in uninstall
    # The values the desk's posture check (security/posture.py) requires on Windows.
    posture = (REPO / "center_desk/security/posture.py").read_text(encoding="utf-8")
    assert '"Deny_All") != 1' in posture and '"Start") != 4' in posture
    apply = (WINDOWS / "Apply-DevicePolicy.ps1").read_text(encoding="utf-8")
    assert re.search(r'-Name "Deny_All" -Value 1\b', apply)
    assert re.search(r'USBSTOR" -Name "Start" -Value 4\b', apply)
    remove = (WINDOWS / "Remove-DevicePolicy.ps1").read_text(encoding="utf-8")
    assert '-Name "Deny_All"' in remove and re.search(r'"Start" -Value 3\b', remove)


def test_silent_parameters_end_up_in_the_site_settings_the_desk_reads() -> None:
    code = "\n".join(SECTIONS["Code"])
    for parameter in ("BACKEND", "CAFILE", "PRINTER", "ALLOWPRINTERS"):
        assert "{param:" + parameter + "|" in code, parameter
    written = set(re.findall(r"'\"(\w+)\": ", code))
    assert written == {f.name for f in fields(SiteSettings)}
    assert "\\site.json" in code and "city-ca.pem" in code
    assert "{commonappdata}\\center-desk" in code
    # site.py reads %PROGRAMDATA%\center-desk, Inno's {commonappdata}.
    site = (REPO / "center_desk/sync/site.py").read_text(encoding="utf-8")
    assert '"PROGRAMDATA"' in site and '/ "center-desk"' in site


def test_every_message_it_shows_is_in_japanese_and_english() -> None:
    text = ISS.read_text(encoding="utf-8")
    used = set(re.findall(r"\{cm:(\w+)\}", text)) | set(
        re.findall(r"CustomMessage\('(\w+)'\)", text)
    )
    defined = {tuple(line.split("=", 1)[0].split(".", 1)) for line in SECTIONS["CustomMessages"]}
    assert used
    for name in used:
        assert ("japanese", name) in defined and ("english", name) in defined, name


def test_the_container_recipe_copies_files_that_exist() -> None:
    dockerfile = (REPO / "installers/backend/Dockerfile").read_text(encoding="utf-8")
    copied = re.findall(r"^COPY (?!--from)(.+) \S+$", dockerfile, re.MULTILINE)
    assert copied
    for sources in copied:
        for source in sources.split():
            assert (REPO / source).exists(), source
    entry = re.search(r'ENTRYPOINT \["([^"]+)"\]', dockerfile)
    assert entry and entry.group(1) == "/opt/center-desk-backend/container-start.sh"
    assert Path(REPO / "installers/backend/container-start.sh").stat().st_mode & 0o111
