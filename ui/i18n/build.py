"""Regenerate the translations: ``python -m ui.i18n.build``.

1. ``pyside6-lupdate`` collects every ``tr()`` / ``QCoreApplication.translate`` string of ui/;
2. the settings descriptions (declared in station/core/settings.py, shown via ``tr(variable)``)
   are added to the ``SettingsDialog`` context;
3. translations from ``ui/i18n/zh_CN.py`` are filled in (unknown strings stay unfinished
   and are listed, so a missing translation is visible, not silent);
4. ``pyside6-lrelease`` compiles the ``.qm``;
5. the English catalogue holds only the plural forms of the ``%n`` strings
   (``ui/i18n/en.py``): "1 row", not the source's "1 rows".
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from ui.i18n.en import PLURALS
from ui.i18n.zh_CN import ZH, option_descriptions

HERE = Path(__file__).parent
UI = HERE.parent
BIN = Path(sys.executable).parent


def ui_sources() -> list[str]:
    return sorted(str(p) for p in UI.rglob("*.py")
                  if "cli" not in p.parts and p.name not in ("zh_CN.py", "en.py"))


def collect(ts: Path, language: str) -> None:
    """Qt's own ``lupdate`` over ui/: every ``tr()`` string into ``ts``."""
    subprocess.run([str(BIN / "pyside6-lupdate"), *ui_sources(), "-ts", str(ts), "-no-obsolete",
                    "-target-language", language, "-locations", "none"], check=True, capture_output=True)


def build_english() -> list[str]:
    """The English plural catalogue; returns the ``%n`` strings without forms in en.py."""
    ts = HERE / "rma_station_en.ts"
    collect(ts, "en")
    tree = ET.parse(ts)
    missing = []
    for context in tree.getroot().findall("context"):
        for message in context.findall("message"):
            source = message.findtext("source") or ""
            if message.get("numerus") != "yes":
                context.remove(message)  # the source text is the English
                continue
            translation = message.find("translation")
            if translation is None:
                translation = ET.SubElement(message, "translation")
            for child in list(translation):
                translation.remove(child)
            translation.text = None
            if source not in PLURALS:
                translation.set("type", "unfinished")
                missing.append(source)
                continue
            translation.attrib.pop("type", None)
            for form in PLURALS[source]:
                ET.SubElement(translation, "numerusform").text = form
    for context in tree.getroot().findall("context"):
        if not context.findall("message"):
            tree.getroot().remove(context)
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    subprocess.run([str(BIN / "pyside6-lrelease"), str(ts), "-qm", str(HERE / "rma_station_en.qm")],
                   check=True, capture_output=True)
    return missing


def main() -> int:
    ts = HERE / "rma_station_zh_CN.ts"
    collect(ts, "zh_CN")
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
    # A word with two meanings carries a "Context|word" key for the context where it differs:
    # "open" is an RTV batch not shipped yet (未发货) but an alert not yet handled (Names: 未处理).
    messages = [(c.findtext("name") or "", m) for c in root.findall("context") for m in c.findall("message")]
    for context_name, message in messages:
        source = message.findtext("source") or ""
        if f"{context_name}|{source}" in table:
            source = f"{context_name}|{source}"
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
    plural_missing = build_english()
    for source in plural_missing:
        print(f"no English plural forms in ui/i18n/en.py: {source!r}")
    return 1 if missing or plural_missing else 0


if __name__ == "__main__":
    sys.exit(main())
