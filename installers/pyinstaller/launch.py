"""PyInstaller's entry point for ``center-desk``: the same ``main`` as the pip-installed one."""

from center_desk.__main__ import main

if __name__ == "__main__":
    raise SystemExit(main())
