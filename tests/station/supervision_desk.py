"""A dock with one of everything a supervisor's queues hold, made through the real services:
a unit awaiting inspection, a scrap waiting for approval, a late parcel, an unknown parcel and
a grade override. Shared by the supervision service tests and the supervisor widget tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from station.models import DispositionKind
from tests.helpers.builders import NOW
from tests.station.builders_qc import QcDock, make_dock, photos_for_failures, receive_unit, walk


@dataclass
class Desk:
    dock: QcDock
    waiting: str  # LPN awaiting inspection
    scrapped: str  # LPN dispositioned to scrap, approval pending
    late: str  # LPN in a late parcel
    overridden: str  # LPN whose grade was lowered
    unknown_code: str


def inspect(dock: QcDock, lpn: str, answers: dict | None = None):  # type: ignore[no-untyped-def]
    view = walk(dock, dock.qc.start(dock.inspector, lpn), answers)
    view = photos_for_failures(dock, view)
    return dock.qc.finish(dock.inspector, view.inspection_id)


def make_desk(session_factory: sessionmaker[Session]) -> Desk:
    dock = make_dock(session_factory)
    waiting = receive_unit(dock, "apparel", reason="size")
    scrapped = receive_unit(dock, "small_appliances", value="329.00", reason="defective", supplier="Midea")
    inspect(dock, scrapped, {"function": "fail"})
    dock.qc.dispose(dock.inspector, scrapped, DispositionKind.SCRAP, bin="cage-3", reason="motor burnt out")
    late = receive_unit(dock, "shoes", authorised=NOW - dt.timedelta(days=60))
    overridden = receive_unit(dock, "apparel")
    result = inspect(dock, overridden)
    dock.qc.override_grade(dock.inspector, result.inspection_id, "B", "small stain on the sleeve")
    dock.receiving.quarantine_unknown(dock.clerk, "SF999000111", notes="no paperwork")
    return Desk(dock, waiting, scrapped, late, overridden, "SF999000111")
