"""QC inspection: the inspector scans an LPN, answers the category's checklist, adds photos,
finishes (grade, flags, recommended disposition), and disposes of the unit.

Each public method is one transaction: it checks the caller's role, changes records, writes an
audit event, and returns a frozen view (``station.inspection.views``). Bad input raises a
``StationError`` whose message the inspector can act on, and nothing is written.

Decisions a person makes against the rules are allowed but never silent: a grade override
needs a reason (and a supervisor to raise a grade); choosing another disposition than the
recommended one needs a reason; a flagged unit stays in quarantine until a supervisor releases
it; scrap and return-to-vendor wait for a supervisor's approval.
"""

from __future__ import annotations

import dataclasses
import logging
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station.catalog.reasons import ReasonCodes, load_reasons
from station.core.context import Actor, StationContext
from station.core.errors import IllegalTransition, InvalidInput, NeedsSupervisor, NotFound
from station.core.events import dispositioned_event, inspected_event
from station.core.permissions import Permission, can
from station.core.photos import PhotoStore, check_image
from station.core.services import Service
from station.core.workflow import move_unit
from station.inspection.checklists import Checklist, ChecklistLibrary, ItemKind
from station.inspection.dispositions import Decision, RuleSet, UnitCase, load_rules
from station.inspection.flags import compute_flags, unit_facts
from station.inspection.grading import applicable, compute_grade, is_upgrade, normalise_answer, relevant_answers
from station.inspection.views import (
    DispositionView,
    Explanation,
    InspectionResult,
    InspectionView,
    PhotoView,
    RuleStep,
    blockers,
    flag_views,
    inspection_view,
    result_view,
)
from station.models import (
    Approval,
    ApprovalKind,
    ApprovalState,
    Disposition,
    DispositionKind,
    Grade,
    Inspection,
    Photo,
    Product,
    Unit,
    UnitState,
)
from station.receiving.lookup import rma_number_of
from station.receiving.lot_holds import hold_units
from station.resolution.automatic import after_disposition
from station.scanning.classify import classify_scan
from station.scanning.lots import LotSeen, lot_at_question

log = logging.getLogger(__name__)

MAX_REASON = 500
DEFAULT_BINS = {
    DispositionKind.REFURBISH: "REFURB", DispositionKind.RETURN_TO_VENDOR: "RTV",
    DispositionKind.SCRAP: "SCRAP", DispositionKind.DONATE: "DONATE", DispositionKind.RECYCLE: "RECYCLE",
}
NEEDS_APPROVAL = {
    DispositionKind.SCRAP: ApprovalKind.SCRAP,
    DispositionKind.RETURN_TO_VENDOR: ApprovalKind.RETURN_TO_VENDOR,
}


def _reason(text: str | None, what: str) -> str:
    cleaned = " ".join((text or "").split())
    if len(cleaned) < 3:
        raise InvalidInput(f"Give a reason {what}.", next_step="Type a few words the next person will understand.")
    return cleaned[:MAX_REASON]


def _lot_seen(lot: LotSeen | str) -> LotSeen:
    """A lot given as text, typed or scanned, through the one rule of ``lot_at_question``."""
    return lot if isinstance(lot, LotSeen) else lot_at_question(classify_scan(str(lot)))


def _lpn(code: str) -> str:
    cleaned = "".join(ch for ch in str(code) if ch.isprintable()).strip().upper()
    if not cleaned or len(cleaned) > 32:
        raise InvalidInput("That is not an LPN.", next_step="Scan the LPN label on the unit.")
    return cleaned


class InspectionService(Service):
    """Checklist walk, grading, flags and disposition of returned units."""

    def __init__(
        self,
        ctx: StationContext,
        *,
        checklists: ChecklistLibrary | None = None,
        rules: RuleSet | None = None,
        reasons: ReasonCodes | None = None,
        photos: PhotoStore | None = None,
    ) -> None:
        super().__init__(ctx)
        self.checklists = checklists if checklists is not None else ChecklistLibrary()
        self.rules = rules if rules is not None else load_rules()
        self.reasons = reasons if reasons is not None else load_reasons()
        self.photos = photos if photos is not None else PhotoStore()

    # ------------------------------------------------------------------ look-ups

    def _unit(self, db: Session, lpn: str, *, working: bool = True) -> Unit:
        code = _lpn(lpn)
        unit = db.scalar(select(Unit).where(Unit.lpn == code))
        if unit is None:
            raise NotFound(f"No unit with LPN {code}.", next_step="Check the label, or reprint it at receiving.")
        if working and "void_duplicate" in (unit.flags or []):
            # A duplicate parcel settled for another dock's receipt (station.sync.lost_parcels):
            # central counts that dock's units, so nothing done to this one could stand.
            raise IllegalTransition(
                f"Unit {code} belongs to a receipt voided as a duplicate parcel: another dock's receipt was kept.",
                next_step="Put it on the quarantine shelf for a supervisor; `rma-station audit tail` names the conflict.")
        return unit

    def _inspection(self, db: Session, inspection_id: uuid.UUID) -> Inspection:
        try:
            key = inspection_id if isinstance(inspection_id, uuid.UUID) else uuid.UUID(str(inspection_id))
        except ValueError:
            key = None
        inspection = db.get(Inspection, key) if key is not None else None
        if inspection is None:
            raise NotFound("That inspection does not exist.", next_step="Scan the unit's LPN again.")
        return inspection

    def _open(self, db: Session, inspection_id: uuid.UUID) -> Inspection:
        inspection = self._inspection(db, inspection_id)
        if inspection.finished_at is not None:
            raise IllegalTransition(
                f"The inspection of {inspection.unit.lpn} is already finished.",
                next_step="Override the grade if it is wrong, or scan the LPN to re-inspect.")
        return inspection

    def _latest_finished(self, db: Session, unit: Unit) -> Inspection:
        inspection = db.scalars(
            select(Inspection).where(Inspection.unit_id == unit.id, Inspection.finished_at.is_not(None))
            .order_by(Inspection.finished_at.desc(), Inspection.started_at.desc()).limit(1)
        ).first()
        if inspection is None:
            raise NotFound(f"Unit {unit.lpn} has no finished inspection.", next_step="Inspect it first.")
        return inspection

    def _checklist(self, inspection: Inspection) -> Checklist:
        return self.checklists.get(inspection.checklist_id, inspection.checklist_version)

    @staticmethod
    def _sold(unit: Unit) -> Product | None:
        return unit.rma_line.product if unit.rma_line is not None else unit.product

    def _photo_counts(self, db: Session, inspection: Inspection) -> dict[str, int]:
        """Photos per question; a question whose photo a supervisor waived counts as one."""
        rows = db.execute(select(Photo.item_id, func.count()).where(Photo.inspection_id == inspection.id)
                          .group_by(Photo.item_id))
        counts = {item_id: count for item_id, count in rows}
        for item_id in self._waived(db, inspection):
            counts[item_id] = max(counts.get(item_id, 0), 1)
        return counts

    @staticmethod
    def _waived(db: Session, inspection: Inspection) -> list[str]:
        summaries = db.scalars(select(Approval.summary).where(
            Approval.kind == ApprovalKind.PHOTO_WAIVER, Approval.entity_id == inspection.id,
            Approval.state == ApprovalState.APPROVED))
        return [s.split(":", 1)[0].removeprefix("photo waived for ") for s in summaries]

    def waive_photo(self, supervisor: Actor, inspection_id: uuid.UUID, item_id: str, reason: str) -> InspectionView:
        """A supervisor waives the photo a failed question needs, with a reason (no camera
        works and no picture file can be had): the only honest way past the photo rule,
        where the alternative was answering "pass". Recorded as an approval already
        granted, and audited."""
        self.require(supervisor, Permission.APPROVE)
        why = _reason(reason, "for finishing without the photo")
        with self.transaction() as db:
            inspection = self._open(db, inspection_id)
            checklist = self._checklist(inspection)
            item = checklist.item(item_id)
            if not item.photo_on_fail:
                raise InvalidInput(f"'{item.en}' needs no photo.", next_step="Finish the inspection.")
            counts = self._photo_counts(db, inspection)
            if counts.get(item.id):
                raise InvalidInput(f"'{item.en}' has its photo already.", next_step="Finish the inspection.")
            now = self.ctx.now()
            db.add(Approval(
                kind=ApprovalKind.PHOTO_WAIVER, entity_type="inspections", entity_id=inspection.id,
                state=ApprovalState.APPROVED, summary=f"photo waived for {item.id}: {why}",
                requested_by=supervisor.id, requested_at=now, decided_by=supervisor.id, decided_at=now,
                decision_reason=why,
            ))
            db.flush()
            self.audit(db, supervisor, "inspection.photo_waived", "inspections", inspection.id,
                       {"lpn": inspection.unit.lpn, "item": item.id, "reason": why})
            return self._view(db, inspection, checklist)

    def _view(self, db: Session, inspection: Inspection, checklist: Checklist | None = None) -> InspectionView:
        unit = inspection.unit
        stored = db.scalar(select(func.count(func.distinct(Photo.sha256))).where(
            Photo.inspection_id == inspection.id)) or 0
        return inspection_view(inspection, unit, self._sold(unit), checklist or self._checklist(inspection),
                               self._photo_counts(db, inspection), stored)

    def _case(self, unit: Unit, grade: Grade, flags: frozenset[str]) -> UnitCase:
        sold = self._sold(unit)
        value = Decimal("0")
        if sold is not None and sold.unit_value:
            value = sold.unit_value
        elif unit.rma_line is not None:
            value = unit.rma_line.unit_price or Decimal("0")
        rma = unit.receipt.rma if unit.receipt is not None else None
        return UnitCase(grade=grade, flags=flags, reason=rma.reason_code if rma else "",
                        category=sold.category if sold else "", value=value,
                        rtv_allowed=bool(sold.rtv_allowed) if sold else False)

    @staticmethod
    def _flag_codes(inspection: Inspection) -> frozenset[str]:
        return frozenset(f["code"] for f in inspection.flags or [])

    def rma_number(self, actor: Actor, lpn: str) -> str:
        """The RMA the unit ``lpn`` came back under, for its disposition label ("" if none)."""
        self.require(actor, Permission.INSPECT)
        with self.reading() as db:
            return rma_number_of(db, lpn.strip().upper())

    # ------------------------------------------------------------------ the checklist walk

    def start(self, actor: Actor, lpn: str) -> InspectionView:
        """Begin inspecting the unit with this LPN, or resume its open inspection."""
        self.require(actor, Permission.INSPECT)
        with self.transaction() as db:
            unit = self._unit(db, lpn)
            if unit.state == UnitState.INSPECTING:
                open_one = db.scalars(select(Inspection).where(
                    Inspection.unit_id == unit.id, Inspection.finished_at.is_(None))
                    .order_by(Inspection.started_at.desc()).limit(1)).first()
                if open_one is not None:
                    return self._view(db, open_one)
            sold = self._sold(unit)
            checklist = self.checklists.for_category(sold.category if sold else None)
            re_inspection = unit.state == UnitState.INSPECTED
            move_unit(unit, UnitState.INSPECTING)
            self.checklists.pin(checklist)
            inspection = Inspection(
                unit_id=unit.id, inspector_id=actor.id, checklist_id=checklist.id,
                checklist_version=checklist.version, started_at=self.ctx.now(), answers={},
                answer_times={}, flags=[],
            )
            db.add(inspection)
            db.flush()
            self.audit(db, actor, "inspection.started", "inspections", inspection.id, {
                "lpn": unit.lpn, "checklist": checklist.id, "version": checklist.version,
                "re_inspection": re_inspection,
            })
            return self._view(db, inspection, checklist)

    def open_unit(self, actor: Actor, lpn: str) -> InspectionView | InspectionResult:
        """What scanning an LPN at inspection opens: the checklist (``start``), or, for a
        quarantined unit a supervisor approved, its result, ready for its disposition.

        Without this an approved flagged unit was a dead end: still quarantined, refused by
        ``start``, and nothing told the inspector it could now be dispositioned.
        """
        self.require(actor, Permission.INSPECT)
        with self.reading() as db:
            unit = self._unit(db, lpn)
            if unit.state == UnitState.QUARANTINED:
                released = self._released_result(db, unit)
                if released is not None:
                    return released
                raise IllegalTransition(
                    f"Unit {unit.lpn} is in quarantine until a supervisor decides.",
                    next_step="Put it on the quarantine shelf; scan it again once it is approved.")
        return self.start(actor, lpn)

    def _released_result(self, db: Session, unit: Unit) -> InspectionResult | None:
        approvals = db.scalars(select(Approval).where(
            Approval.entity_id == unit.id, Approval.kind == ApprovalKind.FLAGGED_UNIT)).all()
        if not approvals or any(a.state != ApprovalState.APPROVED for a in approvals):
            return None
        inspection = self._latest_finished(db, unit)
        grade = inspection.grade or inspection.computed_grade or Grade.D
        case = dataclasses.replace(self._case(unit, grade, self._flag_codes(inspection)), flags=frozenset())
        decision = self.rules.decide(case)
        return dataclasses.replace(result_view(inspection, unit, self._checklist(inspection), decision, None),
                                   released=True)

    def view(self, inspection_id: uuid.UUID) -> InspectionView:
        """The inspection as it stands (for redrawing the window)."""
        with self.reading() as db:
            return self._view(db, self._inspection(db, inspection_id))

    def record_lot(self, actor: Actor, lpn: str, lot: LotSeen | str) -> InspectionView | None:
        """The unit's production lot, read from its GS1 code at QC (``lot_of`` a scan) or typed.

        Receiving keeps the lot when the clerk scanned the item's GS1 code; a unit whose code
        was not scanned there gets it here. Text goes through ``lot_at_question`` (a typed GS1
        element string gives its lot, a code without one is refused). The open inspection's lot
        question, if its checklist has one, is answered with it. Audited with the lot it
        replaced, if any. Returns the open inspection's view (None when the unit has none open).
        """
        self.require(actor, Permission.INSPECT)
        seen = _lot_seen(lot)
        with self.transaction() as db:
            unit = self._unit(db, lpn)
            inspection = db.scalar(select(Inspection).where(Inspection.unit_id == unit.id,
                                                            Inspection.finished_at.is_(None)))
            return self._store_lot(db, actor, unit, seen, inspection)

    def _store_lot(self, db: Session, actor: Actor, unit: Unit, seen: LotSeen,
                   inspection: Inspection | None) -> InspectionView | None:
        """Keep the lot on the unit (and as the answer to an asked lot question), audited."""
        before = (unit.lot, unit.expiry.isoformat() if unit.expiry else None)
        unit.lot, unit.expiry = seen.lot, seen.expiry or unit.expiry
        held = hold_units(db, [unit])  # a lot on hold: flagged now, so the unit goes to quarantine at finish
        question = ""
        if inspection is not None:
            checklist = self._checklist(inspection)
            answers = {k: str(v) for k, v in (inspection.answers or {}).items()}
            item = next((i for i in applicable(checklist, answers) if i.kind == ItemKind.LOT), None)
            if item is not None:
                question = item.id
                inspection.answers = {**answers, item.id: seen.lot}
                inspection.answer_times = {**(inspection.answer_times or {}), item.id: self.ctx.now().isoformat()}
        self.audit(db, actor, "unit.lot_recorded", "units", unit.id,
                   {"lpn": unit.lpn, "lot": unit.lot, "expiry": unit.expiry.isoformat() if unit.expiry else None,
                    "before": {"lot": before[0], "expiry": before[1]}, "held": bool(held), "question": question})
        return self._view(db, inspection) if inspection is not None else None

    def answer(self, actor: Actor, inspection_id: uuid.UUID, item_id: str, value: Any) -> InspectionView:
        """Record one answer; the view's ``next_question`` is what to ask next.

        Changing an earlier answer can skip later questions (their answers are dropped) or
        bring new ones in.
        """
        self.require(actor, Permission.INSPECT)
        with self.transaction() as db:
            inspection = self._open(db, inspection_id)
            checklist = self._checklist(inspection)
            item = checklist.item(item_id)
            answers = {k: str(v) for k, v in (inspection.answers or {}).items()}
            if item not in applicable(checklist, answers):
                cond = item.ask_if
                because = f" (asked only when {cond.item} is {'/'.join(cond.answers)})" if cond else ""
                raise InvalidInput(f"'{item.en}' is not asked for this unit{because}.",
                                   next_step="Answer the question on screen.")
            if item.kind == ItemKind.LOT and str(value or "").strip():
                self._store_lot(db, actor, inspection.unit, _lot_seen(value), inspection)  # audited there
                return self._view(db, inspection, checklist)
            answers[item.id] = normalise_answer(item, value)  # an empty lot: the inspector saw none
            kept = relevant_answers(checklist, answers)
            dropped = sorted(set(answers) - set(kept))
            times = {k: v for k, v in (inspection.answer_times or {}).items() if k in kept}
            times[item.id] = self.ctx.now().isoformat()
            inspection.answers = kept
            inspection.answer_times = times
            self.audit(db, actor, "inspection.answered", "inspections", inspection.id,
                       {"lpn": inspection.unit.lpn, "item": item.id, "answer": kept[item.id],
                        "dropped": dropped})
            return self._view(db, inspection, checklist)

    def add_photo(self, actor: Actor, inspection_id: uuid.UUID, item_id: str, image_bytes: bytes,
                  content_type: str = "image/jpeg") -> PhotoView:
        """Attach a photo to a question (or to the unit, with ``item_id`` empty)."""
        self.require(actor, Permission.INSPECT)
        content_type = check_image(image_bytes, content_type)
        with self.transaction() as db:
            inspection = self._open(db, inspection_id)
            if item_id:
                self._checklist(inspection).item(item_id)
            digest = self.photos.put(image_bytes)
            photo = db.scalar(select(Photo).where(
                Photo.inspection_id == inspection.id, Photo.item_id == item_id, Photo.sha256 == digest))
            if photo is None:
                photo = Photo(unit_id=inspection.unit_id, inspection_id=inspection.id, item_id=item_id,
                              sha256=digest, content_type=content_type, size_bytes=len(image_bytes),
                              taken_at=self.ctx.now(), taken_by=actor.id)
                db.add(photo)
                db.flush()
                self.audit(db, actor, "photo.added", "photos", photo.id,
                           {"lpn": inspection.unit.lpn, "item": item_id, "sha256": digest})
            return PhotoView(photo.id, inspection.id, item_id, digest, photo.content_type,
                             photo.size_bytes, self.photos.path_for(digest))

    def finish(self, actor: Actor, inspection_id: uuid.UUID) -> InspectionResult:
        """Grade, flag and recommend; a flagged unit goes to quarantine for a supervisor."""
        self.require(actor, Permission.INSPECT)
        with self.transaction() as db:
            inspection = self._open(db, inspection_id)
            unit = inspection.unit
            checklist = self._checklist(inspection)
            answers = dict(inspection.answers or {})
            blocked = blockers(checklist, answers, self._photo_counts(db, inspection))
            if blocked:
                raise InvalidInput(f"Unit {unit.lpn} cannot be finished yet: " + "; ".join(blocked) + ".",
                                   next_step="Answer the open questions and add the missing photos.")
            outcome = compute_grade(checklist, answers)
            now = self.ctx.now()
            facts = unit_facts(db, unit, self.ctx.policy, now)
            flags = compute_flags(facts, checklist, answers, self.reasons, self.ctx.policy)
            codes = frozenset(f.code.value for f in flags)
            decision = self.rules.decide(self._case(unit, outcome.grade, codes))
            inspection.finished_at = now
            inspection.computed_grade = outcome.grade
            inspection.grade = outcome.grade
            inspection.flags = [f.as_json() for f in flags]
            inspection.recommended_disposition = decision.kind.value
            inspection.disposition_rule = decision.rule.name
            unit.grade = outcome.grade
            unit.flags = sorted(set(unit.flags or ()) | codes)
            move_unit(unit, UnitState.INSPECTED)
            approval_id = self._quarantine_if_needed(db, actor, unit, decision)
            inspected_event(db, unit, inspection)
            self.audit(db, actor, "inspection.finished", "inspections", inspection.id, {
                "lpn": unit.lpn, "checklist": checklist.id, "version": checklist.version,
                "grade": outcome.grade.value, "grade_rule": outcome.rule_index + 1,
                "failed": [f.item_id for f in outcome.failures], "flags": sorted(codes),
                "recommended": decision.kind.value, "rule": decision.rule.name,
            })
            return result_view(inspection, unit, checklist, decision, approval_id)

    def _quarantine_if_needed(self, db: Session, actor: Actor, unit: Unit, decision: Decision) -> uuid.UUID | None:
        if decision.kind != DispositionKind.QUARANTINE or unit.state != UnitState.INSPECTED:
            return None
        move_unit(unit, UnitState.QUARANTINED)
        flags = ", ".join(unit.flags or ()) or "none"
        approval = Approval(
            kind=ApprovalKind.FLAGGED_UNIT, entity_type="units", entity_id=unit.id,
            summary=f"Unit {unit.lpn} held in quarantine (flags: {flags}; rule {decision.rule.name}).",
            requested_by=actor.id, requested_at=self.ctx.now(),
        )
        db.add(approval)
        db.flush()
        self.audit(db, actor, "approval.requested", "units", unit.id,
                   {"kind": ApprovalKind.FLAGGED_UNIT.value, "lpn": unit.lpn, "flags": unit.flags})
        return approval.id

    # ------------------------------------------------------------------ decisions by people

    def override_grade(self, actor: Actor, inspection_id: uuid.UUID, grade: Grade | str,
                       reason: str) -> InspectionResult:
        """Set another grade than the computed one; the computed grade is kept beside it.

        Lowering needs OVERRIDE_GRADE_DOWN (inspectors); anything better than the computed grade
        needs OVERRIDE_GRADE_UP (supervisors).
        """
        try:
            new = Grade(str(grade).strip().upper())
        except ValueError:
            raise InvalidInput(f"{grade!r} is not a grade.", next_step="Choose A, B, C or D.") from None
        why = _reason(reason, "for changing the grade")
        with self.transaction() as db:
            inspection = self._inspection(db, inspection_id)
            unit = inspection.unit
            if inspection.finished_at is None:
                raise IllegalTransition(f"The inspection of {unit.lpn} is not finished.",
                                        next_step="Finish it first; then override the grade.")
            if self._latest_finished(db, unit).id != inspection.id:
                raise IllegalTransition(f"Unit {unit.lpn} has a newer inspection; override that one.")
            if unit.state not in (UnitState.INSPECTED, UnitState.QUARANTINED):
                raise IllegalTransition(f"Unit {unit.lpn} is {unit.state.value}; its grade can no longer change.")
            computed = inspection.computed_grade or new
            previous = inspection.grade or computed
            if new == previous:
                raise InvalidInput(f"The grade is already {new.value}.")
            self.require(actor, Permission.OVERRIDE_GRADE_UP if is_upgrade(new, computed)
                         else Permission.OVERRIDE_GRADE_DOWN)
            decision = self.rules.decide(self._case(unit, new, self._flag_codes(inspection)))
            inspection.grade = new
            inspection.override_reason = why if new != computed else ""
            inspection.overridden_by = actor.id if new != computed else None
            inspection.recommended_disposition = decision.kind.value
            inspection.disposition_rule = decision.rule.name
            unit.grade = new
            approval_id = self._quarantine_if_needed(db, actor, unit, decision)
            self.audit(db, actor, "inspection.grade_overridden", "inspections", inspection.id, {
                "lpn": unit.lpn, "computed": computed.value, "previous": previous.value,
                "grade": new.value, "reason": why, "recommended": decision.kind.value,
                "rule": decision.rule.name,
            })
            return result_view(inspection, unit, self._checklist(inspection), decision, approval_id)

    def dispose(self, actor: Actor, lpn: str, kind: DispositionKind | str | None = None,
                bin: str | None = None, reason: str = "") -> DispositionView:
        """Send the unit to its destination: the recommendation, or another kind with a reason.

        A quarantined unit is released only by a supervisor (with a reason) or after its
        flagged-unit approval was granted; scrap and return-to-vendor request an approval.
        """
        self.require(actor, Permission.DISPOSITION)
        chosen_kind = self._kind(kind)
        with self.transaction() as db:
            unit = self._unit(db, lpn)
            inspection = self._latest_finished(db, unit)
            if unit.state not in (UnitState.INSPECTED, UnitState.QUARANTINED):
                raise IllegalTransition(f"Unit {unit.lpn} is {unit.state.value}; it cannot be dispositioned now.")
            grade = inspection.grade or inspection.computed_grade or Grade.D
            case = self._case(unit, grade, self._flag_codes(inspection))
            pending = db.scalars(select(Approval).where(
                Approval.entity_id == unit.id, Approval.kind == ApprovalKind.FLAGGED_UNIT,
                Approval.state == ApprovalState.PENDING)).all()
            releasing = unit.state == UnitState.QUARANTINED
            if releasing:
                if pending and not can(actor, Permission.APPROVE):
                    raise NeedsSupervisor(
                        f"Unit {unit.lpn} is in quarantine ({', '.join(sorted(case.flags)) or 'no rule fits'}).",
                        next_step="A supervisor must release it.")
                case = dataclasses.replace(case, flags=frozenset())
            recommendation = self.rules.decide(case)
            chosen = chosen_kind or recommendation.kind
            if chosen == DispositionKind.QUARANTINE:
                raise InvalidInput(f"Quarantine is not a destination for {unit.lpn}.",
                                   next_step="Choose restock, refurbish, return to vendor, scrap, donate or recycle.")
            deviates = chosen != recommendation.kind
            note = ""
            if deviates or (releasing and pending):
                what = (f"for choosing {chosen.value} over the recommended {recommendation.kind.value}"
                        if deviates else "for releasing the unit from quarantine")
                note = _reason(reason, what)
            sold = self._sold(unit)
            if chosen == DispositionKind.RETURN_TO_VENDOR and not case.rtv_allowed:
                supplier = f"The supplier {sold.supplier}" if sold and sold.supplier else "The supplier"
                raise InvalidInput(f"{supplier} takes no returns for this product.",
                                   next_step="Choose another disposition.")
            if chosen == DispositionKind.RESTOCK and grade == Grade.D:
                raise InvalidInput(f"A grade D unit cannot be restocked ({unit.lpn}).",
                                   next_step="Override the grade with a reason first, or choose another disposition.")
            target_bin = self._bin(bin, chosen, grade, recommendation, deviates)
            now = self.ctx.now()
            disposition = Disposition(
                unit_id=unit.id, kind=chosen, grade=grade, bin=target_bin,
                rule_name="manual" if deviates else recommendation.rule.name,
                reason=note or recommendation.because_en, decided_by=actor.id, decided_at=now,
            )
            db.add(disposition)
            for approval in pending:
                approval.state = ApprovalState.APPROVED
                approval.decided_by = actor.id
                approval.decided_at = now
                approval.decision_reason = note
                self.audit(db, actor, "approval.flagged_unit_released", "units", unit.id,
                           {"lpn": unit.lpn, "reason": note})
            unit.disposition = chosen
            unit.bin = target_bin
            move_unit(unit, UnitState.DISPOSITIONED)
            db.flush()
            approval_id, approval_kind = None, NEEDS_APPROVAL.get(chosen)
            if approval_kind is not None:
                approval = Approval(
                    kind=approval_kind, entity_type="dispositions", entity_id=disposition.id,
                    summary=f"{chosen.value.replace('_', ' ').capitalize()} unit {unit.lpn} "
                    f"({sold.sku if sold else unit.sku_received}, value {case.value}).",
                    requested_by=actor.id, requested_at=now,
                )
                db.add(approval)
                db.flush()
                approval_id = approval.id
            dispositioned_event(db, unit, disposition, approval_kind.value if approval_kind else None)
            self.audit(db, actor, "unit.dispositioned", "units", unit.id, {
                "lpn": unit.lpn, "kind": chosen.value, "bin": target_bin, "grade": grade.value,
                "recommended": recommendation.kind.value, "rule": disposition.rule_name, "reason": note,
                "approval": approval_kind.value if approval_kind else None,
            })
            after_disposition(self.ctx, db, actor, unit)  # the RMA may now be ready, resolved, closed
            return DispositionView(disposition.id, unit.lpn, chosen, target_bin, grade, disposition.rule_name,
                                   disposition.reason, recommendation.kind, unit.state, approval_id,
                                   approval_kind)

    @staticmethod
    def _kind(kind: DispositionKind | str | None) -> DispositionKind | None:
        if kind is None or kind == "":
            return None
        try:
            return DispositionKind(str(kind).strip().lower())
        except ValueError:
            raise InvalidInput(f"{kind!r} is not a disposition.", next_step="Choose restock, refurbish, "
                               "return_to_vendor, scrap, donate or recycle.") from None

    @staticmethod
    def _bin(given: str | None, chosen: DispositionKind, grade: Grade, recommendation: Decision,
             deviates: bool) -> str:
        if given and given.strip():
            cleaned = given.strip().upper()
            if len(cleaned) > 40 or not cleaned.isprintable():
                raise InvalidInput(f"{given!r} is not a bin location.", next_step="Scan the bin label.")
            return cleaned
        if not deviates and recommendation.bin_class:
            return recommendation.bin_class
        return DEFAULT_BINS.get(chosen, f"RESALE-{grade.value}")

    # ------------------------------------------------------------------ why

    def explain(self, lpn: str) -> Explanation:
        """Which grade rule and which disposition rule fired for this unit, and why."""
        with self.reading() as db:
            unit = self._unit(db, lpn, working=False)
            inspection = self._latest_finished(db, unit)
            checklist = self._checklist(inspection)
            outcome = compute_grade(checklist, inspection.answers or {})
            grade = inspection.grade or outcome.grade
            case = self._case(unit, grade, self._flag_codes(inspection))
            trail = self.rules.trail(case)
            fired = trail[-1][0]
            steps = tuple(RuleStep(rule.name, not misses, rule.conditions_text(), "; ".join(misses))
                          for rule, misses in trail)
            return Explanation(
                lpn=unit.lpn, checklist_id=checklist.id, checklist_version=checklist.version,
                computed_grade=inspection.computed_grade or outcome.grade, grade=grade,
                grade_because=outcome.because(), override_reason=inspection.override_reason or "",
                flags=flag_views(inspection.flags), recorded_rule=inspection.disposition_rule,
                recorded_kind=inspection.recommended_disposition, current_rule=fired.name,
                current_kind=fired.kind, because_en=fired.en, steps=steps,
            )
