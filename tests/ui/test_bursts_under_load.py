"""Issue 15, problem 5: scanner bursts stay whole while the machine is busy.

A feeder thread plays a wedge scanner in real time (7 ms a key, with the stalls a busy
machine adds, the Enter sometimes 20 ms late), posting key presses stamped with the time the
scanner typed them, as the X server (another process) stamps them on arrival. Meanwhile a CPU-bound thread competes for the
interpreter and a widget takes 40 ms to paint, so the filter's timer fires late while keys
wait in the queue. Every burst must come out as one scan and nothing may reach the field.
"""

from __future__ import annotations

import threading
import time

import pytest

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from drivers.scanners.wedge import RETURN
from drivers.scanners.wedge_sim import WedgeSimulator
from ui.scanner_filter import WedgeKeyFilter


class SlowPaint(QLabel):
    """A view that takes 40 ms to paint (a big table on a slow machine)."""

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        time.sleep(0.040)
        super().paintEvent(event)


def _key_event(token: str, stamp_ms: int) -> QKeyEvent:
    if token == RETURN:
        event = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, "\r")
    else:
        mods = Qt.KeyboardModifier.ShiftModifier if token.isupper() else Qt.KeyboardModifier.NoModifier
        event = QKeyEvent(QEvent.Type.KeyPress, ord(token.upper()), mods, token)
    event.setTimestamp(stamp_ms)
    return event


def _play(target: QWidget, bursts: list[list[tuple[str, float]]], done: threading.Event) -> None:
    """Post each burst's keys at their offsets, stamped with the time the scanner typed them."""
    for burst in bursts:
        start = time.monotonic()
        for token, offset in burst:
            delay = start + offset - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            QCoreApplication.postEvent(target, _key_event(token, round((start + offset) * 1000)))
        time.sleep(0.15)
    done.set()


def _burn(stop: threading.Event) -> None:
    x = 0
    while not stop.is_set():
        for i in range(10_000):
            x += i * i


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_command_and_rma_bursts_stay_whole_while_cpu_and_paint_compete(qtbot) -> None:
    window = QWidget()
    layout = QVBoxLayout(window)
    field = QLineEdit()  # the weight field a split burst used to land in
    slow = SlowPaint("busy view")
    layout.addWidget(field)
    layout.addWidget(slow)
    qtbot.addWidget(window)
    window.show()
    field.setFocus()

    wedge = WedgeKeyFilter()
    QCoreApplication.instance().installEventFilter(wedge)
    scans: list[str] = []
    wedge.scanned.connect(lambda scan: scans.append(scan.text))
    repaint = QTimer()
    repaint.timeout.connect(slow.repaint)
    repaint.start(5)

    sim = WedgeSimulator(seed=5, scanner_gap_s=(0.006, 0.008), stall_s=(0.010, 0.020), stall_share=0.08,
                         terminator=RETURN)
    texts = ["CMD:CONFIRM", "RMA000012344"] * 15
    bursts = []
    for text in texts:
        keys = sim.trigger_pull([text], 0.0)
        bursts.append([(k.key, k.at) for k in keys])
    bursts[1][-1] = (RETURN, bursts[1][-2][1] + 0.027)  # the RMA whose Enter came 20 ms late

    _key_event("A", 0)  # Qt makes its keyboard device on the first key event: in this thread
    stop, done = threading.Event(), threading.Event()
    burners = [threading.Thread(target=_burn, args=(stop,), daemon=True) for _ in range(2)]
    feeder = threading.Thread(target=_play, args=(field, bursts, done), daemon=True)
    try:
        for t in burners:
            t.start()
        feeder.start()
        qtbot.waitUntil(done.is_set, timeout=60_000)
        qtbot.wait(300)
    finally:
        stop.set()
        repaint.stop()
        QCoreApplication.instance().removeEventFilter(wedge)
        wedge.settle()
    assert scans == texts
    assert field.text() == ""
