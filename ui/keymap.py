"""Every key and command scan of the dock, in one table (as qutebrowser keeps its bindings).

The views dispatch keys through ``action_for``; the footer under each view is
``footer(...)``; the keys table in ``docs/ui.md`` is ``markdown_table()`` (regenerate with
``python -m ui.keymap --write``; a test fails when the docs and the table disagree). A
binding with no ``action`` documents something done by a scan or by another part of the
window (the main window's view keys use ``view:<name>`` actions).

No Qt here: the controllers and the docs build import it; the views turn a ``QKeyEvent``
into a key name (``Return``, ``Shift+F7``, ``Alt+1``, ``P``) before asking.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Binding:
    where: str                      # "Receiving", "Inspection", "Anywhere", "Sign-in" ...
    keys: tuple[str, ...]           # key names the view dispatches ("Return", "Alt+W")
    does: str                       # the docs' words
    scans: tuple[str, ...] = ()     # command scans doing the same ("CMD:CONFIRM") or what to scan
    action: str = ""                # what the view does ("" : documented only)
    hint: str = ""                  # footer hint (English) ...
    hint_zh: str = ""               # ... and in Chinese
    pages: tuple[str, ...] = ()     # pages where it applies (empty: all)
    shown: str = ""                 # how the docs show the key column, when not the keys and scans


BINDINGS: tuple[Binding, ...] = (
    Binding("Sign-in", (), "sign in (F2: 中文 / English)", shown="badge scan, PIN, Enter"),
    Binding("Anywhere", ("F12",), "sign out; the station also locks after `ui.idle_lock_minutes` and gives "
            "the operator's unsaved work back when the same operator signs in again", ("CMD:SIGNOUT",),
            action="sign_out"),
    Binding("Anywhere", ("F5",), "receiving (if the role has it)", action="view:receiving"),
    Binding("Anywhere", ("F6",), "inspection (if the role has it)", action="view:inspection"),
    Binding("Anywhere", ("F10",), "settings (admins; in the Approvals tab F10 is its \"reject\")",
            action="settings"),
    Binding("Anywhere (supervisor, admin)", ("F3",), "supervisor desk: Queues (see docs/supervisor.md); a tab "
            "follows the database as it changes, and reloads when it comes to the front or its key is pressed "
            "again; Enter on a sync conflict settles it",
            action="view:queues"),
    Binding("Anywhere (supervisor, admin)", ("F4",), "supervisor desk: Approvals", action="view:approvals"),
    Binding("Anywhere (supervisor, admin)", ("F8",), "supervisor desk: Dashboard", action="view:dashboard"),
    Binding("Anywhere (supervisor, admin)", ("F11",), "supervisor desk: Sheets", action="view:sheets"),
    Binding("Anywhere (inspector, supervisor, admin)", ("F1",), "Resolution tab: the RMAs ready for a customer "
            "resolution (every received unit dispositioned, or a partial parcel past `[resolution] "
            "partial_wait_days`), each with the proposed refund / exchange, amounts after restocking fees, the "
            "customer's returns and flags, who may issue it and why; below it, the history of resolutions issued, "
            "by people and by the policy", action="view:resolution"),
    Binding("Anywhere but Receiving (supervisor, admin)", ("F2",), "Return to vendor tab (docs/rtv.md); in "
            "Receiving F2 stays \"weigh again\"", action="view:rtv"),
    # --- the desk's approvals and return to vendor: the views bind these keys and command
    # scans from here (``keys_for``, ``action_for_scan``), so a key shown is a key that works.
    Binding("Approvals", ("F9", "Ctrl+Return"), "approve the selected approval (type the reason first)",
            ("CMD:APPROVE",), action="approve"),
    Binding("Approvals", ("F10", "Ctrl+Backspace"), "reject the selected approval (type the reason first)",
            ("CMD:REJECT",), action="reject"),
    Binding("Approvals", ("Ctrl+Shift+X",), "cancel a return request: the one picked in the requests for "
            "review, or an authorised one not yet received typed by its RMA number; type the reason first (the "
            "customer's e-mail quotes it); a request whose parcel arrived cannot be cancelled",
            action="cancel_request"),
    Binding("Approvals", ("Ctrl+M",), "match the selected parcel without RMA to its RMA: search, pick, reason; "
            "its LPN labels print", action="match"),
    Binding("Resolution", (), "pick an RMA; issue it as proposed", shown="Up/Down, Ctrl+Return"),
    Binding("Resolution", (), "another kind / amount / the reason (required), then issue the adjustment",
            shown="Alt+K / Alt+M / Alt+R, Ctrl+Shift+Return"),
    Binding("Resolution", (), "reject; the reason (or a rejection code of resolution_rules.toml) is what the "
            "customer reads", shown="type the reason, Ctrl+Backspace"),
    Binding("Resolution", (), "go to the history", shown="Alt+H"),
    Binding("Return to vendor", (), "into the selected open batch (refused with the reason if not an approved "
            "RTV unit of its vendor)", shown="LPN scan, or type + Enter"),
    Binding("Return to vendor", ("Ctrl+N",), "open a batch for the vendor picked", ("CMD:OPENBATCH",),
            action="open_batch"),
    Binding("Return to vendor", ("Ctrl+P",), "ship the selected open batch (RA, carrier, tracking typed) and print "
            "its packing list + carton label; on a shipped batch, print them again", ("CMD:SHIP",), action="ship"),
    Binding("Return to vendor", ("Ctrl+K",), "the selected batch's claim: acknowledged by the vendor",
            ("CMD:ACK",), action="acknowledge"),
    Binding("Return to vendor", ("Ctrl+E",), "the claim credited with the amount typed (Enter in the amount too)",
            ("CMD:CREDIT",), action="credit"),
    Binding("Return to vendor", ("Ctrl+D",), "the claim disputed with the vendor's reason typed", ("CMD:DISPUTE",),
            action="dispute"),
    Binding("Return to vendor", (), "take the selected unit out of an open batch", shown="Delete on a unit"),
    Binding("Dashboard", (), "reload the tiles; a PDF report of the period", shown="F8 / Ctrl+Shift+R"),
    Binding("Dashboard", (), "the selected alert: acknowledge, add an action, close it; Ctrl+D: the drill-down",
            shown="Ctrl+K / Ctrl+Shift+A / Ctrl+Shift+K"),
    Binding("Sheets", (), "print the sheets of the days picked; reprint the selected job", shown="Ctrl+P / Ctrl+R"),
    Binding("Any dialog", (), "a badge scan fills the dialog's supervisor badge field; any other scan is "
            "refused with a banner and changes nothing behind the dialog", shown="any scan"),
    # --- receiving ---------------------------------------------------------------------
    Binding("Receiving", (), "RMA card; over a card with unsaved work (weight, condition, counts, checks) it "
            "asks first: Enter receives that card, Esc discards it", shown="RMA or tracking scan (or type + Enter)"),
    Binding("Receiving", ("Return",), "receive; one LPN label per unit is queued (a cancelled or closed RMA: "
            "quarantine its parcel)", ("CMD:CONFIRM",), action="confirm", hint="Enter: receive",
            hint_zh="回车：收货"),
    Binding("Receiving", (), "partial receipt", shown="lower a \"Counted\" value, then Enter"),
    Binding("Receiving", (), "item check; a serialised line then asks for its serial (scan it); a product not "
            "on the RMA is recorded as a wrong item", shown="product scan (GTIN / GS1, or a line's SKU) after the card",
            hint="product scan: check an item", hint_zh="扫商品码：核对商品"),
    Binding("Receiving", ("Alt+W",), "parcel weight, type kg (a scale in `scale.uri` fills it when the card appears)",
            action="weight_field"),
    Binding("Receiving", ("F2",), "weigh again on the scale", action="weigh", hint="F2: weigh", hint_zh="F2：称重"),
    Binding("Receiving", ("Alt+C",), "the next line's \"Counted\" box: type the count (lower it for a partial "
            "parcel; checks beyond the new count are dropped); Alt+C again: the line after", action="count_field",
            hint="Alt+C: count", hint_zh="Alt+C：数量"),
    Binding("Receiving", ("Alt+1", "Alt+2", "Alt+3", "Alt+4"), "parcel condition: intact, damaged, opened, wet",
            action="condition"),
    Binding("Receiving", ("F9",), "quarantine an unknown parcel, or the parcel of a cancelled or closed RMA",
            ("CMD:QUARANTINE",), action="quarantine", hint="F9: quarantine", hint_zh="F9：隔离"),
    Binding("Receiving", (), "reprint labels: an LPN scan reprints that unit's label; `CMD:REPRINT` reprints "
            "the RMA on the card (or asks for an RMA scan); audited", ("LPN scan", "CMD:REPRINT"),
            hint="LPN scan: reprint its label", hint_zh="扫 LPN：补打标签"),
    Binding("Receiving (supervisor, admin)", ("Alt+A",), "the \"awaiting approval\" list; Enter opens the late "
            "parcel, type the reason, Enter: `approve_expired`; its units go to inspection", action="approvals_list"),
    Binding("Receiving", ("Escape",), "clear (a parcel scanned over unsaved work is shown next)", ("CMD:CANCEL",),
            action="escape", hint="Esc: clear", hint_zh="Esc：清除"),
    # --- inspection --------------------------------------------------------------------
    Binding("Inspection", (), "start (or resume) the checklist; a quarantined unit a supervisor approved opens "
            "at its result, ready for its disposition", shown="LPN scan"),
    Binding("Inspection", ("P", "1"), "answer pass", ("CMD:PASS",), action="pass", pages=("question",)),
    Binding("Inspection", ("F", "2"), "answer fail", ("CMD:FAIL",), action="fail", pages=("question",)),
    Binding("Inspection", ("N", "3"), "answer n.a.", ("CMD:NA",), action="na", pages=("question",)),
    Binding("Inspection", ("1", "2", "3", "4", "5", "6", "7", "8", "9"), "pick a choice; numbers and text go in "
            "the entry, Enter submits (Enter alone skips an optional question)", action="choice",
            pages=("question",), shown="1-9"),
    Binding("Inspection", ("Backspace",), "previous question", ("CMD:BACK",), action="back",
            pages=("question", "summary", "result"), hint="Backspace: back", hint_zh="退格：上一题"),
    Binding("Inspection", ("F7",), "take a photo for the failed question that needs one: the camera's frame when "
            "`camera.uri` is set and live, else (saying there is no camera) from a file; the photo stays with the "
            "unit that opened the dialog", action="photo", hint="F7: photo", hint_zh="F7：照片"),
    Binding("Inspection", ("Shift+F7",), "add a photo from a file, camera or not", action="photo_file"),
    Binding("Inspection", ("W",), "no camera works: a supervisor waives the required photo (badge + PIN, "
            "reason; audited)", action="waive", pages=("summary",)),
    Binding("Inspection", ("Return",), "submit the typed answer; on the summary finish (grade, flags, "
            "recommended disposition and why); on the result confirm the disposition (its label is queued)",
            ("CMD:FINISH", "CMD:CONFIRM"), action="enter"),
    Binding("Inspection", ("O",), "override the grade: reason; raising it needs a supervisor (signed in, or "
            "badge scan + PIN in the dialog)", action="override", pages=("result",), hint="O: override grade",
            hint_zh="O：改判等级"),
    Binding("Inspection", ("Escape",), "next unit (clear)", ("CMD:CANCEL",), action="reset", hint="Esc: new unit",
            hint_zh="Esc：下一件"),
)


def action_for(where: str, key: str, page: str = "") -> str | None:
    """The action a key does in ``where`` on ``page``, or ``None``."""
    for b in BINDINGS:
        if b.where.startswith(where) and b.action and key in b.keys and (not b.pages or page in b.pages):
            return b.action
    return None


def keys_for(where: str, action: str) -> tuple[str, ...]:
    """The keys bound to ``action`` in ``where`` (a view binds its shortcuts from these)."""
    return tuple(k for b in BINDINGS if b.where.startswith(where) and b.action == action for k in b.keys)


def action_for_scan(where: str, scan: str) -> str | None:
    """The action a command scan (``"CMD:SHIP"``) does in ``where``, or ``None``."""
    for b in BINDINGS:
        if b.where.startswith(where) and b.action and scan in b.scans:
            return b.action
    return None


def command_scans() -> frozenset[str]:
    """Every command scan the table names (the printed command sheet carries each)."""
    return frozenset(s for b in BINDINGS for s in b.scans if s.startswith("CMD:"))


def footer(where: str, chinese: bool = False, page: str = "") -> str:
    """The key hints under a view, from the table."""
    hints = [(b.hint_zh if chinese and b.hint_zh else b.hint) for b in BINDINGS
             if b.where.startswith(where) and b.hint and (not b.pages or not page or page in b.pages)]
    return "   ·   ".join(hints)


def _key_column(b: Binding) -> str:
    if b.shown:
        return b.shown + ("" if not b.scans else " or " + " / ".join(f"`{s}`" if s.startswith("CMD:") else s
                                                                      for s in b.scans))
    parts = [("Enter, keypad Enter" if k == "Return" else "Esc" if k == "Escape" else k) for k in b.keys]
    parts += [f"`{s}`" if s.startswith("CMD:") else s for s in b.scans]
    return " / ".join(parts)


def markdown_table() -> str:
    rows = ["| Where | Key / scan | Does |", "|---|---|---|"]
    rows += [f"| {b.where} | {_key_column(b)} | {b.does} |" for b in BINDINGS]
    return "\n".join(rows) + "\n"


BEGIN, END = "<!-- keys:begin (python -m ui.keymap --write) -->\n", "<!-- keys:end -->"
DOCS = Path(__file__).resolve().parent.parent / "docs" / "ui.md"


def docs_with_table(text: str) -> str:
    """``docs/ui.md`` with its keys table replaced by the one made from ``BINDINGS``."""
    pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.S)
    return pattern.sub(lambda _m: BEGIN + markdown_table() + END, text)


if __name__ == "__main__":
    if "--write" in sys.argv:
        DOCS.write_text(docs_with_table(DOCS.read_text(encoding="utf-8")), encoding="utf-8")
    else:
        print(markdown_table(), end="")
