"""Label and sheet rendering: pure functions from plain data to PDF or ZPL bytes.

Public API (what the window, the CLI and the print queue call)::

    from labels import LpnLabel, DispositionLabel, RelabelLabel, label_from_dict
    layout_label(label, "4x6in", dpi=203) -> Layout          # positions in dots
    render_label(label, "4x6in", "pdf"|"zpl", dpi=203, copies=1) -> bytes
    render_labels_pdf([...], "4x6in", dpi=203, copies=1) -> bytes  # many labels, one PDF
    render_labels_zpl([...], "4x6in", dpi=203, copies=1) -> bytes
    labels.sheets: render_scrap_sheet / render_relabel_sheet / render_receiving_sheet

Every function raises ``LabelError`` (a ``station.core.errors.InvalidInput``) naming the field
when the content cannot be printed readably. No Qt, no drivers, no database here.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from labels.data import KINDS, DispositionLabel, Label, LpnLabel, RelabelLabel, label_from_dict
from labels.errors import LabelError
from labels.sizes import SIZES, LabelSize, check_dpi, parse_size

if TYPE_CHECKING:
    from labels.layout import Layout

log = logging.getLogger(__name__)

# Layout and rendering (reportlab, numpy, zxing-cpp: about a third of the window's start-up
# imports) load on the first label drawn, not when the window imports the label types.

FORMATS = ("pdf", "zpl")
MAX_COPIES = 999

__all__ = [
    "FORMATS", "KINDS", "SIZES", "DispositionLabel", "Label", "LabelError", "LabelSize",
    "Layout", "LpnLabel", "RelabelLabel", "label_from_dict", "layout_label", "render_label",
    "render_labels_pdf", "render_labels_zpl",
]


def _size(size: str | LabelSize) -> LabelSize:
    return size if isinstance(size, LabelSize) else parse_size(size)


def _copies(copies: int) -> int:
    if not 1 <= copies <= MAX_COPIES:
        raise LabelError("copies", f"{copies} is out of range; print 1 to {MAX_COPIES} copies.")
    return copies


def __getattr__(name: str) -> Any:
    if name == "Layout":
        from labels.layout import Layout

        return Layout
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def layout_label(label: Label, size: str | LabelSize = "4x6in", *, dpi: int = 203) -> Layout:
    """Where everything goes on ``label`` at ``dpi``, in printer dots."""
    from labels.designs import specs_for
    from labels.layout import place

    stock = _size(size)
    return place(specs_for(label, stock), stock, check_dpi(dpi))


def render_labels_pdf(
    labels: Sequence[Label], size: str | LabelSize = "4x6in", *, dpi: int = 203, copies: int = 1
) -> bytes:
    from labels.pdf import render_pdf

    layouts = [layout_label(label, size, dpi=dpi) for label in labels]
    return render_pdf(layouts, copies=_copies(copies))


def render_labels_zpl(
    labels: Sequence[Label], size: str | LabelSize = "4x6in", *, dpi: int = 203, copies: int = 1
) -> bytes:
    from labels.zpl import render_zpl

    layouts = [layout_label(label, size, dpi=dpi) for label in labels]
    return render_zpl(layouts, copies=_copies(copies))


def render_label(
    label: Label, size: str | LabelSize = "4x6in", fmt: str = "pdf", *, dpi: int = 203,
    copies: int = 1,
) -> bytes:
    """One label as ``pdf`` (one page per copy) or ``zpl`` (``^PQ`` copies)."""
    if fmt == "pdf":
        return render_labels_pdf([label], size, dpi=dpi, copies=copies)
    if fmt == "zpl":
        return render_labels_zpl([label], size, dpi=dpi, copies=copies)
    raise LabelError("format", f"{fmt!r} is not a label format; use pdf or zpl.")
