"""A4 / Letter sheets: relabel list, scrap list (with totals and signatures), daily
receiving summary. Multi-page, "Page N of M" on every page.

Drawn directly on the canvas in fixed-height rows rather than with platypus tables: the
page count is known before the first page is drawn (so "of M" needs no second pass) and a
500-row sheet renders in a fraction of a second. Each row carries a Code 128 of its LPN
(or RMA) at 1 pt modules, which scans from a laser print and from a 203 dpi raster.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.pdfgen.canvas import Canvas

from labels import code128
from labels.errors import LabelError
from labels.fonts import BOLD, REGULAR, font_for
from labels.sheet_data import ReceivingRow, RelabelRow, ScrapRow, SheetHeader
from labels.wrap import ellipsise

log = logging.getLogger(__name__)

PAPERS = {"a4": A4, "letter": LETTER}
MARGIN = 36.0
ROW_HEIGHT = 36.0
HEADER_HEIGHT = 70.0
FOOTER_HEIGHT = 28.0
MODULE = 1.0  # points per Code 128 module on sheets


@dataclass(frozen=True)
class Column:
    title: str
    width: float  # share of the usable width
    cell: Callable[[object], str]
    barcode: bool = False
    align: str = "left"


def _paper(name: str) -> tuple[float, float]:
    try:
        return PAPERS[name.lower()]
    except KeyError:
        raise LabelError("paper", f"{name!r} is not a paper size; use a4 or letter.") from None


def _draw_code128(canvas: Canvas, data: str, x: float, y: float, width: float, height: float, field: str) -> None:
    symbol = code128.encode(data, field=field)
    need = (symbol.modules + 2 * code128.QUIET_MODULES) * MODULE
    if need > width:
        raise LabelError(field, f"{data!r} is too long for the sheet's barcode column.")
    path = canvas.beginPath()
    cursor = x + code128.QUIET_MODULES * MODULE
    for n, w in enumerate(symbol.widths):
        if n % 2 == 0:
            path.rect(cursor, y, w * MODULE, height)
        cursor += w * MODULE
    canvas.drawPath(path, stroke=0, fill=1)


def _text(canvas: Canvas, text: str, x: float, y: float, width: float, size: float,
          *, bold: bool = False, align: str = "left", field: str = "text") -> None:
    font = font_for(text, bold=bold, field=field)
    fitted = ellipsise(text, font, size, width)
    canvas.setFont(font, size)
    if align == "right":
        canvas.drawRightString(x + width, y, fitted)
    else:
        canvas.drawString(x, y, fitted)


def _render_table(
    header: SheetHeader, columns: Sequence[Column], rows: Sequence[object], *, paper: str,
    summary: str, closing: Callable[[Canvas, float, float, float], float] | None = None,
    closing_height: float = 0.0,
) -> bytes:
    page_w, page_h = _paper(paper)
    usable = page_w - 2 * MARGIN
    body_top = page_h - MARGIN - HEADER_HEIGHT - 16
    body_bottom = MARGIN + FOOTER_HEIGHT
    per_page = max(1, int((body_top - body_bottom) // ROW_HEIGHT))
    pages = [list(rows[i : i + per_page]) for i in range(0, len(rows), per_page)] or [[]]
    if closing and body_top - len(pages[-1]) * ROW_HEIGHT - closing_height < body_bottom:
        pages.append([])
    total = len(pages)
    widths = [c.width * usable for c in columns]
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(page_w, page_h), pageCompression=1, invariant=1)
    canvas.setTitle(f"{header.title} {header.day}")
    canvas.setCreator("rma-station")
    for number, page_rows in enumerate(pages, start=1):
        top = page_h - MARGIN
        _text(canvas, header.title, MARGIN, top - 16, usable * 0.6, 16, bold=True, field="title")
        _text(canvas, f"{header.day}" + (f"   Station {header.station}" if header.station else ""),
              MARGIN + usable * 0.6, top - 16, usable * 0.4, 11, align="right", field="station")
        _text(canvas, summary, MARGIN, top - 36, usable, 10, field="summary")
        x = MARGIN
        for column, w in zip(columns, widths):
            _text(canvas, column.title, x + 2, body_top + 4, w - 4, 8.5, bold=True, align=column.align)
            x += w
        canvas.setLineWidth(0.8)
        canvas.line(MARGIN, body_top, page_w - MARGIN, body_top)
        y = body_top
        canvas.setLineWidth(0.3)
        for row in page_rows:
            y -= ROW_HEIGHT
            x = MARGIN
            for column, w in zip(columns, widths):
                value = column.cell(row)
                if column.barcode:
                    _draw_code128(canvas, value, x, y + 11, w, ROW_HEIGHT - 15, column.title.lower())
                    _text(canvas, value, x + code128.QUIET_MODULES * MODULE, y + 3, w, 7, field=column.title.lower())
                else:
                    _text(canvas, value, x + 2, y + ROW_HEIGHT / 2 - 3, w - 4, 9,
                          align=column.align, field=column.title.lower())
                x += w
            canvas.line(MARGIN, y, page_w - MARGIN, y)
        if closing and number == total:
            closing(canvas, MARGIN, y - 8, usable)
        canvas.setFont(REGULAR, 8)
        if header.printed_at:
            canvas.drawString(MARGIN, MARGIN, f"Printed {header.printed_at} by rma-station")
        canvas.drawRightString(page_w - MARGIN, MARGIN, f"Page {number} of {total}")
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def _money(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')):,}"


def render_scrap_sheet(header: SheetHeader, rows: Sequence[ScrapRow], *, paper: str = "a4") -> bytes:
    """Units to scrap with reason and value; totals per currency; approver and witness lines."""
    totals: dict[str, Decimal] = {}
    for row in rows:
        totals[row.currency] = totals.get(row.currency, Decimal("0")) + row.value
    total_text = ", ".join(f"{cur} {_money(v)}" for cur, v in sorted(totals.items())) or "0.00"
    columns = [
        Column("LPN", 0.30, lambda r: r.lpn, barcode=True),  # type: ignore[attr-defined]
        Column("SKU", 0.15, lambda r: r.sku),  # type: ignore[attr-defined]
        Column("Description", 0.23, lambda r: r.description),  # type: ignore[attr-defined]
        Column("Reason", 0.17, lambda r: r.reason),  # type: ignore[attr-defined]
        Column("Value", 0.15, lambda r: f"{r.currency} {_money(r.value)}", align="right"),  # type: ignore[attr-defined]
    ]

    def closing(canvas: Canvas, x: float, y: float, width: float) -> float:
        canvas.setFont(BOLD, 11)
        canvas.drawString(x, y - 12, f"Total: {len(rows)} units")
        canvas.drawRightString(x + width, y - 12, f"Total value: {total_text}")
        canvas.setFont(REGULAR, 9)
        for n, role in enumerate(("Approved by (supervisor)", "Witness")):
            line_y = y - 60 - n * 44
            canvas.line(x, line_y, x + width * 0.55, line_y)
            canvas.line(x + width * 0.65, line_y, x + width, line_y)
            canvas.drawString(x, line_y - 11, f"{role}: name and signature")
            canvas.drawString(x + width * 0.65, line_y - 11, "Date")
        return y - 120

    summary = f"{len(rows)} units to scrap, total value {total_text}"
    return _render_table(header, columns, rows, paper=paper, summary=summary, closing=closing,
                         closing_height=130)


def render_relabel_sheet(header: SheetHeader, rows: Sequence[RelabelRow], *, paper: str = "a4") -> bytes:
    """Units going back to stock under a B/C-stock identity: what label each one gets."""
    columns = [
        Column("LPN", 0.30, lambda r: r.lpn, barcode=True),  # type: ignore[attr-defined]
        Column("New SKU", 0.17, lambda r: r.sku),  # type: ignore[attr-defined]
        Column("GTIN", 0.15, lambda r: r.gtin),  # type: ignore[attr-defined]
        Column("Description", 0.22, lambda r: r.description),  # type: ignore[attr-defined]
        Column("Grade", 0.06, lambda r: r.grade),  # type: ignore[attr-defined]
        Column("Bin", 0.10, lambda r: r.bin),  # type: ignore[attr-defined]
    ]
    return _render_table(header, columns, rows, paper=paper, summary=f"{len(rows)} units to relabel")


def render_receiving_sheet(header: SheetHeader, rows: Sequence[ReceivingRow], *, paper: str = "a4") -> bytes:
    """Every parcel received that day, with counts by status at the top."""
    by_status: dict[str, int] = {}
    for row in rows:
        by_status[row.status] = by_status.get(row.status, 0) + 1
    units = sum(r.units for r in rows)
    summary = f"{len(rows)} parcels, {units} units" + "".join(
        f", {n} {status}" for status, n in sorted(by_status.items())
    )
    columns = [
        Column("Time", 0.07, lambda r: r.time),  # type: ignore[attr-defined]
        Column("RMA", 0.42, lambda r: r.rma_number or r.scanned_code, barcode=True),  # type: ignore[attr-defined]
        Column("Status", 0.15, lambda r: r.status.replace("_", " ")),  # type: ignore[attr-defined]
        Column("Parcel", 0.10, lambda r: r.condition),  # type: ignore[attr-defined]
        Column("Units", 0.06, lambda r: str(r.units), align="right"),  # type: ignore[attr-defined]
        Column("Clerk", 0.20, lambda r: r.clerk),  # type: ignore[attr-defined]
    ]
    return _render_table(header, columns, rows, paper=paper, summary=summary)
