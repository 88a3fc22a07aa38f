"""``rma-station decode`` against pictures that claim to be enormous (decompression bombs).

The size comes from the header before anything is decoded; a refused file is one JSON line,
the files after it are still decoded, and the command exits 1 at the end with one line on
stderr.
"""

from __future__ import annotations

import json
import struct
import zlib
from pathlib import Path

import cv2
import numpy as np
import pytest
import zxingcpp

from drivers.image_limits import MAX_PIXELS, ImageTooLarge, check_pixels, image_size
from ui.cli import main


def png_header_only(width: int, height: int, idat: bytes = b"") -> bytes:
    """A PNG whose IHDR claims ``width`` x ``height`` grey pixels, with whatever IDAT follows."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def white_png(width: int, height: int) -> bytes:
    """A real, complete white PNG of that size: a few hundred KB that decode to width*height bytes."""
    packer = zlib.compressobj(9)
    row = b"\0" + b"\xff" * width
    body = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    return png_header_only(width, height, body)


@pytest.fixture
def label_png(tmp_path: Path) -> Path:
    path = tmp_path / "label.png"
    image = np.asarray(zxingcpp.create_barcode("RMA000012344", zxingcpp.BarcodeFormat.QRCode).to_image(scale=6))
    cv2.imwrite(str(path), cv2.copyMakeBorder(image, 24, 24, 24, 24, cv2.BORDER_CONSTANT, value=255))
    return path


def test_bomb_is_refused_and_the_next_file_is_still_decoded(tmp_path: Path, label_png: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(png_header_only(65535, 65535, zlib.compress(b"\0" * 1000)))
    huge = tmp_path / "huge.png"
    huge.write_bytes(white_png(10_000, 10_000))
    assert main(["decode", str(bomb), str(huge), str(label_png)]) == 1
    out, err = capsys.readouterr()
    lines = [json.loads(line) for line in out.splitlines()]
    assert lines[0] == {"file": str(bomb), "error": f"{bomb}: the image claims more than 178 megapixels; "
                                                    "at most 64 are decoded"}
    assert lines[1] == {"file": str(huge), "error": f"{huge}: the image is 10000 x 10000 pixels (100 megapixels); "
                                                    "at most 64 megapixels are decoded"}
    assert lines[2]["results"] == [{"text": "RMA000012344", "format": "qrcode"}]
    assert err == "rma-station: 2 of 3 files could not be decoded (see their lines above).\n"


def test_header_is_read_without_decoding_the_pixels() -> None:
    data = white_png(12_000, 8_000)
    assert len(data) < 1_000_000
    assert image_size(data) == (12_000, 8_000)
    with pytest.raises(ImageTooLarge, match="12000 x 8000 pixels"):
        check_pixels(data)
    check_pixels(data, max_pixels=12_000 * 8_000)  # a caller may allow more


def test_ordinary_photos_and_unknown_formats_pass(tmp_path: Path) -> None:
    photo = tmp_path / "photo.jpg"
    cv2.imwrite(str(photo), np.zeros((3000, 4000, 3), np.uint8))  # a 12 MP phone photo
    check_pixels(photo)
    assert image_size(photo) == (4000, 3000)
    notes = tmp_path / "notes.png"
    notes.write_text("not a picture")
    assert image_size(notes) is None  # the decoder reports it as unreadable itself
    assert MAX_PIXELS >= 50_000_000
