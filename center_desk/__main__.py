"""``center-desk``: the counter desk (Qt) and its headless commands."""

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
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    parser.parse_args(argv)
    # The window arrives with the counter-desk issue; until then say so plainly rather than
    # pretend (README "Status").
    print(
        "center-desk: the counter window is not built yet (see README, Status).",
        file=sys.stderr,
    )
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
