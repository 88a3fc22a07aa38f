"""The camera fake: synthetic warehouse scenes and MJPG videos a ``VideoCapture`` can open.

No camera exists on the build machines (PLATFORM.md), so tests and the benchmark film a
"dock" instead: a cluttered, unevenly lit bench with sensor noise and slight blur, a label
carrying a barcode (any warehouse format, sometimes turned 90 degrees) that drifts a few
pixels per frame like a hand-held parcel. ``write_video`` stores the frames as MJPG .avi,
which OpenCV writes here and reads back losslessly enough for every frame to decode.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import zxingcpp

log = logging.getLogger(__name__)

_CREATE = {
    "code128": zxingcpp.BarcodeFormat.Code128,
    "ean13": zxingcpp.BarcodeFormat.EAN13,
    "qrcode": zxingcpp.BarcodeFormat.QRCode,
    "datamatrix": zxingcpp.BarcodeFormat.DataMatrix,
    "pdf417": zxingcpp.BarcodeFormat.PDF417,
    "itf": zxingcpp.BarcodeFormat.ITF,
    "code39": zxingcpp.BarcodeFormat.Code39,
}
#: (format, text, module scale in pixels) for the scenes.
DEFAULT_CODES: tuple[tuple[str, str, int], ...] = (
    ("code128", "LP0010000004201", 3),
    ("qrcode", "RMA000012344", 6),
    ("ean13", "4006381333931", 3),
    ("datamatrix", "010950110153000310AB12\x1d21XYZ", 6),
    ("code128", "1Z999AA10123456784", 3),
    ("pdf417", "RMA000012344 LP0010000004201", 3),
)


@dataclass(frozen=True)
class SceneFrame:
    image: np.ndarray
    text: str
    format: str
    rotated: bool


def barcode_image(fmt: str, text: str, scale: int) -> np.ndarray:
    """A printed label: the symbol with a white quiet zone, as a grey array."""
    img = np.asarray(zxingcpp.create_barcode(text, _CREATE[fmt]).to_image(scale=scale))
    if img.ndim == 3:
        img = img[..., 0]
    q = 8 * scale
    return cv2.copyMakeBorder(img, q, q, q, q, cv2.BORDER_CONSTANT, value=255)


def _background(width: int, height: int, rng: np.random.Generator) -> np.ndarray:
    base = np.linspace(90, 170, width, dtype=np.float32)[None, :] + np.linspace(-20, 20, height, dtype=np.float32)[:, None]
    img = np.clip(base, 0, 255).astype(np.uint8)
    img = cv2.cvtColor(img, cv2.COLOR_GRAY2BGR)
    for _ in range(14):  # boxes, tape, paperwork
        x, y = int(rng.integers(0, width)), int(rng.integers(0, height))
        colour = tuple(int(c) for c in rng.integers(30, 230, 3))
        cv2.rectangle(img, (x, y), (x + int(rng.integers(40, 300)), y + int(rng.integers(20, 200))), colour, -1)
    for _ in range(10):
        x, y = int(rng.integers(0, width - 200)), int(rng.integers(20, height))
        cv2.putText(img, "RETURNS DOCK 3 FRAGILE", (x, y), cv2.FONT_HERSHEY_SIMPLEX, float(rng.uniform(0.4, 1.2)),
                    (20, 20, 20), 1, cv2.LINE_AA)
    return img


def scene_frames(
    width: int = 1280,
    height: int = 720,
    *,
    frames: int = 120,
    scene_length: int = 30,
    codes: Sequence[tuple[str, str, int]] = DEFAULT_CODES,
    seed: int = 0,
    noise: float = 4.0,
) -> Iterator[SceneFrame]:
    """Frames of hand-held labels: a new label (and orientation) every ``scene_length``."""
    rng = np.random.default_rng(seed)
    background = _background(width, height, rng)
    scene = -1
    label: np.ndarray = np.zeros((1, 1), np.uint8)
    fmt = text = ""
    rotated = False
    x = y = 0
    for i in range(frames):
        if i // scene_length != scene:
            scene = i // scene_length
            fmt, text, scale = codes[scene % len(codes)]
            rotated = scene % 2 == 1
            label = barcode_image(fmt, text, scale)
            if rotated:
                label = cv2.rotate(label, cv2.ROTATE_90_CLOCKWISE)
            x = int(rng.integers(0, max(1, width - label.shape[1])))
            y = int(rng.integers(0, max(1, height - label.shape[0])))
        x = int(np.clip(x + rng.integers(-3, 4), 0, width - label.shape[1]))
        y = int(np.clip(y + rng.integers(-3, 4), 0, height - label.shape[0]))
        frame: np.ndarray = background.copy()
        frame[y : y + label.shape[0], x : x + label.shape[1]] = label[..., None]
        frame = cv2.GaussianBlur(frame, (3, 3), 0.8)
        if noise:
            frame = cv2.add(frame, rng.normal(0, noise, frame.shape).astype(np.int8), dtype=cv2.CV_8U)
        yield SceneFrame(frame, text, fmt, rotated)


def write_video(path: str | Path, frames: Sequence[np.ndarray], fps: float = 30.0) -> Path:
    """Write BGR frames as an MJPG .avi (H.264 writing fails on these machines)."""
    path = Path(path)
    h, w = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), fps, (w, h))
    if not writer.isOpened():
        raise OSError(f"OpenCV cannot write an MJPG video at {path}")
    try:
        for frame in frames:
            writer.write(frame if frame.ndim == 3 else cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR))
    finally:
        writer.release()
    return path
