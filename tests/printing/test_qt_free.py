"""The printing layer is Qt-free (DESIGN.md §2): only dispatch_qt touches PySide6, lazily."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import sys
import center_desk.printing
import center_desk.printing.dispatch_qt
import center_desk.printing.render_samples
loaded = sorted(m for m in sys.modules if m.split(".")[0] in {"PySide6", "shiboken6"})
assert not loaded, loaded
assert not any(m.startswith("center_desk.ui") for m in sys.modules)
"""


def test_importing_the_printing_layer_loads_no_qt() -> None:
    subprocess.run([sys.executable, "-c", SCRIPT], check=True, timeout=60)
