"""A unit's production lot and expiry, as read from its GS1 code or typed at the dock.

The lot is what a recall or a bad batch is named by; the classifier reads it from AI 10 and
the expiry from AI 17 of any GS1 form it knows (GS1-128, GS1 DataMatrix, GS1 QR, a GS1 Digital
Link URL). This module turns a classified scan, or the clerk's typing, into one checked value
so receiving and inspection store the same thing.
"""

from __future__ import annotations

import datetime as dt
import logging
import unicodedata
from dataclasses import dataclass

from station.core.errors import InvalidInput
from station.scanning.classify import ScanKind, ScanMeaning

log = logging.getLogger(__name__)

MAX_LOT = 40
"""GS1 allows 20 characters in AI 10; a typed supplier batch code may be longer, not longer than this."""


@dataclass(frozen=True)
class LotSeen:
    """A lot (never empty) and its expiry when the code carried one."""

    lot: str
    expiry: dt.date | None = None


def normalise_lot(text: str) -> str:
    """The lot as stored: trimmed, control characters out, at most ``MAX_LOT`` characters.

    Case is kept: GS1 lots are case-sensitive (``BNav4Cam2``), unlike serials at the dock.
    """
    kept = "".join(c for c in (text or "") if unicodedata.category(c)[0] != "C").strip()
    if len(kept) > MAX_LOT:
        raise InvalidInput(f"A lot of {len(kept)} characters is not a lot (at most {MAX_LOT}).",
                           next_step="Scan the code with the lot (10), or type the lot printed on the pack.",
                           zh=(f"{len(kept)} 个字符的批号无效（最多 {MAX_LOT} 个）。", "请扫描带批号 (10) 的条码，或输入包装上印的批号。"))
    return kept


def lot_of(meaning: ScanMeaning) -> LotSeen | None:
    """The lot a classified scan carries (a GS1 code with AI 10), else None."""
    if meaning.kind is not ScanKind.GS1:
        return None
    lot = str(meaning.details.get("lot", "") or "")
    if not lot:
        return None
    expiry = meaning.details.get("expiry_date")
    return LotSeen(normalise_lot(lot)[:MAX_LOT], dt.date.fromisoformat(expiry) if expiry else None)


def lot_at_question(meaning: ScanMeaning) -> LotSeen:
    """The lot an inspector gave at a checklist's lot question: typed, or the item's GS1 code scanned.

    The one rule: a GS1 code gives its lot (AI 10) and expiry (AI 17); a GS1 code or a bare
    product code without a lot is refused (storing a GTIN as a lot would hide the real one);
    anything else is the lot as typed. Raises ``InvalidInput`` (bilingual) when there is no lot.
    """
    if meaning.kind is ScanKind.GS1 or meaning.kind is ScanKind.GTIN:
        seen = lot_of(meaning)
        if seen is None or not seen.lot:
            raise InvalidInput("This code carries no lot (10).",
                               next_step="Scan the code with the lot (10), or type the lot printed on the pack.",
                               zh=("此条码不含批号 (10)。", "请扫描带批号 (10) 的条码，或输入包装上印的批号。"))
        return seen
    if meaning.kind is ScanKind.REJECTED and meaning.details.get("expected") in (None, ScanKind.GTIN.value):
        raise InvalidInput(f"{meaning.reason}", next_step="Scan the code again, or type the lot printed on the pack.",
                           zh=("条码读取有误。", "请重新扫描，或输入包装上印的批号。"))
    lot = normalise_lot(meaning.text)
    if not lot:
        raise InvalidInput("No lot given.", next_step="Scan the code with the lot (10), or type the lot.",
                           zh=("没有批号。", "请扫描带批号 (10) 的条码，或输入批号。"))
    return LotSeen(lot)
