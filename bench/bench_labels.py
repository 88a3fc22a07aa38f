"""Label and sheet rendering figures (issue 5 targets: LPN PDF <= 5 ms, LPN ZPL <= 1 ms,
500-unit scrap sheet <= 1 s, 1,000 LPN labels in one PDF <= 2 s).

Each LPN label differs (its own LPN), so caches of encoded symbols do not flatter the
figure; the description is mixed Chinese/English, which exercises the CJK font path.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from decimal import Decimal

from bench import Figure, figure, median
from labels import LpnLabel, render_labels_pdf, render_label
from labels.sheet_data import ScrapRow, SheetHeader
from labels.sheets import render_scrap_sheet


def _label(n: int, description: str = "无线蓝牙耳机 降噪 Wireless headphones") -> LpnLabel:
    return LpnLabel(lpn=f"LP001{n:08d}0", rma_number=f"RMA{n:08d}4", sku=f"HP-EB{n % 997}",
                    description=description, received_on="2024-05-02", station="DOCK-1")


def _timed(fn, runs: int) -> list[float]:  # type: ignore[no-untyped-def]
    samples = []
    for n in range(runs):
        started = time.perf_counter()
        fn(n)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def run(quick: bool) -> Iterator[Figure]:
    runs = 50 if quick else 300
    render_label(_label(0), "4x6in", "pdf")  # warm-up: font registration, imports
    render_label(_label(0), "4x6in", "zpl")
    yield figure("lpn label pdf (code128 x3 + datamatrix, zh text)", median(
        _timed(lambda n: render_label(_label(n + 1), "4x6in", "pdf"), runs)), "ms", target=5)
    yield figure("lpn label zpl, latin text", median(
        _timed(lambda n: render_label(_label(n + 1, "Wireless headphones"), "4x6in", "zpl"), runs)),
        "ms", target=1)
    yield figure("lpn label zpl, chinese text (^GF graphic)", median(
        _timed(lambda n: render_label(_label(n + 1, f"无线蓝牙耳机 {n}"), "4x6in", "zpl"), runs)),
        "ms", target=1)
    rows = [ScrapRow(f"LP0010{n:08d}", f"SKU-{n}", "无线蓝牙耳机 Wireless headphones", "water damage",
                     Decimal("199.90")) for n in range(500)]
    header = SheetHeader("Scrap sheet", "2024-05-02", "DOCK-1")
    yield figure("scrap sheet pdf, 500 units", median(
        _timed(lambda n: render_scrap_sheet(header, rows), 3 if quick else 5)), "ms", target=1000)
    count = 200 if quick else 1000
    batch = [_label(n + 10_000) for n in range(count)]
    yield figure(f"{count} lpn labels in one pdf", median(
        _timed(lambda n: render_labels_pdf(batch, "4x6in"), 1 if quick else 3)), "ms",
        target=2000 if count == 1000 else None)
