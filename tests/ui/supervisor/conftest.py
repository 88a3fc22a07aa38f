"""Supervisor widgets under test: real services on a SQLite file, synchronous executors, and
the banners the supervisor saw collected from the message bridge."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from station.core.db import make_session_factory
from tests.station.supervision_desk import make_desk
from ui.background import Background, SyncExecutor
from ui.bridge import Message, MessageBridge


@pytest.fixture(autouse=True)
def english(qapp):
    """The window's English catalogue (its plural forms: "1 sheet", not "1 sheets")."""
    from ui.i18n import install_language

    installed = install_language(qapp, "en", [])
    yield
    for translator in installed:
        qapp.removeTranslator(translator)


@pytest.fixture
def sf(sqlite_engine):
    return make_session_factory(sqlite_engine)


@pytest.fixture
def background(qtbot):
    return Background(SyncExecutor(), SyncExecutor())


@pytest.fixture
def bridge(qtbot):
    return MessageBridge()


@pytest.fixture
def messages(bridge) -> list[Message]:
    seen: list[Message] = []
    bridge.shown.connect(seen.append)
    return seen


@pytest.fixture
def desk(sf):
    return make_desk(sf)


def show(qtbot, widget, size=(1100, 700)):
    qtbot.addWidget(widget)
    widget.resize(*size)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    return widget


def focus(qtbot, widget) -> None:
    widget.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)


def following(view, session_factory):
    """Wire a desk view built alone to the database's change signal, as its tab in the window
    is (``ui.views.supervisor_tabs``): after an action, the view reloads from the commit."""
    from ui.changes import ChangeSignal, follow

    changes = ChangeSignal(session_factory.kw["bind"], view)
    follow(view, changes, view.WATCHES, view.refresh)
    return view
