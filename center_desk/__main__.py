"""``center-desk``: the counter desk window, and its headless commands.

center-desk --demo            the window on the embedded demo backend
center-desk                   the window (first run: enroll with the city's code)
center-desk enroll …          enroll this PC from the command line
center-desk sync --once       one push and pull, without the window (no Qt loaded)
center-desk --self-test       check this installed desk, one line per check (for the city's IT)
"""

from __future__ import annotations

import argparse


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
    from center_desk.sync.cli import add_commands

    add_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.self_test:
        from center_desk.selftest import main as self_test

        return self_test()
    if args.command is not None:
        from center_desk.sync.cli import run

        return run(args)
    # Qt is imported only here, so the headless commands above never load it.
    from center_desk.ui.app import run_desk

    return int(run_desk(demo=args.demo))


if __name__ == "__main__":
    raise SystemExit(main())
