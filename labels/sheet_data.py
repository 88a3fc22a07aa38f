"""Rows of the A4/Letter sheets, as plain frozen values (``station.sheets`` fills them from
the database; tests and the CLI can build them directly). Money is ``Decimal``."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class SheetHeader:
    title: str
    day: str  # ISO date the sheet covers
    station: str = ""
    printed_at: str = ""  # shown in the footer; empty keeps output reproducible


@dataclass(frozen=True)
class ScrapRow:
    lpn: str
    sku: str
    description: str
    reason: str
    value: Decimal
    currency: str = "CNY"
    grade: str = ""


@dataclass(frozen=True)
class RelabelRow:
    lpn: str
    sku: str
    description: str
    grade: str
    gtin: str = ""
    bin: str = ""


@dataclass(frozen=True)
class ReceivingRow:
    time: str  # HH:MM local
    rma_number: str
    scanned_code: str
    status: str
    condition: str
    units: int
    clerk: str
