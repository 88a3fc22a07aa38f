"""The states and kinds the dock talks about, as enums the type checker enforces.

Values are stored as their lower-case strings so that the central database, exports and
webhooks read plainly (``"received"``, not ``3``).
"""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    CLERK = "clerk"
    INSPECTOR = "inspector"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class RmaState(enum.StrEnum):
    """An RMA's life: authorised upstream, parcel received, units graded, customer resolved."""

    AUTHORISED = "authorised"
    PARTIALLY_RECEIVED = "partially_received"
    RECEIVED = "received"
    INSPECTED = "inspected"
    RESOLVED = "resolved"
    CLOSED = "closed"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


class UnitState(enum.StrEnum):
    """One returned item, from the dock to its destination."""

    RECEIVED = "received"
    INSPECTING = "inspecting"
    INSPECTED = "inspected"
    DISPOSITIONED = "dispositioned"
    CLOSED = "closed"
    QUARANTINED = "quarantined"


class ReceiptStatus(enum.StrEnum):
    RECEIVED = "received"
    PARTIAL = "partial"
    QUARANTINED = "quarantined"
    AWAITING_APPROVAL = "awaiting_approval"
    REJECTED = "rejected"


class ParcelCondition(enum.StrEnum):
    INTACT = "intact"
    DAMAGED = "damaged"
    OPENED = "opened"
    WET = "wet"


class Grade(enum.StrEnum):
    """A as new, B open box / minor defect, C needs refurbishing, D defective / not sellable."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"


class DispositionKind(enum.StrEnum):
    RESTOCK = "restock"
    REFURBISH = "refurbish"
    RETURN_TO_VENDOR = "return_to_vendor"
    SCRAP = "scrap"
    DONATE = "donate"
    RECYCLE = "recycle"
    QUARANTINE = "quarantine"


class ResolutionKind(enum.StrEnum):
    REFUND = "refund"
    EXCHANGE = "exchange"
    COMPENSATION = "compensation"
    REJECTED = "rejected"


class ResolutionState(enum.StrEnum):
    """A resolution is a commitment to the customer: one per RMA in the whole fleet.

    At a dock that syncs with a central database it is ``pending`` until central accepted it
    (then ``effective``: its ``resolution.issued`` event, notice and webhook go out), or
    ``voided`` when central already held another dock's for the same RMA. A station on its own
    decides alone: its resolutions are effective at once."""

    EFFECTIVE = "effective"
    PENDING = "pending"
    VOIDED = "voided"


class RequestedResolution(enum.StrEnum):
    REFUND = "refund"
    EXCHANGE = "exchange"
    COMPENSATION = "compensation"


class ApprovalKind(enum.StrEnum):
    EXPIRED_RMA = "expired_rma"
    FLAGGED_UNIT = "flagged_unit"
    SCRAP = "scrap"
    RETURN_TO_VENDOR = "return_to_vendor"
    GRADE_OVERRIDE = "grade_override"
    UNKNOWN_PARCEL = "unknown_parcel"
    PHOTO_WAIVER = "photo_waiver"  # recorded already decided: a supervisor waived a required photo


class ApprovalState(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class LabelJobState(enum.StrEnum):
    QUEUED = "queued"
    PRINTING = "printing"
    PRINTED = "printed"
    FAILED = "failed"
    CANCELLED = "cancelled"


class AlertState(enum.StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    CLOSED = "closed"


class OutboxState(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    QUARANTINED = "quarantined"
