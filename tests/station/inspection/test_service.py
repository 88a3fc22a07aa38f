"""Inspection stories: an inspector scans an LPN, walks the checklist, adds photos, finishes,
and the unit goes where the rules say - on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil

import pytest
from sqlalchemy import func, select

from station.audit import chain as audit
from station.core.errors import IllegalTransition, InvalidInput, NeedsSupervisor, NotFound, PermissionDenied
from station.core.paths import config_dir
from station.inspection.checklists import SHIPPED_DIR
from station.models import (
    Approval,
    ApprovalKind,
    ApprovalState,
    AuditEvent,
    Disposition,
    DispositionKind,
    Grade,
    Inspection,
    Unit,
    UnitState,
)
from tests.helpers.builders import NOW
from tests.station.builders_qc import JPEG, make_dock, photos_for_failures, receive_unit, walk

CATEGORIES = ["apparel", "shoes", "electronics", "small_appliances", "cosmetics"]


@pytest.fixture
def dock(session_factory):
    return make_dock(session_factory)


def snapshot(dock) -> tuple:
    """Row counts and unit states: what must not change when a call is refused."""
    with dock.sf() as db:
        return (
            db.scalar(select(func.count()).select_from(AuditEvent)),
            db.scalar(select(func.count()).select_from(Inspection)),
            db.scalar(select(func.count()).select_from(Disposition)),
            db.scalar(select(func.count()).select_from(Approval)),
            tuple(db.scalars(select(Unit.state).order_by(Unit.lpn))),
            tuple(str(a) for a in db.scalars(select(Inspection.answers).order_by(Inspection.started_at))),
        )


def inspect(dock, lpn, answers=None, actor=None):
    view = walk(dock, dock.qc.start(actor or dock.inspector, lpn), answers, actor)
    view = photos_for_failures(dock, view, actor)
    return dock.qc.finish(actor or dock.inspector, view.inspection_id)


class TestAsNewUnit:
    @pytest.mark.parametrize("category", CATEGORIES)
    def test_all_pass_grades_a_and_restocks(self, dock, category):
        lpn = receive_unit(dock, category)
        view = dock.qc.start(dock.inspector, lpn)
        assert view.checklist_id == category and view.checklist_version == (
            2 if category in ("cosmetics", "electronics") else 1)  # v2: the lot question
        assert view.next_question.id == "item_matches" and view.next_question.zh
        result = dock.qc.finish(dock.inspector, walk(dock, view).inspection_id)
        assert (result.grade, result.recommended, result.rule_name, result.bin_class) == \
            (Grade.A, DispositionKind.RESTOCK, "restock_as_new", "RESALE-A")
        assert result.unit_state == UnitState.INSPECTED and result.flags == ()
        disposed = dock.qc.dispose(dock.inspector, lpn)
        assert (disposed.kind, disposed.bin, disposed.unit_state) == \
            (DispositionKind.RESTOCK, "RESALE-A", UnitState.DISPOSITIONED)
        with dock.sf() as db:
            unit = db.scalar(select(Unit).where(Unit.lpn == lpn))
            assert (unit.grade, unit.disposition, unit.bin) == (Grade.A, DispositionKind.RESTOCK, "RESALE-A")
            actions = list(db.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))
            assert actions[-1] == "unit.dispositioned" and "inspection.finished" in actions
            assert audit.verify_chain(db).ok


# (category, value, reason, vendor takes returns, answers, grade, kind, approval kind)
DISPOSITION_PATHS = [
    ("apparel", "199.00", "size", False, {"packaging": "fail"}, "B", "restock", None),
    ("apparel", "199.00", "defective", False, {"damage": "fail"}, "C", "donate", None),
    ("shoes", "459.00", "defective", False, {"box_intact": "fail", "uppers": "damaged"}, "C", "refurbish", None),
    ("electronics", "2999.00", "defective", True, {"powers_on": "fail"}, "D", "return_to_vendor",
     ApprovalKind.RETURN_TO_VENDOR),
    ("small_appliances", "329.00", "defective", False, {"safety": "fail"}, "D", "recycle", None),
    ("cosmetics", "89.00", "damaged", False, {"seal_intact": "fail", "unused": "pass"}, "D", "scrap",
     ApprovalKind.SCRAP),
    ("cosmetics", "89.00", "defective", False, {"months_to_expiry": "3"}, "C", "donate", None),
]


class TestEachDisposition:
    @pytest.mark.parametrize(("category", "value", "reason", "rtv", "answers", "grade", "kind", "approval"),
                             DISPOSITION_PATHS, ids=[f"{p[0]}-{p[6]}" for p in DISPOSITION_PATHS])
    def test_recommendation_and_disposition(self, dock, category, value, reason, rtv, answers, grade,
                                            kind, approval):
        lpn = receive_unit(dock, category, value=value, reason=reason, rtv_allowed=rtv)
        result = inspect(dock, lpn, answers)
        assert (result.grade.value, result.recommended.value) == (grade, kind)
        disposed = dock.qc.dispose(dock.inspector, lpn)
        assert disposed.kind.value == kind and disposed.approval_kind == approval
        with dock.sf() as db:
            pending = db.scalars(select(Approval).where(Approval.state == ApprovalState.PENDING)).all()
            assert [(a.kind, a.entity_id) for a in pending] == \
                ([(approval, disposed.disposition_id)] if approval else [])


class TestPhotosAndBlocks:
    def test_failed_item_needing_a_photo_blocks_finish_until_photo_added(self, dock):
        lpn = receive_unit(dock, "electronics")
        view = walk(dock, dock.qc.start(dock.inspector, lpn), {"casing": "dents_or_cracks"})
        casing = next(q for q in view.questions if q.id == "casing")
        assert casing.failed and casing.needs_photo and not view.can_finish
        before = snapshot(dock)
        with pytest.raises(InvalidInput, match="Failed, needs a photo: Casing"):
            dock.qc.finish(dock.inspector, view.inspection_id)
        assert snapshot(dock) == before
        photo = dock.qc.add_photo(dock.inspector, view.inspection_id, "casing", JPEG, "image/jpg")
        assert photo.sha256 == hashlib.sha256(JPEG).hexdigest() and photo.path.read_bytes() == JPEG
        again = dock.qc.add_photo(dock.inspector, view.inspection_id, "casing", JPEG, "image/jpeg")
        assert again.id == photo.id  # the same picture twice is one photo
        result = dock.qc.finish(dock.inspector, view.inspection_id)
        assert result.grade == Grade.C

    def test_unanswered_required_question_blocks_finish(self, dock):
        view = dock.qc.start(dock.inspector, receive_unit(dock, "shoes"))
        view = dock.qc.answer(dock.inspector, view.inspection_id, "item_matches", "p")
        with pytest.raises(InvalidInput, match="Not answered: Both shoes present"):
            dock.qc.finish(dock.inspector, view.inspection_id)

    def test_not_a_picture_is_refused(self, dock):
        view = dock.qc.start(dock.inspector, receive_unit(dock, "apparel"))
        with pytest.raises(InvalidInput, match="not a PNG picture"):
            dock.qc.add_photo(dock.inspector, view.inspection_id, "", b"GIF89a....", "image/png")


class TestWalk:
    def test_scanning_again_resumes_the_open_inspection(self, dock):
        lpn = receive_unit(dock, "apparel")
        first = dock.qc.start(dock.inspector, lpn)
        dock.qc.answer(dock.inspector, first.inspection_id, "item_matches", "pass")
        again = dock.qc.start(dock.inspector, f" {lpn.lower()}\r")
        assert again.inspection_id == first.inspection_id and again.answered == 1
        assert again.next_question.id == "tags_attached"

    def test_no_power_skips_questions_and_refuses_answers_to_them(self, dock):
        view = dock.qc.start(dock.inspector, receive_unit(dock, "electronics"))
        view = walk(dock, view, {"powers_on": "fail"})
        assert {q.id for q in view.questions if not q.asked} == {"screen", "battery_health", "factory_reset"}
        before = snapshot(dock)
        with pytest.raises(InvalidInput, match="asked only when powers_on is pass"):
            dock.qc.answer(dock.inspector, view.inspection_id, "screen", 1)
        assert snapshot(dock) == before

    def test_bad_input_changes_nothing(self, dock):
        view = dock.qc.start(dock.inspector, receive_unit(dock, "electronics"))
        before = snapshot(dock)
        for call, error in [
            (lambda: dock.qc.answer(dock.inspector, view.inspection_id, "item_matches", "maybe"), InvalidInput),
            (lambda: dock.qc.answer(dock.inspector, view.inspection_id, "no_such", "pass"), NotFound),
            (lambda: dock.qc.answer(dock.clerk, view.inspection_id, "item_matches", "pass"), PermissionDenied),
            (lambda: dock.qc.start(dock.inspector, "LP999999999999"), NotFound),
            (lambda: dock.qc.dispose(dock.inspector, view.lpn), NotFound),
        ]:
            with pytest.raises(error):
                call()
        assert snapshot(dock) == before


class TestOverride:
    def test_inspector_lowers_a_grade_with_a_reason_computed_grade_kept(self, dock):
        lpn = receive_unit(dock, "apparel")
        result = inspect(dock, lpn)
        with pytest.raises(InvalidInput, match="Give a reason"):
            dock.qc.override_grade(dock.inspector, result.inspection_id, "B", " ")
        changed = dock.qc.override_grade(dock.inspector, result.inspection_id, "b", "faint perfume smell")
        assert (changed.computed_grade, changed.grade, changed.overridden) == (Grade.A, Grade.B, True)
        assert changed.rule_name == "restock_open_box"
        with dock.sf() as db:
            event = db.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
            assert event.action == "inspection.grade_overridden"
            assert event.details["computed"] == "A" and event.details["grade"] == "B"
            assert event.details["reason"] == "faint perfume smell"
            assert db.scalar(select(Unit.grade).where(Unit.lpn == lpn)) == Grade.B

    def test_raising_a_grade_needs_a_supervisor(self, dock):
        lpn = receive_unit(dock, "apparel", value="99.00", reason="defective")
        result = inspect(dock, lpn, {"tags_attached": "fail"})
        assert result.grade == Grade.C
        before = snapshot(dock)
        with pytest.raises(PermissionDenied, match="raise a grade"):
            dock.qc.override_grade(dock.inspector, result.inspection_id, Grade.B, "tags found in the bag")
        assert snapshot(dock) == before
        changed = dock.qc.override_grade(dock.supervisor, result.inspection_id, Grade.B, "tags found in the bag")
        assert (changed.computed_grade, changed.grade, changed.recommended) == \
            (Grade.C, Grade.B, DispositionKind.RESTOCK)
        # lowering it back to the computed grade is an inspector's right
        back = dock.qc.override_grade(dock.inspector, result.inspection_id, Grade.C, "tags are the wrong size")
        assert not back.overridden and back.recommended == DispositionKind.DONATE

    def test_no_override_after_disposition(self, dock):
        lpn = receive_unit(dock, "shoes")
        result = inspect(dock, lpn)
        dock.qc.dispose(dock.inspector, lpn)
        with pytest.raises(IllegalTransition):
            dock.qc.override_grade(dock.inspector, result.inspection_id, Grade.D, "sole came off later")


class TestFlaggedUnits:
    def test_serial_mismatch_goes_to_quarantine_until_a_supervisor_releases_it(self, dock):
        lpn = receive_unit(dock, "electronics", serial_sold="SN-A1", serial_received="SN-ZZ9",
                           rtv_allowed=True, reason="defective")
        result = inspect(dock, lpn)
        assert [f.code for f in result.flags] == ["serial_mismatch"]
        assert "received SN-ZZ9, sold SN-A1" in result.flags[0].detail
        assert (result.recommended, result.unit_state) == (DispositionKind.QUARANTINE, UnitState.QUARANTINED)
        with dock.sf() as db:
            approval = db.get(Approval, result.approval_id)
            assert (approval.kind, approval.state) == (ApprovalKind.FLAGGED_UNIT, ApprovalState.PENDING)
        with pytest.raises(NeedsSupervisor, match="serial_mismatch"):
            dock.qc.dispose(dock.inspector, lpn)
        with pytest.raises(InvalidInput, match="releasing the unit"):
            dock.qc.dispose(dock.supervisor, lpn)
        disposed = dock.qc.dispose(dock.supervisor, lpn, reason="serial typo on the order, checked invoice")
        assert (disposed.kind, disposed.rule_name) == (DispositionKind.RESTOCK, "restock_as_new")
        with dock.sf() as db:
            approval = db.get(Approval, result.approval_id)
            assert approval.state == ApprovalState.APPROVED and approval.decided_by == dock.supervisor.id

    def test_light_parcel_and_used_and_returned(self, dock):
        lpn = receive_unit(dock, "apparel", weight_g=40, expected_weight_g=300, reason="size")
        result = inspect(dock, lpn, {"unworn": "fail"})
        assert [f.code for f in result.flags] == ["light_parcel", "used_and_returned"]

    def test_repeat_returner(self, dock):
        for n in range(5):
            receive_unit(dock, "apparel", customer_ref="C-777", authorised=NOW - dt.timedelta(days=10 + n))
        old = receive_unit(dock, "apparel", customer_ref="C-888", authorised=NOW - dt.timedelta(days=20))
        lpn = receive_unit(dock, "apparel", customer_ref="C-777")
        result = inspect(dock, lpn)
        assert [f.code for f in result.flags] == ["repeat_returner"]
        assert "6 returns in 90 days" in result.flags[0].detail
        assert inspect(dock, old).flags == ()


class TestDispositionChoices:
    def test_other_kind_needs_a_reason_rtv_needs_vendor_terms(self, dock):
        lpn = receive_unit(dock, "small_appliances", value="329.00", reason="defective", supplier="Midea")
        inspect(dock, lpn, {"function": "fail"})
        before = snapshot(dock)
        with pytest.raises(InvalidInput, match="choosing scrap over the recommended refurbish"):
            dock.qc.dispose(dock.inspector, lpn, DispositionKind.SCRAP)
        with pytest.raises(InvalidInput, match="The supplier Midea takes no returns"):
            dock.qc.dispose(dock.inspector, lpn, "return_to_vendor", reason="vendor asked for it")
        with pytest.raises(InvalidInput, match="not a destination"):
            dock.qc.dispose(dock.inspector, lpn, "quarantine", reason="just because")
        assert snapshot(dock) == before
        done = dock.qc.dispose(dock.inspector, lpn, "scrap", bin="cage-3", reason="motor burnt out")
        assert (done.kind, done.bin, done.rule_name, done.recommended, done.approval_kind) == \
            (DispositionKind.SCRAP, "CAGE-3", "manual", DispositionKind.REFURBISH, ApprovalKind.SCRAP)

    def test_grade_d_cannot_be_restocked(self, dock):
        lpn = receive_unit(dock, "general_goods")
        inspect(dock, lpn, {"works": "fail"})
        with pytest.raises(InvalidInput, match="grade D unit cannot be restocked"):
            dock.qc.dispose(dock.supervisor, lpn, "restock", reason="looks fine to me")


class TestTemplateVersions:
    def test_template_edited_after_an_inspection_keeps_the_old_version(self, dock, tmp_path):
        first = receive_unit(dock, "apparel")
        started = dock.qc.start(dock.inspector, first)
        site = config_dir() / "checklists"
        site.mkdir(parents=True, exist_ok=True)
        text = (SHIPPED_DIR / "apparel.toml").read_text(encoding="utf-8")
        text = text.replace("version = 1", "version = 2").replace(
            'id = "odour"\n', 'id = "odour_free"\n')
        (site / "apparel.toml").write_text(text, encoding="utf-8")
        assert dock.qc.checklists.reload() == ()
        # the open inspection still walks v1 (question id "odour")...
        view = walk(dock, dock.qc.view(started.inspection_id), {"odour": "fail"})
        assert view.checklist_version == 1
        old = dock.qc.finish(dock.inspector, view.inspection_id)
        assert old.grade == Grade.C and old.failed_questions == ("odour",)
        # ...a new unit gets v2, and a brand-new service (after a restart) still explains v1
        new_view = dock.qc.start(dock.inspector, receive_unit(dock, "apparel"))
        assert new_view.checklist_version == 2 and "odour_free" in {q.id for q in new_view.questions}
        restarted = make_dock(dock.sf).qc
        explanation = restarted.explain(first)
        assert (explanation.checklist_version, explanation.computed_grade) == (1, Grade.C)

    def test_editing_a_used_version_in_place_is_refused_and_v1_stays(self, dock):
        dock.qc.start(dock.inspector, receive_unit(dock, "shoes"))
        site = config_dir() / "checklists"
        site.mkdir(parents=True, exist_ok=True)
        shutil.copy(SHIPPED_DIR / "shoes.toml", site / "shoes.toml")
        text = (site / "shoes.toml").read_text(encoding="utf-8").replace(
            'severity = "major"', 'severity = "minor"', 1)
        (site / "shoes.toml").write_text(text, encoding="utf-8")
        problems = dock.qc.checklists.reload()
        assert len(problems) == 1 and "version 2 or higher" in str(problems[0])
        assert dock.qc.checklists.for_category("shoes").item("soles_unworn").severity.value == "major"


class TestExplain:
    def test_explain_names_the_rules(self, dock, sqlite_url, capsys, request):
        lpn = receive_unit(dock, "shoes", value="459.00", reason="quality")
        inspect(dock, lpn, {"soles_unworn": "fail"})
        explanation = dock.qc.explain(lpn)
        lines = explanation.lines()
        assert explanation.current_rule == explanation.recorded_rule == "refurbish_worth_it"
        assert "Grade C: at least 1 major failed" in lines[1]
        assert any("flagged_to_quarantine [flagged]: no - the unit has no flags" in line for line in lines)
        assert lines[-1].startswith("=> refurbish (refurbish_worth_it)")
        if request.node.callspec.params["engine"] == "sqlite":
            from ui.cli import main

            assert main(["rules", "explain", lpn.lower(), "--db", sqlite_url]) == 0
            assert capsys.readouterr().out.splitlines() == lines
