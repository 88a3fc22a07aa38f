"""QC inspections of units, and the photos taken along the way."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from station.models.base import Base, Synced, db_enum
from station.models.enums import Grade
from station.models.receiving import Unit


class Inspection(Synced, Base):
    """One inspector's walk through a checklist for one unit.

    ``checklist_id`` + ``checklist_version`` pin the exact template used, so editing a
    template later never changes a past result. ``computed_grade`` is what the rules said;
    ``grade`` is what stands (different only after an audited override).
    """

    __tablename__ = "inspections"

    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"), index=True)
    inspector_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("operators.id"))
    checklist_id: Mapped[str] = mapped_column(String(64))
    checklist_version: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[dt.datetime]
    finished_at: Mapped[dt.datetime | None]
    answers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    answer_times: Mapped[dict[str, Any]] = mapped_column(default=dict)
    computed_grade: Mapped[Grade | None] = mapped_column(db_enum(Grade, 2))
    grade: Mapped[Grade | None] = mapped_column(db_enum(Grade, 2))
    override_reason: Mapped[str] = mapped_column(Text, default="")
    overridden_by: Mapped[uuid.UUID | None]
    flags: Mapped[list[Any]] = mapped_column(default=list)
    recommended_disposition: Mapped[str] = mapped_column(String(20), default="")
    disposition_rule: Mapped[str] = mapped_column(String(80), default="")
    notes: Mapped[str] = mapped_column(Text, default="")

    unit: Mapped[Unit] = relationship()
    photos: Mapped[list[Photo]] = relationship(back_populates="inspection")


class Photo(Synced, Base):
    """A picture of a unit, stored once by content hash (SHA-256) in the photo store."""

    __tablename__ = "photos"

    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"), index=True)
    inspection_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("inspections.id"), index=True
    )
    item_id: Mapped[str] = mapped_column(String(64), default="")
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    content_type: Mapped[str] = mapped_column(String(40), default="image/jpeg")
    size_bytes: Mapped[int] = mapped_column(Integer)
    taken_at: Mapped[dt.datetime]
    taken_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("operators.id"))

    inspection: Mapped[Inspection | None] = relationship(back_populates="photos")
