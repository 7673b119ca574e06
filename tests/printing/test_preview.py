"""The in-app preview: page images, and no file left behind."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import pytest
from PIL import Image

from center_desk.printing import PreviewError, booking_slips_pdf, render_png_pages
from center_desk.printing.render_samples import sample_slip


def test_preview_gives_one_png_per_page_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    pages = render_png_pages(booking_slips_pdf(sample_slip()).data, dpi=50)
    assert len(pages) == 2
    for png in pages:
        image = Image.open(io.BytesIO(png))
        assert image.format == "PNG"
        # A4 at 50 dpi: 413 x 585 pixels.
        assert abs(image.width - 413) <= 1 and abs(image.height - 585) <= 1
    assert list(tmp_path.iterdir()) == []


def test_a_broken_pdf_is_a_preview_error_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with pytest.raises(PreviewError):
        render_png_pages(b"%PDF-1.4 not really")
    assert list(tmp_path.iterdir()) == []
