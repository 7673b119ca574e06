#!/bin/sh
# The lottery draw for the use-month two months after today's (Tokyo) month: on 2026-12-20 it
# draws 2027-02. Run by center-desk-backend-lottery.timer on the 20th; by hand, give the day:
#   lottery-draw.sh [YYYY-MM-DD]
set -eu
PREFIX="${CENTER_DESK_BACKEND_PREFIX:-/opt/center-desk-backend}"
today="${1:-$(TZ=Asia/Tokyo date +%Y-%m-%d)}"
# From the 15th of the month: "+2 month" from the 31st would skip a month.
month="$(date -d "$(echo "$today" | cut -c1-7)-15 +2 month" +%Y-%m)"
echo "lottery-draw: drawing the lottery for $month"
exec "$PREFIX/bin/center-desk-backend" lottery run "$month"
