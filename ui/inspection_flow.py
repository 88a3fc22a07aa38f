"""The inspection view's state and decisions, without Qt: which page shows, which question
is open, where Backspace goes, what a key or a command scan does, where a photo belongs.

``InspectionView`` owns the widgets and the background calls; it asks this controller and
shows the answer. Tests drive it with station views and no widgets.
"""

from __future__ import annotations

import enum

from station.inspection.checklists import ItemKind
from station.inspection.views import InspectionResult, QuestionView
from station.inspection.views import InspectionView as InspectionState
from station.models import UnitState
from station.scanning.classify import ScanKind, ScanMeaning
from station.scanning.lots import LotSeen, lot_at_question
from ui.commands import Command, command_in
from ui.keymap import action_for


class Page(enum.IntEnum):
    """The view's pages, in the order of its stacked widget."""

    SCAN = 0
    QUESTION = 1
    SUMMARY = 2
    RESULT = 3


class EnterAct(enum.Enum):
    """What Enter does on the page in front of the inspector."""

    LOOK_UP = "look_up"  # open the unit of the typed LPN
    ANSWER = "answer"    # the typed number or text answers the open question
    LOT = "lot"          # the typed lot (or GS1 code) answers the open lot question
    SKIP = "skip"        # an optional number or text question left empty
    FINISH = "finish"
    CONFIRM = "confirm"  # the disposition
    NOTHING = "nothing"


_COMMANDS = {Command.PASS: "pass", Command.FAIL: "fail", Command.NA: "na", Command.BACK: "back",
             Command.FINISH: "enter", Command.CONFIRM: "enter", Command.CANCEL: "reset"}
ANSWERS = {"pass": "pass", "fail": "fail", "na": "na"}
TYPED_KINDS = (ItemKind.NUMBER, ItemKind.TEXT, ItemKind.LOT)
"""Questions answered in the text field (Enter sends it)."""


class InspectionFlow:
    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        self.inspection: InspectionState | None = None
        self.result: InspectionResult | None = None
        self.current: QuestionView | None = None
        self.skipped: set[str] = set()
        self.history: list[str] = []
        self.page = Page.SCAN

    # --- what opened ------------------------------------------------------------------
    def is_open(self, code: str) -> bool:
        """The unit of ``code`` is already on screen mid-checklist (a second scan does nothing)."""
        return self.inspection is not None and self.result is None and self.inspection.lpn == code.strip().upper()

    def started(self, view: InspectionState) -> Page:
        self.clear()
        self.inspection = view
        return self.advance()

    def released(self, result: InspectionResult) -> Page:
        """A quarantined unit a supervisor approved: straight to its result."""
        self.clear()
        return self.show_result(result)

    def show_result(self, result: InspectionResult) -> Page:
        self.result = result
        self.page = Page.RESULT
        return self.page

    @property
    def unit_open(self) -> bool:
        """A unit is mid-checklist (not yet graded): it can take answers and photos."""
        return self.inspection is not None and self.result is None

    @property
    def question_open(self) -> bool:
        """A question is on screen waiting for its answer."""
        return self.page == Page.QUESTION and self.current is not None and self.inspection is not None

    def shows(self, inspection_id: object) -> bool:
        """The inspection on screen is still ``inspection_id`` (a slow write answers late)."""
        return self.inspection is not None and self.inspection.inspection_id == inspection_id

    @property
    def held(self) -> bool:
        """The result waits for a supervisor (quarantined and not released)."""
        return self.result is not None and self.result.unit_state == UnitState.QUARANTINED and not self.result.released

    # --- the walk ---------------------------------------------------------------------
    def update(self, view: InspectionState) -> None:
        self.inspection = view

    def answered(self, question_id: str, view: InspectionState) -> Page:
        self.history.append(question_id)
        self.skipped.discard(question_id)
        self.inspection = view
        return self.advance()

    def skip_current(self) -> Page:
        if self.current is not None:
            self.skipped.add(self.current.id)
        return self.advance()

    def open_questions(self) -> list[QuestionView]:
        if self.inspection is None:
            return []
        return [q for q in self.inspection.questions if q.asked and q.answer is None and q.id not in self.skipped]

    def asked(self) -> list[QuestionView]:
        return [q for q in self.inspection.questions if q.asked] if self.inspection is not None else []

    def position(self) -> tuple[int, int]:
        """(n, of) of the open question among those asked."""
        asked = self.asked()
        return (asked.index(self.current) + 1 if self.current in asked else 1), len(asked)

    def advance(self) -> Page:
        waiting = self.open_questions()
        self.current = waiting[0] if waiting else None
        self.page = Page.QUESTION if self.current is not None else Page.SUMMARY
        return self.page

    def back(self) -> bool:
        """One question back; False when there is nothing to go back to."""
        if not self.history or self.inspection is None or self.result is not None:
            return False
        previous = self.history.pop()
        self.current = next(q for q in self.inspection.questions if q.id == previous)
        self.skipped.discard(previous)
        self.page = Page.QUESTION
        return True

    # --- keys, commands ---------------------------------------------------------------
    def enter_act(self, typed: str) -> EnterAct:
        """What Enter does with ``typed`` (the LPN field's text on the scan page, else the answer's)."""
        if self.page == Page.SCAN:
            return EnterAct.LOOK_UP if typed.strip() else EnterAct.NOTHING
        if self.page == Page.QUESTION and self.current is not None:
            if self.current.kind not in TYPED_KINDS:
                return EnterAct.NOTHING  # pass/fail and choices answer by their keys
            if not typed.strip() and not self.current.required:
                return EnterAct.SKIP
            return EnterAct.LOT if self.current.kind == ItemKind.LOT else EnterAct.ANSWER
        return {Page.SUMMARY: EnterAct.FINISH, Page.RESULT: EnterAct.CONFIRM}.get(self.page, EnterAct.NOTHING)

    @property
    def at_lot_question(self) -> bool:
        """The open question asks for the unit's production lot."""
        return self.question_open and self.current is not None and self.current.kind == ItemKind.LOT

    def lot_given(self, meaning: ScanMeaning) -> LotSeen:
        """The lot the inspector typed or scanned at the lot question (``lot_at_question``'s one
        rule); raises ``InvalidInput`` for a code without a lot."""
        return lot_at_question(meaning)

    def scan_answers_lot(self, meaning: ScanMeaning) -> bool:
        """A product's own code (GS1 or a bare GTIN) scanned at the lot question answers it, or is
        refused there; it never opens a unit."""
        return self.at_lot_question and meaning.kind in (ScanKind.GS1, ScanKind.GTIN)

    def lot_recorded(self, view: InspectionState) -> bool:
        """The unit's lot is kept (typed or scanned): True when that answered the open lot
        question, so the walk moves on."""
        at_lot = self.at_lot_question
        if at_lot and self.current is not None:
            self.answered(self.current.id, view)
        else:
            self.update(view)
        return at_lot

    def scan_action(self, meaning: ScanMeaning) -> str | None:
        """A scan: ``"start"`` opens the unit of a code; a command does what its key does
        (``_COMMANDS``); ``None``: a command inspection does not take."""
        if not meaning.is_command_shaped:
            return "start"
        return self.command_action(command_in(meaning))

    def key_action(self, key: str) -> str | None:
        """What a key does now (``ui.keymap`` names the actions), given the page and question."""
        page = self.page.name.lower()
        kind = self.current.kind if self.current is not None and self.page == Page.QUESTION else None
        if kind == ItemKind.CHOICE and key.isdigit() and key != "0":
            return "choice"
        action = action_for("Inspection", key, page)
        if action in ANSWERS and kind != ItemKind.PASS_FAIL:
            return None
        if action == "choice" and kind != ItemKind.CHOICE:
            return None
        if action == "back" and self.result is not None:
            return None
        if action == "waive" and self.page != Page.SUMMARY:
            return None
        return action

    @staticmethod
    def command_action(command: Command | None) -> str | None:
        return _COMMANDS.get(command) if command is not None else None

    # --- photos -----------------------------------------------------------------------
    def photo_target(self) -> QuestionView | None:
        """The question a new photo belongs to: the first failed one that needs one, else the open one."""
        if self.inspection is None:
            return None
        needing = [q for q in self.inspection.questions if q.needs_photo]
        return needing[0] if needing else self.current

    def waivable(self, camera_live: bool) -> QuestionView | None:
        """The question whose photo a supervisor may waive: one needs a photo and no camera works."""
        if self.inspection is None or self.result is not None or camera_live:
            return None
        return next((q for q in self.inspection.questions if q.needs_photo), None)
