"""Fonts for labels and sheets: Helvetica for Latin text, a TrueType CJK font for Chinese.

reportlab embeds only TrueType-outline fonts; Debian's Noto CJK ships CFF outlines in a
.ttc that reportlab cannot read. WenQuanYi Micro Hei (``fonts-wqy-microhei``) is TrueType,
covers GB 2312/GBK and Latin, and reportlab subsets it into each PDF (only the glyphs used,
a few KB). ``RMA_STATION_CJK_FONT`` overrides the search (a .ttf, or ``path.ttc#index``).

For ZPL the same font is rasterised to a ``^GF`` graphic (see ``labels.zpl``), because a
stock Zebra has no Chinese font and downloading a 5 MB TrueType to each printer is fragile.
"""

from __future__ import annotations

import logging
import os
from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from labels.errors import LabelError

log = logging.getLogger(__name__)

REGULAR = "Helvetica"
BOLD = "Helvetica-Bold"
CJK = "RmaCJK"
CJK_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc#0",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc#0",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/arphic/uming.ttc#0",
)
ASCENT = 0.78
"""Share of the font size above the baseline used to place text lines (Helvetica: 0.718
cap height; 0.78 leaves room for accents and CJK ideographs, which sit higher)."""


def needs_cjk_font(text: str) -> bool:
    """Helvetica in PDF covers WinAnsi (Latin-1); anything beyond needs the CJK font."""
    return any(ord(ch) > 0xFF for ch in text)


@lru_cache(maxsize=1)
def cjk_font_file() -> tuple[str, int] | None:
    """The CJK TrueType font to use as (path, index in a collection), or None if none."""
    override = os.environ.get("RMA_STATION_CJK_FONT")
    for spec in ((override,) if override else ()) + CJK_CANDIDATES:
        path, _, index = spec.partition("#")
        if Path(path).is_file():
            return path, int(index or 0)
    return None


@lru_cache(maxsize=1)
def _register_cjk() -> str:
    found = cjk_font_file()
    if found is None:
        raise LabelError(
            "font",
            "Chinese text needs a CJK TrueType font and none is installed.",
            next_step="Install fonts-wqy-microhei or set RMA_STATION_CJK_FONT to a .ttf file.",
        )
    path, index = found
    pdfmetrics.registerFont(TTFont(CJK, path, subfontIndex=index))
    log.info("CJK font %s#%d registered for labels", path, index)
    return CJK


def font_for(text: str, *, bold: bool = False, field: str = "text") -> str:
    """The reportlab font name that can draw ``text``."""
    if needs_cjk_font(text):
        try:
            return _register_cjk()
        except LabelError as exc:
            raise LabelError(field, exc.message, next_step=exc.next_step) from None
    return BOLD if bold else REGULAR


def text_width(text: str, font: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, font, size)
