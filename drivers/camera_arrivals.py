"""Parcels under an overhead camera: when one arrives, settles and leaves, and every code on it.

The dock camera looks down at an empty table most of the time. Decoding every frame would
spend a core reading wood grain, and the per-frame decoder (``frame_decoder``) reports the
same label 300 times while a parcel sits there. So the stream is watched cheaply and read
only when something new is at rest:

* **Presence.** Each frame is shrunk to ~``WATCH_SIDE`` px, log-transformed and compared
  with a model of the empty table. Auto exposure and passing shadows change brightness
  smoothly and multiplicatively; a box brings edges and print. So the log difference is
  high-passed (the frame's own blur subtracted) before thresholding: a shadow leaves almost
  nothing, a parcel's outline and labels stay. The table model follows the empty table
  (slowly) so drift and lighting changes are absorbed; it never learns while a parcel is in
  view.
* **Settling.** The parcel has settled when consecutive shrunk frames stop changing for
  ``settle_frames`` frames. It is one arrival until the table is empty again, however long
  it stays and however often the clerk nudges it (a nudge re-reads, into the same arrival).
  The next parcel is a new arrival even if it looks exactly alike: the table was empty
  between them.
* **Every code in the settled view** (``ParcelReader``): one zxing-cpp pass over a copy
  shrunk to ``fast_side`` (2D codes and large linear ones, any angle), then the bar-like
  patches (structure tensor: strong, coherent, dense gradients) that no code found yet
  covers are cut out of the full-resolution frame, turned so their bars stand upright, and
  read as linear codes. Small and slanted linear codes are what the shrunk pass loses; this
  finds them at a fraction of a full-resolution read with ``try_rotate``. The still view is
  read on three consecutive frames (sensor noise differs); the second read adds a
  full-resolution pass for 2D formats only (small QR/DataMatrix) and reads each unread bar
  patch again enlarged 2x (fine bars at an odd angle). Then nothing is decoded
  until the parcel moves or leaves.

Every threshold above is a field of ``WatchSettings`` (``drivers/arrival_settings.py``, with
its unit and range). Each ``Arrival`` also keeps how still the parcel was and what each read
found, so ``decode-video --explain`` can say why a parcel was not identified.

Pure numpy/OpenCV/zxing-cpp: no Qt, no station import (the UI and the CLI feed frames).
"""

from __future__ import annotations

import enum
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import cv2
import numpy as np

from drivers.arrival_settings import WatchSettings
from drivers.scanners.decoding import WAREHOUSE_FORMATS, Decoded, read_zxing, to_gray, zxing_formats
from drivers.scanners.video_frames import Frame, as_frame

log = logging.getLogger(__name__)

#: Long side of the copy presence and motion are judged on (the default; ``WatchSettings.watch_side``).
WATCH_SIDE = WatchSettings.watch_side
_LINEAR = ("code128", "code39", "code93", "itf", "codabar", "ean13", "ean8", "upca", "upce", "databar", "databarexp")


class TableState(enum.Enum):
    EMPTY = "empty"          # waiting for a parcel
    MOVING = "moving"        # a parcel is in view and moving (arriving, nudged)
    SETTLED = "settled"      # at rest and read


@dataclass
class Arrival:
    """One parcel's stay on the table: frame numbers and the codes read on it (first read wins)."""

    number: int
    first_frame: int
    settled_frame: int | None = None
    read_frame: int | None = None
    left_frame: int | None = None
    codes: list[tuple[Decoded, int]] = field(default_factory=list)  # (code, frame it was read in)
    # Why it was (not) read, for ``decode-video --explain``: frames judged while in view, the
    # longest run of still frames, the lowest motion seen (fraction of the watched area
    # changed since the frame before), and how many codes each read of the still view found.
    frames_watched: int = 0
    longest_still: int = 0
    stillest: float | None = None
    codes_per_read: list[int] = field(default_factory=list)

    def texts(self) -> list[str]:
        return [d.text for d, _ in self.codes]

    def watched(self, motion: float, still_run: int) -> None:
        """Note one frame judged while the parcel is in view (the watcher calls it)."""
        self.frames_watched += 1
        self.longest_still = max(self.longest_still, still_run)
        self.stillest = motion if self.stillest is None else min(self.stillest, motion)


@dataclass(frozen=True)
class Event:
    """What changed on this frame: ``kind`` is arrived, settled, read, left."""

    kind: str
    arrival: Arrival
    new_codes: tuple[Decoded, ...] = ()


class ArrivalWatcher:
    """Feed it frames in order (``feed``); it says when a parcel arrives, is read and leaves.

    ``region`` (x, y, w, h as fractions of the frame) limits the watch and the read to part
    of the table. ``settings`` holds every threshold (``drivers.arrival_settings``); the
    keyword thresholds, when given, override its fields (``presence_fraction=0.004`` is
    ``presence_percent=0.4``). Not thread-safe: one watcher per camera, in the thread that grabs.
    """

    def __init__(
        self,
        formats: Sequence[str] = WAREHOUSE_FORMATS,
        *,
        region: tuple[float, float, float, float] | None = None,
        settings: WatchSettings = WatchSettings(),
        presence_fraction: float | None = None,
        motion_fraction: float | None = None,
        settle_frames: int | None = None,
        empty_frames: int | None = None,
        fast_side: int | None = None,
        reads: int | None = None,
    ) -> None:
        settings = settings.with_changes(
            presence_percent=None if presence_fraction is None else presence_fraction * 100,
            motion_percent=None if motion_fraction is None else motion_fraction * 100,
            settle_frames=settle_frames, empty_frames=empty_frames, fast_side=fast_side, reads=reads)
        self.settings = settings
        self.formats = tuple(formats)
        self.region = region
        self.presence_fraction = settings.presence_percent / 100
        self.motion_fraction = settings.motion_percent / 100
        self.settle_frames = settings.settle_frames
        self.empty_frames = settings.empty_frames
        self.reader = ParcelReader(formats, fast_side=settings.fast_side)
        self.reads = settings.reads
        self._reads_done = 0
        self._retries_done = 0
        self._since_read = 0
        self._satisfied = False
        self.state = TableState.EMPTY
        self.arrival: Arrival | None = None
        self.arrivals = 0
        self.frame_no = -1
        self._table: np.ndarray | None = None
        self._last: np.ndarray | None = None
        self._present_run = 0
        self._absent_run = 0
        self._still_run = 0
        self.last_presence = 0.0
        self.last_motion = 0.0
        #: Frames whose picture could not be decoded (skipped; see ``_unreadable``).
        self.unreadable_frames = 0

    def feed(self, frame: np.ndarray | Frame) -> list[Event]:
        """Judge one frame; decode it in full only when a parcel has just come to rest.

        ``frame`` is an array (BGR or grey) or a ``Frame`` from ``VideoFrames``, which
        decodes a compressed picture only as far as it is asked: a small grey copy for every
        frame, the full picture for the few that are read.
        """
        self.frame_no += 1
        picture = as_frame(frame)
        side = self.settings.watch_side
        try:
            if self.region is None:
                seen = picture.small_gray(side)
            else:
                seen = _crop(picture.small_gray(int(side / min(self.region[2], self.region[3])) + 1), self.region)
        except ValueError as exc:
            return self._unreadable(exc)  # as if the frame never came: the next one is judged
        small = _watch_copy(seen, side)
        if self._table is None:
            self._table = small.copy()
            self._last = small
            return []
        presence = _foreign(small, self._table, self.settings.difference)
        motion = _foreign(small, self._last, self.settings.difference) if self._last is not None else 0.0
        self._last = small
        self.last_presence, self.last_motion = presence, motion
        present = presence >= self.presence_fraction
        events: list[Event] = []
        if self.state is TableState.EMPTY:
            if present:
                self._present_run += 1
                if self._present_run >= self.settings.present_frames:
                    self.arrivals += 1
                    self.arrival = Arrival(self.arrivals, self.frame_no - self._present_run + 1)
                    self._satisfied = False
                    self.state = TableState.MOVING
                    self._still_run = 0
                    self._absent_run = 0
                    events.append(Event("arrived", self.arrival))
            else:
                self._present_run = 0
                cv2.accumulateWeighted(small, self._table, self.settings.table_learning)
            return events
        assert self.arrival is not None
        if not present:
            self._absent_run += 1
            if self._absent_run >= self.empty_frames:
                self.arrival.left_frame = self.frame_no - self.empty_frames + 1
                events.append(Event("left", self.arrival))
                self.arrival = None
                self.state = TableState.EMPTY
                self._present_run = 0
                self._table = small.copy()
            return events
        self._absent_run = 0
        if motion >= self.motion_fraction:
            self._still_run = 0
            self.arrival.watched(motion, 0)
            if self.state is TableState.SETTLED:
                self.state = TableState.MOVING  # nudged: read again when it rests, same arrival
            return events
        self._still_run += 1
        self.arrival.watched(motion, self._still_run)
        if self.state is TableState.MOVING and self._still_run >= self.settle_frames:
            self.state = TableState.SETTLED
            self._reads_done = self._retries_done = 0
            if self.arrival.settled_frame is None:
                self.arrival.settled_frame = self.frame_no - self.settle_frames + 1
                events.append(Event("settled", self.arrival))
        if self.state is TableState.SETTLED and self._wants_read():
            # A few reads of the still view (each frame's noise differs), a few more while bars
            # are left unread and nobody has said the parcel is identified; then nothing until
            # the parcel moves or leaves: "decode only what is new".
            if self._reads_done < self.reads:
                self._reads_done += 1
            else:
                self._retries_done += 1
            self._since_read = 0
            try:
                gray = picture.gray() if self.region is None else _crop(picture.gray(), self.region)
            except ValueError as exc:
                return events + self._unreadable(exc)
            found = self.reader.read(gray, thorough=self._reads_done == 2 or self._retries_done > 0)
            if self.region is not None:
                found = [_shift(d, self._region_offset(picture)) for d in found]
            self.arrival.codes_per_read.append(len(found))
            known = set(self.arrival.texts())
            new = tuple(d for d in found if d.text not in known)
            self.arrival.codes += [(d, self.frame_no) for d in new]
            if self.arrival.read_frame is None:
                self.arrival.read_frame = self.frame_no
                events.append(Event("read", self.arrival, new))
            elif new:
                events.append(Event("read", self.arrival, new))
        return events

    def _unreadable(self, exc: ValueError) -> list[Event]:
        """A picture the camera sent damaged (a truncated or corrupt JPEG): counted, logged,
        and otherwise ignored, so one bad frame neither ends the watch nor loses a parcel."""
        self.unreadable_frames += 1
        log.warning("camera frame %d skipped: %s", self.frame_no, exc)
        return []

    def stop_reading(self) -> None:
        """The caller has what it needs of the parcel in view (it is identified): no further
        reads while it rests. A nudge or the next parcel is read as usual."""
        self._satisfied = True

    def _wants_read(self) -> bool:
        """Read this still frame? The first ``reads`` frames of a rest always; then every
        ``retry_every`` frames, up to ``retries`` more, while bar patches are left unread and
        the caller has not stopped the reading."""
        self._since_read += 1
        if self._reads_done < self.reads:
            return True
        return (not self._satisfied and self.reader.unread > 0
                and self._retries_done < self.settings.retries
                and self._since_read >= self.settings.retry_every)

    def finish(self) -> list[Event]:
        """End of the stream: a parcel still in view leaves with it."""
        if self.arrival is None:
            return []
        self.arrival.left_frame = self.frame_no + 1
        event = Event("left", self.arrival)
        self.arrival = None
        self.state = TableState.EMPTY
        return [event]

    def _region_offset(self, picture: Frame) -> tuple[int, int]:
        assert self.region is not None
        return int(self.region[0] * picture.width), int(self.region[1] * picture.height)


def _crop(gray: np.ndarray, region: tuple[float, float, float, float]) -> np.ndarray:
    h, w = gray.shape[:2]
    x, y, rw, rh = region
    x0, y0 = int(x * w), int(y * h)
    return gray[y0 : max(y0 + 8, int((y + rh) * h)), x0 : max(x0 + 8, int((x + rw) * w))]


def _shift(d: Decoded, offset: tuple[int, int]) -> Decoded:
    quad = tuple((x + offset[0], y + offset[1]) for x, y in d.quad)
    return Decoded(d.text, d.format, d.aim, quad, d.via)


def _watch_copy(gray: np.ndarray, side: int = WATCH_SIDE) -> np.ndarray:
    """Shrunk, log brightness, high-passed: lighting changes gone, outlines and print kept."""
    f = side / max(gray.shape[:2])
    small = (gray if f == 1.0 else cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)).astype(np.float32)
    logged = np.log1p(small)
    return logged - cv2.GaussianBlur(logged, (0, 0), 3)


def _foreign(a: np.ndarray, b: np.ndarray, threshold: float = WatchSettings.difference) -> float:
    """Fraction of pixels where two watch copies differ by more than noise and shading."""
    return float(np.count_nonzero(cv2.absdiff(a, b) > threshold)) / a.size


# --------------------------------------------------------------------------- reading


class ParcelReader:
    """Every code in a still view of a parcel: a shrunk pass, then upright crops of bar patches."""

    def __init__(self, formats: Sequence[str] = WAREHOUSE_FORMATS, *, fast_side: int = 1280,
                 max_patches: int = 12) -> None:
        self._all = zxing_formats(formats)
        self._linear = zxing_formats([f for f in formats if f in _LINEAR])
        self._matrix = zxing_formats([f for f in formats if f not in _LINEAR])
        self.fast_side = fast_side
        self.max_patches = max_patches
        #: Bar patches the last ``read`` left without a code: labels seen but not (yet) read.
        self.unread = 0

    def read(self, frame: np.ndarray, *, thorough: bool = False) -> list[Decoded]:
        """Every code in ``frame``; ``thorough`` adds a full-resolution pass for 2D codes
        too small for the shrunk copy (the watcher asks for it once per arrival)."""
        gray = to_gray(frame)
        h, w = gray.shape[:2]
        factor = min(1.0, self.fast_side / max(h, w))
        small = gray if factor == 1.0 else cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
        found = read_zxing(small, self._all, via="zxing:fast", scale=factor,
                           try_rotate=True, try_invert=False, try_downscale=False)
        if thorough and factor < 1.0 and self._matrix:
            found += read_zxing(gray, self._matrix, via="zxing:full-2d", try_rotate=False, try_invert=False,
                                try_downscale=False)
        self.unread = 0
        if self._linear:
            for patch in bar_patches(small, max_patches=self.max_patches):
                centre = (patch[0][0] / factor, patch[0][1] / factor)
                if not _looks_like_a_code(patch) or any(_inside(centre, d.quad) for d in found):
                    continue  # an edge (tape, a label's border), or a code already read
                read = _read_patch(gray, patch, factor, self._linear)
                self.unread += not read
                found += read
        return _unique(found)


#: Bar directions the patch finder tells apart (degrees of the bars' gradient, modulo 180):
#: two labels side by side at different angles, or a label across a box's tape, are one blob
#: of bar-like texture; cut by direction they are separate patches, each turned its own way.
_DIRECTIONS = (0.0, 45.0, 90.0, 135.0)
#: A pixel counts for every direction within this many degrees of its own (bins overlap, so
#: a label at 22 degrees is whole in two bins rather than split between them).
_DIRECTION_SPAN = 35.0


def bar_patches(gray: np.ndarray, *, max_patches: int = 12, side: int = 480) -> list[tuple[tuple[float, float], tuple[float, float], float]]:
    """Rotated rectangles ((cx, cy), (w, h), angle) in ``gray``'s pixels around bar-like texture.

    ``angle`` is the bars' gradient direction in degrees; the largest patches come first.
    Texture is grouped by direction first (``_DIRECTIONS``), so labels turned differently are
    not merged into one patch; a label that falls in two overlapping bins gives two patches
    over the same code, and the reader skips the second once the first is read.
    """
    f = min(1.0, side / max(gray.shape[:2]))
    g = gray if f == 1.0 else cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
    g = g.astype(np.float32)
    gx = cv2.Sobel(g, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(g, cv2.CV_32F, 0, 1, ksize=3)
    win = (7, 7)
    jxx = cv2.boxFilter(gx * gx, -1, win)
    jyy = cv2.boxFilter(gy * gy, -1, win)
    jxy = cv2.boxFilter(gx * gy, -1, win)
    energy = jxx + jyy
    coherence = np.sqrt((jxx - jyy) ** 2 + 4 * jxy**2) / (energy + 1e-3)
    magnitude = cv2.magnitude(gx, gy)
    density = cv2.boxFilter(magnitude, -1, win) / (cv2.dilate(magnitude, np.ones(win, np.uint8)) + 1e-3)
    bars = (coherence > 0.6) & (energy > 8000) & (density > 0.25)
    direction = np.degrees(0.5 * np.arctan2(2 * jxy, jxx - jyy)) % 180.0
    candidates: list[tuple[int, tuple[tuple[float, float], tuple[float, float], float]]] = []
    for centre in _DIRECTIONS:
        off = np.abs((direction - centre + 90.0) % 180.0 - 90.0)
        mask = (bars & (off <= _DIRECTION_SPAN)).astype(np.uint8)
        mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((5, 5), np.uint8))  # lone edges out
        mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((7, 7), np.uint8))  # one code, one patch
        n, labels, stats, _ = cv2.connectedComponentsWithStats(mask)
        for i in range(1, n):
            area = int(stats[i, cv2.CC_STAT_AREA])
            if area < 60:
                continue
            ys, xs = np.nonzero(labels == i)
            sxx, syy, sxy = float(jxx[ys, xs].sum()), float(jyy[ys, xs].sum()), float(jxy[ys, xs].sum())
            angle = 0.5 * math.degrees(math.atan2(2 * sxy, sxx - syy))  # gradient direction
            (cx, cy), (w, h), _ = cv2.minAreaRect(np.column_stack([xs, ys]).astype(np.float32))
            candidates.append((area, ((cx / f, cy / f), (w / f, h / f), angle)))
    candidates.sort(key=lambda c: -c[0])
    kept: list[tuple[tuple[float, float], tuple[float, float], float]] = []
    for _area, patch in candidates:
        if not any(_same_patch(patch, other) for other in kept):
            kept.append(patch)
        if len(kept) == max_patches:
            break
    return kept


def _same_patch(a: tuple[tuple[float, float], tuple[float, float], float],
                b: tuple[tuple[float, float], tuple[float, float], float]) -> bool:
    """Two overlapping direction bins found the same label: centres close, directions close."""
    (ax, ay), (aw, ah), aa = a
    (bx, by), (bw, bh), ba = b
    near = math.hypot(ax - bx, ay - by) <= 0.5 * min(max(aw, ah), max(bw, bh))
    turn = abs((aa - ba + 90.0) % 180.0 - 90.0)
    return near and turn <= 2 * _DIRECTION_SPAN - 45.0 + 10.0


def _read_patch(gray: np.ndarray, patch: tuple[tuple[float, float], tuple[float, float], float],
                factor: float, formats: list, *, upscale: bool = True) -> list[Decoded]:
    """Cut the patch out of the full-resolution frame with a quiet-zone margin, bars upright.

    The bars' direction is measured again on the full-resolution crop (``bar_angle``): the
    patch finder's angle comes from a copy where 1.5 px bars are below a pixel and a box's
    tape edge can outweigh them. When the crop turned upright reads nothing, it is enlarged
    2x *before* it is turned: turning bars of 1.5-2 px by an odd angle blurs neighbours
    together, and no enlargement afterwards brings them back (this lost small carrier labels
    at 1080p). Last, zxing-cpp reads the crop as it is (it tolerates a tilt of a few degrees
    in its own scan lines). ``upscale`` False skips the enlargement (cheaper, for a first look).
    """
    (cx, cy), (w, h), _angle = patch
    cx, cy = cx / factor, cy / factor
    half = 0.5 * max(w, h) / factor * 1.5 + 16
    H, W = gray.shape[:2]
    x0, y0 = int(max(0, cx - half)), int(max(0, cy - half))
    x1, y1 = int(min(W, cx + half)), int(min(H, cy + half))
    crop = gray[y0:y1, x0:x1]
    if crop.size == 0 or min(crop.shape) < 8:
        return []
    angle = bar_angle(crop)
    attempts = [1.0, 2.0] if upscale and max(crop.shape) <= 900 else [1.0]
    for enlarge in attempts:
        work = crop if enlarge == 1.0 else cv2.resize(crop, None, fx=enlarge, fy=enlarge, interpolation=cv2.INTER_CUBIC)
        ch, cw = work.shape
        # Turn the gradient direction onto the x axis: bars upright, rows cross every bar.
        rot = cv2.getRotationMatrix2D((cw / 2, ch / 2), angle, 1.0)
        upright = cv2.warpAffine(work, rot, (cw, ch), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        found = read_zxing(upright, formats, via="zxing:patch" if enlarge == 1.0 else "zxing:patch-up2",
                           try_rotate=False, try_invert=False, try_downscale=enlarge == 1.0)
        if found:
            found = [_with_bar_height(upright, d) for d in found]
            return _placed(found, cv2.invertAffineTransform(rot), enlarge, (x0, y0))
    found = read_zxing(work, formats, via="zxing:patch-as-is", try_rotate=True, try_invert=False, try_downscale=False)
    return _placed(found, np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]), enlarge, (x0, y0))


def _with_bar_height(upright: np.ndarray, code: Decoded) -> Decoded:
    """A linear code read on a few scan lines has a flat quad (a line across its bars); give it
    the bars' height, so the preview outlines the code rather than underlines it.

    In the upright crop the bars are vertical: rows above and below the scan line still
    crossing many bar edges within the code's span belong to it.
    """
    xs = [x for x, _ in code.quad]
    ys = [y for _, y in code.quad]
    if len(code.quad) < 4 or max(ys) - min(ys) > 0.25 * (max(xs) - min(xs)):
        return code  # already as tall as a bar code is
    x0, x1 = max(0, int(min(xs))), min(upright.shape[1], int(max(xs)) + 1)
    row = int(round(sum(ys) / len(ys)))
    if x1 - x0 < 8 or not 0 <= row < upright.shape[0]:
        return code
    edges = np.abs(np.diff(upright[:, x0:x1].astype(np.int16), axis=1)) > 40
    counts = edges.sum(axis=1)
    enough = counts >= 0.5 * counts[row] if counts[row] else counts > 0
    top = bottom = row
    while top > 0 and enough[top - 1]:
        top -= 1
    while bottom < len(enough) - 1 and enough[bottom + 1]:
        bottom += 1
    quad = ((x0, top), (x1, top), (x1, bottom), (x0, bottom))
    return Decoded(code.text, code.format, code.aim, quad, code.via)


def _placed(found: list[Decoded], back: np.ndarray, enlarge: float, origin: tuple[int, int]) -> list[Decoded]:
    """Codes read on a turned, enlarged crop, with their corners in the frame's pixels."""
    out = []
    for d in found:
        quad = tuple((int((back[0, 0] * x + back[0, 1] * y + back[0, 2]) / enlarge) + origin[0],
                      int((back[1, 0] * x + back[1, 1] * y + back[1, 2]) / enlarge) + origin[1]) for x, y in d.quad)
        out.append(Decoded(d.text, d.format, d.aim, quad, d.via))
    return out


def bar_angle(crop: np.ndarray) -> float:
    """The bars' gradient direction in degrees on ``crop`` (full resolution).

    A magnitude-weighted histogram of doubled gradient angles: every bar edge votes, so a long
    tape edge or the label's outline (a few edges) cannot outvote the bars (many edges); the
    peak is refined by the weighted circular mean of the votes near it.
    """
    g = crop.astype(np.float32)
    gx = cv2.Sobel(g, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(g, cv2.CV_32F, 0, 1, ksize=3)
    mag = cv2.magnitude(gx, gy)
    strong = mag > max(40.0, float(np.percentile(mag, 90)) * 0.5)
    if not strong.any():
        return 0.0
    weights = mag[strong]
    doubled = np.degrees(np.arctan2(gy[strong], gx[strong])) * 2 % 360
    hist = np.bincount((doubled // 4).astype(np.int32) % 90, weights=weights, minlength=90)
    hist = hist + np.roll(hist, 1) + np.roll(hist, -1)  # a little smoothing across bins
    peak = int(np.argmax(hist)) * 4 + 2
    near = np.abs((doubled - peak + 180) % 360 - 180) <= 8
    rad = np.radians(doubled[near])
    return 0.5 * math.degrees(math.atan2(float((np.sin(rad) * weights[near]).sum()),
                                         float((np.cos(rad) * weights[near]).sum())))


def _looks_like_a_code(patch: tuple[tuple[float, float], tuple[float, float], float]) -> bool:
    """A bar patch with a code's extent, not one long edge: a box's tape edge or a ruled line
    gives a thin streak (one side under an eighth of the other, or a few hundred pixels in
    all); a field of bars, even a small one, is wider across and covers more."""
    (_cx, _cy), (w, h), _angle = patch
    return min(w, h) >= 0.12 * max(w, h) and w * h >= 1000


def _inside(point: tuple[float, float], quad: Sequence[tuple[int, int]]) -> bool:
    if len(quad) < 3:
        return False
    return cv2.pointPolygonTest(np.array(quad, np.float32), point, False) >= 0


def _unique(found: list[Decoded]) -> list[Decoded]:
    seen: set[str] = set()
    out = []
    for d in found:
        if d.text not in seen:
            seen.add(d.text)
            out.append(d)
    return out
