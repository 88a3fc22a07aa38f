"""Inspector stories: scan an LPN, walk the checklist by keys and command scans, photos,
grades A-D, override with and without the right role."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from station.models import AuditEvent, Disposition, Grade, Inspection, LabelJob, Operator, Photo, Role, Unit
from station.receiving.service import ReceivingService
from tests.helpers.builders import add_operator, add_product, add_rma, make_context
from tests.ui.conftest import Station, sign_in
from ui.bridge import Level
from ui.views.inspection import InspectionView


def received_unit(station: Station) -> str:
    """A parcel received at the dock: one 'homeware' unit (general checklist, 6 questions)."""
    with station.session_factory.begin() as db:
        lamp = add_product(db, "LMP-7", category="homeware", name_en="Desk lamp", name_zh="台灯")
        rma = add_rma(db, [(lamp, 1)])
        clerk = add_operator(db, Role.CLERK)
    result = ReceivingService(make_context(station.session_factory, station.clock)).receive(clerk, rma.number)
    return result.units[0].lpn


@pytest.fixture
def inspector(station: Station) -> InspectionView:
    sign_in(station, "EMP2001", "2345")
    view = station.window.views["inspection"]
    assert isinstance(view, InspectionView)
    return view


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(QColor("#8899aa"))
    path = tmp_path / "scratch.png"
    assert image.save(str(path))
    return path


def press(station: Station, qtbot, keys: str, view: InspectionView) -> None:  # noqa: ANN001
    """Human key presses; each waits until the view has acted on it (keys settle after 20 ms)."""
    for key in keys.split():
        before = (view.inspection, view.result, view.pages.currentIndex(), len(station.messages))
        station.keys.press(key)
        qtbot.waitUntil(lambda b=before: (view.inspection, view.result, view.pages.currentIndex(),
                                          len(station.messages)) != b, timeout=2000)


def grade_of(station: Station, lpn: str) -> Grade | None:
    with station.session_factory() as db:
        return db.scalar(select(Unit.grade).where(Unit.lpn == lpn))


class TestGrades:
    def test_a_grade_unit_in_eight_key_presses_prints_its_disposition_label(
            self, station: Station, inspector: InspectionView, qtbot) -> None:  # noqa: ANN001
        lpn = received_unit(station)
        station.keys.scan(lpn)
        assert inspector.current is not None and inspector.current.id == "item_matches"
        assert inspector.question.text.text() == "Is it the item sold?"
        press(station, qtbot, "P P P 1 P Return", inspector)  # five answers, skip the optional note
        assert "Provisional grade A" in inspector.summary.text()
        press(station, qtbot, "Return", inspector)
        assert station.last.title == "Grade A" and station.last.text == "Restock → RESALE-A"
        press(station, qtbot, "Return", inspector)
        assert station.last.code == "disposed" and station.last.title == f"Unit {lpn} done"
        with station.session_factory() as db:
            disposition = db.scalars(select(Disposition)).one()
            job = db.scalars(select(LabelJob).where(LabelJob.kind == "disposition")).one()
        assert disposition.kind.value == "restock" and job.subject == lpn
        assert inspector.pages.currentIndex() == 0

    def test_minor_fault_gives_b_by_command_scans(self, station: Station, inspector: InspectionView) -> None:
        lpn = received_unit(station)
        station.keys.scan(lpn)
        for command in ("PASS", "PASS", "PASS"):
            station.keys.scan(f"CMD:{command}")
        inspector.answer_current("1")  # condition: as new (number key 1 in the window)
        station.keys.scan("CMD:FAIL")  # packaging missing: minor
        inspector.enter()  # skip the note
        station.keys.scan("CMD:FINISH")
        assert inspector.result is not None and inspector.result.grade == Grade.B
        assert station.last.title == "Grade B"

    @pytest.mark.parametrize(("answers", "grade"), [("P P F", Grade.C), ("P F", Grade.D)])
    def test_failed_item_needing_a_photo_blocks_finishing_until_one_is_added(
            self, station: Station, inspector: InspectionView, qtbot, photo: Path,  # noqa: ANN001
            answers: str, grade: Grade) -> None:
        lpn = received_unit(station)
        station.keys.scan(lpn)
        press(station, qtbot, answers, inspector)
        assert station.last.title == "Photo needed"
        while inspector.current is not None:
            if inspector.current.id == "notes":
                inspector.enter()
            else:
                inspector.answer_current("1" if inspector.current.kind.value == "choice" else "pass")
        assert inspector.pages.currentIndex() == 2
        assert "Cannot finish yet" in inspector.summary.text()
        inspector.finish()  # Enter on a blocked summary asks the service, which refuses
        assert station.last.level == Level.ERROR and station.last.code == "invalid_input"
        assert station.last.text.startswith(f"Unit {lpn} cannot be finished yet:")
        assert grade_of(station, lpn) is None
        inspector.photo_picker = lambda _parent: str(photo)
        press(station, qtbot, "F7", inspector)
        assert station.last.title == "Photo added"
        assert "Provisional grade" in inspector.summary.text()
        station.keys.scan("CMD:FINISH")
        assert inspector.result is not None and inspector.result.grade == grade
        assert grade_of(station, lpn) == grade
        with station.session_factory() as db:
            assert db.scalar(select(Photo.item_id)) in {"complete", "works"}


class TestOverride:
    def finished(self, station: Station, inspector: InspectionView, packaging: str = "PASS") -> str:
        lpn = received_unit(station)
        station.keys.scan(lpn)
        for _ in range(3):
            station.keys.scan("CMD:PASS")
        inspector.answer_current("1")
        station.keys.scan(f"CMD:{packaging}")
        inspector.enter()
        station.keys.scan("CMD:FINISH")
        assert inspector.result is not None
        assert inspector.result.grade == (Grade.A if packaging == "PASS" else Grade.B)
        return lpn

    def override(self, station: Station, inspector: InspectionView, qtbot, grade: str, reason: str,  # noqa: ANN001
                 supervisor: tuple[str, str] | None = None) -> None:
        qtbot.waitUntil(lambda: QApplication.focusWidget() is inspector)  # the dialog has closed
        station.keys.press("O")
        qtbot.waitUntil(lambda: inspector.override_dialog is not None)
        dialog = inspector.override_dialog
        dialog.grade.setCurrentText(grade)
        qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.reason)
        station.keys.type(reason)
        qtbot.waitUntil(lambda: dialog.reason.text() == reason)
        if supervisor is not None:
            dialog.badge.setText(supervisor[0])
            dialog.pin.setText(supervisor[1])
        station.keys.press("Return")
        qtbot.waitUntil(lambda: inspector.override_dialog is None)

    def test_inspector_may_lower_a_grade_with_a_reason(
            self, station: Station, inspector: InspectionView, qtbot) -> None:  # noqa: ANN001
        lpn = self.finished(station, inspector)
        self.override(station, inspector, qtbot, "B", "scuff on base")
        assert inspector.result.grade == Grade.B and inspector.result.overridden
        assert station.last.title == "Grade B"
        with station.session_factory() as db:
            row = db.scalars(select(Inspection)).one()
        assert (row.computed_grade, row.grade, row.override_reason) == (Grade.A, Grade.B, "scuff on base")
        assert grade_of(station, lpn) == Grade.B

    def test_inspector_may_not_raise_a_grade_without_a_supervisor(
            self, station: Station, inspector: InspectionView, qtbot) -> None:  # noqa: ANN001
        lpn = self.finished(station, inspector, packaging="FAIL")
        self.override(station, inspector, qtbot, "A", "box was in the parcel after all")
        assert station.last.code == "permission_denied"
        assert station.last.text == "Li Na (inspector) may not raise a grade above the computed one."
        assert grade_of(station, lpn) == Grade.B

    def test_supervisor_badge_and_pin_in_the_dialog_allow_raising(
            self, station: Station, inspector: InspectionView, qtbot) -> None:  # noqa: ANN001
        lpn = self.finished(station, inspector, packaging="FAIL")
        self.override(station, inspector, qtbot, "A", "box found", supervisor=("EMP3001", "0000"))
        assert station.last.code == "authentication_failed" and grade_of(station, lpn) == Grade.B
        self.override(station, inspector, qtbot, "A", "box found", supervisor=("EMP3001", "3456"))
        assert station.last.title == "Grade A"
        with station.session_factory() as db:
            row = db.scalars(select(Inspection)).one()
            supervisor_id = db.scalar(select(Operator.id).where(Operator.badge == "EMP3001"))
        assert (row.computed_grade, row.grade, row.overridden_by) == (Grade.B, Grade.A, supervisor_id)
        assert grade_of(station, lpn) == Grade.A
        with station.session_factory() as db:
            actors = db.scalars(select(AuditEvent.operator_id).where(
                AuditEvent.action == "inspection.grade_overridden")).all()
        assert actors[-1] == supervisor_id


class TestLot:
    def test_scanning_the_items_gs1_datamatrix_records_its_lot_on_the_open_unit(
            self, station: Station, inspector: InspectionView, qtbot) -> None:  # noqa: ANN001
        """Issue 26: the item's own code, scanned while its unit is open, gives the unit its lot."""
        from drivers.scanners.scan import Scan

        lpn = received_unit(station)
        station.keys.scan(lpn)
        assert "LOT" not in inspector.unit.text()
        inspector.handle_scan(Scan("0106901234567892172611301" "0LIP-9", symbology="gs1-datamatrix"))
        qtbot.waitUntil(lambda: station.last.code == "lot_recorded", timeout=2000)
        assert station.last.title == "Lot LIP-9 recorded"
        assert f"{lpn}   LMP-7   Desk lamp   LOT LIP-9   ·" in inspector.unit.text()
        with station.session_factory() as db:
            assert db.scalar(select(Unit.lot).where(Unit.lpn == lpn)) == "LIP-9"
        assert inspector.current is not None and inspector.current.id == "item_matches"  # the walk goes on
