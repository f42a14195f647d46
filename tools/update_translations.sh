#!/bin/sh
# Re-extract the UI's strings into resources/translations/yousync_ko.ts (keeping every existing
# translation; new strings show up as "unfinished" in Qt Linguist), then compile the .qm the app
# loads. Run from anywhere; uses pyside6-lupdate / pyside6-lrelease from PATH or from $PYSIDE6_BIN.
# Moved a tr() string to another class? Run lupdate once without -no-obsolete, then
# tools/fill_translations.py (it copies the old context's words), then this script.
#
# Besides ui/, lupdate reads every core module that marks error sentences with QT_TRANSLATE_NOOP
# (the `messages` catalogues of CodedError subclasses, see yousync_desktop/errors.py), so a new
# error code lands in the "errors" context without this list being edited.
set -eu
cd "$(dirname "$0")/.."
bin="${PYSIDE6_BIN:+$PYSIDE6_BIN/}"
sources=$( {
    find yousync_desktop/ui -name '*.py'
    grep -rl --include='*.py' 'QT_TRANSLATE_NOOP(' yousync_desktop | grep -v '^yousync_desktop/ui/'
} | sort -u)
for language in ko; do
    ts="resources/translations/yousync_${language}.ts"
    # shellcheck disable=SC2086  # word splitting of $sources is intended
    "${bin}pyside6-lupdate" -no-obsolete -locations none -source-language en \
        -target-language "$language" $sources -ts "$ts"
    "${bin}pyside6-lrelease" "$ts" -qm "resources/translations/yousync_${language}.qm"
done
