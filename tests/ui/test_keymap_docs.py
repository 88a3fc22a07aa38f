"""One table of keys: docs/ui.md's keys table and the footers are made from ``ui.keymap``."""

from __future__ import annotations

from ui.keymap import BINDINGS, DOCS, action_for, docs_with_table, footer


def test_docs_keys_table_is_the_one_made_from_the_bindings() -> None:
    text = DOCS.read_text(encoding="utf-8")
    assert text == docs_with_table(text), "docs/ui.md is stale: run python -m ui.keymap --write"


def test_every_action_a_view_dispatches_is_in_the_table_and_the_footer_comes_from_it() -> None:
    assert action_for("Receiving", "F9") == "quarantine" and action_for("Inspection", "O", "result") == "override"
    assert action_for("Inspection", "O", "question") is None
    assert footer("Receiving") == ("Enter: receive   ·   product scan: check an item   ·   F2: weigh   ·   "
                                   "Alt+C: count   ·   F9: quarantine   ·   LPN scan: reprint its label   ·   Esc: clear")
    assert footer("Receiving", chinese=True).startswith("回车：收货")
    documented = {b.action for b in BINDINGS if b.action}
    assert {"confirm", "quarantine", "escape", "weigh", "enter", "back", "photo", "waive", "override"} <= documented
