"""Issue 26, capture at QC: the cosmetics checklist asks for the lot (optional); the inspector
types it or scans the item's GS1 code, and the lot lands on the unit through ``record_lot``'s
audited path, as the answer to the question too. Checklist files with a lot question are checked."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from station.core.errors import ConfigError, InvalidInput
from station.core.datafiles import read_toml
from station.inspection.checklists import ChecklistLibrary, ItemKind, parse_checklist
from station.inspection.service import InspectionService
from station.models import AuditEvent, Role, Unit
from station.receiving.service import ItemCheck, ParcelInput
from station.scanning.classify import classify_scan
from station.scanning.lots import lot_at_question
from tests.helpers.builders import add_operator, make_context

GS1_WITH_LOT = "(01)06900000000014(10)B24-117(17)281231"


def _unit_without_lot(lot_dock: dict[str, Any]) -> tuple[InspectionService, Any, str]:
    """A lipstick received without its GS1 code scanned, so QC is where its lot is taken."""
    lpn = lot_dock["service"].receive(lot_dock["clerk"], lot_dock["spare"],
                                      ParcelInput(items={1: (ItemCheck("6900000000014"),)})).units[0].lpn
    with lot_dock["sf"].begin() as db:
        inspector = add_operator(db, Role.INSPECTOR, name="Li Wei")
    return InspectionService(make_context(lot_dock["sf"], lot_dock["clock"])), inspector, lpn


def _at_lot_question(qc: InspectionService, inspector: Any, lpn: str) -> Any:
    view = qc.start(inspector, lpn)
    while view.next_question is not None and view.next_question.kind != ItemKind.LOT:
        question = view.next_question
        value = "pass" if question.kind == ItemKind.PASS_FAIL else str(question.expected) \
            if question.kind == ItemKind.NUMBER else ""
        view = qc.answer(inspector, view.inspection_id, question.id, value)
    assert view.next_question is not None and view.next_question.id == "lot"
    return view


def _lot_of(lot_dock: dict[str, Any], lpn: str) -> tuple[str | None, dt.date | None]:
    with lot_dock["sf"]() as db:
        unit = db.scalars(select(Unit).where(Unit.lpn == lpn)).one()
        return unit.lot, unit.expiry


class TestTheLotQuestion:
    def test_the_inspector_types_the_lot_and_it_is_kept_on_the_unit_and_audited(self, lot_dock) -> None:  # noqa: ANN001
        qc, inspector, lpn = _unit_without_lot(lot_dock)
        view = _at_lot_question(qc, inspector, lpn)
        view = qc.answer(inspector, view.inspection_id, "lot", "  B24-117 ")
        assert view.lot == "B24-117" and next(q for q in view.questions if q.id == "lot").answer == "B24-117"
        assert _lot_of(lot_dock, lpn) == ("B24-117", None)
        with lot_dock["sf"]() as db:
            audit = db.scalars(select(AuditEvent).where(AuditEvent.action == "unit.lot_recorded")).one()
        assert (audit.details["lot"], audit.details["question"], audit.details["before"]["lot"]) == \
            ("B24-117", "lot", "")
        assert qc.finish(inspector, view.inspection_id).grade.value == "A"  # a lot never fails a unit

    def test_a_gs1_code_typed_or_scanned_at_the_question_gives_its_lot_and_expiry(self, lot_dock) -> None:  # noqa: ANN001
        qc, inspector, lpn = _unit_without_lot(lot_dock)
        view = _at_lot_question(qc, inspector, lpn)
        view = qc.answer(inspector, view.inspection_id, "lot", GS1_WITH_LOT)
        assert _lot_of(lot_dock, lpn) == ("B24-117", dt.date(2028, 12, 31))
        assert view.next_question is None

    def test_a_product_code_without_a_lot_is_refused_in_both_languages_and_nothing_is_kept(self, lot_dock) -> None:  # noqa: ANN001
        qc, inspector, lpn = _unit_without_lot(lot_dock)
        view = _at_lot_question(qc, inspector, lpn)
        for code in ("6900000000014", "(01)06900000000014(17)281231"):
            with pytest.raises(InvalidInput, match=r"This code carries no lot \(10\)") as refused:
                qc.answer(inspector, view.inspection_id, "lot", code)
            assert refused.value.zh[0] == "此条码不含批号 (10)。"
        assert _lot_of(lot_dock, lpn) == ("", None)

    def test_enter_alone_leaves_the_optional_lot_unanswered_and_the_unit_finishes(self, lot_dock) -> None:  # noqa: ANN001
        qc, inspector, lpn = _unit_without_lot(lot_dock)
        view = _at_lot_question(qc, inspector, lpn)
        assert not view.next_question.required and view.blockers == ()
        assert qc.finish(inspector, view.inspection_id).grade.value == "A"
        assert _lot_of(lot_dock, lpn) == ("", None)

    def test_a_lot_scanned_anywhere_in_the_walk_also_answers_the_lot_question(self, lot_dock) -> None:  # noqa: ANN001
        qc, inspector, lpn = _unit_without_lot(lot_dock)
        view = _at_lot_question(qc, inspector, lpn)
        view = qc.record_lot(inspector, lpn, lot_at_question(classify_scan(GS1_WITH_LOT)))
        assert next(q for q in view.questions if q.id == "lot").answer == "B24-117"


class TestLotQuestionFiles:
    @pytest.mark.parametrize(("category", "version"), [("cosmetics", 2), ("electronics", 2)])
    def test_the_shipped_checklist_asks_for_the_lot_optionally(self, category: str, version: int) -> None:
        checklist = ChecklistLibrary(override_dir=None).for_category(category)
        item = checklist.item("lot")
        assert item.kind == ItemKind.LOT and not item.required and item.zh
        assert checklist.version == version  # a changed checklist is a new version

    @pytest.mark.parametrize(("extra", "says"), [
        ("required = true\n", "always optional"),
        ("photo_on_fail = true\n", "cannot fail"),
    ])
    def test_a_lot_question_that_could_block_or_fail_is_refused_with_its_line(self, tmp_path, extra, says) -> None:  # noqa: ANN001
        path = _template(tmp_path, extra)
        with pytest.raises(ConfigError, match=says) as refused:
            parse_checklist(read_toml(path))
        assert "line " in str(refused.value)

    def test_two_lot_questions_are_refused(self, tmp_path) -> None:  # noqa: ANN001
        path = _template(tmp_path, "", twice=True)
        with pytest.raises(ConfigError, match="already asks for the lot"):
            parse_checklist(read_toml(path))


def _template(tmp_path, extra: str, twice: bool = False):  # noqa: ANN001, ANN202
    from station.core.paths import SHIPPED_CHECKLISTS

    text = (SHIPPED_CHECKLISTS / "cosmetics.toml").read_text(encoding="utf-8")
    text = text.replace('kind = "lot"\n', 'kind = "lot"\n' + extra)
    if twice:
        text += '\n[[item]]\nid = "lot_again"\nen = "Lot again"\nzh = "再次批号"\nkind = "lot"\nseverity = "minor"\n'
    path = tmp_path / "cosmetics.toml"
    path.write_text(text, encoding="utf-8")
    return path
