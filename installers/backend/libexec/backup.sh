#!/bin/sh
# Back up the backend's database: one pg_dump in custom format (compressed, restorable table by
# table), written to a temporary name and renamed when complete, then dumps older than
# BACKUP_KEEP_DAYS removed. The database is the one the backend itself uses
# (CENTER_DESK_BACKEND_CONFIG / CENTER_DESK_BACKEND_DATABASE_URL). Prints the dump's path.
#
#   BACKUP_DIR=/var/lib/center-desk-backend-backups backup.sh     (what the timer runs)
set -eu
PREFIX="${CENTER_DESK_BACKEND_PREFIX:-/opt/center-desk-backend}"
BACKUP_DIR="${BACKUP_DIR:?set BACKUP_DIR}"
KEEP_DAYS="${BACKUP_KEEP_DAYS:-14}"

# The backend's own settings say where the database is; libpq takes postgresql:// URLs.
url="$("$PREFIX/bin/python" -c 'from center_desk.backend.config import load_settings; print(load_settings().database_url)')"
case "$url" in
    postgresql*) ;;
    *) echo "backup: the backend's database is not PostgreSQL ($(echo "$url" | cut -d: -f1))" >&2; exit 2 ;;
esac
url="postgresql:${url#*:}"

mkdir -p "$BACKUP_DIR"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
target="$BACKUP_DIR/center-desk-$stamp.dump"
pg_dump --format=custom --compress=6 --no-owner --no-privileges --file="$target.partial" "$url"
mv "$target.partial" "$target"
find "$BACKUP_DIR" -maxdepth 1 -name 'center-desk-*.dump' -mtime +"$KEEP_DAYS" -delete
echo "$target"
