"""Keys shown equal keys that work, on the supervisor's desk too: every key a desk button
names is in the key table (docs/ui.md) for its tab and bound in that tab; where the desk
binds its keys from the table (approvals, return to vendor), pressing the key does the very
action clicking the button does."""

from __future__ import annotations

import re

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractButton, QApplication

from tests.ui.conftest import Station, sign_in
from ui.keymap import BINDINGS, keys_for

WHERE = {"approvals": "Approvals", "dashboard": "Dashboard", "sheets": "Sheets", "resolution": "Resolution",
         "rtv": "Return to vendor", "queues": "Queues"}
KEY_IN_TEXT = re.compile(r"\(((?:F\d+)|(?:(?:Ctrl|Alt|Shift)\+)+\S+?)\)")


def table_keys(where: str) -> set[str]:
    """Every key the key table names for ``where`` (bound keys and the docs' key column)."""
    keys: set[str] = set()
    for b in BINDINGS:
        if b.where.startswith(where):
            keys |= set(b.keys) | {k.strip() for k in re.split(r"[/,]", b.shown) if k.strip()}
    keys |= {k for b in BINDINGS if b.action == f"view:{where.lower()}" for k in b.keys}
    return keys


def window_keys_for(name: str) -> set[str]:
    return {k for b in BINDINGS if b.action == f"view:{name}" for k in b.keys}


def shown_keys(station: Station, name: str) -> list[tuple[QAbstractButton, str]]:
    view = station.window.views[name].inner
    return [(button, key) for button in view.findChildren(QAbstractButton)
            for key in KEY_IN_TEXT.findall(button.text())]


def test_every_key_a_desk_button_names_is_in_the_key_table_and_bound_in_its_tab(station: Station) -> None:
    sign_in(station, "EMP3001", "3456")
    missing, unbound, seen = [], [], 0
    for name, where in WHERE.items():
        view = station.window.views[name].inner
        bound = {s.key().toString() for s in view.findChildren(QShortcut) if s.isEnabled()}
        for button, key in shown_keys(station, name):
            seen += 1
            if key not in table_keys(where):
                missing.append(f"{name}: {button.text()!r}")
            if QKeySequence(key).toString() not in bound and key not in window_keys_for(name):
                unbound.append(f"{name}: {button.text()!r}")
    assert seen >= 15  # the desk's buttons with keys: approvals 3, dashboard 5, sheets 2, resolution 3, rtv 5
    assert missing == [] and unbound == []


def test_each_desk_key_does_what_its_button_does(station: Station, qtbot) -> None:  # noqa: ANN001
    """Approvals and return to vendor: the key a button shows, pressed, and the button,
    clicked, run the same action of the desk (the one its command barcode runs too)."""
    sign_in(station, "EMP3001", "3456")
    checked = []
    for name, tab_key in (("approvals", "F4"), ("rtv", "F2")):
        station.keys.press(tab_key)
        view = station.window.views[name].inner
        done: list[str] = []
        view.do = done.append  # the buttons, keys and scans call the desk's ``do`` when they fire
        for button, key in shown_keys(station, name):
            action = button.property("action")
            assert action, f"{name}: {button.text()!r} has no action of the key table"
            assert key in keys_for(WHERE[name], action), (name, button.text())
            button.setEnabled(True)
            button.click()
            view.setFocus()
            qtbot.waitUntil(lambda v=view: v.isAncestorOf(QApplication.focusWidget()) or QApplication.focusWidget() is v)
            qtbot.keyClick(QApplication.focusWidget(), *_key_click(key))
            assert done[-2:] == [action, action], (name, button.text(), done)
            checked.append(action)
    assert sorted(checked) == sorted(["approve", "reject", "match", "cancel_request", "open_batch", "ship",
                                      "acknowledge", "credit", "dispute"])


def _key_click(key: str) -> tuple:
    sequence = QKeySequence(key)[0]
    return sequence.key(), sequence.keyboardModifiers()
