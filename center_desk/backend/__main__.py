"""``center-desk-backend``: serve the reservation API, and the city's admin commands.

    center-desk-backend migrate
    center-desk-backend serve [--host H] [--port P]
    center-desk-backend catalog load FILE
    center-desk-backend staff add STAFF_ID --name NAME        (password read from stdin)
    center-desk-backend staff disable STAFF_ID
    center-desk-backend enrollment-code CENTER_ID
    center-desk-backend device revoke DEVICE_ID
    center-desk-backend closure set CENTER_ID YYYY-MM-DD REASON
    center-desk-backend closure remove CENTER_ID YYYY-MM-DD
    center-desk-backend lottery run YYYY-MM [--seed SEED]
    center-desk-backend seed-demo

Settings come from CENTER_DESK_BACKEND_* environment variables or the file named by
``--config`` / CENTER_DESK_BACKEND_CONFIG (README, "Configuring a real backend").
"""

from __future__ import annotations

import argparse
import getpass
import logging
import sys
from datetime import date
from pathlib import Path

from sqlalchemy.exc import OperationalError

from .config import ENV_PREFIX, BackendSettings, load_settings
from .context import BackendContext, clock_from_settings
from .db import Database
from .errors import ApiError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="center-desk-backend",
        description="Reservation backend for Kodaira's community centers (地域センター)",
    )
    parser.add_argument("--config", type=Path, help="TOML settings file")
    sub = parser.add_subparsers(dest="command", required=True)

    sub.add_parser("migrate", help="create or upgrade the database schema")
    serve = sub.add_parser("serve", help="serve the HTTP(S) API")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)

    catalog = sub.add_parser("catalog", help="the center/room catalog")
    catalog_sub = catalog.add_subparsers(dest="action", required=True)
    load = catalog_sub.add_parser("load", help="load a catalog JSON file")
    load.add_argument("file", type=Path)

    staff = sub.add_parser("staff", help="staff accounts")
    staff_sub = staff.add_subparsers(dest="action", required=True)
    add = staff_sub.add_parser("add", help="add a staff account or reset its password")
    add.add_argument("staff_id")
    add.add_argument("--name", required=True)
    disable = staff_sub.add_parser("disable", help="disable a staff account")
    disable.add_argument("staff_id")

    code = sub.add_parser("enrollment-code", help="issue a one-time code to enroll a desk")
    code.add_argument("center_id")

    device = sub.add_parser("device", help="enrolled desks")
    device_sub = device.add_subparsers(dest="action", required=True)
    revoke = device_sub.add_parser("revoke", help="revoke a desk (it wipes its cache)")
    revoke.add_argument("device_id")

    closure = sub.add_parser("closure", help="temporary closures (臨時休館日)")
    closure_sub = closure.add_subparsers(dest="action", required=True)
    set_closure = closure_sub.add_parser("set")
    set_closure.add_argument("center_id")
    set_closure.add_argument("day", type=date.fromisoformat)
    set_closure.add_argument("reason")
    remove_closure = closure_sub.add_parser("remove")
    remove_closure.add_argument("center_id")
    remove_closure.add_argument("day", type=date.fromisoformat)

    lottery = sub.add_parser("lottery", help="the monthly lottery draw")
    lottery_sub = lottery.add_subparsers(dest="action", required=True)
    run = lottery_sub.add_parser("run", help="draw the lottery for a use-month")
    run.add_argument("month", help="YYYY-MM")
    run.add_argument("--seed", help="reproduce an earlier draw with its recorded seed")

    sub.add_parser("seed-demo", help="load the demo catalog, staff and bookings")
    sync = sub.add_parser("sync", help="the change log desks pull")
    sync_sub = sync.add_subparsers(dest="action", required=True)
    sync_sub.add_parser(
        "new-epoch",
        help="after restoring the database from a backup: every desk resyncs in full",
    )
    return parser


def _context(settings: BackendSettings) -> BackendContext:
    return BackendContext(settings, Database(settings.database_url), clock_from_settings(settings))


def _read_password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("password: ")
        if first != getpass.getpass("again: "):
            raise SystemExit("the two passwords differ")
        return first
    return sys.stdin.readline().rstrip("\n")


def run_command(args: argparse.Namespace, settings: BackendSettings) -> int:
    from . import migrate as migrations
    from .services import auth, catalog, demo, lottery

    if args.command == "serve":
        from .server import serve

        return serve(settings, host=args.host, port=args.port)

    ctx = _context(settings)
    if args.command == "migrate":
        migrations.upgrade(ctx.db.engine)
        print(f"schema at {migrations.current_revision(ctx.db.engine)}")
        return 0
    if not migrations.is_up_to_date(ctx.db.engine):
        print(
            "the database schema is not current: run `center-desk-backend migrate`", file=sys.stderr
        )
        return 1
    now = ctx.now()
    with ctx.db.session() as session:
        if args.command == "catalog":
            from center_desk.resources import load_catalog

            catalog.load_catalog(session, load_catalog(args.file), now)
            print(f"catalog loaded from {args.file}")
        elif args.command == "staff" and args.action == "add":
            auth.add_staff(session, args.staff_id, args.name, _read_password(), now=now)
            print(f"staff {args.staff_id} ready")
        elif args.command == "staff":
            auth.disable_staff(session, args.staff_id)
            print(f"staff {args.staff_id} disabled")
        elif args.command == "enrollment-code":
            print(auth.issue_enrollment_code(session, args.center_id, now=now, settings=settings))
        elif args.command == "device":
            auth.revoke_device(session, args.device_id, now=now)
            print(f"device {args.device_id} revoked")
        elif args.command == "closure" and args.action == "set":
            catalog.set_closure(session, args.center_id, args.day, args.reason, now)
            print(f"{args.center_id} closed on {args.day}")
        elif args.command == "closure":
            removed = catalog.remove_closure(session, args.center_id, args.day, now)
            print("removed" if removed else "there was no such closure")
        elif args.command == "lottery":
            result = lottery.run_draw(
                session, args.month, now=now, seed=args.seed, policy=ctx.policy
            )
            state = "already drawn" if result.already_run else "drawn"
            print(
                f"{result.month} {state}: {result.entries} entries, {result.winners} winners,"
                f" seed {result.seed}"
            )
        elif args.command == "sync":
            from .services import sync as sync_service

            epoch = sync_service.new_epoch(session)
            print(f"change log epoch is now {epoch}: every desk gets a full snapshot next time")
        elif args.command == "seed-demo":
            summary = demo.seed(session, now=now)
            print(summary)
    return 0


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    args = _parser().parse_args(argv)
    if args.command != "migrate":
        logging.getLogger("alembic").setLevel(logging.WARNING)
    else:
        logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    try:
        settings = load_settings(args.config)
    except (ValueError, OSError) as exc:
        print(f"settings: {exc}", file=sys.stderr)
        return 2
    try:
        return run_command(args, settings)
    except ApiError as exc:
        print(f"{exc.code}: {exc.message}", file=sys.stderr)
        return 1
    except OperationalError as exc:
        # The driver's first line says what failed (refused, unknown host, authentication)
        # without the URL, whose password must not reach the terminal or a log.
        lines = str(exc.orig).strip().splitlines()
        reason = lines[0] if lines else type(exc.orig).__name__
        print(
            f"database: cannot use the database ({reason}); "
            f"check {ENV_PREFIX}DATABASE_URL and that the server is running",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
