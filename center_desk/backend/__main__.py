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
    center-desk-backend report YYYY-MM [--out DIR]              (PDF and CSV, all centers)
    center-desk-backend seed-demo
    center-desk-backend audit [--center C] [--staff S] [--device D] [--group USER_ID]
                              [--event E] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--csv]
    center-desk-backend audit --who-saw USER_ID
    center-desk-backend retention run          (daily, from a systemd timer or cron)

Settings come from CENTER_DESK_BACKEND_* environment variables or the file named by
``--config`` / CENTER_DESK_BACKEND_CONFIG (README, "Configuring a real backend").
"""

from __future__ import annotations

import argparse
import getpass
import logging
import sys
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from center_desk.domain.months import MonthError, parse_month

from .config import ENV_PREFIX, BackendSettings, load_settings
from .context import BackendContext, clock_from_settings
from .db import Database, engine_options
from .errors import ApiError


def _month(text: str) -> str:
    """A lottery month as argparse takes it: canonical ``YYYY-MM`` or a usage error (exit 2),
    checked before the database is touched."""
    try:
        parse_month(text)
    except MonthError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return text


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
    run.add_argument("month", type=_month, help="YYYY-MM")
    run.add_argument("--seed", help="reproduce an earlier draw with its recorded seed")

    report = sub.add_parser(
        "report", help="monthly usage report (月次利用状況報告) of every center: PDF and CSV"
    )
    report.add_argument("month", help="YYYY-MM")
    report.add_argument("--out", type=Path, default=Path("."), help="folder for the files")

    sub.add_parser("seed-demo", help="load the demo catalog, staff and bookings")
    _audit_parser(sub)
    retention = sub.add_parser("retention", help="anonymise personal data past its period")
    retention_sub = retention.add_subparsers(dest="action", required=True)
    retention_sub.add_parser("run", help="anonymise what is past the city's retention periods")
    sync = sub.add_parser("sync", help="the change log desks pull")
    sync_sub = sync.add_subparsers(dest="action", required=True)
    sync_sub.add_parser(
        "new-epoch",
        help="after restoring the database from a backup: every desk resyncs in full",
    )
    return parser


def _audit_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    audit = sub.add_parser("audit", help="the audit trail: who did what, where and when")
    audit.add_argument("--center", help="center id")
    audit.add_argument("--staff", help="staff id")
    audit.add_argument("--device", help="device id")
    audit.add_argument("--group", help="a group's user id: its events and its slips' prints")
    audit.add_argument("--event", help="one kind of event, e.g. group_viewed")
    audit.add_argument("--from", dest="first_day", type=date.fromisoformat, help="YYYY-MM-DD")
    audit.add_argument("--to", dest="last_day", type=date.fromisoformat, help="YYYY-MM-DD")
    audit.add_argument("--limit", type=int, default=50_000)
    audit.add_argument("--csv", action="store_true", help="CSV for the privacy officer")
    audit.add_argument("--who-saw", metavar="USER_ID", help="who viewed or printed this group")


def _context(settings: BackendSettings) -> BackendContext:
    return BackendContext(
        settings,
        Database(settings.database_url, **engine_options(settings)),
        clock_from_settings(settings),
    )


def _read_password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("password: ")
        if first != getpass.getpass("again: "):
            raise SystemExit("the two passwords differ")
        return first
    return sys.stdin.readline().rstrip("\n")


def _audit_report(session: Session, args: argparse.Namespace) -> str:
    from .services import audit_report, groups

    if args.who_saw:
        groups.get(session, args.who_saw)
        events = audit_report.query(session, audit_report.AuditFilter(user_id=args.who_saw))
        return audit_report.who_saw_table(args.who_saw, audit_report.who_saw(events))
    try:
        where = audit_report.AuditFilter(
            center_id=args.center,
            staff_id=args.staff,
            device_id=args.device,
            user_id=args.group,
            event=args.event,
            first_day=args.first_day,
            last_day=args.last_day,
            limit=args.limit,
        )
    except ValueError as exc:
        raise SystemExit(f"audit: {exc}") from None
    events = audit_report.query(session, where)
    return audit_report.to_csv(events).rstrip("\r\n") if args.csv else audit_report.to_table(events)


def run_command(args: argparse.Namespace, settings: BackendSettings) -> int:
    from . import migrate as migrations
    from .services import auth, catalog, demo, lottery

    if args.command == "serve":
        from .server import serve

        return serve(settings, host=args.host, port=args.port)

    if args.command == "report":
        from center_desk.domain.usage import MonthError, parse_month

        try:
            parse_month(args.month)
        except MonthError as exc:
            print(f"report: {exc}", file=sys.stderr)
            return 2
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
        elif args.command == "report":
            return _report(session, args.month, args.out, now)
        elif args.command == "audit":
            print(_audit_report(session, args))
        elif args.command == "retention":
            from .services import retention

            # The printed line is the command's answer (cron mails it); the service's own INFO
            # line, meant for the server's log when the API runs it, would say it twice.
            logging.getLogger(retention.__name__).setLevel(logging.WARNING)
            print(retention.run(session, settings, now=now))
        elif args.command == "sync":
            from .services import sync_cursor

            epoch = sync_cursor.new_epoch(session)
            print(f"change log epoch is now {epoch}: every desk gets a full snapshot next time")
        elif args.command == "seed-demo":
            summary = demo.seed(session, now=now)
            print(summary)
    return 0


def _report(session: Session, month: str, out: Path, now: datetime) -> int:
    from center_desk.domain import tokyo_date

    from .report import write_report

    try:
        files = write_report(session, month, out, today=tokyo_date(now))
    except OSError as exc:
        print(
            f"report: cannot write to {out} ({exc.strerror or type(exc).__name__})", file=sys.stderr
        )
        return 1
    except ValueError as exc:
        print(f"report: {exc}", file=sys.stderr)
        return 1
    print(f"{month}: {files.centers} centers")
    for path in (files.pdf, files.summary_csv, files.rooms_csv):
        print(path)
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
    except DBAPIError as exc:
        # A value the database refused (a NUL byte, a number out of range): say which kind,
        # not the statement, whose parameters may be personal data.
        sqlstate = getattr(exc.orig, "sqlstate", None) or "unknown"
        print(f"database: the database refused a value (SQLSTATE {sqlstate})", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
