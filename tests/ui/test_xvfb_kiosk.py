"""A kiosk: the real ``rma-station`` on Xvfb with no window manager, every key an X11 event
from xdotool (issue 15, problems 1 and 6). With a dialog open, a supervisor's badge scanned
at scanner speed lands in the dialog and an LPN scan is refused without touching the unit
behind it; after a dialog closes, F12 still signs out. Outcomes are read from the SQLite
file; the station log's banner lines only say when the window has acted."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from station.core.db import make_engine, make_session_factory, upgrade
from station.core.settings import defaults, save_settings, settings_path
from station.models import AuditEvent, Grade, Inspection, Role, Unit
from station.receiving.service import ReceivingService
from tests.conftest import REPO
from tests.helpers.builders import Clock, add_operator, add_product, add_rma, make_context
from tests.ui.test_xvfb import display, scan_keys, stop, wait_for, xdotool  # noqa: F401 - the X server fixture

pytestmark = [pytest.mark.xvfb, pytest.mark.slow]

HUMAN_DELAY_MS = "120"


@dataclass
class Kiosk:
    """The app's window on a display no window manager manages, its log and its database
    (an inspector signed in; a supervisor; two received units, a lamp and earbuds)."""

    display: str
    log: Path
    db: sessionmaker[Session]
    lamp: str
    earbuds: str
    supervisor: uuid.UUID

    def scan(self, text: str) -> None:
        scan_keys(self.display, text, delay_ms=7)  # a wedge scanner's burst, as the dock's scanners type

    def type(self, text: str) -> None:
        xdotool(self.display, "type", "--delay", HUMAN_DELAY_MS, text)

    def press(self, *keys: str) -> None:
        xdotool(self.display, "key", "--delay", HUMAN_DELAY_MS, *keys)

    def banner_lines(self, code: str) -> list[str]:
        """What the window's banners said, as the station log has it, for one banner code."""
        if not self.log.is_file():
            return []
        return [line for line in self.log.read_text(encoding="utf-8").splitlines() if f"banner [{code}]" in line]

    def banners(self, code: str) -> int:
        return len(self.banner_lines(code))

    def wait_banner(self, code: str, seen: int = 0) -> None:
        """Until the window has shown banner ``code`` more than ``seen`` times."""
        try:
            wait_for(f"banner {code}", lambda: self.banners(code) > seen)
        except AssertionError as exc:
            tail = self.log.read_text(encoding="utf-8")[-3000:] if self.log.is_file() else "(no log)"
            raise AssertionError(f"{exc}; the station log ends:\n{tail}") from None

    def dialog(self, title: str) -> str:
        """The dialog whose title starts with ``title``, once it is shown and has the keyboard.

        Nothing but the app can give it the X input focus here; a key pressed before it has
        the focus goes to the window under the pointer, which the modal dialog blocks."""
        window = xdotool(self.display, "search", "--sync", "--onlyvisible", "--name", f"^{title}").splitlines()[0]
        wait_for(f"the keyboard focus on {title}", lambda: self.focus() == window)
        return window

    def focus(self) -> str:
        found = subprocess.run(["xdotool", "getwindowfocus", "-f"], env={**os.environ, "DISPLAY": self.display},
                               capture_output=True, text=True, timeout=30)
        return found.stdout.strip()

    def dialog_gone(self, title: str) -> bool:
        found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", f"^{title}"],
                               env={**os.environ, "DISPLAY": self.display}, capture_output=True, timeout=30)
        return found.returncode != 0

    def answers(self, lpn: str) -> int:
        with self.db() as db:
            inspection = db.scalar(select(Inspection).join(Unit, Inspection.unit_id == Unit.id).where(Unit.lpn == lpn))
            return len(inspection.answers) if inspection is not None else 0

    def answer(self, lpn: str, keys: str) -> None:
        """Human answer keys, each after the view has taken the one before."""
        for key in keys.split():
            before = self.answers(lpn)
            self.press(key)
            wait_for(f"answer {key} stored", lambda: self.answers(lpn) > before)  # noqa: B023 - called at once
            # The view hears of the commit a moment later, from its writer thread; until then
            # it is busy and drops a key, as it would a person's.
            time.sleep(0.3)

    def inspections_of(self, lpn: str) -> list[Inspection]:
        with self.db() as db:
            return list(db.scalars(select(Inspection).join(Unit, Inspection.unit_id == Unit.id)
                                   .where(Unit.lpn == lpn)))

    def audit(self, action: str) -> list[AuditEvent]:
        with self.db() as db:
            return list(db.scalars(select(AuditEvent).where(AuditEvent.action == action)))


@pytest.fixture
def kiosk(display: str, tmp_path: Path, station_home: Path) -> Iterator[Kiosk]:  # noqa: F811
    """The dock open on a display without a window manager (keys go to the window under the
    pointer or to the window the app gives the focus), the inspector signed in."""
    db_path = tmp_path / "dock.sqlite"
    engine = make_engine(f"sqlite:///{db_path}")
    upgrade(engine)
    factory = make_session_factory(engine)
    now = dt.datetime.now(dt.UTC)
    with factory.begin() as db:
        add_operator(db, Role.INSPECTOR, badge="EMP2001", name="Li Na", pin="2345")
        supervisor = add_operator(db, Role.SUPERVISOR, badge="EMP3001", name="Chen Jing", pin="3456")
        clerk = add_operator(db, Role.CLERK, badge="EMP1001", name="Zhang Min", pin="1234")
        rmas = [add_rma(db, [(add_product(db, sku, category="homeware", name_en=name), 1)],
                        authorised=now - dt.timedelta(days=2))
                for sku, name in (("LMP-7", "Desk lamp"), ("EB-2", "Earbuds"))]
    receiving = ReceivingService(make_context(factory, Clock(now)))
    lpns = [receiving.receive(clerk, rma.number).units[0].lpn for rma in rmas]
    # The scanner here is xdotool on a shared machine: descheduled for a moment, it leaves
    # a gap a real scanner never does. Until the station has learnt a scanner's rhythm a
    # burst ends after the configured gap, so this dock allows the most the setting does.
    config = settings_path()
    config.parent.mkdir(parents=True, exist_ok=True)
    save_settings(defaults().replace(**{"scanners.wedge_max_gap_ms": 60}), config)
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
    stderr = (tmp_path / "app.stderr").open("wb")  # a file, not a pipe nobody reads until the end
    app = subprocess.Popen([sys.executable, "-c", "import sys; from ui.cli import main; sys.exit(main(sys.argv[1:]))",
                            "--db", str(db_path)], cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=stderr)
    try:
        window = xdotool(display, "search", "--sync", "--onlyvisible", "--name", "RMA station").splitlines()[0]
        xdotool(display, "mousemove", "--window", window, "200", "200")  # no window manager: no focus but the pointer's
        dock = Kiosk(display, station_home / "data" / "logs" / "station.log", factory, lamp=lpns[0], earbuds=lpns[1],
                     supervisor=supervisor.id)
        dock.scan("EMP2001")
        dock.type("2345")
        dock.press("Return")
        dock.wait_banner("signed_in")
        yield dock
    finally:
        stop(app)
        stderr.close()
        engine.dispose()


def graded(kiosk: Kiosk, lpn: str) -> None:
    """Scan the lamp's LPN and walk the general checklist by keys to a provisional B (the
    packaging failed, which needs no photo), then finish: the result page shows."""
    kiosk.scan(lpn)
    kiosk.wait_banner("inspecting")
    kiosk.answer(lpn, "p p p 1 f")
    kiosk.press("Return", "Return")  # skip the optional note; finish
    kiosk.wait_banner("graded_B")


class TestScanWhileADialogIsOpen:
    def test_supervisor_badge_fills_the_override_dialog_and_an_lpn_scan_changes_nothing(self, kiosk: Kiosk) -> None:
        lamp, earbuds = kiosk.lamp, kiosk.earbuds
        graded(kiosk, lamp)
        kiosk.press("o")
        kiosk.dialog(f"Override grade of {lamp}")
        kiosk.press("shift+Tab", "Home", "Tab")  # up to the grade list, grade A, back to the reason
        kiosk.type("box found")

        kiosk.scan(earbuds)
        kiosk.wait_banner("scan_refused_by_dialog")
        [refused] = kiosk.banner_lines("scan_refused_by_dialog")
        assert f"Scan not used: a dialog is open {earbuds}" in refused
        assert kiosk.inspections_of(earbuds) == []  # the earbuds' inspection never started

        kiosk.scan("EMP3001")  # into the badge field; the PIN field has focus next
        kiosk.type("3456")
        kiosk.press("Return")
        kiosk.wait_banner("graded_A")

        [inspection] = kiosk.inspections_of(lamp)
        assert (inspection.computed_grade, inspection.grade) == (Grade.B, Grade.A)
        assert (inspection.override_reason, inspection.overridden_by) == ("box found", kiosk.supervisor)
        [event] = kiosk.audit("inspection.grade_overridden")
        assert (event.operator_badge, event.entity_id) == ("EMP3001", str(inspection.id))
        assert kiosk.banners("not_found") == 0  # no "No unit with LPN EMP3001"
        assert kiosk.inspections_of(earbuds) == []


class TestF12AfterADialog:
    @pytest.mark.parametrize("dialog", ["photo file dialog", "override dialog"])
    def test_f12_signs_out_after_a_dialog_was_closed_with_esc(self, kiosk: Kiosk, dialog: str) -> None:
        lamp = kiosk.lamp
        if dialog == "photo file dialog":
            kiosk.scan(lamp)
            kiosk.wait_banner("inspecting")
            kiosk.press("F7")
            title = "Add a photo"
        else:
            graded(kiosk, lamp)
            kiosk.press("o")
            title = f"Override grade of {lamp}"
        kiosk.dialog(title)
        kiosk.press("Escape")
        wait_for(f"the {dialog} to close", lambda: kiosk.dialog_gone(title))
        assert kiosk.audit("auth.signed_out") == []

        kiosk.press("F12")
        wait_for("the sign-out in the audit log", lambda: bool(kiosk.audit("auth.signed_out")))
        [event] = kiosk.audit("auth.signed_out")
        assert event.operator_badge == "EMP2001"
