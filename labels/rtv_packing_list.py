"""The return-to-vendor packing list: what is in the carton, for the vendor and the carrier.

Vendor and contact, the vendor's return authorisation (RA) number as text and Code 128,
the batch number, carrier and tracking; then one row per unit with its LPN as Code 128 (the
vendor's dock scans them in), SKU, serial, the defect in words and the amount claimed;
totals and signature lines (packed by, carrier, received by the vendor) after the last row.
Drawn with the sheets' table engine (``labels.sheets``), so it is multi-page with "Page N of
M" and the barcodes use the same whole-point modules that scan from a 203 dpi raster.
"""

from __future__ import annotations

import logging
from decimal import Decimal

from reportlab.pdfgen.canvas import Canvas

from labels.fonts import BOLD, REGULAR
from labels.sheet_data import SheetHeader
from labels.sheets import Column, _draw_code128, _money, _render_table, _text
from station.rtv_views import BatchView

log = logging.getLogger(__name__)


def render_packing_list(batch: BatchView, *, paper: str = "a4", printed_at: str = "", station: str = "") -> bytes:
    """The packing list of ``batch`` as PDF bytes (one page per ~19 units)."""
    total = sum((i.claimed_amount for i in batch.items), Decimal("0.00"))
    currency = batch.currency
    header = SheetHeader(title=f"RTV packing list  {batch.number}",
                         day=(batch.shipped_at or batch.opened_at).date().isoformat(),
                         station=station, printed_at=printed_at)
    vendor = batch.vendor
    summary = (f"To {vendor.name} ({vendor.code})" + (f", {vendor.contact_email}" if vendor.contact_email else "")
               + f"   RA {batch.ra_number or '-'}   {batch.carrier or '-'} {batch.tracking_number or ''}")
    columns = [
        Column("LPN", 0.30, lambda r: r.lpn, barcode=True),  # type: ignore[attr-defined]
        Column("SKU", 0.13, lambda r: r.sku),  # type: ignore[attr-defined]
        Column("Serial", 0.12, lambda r: r.serial or "-"),  # type: ignore[attr-defined]
        Column("Defect", 0.31, lambda r: r.defect or "-"),  # type: ignore[attr-defined]
        Column("Claimed", 0.14, lambda r: f"{currency} {_money(r.claimed_amount)}",  # type: ignore[attr-defined]
               align="right"),
    ]

    def closing(canvas: Canvas, x: float, y: float, width: float) -> float:
        canvas.setFont(BOLD, 11)
        canvas.drawString(x, y - 12, f"Total: {len(batch.items)} units")
        canvas.drawRightString(x + width, y - 12, f"Total claimed: {currency} {_money(total)}")
        canvas.setFont(REGULAR, 9)
        canvas.drawString(x, y - 26, f"Vendor terms: {vendor.terms}")
        if batch.ra_number:
            _text(canvas, "Vendor RA number", x, y - 44, width * 0.3, 8)
            _draw_code128(canvas, batch.ra_number, x + width * 0.25, y - 58, width * 0.5, 22, "ra_number")
            _text(canvas, batch.ra_number, x + width * 0.25 + 10, y - 68, width * 0.5, 8)
        for n, role in enumerate(("Packed by (station)", "Carrier (driver)", f"Received by {vendor.name}")):
            line_y = y - 108 - n * 40
            canvas.line(x, line_y, x + width * 0.55, line_y)
            canvas.line(x + width * 0.65, line_y, x + width, line_y)
            _text(canvas, f"{role}: name and signature", x, line_y - 11, width * 0.55, 9)
            canvas.drawString(x + width * 0.65, line_y - 11, "Date")
        return y - 210

    return _render_table(header, columns, batch.items, paper=paper, summary=summary, closing=closing,
                         closing_height=210)
