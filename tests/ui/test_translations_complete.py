"""Issue 15: every string the window shows has its Chinese (the status bar said "Sync: not
set up" and the approvals pane "Requested by" in English in a zh_CN window).

Runs Qt's own ``pyside6-lupdate`` over ui/ (as ``python -m ui.i18n.build`` does) into a
scratch .ts and checks every collected source text has a translation in ui/i18n/zh_CN.py.
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QTranslator

from ui.i18n.zh_CN import ZH, option_descriptions

UI = Path(__file__).resolve().parents[2] / "ui"


def test_every_ui_string_has_its_chinese(tmp_path: Path) -> None:
    ts = tmp_path / "scratch.ts"
    sources = sorted(str(p) for p in UI.rglob("*.py") if "cli" not in p.parts and p.name != "zh_CN.py")
    subprocess.run([str(Path(sys.executable).parent / "pyside6-lupdate"), *sources, "-ts", str(ts),
                    "-no-obsolete", "-target-language", "zh_CN", "-locations", "none"],
                   check=True, capture_output=True)
    known = {**ZH, **option_descriptions()}
    missing = sorted({m.findtext("source") or "" for m in ET.parse(ts).getroot().iter("message")} - set(known))
    assert missing == []


def test_the_compiled_catalogue_says_sync_not_set_up_in_chinese() -> None:
    translator = QTranslator()
    assert translator.load(str(UI / "i18n" / "rma_station_zh_CN.qm"))
    root = ET.parse(UI / "i18n" / "rma_station_zh_CN.ts").getroot()
    context = next(c.findtext("name") for c in root.iter("context")
                   if any(m.findtext("source") == "Sync: not set up" for m in c.iter("message")))
    assert translator.translate(context, "Sync: not set up") == "同步：未设置"
