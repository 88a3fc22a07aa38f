"""English plural forms for the ``%n`` strings (``tr("%n rows", "", n)``).

Without a translator Qt shows the source text for every count, so a queue said "1 rows" and
a batch "1 sheets". English has two forms, one and other; ``python -m ui.i18n.build``
writes them into ``rma_station_en.qm``, which the window loads for English too, and lists
any ``%n`` string missing here (``tests/ui/test_translations_complete.py`` fails on it).
"""

from __future__ import annotations

PLURALS: dict[str, tuple[str, str]] = {
    "%n pending": ("%n pending", "%n pending"),
    "%n unit(s) unpriced: resale not counted": ("%n unit unpriced: resale not counted",
                                                "%n units unpriced: resale not counted"),
    "%n sheets": ("%n sheet", "%n sheets"),
    "%n units": ("%n unit", "%n units"),
    "%n rows": ("%n row", "%n rows"),
    "%n request(s) waiting": ("%n request waiting", "%n requests waiting"),
    "%n approved unit(s) of this vendor wait for a batch": (
        "%n approved unit of this vendor waits for a batch", "%n approved units of this vendor wait for a batch"),
    "Claim open %n day(s).": ("Claim open %n day.", "Claim open %n days."),
    "%1 — %n units": ("%1 — %n unit", "%1 — %n units"),
    "%n open RMA(s) found": ("%n open RMA found", "%n open RMAs found"),
    "%n problem(s); the policy is not usable as it is.": (
        "%n problem; the policy is not usable as it is.", "%n problems; the policy is not usable as it is."),
    "%n problem(s); nothing was saved.": ("%n problem; nothing was saved.", "%n problems; nothing was saved."),
    "No central database: this station works alone. %n change(s) wait to be sent once one is set up.": (
        "No central database: this station works alone. %n change waits to be sent once one is set up.",
        "No central database: this station works alone. %n changes wait to be sent once one is set up."),
}
