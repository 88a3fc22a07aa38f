"""The supervisor's desk: work queues and approvals, supervisors and admins only.

Queues are SQL queries with one shape (columns, rows, the id behind each row) so the window,
the exports and the tests treat them alike; search, filter, sort and limit are applied in
SQL. Decisions (approve / reject with a reason) are one transaction each, audited; the
permission check is here, not only in the window. A late parcel is accepted through
``ReceivingService.approve_expired`` so its units are released exactly as receiving defines.

A rejected scrap or return-to-vendor decision moves the unit back to quarantine (state
``quarantined`` and a new ``Disposition`` row, so the history stays): a unit nobody may scrap
must not stay on the scrap sheet, and from quarantine it is re-inspected or re-dispositioned.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, String, cast, func, or_, select
from sqlalchemy.orm import Session, aliased

from station.catalog.categories import category_words
from station.catalog.reasons import ReasonCodes
from station.core.context import Actor, StationContext
from station.core.errors import IllegalTransition, InvalidInput, NotFound
from station.core.lifecycle_events import scrap_decided_event
from station.core.permissions import Permission
from station.core.services import Service
from station.core.workflow import move_unit
from station.models import (
    Approval,
    ApprovalKind,
    ApprovalState,
    Disposition,
    DispositionKind,
    Inspection,
    Operator,
    Product,
    Receipt,
    ReceiptStatus,
    Rma,
    Unit,
    UnitState,
)
from station.receiving.service import ReceivingService

log = logging.getLogger(__name__)

MAX_REASON = 500
MAX_ROWS = 5000
DECIDABLE = (ApprovalKind.SCRAP, ApprovalKind.RETURN_TO_VENDOR, ApprovalKind.EXPIRED_RMA,
             ApprovalKind.UNKNOWN_PARCEL, ApprovalKind.FLAGGED_UNIT, ApprovalKind.GRADE_OVERRIDE)


@dataclass(frozen=True)
class QueueSpec:
    name: str
    title: str
    columns: dict[str, Any]  # column name -> SQL expression
    build: Callable[[], Any]  # the select's FROM/JOIN/WHERE, columns added later
    id_column: Any
    default_sort: str
    searchable: tuple[str, ...]


@dataclass(frozen=True)
class QueueView:
    """One queue as shown: ``ids[i]`` is the record behind ``rows[i]``."""

    name: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    ids: tuple[str, ...] = field(default=())

    def in_words(self, language: str, reasons: ReasonCodes) -> QueueView:
        """The same rows with reason and category codes in the reader's language (a queue
        said ``changed_mind`` and ``small_appliances``); searches and filters keep the codes."""
        wanted = {n: c for n, c in enumerate(self.columns) if c in ("reason", "category")}
        if not wanted:
            return self

        def word(column: str, value: Any) -> Any:
            if not isinstance(value, str) or not value:
                return value
            return reasons.get(value).text(language) if column == "reason" else category_words(value, language)

        rows = tuple(tuple(word(wanted[n], v) if n in wanted else v for n, v in enumerate(row)) for row in self.rows)
        return QueueView(self.name, self.title, self.columns, rows, self.ids)


def _units_base() -> Any:
    return (select().select_from(Unit).join(Receipt, Receipt.id == Unit.receipt_id)
            .outerjoin(Rma, Rma.id == Receipt.rma_id).outerjoin(Product, Product.id == Unit.product_id))


def _queues() -> dict[str, QueueSpec]:
    requester = aliased(Operator)
    unit_cols = {"lpn": Unit.lpn, "rma": Rma.number, "sku": Product.sku, "category": Product.category,
                 "reason": Rma.reason_code, "received_at": Receipt.received_at}
    overridden = Inspection.override_reason != ""
    reviewed = select(Approval.id).where(Approval.entity_id == Inspection.id,
                                         Approval.kind == ApprovalKind.GRADE_OVERRIDE).exists()
    specs = [
        QueueSpec("awaiting_inspection", "Units awaiting inspection", unit_cols,
                  lambda: _units_base().where(Unit.state == UnitState.RECEIVED), Unit.id, "received_at",
                  ("lpn", "rma", "sku", "category", "reason")),
        QueueSpec("quarantine", "Quarantine: unknown parcels and held units", {
            "code": func.coalesce(Unit.lpn, Receipt.scanned_code), "rma": Rma.number, "sku": Product.sku,
            "status": func.coalesce(cast(Unit.disposition, String), cast(Receipt.status, String)),
            "notes": Receipt.notes, "received_at": Receipt.received_at},
            lambda: (select().select_from(Receipt).outerjoin(Unit, Unit.receipt_id == Receipt.id)
                     .outerjoin(Rma, Rma.id == Receipt.rma_id).outerjoin(Product, Product.id == Unit.product_id)
                     .where(or_((Receipt.status == ReceiptStatus.QUARANTINED) & Receipt.rma_id.is_(None),
                                Unit.state == UnitState.QUARANTINED,
                                Unit.disposition == DispositionKind.QUARANTINE))
                     .where(Receipt.status != ReceiptStatus.AWAITING_APPROVAL)),
            func.coalesce(cast(Unit.id, String), cast(Receipt.id, String)), "received_at",
            ("code", "rma", "sku", "notes")),
        QueueSpec("expired_rmas", "Late parcels awaiting approval", {
            "rma": Rma.number, "customer": Rma.customer_name, "deadline": Rma.deadline,
            "received_at": Receipt.received_at, "code": Receipt.scanned_code},
            lambda: (select().select_from(Receipt).join(Rma, Rma.id == Receipt.rma_id)
                     .where(Receipt.status == ReceiptStatus.AWAITING_APPROVAL)),
            Receipt.id, "received_at", ("rma", "customer", "code")),
        QueueSpec("grade_overrides", "Grade overrides to review", {
            "lpn": Unit.lpn, "computed": Inspection.computed_grade, "grade": Inspection.grade,
            "reason": Inspection.override_reason, "inspector": Operator.name,
            "finished_at": Inspection.finished_at},
            lambda: (select().select_from(Inspection).join(Unit, Unit.id == Inspection.unit_id)
                     .join(Operator, Operator.id == Inspection.inspector_id).where(overridden, ~reviewed)),
            Inspection.id, "finished_at", ("lpn", "reason", "inspector")),
        QueueSpec("approvals", "Pending approvals", {
            "kind": Approval.kind, "summary": Approval.summary, "requested_by": requester.name,
            "requested_at": Approval.requested_at},
            lambda: (select().select_from(Approval).join(requester, requester.id == Approval.requested_by)
                     .where(Approval.state == ApprovalState.PENDING)),
            Approval.id, "requested_at", ("kind", "summary", "requested_by")),
    ]
    return {s.name: s for s in specs}


QUEUES = ("awaiting_inspection", "quarantine", "expired_rmas", "grade_overrides", "approvals", "sync_conflicts")


def _plain(value: Any) -> Any:
    return getattr(value, "value", value)


class SupervisionService(Service):
    """Queues and decisions. ``central`` (optional) is the central database engine, where the
    sync conflicts live; without it that queue says it is not connected."""

    def __init__(self, ctx: StationContext, central: Engine | None = None) -> None:
        super().__init__(ctx)
        self.central = central
        self._specs = _queues()

    # ------------------------------------------------------------------ queues
    def queue(self, actor: Actor, name: str, *, search: str = "", filters: dict[str, str] | None = None,
              sort: str | None = None, descending: bool = False, limit: int = 500) -> QueueView:
        """One queue, searched (substring, any searchable column), filtered (column equals
        value), sorted and limited in SQL."""
        self.require(actor, Permission.APPROVE)
        if name == "sync_conflicts":
            return self._conflicts(search, limit)
        spec = self._specs.get(name)
        if spec is None:
            raise InvalidInput(f"{name!r} is not a queue; use one of {', '.join(QUEUES)}.")
        if not 1 <= limit <= MAX_ROWS:
            raise InvalidInput(f"Show 1 to {MAX_ROWS} rows, not {limit}.")
        query = spec.build().add_columns(cast(spec.id_column, String), *spec.columns.values())
        for column, value in (filters or {}).items():
            if column not in spec.columns:
                raise InvalidInput(f"The {spec.title.lower()} queue has no column {column!r} to filter on.")
            query = query.where(cast(spec.columns[column], String) == value)
        words = search.strip()
        if words:
            if len(words) > 100:
                raise InvalidInput("Search for at most 100 characters.")
            escaped = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            query = query.where(or_(*(cast(spec.columns[c], String).ilike(f"%{escaped}%", escape="\\")
                                      for c in spec.searchable)))
        key = sort or spec.default_sort
        if key not in spec.columns:
            raise InvalidInput(f"Cannot sort the queue by {key!r}; use one of {', '.join(spec.columns)}.")
        order = spec.columns[key].desc() if descending else spec.columns[key].asc()
        query = query.order_by(order, cast(spec.id_column, String)).limit(limit)
        with self.read_connection() as conn:
            result = conn.execute(query).all()
        return QueueView(spec.name, spec.title, tuple(spec.columns),
                         tuple(tuple(_plain(v) for v in row[1:]) for row in result),
                         tuple(str(row[0]) for row in result))

    def counts(self, actor: Actor) -> dict[str, int]:
        """How many rows wait in each station queue (the tab badges)."""
        self.require(actor, Permission.APPROVE)
        out = {}
        with self.read_connection() as conn:
            for spec in self._specs.values():
                inner = spec.build().add_columns(spec.id_column).subquery()
                out[spec.name] = int(conn.scalar(select(func.count()).select_from(inner)) or 0)
        return out

    def _conflicts(self, search: str, limit: int) -> QueueView:
        columns = ("entity_type", "entity_id", "pushed_by", "reason", "detected_at")
        if self.central is None:
            # No central connection here: the conflicts this station saw open at its last
            # pull (the sync worker mirrors them), so the desk lists them offline too.
            from station.sync.conflict_mirror import seen_conflicts

            words = search.strip().lower()
            seen = [c for c in seen_conflicts(self.ctx.session_factory.kw["bind"])
                    if not words or words in c.reason.lower() or words in c.pushed_by.lower()][:limit]
            return QueueView("sync_conflicts", "Sync conflicts", columns,
                             tuple((c.entity_type, c.entity_id, c.pushed_by, c.reason, c.detected_at) for c in seen),
                             tuple(str(c.id) for c in seen))
        from station.sync.central_schema import conflicts as table

        query = select(table.c.id, *(table.c[c] for c in columns)).where(table.c.state == "open")
        if search.strip():
            query = query.where(or_(table.c.reason.ilike(f"%{search.strip()}%"),
                                    table.c.pushed_by.ilike(f"%{search.strip()}%")))
        with self.central.connect() as conn:
            rows = conn.execute(query.order_by(table.c.detected_at).limit(limit)).all()
        return QueueView("sync_conflicts", "Sync conflicts", columns,
                         tuple(tuple(str(v) if isinstance(v, uuid.UUID) else v for v in r[1:]) for r in rows),
                         tuple(str(r[0]) for r in rows))

    # ------------------------------------------------------------------ decisions
    def decide(self, actor: Actor, approval_id: uuid.UUID | str, approve: bool, reason: str) -> ApprovalState:
        """Approve or reject a pending approval, with a reason; audited."""
        self.require(actor, Permission.APPROVE)
        why = (reason or "").strip()
        if not why:
            raise InvalidInput("Give a reason for the decision.", next_step="Type why, then confirm.")
        if len(why) > MAX_REASON:
            raise InvalidInput(f"The reason is {len(why)} characters; keep it under {MAX_REASON}.")
        approval_id = uuid.UUID(str(approval_id))
        with self.reading() as db:
            approval = self._pending(db, approval_id)
            kind, entity = approval.kind, approval.entity_id
        if kind == ApprovalKind.EXPIRED_RMA and approve:
            ReceivingService(self.ctx).approve_expired(actor, entity, why)
            return ApprovalState.APPROVED
        with self.transaction() as db:
            approval = self._pending(db, approval_id)
            approval.state = ApprovalState.APPROVED if approve else ApprovalState.REJECTED
            approval.decided_by, approval.decided_at, approval.decision_reason = actor.id, self.ctx.now(), why
            details: dict[str, Any] = {"kind": kind.value, "reason": why, "summary": approval.summary}
            if not approve and kind == ApprovalKind.EXPIRED_RMA:
                receipt = db.get(Receipt, entity)
                if receipt is not None:
                    receipt.status = ReceiptStatus.REJECTED
            if not approve and kind in (ApprovalKind.SCRAP, ApprovalKind.RETURN_TO_VENDOR):
                details["lpn"] = self._reroute(db, actor, entity, why)
            if kind == ApprovalKind.RETURN_TO_VENDOR:
                self._rtv_event(db, entity, approve, why)
            verb = "approved" if approve else "rejected"
            self.audit(db, actor, f"approval.{kind.value}_{verb}", approval.entity_type, entity, details)
            if kind == ApprovalKind.SCRAP:
                self._scrap_event(db, entity, approve, why)
            return approval.state

    def _scrap_event(self, db: Session, disposition_id: uuid.UUID, approved: bool, why: str) -> None:
        """``scrap.approved`` / ``scrap.rejected`` for the unit behind a scrap approval."""
        disposition = db.get(Disposition, disposition_id)
        unit = db.get(Unit, disposition.unit_id) if disposition else None
        if unit is not None:
            scrap_decided_event(db, unit, approved, why, self.ctx.now())

    def review_override(self, actor: Actor, inspection_id: uuid.UUID | str, accept: bool, reason: str) -> None:
        """Record the supervisor's review of a grade override (it leaves the queue)."""
        self.require(actor, Permission.APPROVE)
        why = (reason or "").strip()
        if not why:
            raise InvalidInput("Give a reason for the review.")
        with self.transaction() as db:
            inspection = db.get(Inspection, uuid.UUID(str(inspection_id)))
            if inspection is None or not inspection.override_reason:
                raise NotFound("No grade override under that inspection.")
            now = self.ctx.now()
            db.add(Approval(kind=ApprovalKind.GRADE_OVERRIDE, entity_type="inspections", entity_id=inspection.id,
                            state=ApprovalState.APPROVED if accept else ApprovalState.REJECTED,
                            summary=f"Override {inspection.computed_grade} -> {inspection.grade}: "
                            f"{inspection.override_reason}", requested_by=inspection.overridden_by
                            or inspection.inspector_id, requested_at=inspection.finished_at or now,
                            decided_by=actor.id, decided_at=now, decision_reason=why))
            self.audit(db, actor, "approval.grade_override_" + ("accepted" if accept else "disputed"),
                       "inspections", inspection.id, {"reason": why})

    @staticmethod
    def _pending(db: Session, approval_id: uuid.UUID) -> Approval:
        approval = db.get(Approval, approval_id)
        if approval is None:
            raise NotFound("No such approval.")
        if approval.state != ApprovalState.PENDING:
            raise IllegalTransition(f"This approval was already {approval.state.value}.")
        if approval.kind not in DECIDABLE:
            raise InvalidInput(f"{approval.kind.value} approvals are not decided here.")
        return approval

    def _rtv_event(self, db: Session, disposition_id: uuid.UUID, approve: bool, why: str) -> None:
        """``rtv.approved`` / ``rtv.rejected`` for the unit behind the decision."""
        from station.rtv.events import decision_event

        disposition = db.get(Disposition, disposition_id)
        unit = db.get(Unit, disposition.unit_id) if disposition else None
        if unit is not None:
            decision_event(db, unit, approve, why, self.ctx.now())

    def _reroute(self, db: Session, actor: Actor, disposition_id: uuid.UUID, why: str) -> str:
        disposition = db.get(Disposition, disposition_id)
        unit = db.get(Unit, disposition.unit_id) if disposition else None
        if disposition is None or unit is None:
            raise NotFound("The unit behind this approval is gone.")
        db.add(Disposition(unit_id=unit.id, kind=DispositionKind.QUARANTINE, grade=unit.grade, bin="",
                           rule_name="supervisor", reason=f"{disposition.kind.value} rejected: {why}",
                           decided_by=actor.id, decided_at=self.ctx.now()))
        unit.disposition, unit.bin = DispositionKind.QUARANTINE, ""
        move_unit(unit, UnitState.QUARANTINED)
        return unit.lpn
