"""Chinese text on ZPL labels travels as a ``:Z64:`` graphic that a printer can check and
that renders to the same pixels as the text it came from."""

from __future__ import annotations

import base64
import binascii
import io
import re
import zlib

import zplkit
from PIL import Image

from labels.zpl import text_graphic

Z64 = re.compile(r"\^GFA,(\d+),(\d+),(\d+),:Z64:([A-Za-z0-9+/=]+):([0-9A-F]{4})\^FS")


def test_chinese_line_is_a_checksummed_z64_graphic_of_the_text() -> None:
    width, ascent, command = text_graphic("无线蓝牙耳机 降噪", 40)
    total, _, row_bytes, b64, crc = Z64.fullmatch(command).groups()
    assert int(crc, 16) == binascii.crc_hqx(b64.encode(), 0)
    raster = zlib.decompress(base64.b64decode(b64))
    assert len(raster) == int(total) and int(row_bytes) == (width + 7) // 8
    assert 0.05 < sum(bin(b).count("1") for b in raster) / (len(raster) * 8) < 0.6  # ink, not a blank


def test_printer_renderer_draws_the_graphic_where_the_label_puts_it() -> None:
    width, ascent, command = text_graphic("退货 RMA", 40)
    doc = zplkit.render(f"^XA^FO100,60{command}^XZ".encode(), zplkit.Options(dpi=203))
    assert doc.warnings == []
    page = Image.open(io.BytesIO(doc.labels[0].png())).convert("L")
    left, top, right, bottom = page.point(lambda v: 255 if v < 128 else 0).getbbox()
    assert 100 <= left < 100 + 10 and 60 <= top < 60 + ascent
    assert right <= 100 + width + 1
