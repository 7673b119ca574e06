"""One cold start in this fresh process, for tests/ui/bench_cold_start.py.

    python -m tests.support.cold_start desk   # center-desk as staff start it, to its window
    python -m tests.support.cold_start bare   # the baseline: a bare PySide6 QMainWindow

Prints one JSON line when the window has been painted for the first time:
``{"rss_kb": …, "hwm_kb": …}``, with ``"modules": [...]`` (every module imported by then) when
``COLD_START_MODULES`` is set (the caller times the process from its spawn to that line),
then ends the process at once (what a desk does on exit is not part of its start).

``desk`` runs the real entry point, ``center_desk.__main__.main([])``, with the desk's settings
from ``XDG_CONFIG_HOME`` (the benchmark writes them) and its cache key in the Secret Service;
the only addition is a watch on the main window for its first paint.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any


def _memory() -> dict[str, int]:
    found: dict[str, int] = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found["rss_kb" if key == "VmRSS" else "hwm_kb"] = int(rest.split()[0])
    return found


def _watch_first_paint(window: Any) -> None:
    """Report once the window's first update (which paints the whole window) is done."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class FirstPaint(QObject):
        def eventFilter(self, watched: Any, event: Any) -> bool:
            if event.type() == QEvent.Type.UpdateRequest:
                watched.removeEventFilter(self)
                QTimer.singleShot(0, _report)
            return False

    watcher = FirstPaint(window)
    window.installEventFilter(watcher)


_PROFILE: Any = None


def _report() -> None:
    if _PROFILE is not None:  # COLD_START_PROFILE=path: where the start spent its time
        _PROFILE.disable()
        _PROFILE.dump_stats(os.environ["COLD_START_PROFILE"])
    report: dict[str, Any] = dict(_memory())
    if os.environ.get("COLD_START_MODULES"):  # what the start had imported by its first paint
        # (not the None entries: a name kept from being imported, as httpx's CLI is)
        report["modules"] = sorted(name for name, module in sys.modules.items() if module)
    sys.stdout.write(json.dumps(report) + "\n")
    sys.stdout.flush()
    os._exit(0)


def bare() -> None:
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv)
    window = QMainWindow()
    window.resize(1366, 768)
    _watch_first_paint(window)
    window.show()
    app.exec()


def desk() -> None:
    # The watch is put on the class the desk shows, without importing Qt before the desk does:
    # a module finder notices when center_desk.ui.main_window is loaded and wraps its show().
    import importlib.abc
    import importlib.util

    class Hook(importlib.abc.MetaPathFinder):
        def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
            if name != "center_desk.ui.main_window":
                return None
            sys.meta_path.remove(self)
            spec = importlib.util.find_spec(name)
            assert spec is not None and spec.loader is not None
            loader = spec.loader
            original_exec = loader.exec_module

            def exec_module(module: Any) -> None:
                original_exec(module)
                show = module.MainWindow.show

                def show_and_watch(window: Any) -> None:
                    _watch_first_paint(window)
                    show(window)

                module.MainWindow.show = show_and_watch

            loader.exec_module = exec_module  # type: ignore[method-assign]
            return spec

    sys.meta_path.insert(0, Hook())
    from center_desk.__main__ import main

    main([])


if __name__ == "__main__":
    if os.environ.get("COLD_START_PROFILE"):
        import cProfile

        _PROFILE = cProfile.Profile()
        _PROFILE.enable()
    {"bare": bare, "desk": desk}[sys.argv[1]]()
