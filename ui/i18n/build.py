"""Regenerate the translations: ``python -m ui.i18n.build``.

1. ``pyside6-lupdate`` collects every ``tr()`` / ``QCoreApplication.translate`` string of ui/;
2. the settings descriptions (declared in station/settings.py, shown via ``tr(variable)``)
   are added to the ``SettingsDialog`` context;
3. translations from ``ui/i18n/zh_CN.py`` are filled in (unknown strings stay unfinished
   and are listed, so a missing translation is visible, not silent);
4. ``pyside6-lrelease`` compiles the ``.qm``.
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from ui.i18n.zh_CN import ZH, option_descriptions

HERE = Path(__file__).parent
UI = HERE.parent
BIN = Path(sys.executable).parent


def main() -> int:
    ts = HERE / "rma_station_zh_CN.ts"
    sources = sorted(str(p) for p in UI.rglob("*.py") if "cli" not in p.parts and p.name != "zh_CN.py")
    subprocess.run([str(BIN / "pyside6-lupdate"), *sources, "-ts", str(ts), "-no-obsolete",
                    "-target-language", "zh_CN", "-locations", "none"], check=True, capture_output=True)
    tree = ET.parse(ts)
    root = tree.getroot()
    descriptions = option_descriptions()
    contexts = {c.findtext("name"): c for c in root.findall("context")}
    dialog = contexts.get("SettingsDialog")
    if dialog is not None:
        have = {m.findtext("source") for m in dialog.findall("message")}
        for source in descriptions:
            if source not in have:
                message = ET.SubElement(dialog, "message")
                ET.SubElement(message, "source").text = source
                ET.SubElement(message, "translation")
    table = {**ZH, **descriptions}
    missing = []
    for message in root.iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        if translation is None:
            translation = ET.SubElement(message, "translation")
        if source in table and message.get("numerus") == "yes":
            # %n messages: one <numerusform> per plural form; Chinese has a single form.
            for child in list(translation):
                translation.remove(child)
            translation.text = None
            ET.SubElement(translation, "numerusform").text = table[source]
            translation.attrib.pop("type", None)
        elif source in table:
            translation.text = table[source]
            translation.attrib.pop("type", None)
        else:
            translation.set("type", "unfinished")
            missing.append(source)
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    subprocess.run([str(BIN / "pyside6-lrelease"), str(ts), "-qm", str(HERE / "rma_station_zh_CN.qm")],
                   check=True, capture_output=True)
    for source in missing:
        print(f"untranslated: {source!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
