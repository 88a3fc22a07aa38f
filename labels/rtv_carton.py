"""The return-to-vendor carton label (4x6 in / 100x150 mm, PDF or ZPL).

It carries what the vendor's receiving dock scans first: the RA number as a large Code 128,
the batch number as Code 128 (links the carton to the packing list), and in words the vendor,
the carrier and tracking number, the unit count and the claimed total. Laid out by the label
engine (``labels.layout``), so PDF and ZPL draw the same bars with whole-dot modules.
"""

from __future__ import annotations

import logging
from decimal import Decimal

from labels.errors import LabelError
from labels.layout import BarSpec, Layout, RuleSpec, Spec, TextSpec, place
from labels.pdf import render_pdf
from labels.sizes import check_dpi, parse_size
from labels.zpl import render_zpl
from station.rtv.views import BatchView

log = logging.getLogger(__name__)


def carton_specs(batch: BatchView) -> list[Spec]:
    if not batch.ra_number:
        raise LabelError("ra_number", "is empty; the carton label needs the vendor's RA number.",
                         next_step="Ship the batch with the vendor's RA number first.")
    total = sum((i.claimed_amount for i in batch.items), Decimal("0.00"))
    return [
        TextSpec("title", "RETURN TO VENDOR", 16, bold=True),
        TextSpec("vendor", batch.vendor.name, 18, min_pt=10, lines=2, bold=True),
        RuleSpec(),
        TextSpec("ra_caption", "Vendor RA number", 10),
        BarSpec("ra_number", batch.ra_number, height_mm=26, min_height_mm=12, caption=batch.ra_number,
                caption_pt=20),
        RuleSpec(),
        TextSpec("batch_caption", "RTV batch", 10),
        BarSpec("batch", batch.number, height_mm=16, min_height_mm=8, caption=batch.number, caption_pt=12,
                max_module_mm=0.38),
        TextSpec("carrier", f"{batch.carrier} {batch.tracking_number}".strip(), 12, ellipsis=False, required=False),
        TextSpec("units", f"{len(batch.items)} units   claimed {batch.currency} {total:,.2f}", 12, ellipsis=False),
    ]


def layout_carton(batch: BatchView, size: str = "4x6in", *, dpi: int = 203) -> Layout:
    return place(carton_specs(batch), parse_size(size), check_dpi(dpi))


def render_carton_label(batch: BatchView, fmt: str = "pdf", *, size: str = "4x6in", dpi: int = 203,
                        copies: int = 1) -> bytes:
    """The carton label as ``pdf`` or ``zpl`` bytes."""
    layout = layout_carton(batch, size, dpi=dpi)
    if fmt == "pdf":
        return render_pdf([layout], copies=copies, title=f"RTV carton {batch.number}")
    if fmt == "zpl":
        return render_zpl([layout], copies=copies)
    raise LabelError("format", f"{fmt!r} is not a label format; use pdf or zpl.")
