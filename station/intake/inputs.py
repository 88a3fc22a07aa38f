"""Orders and return requests as the shop's systems send them, checked field by field.

The API, the imports and (later) the request page all go through these parsers, so a
problem reads the same everywhere. Every problem in a document is collected and reported at
once (``InvalidInput`` naming each field), not just the first.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from station.core.errors import InvalidInput
from station.core.money import ZERO, MoneyError
from station.core.money import places as money_places
from station.core.money import parse as parse_money
from station.intake.errors import FieldErrors
from station.intake.photos import MAX_PHOTOS, decode_photo
from station.scanning.lots import MAX_LOT, normalise_lot

RESOLUTIONS = ("refund", "exchange", "compensation")
LANGUAGES = ("en", "zh")
MAX_LINES = 200
MAX_COMMENT = 2000
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class OrderLineInput:
    sku: str
    quantity: int
    unit_price: Decimal
    serials: tuple[str, ...] = ()
    lot: str = ""
    """The production lot shipped on this line, when the order system knows it (issue 26)."""


@dataclass(frozen=True)
class OrderInput:
    order_number: str
    placed_at: dt.datetime
    delivered_at: dt.datetime | None
    currency: str
    customer_ref: str
    customer_name: str
    customer_email: str
    customer_phone: str
    customer_language: str
    lines: tuple[OrderLineInput, ...]
    flagged: bool = False

    def content_hash(self) -> str:
        body = asdict(self)
        # lot only when set: orders hashed before lines had a lot keep their hash
        body["lines"] = [{k: v for k, v in line.items() if k != "lot" or v} for line in body["lines"]]
        return hashlib.sha256(json.dumps(body, default=str, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class RequestLineInput:
    sku: str
    quantity: int
    reason: str
    comment: str = ""
    exchange_sku: str = ""  # for an exchange: the size/colour wanted (``station.catalog.variants``)


@dataclass(frozen=True)
class RequestInput:
    order_number: str
    lines: tuple[RequestLineInput, ...]
    resolution: str
    photos: tuple[bytes, ...] = ()

    def content_hash(self) -> str:
        body = {"order_number": self.order_number, "resolution": self.resolution,
                # exchange_sku only when set: requests hashed before it existed keep their hash
                "lines": [{k: v for k, v in asdict(l).items() if k != "exchange_sku" or v} for l in self.lines],
                "photos": [hashlib.sha256(p).hexdigest() for p in self.photos]}
        return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


class _Problems:
    """Every problem of one document, each with the field it is about (``FieldErrors``)."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.fields: list[tuple[str, str]] = []

    def add(self, text: str, field: str = "") -> None:
        self.items.append(text)
        self.fields.append((field, text))

    def raise_if_any(self, what: str) -> None:
        if self.items:
            raise FieldErrors(f"{what}: " + "; ".join(self.items) + ".", tuple(self.fields))


def _text(data: dict[str, Any], key: str, p: _Problems, *, where: str = "", required: bool = True,
          max_len: int = 200) -> str:
    value = data.get(key)
    name = f"{where}{key}"
    if value is None or value == "":
        if required:
            p.add(f"{name} is missing", name)
        return ""
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        p.add(f"{name} must be text", name)
        return ""
    value = str(value).strip()
    if len(value) > max_len:
        p.add(f"{name} is longer than {max_len} characters", name)
        return value[:max_len]
    return value


def _when(data: dict[str, Any], key: str, p: _Problems, *, required: bool) -> dt.datetime | None:
    raw = data.get(key)
    if raw in (None, ""):
        if required:
            p.add(f"{key} is missing", key)
        return None
    try:
        value = dt.datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
    except ValueError:
        p.add(f"{key} {raw!r} is not an ISO 8601 date or time", key)
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def _count(data: dict[str, Any], key: str, p: _Problems, where: str) -> int:
    raw = data.get(key)
    try:
        if isinstance(raw, bool) or raw is None:
            raise ValueError
        value = int(raw)
        if str(raw).strip() not in (str(value), f"{value}.0") and not isinstance(raw, int):
            raise ValueError
    except (TypeError, ValueError):
        p.add(f"{where}{key} must be a whole number", f"{where}{key}")
        return 0
    if not 1 <= value <= 100_000:
        p.add(f"{where}{key} must be between 1 and 100000", f"{where}{key}")
    return value


def _lines(data: dict[str, Any], p: _Problems) -> list[dict[str, Any]]:
    lines = data.get("lines")
    if not isinstance(lines, list) or not lines:
        p.add("lines must be a non-empty list", "lines")
        return []
    if len(lines) > MAX_LINES:
        p.add(f"at most {MAX_LINES} lines", "lines")
        return []
    good = []
    for n, line in enumerate(lines, 1):
        if not isinstance(line, dict):
            p.add(f"lines[{n}] must be an object", f"lines[{n}]")
        else:
            good.append(line)
    return good


def _require_object(data: Any, what: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise InvalidInput(f"{what} must be a JSON object.")
    return data


def parse_order(data: Any) -> OrderInput:
    """An order from the order system's JSON (``POST /api/v1/orders``, one import line)."""
    data = _require_object(data, "The order")
    p = _Problems()
    number = _text(data, "order_number", p, max_len=64)
    placed = _when(data, "placed_at", p, required=True)
    delivered = _when(data, "delivered_at", p, required=False)
    currency = _text(data, "currency", p, max_len=3).upper()
    if currency and not _CURRENCY.match(currency):
        p.add(f"currency {currency!r} is not a three-letter code", "currency")
    customer = data.get("customer")
    if not isinstance(customer, dict):
        p.add("customer must be an object", "customer")
        customer = {}
    ref = _text(customer, "ref", p, where="customer.", max_len=64)
    name = _text(customer, "name", p, where="customer.", max_len=200)
    email = _text(customer, "email", p, where="customer.", required=False, max_len=254)
    if email and not _EMAIL.match(email):
        p.add(f"customer.email {email!r} is not an e-mail address", "customer.email")
    phone = _text(customer, "phone", p, where="customer.", required=False, max_len=40)
    language = (_text(customer, "language", p, where="customer.", required=False, max_len=10) or "en").lower()
    if language.split("-")[0] not in LANGUAGES:
        p.add(f"customer.language {language!r} is not one of {', '.join(LANGUAGES)}", "customer.language")
    lines: list[OrderLineInput] = []
    seen: set[str] = set()
    for n, line in enumerate(_lines(data, p), 1):
        where = f"lines[{n}]."
        sku = _text(line, "sku", p, where=where, max_len=64)
        if sku in seen:
            p.add(f"{where}sku {sku} appears twice; send one line per SKU", f"{where}sku")
        seen.add(sku)
        qty = _count(line, "quantity", p, where)
        try:
            price = parse_money(str(line.get("unit_price")), currency or "CNY", "unit_price")
        except MoneyError as error:
            p.add(f"{where}unit_price must be a non-negative amount with at most "
                  f"{money_places(currency or 'CNY')} decimals ({error.message})", f"{where}unit_price")
            price = ZERO
        serials = line.get("serials") or []
        if not isinstance(serials, list) or not all(isinstance(s, str) for s in serials):
            p.add(f"{where}serials must be a list of text", f"{where}serials")
            serials = []
        lot = line.get("lot") or ""
        if not isinstance(lot, str) or len(lot.strip()) > MAX_LOT:
            p.add(f"{where}lot must be text of at most {MAX_LOT} characters", f"{where}lot")
            lot = ""
        lines.append(OrderLineInput(sku, qty, price,
                                    tuple(s.strip() for s in serials), normalise_lot(lot)))
    if placed and delivered and delivered < placed:
        p.add("delivered_at is before placed_at", "delivered_at")
    p.raise_if_any(f"Order {number or '(no number)'}")
    if placed is None:  # reported above; this satisfies the type checker
        raise InvalidInput("placed_at is missing.")
    flagged = data.get("flagged", False)
    if not isinstance(flagged, bool):
        raise FieldErrors(f"Order {number}: flagged must be true or false, not {flagged!r}.",
                          (("flagged", f"flagged must be true or false, not {flagged!r}"),))
    return OrderInput(number, placed, delivered, currency, ref, name, email, phone,
                      language.split("-")[0], tuple(lines), flagged)


def parse_request(data: Any, *, photos_decoded: tuple[bytes, ...] | None = None) -> RequestInput:
    """A return request (``POST /api/v1/rmas``, one import line); photos are base64 JPEG/PNG."""
    data = _require_object(data, "The request")
    p = _Problems()
    number = _text(data, "order_number", p, max_len=64)
    resolution = _text(data, "resolution", p, max_len=20).lower()
    if resolution and resolution not in RESOLUTIONS:
        p.add(f"resolution {resolution!r} is not one of {', '.join(RESOLUTIONS)}", "resolution")
    lines: list[RequestLineInput] = []
    seen: set[str] = set()
    for n, line in enumerate(_lines(data, p), 1):
        where = f"lines[{n}]."
        sku = _text(line, "sku", p, where=where, max_len=64)
        if sku in seen:
            p.add(f"{where}sku {sku} appears twice; send one line per SKU", f"{where}sku")
        seen.add(sku)
        lines.append(RequestLineInput(
            sku, _count(line, "quantity", p, where), _text(line, "reason", p, where=where, max_len=40).lower(),
            _text(line, "comment", p, where=where, required=False, max_len=MAX_COMMENT),
            _text(line, "exchange_sku", p, where=where, required=False, max_len=64)))
    p.raise_if_any(f"Request for order {number or '(no number)'}")
    if photos_decoded is None:
        raw = data.get("photos") or []
        if not isinstance(raw, list):
            raise FieldErrors("photos must be a list of base64 JPEG or PNG pictures.",
                              (("photos", "photos must be a list of base64 JPEG or PNG pictures"),))
        if len(raw) > MAX_PHOTOS:
            raise InvalidInput(f"At most {MAX_PHOTOS} photos per request.")
        photos_decoded = tuple(decode_photo(t, i) for i, t in enumerate(raw, 1))
    return RequestInput(number, tuple(lines), resolution, photos_decoded)
