"""Operational records: print jobs and alerts."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from station.models.base import Base, Synced, db_enum
from station.models.enums import AlertState, LabelJobState


class LabelJob(Synced, Base):
    """A label or sheet to print. Kept with its rendered bytes so a job whose printer is
    offline survives a restart and is retried, never silently dropped."""

    __tablename__ = "label_jobs"

    kind: Mapped[str] = mapped_column(String(40))
    printer: Mapped[str] = mapped_column(String(300))
    format: Mapped[str] = mapped_column(String(8))
    copies: Mapped[int] = mapped_column(Integer, default=1)
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    state: Mapped[LabelJobState] = mapped_column(
        db_enum(LabelJobState, 12), default=LabelJobState.QUEUED, index=True
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    next_attempt_at: Mapped[dt.datetime | None]
    printed_at: Mapped[dt.datetime | None]
    requested_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("operators.id"))
    subject: Mapped[str] = mapped_column(String(64), default="", index=True)


class Alert(Synced, Base):
    """An early warning raised by a threshold rule (return rate, reason spike, cycle time)."""

    __tablename__ = "alerts"

    rule: Mapped[str] = mapped_column(String(80))
    subject: Mapped[str] = mapped_column(String(120))
    severity: Mapped[str] = mapped_column(String(12), default="warning")
    message: Mapped[str] = mapped_column(Text)
    figures: Mapped[dict[str, Any]] = mapped_column(default=dict)
    raised_at: Mapped[dt.datetime]
    state: Mapped[AlertState] = mapped_column(
        db_enum(AlertState, 14), default=AlertState.OPEN, index=True
    )
    acknowledged_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("operators.id"))
    acknowledged_at: Mapped[dt.datetime | None]
    ack_note: Mapped[str] = mapped_column(Text, default="")
    # The rule's owner when it was raised (so a later edit of the rules file does not move
    # an alert already on someone's desk), and how long they have before it escalates.
    owner_email: Mapped[str] = mapped_column(String(254), default="", server_default="")
    owner_webhook: Mapped[str] = mapped_column(String(80), default="", server_default="")
    respond_by: Mapped[dt.datetime | None]
    escalated_at: Mapped[dt.datetime | None]
    closed_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("operators.id"))
    closed_at: Mapped[dt.datetime | None]
    close_note: Mapped[str] = mapped_column(Text, default="", server_default="")


class AlertAction(Base):
    """One action note on an alert ("supplier informed, size chart corrected"), in order."""

    __tablename__ = "alert_actions"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    alert_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("alerts.id"), index=True)
    at: Mapped[dt.datetime]
    by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("operators.id"))
    note: Mapped[str] = mapped_column(Text)
