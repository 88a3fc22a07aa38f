"""A scan while a dialog is open goes to the dialog, never to the work behind it (issue 15,
problems 1 and 2): the file dialog of F7 keeps its unit, the override dialog takes a
supervisor's badge, and F7 without a camera says so."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QWidget
from sqlalchemy import select

from station.models import Grade, Inspection, Photo, Role, Unit
from station.receiving.service import ReceivingService
from tests.helpers.builders import add_operator, add_product, add_rma, make_context
from tests.ui import test_inspection_story as story
from tests.ui.conftest import Station
from tests.ui.test_inspection_story import grade_of, inspector, photo, press, received_unit  # noqa: F401
from ui.views.inspection import InspectionView


def unit_of(station: Station, sku: str, name: str) -> str:
    """One received 'homeware' unit of its own product (general checklist)."""
    with station.session_factory.begin() as db:
        product = add_product(db, sku, category="homeware", name_en=name)
        rma = add_rma(db, [(product, 1)])
        clerk = add_operator(db, Role.CLERK)
    return ReceivingService(make_context(station.session_factory, station.clock)).receive(clerk, rma.number).units[0].lpn


class TestPhotoDialogKeepsItsUnit:
    def test_lpn_scanned_while_the_photo_dialog_is_open_changes_nothing_and_the_photo_lands_on_its_unit(
            self, station: Station, inspector: InspectionView, qtbot, photo: Path) -> None:  # noqa: ANN001
        watch = unit_of(station, "SW-1", "Smart watch")
        earbuds = unit_of(station, "EB-2", "Earbuds")
        station.keys.scan(watch)
        press(station, qtbot, "P F", inspector)
        assert station.last.title == "Photo needed"
        seen: list[str] = []

        def picker(_parent: QWidget) -> str:
            # While the dialog is open the inspector scans the next unit's LPN.
            station.keys.scan(earbuds)
            seen.append(inspector.inspection.lpn)
            return str(photo)

        inspector.photo_picker = picker
        press(station, qtbot, "F7", inspector)
        assert seen == [watch]
        assert inspector.inspection.lpn == watch
        refused = next(m for m in station.messages if m.code == "scan_refused_by_dialog")
        assert refused.text == earbuds
        assert station.last.title == "Photo added"
        with station.session_factory() as db:
            photo_row = db.scalars(select(Photo)).one()
            unit_of_photo = db.scalar(select(Unit.lpn).join(Inspection, Inspection.unit_id == Unit.id)
                                      .where(Inspection.id == photo_row.inspection_id))
            inspections = db.scalars(select(Inspection)).all()
        assert unit_of_photo == watch
        assert len(inspections) == 1  # the earbuds' inspection was never started

    def test_f7_without_a_camera_says_so_before_asking_for_a_file(
            self, station: Station, inspector: InspectionView, qtbot, photo: Path) -> None:  # noqa: ANN001
        lpn = received_unit(station)
        station.keys.scan(lpn)
        press(station, qtbot, "P F", inspector)
        titles: list[str] = []
        inspector.photo_picker = lambda _parent: titles.append(station.last.title) or str(photo)
        press(station, qtbot, "F7", inspector)
        assert titles == ["No camera"]
        assert any(m.code == "no_camera" and m.text == "Choose a photo file instead." for m in station.messages)


class TestOverrideDialogTakesTheBadge:
    finished = story.TestOverride.finished

    def test_supervisor_badge_scanned_into_the_override_dialog_fills_its_badge_field(
            self, station: Station, inspector: InspectionView, qtbot) -> None:  # noqa: ANN001
        lpn = self.finished(station, inspector, packaging="FAIL")
        qtbot.waitUntil(lambda: QApplication.focusWidget() is inspector)
        station.keys.press("O")
        qtbot.waitUntil(lambda: inspector.override_dialog is not None)
        dialog = inspector.override_dialog
        dialog.grade.setCurrentText("A")
        qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.reason)
        station.keys.type("box found")
        qtbot.waitUntil(lambda: dialog.reason.text() == "box found")
        before = len(station.messages)
        station.keys.scan("EMP3001")
        assert dialog.badge.text() == "EMP3001"
        assert QApplication.focusWidget() is dialog.pin
        assert len(station.messages) == before  # no "No unit with LPN EMP3001"
        assert inspector.result is not None and inspector.result.lpn == lpn
        station.keys.type("3456")
        qtbot.waitUntil(lambda: dialog.pin.text() == "3456")
        station.keys.press("Return")
        qtbot.waitUntil(lambda: inspector.override_dialog is None)
        assert station.last.title == "Grade A" and grade_of(station, lpn) == Grade.A

    def test_a_parcel_scanned_into_the_override_dialog_is_refused_and_changes_nothing(
            self, station: Station, inspector: InspectionView, qtbot) -> None:  # noqa: ANN001
        lpn = self.finished(station, inspector)
        other = unit_of(station, "EB-2", "Earbuds")
        qtbot.waitUntil(lambda: QApplication.focusWidget() is inspector)
        station.keys.press("O")
        qtbot.waitUntil(lambda: inspector.override_dialog is not None)
        dialog = inspector.override_dialog
        station.keys.scan(other)
        assert station.last.code == "scan_refused_by_dialog" and station.last.text == other
        assert dialog.badge.text() == "" and inspector.override_dialog is dialog
        assert inspector.result.lpn == lpn
        dialog.reject()
        qtbot.waitUntil(lambda: inspector.override_dialog is None)


@pytest.fixture
def own_prefix_station(qtbot, ui_session_factory, people, tmp_path: Path):  # noqa: ANN001, ANN201
    """A station whose formats file makes ``DO-`` the command prefix."""
    from station.core.settings import defaults
    from station.scanning.formats import DEFAULT_FORMATS_FILE
    from tests.ui.conftest import make_station

    formats = tmp_path / "formats.toml"
    formats.write_text(DEFAULT_FORMATS_FILE.read_text(encoding="utf-8").replace('prefix = "CMD:"', 'prefix = "DO-"'),
                       encoding="utf-8")
    yield from make_station(qtbot, ui_session_factory, defaults().replace(**{"scanning.formats_file": str(formats)}))


class TestCommandPrefixFromTheFormatsFile:
    def test_a_station_with_its_own_command_prefix_confirms_by_that_prefix_only(
            self, own_prefix_station: Station, catalogue) -> None:  # noqa: ANN001
        from tests.ui.conftest import sign_in
        from tests.ui.test_receiving_story import make_rma

        station = own_prefix_station
        sign_in(station, "EMP1001", "1234")
        number = make_rma(station, catalogue).number
        station.keys.scan(number)
        station.keys.scan("CMD:CONFIRM")  # not a command here: looked up as a parcel
        assert station.last.code != "received"
        station.keys.scan(number)
        station.keys.scan("DO-CONFIRM")
        assert station.last.title == "Received"
