"""Return to vendor: approved RTV units gathered into batches per vendor, shipped, claimed.

A unit may go into a batch when its disposition is return-to-vendor, a supervisor approved
that disposition, the product's supplier is the batch's vendor, and it is in no other batch.
Anything else is refused with the reason, whether the unit was picked at the desk or its LPN
scanned (``scan_into`` classifies the scan first: a badge or an RMA number is not an LPN).

Each unit's claim is fixed when it is added: the product's unit cost, or the vendor
agreement's percentage of it. Shipping needs the vendor's return authorisation (RA) number,
carrier and tracking number; it fixes the batch's claim, writes ``rtv.shipped`` and hands back
the paperwork (``station.rtv_paperwork``). The claim then moves through ``station.rtv.claims``.

Permissions: building and shipping batches is dispositioning work (inspectors and
supervisors); acknowledging, crediting and disputing a claim, and editing vendors, need a
supervisor (``APPROVE``). Every change is audited in its own transaction.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from station.core.context import Actor, StationContext
from station.core.money import parse as parse_money
from station.core.errors import IllegalTransition, InvalidInput, NotFound, ScanRejected
from station.core.permissions import Permission
from station.core.serialize import to_json_value
from station.core.services import Service
from station.core.station_state import syncs_with_central
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
    Rma,
    RtvBatch,
    RtvCredit,
    RtvCreditState,
    RtvItem,
    RtvState,
    Unit,
    UnitState,
    Vendor,
)
from station.rtv.claims import OPEN_CLAIMS, check_claim, move_claim
from station.rtv.commitments import pending_note, standing_credit, take_effect
from station.rtv.events import shipped_events
from station.rtv.views import BatchView, ItemView, VendorView, batch_view, claim_for
from station.scanning.classify import ScanKind, classify_scan

log = logging.getLogger(__name__)

MAX_TEXT = 64
MAX_REASON = 500


class AlreadyShipped(IllegalTransition):
    """``ship`` on a batch that has shipped: nothing changes. Its paperwork can be had again
    (the shipment may have committed and its paperwork been lost, a process killed in
    between); each face says how (``batch_number`` names the batch)."""

    code = "rtv_already_shipped"

    def __init__(self, batch: RtvBatch) -> None:
        day = f" on {batch.shipped_at:%Y-%m-%d}" if batch.shipped_at is not None else ""
        super().__init__(f"Batch {batch.number} is already shipped (RA {batch.ra_number}, {batch.carrier} "
                         f"{batch.tracking_number}{day}).")
        self.batch_number = batch.number


def _field(value: str | None, what: str, *, limit: int = MAX_TEXT) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(f"The {what} is missing.", next_step=f"Type or scan the {what}.")
    if len(text) > limit or not text.isprintable():
        raise InvalidInput(f"{text[:40]!r} is not a usable {what} (printable, at most {limit} characters).")
    return text


def money(text: str | Decimal, what: str = "amount", currency: str = "CNY") -> Decimal:
    """A non-negative amount from what the operator typed, taken exactly (``station.core.money``)."""
    return parse_money(text, currency, what)


class RtvService(Service):
    """Vendors, batches and claims; one transaction per call."""

    def __init__(self, ctx: StationContext) -> None:
        super().__init__(ctx)

    def audit(self, session: Session, actor: Actor | None, action: str, entity_type: str,
              entity_id: str | uuid.UUID, details: dict[str, Any] | None = None) -> None:
        """Audited with amounts as decimal strings (the chain hashes JSON)."""
        super().audit(session, actor, action, entity_type, entity_id, to_json_value(details or {}))

    # ------------------------------------------------------------------ vendors
    def vendors(self, actor: Actor) -> list[VendorView]:
        self.require(actor, Permission.DISPOSITION)
        with self.reading() as db:
            return [VendorView.of(v) for v in db.scalars(select(Vendor).order_by(Vendor.code))]

    def save_vendor(self, actor: Actor, code: str, name: str, *, contact_email: str = "", contact_name: str = "",
                    agreement_rate_pct: Decimal | str | None = None, currency: str = "CNY") -> VendorView:
        """Add a vendor or change one (found by code); ``name`` must equal its products' supplier."""
        self.require(actor, Permission.APPROVE)
        code = _field(code, "vendor code", limit=32).upper()
        name = _field(name, "vendor name", limit=120)
        email = (contact_email or "").strip()
        if email and ("@" not in email or len(email) > 254 or any(c.isspace() for c in email)):
            raise InvalidInput(f"{email!r} is not an e-mail address.")
        rate = None if agreement_rate_pct is None or agreement_rate_pct == "" else \
            money(agreement_rate_pct, "agreement rate")
        if rate is not None and not Decimal(0) < rate <= Decimal(100):
            raise InvalidInput(f"The agreement rate is a percentage of unit cost (above 0, at most 100), not {rate}.")
        with self.transaction() as db:
            vendor = db.scalar(select(Vendor).where(Vendor.code == code))
            if vendor is None:
                vendor = Vendor(code=code, name=name, station_id=self.ctx.station_id)
                db.add(vendor)
            vendor.name, vendor.contact_email, vendor.contact_name = name, email, contact_name.strip()
            vendor.agreement_rate_pct, vendor.currency = rate, currency
            db.flush()
            self.audit(db, actor, "vendor.saved", "vendors", vendor.id,
                       {"code": code, "name": name, "contact_email": email, "agreement_rate_pct": rate})
            return VendorView.of(vendor)

    @staticmethod
    def _vendor(db: Session, ref: str) -> Vendor:
        text = (ref or "").strip()
        vendor = db.scalar(select(Vendor).where(or_(func.upper(Vendor.code) == text.upper(),
                                                    func.lower(Vendor.name) == text.lower())))
        if vendor is None:
            known = ", ".join(db.scalars(select(Vendor.code).order_by(Vendor.code)).all()) or "none yet"
            raise NotFound(f"No vendor {text!r}.", next_step=f"Use a vendor code ({known}).")
        return vendor

    # ------------------------------------------------------------------ batches
    def open_batch(self, actor: Actor, vendor: str) -> BatchView:
        """A new, empty batch for ``vendor`` (code or name)."""
        self.require(actor, Permission.DISPOSITION)
        with self.transaction() as db:
            found = self._vendor(db, vendor)
            prefix = f"RTV-{self.ctx.station_id}-"
            count = db.scalar(select(func.count()).select_from(RtvBatch).where(RtvBatch.number.like(prefix + "%")))
            batch = RtvBatch(number=f"{prefix}{(count or 0) + 1:05d}", vendor_id=found.id, state=RtvState.OPEN,
                             opened_by=actor.id, opened_at=self.ctx.now(), currency=found.currency,
                             station_id=self.ctx.station_id)
            db.add(batch)
            db.flush()
            self.audit(db, actor, "rtv.batch_opened", "rtv_batches", batch.id,
                       {"batch": batch.number, "vendor": found.code})
            return self._view(db, batch)

    def add(self, actor: Actor, batch_number: str, lpn: str) -> ItemView:
        """Put one approved RTV unit of the batch's vendor into the (open) batch."""
        self.require(actor, Permission.DISPOSITION)
        with self.transaction() as db:
            batch = self._batch(db, batch_number)
            if batch.state != RtvState.OPEN:
                raise IllegalTransition(f"Batch {batch.number} is {batch.state.value}; units go only into an open batch.",
                                        next_step="Open a new batch for this vendor.")
            unit = self._eligible(db, batch, lpn)
            product = self._product(unit)
            inspection = db.scalar(select(Inspection).where(Inspection.unit_id == unit.id,
                                                            Inspection.finished_at.is_not(None))
                                   .order_by(Inspection.finished_at.desc()).limit(1))
            rma = db.scalar(select(Rma).join(Receipt, Receipt.rma_id == Rma.id).where(Receipt.id == unit.receipt_id))
            position = (db.scalar(select(func.max(RtvItem.position)).where(RtvItem.batch_id == batch.id)) or 0) + 1
            item = RtvItem(batch_id=batch.id, unit_id=unit.id, position=position, lpn=unit.lpn, sku=product.sku,
                           serial=unit.serial_received or "", defect=self._defect(inspection, rma),
                           claimed_amount=claim_for(product.unit_value, unit.quantity or 1,
                                                    batch.vendor.agreement_rate_pct, batch.currency),
                           added_by=actor.id, added_at=self.ctx.now(), station_id=self.ctx.station_id)
            db.add(item)
            db.flush()
            self.audit(db, actor, "rtv.unit_added", "rtv_batches", batch.id,
                       {"batch": batch.number, "lpn": unit.lpn, "claimed_amount": item.claimed_amount})
            return ItemView(item.lpn, item.sku, product.name_en, item.serial, item.defect, item.claimed_amount,
                            rma.number if rma else "", unit.lot or "")

    def scan_into(self, actor: Actor, batch_number: str, text: str, symbology: str = "unknown") -> ItemView:
        """A scan at the RTV desk: an LPN goes into the batch; anything else is refused."""
        meaning = classify_scan(text, symbology)
        if meaning.kind in (ScanKind.REJECTED, ScanKind.UNKNOWN):
            raise ScanRejected(meaning.reason, next_step="Scan the unit's LPN label.")
        if meaning.kind != ScanKind.LPN:
            raise ScanRejected(f"{meaning.value} is {_KIND_WORDS.get(meaning.kind, 'not an LPN')}, not a unit's LPN.",
                               next_step="Scan the LPN label on the unit.")
        return self.add(actor, batch_number, meaning.value)

    def remove(self, actor: Actor, batch_number: str, lpn: str) -> None:
        """Take a unit out of an open batch (put in by mistake)."""
        self.require(actor, Permission.DISPOSITION)
        with self.transaction() as db:
            batch = self._batch(db, batch_number)
            if batch.state != RtvState.OPEN:
                raise IllegalTransition(f"Batch {batch.number} has shipped; its units cannot change.")
            item = db.scalar(select(RtvItem).where(RtvItem.batch_id == batch.id,
                                                   RtvItem.lpn == lpn.strip().upper()))
            if item is None:
                raise NotFound(f"Unit {lpn.strip()} is not in batch {batch.number}.")
            db.delete(item)
            self.audit(db, actor, "rtv.unit_removed", "rtv_batches", batch.id, {"batch": batch.number, "lpn": item.lpn})

    def ready_units(self, actor: Actor, vendor: str) -> list[str]:
        """LPNs of approved RTV units of ``vendor`` that are in no batch yet, oldest first."""
        self.require(actor, Permission.DISPOSITION)
        with self.reading() as db:
            found = self._vendor(db, vendor)
            approved = (select(Approval.id).join(Disposition, Disposition.id == Approval.entity_id)
                        .where(Disposition.unit_id == Unit.id, Approval.kind == ApprovalKind.RETURN_TO_VENDOR,
                               Approval.state == ApprovalState.APPROVED).exists())
            batched = select(RtvItem.id).where(RtvItem.unit_id == Unit.id).exists()
            query = (select(Unit.lpn).join(Product, Product.id == Unit.product_id)
                     .where(Unit.disposition == DispositionKind.RETURN_TO_VENDOR,
                            Unit.state == UnitState.DISPOSITIONED, Product.supplier == found.name,
                            approved, ~batched).order_by(Unit.created_at, Unit.lpn))
            return list(db.scalars(query))

    def unshipped(self, actor: Actor, batch_number: str) -> BatchView:
        """The batch, if it has not shipped; else ``AlreadyShipped`` (a face asks this before
        it asks for the RA number or a PIN)."""
        self.require(actor, Permission.DISPOSITION)
        with self.reading() as db:
            batch = self._batch(db, batch_number)
            if batch.state != RtvState.OPEN:
                raise AlreadyShipped(batch)
            return self._view(db, batch)

    def ship(self, actor: Actor, batch_number: str, *, ra_number: str, carrier: str, tracking: str) -> BatchView:
        """Close the batch: record RA number, carrier and tracking; the claim opens."""
        self.require(actor, Permission.DISPOSITION)
        ra = _field(ra_number, "vendor's return authorisation (RA) number")
        carrier_name = _field(carrier, "carrier", limit=40)
        tracking_no = _field(tracking, "tracking number")
        with self.transaction() as db:
            batch = self._batch(db, batch_number)
            if batch.state != RtvState.OPEN:
                raise AlreadyShipped(batch)
            if not batch.items:
                raise InvalidInput(f"Batch {batch.number} is empty; there is nothing to ship.",
                                   next_step="Scan the units into it first.")
            move_claim(batch, RtvState.SHIPPED)
            now = self.ctx.now()
            batch.ra_number, batch.carrier, batch.tracking_number = ra, carrier_name, tracking_no
            batch.shipped_by, batch.shipped_at = actor.id, now
            batch.claimed_amount = sum((i.claimed_amount for i in batch.items), Decimal("0.00"))
            db.flush()
            shipped_events(db, batch, now)
            self.audit(db, actor, "rtv.shipped", "rtv_batches", batch.id, {
                "batch": batch.number, "vendor": batch.vendor.code, "ra_number": ra, "carrier": carrier_name,
                "tracking_number": tracking_no, "units": len(batch.items), "claimed_amount": batch.claimed_amount})
            return self._view(db, batch)

    # ------------------------------------------------------------------ claims
    def acknowledge(self, actor: Actor, batch_number: str) -> BatchView:
        """The vendor confirmed receipt of the goods and the claim."""
        self.require(actor, Permission.APPROVE)
        with self.transaction() as db:
            batch = self._batch(db, batch_number)
            move_claim(batch, RtvState.ACKNOWLEDGED)
            batch.acknowledged_at = self.ctx.now()
            self.audit(db, actor, "rtv.claim_acknowledged", "rtv_batches", batch.id, {"batch": batch.number})
            return self._view(db, batch)

    def credit(self, actor: Actor, batch_number: str, amount: Decimal | str, on: dt.date | None = None) -> BatchView:
        """The vendor credited ``amount`` on ``on`` (default today): the claim is settled.

        At a dock that syncs with central the credit is recorded *pending* and the batch is
        credited only when central took it (``station.rtv.commitments``): one credit per batch
        in the fleet. The view says so (``credit_note``). A station on its own credits at once."""
        self.require(actor, Permission.APPROVE)
        value = money(amount, "credited amount", self.ctx.policy.currency)
        day = on or self.ctx.today()
        if day > self.ctx.today():
            raise InvalidInput(f"The credit date {day} is in the future.", next_step="Give the day the credit came.")
        with self.transaction() as db:
            batch = self._batch(db, batch_number)
            if batch.shipped_at is not None and day < batch.shipped_at.date():
                raise InvalidInput(f"The credit date {day} is before the batch shipped ({batch.shipped_at.date()}).")
            self._refuse_second_credit(db, batch)
            check_claim(batch, RtvState.CREDITED)
            pending = syncs_with_central(db.connection())
            credit = RtvCredit(batch_id=batch.id, amount=value, currency=batch.currency, credited_on=day,
                               credited_by=actor.id, credited_at=self.ctx.now(), station_id=self.ctx.station_id,
                               state=RtvCreditState.PENDING if pending else RtvCreditState.EFFECTIVE)
            db.add(credit)
            db.flush()
            if not pending:
                take_effect(db, batch, credit)
            self.audit(db, actor, "rtv.credited", "rtv_batches", batch.id, {
                "batch": batch.number, "credited_amount": value, "credited_on": day.isoformat(),
                "claimed_amount": batch.claimed_amount, **({"pending_central": True} if pending else {})})
            return self._view(db, batch)

    def _refuse_second_credit(self, db: Session, batch: RtvBatch) -> None:
        """One credit per batch: refuse while this station's waits for central, or when
        another stands (its words name the station, the person, the time and the amount)."""
        waiting = db.scalar(select(RtvCredit).where(RtvCredit.batch_id == batch.id,
                                                    RtvCredit.state == RtvCreditState.PENDING,
                                                    RtvCredit.station_id == self.ctx.station_id))
        if waiting is not None:
            raise IllegalTransition(f"Batch {batch.number} already has a credit of {waiting.amount} "
                                    f"{waiting.currency} waiting for central to confirm.",
                                    next_step="Wait for the next sync; the batch shows when it is credited.")
        standing = standing_credit(db.connection(), batch.id)
        if standing is not None:
            raise IllegalTransition(f"{standing[0]}.", next_step="Nothing more to do on it.")

    def dispute(self, actor: Actor, batch_number: str, reason: str) -> BatchView:
        """The vendor refuses the claim (or part of it); the reason is kept."""
        self.require(actor, Permission.APPROVE)
        why = (reason or "").strip()
        if not why:
            raise InvalidInput("Give the vendor's reason for the dispute.", next_step="Type it, then confirm.")
        if len(why) > MAX_REASON:
            raise InvalidInput(f"The reason is {len(why)} characters; keep it under {MAX_REASON}.")
        with self.transaction() as db:
            batch = self._batch(db, batch_number)
            move_claim(batch, RtvState.DISPUTED)
            batch.dispute_reason = why
            self.audit(db, actor, "rtv.claim_disputed", "rtv_batches", batch.id, {"batch": batch.number, "reason": why})
            return self._view(db, batch)

    # ------------------------------------------------------------------ reading
    def batch(self, actor: Actor, batch_number: str) -> BatchView:
        self.require(actor, Permission.DISPOSITION)
        with self.reading() as db:
            return self._view(db, self._batch(db, batch_number))

    def batches(self, actor: Actor, *, states: tuple[RtvState, ...] | None = None, vendor: str | None = None,
                limit: int = 500) -> list[BatchView]:
        """Batches newest first; open claims (``OPEN_CLAIMS``) carry their days open."""
        self.require(actor, Permission.DISPOSITION)
        with self.reading() as db:
            query = select(RtvBatch).order_by(RtvBatch.opened_at.desc(), RtvBatch.number.desc()).limit(limit)
            if states:
                query = query.where(RtvBatch.state.in_(states))
            if vendor:
                query = query.where(RtvBatch.vendor_id == self._vendor(db, vendor).id)
            return [self._view(db, b) for b in db.scalars(query)]

    def open_claims(self, actor: Actor) -> list[BatchView]:
        """Shipped batches not yet credited, oldest first (the desk's ageing list)."""
        found = self.batches(actor, states=OPEN_CLAIMS)
        return sorted(found, key=lambda b: (-(b.days_open or 0), b.number))

    # ------------------------------------------------------------------ helpers
    @staticmethod
    def _batch(db: Session, number: str) -> RtvBatch:
        text = (number or "").strip().upper()
        batch = db.scalar(select(RtvBatch).where(RtvBatch.number == text))
        if batch is None:
            raise NotFound(f"No RTV batch {text or '(empty)'}.", next_step="Check the batch number (RTV-...).")
        return batch

    @staticmethod
    def _product(unit: Unit) -> Product:
        product = unit.rma_line.product if unit.rma_line is not None else unit.product
        if product is None:
            raise InvalidInput(f"Unit {unit.lpn} has no product; it cannot be claimed from a vendor.")
        return product

    def _eligible(self, db: Session, batch: RtvBatch, lpn: str) -> Unit:
        code = (lpn or "").strip().upper()
        unit = db.scalar(select(Unit).where(Unit.lpn == code))
        if unit is None:
            raise NotFound(f"No unit with LPN {code or '(empty)'}.", next_step="Scan the LPN label on the unit.")
        if unit.disposition != DispositionKind.RETURN_TO_VENDOR or unit.state != UnitState.DISPOSITIONED:
            where = unit.disposition.value.replace("_", " ") if unit.disposition else unit.state.value
            raise InvalidInput(f"Unit {code} is not going back to a vendor ({where}).",
                               next_step="Only units dispositioned return-to-vendor and approved go in a batch.")
        disposition = db.scalar(select(Disposition).where(Disposition.unit_id == unit.id)
                                .order_by(Disposition.decided_at.desc()).limit(1))
        approval = None if disposition is None else db.scalar(
            select(Approval).where(Approval.entity_id == disposition.id,
                                   Approval.kind == ApprovalKind.RETURN_TO_VENDOR))
        if approval is None or approval.state != ApprovalState.APPROVED:
            state = "waits for a supervisor's approval" if approval is not None and \
                approval.state == ApprovalState.PENDING else "is not approved"
            raise InvalidInput(f"Unit {code}'s return to vendor {state}.",
                               next_step="A supervisor approves it in Approvals (F4) first.")
        product = self._product(unit)
        if product.supplier != batch.vendor.name:
            raise InvalidInput(f"Unit {code} ({product.sku}) comes from {product.supplier or 'no known supplier'}, "
                               f"not {batch.vendor.name}.", next_step="Put it in a batch for its own vendor.")
        other = db.scalar(select(RtvBatch.number).join(RtvItem, RtvItem.batch_id == RtvBatch.id)
                          .where(RtvItem.unit_id == unit.id))
        if other is not None:
            raise IllegalTransition(f"Unit {code} is already in batch {other}.")
        return unit

    @staticmethod
    def _defect(inspection: Inspection | None, rma: Rma | None) -> str:
        """The defect in words: the customer's reason, then the checklist questions that failed
        (else the inspector's notes): "Stopped working; failed: Does it power on?"."""
        failed: list[str] = []
        notes = ""
        if inspection is not None:
            notes = (inspection.notes or "").strip()
            try:
                from station.inspection.checklists import ChecklistLibrary
                from station.inspection.grading import compute_grade

                checklist = ChecklistLibrary().get(inspection.checklist_id, inspection.checklist_version)
                outcome = compute_grade(checklist, inspection.answers or {})
                by_id = {item.id: item for item in checklist.items}
                failed = [by_id[f.item_id].en for f in outcome.failures if f.item_id in by_id]
            except Exception as exc:  # noqa: BLE001 - a missing template must not stop a shipment
                log.info("no checklist words for inspection %s: %s", inspection.id, exc)
        found = f"failed: {', '.join(failed)}" if failed else notes
        said = (rma.reason_text or rma.reason_code.replace("_", " ")) if rma is not None else ""
        return "; ".join(w for w in (said, found) if w)[:300]

    def _view(self, db: Session, batch: RtvBatch) -> BatchView:
        rows = db.execute(
            select(RtvItem, Product.name_en, Rma.number, Unit.lot).join(Unit, Unit.id == RtvItem.unit_id)
            .outerjoin(Product, Product.sku == RtvItem.sku).join(Receipt, Receipt.id == Unit.receipt_id)
            .outerjoin(Rma, Rma.id == Receipt.rma_id).where(RtvItem.batch_id == batch.id)
            .order_by(RtvItem.position)).all()
        items = tuple(ItemView(i.lpn, i.sku, name or "", i.serial, i.defect, i.claimed_amount, number or "", lot or "")
                      for i, name, number, lot in rows)
        opened_by = db.scalar(select(Operator.name).where(Operator.id == batch.opened_by)) or ""
        return batch_view(batch, items, opened_by, self.ctx.today(), *self._credit_note(db, batch))

    def _credit_note(self, db: Session, batch: RtvBatch) -> tuple[bool, str]:
        """Whether this station's credit for the batch waits for central, and what the desk says
        about it: pending and why, or void and whose credit stands instead."""
        row = db.execute(select(RtvCredit, Operator.name).join(Operator, Operator.id == RtvCredit.credited_by)
                         .where(RtvCredit.batch_id == batch.id, RtvCredit.station_id == self.ctx.station_id,
                                RtvCredit.state != RtvCreditState.EFFECTIVE)
                         .order_by(RtvCredit.credited_at.desc()).limit(1)).first()
        if row is None:
            return False, ""
        credit, name = row
        if credit.state == RtvCreditState.PENDING:
            return True, pending_note(credit.amount, credit.currency, credit.credited_on, name)
        return False, f"VOID: {credit.void_reason}"


_KIND_WORDS = {
    ScanKind.RMA: "an RMA number", ScanKind.TRACKING: "a carrier tracking number", ScanKind.GTIN: "a product barcode",
    ScanKind.GS1: "a GS1 barcode", ScanKind.BIN: "a bin location", ScanKind.BADGE: "an operator badge",
    ScanKind.COMMAND: "a command barcode",
}
