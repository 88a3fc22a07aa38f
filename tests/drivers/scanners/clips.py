"""Small composed dock clips for the camera-arrival tests (960x540, a few seconds each)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from drivers.scanners.fake_camera import (
    ArrivalClip,
    ParcelSpec,
    Sticker,
    compose_arrivals,
    printed_label,
    write_video,
)

W, H = 960, 540


def parcel(*stickers: Sticker, hold: int = 20, gap: int = 8) -> ParcelSpec:
    return ParcelSpec(stickers, enter=8, hold=hold, leave=8, gap=gap, size=0.8)


def label(text: str, fmt: str = "code128") -> Sticker:
    return printed_label(fmt, text, 4 if fmt in ("qrcode", "datamatrix") else 2)


def clip_file(path: Path, parcels: Sequence[ParcelSpec], *, seed: int = 0, shadows: int = 0,
              lead: int = 5) -> tuple[Path, ArrivalClip]:
    clip = compose_arrivals(parcels, W, H, seed=seed, lead=lead, shadows=shadows)
    return write_video(path, clip.frames), clip
