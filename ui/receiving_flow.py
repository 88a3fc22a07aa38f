"""The receiving view's state and decisions, without Qt: which page shows, what a scan or
a key does, when a card holds unsaved work, what Enter does on each page.

``ReceivingView`` owns the widgets and the background calls; it asks this controller and
shows the answer. Tests drive it with station values and no widgets.
"""

from __future__ import annotations

import enum
from collections.abc import Callable

from station.core.return_policy import ReturnPolicy
from station.models import ReceiptStatus
from station.receiving.item_checks import ItemChecks
from station.receiving.rules import is_late
from station.receiving.views import ReceiptResult, RmaCard
from station.scanning.classify import ScanClassifier, ScanKind, ScanMeaning
from ui.commands import Command, command_in
from ui.keymap import action_for


class Page(enum.Enum):
    WAITING = "waiting"                # nothing on the card: scan a parcel
    CARD = "card"                      # an RMA card waits for Enter
    UNKNOWN = "unknown"                # no RMA matched: F9 quarantines
    NOT_RECEIVABLE = "not_receivable"  # a cancelled / closed RMA: Enter or F9 quarantines
    APPROVAL = "approval"              # a late parcel waits for this supervisor's reason


class ScanAct(enum.Enum):
    CONFIRM = "confirm"
    QUARANTINE = "quarantine"
    ESCAPE = "escape"
    ASK_REPRINT = "ask_reprint"
    REPRINT = "reprint"
    WRONG_COMMAND = "wrong_command"
    ITEM = "item"
    LOOK_UP = "look_up"


class CardNext(enum.Enum):
    NOT_RECEIVABLE = "not_receivable"
    ASK_APPROVAL = "ask_approval"
    DUPLICATE = "duplicate"
    LATE = "late"
    LATE_ACCEPT = "late_accept"
    """A late parcel scanned by someone who may accept it: receiving it needs their reason."""
    FOUND = "found"


class EnterAct(enum.Enum):
    BUSY = "busy"
    APPROVE = "approve"
    QUARANTINE = "quarantine"
    NOTHING = "nothing"
    RECEIVE = "receive"


_COMMANDS = {Command.CONFIRM: ScanAct.CONFIRM, Command.QUARANTINE: ScanAct.QUARANTINE,
             Command.CANCEL: ScanAct.ESCAPE, Command.REPRINT: ScanAct.ASK_REPRINT}


class ReceivingFlow:
    def __init__(self, policy: ReturnPolicy, classifier: ScanClassifier, can_approve: bool) -> None:
        self.policy, self.classifier, self.can_approve = policy, classifier, can_approve
        self.busy = False
        self.last_rma: str | None = None  # the RMA just received, for CMD:REPRINT
        self.reprint_next = False  # CMD:REPRINT with nothing on the card: the next RMA scan reprints
        self.reset()

    def reset(self) -> None:
        self.page = Page.WAITING
        self.pending_code: str | None = None
        self.unknown_code: str | None = None  # what F9 quarantines
        self.held_receipt: str | None = None  # a late parcel on the card, for a supervisor to accept
        self.accept_needed = False  # receiving the card needs the supervisor's reason for accepting it
        self.waiting_code: str | None = None  # a parcel scanned over unsaved work
        self.checks: ItemChecks | None = None
        self.card: RmaCard | None = None

    @property
    def not_receivable(self) -> bool:
        return self.page is Page.NOT_RECEIVABLE

    # --- scans and keys ---------------------------------------------------------------
    def on_scan(self, meaning: ScanMeaning) -> tuple[ScanAct, str]:
        """What a classified scan does here, with the code it acts on."""
        command = command_in(meaning)
        if command in _COMMANDS:
            return _COMMANDS[command], ""
        if meaning.kind is ScanKind.LPN or (self.reprint_next and meaning.kind in (ScanKind.RMA, ScanKind.TRACKING)):
            return ScanAct.REPRINT, meaning.value
        if command is not None or meaning.is_command_shaped:
            return ScanAct.WRONG_COMMAND, meaning.text
        if self.checks is not None and self.pending_code is not None and not self.busy:
            return ScanAct.ITEM, meaning.text
        return ScanAct.LOOK_UP, meaning.text

    @staticmethod
    def key_action(key: str) -> str | None:
        return action_for("Receiving", key)

    def reprint_code(self) -> str | None:
        """CMD:REPRINT: the RMA on the card or just received; ``None`` asks for a scan."""
        code = self.pending_code or self.last_rma
        self.reprint_next = code is None
        return code

    # --- parcels ----------------------------------------------------------------------
    def has_unsaved_work(self, weight_typed: bool, condition_set: bool, counts_changed: bool) -> bool:
        """The open card holds what the clerk entered: weight, condition, counts or item checks."""
        if self.pending_code is None:
            return False
        return weight_typed or condition_set or counts_changed or bool(self.checks is not None and self.checks.items)

    def parcel_scanned(self, code: str, has_work: bool) -> bool:
        """True: look ``code`` up now. False: the open card has unsaved work, ask first
        (Enter receives it, Esc discards it; then ``code`` is looked up)."""
        if has_work and code.strip().upper() != (self.pending_code or "").upper():
            self.waiting_code = code.strip()
            return False
        return True

    def card_found(self, code: str, card: RmaCard, counted: Callable[[int], int]) -> CardNext:
        self.reset()
        self.card = card
        if card.not_receivable:
            self.page, self.unknown_code = Page.NOT_RECEIVABLE, code
            return CardNext.NOT_RECEIVABLE
        self.page, self.pending_code = Page.CARD, code
        self.checks = ItemChecks(card, counted, self.policy, self.classifier)
        held = [r for r in card.receipts if r.status == ReceiptStatus.AWAITING_APPROVAL]
        if self.can_approve and held:
            self.page, self.held_receipt = Page.APPROVAL, str(held[0].id)
            return CardNext.ASK_APPROVAL
        if card.fully_received:
            return CardNext.DUPLICATE
        if not is_late(card, self.policy):
            return CardNext.FOUND
        if self.can_approve:
            self.accept_needed = True
            return CardNext.LATE_ACCEPT
        return CardNext.LATE

    def reason_refused(self) -> bool:
        """The service wants a reason for accepting the parcel (a policy hold the card could not
        show): True when this operator can give one, so the reason line is offered."""
        if self.can_approve and self.pending_code is not None:
            self.accept_needed = True
        return self.accept_needed

    def lookup_failed(self, code: str, not_found: bool) -> None:
        self.reset()
        if not_found:
            self.page, self.unknown_code = Page.UNKNOWN, code

    def enter_act(self) -> EnterAct:
        if self.busy:
            return EnterAct.BUSY
        if self.held_receipt is not None:
            return EnterAct.APPROVE
        if self.page is Page.NOT_RECEIVABLE:
            return EnterAct.QUARANTINE  # Enter on a parcel that cannot be received does what F9 does
        return EnterAct.RECEIVE if self.pending_code is not None else EnterAct.NOTHING

    def quarantine_code(self) -> str | None:
        """What F9 quarantines: an unknown parcel or a cancelled / closed RMA's; ``None`` when
        there is none or a write is still under way."""
        return None if self.busy else self.unknown_code

    def received(self, result: ReceiptResult) -> str | None:
        """After a receipt: the parcel scanned over the card, to look up next."""
        if result.units:
            self.last_rma = result.rma_number
        waiting = self.waiting_code
        self.reset()
        return waiting

    def escape(self) -> str | None:
        """Esc / CMD:CANCEL: clear; returns a parcel scanned over the cleared card."""
        waiting = self.waiting_code
        self.reset()
        return waiting
