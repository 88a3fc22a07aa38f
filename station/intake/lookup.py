"""Finding a customer's order from what the customer knows: its number and the e-mail or
phone on it.

The answer for "no such order" and for "wrong e-mail" is the same ``OrderNotMatched`` with the
same words, and both paths compare one hash against another with ``hmac.compare_digest``, so
the request page tells a stranger nothing about which order numbers exist.
"""

from __future__ import annotations

import hashlib
import hmac
import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.core.errors import NotFound
from station.models import Order

NOT_MATCHED = "No order matches that order number with that e-mail address or phone number."
_NON_DIGITS = re.compile(r"\D+")
_DUMMY = hashlib.sha256(b"no such order").digest()
MIN_PHONE_DIGITS = 6


class OrderNotMatched(NotFound):
    """The order number and the contact given do not match an order (which part is wrong is
    deliberately not said)."""

    code = "order_not_matched"


def contact_forms(email: str, phone: str) -> list[bytes]:
    """The normalised forms a customer may type: the e-mail in lower case, the phone as digits,
    and the phone's national part (last 8+ digits) so ``+86 138...`` and ``138...`` both match."""
    forms = []
    if email.strip():
        forms.append(email.strip().lower())
    digits = _NON_DIGITS.sub("", phone)
    if len(digits) >= MIN_PHONE_DIGITS:
        forms.append(digits)
        if len(digits) > 11:
            forms.append(digits[-11:])
    return [hashlib.sha256(f.encode()).digest() for f in forms]


def typed_forms(contact: str) -> list[bytes]:
    text = contact.strip()
    if "@" in text:
        return [hashlib.sha256(text.lower().encode()).digest()]
    digits = _NON_DIGITS.sub("", text)
    if len(digits) < MIN_PHONE_DIGITS:
        return [hashlib.sha256(b"\x00" + text.encode()).digest()]
    out = [hashlib.sha256(digits.encode()).digest()]
    if len(digits) > 11:
        out.append(hashlib.sha256(digits[-11:].encode()).digest())
    return out


def number_forms(order_number: str) -> list[str]:
    """The order numbers a customer's typing may mean: as typed, in capitals, in small letters.

    Customers type ``so-ha-0002`` for ``SO-HA-0002``; shops store numbers in one case. Looking
    these few up by the unique index keeps a look-up one indexed read (no scan of every order
    on each stranger's guess); a number stored in mixed case is found only as stored.
    """
    typed = order_number.strip()[:64]
    return list(dict.fromkeys((typed, typed.upper(), typed.lower())))


def match_order(db: Session, order_number: str, contact: str) -> Order:
    """The order if ``contact`` is its e-mail or phone, else ``OrderNotMatched``."""
    forms = number_forms(order_number)
    found = {o.order_number: o for o in db.scalars(select(Order).where(Order.order_number.in_(forms)))}
    order = next((found[f] for f in forms if f in found), None)
    known = contact_forms(order.customer_email, order.customer_phone) if order is not None else [_DUMMY]
    typed = typed_forms(contact[:254])
    matched = False
    for a in known:
        for b in typed:
            matched |= hmac.compare_digest(a, b)
    if order is None or not matched:
        raise OrderNotMatched(NOT_MATCHED, next_step="Check the order number and use the e-mail or phone "
                                                     "the order was placed with.")
    return order
