"""``center-desk-backend``: the reservation backend's server and admin commands."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="center-desk-backend",
        description="Reservation backend for Kodaira's community centers",
    )
    parser.parse_args(argv)
    print("center-desk-backend: not built yet (see README, Status).", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
