"""A return's progress (``station.intake.progress``) in the customer's words: the status
page's timeline and the one line the look-up lists for each return.

The read model names steps by code; this turns each into words and a date in the page's
language, so no code reaches the customer.
"""

from __future__ import annotations

from dataclasses import dataclass

from station.intake.progress import Progress
from web import i18n


@dataclass(frozen=True)
class TimelineItem:
    name: str  # the step's code, for the page's markup (``data-step``), never shown
    state: str  # done | now | todo | ended
    words: str
    date: str
    note: str = ""


def step_words(name: str, progress: Progress, resolution: str, lang: str) -> str:
    """What a step is called: the resolution step says which (refund, exchange, voucher, or
    not accepted), the one issued if any, else the one asked for."""
    if name == "resolved":
        kind = progress.outcome or resolution
        key = f"step_resolved_{kind}"
        return i18n.t(key if key in i18n.WORDS else "step_resolved", lang)
    return i18n.t(f"step_{name}", lang)


def timeline(progress: Progress, resolution: str, lang: str) -> list[TimelineItem]:
    """The steps in order: done ones with their date, the current one marked, what is left greyed;
    a return that ended early (refused, cancelled, expired) ends with that, said plainly."""
    items = []
    for step in progress.steps:
        state = "done" if step.done else "todo"
        if step.done and step.name == progress.current and not progress.ended:
            state = "now"
        note = ""
        if step.name == "received" and step.done and 0 < progress.received_units < progress.expected_units:
            note = i18n.t("step_received_part", lang, n=progress.received_units, m=progress.expected_units)
        items.append(TimelineItem(step.name, state, step_words(step.name, progress, resolution, lang),
                                  i18n.date_words(step.at, lang), note))
        if step.name == "asked" and progress.current == "pending_review":
            items.append(TimelineItem("pending_review", "now", i18n.t("step_pending_review", lang), ""))
    if progress.ended:  # what did not happen is not listed: the return ends here
        items = [i for i in items if i.state != "todo"]
        items.append(TimelineItem(progress.ended, "ended", i18n.t(f"step_{progress.ended}", lang),
                                  i18n.date_words(progress.ended_at, lang)))
    return items


def current_words(progress: Progress, resolution: str, lang: str) -> str:
    """The one line the look-up shows for a return: its current step."""
    if progress.current in ("pending_review", "refused", "cancelled", "expired"):
        return i18n.t(f"step_{progress.current}", lang)
    return step_words(progress.current, progress, resolution, lang)
