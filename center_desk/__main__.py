"""``center-desk``: the counter desk window, and its headless commands.

center-desk --demo            the window on the embedded demo backend
center-desk                   the window (first run: enroll with the city's code)
center-desk enroll …          enroll this PC from the command line
center-desk sync --once       one push and pull, without the window (no Qt loaded)
center-desk --self-test       check this installed desk, one line per check (for the city's IT)
"""

from __future__ import annotations

import argparse
import sys


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="center-desk",
        description="Counter desk for Kodaira's community centers (地域センター窓口端末)",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="run on the embedded demo backend with demo data (nothing to install or type)",
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check keyring, cache, backend, printer, device policy and window; exit 1 on failure",
    )
    sub = parser.add_subparsers(dest="command")
    from center_desk.sync.commands import add_commands

    add_commands(sub)
    return parser


def _skip_httpx_cli() -> None:
    """httpx's package imports its command-line tool (click, rich, pygments: a tenth of the
    desk's start and 10 MB) when they are installed, and falls back to a stub when they are
    not. The desk never runs that tool, so it takes the fallback (issue 13)."""
    if "httpx" not in sys.modules:
        sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]


def _import_before_qt() -> None:
    """Load the layers below the window before PySide6: once imported, PySide6 reads the source
    of every later module (looking for its feature switches), which adds up over the domain's,
    the keyring's and the cache's modules (issue 13). The window's own modules come after Qt
    anyway; the HTTP client, the wire models and the forms come after the first paint."""
    from center_desk import domain  # noqa: F401
    from center_desk.security import lock, os_session, posture, removable_media  # noqa: F401
    from center_desk.store import catalog, groups, meta, reservations  # noqa: F401
    from center_desk.store.keys import os_backend_class
    from center_desk.sync import (  # noqa: F401
        config,
        credentials,
        recovery,
        sign_in,
        status,
        sync_lock,
    )

    os_backend_class()


def main(argv: list[str] | None = None) -> int:
    _skip_httpx_cli()
    args = build_parser().parse_args(argv)
    if args.self_test:
        from center_desk.selftest import main as self_test

        return self_test()
    if args.command is not None:
        from center_desk.sync.cli import run

        return run(args)
    _import_before_qt()
    # Qt is imported only here, so the headless commands above never load it.
    from center_desk.ui.app import run_desk

    return int(run_desk(demo=args.demo))


if __name__ == "__main__":
    raise SystemExit(main())
