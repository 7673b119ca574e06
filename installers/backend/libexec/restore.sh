#!/bin/sh
# Restore the backend's database from a backup.sh dump, then tell every desk to resync:
#
#   systemctl stop center-desk-backend.target          (on every backend host)
#   createdb -O center center                          (a new, empty database or cluster)
#   restore.sh /path/center-desk-20270104T023000Z.dump
#   systemctl start center-desk-backend.target
#
# The target is the database in the backend's settings (CENTER_DESK_BACKEND_CONFIG /
# CENTER_DESK_BACKEND_DATABASE_URL), and it must be empty: a restore never mixes into live
# data. After pg_restore the schema is migrated to this version's head (a dump from before an
# upgrade), and the change log starts a new epoch: every desk's cursor then belongs to the old
# epoch, so each desk gets a full snapshot on its next sync instead of trusting a cursor that
# may point past what the restored database holds. Its waiting outbox is pushed again and the
# backend acknowledges what it already has.
set -eu
PREFIX="${CENTER_DESK_BACKEND_PREFIX:-/opt/center-desk-backend}"
BACKEND="$PREFIX/bin/center-desk-backend"
dump="${1:?usage: restore.sh DUMP}"
[ -r "$dump" ] || { echo "restore: cannot read $dump" >&2; exit 2; }

# Check everything before touching the database.
# Desks hold cursors into the log this dump rewinds: the new epoch makes them resync in full.
if ! "$BACKEND" sync new-epoch --help >/dev/null 2>&1; then
    echo "restore: this backend cannot start a new change-log epoch" \
         "(center-desk-backend sync new-epoch); upgrade it before restoring" >&2
    exit 3
fi
pg_restore --list "$dump" >/dev/null

url="$("$PREFIX/bin/python" -c 'from center_desk.backend.config import load_settings; print(load_settings().database_url)')"
url="postgresql:${url#*:}"
tables="$(psql --no-psqlrc --tuples-only --no-align --dbname="$url" \
    --command="select count(*) from pg_tables where schemaname = 'public'")"
if [ "$tables" != "0" ]; then
    echo "restore: the target database is not empty ($tables tables); restore into a new one" >&2
    exit 4
fi

pg_restore --exit-on-error --single-transaction --no-owner --no-privileges --dbname="$url" "$dump"
"$BACKEND" migrate
# shellcheck disable=SC2086
"$BACKEND" sync new-epoch
echo "restore: done; start the backend (systemctl start center-desk-backend.target)"
