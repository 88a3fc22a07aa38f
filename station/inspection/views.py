"""Frozen views of inspections for the inspection window, labels and the CLI.

The window never holds a live ORM object: each service call returns one of these, built inside
the call's transaction, with every text it needs in English and Chinese.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from station.inspection.checklists import Checklist, ChecklistItem, ItemKind, Severity
from station.inspection.dispositions import Decision
from station.receiving.flags import FLAG_TEXT, FlagCode
from station.inspection.grading import applicable, compute_grade, item_failed, missing_required
from station.models import ApprovalKind, DispositionKind, Grade, Inspection, Product, Unit, UnitState


@dataclass(frozen=True)
class ChoiceView:
    key: int
    """The number key (1-9) that picks this choice."""
    id: str
    en: str
    zh: str
    fails: bool


@dataclass(frozen=True)
class QuestionView:
    id: str
    en: str
    zh: str
    kind: ItemKind
    severity: Severity
    required: bool
    na_allowed: bool
    photo_on_fail: bool
    choices: tuple[ChoiceView, ...]
    unit: str
    expected: Decimal | None
    tolerance: Decimal | None
    minimum: Decimal | None
    maximum: Decimal | None
    asked: bool
    """False while an earlier answer means this question is skipped."""
    answer: str | None
    failed: bool
    photos: int
    needs_photo: bool
    """Failed, needs a photo, has none: finishing is blocked until one is added."""
    flag: str = ""
    """What a failure here tells the fraud checks (``serial_mismatch``, ``wrong_item``...)."""


@dataclass(frozen=True)
class InspectionView:
    inspection_id: uuid.UUID
    lpn: str
    unit_state: UnitState
    sku: str
    product_en: str
    product_zh: str
    category: str
    checklist_id: str
    checklist_version: int
    title_en: str
    title_zh: str
    questions: tuple[QuestionView, ...]
    next_question: QuestionView | None
    answered: int
    to_ask: int
    blockers: tuple[str, ...]
    """Why ``finish`` would refuse right now, in plain words (empty: it can finish)."""
    provisional_grade: Grade
    """The grade the answers so far would give (unanswered questions count as passed)."""
    finished: bool
    serial_sold: str = ""
    """The serial on the order line, shown beside the serial question (the decision needs it)."""
    serial_received: str = ""
    """The serial recorded at receiving, if the clerk scanned one."""
    photos_stored: int = 0
    """Pictures actually stored for this inspection (a waived photo is not one)."""
    lot: str = ""
    """The unit's production lot (from its GS1 code), shown on the card when known."""
    expiry: dt.date | None = None

    @property
    def can_finish(self) -> bool:
        return not self.finished and not self.blockers


@dataclass(frozen=True)
class FlagView:
    code: str
    en: str
    zh: str
    detail: str


@dataclass(frozen=True)
class InspectionResult:
    inspection_id: uuid.UUID
    lpn: str
    computed_grade: Grade
    grade: Grade
    overridden: bool
    override_reason: str
    grade_because: str
    failed_questions: tuple[str, ...]
    flags: tuple[FlagView, ...]
    recommended: DispositionKind
    bin_class: str
    rule_name: str
    because_en: str
    because_zh: str
    unit_state: UnitState
    approval_id: uuid.UUID | None
    """The supervisor approval a flagged unit waits for, if one was requested by this call."""
    released: bool = False
    """A quarantined unit whose flagged-unit approval was granted: it goes on to its
    disposition (``recommended`` is decided without the flags the supervisor cleared)."""
    grade_because_zh: str = ""
    """``grade_because`` in Chinese (for a window in Chinese)."""


@dataclass(frozen=True)
class PhotoView:
    id: uuid.UUID
    inspection_id: uuid.UUID
    item_id: str
    sha256: str
    content_type: str
    size_bytes: int
    path: Path


@dataclass(frozen=True)
class DispositionView:
    disposition_id: uuid.UUID
    lpn: str
    kind: DispositionKind
    bin: str
    grade: Grade | None
    rule_name: str
    reason: str
    recommended: DispositionKind
    unit_state: UnitState
    approval_id: uuid.UUID | None
    approval_kind: ApprovalKind | None


@dataclass(frozen=True)
class RuleStep:
    name: str
    fired: bool
    conditions: str
    why_not: str


@dataclass(frozen=True)
class Explanation:
    lpn: str
    checklist_id: str
    checklist_version: int
    computed_grade: Grade
    grade: Grade
    grade_because: str
    override_reason: str
    flags: tuple[FlagView, ...]
    recorded_rule: str
    recorded_kind: str
    current_rule: str
    current_kind: DispositionKind
    because_en: str
    steps: tuple[RuleStep, ...]

    def lines(self) -> list[str]:
        out = [
            f"Unit {self.lpn}: checklist {self.checklist_id} v{self.checklist_version}",
            f"  {self.grade_because}",
        ]
        if self.grade != self.computed_grade:
            out.append(f"  Grade overridden {self.computed_grade.value} -> {self.grade.value}: "
                       f"{self.override_reason}")
        for flag in self.flags:
            out.append(f"  Flag {flag.code}: {flag.detail}")
        if not self.flags:
            out.append("  No flags.")
        out.append(f"Recorded at inspection: {self.recorded_kind} by rule {self.recorded_rule}")
        out.append("Rules today, first match wins:")
        for n, step in enumerate(self.steps, start=1):
            mark = "FIRES" if step.fired else "no"
            detail = "" if step.fired else f" - {step.why_not}"
            out.append(f"  {n:>2}. {step.name} [{step.conditions}]: {mark}{detail}")
        out.append(f"=> {self.current_kind.value} ({self.current_rule}): {self.because_en}")
        if self.current_rule != self.recorded_rule:
            out.append("   (the rules changed since the inspection; the recorded decision stands)")
        return out


# ----------------------------------------------------------------------------- builders


def question_view(item: ChecklistItem, answer: str | None, asked: bool, photos: int) -> QuestionView:
    failed = item_failed(item, answer) is not None
    return QuestionView(
        id=item.id, en=item.en, zh=item.zh, kind=item.kind, severity=item.severity,
        required=item.required, na_allowed=item.na_allowed, photo_on_fail=item.photo_on_fail,
        choices=tuple(ChoiceView(n, c.id, c.en, c.zh, c.fail) for n, c in enumerate(item.choices, start=1)),
        unit=item.unit, expected=item.expected, tolerance=item.tolerance,
        minimum=item.minimum, maximum=item.maximum, asked=asked, answer=answer, failed=failed,
        photos=photos, needs_photo=failed and item.photo_on_fail and photos == 0,
        flag=item.flag.value if item.flag else "",
    )


def blockers(checklist: Checklist, answers: Mapping[str, str], photos: Mapping[str, int]) -> tuple[str, ...]:
    out = [f"Not answered: {item.en}" for item in missing_required(checklist, answers)]
    for item in applicable(checklist, answers):
        answer = answers.get(item.id)
        if item.photo_on_fail and item_failed(item, answer) is not None and not photos.get(item.id):
            out.append(f"Failed, needs a photo: {item.en}")
    return tuple(out)


def inspection_view(
    inspection: Inspection, unit: Unit, product: Product | None, checklist: Checklist,
    photos: Mapping[str, int], photos_stored: int = 0,
) -> InspectionView:
    answers = {k: str(v) for k, v in (inspection.answers or {}).items()}
    asked = {item.id for item in applicable(checklist, answers)}
    questions = tuple(
        question_view(item, answers.get(item.id), item.id in asked, photos.get(item.id, 0))
        for item in checklist.items
    )
    pending = [q for q in questions if q.asked and q.answer is None]
    return InspectionView(
        inspection_id=inspection.id, lpn=unit.lpn, unit_state=unit.state,
        sku=product.sku if product else unit.sku_received,
        product_en=product.name_en if product else "", product_zh=product.name_zh if product else "",
        category=product.category if product else "",
        checklist_id=checklist.id, checklist_version=checklist.version,
        title_en=checklist.title_en, title_zh=checklist.title_zh, questions=questions,
        next_question=pending[0] if pending else None,
        answered=sum(1 for q in questions if q.asked and q.answer is not None),
        to_ask=sum(1 for q in questions if q.asked),
        blockers=() if inspection.finished_at else blockers(checklist, answers, photos),
        provisional_grade=compute_grade(checklist, answers).grade,
        finished=inspection.finished_at is not None,
        serial_sold=(unit.rma_line.serial or "") if unit.rma_line is not None else "",
        serial_received=unit.serial_received or "",
        photos_stored=photos_stored,
        lot=unit.lot or "", expiry=unit.expiry,
    )


def flag_views(stored: list[dict[str, str]] | None) -> tuple[FlagView, ...]:
    out = []
    for entry in stored or []:
        code = entry.get("code", "")
        try:
            en, zh = FLAG_TEXT[FlagCode(code)]
        except ValueError:  # a flag from a newer station: show its code
            en, zh = code, code
        out.append(FlagView(code, en, zh, entry.get("detail", "")))
    return tuple(out)


def result_view(
    inspection: Inspection, unit: Unit, checklist: Checklist, decision: Decision,
    approval_id: uuid.UUID | None,
) -> InspectionResult:
    outcome = compute_grade(checklist, inspection.answers or {})
    computed = inspection.computed_grade or outcome.grade
    grade = inspection.grade or computed
    return InspectionResult(
        inspection_id=inspection.id, lpn=unit.lpn, computed_grade=computed, grade=grade,
        overridden=grade != computed, override_reason=inspection.override_reason or "",
        grade_because=outcome.because(), grade_because_zh=outcome.because(zh=True),
        failed_questions=tuple(f.item_id for f in outcome.failures),
        flags=flag_views(inspection.flags), recommended=decision.kind, bin_class=decision.bin_class,
        rule_name=decision.rule.name, because_en=decision.because_en, because_zh=decision.because_zh,
        unit_state=unit.state, approval_id=approval_id,
    )
