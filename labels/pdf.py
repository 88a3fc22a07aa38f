"""Drawing a label ``Layout`` into a PDF page with reportlab.

Dots become points at 72/dpi, so a bar of n dots is exactly n printer dots when the PDF is
printed at the layout's dpi. Bars and 2D modules are filled rectangles in one path per
symbol (fast, and crisp at any resolution). Copies reuse one form XObject: N copies cost
one drawing, and the file stays small.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence

from reportlab.pdfgen.canvas import Canvas

from labels.layout import Bars, Box, Layout, Symbol2D, Text

log = logging.getLogger(__name__)


def draw_layout(canvas: Canvas, layout: Layout, *, origin: tuple[float, float] = (0.0, 0.0)) -> None:
    """Draw ``layout`` with its top-left corner at ``origin`` (points, PDF y up from bottom)."""
    k = 72.0 / layout.dpi
    ox, oy = origin
    top = oy + layout.height * k
    # Bars, modules and rules are written as one raw path in dot units (a y-down transform),
    # integers only: reportlab's float formatting of thousands of rectangles was most of the
    # cost of a label.
    rects: list[str] = []
    for item in layout.items:
        if isinstance(item, Text):
            canvas.setFont(item.font, item.size * k)
            canvas.drawString(ox + item.x * k, top - item.baseline * k, item.text)
        elif isinstance(item, Bars):
            x = item.x
            for n, w in enumerate(item.widths):
                if n % 2 == 0:
                    rects.append(f"{x} {item.y} {w * item.module} {item.height} re")
                x += w * item.module
        elif isinstance(item, Symbol2D):
            m = item.module
            rects += [f"{item.x + col * m} {item.y + row * m} {length * m} {m} re"
                      for row, col, length in item.matrix.runs]
        elif isinstance(item, Box):
            rects.append(f"{item.x} {item.y} {item.width} {item.height} re")
    if rects:
        canvas.addLiteral(f"q 0 g {k:.6f} 0 0 {-k:.6f} {ox:.4f} {top:.4f} cm\n" + "\n".join(rects) + "\nf Q")


def render_pdf(layouts: Sequence[Layout], *, copies: int = 1, title: str = "labels") -> bytes:
    """One page per label per copy, each page exactly the label's size."""
    out = io.BytesIO()
    canvas = Canvas(out, pageCompression=1, invariant=1)
    canvas.setTitle(title)
    canvas.setCreator("rma-station")
    for n, layout in enumerate(layouts):
        k = 72.0 / layout.dpi
        size = (layout.width * k, layout.height * k)
        if copies == 1:
            canvas.setPageSize(size)
            draw_layout(canvas, layout)
            canvas.showPage()
            continue
        name = f"label{n}"
        canvas.setPageSize(size)
        canvas.beginForm(name, lowerx=0, lowery=0, upperx=size[0], uppery=size[1])
        draw_layout(canvas, layout)
        canvas.endForm()
        for _ in range(copies):
            canvas.doForm(name)
            canvas.showPage()
    canvas.save()
    return out.getvalue()
