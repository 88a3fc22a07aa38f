"""The command sheet: one Code 128 per command barcode (``CMD:CONFIRM``, ``CMD:SHIP`` ...).

Pinned beside the dock's stations, it lets a gloved inspector or a supervisor with a scanner
in hand act without the keyboard: each barcode does what the key printed beside it does in
that tab. The rows (which commands, their words in English and Chinese, their keys) are the
window's to say (``ui.command_sheet`` builds them from the key table); this module only
draws them, grouped by where they work, with a heading per group and "Page N of M".

The barcodes are bigger than a sheet's LPN column (1.25 pt modules, 36 pt tall): they are
scanned from the wall, at arm's length, many times a day.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.pdfgen.canvas import Canvas

from labels import code128
from labels.errors import LabelError
from labels.fonts import REGULAR, font_for
from labels.sheets import PAPERS
from labels.wrap import ellipsise

log = logging.getLogger(__name__)

MARGIN = 40.0
MODULE = 1.25       # points per module: reads from a sheet on the wall
BAR_HEIGHT = 36.0
ROW_HEIGHT = 58.0
GROUP_HEIGHT = 28.0
HEADER_HEIGHT = 56.0
FOOTER_HEIGHT = 24.0
BARCODE_COLUMN = 0.55  # share of the usable width


@dataclass(frozen=True)
class CommandRow:
    """One command on the sheet: where it works, the text its barcode carries, what it does."""

    group: str          # "Return to vendor  退供应商"
    scan: str           # "CMD:SHIP"
    words: str          # "Ship the selected batch and print its paperwork"
    words_zh: str       # "发运所选批次并打印单据"
    keys: str = ""      # "Ctrl+P": the key doing the same


def _paper(name: str) -> tuple[float, float]:
    try:
        return PAPERS[name.lower()]
    except KeyError:
        raise LabelError("paper", f"{name!r} is not a paper size; use a4 or letter.") from None


def _barcode(canvas: Canvas, data: str, x: float, y: float, width: float) -> None:
    symbol = code128.encode(data, field="command")
    need = (symbol.modules + 2 * code128.QUIET_MODULES) * MODULE
    if need > width:
        raise LabelError("command", f"{data!r} is too long for the command sheet's barcode column.")
    path = canvas.beginPath()
    cursor = x + code128.QUIET_MODULES * MODULE
    for n, w in enumerate(symbol.widths):
        if n % 2 == 0:
            path.rect(cursor, y, w * MODULE, BAR_HEIGHT)
        cursor += w * MODULE
    canvas.drawPath(path, stroke=0, fill=1)


def _text(canvas: Canvas, text: str, x: float, y: float, width: float, size: float, *, bold: bool = False) -> None:
    font = font_for(text, bold=bold, field="command sheet")
    canvas.setFont(font, size)
    canvas.drawString(x, y, ellipsise(text, font, size, width))


def _pages(rows: Sequence[CommandRow], room: float) -> list[list[tuple[bool, CommandRow]]]:
    """Rows laid out in pages as (starts a group, row); a group heading never ends a page."""
    pages: list[list[tuple[bool, CommandRow]]] = [[]]
    left, group = room, None
    for row in rows:
        heading = row.group != group
        need = ROW_HEIGHT + (GROUP_HEIGHT if heading else 0.0)
        if need > left and pages[-1]:
            pages.append([])
            left, heading = room, True  # a new page repeats the group's heading
            need = ROW_HEIGHT + GROUP_HEIGHT
        pages[-1].append((heading, row))
        left -= need
        group = row.group
    return pages


def render_command_sheet(rows: Sequence[CommandRow], *, title: str = "Command barcodes  指令条码",
                         paper: str = "a4", printed_at: str = "") -> bytes:
    """The command sheet as PDF: each row's barcode, its text, its words and its key."""
    if not rows:
        raise LabelError("command", "A command sheet needs at least one command.")
    page_w, page_h = _paper(paper)
    usable = page_w - 2 * MARGIN
    body_top = page_h - MARGIN - HEADER_HEIGHT
    pages = _pages(rows, body_top - MARGIN - FOOTER_HEIGHT)
    code_w = usable * BARCODE_COLUMN
    words_x, words_w = MARGIN + code_w + 8, usable - code_w - 8
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(page_w, page_h), pageCompression=1, invariant=1)
    canvas.setTitle(title)
    canvas.setCreator("rma-station")
    for number, page in enumerate(pages, start=1):
        _text(canvas, title, MARGIN, page_h - MARGIN - 18, usable, 18, bold=True)
        _text(canvas, "Scan a command: it does what the key beside it does in that tab.  "
                      "扫描指令条码：与旁边所列按键在该界面的作用相同。",
              MARGIN, page_h - MARGIN - 38, usable, 9.5)
        y = body_top
        canvas.setLineWidth(0.3)
        for heading, row in page:
            if heading:
                y -= GROUP_HEIGHT
                _text(canvas, row.group, MARGIN, y + 9, usable, 13, bold=True)
                canvas.setLineWidth(0.8)
                canvas.line(MARGIN, y + 4, page_w - MARGIN, y + 4)
                canvas.setLineWidth(0.3)
            y -= ROW_HEIGHT
            _barcode(canvas, row.scan, MARGIN, y + 15, code_w)
            _text(canvas, row.scan, MARGIN + code128.QUIET_MODULES * MODULE, y + 5, code_w, 9)
            _text(canvas, row.words, words_x, y + ROW_HEIGHT - 20, words_w, 10.5, bold=True)
            _text(canvas, row.words_zh, words_x, y + ROW_HEIGHT - 35, words_w, 10.5)
            if row.keys:
                _text(canvas, f"Key  按键: {row.keys}", words_x, y + 8, words_w, 9.5)
            canvas.line(MARGIN, y, page_w - MARGIN, y)
        canvas.setFont(REGULAR, 8)
        if printed_at:
            canvas.drawString(MARGIN, MARGIN, f"Printed {printed_at} by rma-station")
        canvas.drawRightString(page_w - MARGIN, MARGIN, f"Page {number} of {len(pages)}")
        canvas.showPage()
    canvas.save()
    return out.getvalue()
