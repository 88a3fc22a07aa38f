"""Frozen views of RMAs and receipts: what the dock window shows, safe to hand across threads."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from dataclasses import dataclass
from decimal import Decimal

from station.models import (
    Operator,
    ReceiptStatus,
    RequestedResolution,
    Rma,
    RmaState,
    Unit,
    UnitState,
)
from station.receiving.flags import FlagCode, receipt_checks
from station.receiving.items_seen import came_back


@dataclass(frozen=True)
class LineView:
    line_no: int
    sku: str
    gtin: str
    name_en: str
    name_zh: str
    category: str
    quantity: int
    received_quantity: int
    serial: str
    serialised: bool
    unit_price: Decimal
    lot: str = ""
    """The lot the order says it shipped on this line; empty: not known (issue 26)."""

    @property
    def outstanding(self) -> int:
        return max(0, self.quantity - self.received_quantity)


@dataclass(frozen=True)
class ReceiptSummary:
    id: uuid.UUID
    received_at: dt.datetime
    received_by: str
    status: ReceiptStatus
    lpns: tuple[str, ...]


def not_receivable(state: RmaState, received_anything: bool) -> str:
    """Why a parcel for an RMA in ``state`` cannot be received (``""``: it can).

    A cancelled RMA, or one closed before any parcel came, has nothing to receive into: its
    parcel goes to quarantine with that reason, for a supervisor. A closed RMA that was
    received is a duplicate parcel instead (said with when and by whom).
    """
    if state == RmaState.CANCELLED:
        return "cancelled"
    if state == RmaState.CLOSED and not received_anything:
        return "closed"
    return ""


@dataclass(frozen=True)
class RmaCard:
    """Everything the clerk needs to decide on a parcel, in one value."""

    id: uuid.UUID
    number: str
    order_number: str
    customer_name: str
    customer_ref: str
    reason_code: str
    reason_text: str
    requested_resolution: RequestedResolution
    authorised_at: dt.datetime
    deadline: dt.date
    state: RmaState
    carrier: str
    tracking_number: str
    currency: str
    customer_photos: tuple[str, ...]
    lines: tuple[LineView, ...]
    receipts: tuple[ReceiptSummary, ...]
    days_late: int
    """Days past the RMA's deadline, 0 before it; whether that makes the parcel late (held
    for a supervisor) is ``station.receiving.rules.is_late``'s decision."""

    @property
    def not_receivable(self) -> str:
        """``"cancelled"``/``"closed"`` when its parcel goes to quarantine (see the function)."""
        return not_receivable(self.state, any(r.status != ReceiptStatus.QUARANTINED for r in self.receipts))

    @property
    def fully_received(self) -> bool:
        return all(line.outstanding == 0 for line in self.lines)


def card_of(rma: Rma, today: dt.date, names: dict[uuid.UUID, str]) -> RmaCard:
    """Build the card from a loaded RMA (lines, products, receipts and their units)."""
    received: dict[uuid.UUID, int] = {}
    receipts: list[ReceiptSummary] = []
    for receipt in rma.receipts:
        for unit in receipt.units:
            if unit.rma_line_id is not None:
                received[unit.rma_line_id] = received.get(unit.rma_line_id, 0) + unit.quantity
        receipts.append(
            ReceiptSummary(
                id=receipt.id,
                received_at=receipt.received_at,
                received_by=names.get(receipt.received_by, "?"),
                status=receipt.status,
                lpns=tuple(u.lpn for u in receipt.units),
            )
        )
    lines = tuple(
        LineView(
            line_no=line.line_no,
            sku=line.sku,
            gtin=line.product.gtin or "",
            name_en=line.product.name_en,
            name_zh=line.product.name_zh,
            category=line.product.category,
            quantity=line.quantity,
            received_quantity=received.get(line.id, 0),
            serial=line.serial or "",
            serialised=line.product.serialised,
            unit_price=line.unit_price,
            lot=line.lot or "",
        )
        for line in rma.lines
    )
    return RmaCard(
        id=rma.id,
        number=rma.number,
        order_number=rma.order_number,
        customer_name=rma.customer_name,
        customer_ref=rma.customer_ref,
        reason_code=rma.reason_code,
        reason_text=rma.reason_text,
        requested_resolution=rma.requested_resolution,
        authorised_at=rma.authorised_at,
        deadline=rma.deadline,
        state=rma.state,
        carrier=rma.carrier,
        tracking_number=rma.tracking_number or "",
        currency=rma.currency,
        customer_photos=tuple(str(p) for p in rma.customer_photos or ()),
        lines=lines,
        receipts=tuple(receipts),
        days_late=max(0, (today - rma.deadline).days),
    )


class ReceiptOutcome(enum.StrEnum):
    RECEIVED = "received"
    PARTIAL = "partial"
    DUPLICATE = "duplicate"
    AWAITING_APPROVAL = "awaiting_approval"
    QUARANTINED = "quarantined"


@dataclass(frozen=True)
class UnitView:
    lpn: str
    sku: str
    name_en: str
    name_zh: str
    quantity: int
    serial: str
    state: UnitState
    flags: tuple[str, ...]
    came_back: str = ""
    """For a wrong item: what came back instead, in words (``Phone (PHONE-1)``, or the code)."""
    came_back_zh: str = ""
    lot: str = ""
    """The production lot read from the item's code, when it carried one."""
    expiry: dt.date | None = None


@dataclass(frozen=True)
class ReceiptResult:
    """What happened to a scanned parcel, with the words the banner shows."""

    outcome: ReceiptOutcome
    receipt_id: uuid.UUID | None
    rma_number: str
    units: tuple[UnitView, ...]
    flags: tuple[str, ...]
    message: str
    next_step: str
    message_zh: str = ""
    """The same words in Simplified Chinese, for a window in Chinese (empty: only English)."""
    next_step_zh: str = ""

    def words(self, locale: str = "en") -> tuple[str, str]:
        """(message, next step) in the window's language."""
        if locale.lower().startswith("zh") and self.message_zh:
            return self.message_zh, self.next_step_zh
        return self.message, self.next_step


WHY_ZH = {"cancelled": "已取消", "closed": "已关闭"}
"""``not_receivable``'s reasons in Chinese."""


def failed_checks(result: ReceiptResult) -> tuple[FlagCode, ...]:
    """The checks that failed on a parcel that was received: its banner warns instead of
    saying OK. A duplicate, held or quarantined parcel says so already, so none are named."""
    if result.outcome not in (ReceiptOutcome.RECEIVED, ReceiptOutcome.PARTIAL):
        return ()
    return receipt_checks(result.flags)


def unit_view(unit: Unit) -> UnitView:
    product = unit.product
    return UnitView(
        lpn=unit.lpn,
        sku=product.sku if product else unit.sku_received,
        name_en=product.name_en if product else "",
        name_zh=product.name_zh if product else "",
        quantity=unit.quantity,
        serial=unit.serial_received,
        lot=unit.lot or "",
        expiry=unit.expiry,
        state=unit.state,
        flags=tuple(unit.flags or ()),
        **_came_back(unit),
    )


def _came_back(unit: Unit) -> dict[str, str]:
    if FlagCode.WRONG_ITEM not in (unit.flags or ()):
        return {}
    seen = came_back(unit)
    return {"came_back": seen.words(), "came_back_zh": seen.words("zh")}


def operator_names(operators: list[Operator]) -> dict[uuid.UUID, str]:
    return {op.id: op.name for op in operators}
