"""The customer's return label: a 4x6 in label (alone, or on an A4/Letter page with the
instructions beside a cut line), in the customer's language.

Pure: a ``ReturnLabel`` value in, PDF bytes out. The label itself goes through the same layout
engine as the dock's labels (``labels.layout.place``), so the RMA number's Code 128 has whole
printer dots per module at 203 dpi and the QR is drawn as rectangles from a zxing-cpp module
matrix (reportlab's QR widget costs ~15 ms a label). Chinese text is drawn in the embedded
CJK TrueType font (``labels.fonts``).
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.pdfgen.canvas import Canvas

from labels.errors import LabelError
from labels.fonts import font_for
from labels.layout import BarSpec, Layout, RowSpec, RuleSpec, Spec, TextSpec, place
from labels.pdf import draw_layout
from labels.sizes import SIZES
from labels.wrap import wrap

log = logging.getLogger(__name__)

PAGES = {"4x6": None, "a4": A4, "letter": LETTER}
DPI = 203

WORDS = {
    "title": ("RETURN", "退货"),
    "ship_to": ("SHIP TO", "寄往"),
    "order": ("Order", "订单"),
    "from": ("From", "寄件人"),
    "items": ("Items", "商品"),
    "heading": ("Your return label", "您的退货标签"),
    "on_label": ("Pack the items above with their accessories. Stick this label flat on the parcel, cover "
                 "old labels, and hand the parcel to the carrier.",
                 "请将上述商品连同配件一起包装，把本标签平整贴在包裹上并遮住旧快递单，然后交给快递。"),
    "cut": ("Cut along the line and stick the label flat on the parcel.", "请沿虚线剪下，平整贴在包裹上。"),
    "steps": (
        ("Pack the items listed on the label with their accessories and any manuals.",
         "Cut out the label and stick it flat on the largest side of the parcel; cover any old labels.",
         "Hand the parcel to the carrier. Keep the receipt until your return is settled.",
         "We tell you by e-mail when the parcel arrives and when your return is settled."),
        ("请将标签上列出的商品连同配件和说明书一起包装。",
         "剪下标签，平整贴在包裹最大的一面，并遮住旧的快递单。",
         "将包裹交给快递，并保留寄件凭证直至退货完成。",
         "包裹签收及退货处理完成时，我们会通过邮件通知您。"),
    ),
}


@dataclass(frozen=True)
class ReturnLine:
    sku: str
    name: str
    quantity: int


@dataclass(frozen=True)
class ReturnLabel:
    """What the customer's label shows; ``language`` is ``en`` or ``zh``."""

    rma_number: str
    order_number: str
    customer_name: str
    ship_to: tuple[str, ...]
    lines: tuple[ReturnLine, ...]
    language: str = "en"

    def word(self, key: str) -> str:
        en, zh = WORDS[key]
        return zh if self.language == "zh" else en  # type: ignore[return-value]


def label_specs(label: ReturnLabel) -> list[Spec]:
    if not label.ship_to or not any(l.strip() for l in label.ship_to):
        raise LabelError("ship_to", "the dock's address is empty.",
                         next_step="Set dock.address in the station settings.")
    zh = label.language == "zh"
    colon = "：" if zh else ": "
    items = ("；" if zh else "; ").join(f"{l.quantity} × {l.name} ({l.sku})" for l in label.lines)
    address = [TextSpec(f"ship_to_{n}", line.strip(), 12, min_pt=7, bold=n == 0)
               for n, line in enumerate(l for l in label.ship_to if l.strip())][:6]
    return [
        TextSpec("title", f"{label.word('title')}  {label.rma_number}", 18, bold=True, ellipsis=False),
        BarSpec("rma_number", label.rma_number, height_mm=22, min_height_mm=12, caption=label.rma_number,
                caption_pt=16),
        RuleSpec(),
        RowSpec(left=(TextSpec("ship_to", label.word("ship_to"), 10, bold=True), *address),
                matrix_field="rma_number", matrix_kind="qr", matrix_data=label.rma_number, matrix_mm=26),
        RuleSpec(),
        TextSpec("from", f"{label.word('from')}{colon}{label.customer_name}", 10, min_pt=6),
        TextSpec("order", f"{label.word('order')}{colon}{label.order_number}", 10, min_pt=6, ellipsis=False),
        TextSpec("items", f"{label.word('items')}{colon}{items}", 10, min_pt=6, lines=4),
        RuleSpec(),
        TextSpec("instructions", label.word("on_label"), 10, min_pt=6, lines=4, required=False),
    ]


def label_layout(label: ReturnLabel, dpi: int = DPI) -> Layout:
    return place(label_specs(label), SIZES["4x6in"], dpi)


def render_return_label(label: ReturnLabel, *, page: str = "a4") -> bytes:
    """The label as a PDF: ``4x6`` (the label alone), ``a4`` or ``letter`` (label + instructions)."""
    if page not in PAGES:
        raise LabelError("page", f"{page!r} is not a page; use one of {', '.join(PAGES)}.")
    layout = label_layout(label)
    out = io.BytesIO()
    canvas = Canvas(out, pageCompression=1, invariant=1)
    canvas.setTitle(f"{label.word('heading')} {label.rma_number}")
    canvas.setCreator("rma-station")
    size = PAGES[page]
    if size is None:
        canvas.setPageSize((layout.width * 72 / DPI, layout.height * 72 / DPI))
        draw_layout(canvas, layout)
    else:
        _page(canvas, label, layout, size)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


_CLOSING = "。，、；：！？）」』”’.,;:!?)"


def _lines(text: str, font: str, size: float, width: float) -> list[str]:
    """``wrap``, then no line starting with closing punctuation (a Chinese line-breaking rule):
    the character before it moves down with it."""
    lines = wrap(text, font, size, width)
    for n in range(1, len(lines)):
        if lines[n][:1] in _CLOSING and len(lines[n - 1]) > 1:
            lines[n - 1], lines[n] = lines[n - 1][:-1], lines[n - 1][-1] + lines[n]
    return lines


def _page(canvas: Canvas, label: ReturnLabel, layout: Layout, size: tuple[float, float]) -> None:
    """The label at the top left inside a dashed cut line, the steps to its right."""
    width, height = size
    canvas.setPageSize(size)
    margin = 36.0
    w, h = layout.width * 72 / DPI, layout.height * 72 / DPI
    top = height - margin
    draw_layout(canvas, layout, origin=(margin, top - h))
    canvas.saveState()
    canvas.setDash(4, 3)
    canvas.setLineWidth(0.6)
    canvas.rect(margin - 4, top - h - 4, w + 8, h + 8)
    canvas.restoreState()
    x = margin + w + 22
    column = width - margin - x
    y = top - 4
    heading = label.word("heading")
    font = font_for(heading, bold=True)
    canvas.setFont(font, 14)
    for line in _lines(heading, font, 14, column):
        canvas.drawString(x, y - 14, line)
        y -= 18
    y -= 6
    steps = WORDS["steps"][1 if label.language == "zh" else 0]
    for n, step in enumerate((label.word("cut"), *steps), 1):
        text = f"{n}. {step}"
        font = font_for(text)
        canvas.setFont(font, 10)
        for line in _lines(text, font, 10, column):
            canvas.drawString(x, y - 10, line)
            y -= 13
        y -= 6
    # The lines again in full under the label: the label may have had to shorten them.
    y = top - h - 30
    title = label.word("items")
    canvas.setFont(font_for(title, bold=True), 12)
    canvas.drawString(margin, y, title)
    y -= 18
    for item in label.lines:
        text = f"{item.quantity} × {item.name}  ({item.sku})"
        font = font_for(text)
        canvas.setFont(font, 10)
        for line in _lines(text, font, 10, width - 2 * margin):
            canvas.drawString(margin, y, line)
            y -= 13
        if y < margin:
            break
