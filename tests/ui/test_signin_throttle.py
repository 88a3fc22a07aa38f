"""The sign-in window after wrong PINs: the seconds left, counted down, then the lock."""

from __future__ import annotations

import pytest

from station.core.errors import AuthenticationFailed
from station.operators.service import AuthService
from tests.helpers.builders import make_context
from tests.ui.conftest import sign_in


def wrong_pins(station, n: int) -> None:
    for _ in range(n):
        sign_in(station, "EMP1001", "0000")


def test_clerk_sees_the_seconds_left_after_too_many_wrong_pins(station, qtbot):
    view = station.window.signin
    wrong_pins(station, 3)
    assert not view.wait.isVisible() and view.pin.isEnabled()
    assert station.last.text == "Badge or PIN not recognised."

    wrong_pins(station, 1)
    assert (station.last.title, station.last.text, station.last.next_step) == (
        "Too many wrong PINs", "Badge or PIN not recognised.", "Too many wrong PINs — try again in 5 s.")
    assert view.wait.isVisible() and view.wait.text() == "Too many wrong PINs — try again in 5 s"
    assert not view.pin.isEnabled()

    station.clock.advance(seconds=2)
    qtbot.waitUntil(lambda: view.wait.text() == "Too many wrong PINs — try again in 3 s", timeout=3000)
    station.clock.advance(seconds=3)
    qtbot.waitUntil(lambda: not view.wait.isVisible(), timeout=3000)
    assert view.pin.isEnabled()

    with qtbot.wait_signal(view.signed_in, timeout=5000) as signed:
        sign_in(station, "EMP1001", "1234")
    assert signed.args[0].badge == "EMP1001"


def test_locked_badge_says_ask_a_supervisor(station, ui_session_factory):
    auth = AuthService(make_context(ui_session_factory, station.clock))
    for _ in range(10):
        with pytest.raises(AuthenticationFailed) as err:
            auth.sign_in("EMP1001", "0000")
        station.clock.advance(seconds=getattr(err.value, "retry_after_s", 0))
    sign_in(station, "EMP1001", "1234")
    assert (station.last.title, station.last.text) == ("Sign-in locked", "Locked: ask a supervisor.")
    assert station.window.signin.wait.text() == "Locked: ask a supervisor"


def test_a_chinese_window_says_the_sign_in_failure_in_chinese(station) -> None:  # noqa: ANN001
    station.window.toggle_language()
    try:
        wrong_pins(station, 1)
        assert (station.last.text, station.last.next_step) == ("工牌或 PIN 无法识别。", "请重新扫描工牌并输入 PIN。")
        wrong_pins(station, 3)
        assert station.last.next_step == "PIN 错误次数过多，请 5 秒后再试。"
    finally:
        station.window.toggle_language()
