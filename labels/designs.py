"""How each label kind is laid out, on large stock (4x6 in, 100x150 mm) and small stock
(2x1 in, 50x25 mm). Only the choice and order of blocks lives here; sizes adapt in
``labels.layout``."""

from __future__ import annotations

import logging

from labels import ean
from labels.code128 import gs1_element_string
from labels.data import DispositionLabel, Label, LpnLabel, RelabelLabel
from labels.layout import BarSpec, RowSpec, RuleSpec, Spec, TextSpec
from labels.sizes import LabelSize

log = logging.getLogger(__name__)

GRADE_WORDS = {"A": "like new", "B": "open box", "C": "refurbished", "D": "for parts"}


def specs_for(label: Label, size: LabelSize) -> list[Spec]:
    small = size.height_in < 2
    if isinstance(label, LpnLabel):
        return _lpn_small(label) if small else _lpn_large(label)
    if isinstance(label, DispositionLabel):
        return _disposition_small(label) if small else _disposition_large(label)
    return _relabel_small(label) if small else _relabel_large(label)


def _lpn_large(l: LpnLabel) -> list[Spec]:
    received = "  ".join(p for p in (l.received_on and f"Received {l.received_on}",
                                     l.station and f"Station {l.station}") if p)
    extra = "  ".join(p for p in (l.grade and f"Grade {l.grade}", l.serial and f"S/N {l.serial}",
                                  l.lot and f"LOT {l.lot}", l.expiry and f"EXP {l.expiry}") if p)
    if l.came_back:
        return _wrong_item_large(l, received, extra)
    return [
        RowSpec(
            left=(
                TextSpec("title", "RETURNED UNIT", 13, bold=True),
                TextSpec("received_on", received, 11, required=False),
                TextSpec("serial", extra, 11, ellipsis=False),
            ),
            matrix_field="lpn", matrix_kind="datamatrix", matrix_data=l.lpn, matrix_mm=22,
        ),
        BarSpec("lpn", l.lpn, height_mm=30, min_height_mm=12, caption=l.lpn, caption_pt=22),
        RuleSpec(),
        TextSpec("description", l.description, 18, min_pt=9, lines=3),
        TextSpec("sku", f"SKU {l.sku}", 14, bold=True, ellipsis=False),
        BarSpec("sku", l.sku, height_mm=12, min_height_mm=7, required=False, max_module_mm=0.38),
        TextSpec("rma_number", f"RMA {l.rma_number}", 14, bold=True, ellipsis=False),
        BarSpec("rma_number", l.rma_number, height_mm=12, min_height_mm=7, required=False,
                max_module_mm=0.38),
    ]


def _wrong_item_large(l: LpnLabel, received: str, extra: str) -> list[Spec]:
    """The product that came back is the label's subject; the one sold is named as such."""
    return [
        RowSpec(
            left=(
                TextSpec("title", "WRONG ITEM", 22, min_pt=14, bold=True, ellipsis=False),
                TextSpec("received_on", received, 11, required=False),
                TextSpec("serial", extra, 11, ellipsis=False),
            ),
            matrix_field="lpn", matrix_kind="datamatrix", matrix_data=l.lpn, matrix_mm=22,
        ),
        BarSpec("lpn", l.lpn, height_mm=30, min_height_mm=12, caption=l.lpn, caption_pt=22),
        RuleSpec(),
        TextSpec("came_back", l.came_back, 18, min_pt=9, lines=2),
        TextSpec("sku", f"Sold: {l.description} ({l.sku})", 11, min_pt=7, lines=2),
        TextSpec("rma_number", f"RMA {l.rma_number}", 14, bold=True, ellipsis=False),
        BarSpec("rma_number", l.rma_number, height_mm=12, min_height_mm=7, required=False,
                max_module_mm=0.38),
    ]


def _lpn_small(l: LpnLabel) -> list[Spec]:
    if l.came_back:
        return [
            BarSpec("lpn", l.lpn, height_mm=8, min_height_mm=5, caption=l.lpn, caption_pt=9),
            RowSpec(
                left=(
                    TextSpec("title", f"WRONG ITEM: {l.came_back}", 7.5, min_pt=5.5, bold=True, lines=2),
                    TextSpec("sku", f"sold {l.sku}  RMA {l.rma_number}", 6.5, min_pt=5, ellipsis=False),
                ),
                matrix_field="lpn", matrix_kind="datamatrix", matrix_data=l.lpn, matrix_mm=8,
                required=False,
            ),
        ]
    return [
        BarSpec("lpn", l.lpn, height_mm=8, min_height_mm=5, caption=l.lpn, caption_pt=9),
        RowSpec(
            left=(
                TextSpec("description", l.description, 8, min_pt=5.5, lines=2),
                TextSpec("sku", f"SKU {l.sku}  RMA {l.rma_number}" + (f"  LOT {l.lot}" if l.lot else ""), 6.5,
                         min_pt=5, ellipsis=False),
            ),
            matrix_field="lpn", matrix_kind="datamatrix", matrix_data=l.lpn, matrix_mm=8,
            required=False,
        ),
    ]


def _disposition_large(l: DispositionLabel) -> list[Spec]:
    where = l.disposition.replace("_", " ").upper()
    return [
        RowSpec(
            left=(
                TextSpec("grade", f"GRADE {l.grade}", 40, min_pt=20, bold=True, ellipsis=False),
                TextSpec("disposition", where, 28, min_pt=14, bold=True, ellipsis=False),
            ),
            matrix_field="lpn", matrix_kind="qr", matrix_data=l.lpn, matrix_mm=30,
        ),
        TextSpec("bin", l.bin and f"BIN {l.bin}", 26, min_pt=12, bold=True, ellipsis=False),
        BarSpec("bin", l.bin, height_mm=14, min_height_mm=7, required=False) if l.bin else RuleSpec(),
        RuleSpec(),
        BarSpec("lpn", l.lpn, height_mm=25, min_height_mm=10, caption=l.lpn, caption_pt=18),
        TextSpec("rma_number", f"RMA {l.rma_number}", 14, bold=True, ellipsis=False),
        TextSpec("inspector", f"Inspected by {l.inspector}  {l.decided_on}", 12, min_pt=7),
    ]


def _disposition_small(l: DispositionLabel) -> list[Spec]:
    head = f"{l.grade} · {l.disposition.replace('_', ' ').upper()}" + (f" → {l.bin}" if l.bin else "")
    return [
        TextSpec("disposition", head, 12, min_pt=7, bold=True, ellipsis=False),
        BarSpec("lpn", l.lpn, height_mm=7, min_height_mm=4.5, caption=l.lpn, caption_pt=8),
        TextSpec("inspector", f"RMA {l.rma_number}  {l.inspector}  {l.decided_on}", 6.5, min_pt=5),
    ]


def _gtin_specs(l: RelabelLabel, *, small: bool) -> list[Spec]:
    if not l.gtin:
        return []
    gtin14 = ean.normalise_gtin(l.gtin)
    specs: list[Spec] = []
    if small and "ean13" in l.symbologies and gtin14.startswith("0"):
        digits = ean.ean13_digits(gtin14)
        return [BarSpec("gtin", digits, "ean13", height_mm=8, min_height_mm=5, caption=digits,
                        caption_pt=7, max_module_mm=0.33)]
    if "gs1-128" in l.symbologies:
        # On small stock the serial (AI 21) would push the symbol past the label's width.
        ais = [("01", gtin14)] + ([("21", l.serial)] if l.serial and not small else [])
        caption = "".join(f"({ai}){value}" for ai, value in ais)
        specs.append(BarSpec("gtin", gs1_element_string(ais), "gs1-128",
                             height_mm=8 if small else 18, min_height_mm=5 if small else 10,
                             caption=caption, caption_pt=7 if small else 12))
    if "ean13" in l.symbologies and not (small and specs):
        digits = ean.ean13_digits(gtin14)
        specs.append(BarSpec("gtin", digits, "ean13", height_mm=8 if small else 20,
                             min_height_mm=5 if small else 10, caption=digits,
                             caption_pt=7 if small else 12, max_module_mm=0.33))
    return specs


def _relabel_large(l: RelabelLabel) -> list[Spec]:
    word = GRADE_WORDS.get(l.grade.upper(), "")
    return [
        TextSpec("description", l.description, 18, min_pt=9, lines=3),
        TextSpec("grade", f"Grade {l.grade}" + (f" · {word}" if word else ""), 22, min_pt=12,
                 bold=True, ellipsis=False),
        RuleSpec(),
        *_gtin_specs(l, small=False),
        TextSpec("sku", f"SKU {l.sku}", 14, bold=True, ellipsis=False),
        BarSpec("sku", l.sku, height_mm=12, min_height_mm=7, max_module_mm=0.38,
                required=not l.gtin),
    ]


def _relabel_small(l: RelabelLabel) -> list[Spec]:
    codes = _gtin_specs(l, small=True) or [
        BarSpec("sku", l.sku, height_mm=8, min_height_mm=5, caption=l.sku, caption_pt=8)
    ]
    return [
        *codes,
        TextSpec("description", l.description, 7.5, min_pt=5.5, lines=1),
        TextSpec("grade", f"Grade {l.grade}  SKU {l.sku}", 7, min_pt=5, bold=True, ellipsis=False),
    ]
