#!/bin/sh
# The container's entry point: `serve` (the default) migrates the schema first unless
# CENTER_DESK_MIGRATE_ON_START=0; anything else is a center-desk-backend command.
set -eu
if [ "${1:-serve}" = "serve" ] && [ "${CENTER_DESK_MIGRATE_ON_START:-1}" != "0" ]; then
    center-desk-backend migrate
fi
exec center-desk-backend "$@"
