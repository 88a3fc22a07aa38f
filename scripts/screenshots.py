"""Render each view of the dock window offscreen to PNG, in English and Chinese.

``python scripts/screenshots.py [--out docs/screenshots]``: a demo database in a temporary
station home, the real window (synchronous executors), scans fed through the hub, and
``widget.grab()`` for each view. Flat colours keep each PNG well under 250 KB.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtGui import QImage  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402
from sqlalchemy import select  # noqa: E402

from drivers.scanners.scan import Scan  # noqa: E402


def save(widget: QWidget, path: Path) -> None:
    QApplication.processEvents()
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
    image.save(str(path), "PNG", 9)
    print(f"{path} {path.stat().st_size // 1024} KB")


def policy_page(window: QWidget, settings, ctx, tag: str, out: Path) -> None:  # noqa: ANN001
    """The settings dialog's Return policy tab, refusing a misspelt category with its line."""
    from station.core.return_policy import SHIPPED
    from station.policy.admin import PolicyAdmin
    from ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(settings, window, policy=PolicyAdmin(ctx), actor=getattr(window, "actor", None))
    dialog.show()
    editor = dialog.policy_editor
    assert editor is not None
    dialog.tabs.setCurrentWidget(editor)
    editor.text.setPlainText(SHIPPED.read_text(encoding="utf-8").replace("electronics = 15", "electronix = 15"))
    editor.save()
    editor._go_to_problem(editor.problems.item(0))
    save(dialog, out / f"settings_policy_{tag}.png")
    dialog.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="docs/screenshots")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    home = tempfile.mkdtemp(prefix="rma-shots-")
    os.environ["RMA_STATION_HOME"] = home
    app = QApplication.instance() or QApplication([])

    from station.core.context import StationContext
    from station.core.db import open_database
    from station.core.settings import defaults
    from station.demo import seed_demo
    from station.models import Rma, RmaState
    from ui.background import Background, SyncExecutor
    from ui.dock import assemble
    from ui.settings_dialog import SettingsDialog
    from ui.sound_board import SoundBoard

    _engine, factory = open_database(f"sqlite:///{home}/demo.sqlite", create=True)
    seed_demo(factory, station_id="DOCK01", rmas=320)
    with factory() as db:
        fresh = db.scalars(select(Rma.number).where(Rma.state == RmaState.AUTHORISED)).all()
    for language in ("en", "zh_CN"):
        settings = defaults().replace(**{"ui.language": language})
        ctx = StationContext(factory, station_id="DOCK01")
        dock = assemble(ctx, settings, background=Background(SyncExecutor(), SyncExecutor()),
                        sounds=SoundBoard(False, probe_audio=False), save=False)
        window = dock.window
        window.resize(1280, 800)
        window.show()
        tag = "en" if language == "en" else "zh"
        save(window, out / f"signin_{tag}.png")
        dock.hub.deliver(Scan("EMP9001"))
        window.signin.pin.setText("999999")
        window.signin.submit()
        window.show_view("receiving")
        receiving = window.views["receiving"]
        dock.hub.deliver(Scan(fresh[0 if tag == "en" else 1]))
        receiving.confirm()
        save(window, out / f"receiving_ok_{tag}.png")
        dock.hub.deliver(Scan(f"JD00998877{66 if tag == 'en' else 67}"))
        save(window, out / f"receiving_unknown_{tag}.png")
        receiving.quarantine()  # F9: held for a supervisor, so the approvals desk has a case to show
        dock.hub.deliver(Scan(fresh[2 if tag == "en" else 3]))
        save(window, out / f"receiving_card_{tag}.png")
        card = receiving.card.card
        if card is not None:  # item checks: the first line's product, then one not on the RMA
            first = card.lines[0]
            dock.hub.deliver(Scan(first.gtin.lstrip("0") or first.sku))
            if first.serialised:
                dock.hub.deliver(Scan(first.serial or "SN-CHECK-1"))
            receiving.parcel.set_weight_g(1250)
            receiving.parcel.pick_condition(2)
            dock.hub.deliver(Scan("4006381333931"))
            save(window, out / f"receiving_checks_{tag}.png")
        lpn = receiving.lpns.item(0).text().split()[0] if receiving.lpns.count() else None
        window.show_view("inspection")
        inspection = window.views["inspection"]
        if lpn:
            dock.hub.deliver(Scan(lpn))
            inspection.answer_current("pass")
            save(window, out / f"inspection_question_{tag}.png")
            while inspection.current is not None:
                q = inspection.current
                if q.kind.value == "text":
                    inspection.enter()
                elif q.kind.value == "number":
                    inspection.answer_current(str(q.expected if q.expected is not None else q.minimum or 0))
                else:
                    inspection.answer_current("1" if q.kind.value == "choice" else "pass")
            inspection.finish()
            save(window, out / f"inspection_grade_{tag}.png")
        for name in ("queues", "approvals", "dashboard", "sheets", "resolution", "rtv"):  # every desk tab
            window.show_view(name)
            save(window, out / f"desk_{name}_{tag}.png")
        window.show_view("receiving")
        dialog = SettingsDialog(dock.settings, window)
        dialog.show()
        dialog.tabs.setCurrentIndex(4)
        save(dialog, out / f"settings_{tag}.png")
        dialog.close()
        policy_page(window, dock.settings, ctx, tag, out)
        window.sign_out()
        dock.shutdown()
        window.close()
        window.deleteLater()
        app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
