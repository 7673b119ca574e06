#!/usr/bin/env bash
# Refresh the Japanese translation after changing visible strings:
#   1. extract every tr()/translate() string of the window into center_desk_ja.ts,
#   2. translate the new entries (Qt Linguist: .venv/bin/pyside6-linguist center_desk_ja.ts),
#   3. compile the .qm the desk loads.
# tests/ui/test_translations.py fails while a string is untranslated or the .qm is stale.
set -euo pipefail
cd "$(dirname "$0")/../.."
mapfile -t sources < <(find center_desk/ui -name '*.py' | sort)
.venv/bin/pyside6-lupdate -no-obsolete -locations none "${sources[@]}" \
  -ts resources/translations/center_desk_ja.ts
.venv/bin/pyside6-lrelease resources/translations/center_desk_ja.ts \
  -qm resources/translations/center_desk_ja.qm
