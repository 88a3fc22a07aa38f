"""What counts as "the same" item and serial: one answer for receiving, flags and the window.

Three copies of these comparisons used to disagree (serials compared ignoring case in one
place and not in the others; GTINs compared by stripping zeros in one and padding in
another), so the same parcel could be flagged at inspection and not at receiving. They are
decided here, once:

* **GTIN**: a code is a GTIN only if it is 8, 12, 13 or 14 digits with a valid GS1 check
  digit (python-stdnum); it is then compared as GTIN-14 (left-padded with zeros), the form
  GS1 defines for comparing GTINs of different lengths. A code failing its check digit is
  a misread and matches nothing, rather than being "close enough" after stripping zeros.
* **Serial**: compared trimmed and case-insensitively. Manufacturers do not issue serials
  that differ only by case, while the same serial reaches the station in both cases (a
  wedge scanner with Caps Lock on, a serial typed by hand, a sales feed that upper-cases);
  a case difference is therefore never evidence of a swapped unit.
* **SKU**: trimmed and upper-cased, as receiving stores it.
"""

from __future__ import annotations

from stdnum import ean

GTIN_LENGTHS = (8, 12, 13, 14)


def normalise_gtin(code: str | None) -> str:
    """The GTIN-14 of ``code``, or ``""`` when it is not a GTIN with a valid check digit."""
    digits = (code or "").strip()
    if not digits.isdigit() or len(digits) not in GTIN_LENGTHS or not ean.is_valid(digits):
        return ""
    return digits.zfill(14)


def same_gtin(a: str | None, b: str | None) -> bool:
    """Both are valid GTINs and name the same trade item."""
    left = normalise_gtin(a)
    return bool(left) and left == normalise_gtin(b)


def normalise_serial(serial: str | None) -> str:
    return (serial or "").strip().upper()


def same_serial(a: str | None, b: str | None) -> bool:
    """Both serials given and equal, trimmed and ignoring case (see the module docstring)."""
    left = normalise_serial(a)
    return bool(left) and left == normalise_serial(b)


def serial_differs(received: str | None, sold: str | None) -> bool:
    """A serial was recorded, the line was sold with one, and they are not the same."""
    return bool(normalise_serial(received)) and bool(normalise_serial(sold)) and not same_serial(received, sold)


def lot_differs(received: str | None, known: str | None) -> bool:
    """A lot was read from the item, the order named the lot it shipped, and they differ.

    Compared trimmed but case-sensitive: GS1 lots are case-sensitive (``station.scanning.lots``)."""
    left, right = (received or "").strip(), (known or "").strip()
    return bool(left) and bool(right) and left != right


def normalise_sku(sku: str | None) -> str:
    return (sku or "").strip().upper()


def same_item(scanned: str | None, sku: str | None, gtin: str | None) -> bool:
    """A scanned product code (SKU or GTIN) names the product sold as ``sku``/``gtin``."""
    code = normalise_sku(scanned)
    if not code:
        return False
    return code == normalise_sku(sku) or same_gtin(code, gtin)
