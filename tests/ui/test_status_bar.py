"""The status bar tells the dock whether its work is reaching the central database."""

from __future__ import annotations

import socket

from tests.ui.conftest import sign_in


def _dead_port() -> int:
    """A local port nothing listens on: a central database that is down."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_station_without_central_database_works_alone(station, monkeypatch):
    monkeypatch.delenv("RMA_CENTRAL_URL", raising=False)
    assert station.dock.start_sync() is False
    station.window.status.refresh()
    assert station.window.status.sync.text() == "Sync: not set up"


def test_central_database_down_shows_offline_with_the_reason(station, monkeypatch, qtbot):
    monkeypatch.setenv("RMA_CENTRAL_URL", f"postgresql://rma@127.0.0.1:{_dead_port()}/rma")
    sign_in(station, "EMP1001", "1234")
    assert station.dock.start_sync() is True
    bar = station.window.status

    def shows_offline() -> bool:
        bar.refresh()
        return bar.sync.text().startswith("Offline")

    qtbot.waitUntil(shows_offline, timeout=20_000)
    assert "Offline (never synced)" in bar.sync.toolTip()
    assert "central database" in bar.sync.toolTip().lower()
    assert "font-weight: 600" in bar.sync.styleSheet()


def test_labels_say_where_they_go_a_pdf_folder_with_a_link(station) -> None:  # noqa: ANN001
    station.window.status.refresh()
    printer = station.window.status.printer
    lpn = station.dock.window.shell.labels.printer("lpn")
    parent = lpn.rsplit("/", 1)[0]  # every kind has its folder under labels/: the bar names that
    assert printer.text().startswith("Labels: <a href=\"" + parent + "\">PDF folder ")
    assert "Printer: ready" not in printer.text()
    tip = printer.toolTip().splitlines()
    assert [line.split(":")[0] for line in tip] == ["LPN labels", "disposition and carton labels",
                                                     "sheets and packing lists"]
    assert tip[2].endswith("/labels/sheet") or tip[2].endswith("labels/sheet")


def test_labels_going_to_different_printers_are_each_named(qtbot, ui_session_factory, people) -> None:  # noqa: ANN001
    from station.core.settings import defaults
    from tests.ui.conftest import make_station

    settings = defaults().replace(**{"printers.lpn": "tcp://10.0.0.5:9100"})
    for station in make_station(qtbot, ui_session_factory, settings):
        station.window.status.refresh()
        text = station.window.status.printer.text()
        assert "LPN labels → <a href=\"http://10.0.0.5/\">Zebra at 10.0.0.5:9100</a>" in text
        assert "disposition and carton labels → <a href=" in text and "sheets and packing lists → <a href=" in text


def test_a_zebra_is_named_by_host_and_port() -> None:
    from ui.status import label_destination

    assert label_destination("tcp://10.0.0.5:9100") == ("Zebra at 10.0.0.5:9100", "http://10.0.0.5/")


def test_a_printer_queue_is_a_link_to_its_page() -> None:
    """Every destination is a link: a folder opens, a Zebra shows its status page, a CUPS
    queue its jobs (it was words only, and cups://server/queue was named by its server)."""
    from ui.status import label_destination

    assert label_destination("cups://Zebra_GK420") == ("printer Zebra_GK420", "http://localhost:631/printers/Zebra_GK420")
    assert label_destination("cups://print.dock/Laser%20A4") == (
        "printer Laser A4", "http://print.dock:631/printers/Laser%20A4")


def test_every_kind_in_the_status_bar_is_a_link_whatever_its_printer(qtbot, ui_session_factory, people) -> None:  # noqa: ANN001
    from station.core.settings import defaults
    from tests.ui.conftest import make_station

    settings = defaults().replace(**{"printers.lpn": "tcp://10.0.0.5:9100", "printers.sheet": "cups://Laser"})
    for station in make_station(qtbot, ui_session_factory, settings):
        station.window.status.refresh()
        text = station.window.status.printer.text()
        assert 'LPN labels → <a href="http://10.0.0.5/">Zebra at 10.0.0.5:9100</a>' in text
        assert 'sheets and packing lists → <a href="http://localhost:631/printers/Laser">printer Laser</a>' in text
        assert "disposition and carton labels → <a href=\"file://" in text
        assert station.window.status.printer.openExternalLinks()


def test_a_typo_in_the_central_url_is_shown_not_silently_off(qtbot, ui_session_factory, people, monkeypatch):  # noqa: ANN001
    from station.core.settings import defaults
    from tests.ui.conftest import make_station

    monkeypatch.delenv("RMA_CENTRAL_URL", raising=False)
    settings = defaults().replace(**{"central.db_url": "postgresql://rma@/rma"})  # the host left out
    for station in make_station(qtbot, ui_session_factory, settings):
        assert station.dock.start_sync() is False
        bar = station.window.status
        bar.refresh()
        assert bar.sync.text() == "Sync: central URL refused"
        assert "names no host" in bar.sync.toolTip() and "font-weight: 600" in bar.sync.styleSheet()
        banner = station.messages[-1]
        assert banner.text.startswith("Sync: central URL refused: The central database URL")
        assert "names no host" in banner.text


def test_where_labels_go_is_said_in_chinese_too(qapp) -> None:  # noqa: ANN001
    from ui.i18n import install_language
    from ui.status import label_destination

    installed = install_language(qapp, "zh_CN", [])
    try:
        assert label_destination("tcp://10.0.0.5:9100")[0] == "Zebra 打印机 10.0.0.5:9100"
        assert label_destination("file:///var/labels")[0] == "PDF 文件夹 /var/labels"
    finally:
        install_language(qapp, "en", installed)
