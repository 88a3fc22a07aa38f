"""Small composed dock clips for the camera-arrival tests (960x540, a few seconds each)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np

from drivers.scanners.fake_camera import (
    ArrivalClip,
    ParcelSpec,
    Sticker,
    compose_arrivals,
    printed_label,
    write_video,
)

W, H = 960, 540


def parcel(*stickers: Sticker, hold: int = 20, gap: int = 8, jitter: int = 0) -> ParcelSpec:
    return ParcelSpec(stickers, enter=8, hold=hold, leave=8, gap=gap, size=0.8, jitter=jitter)


def label(text: str, fmt: str = "code128") -> Sticker:
    return printed_label(fmt, text, 4 if fmt in ("qrcode", "datamatrix") else 2)


def blank_label(caption: str = "HANDLE WITH CARE") -> Sticker:
    """A paper label with words and no code (a handling sticker; or a return label printed
    without its barcode)."""
    paper = np.full((110, 340), 250, np.uint8)
    cv2.putText(paper, caption, (14, 64), cv2.FONT_HERSHEY_SIMPLEX, 0.9, 30, 2, cv2.LINE_AA)
    return Sticker(paper, "", "none")


def tiny_label(text: str) -> Sticker:
    """A Code 128 label whose bars are half a pixel wide in the frame: too fine for any reader
    (1-pixel bars are read since the bar patches are enlarged before they are turned)."""
    import cv2

    printed = printed_label("code128", text, 1)
    return Sticker(cv2.resize(printed.image, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA), text, "code128")


def clip_file(path: Path, parcels: Sequence[ParcelSpec], *, seed: int = 0, shadows: int = 0,
              lead: int = 5) -> tuple[Path, ArrivalClip]:
    clip = compose_arrivals(parcels, W, H, seed=seed, lead=lead, shadows=shadows)
    return write_video(path, clip.frames), clip
