"""How big a picture may be before anything decodes it: the pixel count from the header.

A PNG of a few kilobytes can claim 20000 x 20000 pixels; decoding it costs 1.2 GB of pixels
and seconds of CPU before a barcode reader even starts (2.5 GB and 8 s were measured in
``rma-station decode``). Pillow's ``Image.open`` reads only the header, so the size is known
for the price of a few hundred bytes, and a picture over the limit is refused before
OpenCV allocates anything. Decoding, the photo picker and the camera path share this one
check.
"""

from __future__ import annotations

import io
import logging
import warnings
from pathlib import Path

from PIL import Image, UnidentifiedImageError

log = logging.getLogger(__name__)

MAX_PIXELS = 64_000_000
"""64 megapixels: above an 8K frame (33 MP) and a 50 MP phone photo, far below a bomb."""


class ImageTooLarge(ValueError):
    """A picture whose header claims more pixels than the station will decode."""


def image_size(source: str | Path | bytes) -> tuple[int, int] | None:
    """(width, height) from the header, or None when Pillow does not know the format.

    Raises ``ImageTooLarge`` for a header so large that Pillow itself calls it a bomb.
    """
    stream = io.BytesIO(source) if isinstance(source, bytes) else Path(source)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(stream) as image:
                return image.size
    except Image.DecompressionBombError:
        raise ImageTooLarge(f"the image claims more than {2 * (Image.MAX_IMAGE_PIXELS or 0) // 1_000_000} "
                            f"megapixels; at most {MAX_PIXELS // 1_000_000} are decoded") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        # Not a format Pillow reads (or a damaged header): the decoder will say so itself.
        return None


def check_pixels(source: str | Path | bytes, max_pixels: int = MAX_PIXELS) -> None:
    """Refuse a picture over ``max_pixels`` (a decompression bomb or an absurd scan)."""
    size = image_size(source)
    if size is None:
        return
    width, height = size
    if width * height > max_pixels:
        raise ImageTooLarge(f"the image is {width} x {height} pixels ({width * height / 1e6:.0f} megapixels); "
                            f"at most {max_pixels // 1_000_000} megapixels are decoded")
