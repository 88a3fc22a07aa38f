"""The layout engine: stacks blocks of text, barcodes and 2D codes on a label, in dots.

Designs (``labels.designs``) describe a label as specs at their preferred sizes; ``place``
shrinks text and bar heights step by step until everything fits, then drops optional specs
(lowest first), and only then refuses with a ``LabelError`` naming the field that does not
fit. Widths never shrink below readability: a barcode keeps at least the minimum module for
the dpi and identifiers are never ellipsised, only free text (descriptions) is.

The result is a ``Layout`` of primitives in printer dots; ``labels.pdf`` and ``labels.zpl``
draw the same primitives, so both outputs agree on position, scale and orientation.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field as dc_field

from labels import code128, ean
from labels.errors import LabelError
from labels.fonts import ASCENT, font_for, text_width
from labels.matrix import QUIET_MODULES, Matrix, encode_matrix
from labels.sizes import LabelSize, min_module_dots
from labels.wrap import fit_text

log = logging.getLogger(__name__)

LINE_SPACING = 1.15


# --- primitives, in dots -------------------------------------------------------------------
@dataclass(frozen=True)
class Text:
    x: int
    baseline: int
    size: int
    text: str
    font: str


@dataclass(frozen=True)
class Bars:
    x: int
    y: int
    height: int
    module: int
    widths: tuple[int, ...]  # bar, space, bar, ... in modules
    symbology: str  # "code128" | "gs1-128" | "ean13"
    data: str
    zpl_data: str


@dataclass(frozen=True)
class Symbol2D:
    x: int
    y: int
    module: int
    matrix: Matrix


@dataclass(frozen=True)
class Box:
    x: int
    y: int
    width: int
    height: int


Item = Text | Bars | Symbol2D | Box


@dataclass(frozen=True)
class Layout:
    width: int
    height: int
    dpi: int
    items: tuple[Item, ...]


# --- specs ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class TextSpec:
    field: str
    text: str
    size_pt: float
    min_pt: float = 6.0
    lines: int = 1
    bold: bool = False
    ellipsis: bool = True
    required: bool = True
    center: bool = False


@dataclass(frozen=True)
class BarSpec:
    field: str
    data: str
    symbology: str = "code128"
    height_mm: float = 15.0
    min_height_mm: float = 5.0
    caption: str = ""
    caption_pt: float = 10.0
    required: bool = True
    max_module_mm: float = 0.5


@dataclass(frozen=True)
class RowSpec:
    """Text specs in a column on the left, a QR/Data Matrix on the right."""

    left: tuple[TextSpec, ...]
    matrix_field: str
    matrix_kind: str
    matrix_data: str
    matrix_mm: float = 20.0
    required: bool = True


@dataclass(frozen=True)
class RuleSpec:
    thickness_mm: float = 0.4
    required: bool = False
    field: str = "rule"


Spec = TextSpec | BarSpec | RowSpec | RuleSpec


@dataclass
class _Ctx:
    dpi: int
    scale: float
    items: list[Item] = dc_field(default_factory=list)

    def dots(self, mm: float) -> int:
        return round(mm * self.dpi / 25.4)

    def pt(self, points: float) -> int:
        return max(1, round(points * self.dpi / 72))


def _text_block(spec: TextSpec, ctx: _Ctx, x: int, y: int, width: int) -> int:
    if not spec.text:
        return 0
    font = font_for(spec.text, bold=spec.bold, field=spec.field)
    size = max(ctx.pt(spec.min_pt), ctx.pt(spec.size_pt * ctx.scale))
    lines, size = fit_text(
        spec.text, font, size, ctx.pt(spec.min_pt), width, spec.lines,
        ellipsis=spec.ellipsis, field=spec.field,
    )
    step = round(size * LINE_SPACING)
    for n, line in enumerate(lines):
        indent = (width - round(text_width(line, font, size))) // 2 if spec.center else 0
        ctx.items.append(Text(x + max(0, indent), y + round(size * ASCENT) + n * step, size, line, font))
    return step * (len(lines) - 1) + round(size * (ASCENT + 0.25))


def _encode_bars(spec: BarSpec) -> tuple[tuple[int, ...], str, int]:
    """Widths in modules, ZPL data, quiet zone modules (each side)."""
    if spec.symbology == "ean13":
        pattern = ean.encode_ean13(spec.data).pattern
        widths, run = [], 1
        for a, b in zip(pattern, pattern[1:]):
            if a == b:
                run += 1
            else:
                widths.append(run)
                run = 1
        widths.append(run)
        return tuple(widths), spec.data[:12], ean.EAN13_QUIET[0]
    symbol = code128.encode(spec.data, field=spec.field, gs1=spec.symbology == "gs1-128")
    return symbol.widths, symbol.zpl_data, code128.QUIET_MODULES


def _bar_block(spec: BarSpec, ctx: _Ctx, x: int, y: int, width: int) -> int:
    widths, zpl_data, quiet = _encode_bars(spec)
    modules = sum(widths)
    smallest = min_module_dots(ctx.dpi)
    module = min(width // (modules + 2 * quiet), max(smallest, ctx.dots(spec.max_module_mm)))
    if module < smallest:
        need = (modules + 2 * quiet) * smallest
        raise LabelError(
            spec.field,
            f"{(spec.caption or spec.data)!r} needs {need} dots across as a barcode at {ctx.dpi} dpi "
            f"but the label has {width}; it is too long for this label size.",
            next_step="Use a wider label or a shorter value.",
        )
    height = max(ctx.dots(spec.min_height_mm), ctx.dots(spec.height_mm * ctx.scale))
    bar_x = x + (width - modules * module) // 2
    ctx.items.append(Bars(bar_x, y, height, module, widths, spec.symbology, spec.data, zpl_data))
    used = height
    if spec.caption:
        used += ctx.dots(0.6)
        used += _text_block(
            TextSpec(spec.field, spec.caption, spec.caption_pt, min(6.0, spec.caption_pt),
                     bold=True, ellipsis=False, center=True),
            ctx, x, y + used, width,
        )
    return used


def _row_block(spec: RowSpec, ctx: _Ctx, x: int, y: int, width: int) -> int:
    matrix = encode_matrix(spec.matrix_kind, spec.matrix_data, field=spec.matrix_field)
    cols, rows = matrix.size
    quiet = QUIET_MODULES[spec.matrix_kind]
    module = max(min_module_dots(ctx.dpi), ctx.dots(spec.matrix_mm * ctx.scale) // (cols + 2 * quiet))
    side = (cols + 2 * quiet) * module
    if side > width // 2:
        raise LabelError(spec.matrix_field, f"{spec.matrix_data!r} makes a 2D code too large for this label.")
    ctx.items.append(Symbol2D(x + width - side + quiet * module, y + quiet * module, module, matrix))
    used = 0
    gap = ctx.dots(0.8)
    for text in spec.left:
        h = _text_block(text, ctx, x, y + used, width - side - ctx.dots(1.5))
        used += h + (gap if h else 0)
    return max(used - gap, rows * module + 2 * quiet * module)


def _place_once(specs: list[Spec], size: LabelSize, dpi: int, scale: float) -> tuple[list[Item], str | None]:
    ctx = _Ctx(dpi=dpi, scale=scale)
    width, height = size.dots(dpi)
    margin = ctx.dots(3.0 if size.height_in > 2 else 1.5)
    gap = ctx.dots((2.0 if size.height_in > 2 else 0.8) * max(scale, 0.5))
    x, y, inner = margin, margin, width - 2 * margin
    overflow: str | None = None
    for spec in specs:
        if isinstance(spec, TextSpec):
            used = _text_block(spec, ctx, x, y, inner)
        elif isinstance(spec, BarSpec):
            used = _bar_block(spec, ctx, x, y, inner)
        elif isinstance(spec, RowSpec):
            used = _row_block(spec, ctx, x, y, inner)
        else:
            used = max(1, ctx.dots(spec.thickness_mm))
            ctx.items.append(Box(x, y, inner, used))
        if used and y + used > height - margin and overflow is None:
            overflow = _field_of(spec)
        y += used + (gap if used else 0)
    return ctx.items, overflow


def _field_of(spec: Spec) -> str:
    if isinstance(spec, RowSpec):
        return spec.left[0].field if spec.left else spec.matrix_field
    return spec.field


SCALES = (1.0, 0.85, 0.7, 0.55, 0.45)


def place(specs: list[Spec], size: LabelSize, dpi: int) -> Layout:
    """Fit ``specs`` on ``size`` at ``dpi``: shrink, then drop optional specs, else refuse."""
    remaining = list(specs)
    while True:
        overflow = None
        for scale in SCALES:
            items, overflow = _place_once(remaining, size, dpi, scale)
            if overflow is None:
                w, h = size.dots(dpi)
                return Layout(w, h, dpi, tuple(items))
        optional = [n for n, s in enumerate(remaining) if not s.required]
        if not optional:
            raise LabelError(
                overflow or "label",
                f"does not fit on a {size.name} label with the rest of the content.",
                next_step="Shorten the text or use a larger label size.",
            )
        log.debug("dropping %s to fit %s", _field_of(remaining[optional[-1]]), size.name)
        del remaining[optional[-1]]
