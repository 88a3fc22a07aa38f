"""What a supervisor needs to decide an approval, in one value: the unit behind it, its
grade, its flags in words, the failed checklist answers and the photos.

The approvals list shows one line per approval; this is the detail pane's content. A
supervisor who approves a flagged unit without seeing the photo and the failed answers is
rubber-stamping it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.core.context import Actor
from station.core.errors import NotFound
from station.core.permissions import Permission
from station.core.photos import PhotoStore
from station.core.services import Service
from station.receiving.flags import FLAG_TEXT, FlagCode
from station.models import Approval, Disposition, Inspection, Operator, Photo, Receipt, Unit


@dataclass(frozen=True)
class AnswerLine:
    question_en: str
    question_zh: str
    answer: str


@dataclass(frozen=True)
class ApprovalDetail:
    approval_id: uuid.UUID
    kind: str
    summary: str
    requested_by: str
    lpn: str = ""
    product_en: str = ""
    product_zh: str = ""
    grade: str = ""
    flags: tuple[tuple[str, str], ...] = ()
    """Each flag in words (en, zh)."""
    failed: tuple[AnswerLine, ...] = ()
    photos: tuple[Path, ...] = ()
    """Photos that decode (thumbnails for the pane)."""


def _decodes(path: Path) -> bool:
    """A picture a thumbnail can be made of (a damaged file is left out, not shown broken)."""
    from PIL import Image

    try:
        with Image.open(path) as image:
            image.load()
        return True
    except Exception:  # noqa: BLE001 - any decoder failure means no thumbnail
        return False


class ApprovalDetails(Service):
    def __init__(self, ctx, photos: PhotoStore | None = None) -> None:  # noqa: ANN001
        super().__init__(ctx)
        self.photos = photos or PhotoStore()

    def detail(self, actor: Actor, approval_id: uuid.UUID | str) -> ApprovalDetail:
        self.require(actor, Permission.APPROVE)
        with self.reading() as db:
            approval = db.get(Approval, uuid.UUID(str(approval_id)))
            if approval is None:
                raise NotFound("No such approval.", next_step="Reload the list (F5).")
            requester = db.get(Operator, approval.requested_by)
            base = ApprovalDetail(approval.id, approval.kind.value, approval.summary,
                                  requester.name if requester else "?")
            unit = self._unit(db, approval)
            if unit is None:
                return base
            return self._with_unit(db, base, unit)

    @staticmethod
    def _unit(db: Session, approval: Approval) -> Unit | None:
        if approval.entity_type == "units":
            return db.get(Unit, approval.entity_id)
        if approval.entity_type == "dispositions":
            disposition = db.get(Disposition, approval.entity_id)
            return db.get(Unit, disposition.unit_id) if disposition else None
        if approval.entity_type == "inspections":
            inspection = db.get(Inspection, approval.entity_id)
            return inspection.unit if inspection else None
        if approval.entity_type == "receipts":
            receipt = db.get(Receipt, approval.entity_id)
            return receipt.units[0] if receipt is not None and len(receipt.units) == 1 else None
        return None

    def _with_unit(self, db: Session, base: ApprovalDetail, unit: Unit) -> ApprovalDetail:
        from station.inspection.checklists import ChecklistLibrary
        from station.inspection.grading import failures

        inspection = db.scalars(select(Inspection).where(Inspection.unit_id == unit.id, Inspection.finished_at.is_not(None))
                                .order_by(Inspection.finished_at.desc()).limit(1)).first()
        flags, failed, photos = [], [], []
        for code in unit.flags or ():
            try:
                flags.append(FLAG_TEXT[FlagCode(code)])
            except ValueError:
                flags.append((code, code))
        if inspection is not None:
            checklist = ChecklistLibrary().get(inspection.checklist_id, inspection.checklist_version)
            for failure in failures(checklist, inspection.answers or {}):
                item = checklist.item(failure.item_id)
                failed.append(AnswerLine(item.en, item.zh, str((inspection.answers or {}).get(item.id, ""))))
            photos = [path for p in db.scalars(select(Photo).where(Photo.inspection_id == inspection.id))
                      if _decodes(path := self.photos.path_for(p.sha256))]
        product = unit.product
        return ApprovalDetail(
            base.approval_id, base.kind, base.summary, base.requested_by, lpn=unit.lpn,
            product_en=product.name_en if product else "", product_zh=product.name_zh if product else "",
            grade=unit.grade.value if unit.grade else "", flags=tuple(flags), failed=tuple(failed),
            photos=tuple(photos))
