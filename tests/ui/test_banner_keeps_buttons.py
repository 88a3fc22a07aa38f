"""A long banner never pushes a tab's buttons out of the 1280 x 800 window (issue 23,
problem 9): whatever a banner says, every button of the tab stays on screen to be pressed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from station.demo import seed_demo
from tests.ui.conftest import Station, make_station, sign_in
from ui.bridge import Level, Message

# As long as the station's banners get: a wrong item received with both products named, its
# checks, and the next step (receiving's longest words), in each language.
LONG = {
    "en": Message(Level.WARNING, "Received RMA RMA000000133 with a wrong item: Cotton T-shirt (TS-100) came back "
                  "instead of Smartphone X2 (PH-200)",
                  "2 of 3 units received; serial SN-CHECK-1 not on the order; the weight 1,250 g is 850 g more "
                  "than expected; the outer box is damaged; LPNs LP00000123, LP00000124 printed to the PDF folder "
                  "/var/lib/rma-station/data/labels/lpn",
                  "Put the wrong item on the quarantine shelf, stick its LPN label on it and tell the supervisor; "
                  "then scan the next parcel.", code="received_wrong_item"),
    "zh": Message(Level.WARNING, "已收货 RMA RMA000000133，但商品不符：退回的是 纯棉T恤（TS-100），不是 智能手机 X2（PH-200）",
                  "已收到 3 件中的 2 件；序列号 SN-CHECK-1 不在订单上；重量 1,250 g，比预期多 850 g；外箱破损；"
                  "LPN LP00000123、LP00000124 已打印到 PDF 文件夹 /var/lib/rma-station/data/labels/lpn",
                  "把错发的商品放到隔离货架，贴上 LPN 标签并告知主管；然后扫描下一个包裹。", code="received_wrong_item"),
}


@pytest.fixture
def demo_station(qtbot, ui_session_factory):  # noqa: ANN001, ANN201
    seed_demo(ui_session_factory, rmas=120)
    yield from make_station(qtbot, ui_session_factory)


def buttons_off_screen(window: QWidget, tab: QWidget) -> list[str]:
    """Visible buttons of ``tab`` not wholly inside the window's tabs (above its status bar)."""
    tabs = window.tabs
    frame = QRect(tabs.mapTo(window, QPoint(0, 0)), tabs.size())
    found = []
    for button in tab.findChildren(QAbstractButton):
        if not button.isVisible() or button.width() <= 1:
            continue
        rect = QRect(button.mapTo(window, QPoint(0, 0)), button.size())
        if not frame.contains(rect):
            found.append(f"{button.text()!r} at y {rect.top()}..{rect.bottom()}, x {rect.left()}..{rect.right()}")
    return found


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_long_banner_leaves_every_button_on_screen(demo_station: Station, qtbot, language: str) -> None:  # noqa: ANN001
    station = demo_station
    window = station.window
    if language == "zh":
        window.toggle_language()
    try:
        sign_in(station, "EMP9001", "999999")  # the demo's admin sees every tab
        window.resize(1280, 800)
        tabs = window.tabs
        problems = []
        for index in range(tabs.count()):
            tabs.setCurrentIndex(index)
            QApplication.processEvents()
            station.dock.bridge.show(LONG[language])
            QApplication.processEvents()
            qtbot.wait(40)
            tab = tabs.widget(index)
            banner = next((b for b in tab.findChildren(QWidget, "banner") if b.isVisible()), None)
            assert banner is not None and banner.message == LONG[language], tabs.tabText(index)
            problems += [f"{tabs.tabText(index)}: {p}" for p in buttons_off_screen(window, tab)]
        assert problems == [], "\n".join(problems)
    finally:
        if language == "zh":
            window.toggle_language()
