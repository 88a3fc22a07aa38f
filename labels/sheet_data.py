"""What the A4/Letter sheets print.

The rows are the station's own values (``station.supervision.sheets`` reads them from the database;
labels/ may read station data, so there is one definition of each row, not two kept in
step). Only the header is the renderer's own. Money is ``Decimal``.
"""

from __future__ import annotations

from dataclasses import dataclass

from station.supervision.sheets import ReceivingRow, RelabelRow, ScrapRow

__all__ = ["ReceivingRow", "RelabelRow", "ScrapRow", "SheetHeader"]


@dataclass(frozen=True)
class SheetHeader:
    title: str
    day: str  # ISO date the sheet covers
    station: str = ""
    printed_at: str = ""  # shown in the footer; empty keeps output reproducible
