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

from ui.i18n.en import PLURALS
from ui.i18n.zh_CN import ZH, option_descriptions

UI = Path(__file__).resolve().parents[2] / "ui"


def test_every_ui_string_has_its_chinese(tmp_path: Path) -> None:
    ts = tmp_path / "scratch.ts"
    sources = sorted(str(p) for p in UI.rglob("*.py") if "cli" not in p.parts and p.name not in ("zh_CN.py", "en.py"))
    subprocess.run([str(Path(sys.executable).parent / "pyside6-lupdate"), *sources, "-ts", str(ts),
                    "-no-obsolete", "-target-language", "zh_CN", "-locations", "none"],
                   check=True, capture_output=True)
    known = {**ZH, **option_descriptions()}
    messages = list(ET.parse(ts).getroot().iter("message"))
    missing = sorted({m.findtext("source") or "" for m in messages} - set(known))
    assert missing == []
    counted = {m.findtext("source") or "" for m in messages if m.get("numerus") == "yes"}
    assert sorted(counted - set(PLURALS)) == [], "every %n string needs its English forms in ui/i18n/en.py"


def test_english_counts_are_singular_for_one() -> None:
    """A queue of one said "1 rows" and a batch "1 sheets, 1 units": the window's English
    catalogue holds the plural forms, and the compiled one is up to date with en.py."""
    translator = QTranslator()
    assert translator.load(str(UI / "i18n" / "rma_station_en.qm"))
    # QTranslator picks the form; QCoreApplication.translate then puts the number in for %n
    assert translator.translate("QueuesView", "%n rows", "", 1) == "%n row"
    assert translator.translate("QueuesView", "%n rows", "", 3) == "%n rows"
    root = ET.parse(UI / "i18n" / "rma_station_en.ts").getroot()
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            source = message.findtext("source") or ""
            one, other = PLURALS[source]
            assert translator.translate(name, source, "", 1) == one
            assert translator.translate(name, source, "", 2) == other


def test_the_compiled_catalogue_says_sync_not_set_up_in_chinese() -> None:
    translator = QTranslator()
    assert translator.load(str(UI / "i18n" / "rma_station_zh_CN.qm"))
    root = ET.parse(UI / "i18n" / "rma_station_zh_CN.ts").getroot()
    context = next(c.findtext("name") for c in root.iter("context")
                   if any(m.findtext("source") == "Sync: not set up" for m in c.iter("message")))
    assert translator.translate(context, "Sync: not set up") == "同步：未设置"


def test_the_supervisor_signoff_fields_read_in_chinese_in_both_dialogs(qapp) -> None:  # noqa: ANN001
    """The override and waiver dialogs share their badge/PIN rows; the shared words must be
    found at run time under their own context, whichever dialog shows them."""
    from station.models import Grade
    from ui.i18n import install_language
    from ui.widgets.override_dialog import OverrideDialog
    from ui.widgets.waiver_dialog import WaiverDialog

    installed = install_language(qapp, "zh_CN", [])
    try:
        for dialog in (OverrideDialog("LPN-1", Grade.B, Grade.C), WaiverDialog("LPN-1", "Powers on")):
            labels = [dialog.form.labelForField(f).text() for f in (dialog.reason, dialog.badge, dialog.pin)]
            assert labels == ["原因", "主管工牌", "主管 PIN"]
    finally:
        install_language(qapp, "en", installed)
