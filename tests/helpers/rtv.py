"""Return-to-vendor fixtures: units that really went receiving -> inspection -> RTV
disposition -> supervisor's approval, through the station's own services."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from station.models import Approval, ApprovalKind, ApprovalState, Disposition, Unit
from station.rtv.batches import RtvService
from station.supervision.desk import SupervisionService
from tests.station.builders_qc import QcDock, photos_for_failures, receive_unit, walk

VENDOR = "Shenzhen Power Tech"


def rtv_unit(dock: QcDock, *, supplier: str = VENDOR, value: str = "2999.00", approve: bool | None = True,
             serial: str = "") -> str:
    """An electronics unit that does not power on, dispositioned return-to-vendor; approved by
    the supervisor (``approve=True``), rejected (``False``) or left pending (``None``)."""
    lpn = receive_unit(dock, "electronics", value=value, reason="defective", rtv_allowed=True, supplier=supplier,
                       serial_sold=serial or None, serial_received=serial)
    view = walk(dock, dock.qc.start(dock.inspector, lpn), {"powers_on": "fail"})
    view = photos_for_failures(dock, view)
    dock.qc.finish(dock.inspector, view.inspection_id)
    disposed = dock.qc.dispose(dock.inspector, lpn, "return_to_vendor")
    if approve is not None:
        SupervisionService(dock.qc.ctx).decide(dock.supervisor, disposed.approval_id, approve,
                                               "vendor takes it back" if approve else "vendor refuses this model")
    return lpn


def approval_state(dock: QcDock, lpn: str) -> ApprovalState:
    with dock.sf() as db:
        unit = db.scalar(select(Unit).where(Unit.lpn == lpn))
        disposition = db.scalar(select(Disposition).where(Disposition.unit_id == unit.id,
                                                          Disposition.kind == "return_to_vendor"))
        return db.scalar(select(Approval.state).where(Approval.entity_id == disposition.id,
                                                      Approval.kind == ApprovalKind.RETURN_TO_VENDOR))


def with_vendor(dock: QcDock, *, code: str = "SZPT", name: str = VENDOR, rate: str | None = None,
                email: str = "rma@szpower.example") -> RtvService:
    service = RtvService(dock.qc.ctx)
    service.save_vendor(dock.supervisor, code, name, contact_email=email,
                        agreement_rate_pct=Decimal(rate) if rate else None)
    return service
