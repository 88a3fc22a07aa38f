"""Customer photos sent with a request: base64 JPEG/PNG, checked before anything is stored.

A photo must really be a JPEG or PNG (Pillow reads its header and verifies the file), be
under the byte cap, and be under the pixel cap (a "PNG bomb" declares a huge canvas in a small
file; Pillow reads the declared size without decoding, so it is refused cheaply).
"""

from __future__ import annotations

import base64
import binascii
import io

from PIL import Image, UnidentifiedImageError

from station.core.errors import InvalidInput

MAX_PHOTO_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_PHOTOS = 6
_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png"}


def decode_photo(text: str, index: int) -> bytes:
    """The bytes of photo ``index`` (1-based) from base64, with or without a data: prefix."""
    if not isinstance(text, str) or not text:
        raise InvalidInput(f"photos[{index}] must be a base64 string.")
    if text.startswith("data:") and "," in text:
        text = text.split(",", 1)[1]
    if len(text) > MAX_PHOTO_BYTES * 4 // 3 + 8:
        raise InvalidInput(f"photos[{index}] is larger than {MAX_PHOTO_BYTES // (1024 * 1024)} MB.")
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput(f"photos[{index}] is not valid base64.") from None
    check_photo(data, f"photos[{index}]")
    return data


def check_photo(data: bytes, where: str = "the photo") -> str:
    """Refuse what is not a real JPEG/PNG within the caps; return its content type."""
    if not data:
        raise InvalidInput(f"{where} is empty.")
    if len(data) > MAX_PHOTO_BYTES:
        raise InvalidInput(f"{where} is larger than {MAX_PHOTO_BYTES // (1024 * 1024)} MB.")
    try:
        with Image.open(io.BytesIO(data)) as image:
            fmt = image.format or ""
            width, height = image.size
            if fmt not in _FORMATS:
                raise InvalidInput(f"{where} is a {fmt or 'unknown'} file; send a JPEG or PNG photo.")
            if width * height > MAX_PIXELS:
                raise InvalidInput(f"{where} is {width}x{height} pixels; at most {MAX_PIXELS:,} pixels.")
            image.verify()
    except InvalidInput:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise InvalidInput(f"{where} is not a JPEG or PNG picture.") from None
    return _FORMATS[fmt]
