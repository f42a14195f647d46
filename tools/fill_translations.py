"""Write translations for source texts that lupdate left unfinished:

    python tools/fill_translations.py resources/translations/yousync_ko.ts [NEW.json]

NEW.json maps English source text → translation. Without it, an unfinished message takes the
translation the same source text already has in another context (code that moved to another
class keeps its words). Only unfinished messages are filled (a finished translation is never
overwritten). Run tools/update_translations.sh afterwards: it rewrites the .ts in lupdate's own
style and compiles the .qm.
"""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def finished_translations(ts_path: Path) -> dict[str, str]:
    """Source text → its finished translation, from every context of the file (including those
    lupdate marked vanished because the code moved: run lupdate without -no-obsolete first)."""
    found = {}
    for message in ET.parse(ts_path).iter("message"):
        translation = message.find("translation")
        if translation is not None and translation.get("type") in (None, "vanished", "obsolete") \
                and translation.text:
            found.setdefault(message.findtext("source"), translation.text)
    return found


def fill(ts_path: Path, translations: dict[str, str]) -> list[str]:
    tree = ET.parse(ts_path)
    filled = []
    for message in tree.iter("message"):
        source = message.findtext("source")
        translation = message.find("translation")
        if translation is None or translation.get("type") != "unfinished":
            continue
        if source in translations:
            translation.text = translations[source]
            del translation.attrib["type"]
            filled.append(source)
    body = ET.tostring(tree.getroot(), encoding="unicode")
    ts_path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n",
                       encoding="utf-8")
    return filled


def main() -> int:
    ts_path = Path(sys.argv[1])
    if len(sys.argv) > 2:
        translations = json.loads(Path(sys.argv[2]).read_text(encoding="utf-8"))
    else:
        translations = finished_translations(ts_path)
    filled = fill(ts_path, translations)
    print(f"filled {len(filled)}")
    if len(sys.argv) > 2:
        missing = sorted(set(translations) - set(filled))
        print(f"not unfinished or not found: {len(missing)}")
        for source in missing:
            print("  -", source)
    return 0


if __name__ == "__main__":
    sys.exit(main())
