"""The return-to-vendor packing list: what is in the carton, for the vendor and the carrier.

Vendor and contact, the vendor's return authorisation (RA) number, the batch number, carrier
and tracking; then one row per unit with its LPN as Code 128 (the vendor's dock scans them
in), SKU, serial, the defect in words (up to three lines, so the reason is read, not cut) and
the amount claimed; after the last row the totals, the vendor's terms, the RA number as Code
128 and signature lines (packed by, carrier, received by the vendor). Drawn like the sheets
(``labels.sheets``: fixed-height rows, "Page N of M" known before the first page, whole-point
Code 128 modules that scan from a 203 dpi raster), with a taller row for the defect's words.
"""

from __future__ import annotations

import io
import logging
from decimal import Decimal

from reportlab.pdfgen.canvas import Canvas

from labels import code128
from labels.fonts import BOLD, REGULAR, font_for, text_width
from labels.sheets import FOOTER_HEIGHT, HEADER_HEIGHT, MARGIN, MODULE, _draw_code128, _money, _paper, _text
from labels.wrap import ellipsise, wrap
from station.rtv.views import BatchView, ItemView

log = logging.getLogger(__name__)

ROW_HEIGHT = 40.0
DEFECT_PT = 8.0
DEFECT_LINES = 3
CLOSING_HEIGHT = 220.0
#: Column shares of the usable width: LPN (barcode), SKU, serial, defect, claimed.
WIDTHS = (0.30, 0.13, 0.16, 0.27, 0.14)
ID_PT, ID_MIN_PT = 9.0, 6.5
"""An SKU or a serial is never cut (the vendor matches units by it): it shrinks to 6.5 pt, then
takes two lines."""
TITLES = ("LPN", "SKU", "Serial", "Defect", "Claimed")


def _defect(canvas: Canvas, text: str, x: float, y_top: float, width: float) -> None:
    font = font_for(text or "-", field="defect")
    lines = wrap(text or "-", font, DEFECT_PT, width) or ["-"]
    if len(lines) > DEFECT_LINES:
        lines = lines[:DEFECT_LINES - 1] + [ellipsise(" ".join(lines[DEFECT_LINES - 1:]), font, DEFECT_PT, width)]
    canvas.setFont(font, DEFECT_PT)
    for n, line in enumerate(lines):
        canvas.drawString(x, y_top - (n + 1) * (DEFECT_PT + 2), line)


def _identifier(canvas: Canvas, text: str, x: float, middle: float, width: float, field: str) -> None:
    """The whole code, however long: smaller type first, then a second line (split anywhere,
    as codes have no words), then smaller still."""
    font = font_for(text, field=field)
    size = ID_PT
    while size > ID_MIN_PT and text_width(text, font, size) > width:
        size -= 0.5
    if text_width(text, font, size) <= width:
        canvas.setFont(font, size)
        canvas.drawString(x, middle, text)
        return
    cut = (len(text) + 1) // 2  # two even halves read better than a line and a stray character
    first, second = text[:cut], text[cut:]
    size = ID_PT
    while size > 4 and max(text_width(first, font, size), text_width(second, font, size)) > width:
        size -= 0.5
    canvas.setFont(font, size)
    canvas.drawString(x, middle + size * 0.6, first)
    canvas.drawString(x, middle - size * 0.6, second)


def _row(canvas: Canvas, item: ItemView, currency: str, x: float, y: float, widths: list[float]) -> None:
    lpn_w, sku_w, serial_w, defect_w, claim_w = widths
    _draw_code128(canvas, item.lpn, x, y + 14, lpn_w, ROW_HEIGHT - 18, "lpn")
    _text(canvas, item.lpn, x + code128.QUIET_MODULES * MODULE, y + 4, lpn_w, 7, field="lpn")
    middle = y + ROW_HEIGHT / 2 - 3
    cx = x + lpn_w
    _identifier(canvas, item.sku, cx + 2, middle, sku_w - 4, "sku")
    cx += sku_w
    traced = " ".join(p for p in (item.serial, item.lot and f"LOT {item.lot}") if p)  # the vendor's batch too
    _identifier(canvas, traced or "-", cx + 2, middle, serial_w - 4, "serial")
    cx += serial_w
    _defect(canvas, item.defect, cx + 2, y + ROW_HEIGHT - 4, defect_w - 4)
    cx += defect_w
    _text(canvas, f"{currency} {_money(item.claimed_amount)}", cx + 2, middle, claim_w - 4, 9, align="right",
          field="claimed")


def _closing(canvas: Canvas, batch: BatchView, total: Decimal, x: float, y: float, width: float) -> None:
    vendor = batch.vendor
    canvas.setFont(BOLD, 11)
    canvas.drawString(x, y - 12, f"Total: {len(batch.items)} units")
    canvas.drawRightString(x + width, y - 12, f"Total claimed: {batch.currency} {_money(total)}")
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


def render_packing_list(batch: BatchView, *, paper: str = "a4", printed_at: str = "", station: str = "") -> bytes:
    """The packing list of ``batch`` as PDF bytes (16 units a page on A4)."""
    page_w, page_h = _paper(paper)
    usable = page_w - 2 * MARGIN
    widths = [share * usable for share in WIDTHS]
    body_top = page_h - MARGIN - HEADER_HEIGHT - 16
    body_bottom = MARGIN + FOOTER_HEIGHT
    per_page = max(1, int((body_top - body_bottom) // ROW_HEIGHT))
    items = list(batch.items)
    pages = [items[i:i + per_page] for i in range(0, len(items), per_page)] or [[]]
    if body_top - len(pages[-1]) * ROW_HEIGHT - CLOSING_HEIGHT < body_bottom:
        pages.append([])
    total = sum((i.claimed_amount for i in items), Decimal("0.00"))
    vendor = batch.vendor
    day = (batch.shipped_at or batch.opened_at).date().isoformat()
    summary = (f"To {vendor.name} ({vendor.code})" + (f", {vendor.contact_email}" if vendor.contact_email else "")
               + f"   RA {batch.ra_number or '-'}   {batch.carrier or '-'} {batch.tracking_number or ''}")
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(page_w, page_h), pageCompression=1, invariant=1)
    canvas.setTitle(f"RTV packing list {batch.number}")
    canvas.setCreator("rma-station")
    for number, rows in enumerate(pages, start=1):
        top = page_h - MARGIN
        _text(canvas, f"RTV packing list  {batch.number}", MARGIN, top - 16, usable * 0.65, 16, bold=True,
              field="title")
        _text(canvas, day + (f"   Station {station}" if station else ""), MARGIN + usable * 0.65, top - 16,
              usable * 0.35, 11, align="right", field="station")
        _text(canvas, summary, MARGIN, top - 36, usable, 10, field="summary")
        x = MARGIN
        for title, w in zip(TITLES, widths):
            _text(canvas, title, x + 2, body_top + 4, w - 4, 8.5, bold=True, align="right" if title == "Claimed" else "left")
            x += w
        canvas.setLineWidth(0.8)
        canvas.line(MARGIN, body_top, page_w - MARGIN, body_top)
        canvas.setLineWidth(0.3)
        y = body_top
        for item in rows:
            y -= ROW_HEIGHT
            _row(canvas, item, batch.currency, MARGIN, y, widths)
            canvas.line(MARGIN, y, page_w - MARGIN, y)
        if number == len(pages):
            _closing(canvas, batch, total, MARGIN, y - 8, usable)
        canvas.setFont(REGULAR, 8)
        if printed_at:
            canvas.drawString(MARGIN, MARGIN, f"Printed {printed_at} by rma-station")
        canvas.drawRightString(page_w - MARGIN, MARGIN, f"Page {number} of {len(pages)}")
        canvas.showPage()
    canvas.save()
    return out.getvalue()
