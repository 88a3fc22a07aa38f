"""``lot.alert`` and ``lot.held``: a production lot's events, signed and delivered like the others.

Both are keyed by the lot (``lot:<24 hex of SHA-256 of SKU and lot>``, fitting the events' RMA
column), so one lot's events reach a consumer in order (its alert before its hold) and one
lot's dead letter blocks no other subject. ``lot.alert`` carries the rule's ``owner_webhook``:
like ``alert.raised`` it goes to that consumer alone when the rule names one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from typing import Any

from sqlalchemy.orm import Session

from station.core.lifecycle_events import emit_for
from station.models import Alert, DomainEvent, LotHold

log = logging.getLogger(__name__)


def lot_key(sku: str, lot: str) -> str:
    """``lot:<24 hex>``: the events' ordering key for one SKU's lot."""
    return "lot:" + hashlib.sha256(f"{sku}\x1f{lot}".encode()).hexdigest()[:24]


def lot_alert_event(session: Session, alert: Alert, at: dt.datetime) -> DomainEvent:
    """``lot.alert``: a lot rule fired; the figures name the lot, its units and their photos."""
    f: dict[str, Any] = alert.figures
    return emit_for(session, "lot.alert", lot_key(f["sku"], f["lot"]), {
        "alert_id": alert.id, "rule": alert.rule, "sku": f["sku"], "lot": f["lot"], "supplier": f.get("supplier", ""),
        "severity": alert.severity, "summary": alert.message, "figures": f, "raised_at": alert.raised_at,
        "respond_by": alert.respond_by, "owner_webhook": alert.owner_webhook,
    }, at)


def lot_held_event(session: Session, hold: LotHold, restocked: list[str], at: dt.datetime) -> DomainEvent:
    """``lot.held``: a supervisor put the lot on hold; ``restocked`` lists the LPNs to pull back."""
    return emit_for(session, "lot.held", lot_key(hold.sku, hold.lot), {
        "hold_id": hold.id, "sku": hold.sku, "lot": hold.lot, "reason": hold.reason, "held_at": hold.held_at,
        "restocked_lpns": restocked,
    }, at)
