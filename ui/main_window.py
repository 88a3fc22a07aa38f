"""The dock window: sign-in screen, then the views the operator's role allows.

It routes every scan (``ScannerHub.scanned``) to the active view, paints every bridge message
into that view's banner with its sound, locks after idle time, and rebuilds its views when
the language changes. It holds no business logic: views call station services.

Signals: ``actor_changed(object)`` -- the signed-in ``Actor`` or ``None``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QMainWindow, QStackedWidget, QTabWidget, QWidget

from drivers.scanners.scan import Scan
from station.core.context import Actor
from station.core.permissions import Permission, can
from ui.bridge import Level, Message
from ui.commands import Command, command_in
from ui.idle import IdleWatcher
from ui.keymap import BINDINGS
from ui.scan_targets import dialog_in_front
from ui.scanners import ScannerHub
from ui.widgets.desk_keys import fire_shortcut_without_active_window
from ui.widgets.dialog_place import DialogsBelowBanner
from ui.shell import Shell
from ui.sound_board import SoundBoard
from ui.views.signin import SignInView
from ui.views.supervisor_tabs import SupervisorTab

log = logging.getLogger(__name__)


#: View keys, from the one key table (ui.keymap): F5/F6 for the floor views, F3/F4/F8/F11/F1
#: for the supervisor desk, F2 return to vendor. F7 is the inspection photo key and F9
#: receiving's quarantine, so the desk skips them; F2 is also receiving's "weigh again", so while
#: receiving shows F2 stays receiving's.
VIEW_KEYS = {getattr(Qt.Key, f"Key_{key}"): b.action.removeprefix("view:")
             for b in BINDINGS if b.action.startswith("view:") for key in b.keys}


def role_views() -> list[tuple[Permission, str, Callable[[Shell, Actor], QWidget]]]:
    """The work views and the permission each needs, in tab order."""
    from ui.views import supervisor_tabs as desk
    from ui.views.inspection import InspectionView
    from ui.views.receiving import ReceivingView

    return [
        (Permission.RECEIVE, "receiving", ReceivingView),
        (Permission.INSPECT, "inspection", InspectionView),
        (Permission.APPROVE, "queues", desk.queues),
        (Permission.APPROVE, "approvals", desk.approvals),
        (Permission.VIEW_ANALYTICS, "dashboard", desk.dashboard),
        (Permission.APPROVE, "sheets", desk.sheets),
        (Permission.RESOLVE, "resolution", desk.resolution),
        (Permission.APPROVE, "rtv", desk.rtv),
    ]


class ViewKeys(QObject):
    """The window's own keys (view switching, F10 settings), as an application event filter.

    The supervisor widgets bind F5 (reload), F6 (sort) and F10 (reject) as their own
    shortcuts; two shortcuts on one key would cancel each other. Accepting the
    ``ShortcutOverride`` keeps the view keys the window's everywhere (a desk tab reloads when
    its key is pressed again instead); F10 is left to the approvals tab while it shows.
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and isinstance(obj, QWidget) \
                and obj.window() is self.window and self.window.actor is not None \
                and self.window.key_action(Qt.Key(event.key())) is None \
                and fire_shortcut_without_active_window(self.window.current_view(), event):
            return True  # a kiosk without a window manager: Qt fires no shortcut itself
        if event.type() not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) \
                or not isinstance(event, QKeyEvent) or not isinstance(obj, QWidget) \
                or obj.window() is not self.window or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        action = self.window.key_action(Qt.Key(event.key()))
        if action is None:
            return False
        if event.type() == QEvent.Type.KeyPress:
            action()
        event.accept()
        return True


class MainWindow(QMainWindow):
    actor_changed = Signal(object)

    def __init__(self, shell: Shell, hub: ScannerHub, sounds: SoundBoard,
                 on_language: Callable[[str], Shell] | None = None,
                 on_settings: Callable[[QWidget], Shell | None] | None = None) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.shell = shell
        self.hub = hub
        self.sounds = sounds
        self.actor: Actor | None = None
        self._on_language = on_language
        self._on_settings = on_settings
        self.setWindowTitle(self.tr("RMA station %1").replace("%1", shell.ctx.station_id))
        self.stack = QStackedWidget(self)
        self.setCentralWidget(self.stack)
        from ui.status import StationStatusBar

        self.status = StationStatusBar(shell, self)
        self.setStatusBar(self.status)
        sounds.trouble.connect(lambda words: self.status.show_sound_trouble(words))
        self.idle = IdleWatcher(float(shell.settings.get("ui.idle_lock_minutes")), self)
        self.idle.idle.connect(self.lock)
        self.signin: SignInView
        self.tabs: QTabWidget | None = None
        self.views: dict[str, QWidget] = {}
        self._parking = False
        self._parked: tuple[Actor, QTabWidget, dict[str, QWidget]] | None = None  # kept over an idle lock
        self._build_signin()
        hub.scanned.connect(self.route_scan)
        shell.bridge.shown.connect(self._show_message)
        self.keys = ViewKeys(self)  # installed on the application by ``ui.dock.assemble``
        self.dialogs = DialogsBelowBanner(self, lambda: getattr(self.current_view(), "banner", None))  # likewise
        self.status.refresh()

    # --- building -----------------------------------------------------------------------
    def _build_signin(self) -> None:
        self.signin = SignInView(self.shell, self)
        self.signin.signed_in.connect(self.sign_in_as)
        self.signin.language_toggled.connect(self.toggle_language)
        self.stack.addWidget(self.signin)
        self.stack.setCurrentWidget(self.signin)
        self.signin.setFocus()

    def _build_work(self, actor: Actor) -> None:
        tabs = QTabWidget(self)
        tabs.setObjectName("workTabs")
        tabs.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        titles = {"receiving": self.tr("Receiving  (F5)"), "inspection": self.tr("Inspection  (F6)"),
                  "queues": self.tr("Queues  (F3)"), "approvals": self.tr("Approvals  (F4)"),
                  "dashboard": self.tr("Dashboard  (F8)"), "sheets": self.tr("Sheets  (F11)"),
                  "resolution": self.tr("Resolution  (F1)"), "rtv": self.tr("Return to vendor  (F2)")}
        self.views = {}
        for permission, name, factory in role_views():
            if can(actor, permission):
                view = factory(self.shell, actor)
                tabs.addTab(view, titles[name])
                self.views[name] = view
        tabs.currentChanged.connect(self._tab_changed)
        self.tabs = tabs
        self.stack.addWidget(tabs)
        self.stack.setCurrentWidget(tabs)
        if self.views:
            self.current_view().setFocus()

    def drop_parked(self, *, quiet: bool = False) -> None:
        """Work kept over an idle lock, dropped when someone else signs in (or settings change);
        ``quiet`` when what it held was carried over to the new views."""
        if self._parked is None:
            return
        owner, tabs, views = self._parked
        self._parked = None
        lost = self._unsaved_work(views)
        if lost and not quiet:
            self.shell.bridge.show(Message(
                Level.WARNING, self.tr("%1's work was put away").replace("%1", owner.name),
                "; ".join(lost), self.tr("Nothing of it was saved: scan the parcel again to receive it."),
                code="work_put_away", sound="attention"))
        for view in views.values():
            stop = getattr(view, "shutdown", None)
            if stop is not None:
                stop()
        self.stack.removeWidget(tabs)
        tabs.deleteLater()

    def _drop_work(self) -> None:
        for view in self.views.values():
            stop = getattr(view, "shutdown", None)  # device threads (scale, camera) end first
            if stop is not None:
                stop()
        if self.tabs is not None:
            self.stack.removeWidget(self.tabs)
            self.tabs.deleteLater()
            self.tabs = None
            self.views = {}

    # --- sign-in / out ------------------------------------------------------------------
    def sign_in_as(self, actor: Actor) -> None:
        self.actor = actor
        self.status.set_actor(actor)
        if self._parked is not None and self._parked[0] == actor:  # same person, same role
            _, self.tabs, self.views = self._parked
            self._parked = None
            self.stack.setCurrentWidget(self.tabs)
            self.current_view().setFocus()
            self.idle.arm()
            self.actor_changed.emit(actor)
            self.shell.bridge.show(Message(Level.OK, self.tr("Welcome back, %1").replace("%1", actor.name),
                                           self.tr("Your work is as you left it."), "", code="resumed",
                                           sound="ok"))
            return
        card = self._parked_card_of(actor)
        self._build_work(actor)
        reopen = card if card is not None and "receiving" in self.views else None
        self.drop_parked(quiet=reopen is not None)
        self.idle.arm()
        self.actor_changed.emit(actor)
        if not self.views:
            self.shell.bridge.show(Message(Level.WARNING, self.tr("No views for your role"), "",
                                           self.tr("Ask an admin to check your role."), code="no_views"))
        elif reopen is not None:
            self.shell.bridge.show(Message(
                Level.INFO, self.tr("Welcome, %1").replace("%1", actor.name),
                self.tr("Your role changed: the card of RMA %1 is open again, not received yet.").replace("%1", reopen),
                self.tr("Enter its weight, condition and checks again, then receive it."),
                code="work_reopened", sound="attention"))
            self.views["receiving"].look_up(reopen)  # type: ignore[attr-defined]
        else:
            self.shell.bridge.show(Message(Level.OK, self.tr("Welcome, %1").replace("%1", actor.name), "",
                                           "", code="signed_in", sound="ok"))

    def _parked_card_of(self, actor: Actor) -> str | None:
        """The RMA of a card the same operator left unreceived under another role (a role
        change ends the session): the new views are the new role's, the card is looked up again
        on them rather than put away."""
        if self._parked is None or self._parked[0].id != actor.id:
            return None
        receiving = self._parked[2].get("receiving")
        flow = getattr(receiving, "flow", None)
        if flow is None or flow.pending_code is None:
            return None
        return flow.card.number if flow.card else flow.pending_code

    def sign_out(self) -> None:
        """F12, the sign-out barcode, a role change: work not saved yet (a card not received)
        is kept for the same operator like the idle lock keeps it, and said so; never dropped
        without a word."""
        if self.actor is None:
            return
        actor, service = self.actor, self.signin.service
        kept = self._unsaved_work(self.views)
        self.shell.background.op(lambda: service.sign_out(actor), self).failure(
            lambda exc: log.warning("sign-out audit failed: %s", exc)).write()
        parking, self._parking = self._parking, self._parking or bool(kept)
        try:
            self._leave()
        finally:
            self._parking = parking
        if kept and not parking:
            self.shell.bridge.show(Message(
                Level.INFO, self.tr("%1 signed out").replace("%1", actor.name),
                self.tr("Kept for you: %1.").replace("%1", "; ".join(kept)),
                self.tr("Sign in again to finish it. If someone else signs in first, it is put away."),
                code="work_kept"))

    @staticmethod
    def _unsaved_work(views: dict[str, QWidget]) -> list[str]:
        found = (getattr(view, "unsaved_work", lambda: None)() for view in views.values())
        return [work for work in found if work]

    def lock(self) -> None:
        """Idle auto-lock: signs out (audited) but keeps the work as it was for the same
        operator: a filled card or a half-walked checklist is given back when they sign in
        again; anyone else signing in gets fresh views and the kept work is dropped."""
        if self.actor is None:
            return
        name = self.actor.name
        self._parking = True
        try:
            self.sign_out()
        finally:
            self._parking = False
        self.shell.bridge.show(Message(Level.INFO, self.tr("Station locked"),
                                       self.tr("%1 was signed out after idle time.").replace("%1", name),
                                       self.tr("Scan your badge to continue; your work is kept for you."),
                                       code="locked"))

    def _leave(self) -> None:
        actor = self.actor
        self.actor = None
        self.idle.disarm()
        if self._parking and actor is not None and self.tabs is not None:
            self._parked = (actor, self.tabs, self.views)
            self.tabs, self.views = None, {}
        else:
            self._drop_work()
        self.status.set_actor(None)
        self.stack.setCurrentWidget(self.signin)
        self.signin.reset()
        self.actor_changed.emit(None)

    # --- scans and messages -------------------------------------------------------------
    def current_view(self) -> QWidget:
        if self.actor is None or self.tabs is None or self.tabs.count() == 0:
            return self.signin
        return self.tabs.currentWidget()

    def show_view(self, name: str) -> None:
        if self.tabs is not None and name in self.views:
            view = self.views[name]
            if self.tabs.currentWidget() is view and isinstance(view, SupervisorTab):
                view.refresh()  # its key again: reload
            self.tabs.setCurrentWidget(view)
            view.setFocus()

    def _tab_changed(self, _index: int) -> None:
        view = self.current_view()
        if isinstance(view, SupervisorTab):
            view.refresh()
        view.setFocus()

    def key_action(self, key: Qt.Key) -> Callable[[], None] | None:
        """What a window key does here and now, or ``None`` to let the focused widget have it."""
        if key == Qt.Key.Key_F12:
            # In the application key filter, not a QShortcut: a shortcut needs an active
            # window, which a kiosk without a window manager loses after a dialog closes.
            return self.sign_out if self.actor is not None else None
        if key == Qt.Key.Key_F10:
            if self.actor is not None and self.current_view() is self.views.get("approvals"):
                return None  # the approvals desk rejects with F10
            return self.open_settings
        if key == Qt.Key.Key_F2 and self.actor is not None and self.current_view() is self.views.get("receiving"):
            return None  # receiving weighs again with F2
        name = VIEW_KEYS.get(key)
        if self.actor is None or name not in self.views:
            return None
        return lambda: self.show_view(name)

    def route_scan(self, scan: Scan) -> None:
        """Classify once, then give the meaning to what has focus: an open dialog first (it
        takes what it can use; anything else is refused and changes nothing), else the view."""
        self.idle.touch()
        meaning = self.shell.classifier.classify(scan.text, scan.symbology)
        view = self.current_view()
        dialog = dialog_in_front(view)
        if dialog is not None:
            if not dialog.take_scan(meaning):
                shown = meaning.text if len(meaning.text) <= 40 else meaning.text[:37] + "..."
                self.shell.bridge.show(Message(
                    Level.WARNING, self.tr("Scan not used: a dialog is open"), shown,
                    self.tr("Nothing changed. Finish or cancel the dialog, then scan again."),
                    code="scan_refused_by_dialog", sound="error"))
            return
        if self.actor is not None and command_in(meaning) is Command.SIGN_OUT:
            self.sign_out()
            return
        if isinstance(view, SignInView):
            view.handle_scan(scan)
        else:
            view.handle_scan(scan, meaning)  # type: ignore[attr-defined]

    def _show_message(self, message: Message) -> None:
        if message.code == "session_ended" and self.actor is not None:
            # The station refused the session itself (role changed, badge blocked): nothing
            # more may be done under it, so the window signs out and says why at sign-in.
            self.sign_out()
        banner = getattr(self.current_view(), "banner", None)
        if banner is not None:
            banner.show_message(message)
        self.sounds.play(message.sound)

    # --- language and settings ----------------------------------------------------------
    def toggle_language(self) -> None:
        new = "en" if self.shell.language.startswith("zh") else "zh_CN"
        if self._on_language is not None:
            self.apply_shell(self._on_language(new))

    def open_settings(self) -> None:
        if self._on_settings is None:
            return
        if self.actor is None or not can(self.actor, Permission.MANAGE_SETTINGS):
            self.shell.bridge.show(Message(Level.WARNING, self.tr("Settings need an admin"), "",
                                           self.tr("Ask an admin to sign in."), code="permission_denied",
                                           sound="denied"))
            return
        shell = self._on_settings(self)
        if shell is not None:
            self.apply_shell(shell)

    def apply_shell(self, shell: Shell) -> None:
        """New settings or language: rebuild every view with the new shell, keep the operator."""
        self.shell.bridge.shown.disconnect(self._show_message)
        self.shell = shell
        shell.bridge.shown.connect(self._show_message)
        self.setWindowTitle(self.tr("RMA station %1").replace("%1", shell.ctx.station_id))
        self.idle.set_minutes(float(shell.settings.get("ui.idle_lock_minutes")))
        actor = self.actor
        self._drop_work()
        self.drop_parked()
        self.stack.removeWidget(self.signin)
        self.signin.deleteLater()
        from ui.status import StationStatusBar

        self.status = StationStatusBar(shell, self)
        self.setStatusBar(self.status)  # deletes the old bar
        if self.sounds.trouble_text:
            self.status.show_sound_trouble(self.sounds.trouble_text)
        self._build_signin()
        if actor is not None:
            self.actor = actor
            self.status.set_actor(actor)
            self._build_work(actor)
        self.status.refresh()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        if self.actor is not None:
            self.sign_out()
        self.drop_parked()
        super().closeEvent(event)
