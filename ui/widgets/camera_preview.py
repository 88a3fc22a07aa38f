"""The live camera picture in the inspection view.

Owns a ``CameraFeed`` (``ui.camera``) and runs it only while the preview is on screen: Qt
sends hide/show events to the preview when its view changes tab or the operator signs out,
so the device is free whenever nobody looks at it.

When the picture goes (a cable pulled, a stream that stalls), the last frame stays, greyed,
with what happened and the next reconnection attempt written over it (``ui.camera.camera_words``);
F7 then takes the photo from a file, since the camera is not live.

Signals: ``failed(str)`` -- the camera file could not be played (a camera or a stream that
cannot be opened is retried with backoff and said so on the preview).
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QHideEvent, QImage, QPixmap, QShowEvent
from PySide6.QtWidgets import QLabel, QWidget

from drivers.scanners.camera_link import CameraLink, Ending, LinkState, LinkStatus, capture_opener, is_video_file
from ui.camera import CameraFeed, camera_words, greyed_picture

log = logging.getLogger(__name__)


class CameraPreview(QLabel):
    failed = Signal(str)

    def __init__(self, target: int | str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cameraPreview")
        self.setFixedSize(360, 270)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setStyleSheet("background: #102a43; color: #d9e2ec; border-radius: 6px;")
        self.setText(self.tr("Camera starting…"))
        self.feed: CameraFeed | None = CameraFeed(target, self)
        self.feed.frame.connect(self._show_frame)
        self.feed.failed.connect(self._failed)
        self.feed.link.connect(self._link)
        self._seen_picture = False

    @property
    def live(self) -> bool:
        return self.feed is not None and self.feed.live and self.feed.latest is not None

    def frame(self) -> QImage | None:
        """A copy of the newest frame (frozen: safe to hand to a worker)."""
        return self.feed.latest.copy() if self.feed is not None and self.feed.latest is not None else None

    def _show_frame(self, image: QImage) -> None:
        if self.feed is not None and self.feed.live:
            self.setAccessibleDescription("")
        self.setPixmap(QPixmap.fromImage(image).scaled(
            self.size(), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.FastTransformation))

    def _failed(self, reason: str) -> None:
        self.clear()
        self.setText(self.tr("No camera"))
        self.failed.emit(reason)

    def _link(self, status: LinkStatus) -> None:
        self._seen_picture = self._seen_picture or status.picture
        words = camera_words(status, self._seen_picture)
        if words is None or status.picture:
            return  # the next frame shows that the picture is back
        self.setAccessibleDescription(words)  # the words drawn on the picture, for screen readers and tests
        latest = self.feed.latest if self.feed is not None else None
        if latest is None:
            self.clear()
            self.setText(words)
        else:
            self._show_frame(greyed_picture(latest, words))

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if self.feed is not None:
            self.feed.start()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt API
        super().hideEvent(event)
        if self.feed is not None:
            self.feed.stop()

    def shutdown(self) -> None:
        if self.feed is not None:
            self.feed.stop()
            self.feed = None


# --------------------------------------------------------------------------- receiving
# Hands-free receiving: the dock camera watches the table, a worker thread finds parcels and
# their codes (drivers.camera_arrivals), and the preview names each code, says what the
# station is doing and what the clerk should do next. Identification follows the dock's rule
# (station.receiving.identification); the card opens as if scanned; nothing is received until
# the clerk presses the confirmation key.

from collections.abc import Callable  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from typing import TYPE_CHECKING  # noqa: E402

from PySide6.QtCore import QObject, QPointF, QThread, QTimer, Slot  # noqa: E402
from PySide6.QtGui import QColor, QFont, QPainter, QPen, QPolygonF  # noqa: E402
from PySide6.QtWidgets import QVBoxLayout  # noqa: E402

from drivers.arrival_settings import WatchSettings  # noqa: E402
from station.receiving.identification import CodeRole, Identification, Outcome  # noqa: E402

if TYPE_CHECKING:
    from drivers.camera_arrivals import ArrivalWatcher
    from drivers.scanners.video_frames import Frame

#: Outline colour per role of a code.
ROLE_COLOURS = {CodeRole.RMA: "#2f9e44", CodeRole.TRACKING: "#1c7ed6", CodeRole.ORDER: "#ae3ec9",
                CodeRole.PRODUCT: "#f08c00", CodeRole.OTHER: "#868e96"}


@dataclass(frozen=True)
class SeenCode:
    """A code read on the parcel, with where it is in the frame (for the outline)."""

    text: str
    format: str
    quad: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class ZoomStill:
    """The part of a read frame around the parcel's codes, at a scale the clerk can read.

    A camera mounted high (1080p, 4K) shows a parcel a few dozen pixels wide in the 480-px
    live picture; this still, taken from the frame that was read, is shown beside it. A frame
    pixel (x, y) is at ((x - origin[0]) * scale, (y - origin[1]) * scale) in ``image``.
    """

    image: QImage
    origin: tuple[int, int]
    scale: float


#: Size of the zoomed still (the live picture's shape), and how far around the codes it reaches.
ZOOM_SIZE = (480, 270)
ZOOM_MARGIN = 0.35


def zoom_region(quads: list[tuple[tuple[int, int], ...]], width: int, height: int) -> tuple[int, int, int, int]:
    """(x, y, w, h) of the frame to show zoomed: every code with a margin, in the picture's
    shape, inside the frame, never smaller than the still itself (no blown-up pixels)."""
    xs = [x for quad in quads for x, _ in quad]
    ys = [y for quad in quads for _, y in quad]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    margin = ZOOM_MARGIN * max(x1 - x0, y1 - y0) + 20
    w, h = x1 - x0 + 2 * margin, y1 - y0 + 2 * margin
    aspect = ZOOM_SIZE[0] / ZOOM_SIZE[1]
    w, h = max(w, h * aspect, ZOOM_SIZE[0]), max(h, w / aspect, ZOOM_SIZE[1])
    w, h = min(w, width), min(h, height)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    left = int(min(max(0, cx - w / 2), width - w))
    top = int(min(max(0, cy - h / 2), height - h))
    return left, top, int(w), int(h)


def _zoom_still(frame: Frame, quads: list[tuple[tuple[int, int], ...]]) -> ZoomStill | None:
    """The zoomed still of ``frame`` around ``quads`` (the full grey picture is decoded
    already: the watcher has just read it), or None when there is nothing to zoom on."""
    import cv2

    quads = [q for q in quads if q]
    if not quads:
        return None
    gray = frame.gray()
    x, y, w, h = zoom_region(quads, frame.width, frame.height)
    scale = min(ZOOM_SIZE[0] / w, ZOOM_SIZE[1] / h)
    crop = cv2.resize(gray[y:y + h, x:x + w], None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    rgb = cv2.cvtColor(crop, cv2.COLOR_GRAY2RGB)
    image = QImage(rgb.data, rgb.shape[1], rgb.shape[0], 3 * rgb.shape[1], QImage.Format.Format_RGB888).copy()
    return ZoomStill(image, (x, y), scale)


class ArrivalWorker(QObject):
    """Grabs frames and watches the table (on its own thread); reports arrivals, never blocks Qt.

    The camera is read through a ``CameraLink``: when its picture goes (a cable pulled, a
    stream that stalls or ends) the link reopens it with backoff while this worker, and the
    ``ArrivalWatcher`` with what it has read, stay; the picture coming back continues the same
    watch, so a parcel still on the table is the same arrival, not a new one.

    A video file stands in for a camera: it plays at its own frame rate (``pace``) and stops
    at its end rather than looping, so the parcel in it arrives once.

    Signals: ``frame(QImage)``; ``arrived(int)``, ``read(int, list[SeenCode])``, ``left(int)``;
    ``link(LinkStatus)`` each change of the camera's state; ``failed(str)`` a file that cannot
    be played (a camera or a stream is retried, never given up); ``done()``.
    """

    frame = Signal(QImage)
    arrived = Signal(int)
    read = Signal(int, object)  # arrival number, list[SeenCode] (every code read so far)
    zoomed = Signal(int, object)  # arrival number, ZoomStill of the frame that read them
    left = Signal(int)
    link = Signal(object)  # drivers.scanners.camera_link.LinkStatus
    failed = Signal(str)
    done = Signal()

    def __init__(self, target: int | str, region: tuple[float, float, float, float] | None = None,
                 resolution: tuple[int, int] | None = None, pace: bool = True, preview_side: int = 480,
                 read_timeout_s: float = 2.0, thresholds: WatchSettings = WatchSettings()) -> None:
        super().__init__()
        self.target = target
        self.region = region
        self.thresholds = thresholds
        self.preview_side = preview_side
        played = is_video_file(target)
        self.camera_link = CameraLink(
            capture_opener(target, resolution=resolution, read_timeout_s=read_timeout_s, lazy_frames=True),
            self._frame, self._status, name=f"camera {target!r}",
            ending=Ending.FINISH if played else Ending.RECONNECT, pace=played and pace)
        self._watcher: ArrivalWatcher | None = None
        #: The arrival the screen has identified (set from the UI thread; one int, so no lock):
        #: the watcher stops re-reading it.
        self.identified_arrival: int | None = None

    def stop(self) -> None:
        """Ask the worker to stop (from any thread); it does after the read under way."""
        self.camera_link.stop()

    @Slot()
    def run(self) -> None:
        from drivers.camera_arrivals import ArrivalWatcher

        try:
            self._watcher = ArrivalWatcher(region=self.region, settings=self.thresholds)
            self.camera_link.run()
            for event in self._watcher.finish():
                self.left.emit(event.arrival.number)
        finally:
            self.done.emit()

    def _frame(self, frame: Frame) -> None:
        assert self._watcher is not None  # run() makes it before the link reads
        current = self._watcher.arrival
        if current is not None and current.number == self.identified_arrival:
            self._watcher.stop_reading()
        # The preview first: a JPEG frame decodes one small colour copy, and the watcher's grey
        # copy is made from it instead of a second decode of the picture.
        try:
            picture: QImage | None = _preview_image(frame, self.preview_side)
        except ValueError:  # a damaged picture from the camera: the watcher skips it too
            picture = None
        for event in self._watcher.feed(frame):
            n = event.arrival.number
            if event.kind == "arrived":
                self.arrived.emit(n)
            elif event.kind == "read":
                self.read.emit(n, [SeenCode(d.text, d.format, d.quad) for d, _ in event.arrival.codes])
                still = _zoom_still(frame, [d.quad for d, _ in event.arrival.codes])
                if still is not None:
                    self.zoomed.emit(n, still)
            elif event.kind == "left":
                self.left.emit(n)
        if picture is not None:
            self.frame.emit(picture)

    def _status(self, status: LinkStatus) -> None:
        self.link.emit(status)
        if status.state is LinkState.FAILED:
            self.failed.emit(status.reason)


def _preview_image(frame: Frame, side: int) -> QImage:
    """A small RGB copy for the screen (the full frame stays with the decoder; a JPEG frame
    is decoded at a fraction of its size for it)."""
    import cv2

    bgr = frame.small_bgr(side)
    h, w = bgr.shape[:2]
    f = min(1.0, side / max(h, w))
    small = cv2.resize(bgr, None, fx=f, fy=f, interpolation=cv2.INTER_AREA) if f < 1.0 else bgr
    rgb = cv2.cvtColor(small, cv2.COLOR_BGR2RGB)
    image = QImage(rgb.data, rgb.shape[1], rgb.shape[0], 3 * rgb.shape[1], QImage.Format.Format_RGB888).copy()
    image.setText("scale", str(rgb.shape[1] / frame.width))  # preview pixels per frame pixel
    return image


class ArrivalPreview(QWidget):
    """The receiving view's camera: live picture, codes outlined and named, state, next step.

    ``identify`` turns [(text, symbology)] into an ``Identification`` (the dock's rule, on the
    station database). Signals: ``identified(str)`` once per parcel with its RMA number;
    ``conflict(str)`` with the reason; ``state_changed(str)``: waiting, reading, identified,
    conflict, unknown; ``camera_changed(str)``: the camera's state (``LinkState`` values:
    live, stalled, lost, reconnecting, back...).

    When the picture goes, ``camera_label`` says so in words at once (and which attempt to
    reconnect comes next, when), the last picture stays, greyed, with the words over it, and
    the next step tells the clerk to scan by hand meanwhile. The parcel's state is kept: a
    card already open stays open, and the parcel still on the table when the picture comes
    back is not announced again.
    """

    identified = Signal(str)
    conflict = Signal(str)
    state_changed = Signal(str)
    camera_changed = Signal(str)

    # How long "Camera back" stays up once the picture has returned.
    BACK_NOTICE_MS = 4000

    WAITING, READING, IDENTIFIED, CONFLICT, UNKNOWN = "waiting", "reading", "identified", "conflict", "unknown"

    def __init__(self, target: int | str, identify: Callable[[list[tuple[str, str]]], Identification], *,
                 region: tuple[float, float, float, float] | None = None,
                 resolution: tuple[int, int] | None = None, pace: bool = True,
                 thresholds: WatchSettings = WatchSettings(), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("arrivalPreview")
        self.target, self.region, self.resolution, self.pace = target, region, resolution, pace
        self.thresholds = thresholds
        self._identify = identify
        self.picture = QLabel(self)
        self.picture.setObjectName("arrivalPicture")
        self.picture.setFixedSize(480, 270)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setStyleSheet("background: #102a43; color: #d9e2ec; border-radius: 6px;")
        self.picture.setText(self.tr("Camera starting…"))
        self.state_label = QLabel(self)
        self.state_label.setObjectName("arrivalState")
        self.next_label = QLabel(self)
        self.next_label.setObjectName("arrivalNext")
        self.next_label.setWordWrap(True)
        self.camera_label = QLabel(self)
        self.camera_label.setObjectName("arrivalCamera")
        self.camera_label.setWordWrap(True)
        self.camera_label.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.picture)
        layout.addWidget(self.camera_label)
        layout.addWidget(self.state_label)
        layout.addWidget(self.next_label)
        self.state = ""
        self.arrival: int | None = None
        self.codes: list[SeenCode] = []
        self.zoom: ZoomStill | None = None  # the read labels, enlarged, while the parcel is in view
        self.result: Identification | None = None
        self._announced: dict[int, str] = {}
        self.camera = LinkState.OPENING.value
        self.frames_shown = 0
        self._seen_picture = False
        self._last_image: QImage | None = None
        self._back_notice = QTimer(self)
        self._back_notice.setSingleShot(True)
        self._back_notice.timeout.connect(self.camera_label.hide)
        self._thread: QThread | None = None
        self._worker: ArrivalWorker | None = None
        self._set_state(self.WAITING)

    # --- the worker ----------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None:
            return
        thread = QThread()
        thread.setObjectName("arrivals")
        worker = ArrivalWorker(self.target, self.region, self.resolution, self.pace, thresholds=self.thresholds)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.done.connect(thread.quit)
        thread.finished.connect(worker.deleteLater)
        worker.frame.connect(self._show_frame)
        worker.arrived.connect(self._arrived)
        worker.read.connect(self._read)
        worker.zoomed.connect(self._zoomed)
        worker.left.connect(self._left)
        worker.link.connect(self._link)
        worker.failed.connect(self._failed)
        self._thread, self._worker = thread, worker
        thread.start()

    def stop(self) -> None:
        thread, worker = self._thread, self._worker
        self._thread = self._worker = None
        if thread is None or worker is None:
            return
        worker.stop()
        thread.quit()
        if not thread.wait(5000):
            log.error("arrival thread did not stop within 5 s")
            return
        thread.deleteLater()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.isRunning()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self.start()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt API
        super().hideEvent(event)
        self.stop()

    # --- what the worker reports ---------------------------------------------------------
    def _arrived(self, n: int) -> None:
        self.arrival, self.codes, self.result, self.zoom = n, [], None, None
        self._set_state(self.READING)

    def _zoomed(self, n: int, still: ZoomStill) -> None:
        if n == self.arrival:
            self.zoom = still

    def _read(self, n: int, codes: list[SeenCode]) -> None:
        if n != self.arrival:
            self.arrival = n
        self.codes = list(codes)
        self.result = self._identify([(c.text, c.format) for c in codes])
        if self.result.outcome is Outcome.IDENTIFIED and self.result.rma:
            if self._worker is not None:
                self._worker.identified_arrival = n  # no more reads of this parcel while it rests
            self._set_state(self.IDENTIFIED)
            if n not in self._announced:  # the card opens once per parcel
                self._announced[n] = self.result.rma
                self.identified.emit(self.result.rma)
            elif self._announced[n] != self.result.rma:
                self._set_state(self.CONFLICT)
                self.conflict.emit(f"This parcel also carries {self.result.rma}; it was shown as {self._announced[n]}.")
        elif self.result.outcome is Outcome.CONFLICT:
            self._set_state(self.CONFLICT)
            self.conflict.emit(self.result.reason)
        else:
            self._set_state(self.UNKNOWN)

    def _left(self, n: int) -> None:
        if n == self.arrival:
            self.arrival, self.codes, self.result, self.zoom = None, [], None, None
        self._set_state(self.WAITING)

    def _failed(self, reason: str) -> None:
        self.picture.clear()
        self.picture.setText(self.tr("No camera"))
        self.next_label.setText(self.tr("Scan the parcels by hand; check the camera setting."))
        log.warning("arrival camera: %s", reason)

    # --- the camera's own state ----------------------------------------------------------
    @property
    def picture_lost(self) -> bool:
        """The camera sends no picture now (stalled, lost, reconnecting, not found yet)."""
        return self.camera in (LinkState.STALLED.value, LinkState.LOST.value, LinkState.RECONNECTING.value)

    def _link(self, status: LinkStatus) -> None:
        state = status.state
        if state in (LinkState.LIVE, LinkState.BACK):
            self._seen_picture = True
        words = camera_words(status, self._seen_picture)
        if words is not None:
            self._back_notice.stop()
            self.camera_label.setText(words)
            self.camera_label.show()
            if state is LinkState.BACK:
                self._back_notice.start(self.BACK_NOTICE_MS)
            else:
                self._grey_picture(words)
        elif state is LinkState.LIVE:
            self.camera_label.hide()  # a camera found at last: its picture says enough
        if state in (LinkState.LIVE, LinkState.BACK, LinkState.STALLED, LinkState.LOST, LinkState.RECONNECTING):
            self.camera = state.value
            self._set_state(self.state)  # the next step depends on whether the picture is there
            self.camera_changed.emit(state.value)

    def _grey_picture(self, words: str) -> None:
        """The last picture, greyed, with what happened written over it (or the words alone)."""
        if self._last_image is None:
            self.picture.clear()
            self.picture.setText(words)
            return
        self.picture.setPixmap(QPixmap.fromImage(greyed_picture(self._last_image, words)).scaled(
            self.picture.size(), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.FastTransformation))

    # --- drawing -------------------------------------------------------------------------
    def _set_state(self, state: str) -> None:
        words = {
            self.WAITING: (self.tr("Waiting for a parcel"), self.tr("Set the parcel down under the camera.")),
            self.READING: (self.tr("Reading the parcel…"), self.tr("Keep your hands off the labels for a moment.")),
            self.IDENTIFIED: (self.tr("Identified: %s") % (self.result.rma if self.result else ""),
                              self.tr("Check the card, then press the confirmation key to receive it.")),
            self.CONFLICT: (self.tr("Conflict: the labels point to different RMAs"),
                            self.tr("Scan the right RMA label by hand.")),
            self.UNKNOWN: (self.tr("No RMA found on this parcel"),
                           self.tr("Turn the parcel so its label faces up, or scan it by hand.")),
        }
        title, next_step = words[state]
        if self.picture_lost and state == self.IDENTIFIED:  # the card stays open: it can still be received
            next_step = self.tr(
                "Scan the parcels by hand until the picture is back; the open card can still be received with the confirmation key.")  # noqa: E501 - one literal for lupdate
        elif self.picture_lost:
            next_step = self.tr("Scan the parcels by hand until the picture is back.")
        self.state_label.setText(title)
        self.next_label.setText(next_step)
        if state != self.state:
            self.state = state
            self.state_changed.emit(state)

    def _outline(self, painter: QPainter, scale: float, origin: tuple[int, int]) -> None:
        """Each code read, outlined in its role's colour and named, on a picture where a frame
        pixel (x, y) is at ((x - origin x) * scale, (y - origin y) * scale)."""
        assert self.result is not None
        roles = {c.text: c.role for c in self.result.codes}
        painter.setFont(QFont(painter.font().family(), 11, QFont.Weight.Bold))
        ox, oy = origin
        for code in self.codes:
            if not code.quad:
                continue
            role = roles.get(code.text, CodeRole.OTHER)
            painter.setPen(QPen(QColor(ROLE_COLOURS[role]), 3))
            painter.drawPolygon(QPolygonF([QPointF((x - ox) * scale, (y - oy) * scale) for x, y in code.quad]))
            x = (min(p[0] for p in code.quad) - ox) * scale
            y = (min(p[1] for p in code.quad) - oy) * scale
            painter.drawText(QPointF(x, max(12.0, y - 4)), role.value)

    def _inset(self, painter: QPainter, image: QImage, zoom: ZoomStill) -> None:
        """The zoomed still, outlined too, in the live picture's corner farthest from the
        parcel (when the labels are small in the live picture: a close camera needs no zoom)."""
        live_scale = float(image.text("scale") or 1.0)
        if zoom.scale < 2 * live_scale:
            return
        still = zoom.image.copy()
        inner = QPainter(still)
        self._outline(inner, zoom.scale, zoom.origin)
        inner.end()
        width = int(image.width() * 0.46)
        shown = still.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
        centre_x = (zoom.origin[0] + still.width() / zoom.scale / 2) * live_scale
        centre_y = (zoom.origin[1] + still.height() / zoom.scale / 2) * live_scale
        x = 6 if centre_x > image.width() / 2 else image.width() - shown.width() - 6
        y = 6 if centre_y > image.height() / 2 else image.height() - shown.height() - 6
        painter.fillRect(x - 2, y - 2, shown.width() + 4, shown.height() + 4, QColor("#ffffff"))
        painter.drawImage(x, y, shown)

    def roles(self) -> dict[str, str]:
        """Each code read on the parcel in view, named by its role (RMA, tracking, order...)."""
        if self.result is None:
            return {}
        return {c.text: c.role.value for c in self.result.codes}

    def _show_frame(self, image: QImage) -> None:
        if self.codes and self.result is not None:
            image = image.copy()
            f = float(image.text("scale") or 1.0)
            painter = QPainter(image)
            self._outline(painter, f, (0, 0))
            if self.zoom is not None:
                self._inset(painter, image, self.zoom)
            painter.end()
        self._last_image = image
        self.frames_shown += 1
        self.picture.setPixmap(QPixmap.fromImage(image).scaled(
            self.picture.size(), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.FastTransformation))


def parse_resolution(text: str) -> tuple[int, int] | None:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
        return (w, h)
    except ValueError:
        return None


class _ConfirmKey(QObject):
    """The confirmation key (a foot switch sends F12, say) reaching the receiving view: a
    key no field uses propagates up to the view, where this filter turns it into confirm."""

    def __init__(self, key: Qt.Key, confirm: Callable[[], None], parent: QObject) -> None:
        super().__init__(parent)
        self.key, self.confirm = key, confirm

    def eventFilter(self, obj: QObject, event) -> bool:  # type: ignore[no-untyped-def]  # noqa: N802 - Qt API
        from PySide6.QtCore import QEvent

        if event.type() == QEvent.Type.KeyPress and event.key() == self.key and not event.isAutoRepeat():
            self.confirm()
            return True
        return False


def attach_to_receiving(view) -> ArrivalPreview | None:  # type: ignore[no-untyped-def]
    """Put the arrival preview into the receiving view when ``camera.arrivals`` is on.

    The whole hookup lives here so the receiving view needs two lines (this call and
    ``stop`` on shutdown): an identified parcel is handed to ``view.handle_scan`` as a
    camera scan, so the card opens exactly as if scanned; a conflict is a banner; the
    confirmation key from settings calls ``view.confirm`` (Return/Enter already do).
    """
    from PySide6.QtGui import QKeySequence

    from drivers.scanners.scan import Scan
    from station.core.settings import camera_region
    from station.receiving.identification import RmaLookup, identify
    from ui.bridge import Level, Message
    from ui.camera import camera_target
    from ui.errors import show_error
    from ui.camera_watch import watch_settings

    settings = view.shell.settings
    uri = str(settings.get("camera.uri"))
    if not settings.get("camera.arrivals") or not uri:
        return None
    try:
        target = camera_target(uri)
    except Exception as exc:  # noqa: BLE001 - a bad camera setting must not stop receiving
        show_error(view.shell.bridge, exc)
        return None
    lookup = RmaLookup(view.service)
    classifier = view.shell.classifier
    preview = ArrivalPreview(target, lambda codes: identify(codes, lookup, classifier),
                             region=camera_region(settings),
                             resolution=parse_resolution(str(settings.get("camera.resolution"))),
                             thresholds=watch_settings(settings), parent=view)
    preview.identified.connect(lambda rma: _deliver(view, Scan(rma, source="camera")))
    preview.conflict.connect(lambda reason: view.shell.bridge.show(Message(
        Level.WARNING, view.tr("Labels of different RMAs on one parcel"), reason,
        view.tr("Scan the right RMA label by hand."), code="camera_conflict", sound="error")))
    key = str(settings.get("camera.confirm_key"))
    if key not in ("Return", "Enter"):
        preview.confirm_filter = _ConfirmKey(QKeySequence(key)[0].key(), view.confirm, preview)
        view.installEventFilter(preview.confirm_filter)
    view.layout().insertWidget(view.layout().count() - 1, preview)
    return preview


def _deliver(view: Any, scan: Scan) -> None:
    """An identified parcel goes the way a scanner's scan goes: through the window's one scan
    path (an open dialog first, where it is refused and changes nothing), else to the view."""
    window = view.window()
    route = getattr(window, "route_scan", None)
    if callable(route):
        route(scan)
    else:
        view.handle_scan(scan)
