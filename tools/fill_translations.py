"""Write translations for source texts that lupdate left unfinished:

    python tools/fill_translations.py resources/translations/yousync_ko.ts NEW.json

NEW.json maps English source text → translation. Only unfinished messages are filled (a finished
translation is never overwritten); the .ts is otherwise kept as lupdate wrote it. Run
tools/update_translations.sh afterwards to compile the .qm.
"""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path


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
    ts_path, json_path = Path(sys.argv[1]), Path(sys.argv[2])
    translations = json.loads(json_path.read_text(encoding="utf-8"))
    filled = fill(ts_path, translations)
    missing = sorted(set(translations) - set(filled))
    print(f"filled {len(filled)}; not unfinished or not found: {len(missing)}")
    for source in missing:
        print("  -", source)
    return 0


if __name__ == "__main__":
    sys.exit(main())
