#!/bin/sh
# Re-extract the UI's strings into resources/translations/yousync_ko.ts (keeping every existing
# translation; new strings show up as "unfinished" in Qt Linguist), then compile the .qm the app
# loads. Run from anywhere; uses pyside6-lupdate / pyside6-lrelease from PATH or from $PYSIDE6_BIN.
set -eu
cd "$(dirname "$0")/.."
bin="${PYSIDE6_BIN:+$PYSIDE6_BIN/}"
sources=$(find yousync_desktop/ui -name '*.py' | sort)
for language in ko; do
    ts="resources/translations/yousync_${language}.ts"
    # shellcheck disable=SC2086  # word splitting of $sources is intended
    "${bin}pyside6-lupdate" -no-obsolete -locations none -source-language en \
        -target-language "$language" $sources -ts "$ts"
    "${bin}pyside6-lrelease" "$ts" -qm "resources/translations/yousync_${language}.qm"
done
