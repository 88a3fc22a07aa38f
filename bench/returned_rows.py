"""Rows of one inspected return (its RMA and its parcel's receipt) for the analytics benches.

The supplier scorecard and production-lot benches build the same RMA and receipt per return
and differ only in what they put on the unit; this is the part they share.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from station.models import ReceiptStatus, RequestedResolution, RmaState


def rma_and_receipt(i: int, at: dt.datetime, prefix: str, reason: str,
                    received_by: uuid.UUID) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return ``i``'s RMA (number ``<prefix><i>``, inspected, refund) and its receipt at ``at``."""
    rma_id, receipt_id = uuid.uuid4(), uuid.uuid4()
    number = f"{prefix}{i:09d}"
    rma = {"id": rma_id, "number": number, "order_number": f"SO{i}", "customer_ref": f"C{i % 5000}",
           "customer_name": "x", "customer_email": "", "customer_phone": "", "customer_opt_out": False,
           "customer_locale": "en", "reason_code": reason, "reason_text": "",
           "requested_resolution": RequestedResolution.REFUND, "customer_photos": [], "authorised_at": at,
           "deadline": at.date(), "carrier": "", "tracking_number": None, "currency": "CNY",
           "return_shipping_cost": Decimal("0"), "state": RmaState.INSPECTED, "expiry_approved_by": None,
           "station_id": "BENCH", "created_at": at, "updated_at": at, "version": 1}
    receipt = {"id": receipt_id, "rma_id": rma_id, "scanned_code": number, "received_at": at,
               "received_by": received_by, "parcel_condition": "intact", "weight_g": None,
               "status": ReceiptStatus.RECEIVED, "flags": [], "notes": "", "station_id": "BENCH",
               "created_at": at, "updated_at": at, "version": 1}
    return rma, receipt
