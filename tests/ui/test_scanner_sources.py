"""Scans from a device thread arrive through the same signal as the wedge; bad URIs get a banner."""

from __future__ import annotations

import threading

from drivers.scanners.scan import Scan
from drivers.scanners.source import ScanSource
from station.core.settings import defaults
from tests.helpers.builders import add_product, add_rma
from tests.ui.conftest import Station, make_station, sign_in


class ThreadSource(ScanSource):
    """A device that reads on its own thread (like the serial and camera sources)."""

    def fire(self, text: str) -> None:
        thread = threading.Thread(target=self._emit, args=(Scan(text, "code128", self.name),))
        thread.start()
        thread.join()


def test_a_scan_from_a_device_thread_opens_the_card(station: Station, qtbot) -> None:  # noqa: ANN001
    sign_in(station, "EMP1001", "1234")
    with station.session_factory.begin() as db:
        rma = add_rma(db, [(add_product(db, "TS-9"), 1)])
        number = rma.number
    source = ThreadSource("serial:///dev/ttyACM0")
    station.dock.hub.attach(source)
    view = station.window.views["receiving"]
    with qtbot.waitSignal(station.dock.hub.scanned, timeout=2000):
        source.fire(number)
    qtbot.waitUntil(lambda: view.card.card is not None and view.card.card.number == number)


def test_a_scanner_uri_that_cannot_open_gives_a_banner(qtbot, ui_session_factory, people) -> None:  # noqa: ANN001
    settings = defaults().replace(**{"scanners.sources": ["wedge:", "bogus://scanner"]})
    for station in make_station(qtbot, ui_session_factory, settings):
        station.dock.start_scanner_sources()
        assert station.last.code == "device_not_found"
        assert station.last.text.startswith("Scanner bogus://scanner: unknown scanner")
