"""Page images of a form for the in-app preview, rendered by poppler's ``pdftoppm``.

The PDF holds personal data, so it goes to ``pdftoppm`` on stdin and never touches the disk; the
page images have to be files (``pdftoppm`` writes one per page), so they are written into a
private temporary folder (mode 0700, made by :func:`tempfile.mkdtemp`), read back and the folder
is removed before this returns, also when rendering fails.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path


class PreviewError(RuntimeError):
    """The preview could not be rendered (no ``pdftoppm``, or it failed)."""


def pdftoppm_path() -> str:
    found = shutil.which("pdftoppm")
    if found is None:
        raise PreviewError("pdftoppm is not installed (Debian package poppler-utils)")
    return found


def render_png_pages(
    pdf: bytes,
    *,
    dpi: int = 100,
    first_page: int | None = None,
    last_page: int | None = None,
    gray: bool = False,
    timeout: float = 60.0,
) -> list[bytes]:
    """The PNG image of each page of ``pdf`` (or of ``first_page``..``last_page``), in order."""
    command = [pdftoppm_path(), "-png", "-r", str(dpi)]
    if gray:
        command.append("-gray")
    if first_page is not None:
        command += ["-f", str(first_page)]
    if last_page is not None:
        command += ["-l", str(last_page)]
    folder = Path(tempfile.mkdtemp(prefix="center-desk-preview-"))
    try:
        try:
            result = subprocess.run(
                [*command, "-", str(folder / "page")],
                input=pdf,
                capture_output=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise PreviewError(f"pdftoppm took longer than {timeout:.0f} s") from None
        if result.returncode != 0:
            # pdftoppm's message names no content of the PDF, only what went wrong.
            message = result.stderr.decode("utf-8", "replace").strip()[:200]
            raise PreviewError(f"pdftoppm failed ({result.returncode}): {message}")
        # page-1.png … page-12.png, zero-padded to the page count's width: sort by number.
        pages = sorted(folder.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        return [page.read_bytes() for page in pages]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
