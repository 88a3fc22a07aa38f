"""The camera fake: synthetic warehouse scenes and MJPG videos a ``VideoCapture`` can open.

No camera exists on the build machines (PLATFORM.md), so tests and the benchmark film a
"dock" instead: a cluttered, unevenly lit bench with sensor noise and slight blur, a label
carrying a barcode (any warehouse format, sometimes turned 90 degrees) that drifts a few
pixels per frame like a hand-held parcel. ``write_video`` stores the frames as MJPG .avi,
which OpenCV writes here and reads back losslessly enough for every frame to decode.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any
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


def write_video(path: str | Path, frames: Iterable[np.ndarray], fps: float = 30.0) -> Path:
    """Write BGR frames as an MJPG .avi (H.264 writing fails on these machines); ``frames``
    may be a generator (a long 1080p clip does not fit in memory)."""
    path = Path(path)
    frames = iter(frames)
    first = next(frames)
    h, w = first.shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), fps, (w, h))
    if not writer.isOpened():
        raise OSError(f"OpenCV cannot write an MJPG video at {path}")
    try:
        for frame in itertools.chain([first], frames):
            writer.write(frame if frame.ndim == 3 else cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR))
    finally:
        writer.release()
    return path


# --------------------------------------------------------------------------- arrivals
# A returns dock seen from above: parcels slide onto a table, stop, and are taken away.
# Each parcel is a cardboard box with labels stuck on at any angle: the station's return
# label (an RMA number), the carrier's label (a tracking number) and, optionally, photos of
# real barcodes from the shared corpus (product codes the customer left on the box).


@dataclass(frozen=True)
class CorpusPhoto:
    """One photo from the barcode corpus (``manifest.csv``): a real label as a camera saw it."""

    path: Path
    format: str
    text: str


def corpus_photos(corpus_dir: str | Path, *, kinds: Sequence[str] = ("photo",), formats: Sequence[str] = ()) -> list[CorpusPhoto]:
    """The corpus photos of ``kinds`` (and ``formats``, if named), in manifest order.

    Only photos of a single barcode whose text is known: a composed clip's truth must be
    exact, so frames of several barcodes ("more than one" in ``notes``) are left out.
    """
    import csv

    corpus_dir = Path(corpus_dir)
    out = []
    with open(corpus_dir / "manifest.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["kind"] not in kinds or (formats and row["format"] not in formats):
                continue
            if not row["expected_text"] or "more than one" in row.get("notes", "").lower():
                continue
            out.append(CorpusPhoto(corpus_dir / row["file"], row["format"], row["expected_text"]))
    return out


@dataclass(frozen=True)
class Sticker:
    """A label to stick on a box: grey pixels and the code it carries."""

    image: np.ndarray
    text: str
    format: str


def printed_label(fmt: str, text: str, scale: int, caption: str = "") -> Sticker:
    """A printed shipping label: the symbol, a caption line, on white paper."""
    code = barcode_image(fmt, text, scale)
    h, w = code.shape
    if fmt not in ("qrcode", "datamatrix", "pdf417", "aztec") and h > 0.3 * w + 16 * scale:
        keep = int(0.3 * w)  # bars as tall as a carrier label's, not as tall as they are wide
        top = (h - keep) // 2
        code = np.vstack([code[: 8 * scale], code[top : top + keep], code[-8 * scale :]])
        h = code.shape[0]
    paper = np.full((h + 28 + 4 * scale, w + 4 * scale), 250, np.uint8)
    paper[2 * scale : 2 * scale + h, 2 * scale : 2 * scale + w] = code
    cv2.putText(paper, caption or text, (4 * scale, h + 20 + 2 * scale), cv2.FONT_HERSHEY_SIMPLEX,
                0.6, 30, 1, cv2.LINE_AA)
    return Sticker(paper, text, fmt)


def photo_sticker(photo: CorpusPhoto, max_side: int = 480) -> Sticker:
    """A corpus photo as a sticker (shrunk only when larger than ``max_side``)."""
    img = cv2.imread(str(photo.path), cv2.IMREAD_GRAYSCALE)
    if img is None:
        raise OSError(f"cannot read corpus photo {photo.path}")
    if max(img.shape) > max_side:
        f = max_side / max(img.shape)
        img = cv2.resize(img, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
    return Sticker(img, photo.text, photo.format)


@dataclass(frozen=True)
class ParcelSpec:
    """One parcel of a clip: its stickers and its timing in frames."""

    stickers: Sequence[Sticker]
    enter: int = 12       # frames sliding in (moving, blurred)
    hold: int = 45        # frames at rest on the table
    leave: int = 12       # frames sliding out
    gap: int = 15         # empty-table frames after it
    size: float = 0.55    # box side as a fraction of the frame height
    jitter: int = 0       # px the box trembles by, every frame at rest (a hand that keeps holding it)
    angles: Sequence[float] = ()  # degrees (counter-clockwise) per sticker, in order; empty: random


@dataclass(frozen=True)
class ArrivalTruth:
    """What a clip holds, for tests and the benchmark: where parcel ``n`` is, frame by frame."""

    parcel: int
    first_frame: int     # first frame the box is in view
    settled_frame: int   # first frame it is at rest
    left_frame: int      # first frame it starts to leave
    codes: tuple[tuple[str, str], ...]  # (text, format) of every sticker on it


@dataclass
class ArrivalClip:
    frames: list[np.ndarray]
    truth: list[ArrivalTruth]
    settled_views: list[np.ndarray]  # one still per parcel, at rest (the figures' reference)


def _table(width: int, height: int, rng: np.random.Generator) -> np.ndarray:
    """A worn wooden dock table: grain streaks, a few stains, uneven light."""
    grain = rng.normal(0, 1, (height // 4 + 1, 8)).astype(np.float32)
    grain = cv2.resize(grain, (width, height), interpolation=cv2.INTER_CUBIC) * 9
    light = np.linspace(-18, 18, width, dtype=np.float32)[None, :] + np.linspace(-10, 10, height, dtype=np.float32)[:, None]
    base = np.clip(120 + grain + light, 0, 255)
    img = np.dstack([base * 0.75, base * 0.95, base * 1.15]).clip(0, 255).astype(np.uint8)
    for _ in range(6):
        c = (int(rng.integers(0, width)), int(rng.integers(0, height)))
        cv2.circle(img, c, int(rng.integers(10, 60)), tuple(int(v) for v in rng.integers(60, 120, 3)), -1, cv2.LINE_AA)
    return cv2.GaussianBlur(img, (5, 5), 1.5)


def _box(side: int, stickers: Sequence[Sticker], rng: np.random.Generator,
         angles: Sequence[float] = ()) -> tuple[np.ndarray, list[Sticker]]:
    """A cardboard box top (BGR) with ``stickers`` stuck on at random angles, not overlapping,
    and the stickers that found room."""
    w, h = int(side * rng.uniform(1.1, 1.4)), side
    fibre = cv2.resize(rng.normal(0, 1, (h // 3 + 1, w // 3 + 1)).astype(np.float32), (w, h)) * 6
    base = np.clip(165 + fibre, 0, 255)
    box = np.dstack([base * 0.62, base * 0.8, base]).clip(0, 255).astype(np.uint8)
    tape_y = int(h * rng.uniform(0.4, 0.6))
    cv2.rectangle(box, (0, tape_y - h // 20), (w, tape_y + h // 20), (150, 175, 190), -1)
    cv2.putText(box, "THIS SIDE UP", (w // 20, h - h // 12), cv2.FONT_HERSHEY_SIMPLEX, side / 500, (40, 40, 60), 2)
    taken = np.zeros((h, w), np.uint8)
    placed: list[Sticker] = []
    for k, st in enumerate(stickers):
        for _attempt in range(120):
            angle = float(rng.uniform(0, 360))
            if k < len(angles):
                angle = float(angles[k])  # drawn all the same: other clips stay as they were
            src = st.image
            long_side = max(src.shape)
            limit = 0.7 * min(w, h)
            f = min(1.0, limit / long_side)
            if f < 1.0:
                src = cv2.resize(src, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
            sh, sw = src.shape
            rot = cv2.getRotationMatrix2D((sw / 2, sh / 2), angle, 1.0)
            cos, sin = abs(rot[0, 0]), abs(rot[0, 1])
            bw, bh = int(sw * cos + sh * sin) + 2, int(sw * sin + sh * cos) + 2
            if bw >= w or bh >= h:
                continue
            rot[0, 2] += bw / 2 - sw / 2
            rot[1, 2] += bh / 2 - sh / 2
            x, y = int(rng.integers(0, w - bw)), int(rng.integers(0, h - bh))
            mask = cv2.warpAffine(np.full(src.shape, 255, np.uint8), rot, (bw, bh))
            if (taken[y : y + bh, x : x + bw] & mask).any():
                continue
            warped = cv2.warpAffine(src, rot, (bw, bh), flags=cv2.INTER_LINEAR)
            region = box[y : y + bh, x : x + bw]
            keep = mask[..., None] > 127
            region[:] = np.where(keep, cv2.cvtColor(warped, cv2.COLOR_GRAY2BGR), region)
            taken[y : y + bh, x : x + bw] |= mask
            placed.append(st)
            break
        else:
            log.debug("sticker %s did not fit on the box", st.text)
    return box, placed


def _motion_blur(img: np.ndarray, dx: float, dy: float) -> np.ndarray:
    """Blur along the motion of one frame's exposure (a moving parcel smears)."""
    length = int(max(abs(dx), abs(dy)))
    if length < 2:
        return img
    k = np.zeros((length, length), np.float32)
    c = (length - 1) / 2
    cv2.line(k, (int(c - dx / 2 * (length - 1) / length), int(c - dy / 2 * (length - 1) / length)),
             (int(c + dx / 2 * (length - 1) / length), int(c + dy / 2 * (length - 1) / length)), 1.0, 1)
    k /= max(k.sum(), 1.0)
    return cv2.filter2D(img, -1, k)


def _signed_noise(noise: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sensor noise as the two uint8 frames to add and to take away (a pixel's noise is one or
    the other), so adding it stays in uint8 (a mixed int16 add costs 50 ms a 4K frame)."""
    return np.clip(noise, 0, 255).astype(np.uint8), np.clip(-noise, 0, 255).astype(np.uint8)


def arrival_frames(
    parcels: Sequence[ParcelSpec],
    width: int = 1280,
    height: int = 720,
    *,
    seed: int = 0,
    lead: int = 10,
    noise: float = 3.0,
    exposure_drift: float = 0.08,
    shadows: int = 0,
    truth: list[ArrivalTruth] | None = None,
    views: list[np.ndarray] | None = None,
) -> Iterator[np.ndarray]:
    """Frames of ``parcels`` arriving one after another on an overhead-camera dock table.

    Each parcel slides in from a side (motion blur along its path), stops at a random spot
    for ``hold`` frames, slides out, and the table stays empty for ``gap`` frames. Sensor
    noise on every frame; auto-exposure drifts slowly and dips when a bright box enters;
    ``shadows`` moving shadows (a person walking by) cross the table throughout.
    """
    rng = np.random.default_rng(seed)
    table = _table(width, height, rng)
    truth = truth if truth is not None else []
    views = views if views is not None else []
    count = 0
    n_total = lead + sum(p.enter + p.hold + p.leave + p.gap for p in parcels)
    shadow_paths = [(rng.uniform(-0.3, 1.3), rng.uniform(0, 1), rng.uniform(-1, 1) * 6, rng.uniform(0.15, 0.35))
                    for _ in range(shadows)]
    phase = rng.uniform(0, 2 * np.pi)

    # Sensor noise from a small bank of noise frames (drawing fresh noise for every 1080p
    # frame costs more than the rest of the composition).
    bank = [_signed_noise(rng.normal(0, noise, (height, width, 3)).astype(np.int16)) for _ in range(5)] if noise else []

    def finish(scene: np.ndarray, i: int, gain: float) -> np.ndarray:
        img = scene
        for x0, y0, vx, r in shadow_paths:
            cx = ((x0 + vx * i / max(1, n_total)) % 1.6 - 0.3) * width
            shadow = np.zeros((height // 8, width // 8), np.float32)
            cv2.circle(shadow, (int(cx / 8), int(y0 * height / 8)), int(r * height / 8), 1.0, -1)
            shadow = cv2.resize(cv2.GaussianBlur(shadow, (0, 0), 6), (width, height), interpolation=cv2.INTER_LINEAR)
            # Channel by channel: the same products as one 3-channel multiply, without building
            # a 3-channel float copy of the shadow (100 MB a 4K frame).
            light = 1 - 0.35 * shadow
            img = cv2.merge([cv2.multiply(c, light, dtype=cv2.CV_8U) for c in cv2.split(img)])
        img = cv2.convertScaleAbs(img, alpha=gain)
        if bank:
            brighter, darker = bank[i % len(bank)]
            img = cv2.subtract(cv2.add(img, brighter), darker)  # == img + noise, saturated, in uint8 only
        return img

    for _ in range(lead):
        i = count
        count += 1
        yield finish(table, i, 1.0 + exposure_drift * np.sin(phase + i / 40))
    for n, spec in enumerate(parcels, start=1):
        box, placed = _box(int(height * spec.size), spec.stickers, rng, spec.angles)
        bh, bw = box.shape[:2]
        rest = (int(rng.integers(0, max(1, width - bw))), int(rng.integers(0, max(1, height - bh))))
        side = int(rng.integers(0, 4))
        far = {0: (-bw - 10, rest[1]), 1: (width + 10, rest[1]), 2: (rest[0], -bh - 10), 3: (rest[0], height + 10)}[side]
        out = {0: (width + 10, rest[1]), 1: (-bw - 10, rest[1]), 2: (rest[0], height + 10), 3: (rest[0], -bh - 10)}[side]
        path: list[tuple[float, float, bool]] = []
        for k in range(1, spec.enter + 1):
            t = 1 - (1 - k / spec.enter) ** 2  # slows down as it lands
            path.append((far[0] + (rest[0] - far[0]) * t, far[1] + (rest[1] - far[1]) * t, k < spec.enter))
        if spec.jitter:  # side to side every frame (never two frames alike), up and down at random
            path += [(rest[0] + (spec.jitter if k % 2 else -spec.jitter),
                      rest[1] + int(rng.integers(-spec.jitter, spec.jitter + 1)), False) for k in range(spec.hold)]
        else:
            path += [(rest[0], rest[1], False)] * spec.hold
        for k in range(1, spec.leave + 1):
            t = (k / spec.leave) ** 2
            path.append((rest[0] + (out[0] - rest[0]) * t, rest[1] + (out[1] - rest[1]) * t, True))
        first = count
        px, py = path[0][0], path[0][1]
        for k, (x, y, moving) in enumerate(path):
            i = count
            scene = table.copy()
            sprite = _motion_blur(box, x - px, y - py) if moving else box
            _paste(scene, sprite, int(x), int(y))
            px, py = x, y
            # Auto exposure: the bright box in view pulls the gain down over ~10 frames.
            settle = min(1.0, k / 10)
            gain = 1.0 + exposure_drift * np.sin(phase + i / 40) - 0.06 * settle
            frame = finish(scene, i, gain)
            count += 1
            if k == spec.enter:
                views.append(frame)
            yield frame
        truth.append(ArrivalTruth(n, first, first + spec.enter, first + spec.enter + spec.hold,
                                  tuple((s.text, s.format) for s in placed)))
        for _ in range(spec.gap):
            i = count
            count += 1
            yield finish(table, i, 1.0 + exposure_drift * np.sin(phase + i / 40))


def compose_arrivals(
    parcels: Sequence[ParcelSpec],
    width: int = 1280,
    height: int = 720,
    **options: Any,
) -> ArrivalClip:
    """``arrival_frames`` collected into a clip (small clips; stream long ones to a file)."""
    truth: list[ArrivalTruth] = []
    views: list[np.ndarray] = []
    frames = list(arrival_frames(parcels, width, height, truth=truth, views=views, **options))
    return ArrivalClip(frames, truth, views)


def _paste(scene: np.ndarray, sprite: np.ndarray, x: int, y: int) -> None:
    """Paste ``sprite`` at (x, y), clipped to the scene."""
    h, w = scene.shape[:2]
    sh, sw = sprite.shape[:2]
    x0, y0, x1, y1 = max(0, x), max(0, y), min(w, x + sw), min(h, y + sh)
    if x0 < x1 and y0 < y1:
        scene[y0:y1, x0:x1] = sprite[y0 - y : y1 - y, x0 - x : x1 - x]


def dock_parcels(
    rma_numbers: Sequence[str],
    *,
    corpus: Sequence[CorpusPhoto] = (),
    seed: int = 0,
    codes_per_box: int = 3,
    hold: int = 45,
    gap: int = 15,
    box_size: tuple[float, float] = (0.5, 0.7),
    label_scale: float = 1.0,
) -> tuple[list[ParcelSpec], list[dict[str, str]]]:
    """A parcel per RMA number (drivers import nothing from station/: the caller makes them), and what each one is (RMA, tracking).

    Every box carries a return label (the RMA number as Code 128 or QR) and a carrier label
    (an SF Express tracking number, Code 128); with ``codes_per_box`` > 2 it also carries
    photos of real product barcodes from ``corpus``. A parcel may be missing its return
    label (every fourth one) so the tracking number must identify it. ``box_size`` is the
    box's side as a fraction of the frame height (a camera mounted higher sees smaller boxes);
    ``label_scale`` multiplies the printed labels' module size and the photos' size (a sharper
    camera sees more pixels per bar).
    """
    def scaled(lo: int, hi: int) -> int:
        return max(1, int(round(int(rng.integers(lo, hi)) * label_scale)))

    rng = np.random.default_rng(seed)
    specs, facts = [], []
    for n, rma in enumerate(rma_numbers):
        tracking = f"SF{rng.integers(10**11, 10**12)}"
        stickers: list[Sticker] = []
        if n % 4 != 3:
            if n % 2:
                stickers.append(printed_label("qrcode", rma, scaled(4, 7), caption="RETURN " + rma))
            else:
                stickers.append(printed_label("code128", rma, scaled(2, 4), caption="RETURN " + rma))
        stickers.append(printed_label("code128", tracking, scaled(2, 4), caption="SF EXPRESS"))
        for _ in range(max(0, codes_per_box - len(stickers))):
            if corpus:
                stickers.append(photo_sticker(corpus[int(rng.integers(0, len(corpus)))], max_side=scaled(260, 420)))
        specs.append(ParcelSpec(stickers, hold=hold, gap=gap, size=float(rng.uniform(*box_size))))
        facts.append({"rma": rma, "tracking": tracking, "has_rma_label": str(n % 4 != 3)})
    return specs, facts


@dataclass(frozen=True)
class Mount:
    """How an overhead dock camera sees the bench at one resolution.

    Higher-resolution cameras are mounted higher to cover a whole bench, so a box fills less
    of the frame and its labels are small relative to it; they still get a few more pixels
    per bar than a 720p camera close over a small table.
    """

    width: int
    height: int
    box_size: tuple[float, float]  # box side as a fraction of the frame height
    label_scale: float              # printed module size and photo size, relative to 720p


#: The clips of issue 25: the same parcels filmed by a 720p camera close over the table, a
#: 1080p camera higher up (boxes about 60 % of the 720p size in the frame), a 4K one higher still.
MOUNTS: dict[str, Mount] = {
    "720p": Mount(1280, 720, (0.5, 0.7), 1.0),
    "1080p": Mount(1920, 1080, (0.3, 0.42), 1.0),
    "4k": Mount(3840, 2160, (0.22, 0.3), 1.5),
}


def mounted_parcels(
    mount: Mount,
    rma_numbers: Sequence[str],
    *,
    corpus: Sequence[CorpusPhoto] = (),
    seed: int = 0,
    hold: int = 30,
    gap: int = 6,
) -> tuple[list[ParcelSpec], list[dict[str, str]]]:
    """``dock_parcels`` as ``mount``'s camera sees them (box size and label scale)."""
    return dock_parcels(rma_numbers, corpus=corpus, seed=seed, hold=hold, gap=gap,
                        box_size=mount.box_size, label_scale=mount.label_scale)
