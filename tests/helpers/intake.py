"""Builders for the returns intake: a catalogue, an order payload, a request payload, a photo."""

from __future__ import annotations

import base64
import datetime as dt
import io
from typing import Any

from PIL import Image
from sqlalchemy.orm import Session, sessionmaker

from tests.helpers.builders import NOW, add_product


def seed_catalogue(sf: sessionmaker[Session]) -> None:
    with sf.begin() as db:
        add_product(db, "TEE-1", category="apparel", value="99.00")
        add_product(db, "PHONE-1", category="electronics", name_en="Phone", name_zh="手机", value="2999.00",
                    serialised=True)
        add_product(db, "GIFT-1", category="gift_cards", name_en="Gift card", name_zh="礼品卡", value="100.00")
        add_product(db, "LIP-1", category="cosmetics", name_en="Lipstick", name_zh="口红", value="120.00")


def order_payload(number: str = "SO-1001", *, delivered_days_ago: int = 3, now: dt.datetime = NOW,
                  lines: list[dict[str, Any]] | None = None, flagged: bool = False,
                  language: str = "en", customer_ref: str = "C-1") -> dict[str, Any]:
    delivered = now - dt.timedelta(days=delivered_days_ago)
    return {
        "order_number": number, "placed_at": (delivered - dt.timedelta(days=2)).isoformat(),
        "delivered_at": delivered.isoformat(), "currency": "CNY", "flagged": flagged,
        "customer": {"ref": customer_ref, "name": "Wang Fang", "email": "wang@example.com",
                     "phone": "+86 138 0000 0000", "language": language},
        "lines": lines or [
            {"sku": "TEE-1", "quantity": 3, "unit_price": "99.00", "serials": []},
            {"sku": "PHONE-1", "quantity": 1, "unit_price": "2999.00", "serials": ["IMEI-1"]},
            {"sku": "GIFT-1", "quantity": 1, "unit_price": "100.00", "serials": []},
        ],
    }


def request_payload(number: str = "SO-1001", sku: str = "TEE-1", quantity: int = 1, reason: str = "size",
                    photos: list[str] | None = None, comment: str = "") -> dict[str, Any]:
    return {"order_number": number, "resolution": "refund", "photos": photos or [],
            "lines": [{"sku": sku, "quantity": quantity, "reason": reason, "comment": comment}]}


def jpeg_b64(size: tuple[int, int] = (32, 24)) -> str:
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(buf, "JPEG")
    return base64.b64encode(buf.getvalue()).decode()
