"""What the station decided: where a unit goes, what the customer gets, what needs approval."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from station.models.base import Base, Synced, db_enum
from station.models.enums import (
    ApprovalKind,
    ApprovalState,
    DispositionKind,
    Grade,
    ResolutionKind,
    ResolutionState,
)


class Disposition(Synced, Base):
    """Where one unit goes (restock to a bin, refurbish, scrap, ...) and which rule said so."""

    __tablename__ = "dispositions"

    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"), index=True)
    kind: Mapped[DispositionKind] = mapped_column(
        db_enum(DispositionKind, 20)
    )
    grade: Mapped[Grade | None] = mapped_column(db_enum(Grade, 2))
    bin: Mapped[str] = mapped_column(String(40), default="")
    rule_name: Mapped[str] = mapped_column(String(80), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("operators.id"))
    decided_at: Mapped[dt.datetime]


class Resolution(Synced, Base):
    """What the customer gets for an RMA: refund, exchange, compensation, or a rejection."""

    __tablename__ = "resolutions"

    rma_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("rmas.id"), index=True)
    kind: Mapped[ResolutionKind] = mapped_column(
        db_enum(ResolutionKind, 20)
    )
    gross_amount: Mapped[Decimal] = mapped_column(default=Decimal("0.00"))
    fee_amount: Mapped[Decimal] = mapped_column(default=Decimal("0.00"))
    amount: Mapped[Decimal] = mapped_column(default=Decimal("0.00"))
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    breakdown: Mapped[list[Any]] = mapped_column(default=list)
    reason: Mapped[str] = mapped_column(Text, default="")
    issued_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("operators.id"))
    issued_at: Mapped[dt.datetime]
    state: Mapped[ResolutionState] = mapped_column(db_enum(ResolutionState, 12), default=ResolutionState.EFFECTIVE,
                                                   server_default=ResolutionState.EFFECTIVE.value)
    """Effective, or pending / voided at a dock until central settled it (``station.resolution.commitments``)."""
    event_data: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    """The ``resolution.issued`` event's data, kept while the resolution is pending: the event
    is written when central accepts it, never before."""
    void_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    """Why it was voided: which dock resolved the RMA first, who and when."""


class Approval(Synced, Base):
    """A step a supervisor must approve or reject (expired RMA, flagged unit, scrap...)."""

    __tablename__ = "approvals"

    kind: Mapped[ApprovalKind] = mapped_column(db_enum(ApprovalKind, 24))
    state: Mapped[ApprovalState] = mapped_column(
        db_enum(ApprovalState, 12), default=ApprovalState.PENDING, index=True
    )
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[uuid.UUID] = mapped_column(index=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    requested_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("operators.id"))
    requested_at: Mapped[dt.datetime]
    decided_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("operators.id"))
    decided_at: Mapped[dt.datetime | None]
    decision_reason: Mapped[str] = mapped_column(Text, default="")
