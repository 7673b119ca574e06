"""Where the desk's shipped files are: fonts, translations, icons and the demo catalog.

Installers lay ``resources/`` next to the package; a development checkout has it at the
repository root. ``CENTER_DESK_RESOURCES`` overrides both (for packaged builds that put data
elsewhere).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from .domain.catalog import Catalog, parse_catalog


def resources_dir() -> Path:
    override = os.environ.get("CENTER_DESK_RESOURCES")
    if override:
        return Path(override)
    here = Path(__file__).resolve().parent
    for candidate in (here / "resources", here.parent / "resources"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("the resources/ folder is missing; reinstall center-desk")


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


DEMO_CATALOG = ("catalog", "demo-catalog.json")


def load_catalog(path: Path | None = None) -> Catalog:
    """Read a catalog file (the demo's when no path is given)."""
    source = path or resource_path(*DEMO_CATALOG)
    with source.open(encoding="utf-8") as handle:
        return parse_catalog(json.load(handle))
