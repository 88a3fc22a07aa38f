"""Customer notices: which event gets which notice, and its text in the customer's language.

Templates are data (``station/data/notices/<locale>.toml``), one file per language, each with
the same notices; a template using a placeholder nobody fills is refused when loaded, not when
the first customer should have been told. The locale is the RMA's ``customer_locale``
(``zh``, ``zh-CN``, ``zh_TW`` -> Chinese; anything else -> English).
"""

from __future__ import annotations

import html
import logging
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from station.core.datafiles import read_toml
from station.core.errors import ConfigError
from station.integrations.feed import FeedEvent

log = logging.getLogger(__name__)

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "data" / "notices"
NOTICES = ("parcel_received", "refund_issued", "exchange_shipped", "return_rejected", "compensation_issued",
           "request_received", "request_authorised", "request_authorised_voucher", "request_refused",
           "request_cancelled")
FIELDS = {"customer_name", "rma", "order_number", "items", "amount", "currency", "reason", "exchange_items",
          "form", "difference", "signature", "comment", "status"}
#: ``status_url`` (a value, not a placeholder): the customer's status page, a signed link the
#: caller makes (``web.status_links``); every notice then says where to follow the return.
#: Notices about a return request carry the customer's own comment, so they also go out with an
#: HTML part in which everything the customer typed is escaped (``<b>`` arrives as text).
REQUEST_NOTICES = ("request_received", "request_authorised", "request_authorised_voucher", "request_refused",
                   "request_cancelled")
#: Events whose notices need the request's contacts (there may be no RMA yet: a request the
#: shop cancels while it waits for review has none).
REQUEST_EVENTS = ("rma.requested", "rma.authorised", "rma.refused", "rma.cancelled")
_BY_KIND = {"refund": "refund_issued", "exchange": "exchange_shipped", "rejected": "return_rejected",
            "compensation": "compensation_issued"}


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str  # "application/pdf"
    data: bytes


@dataclass(frozen=True)
class Message:
    notice: str
    locale: str
    subject: str
    body: str
    sms: str
    html: str = ""  # an HTML alternative, escaped from ``body``; empty: plain text only
    attachments: tuple[Attachment, ...] = ()


@dataclass(frozen=True)
class Templates:
    by_locale: dict[str, dict[str, Any]]

    def locale_for(self, customer_locale: str) -> str:
        lang = (customer_locale or "en").replace("_", "-").split("-")[0].lower()
        return lang if lang in self.by_locale else "en"

    def render(self, notice: str, customer_locale: str, values: dict[str, str]) -> Message:
        locale = self.locale_for(customer_locale)
        doc = self.by_locale[locale]
        words = doc["words"]
        filled = {k: "" for k in FIELDS} | {"signature": doc.get("signature", "")} | values
        if values.get("form") in words:
            filled["form"] = words[values["form"]]
        if values.get("difference"):
            filled["difference"] = "\n" + words["difference"].format(
                amount=values["difference"], currency=values.get("currency", "")) + "\n"
        if values.get("comment"):
            filled["comment"] = words["comment"].format(text=values["comment"]) + "\n"
        if notice == "request_cancelled":
            # The shop's reason is optional (the API and the desk accept none): a line only when given.
            filled["reason"] = words["cancel_reason"].format(text=values["reason"]) + "\n" \
                if values.get("reason") else ""
        filled["status"] = "\n" + words.get("status", "{url}").format(url=values["status_url"]) + "\n" \
            if values.get("status_url") else ""
        t = doc[notice]
        body = t["body"].format(**filled).strip() + "\n"
        return Message(notice, locale, t["subject"].format(**filled).strip(), body,
                       t["sms"].format(**filled).strip(), html=as_html(body) if notice in REQUEST_NOTICES else "")


def as_html(body: str) -> str:
    """The plain body as HTML: every character escaped, paragraphs kept."""
    paragraphs = [p for p in body.strip().split("\n\n") if p.strip()]
    inner = "\n".join("<p>" + html.escape(p).replace("\n", "<br>\n") + "</p>" for p in paragraphs)
    return f'<!doctype html>\n<html><body style="font-family:sans-serif">\n{inner}\n</body></html>\n'


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def load_templates(directory: Path = TEMPLATE_DIR) -> Templates:
    """Every ``<locale>.toml`` in ``directory``; English must be there (the fallback)."""
    found: dict[str, dict[str, Any]] = {}
    for path in sorted(directory.glob("*.toml")):
        doc = read_toml(path)
        for notice in NOTICES:
            entry = doc.data.get(notice)
            if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str) for k in ("subject", "body", "sms")):
                raise doc.error(f"[{notice}] needs subject, body and sms texts.", doc.line_of_table(notice, 0))
            for key in ("subject", "body", "sms"):
                unknown = _placeholders(entry[key]) - FIELDS
                if unknown:
                    raise doc.error(f"[{notice}] {key} uses unknown placeholder(s) {', '.join(sorted(unknown))}.",
                                    doc.line_of_key(key))
        if "words" not in doc.data:
            raise doc.error("[words] is missing.")
        found[str(doc.data.get("locale", path.stem))] = doc.data
    if "en" not in found:
        raise ConfigError(f"{directory}: no English notice templates (en.toml).")
    return Templates(found)


def notice_for(event: FeedEvent) -> str | None:
    """The notice an event triggers, if any (inspection and disposition tell the customer nothing)."""
    if event.name == "rma.received":
        return "parcel_received"
    if event.name == "resolution.issued":
        return _BY_KIND.get(str(event.data.get("kind")))
    if event.name == "rma.requested":
        # Decided at once: the decision's own notice follows from the same transaction, so only a
        # request sent to review is acknowledged here ("received, you will hear within 2 days").
        return "request_received" if event.data.get("status") == "pending_review" else None
    if event.name == "rma.authorised":
        # A voucher is paid for an item the customer keeps: no label, no "ship it" words.
        return "request_authorised_voucher" if event.data.get("resolution") == "compensation" \
            else "request_authorised"
    if event.name == "rma.refused":
        return "request_refused"
    if event.name == "rma.cancelled":
        # The shop withdrew the request (API or desk): a customer who was told "authorised, send
        # it" must hear not to, before a parcel goes out for nothing.
        return "request_cancelled"
    return None


def values_for(event: FeedEvent, customer_name: str, locale: str, names: dict[str, tuple[str, str]],
               comment: str = "") -> dict[str, str]:
    """Placeholder values from the event; ``names`` maps SKU -> (English, Chinese) product name."""
    zh = locale == "zh"

    def name(sku: str) -> str:
        en_name, zh_name = names.get(sku, (sku, sku))
        return zh_name if zh else en_name

    data = event.data
    sep = "、" if zh else ", "
    lines = data.get("units") or data.get("lines") or []
    items = sep.join(f"{name(str(u.get('sku')))} × {u.get('quantity', 1)}" for u in lines)
    exchange = sep.join(f"{name(str(x['new_sku']))} × {x['quantity']}" for x in data.get("exchange", []))
    rejection = data.get("rejection") or {}
    if event.name == "rma.refused" and data.get("reasons"):
        rejection = {"en": " ".join(str(r.get("en", "")) for r in data["reasons"]),
                     "zh": " ".join(str(r.get("zh", "")) for r in data["reasons"])}
    if event.name == "rma.cancelled":
        # One free text in the words the shop typed it (the cancel takes a single reason).
        rejection = {"en": str(data.get("reason", "")), "zh": str(data.get("reason", ""))}
    difference = data.get("difference_refunded", "")
    return {"customer_name": customer_name, "rma": event.rma_number, "order_number": str(data.get("order_number", "")),
            "items": items, "amount": str(data.get("amount", "")), "currency": str(data.get("currency", "")),
            "reason": str(rejection.get("zh" if zh else "en", "")), "exchange_items": exchange,
            "form": str(data.get("form", "")),
            "difference": difference if difference and difference.strip("0.") else "",
            "comment": comment}


# ----------------------------------------------------------------------- alert notices (staff)
ALERT_NOTICES = {"alert.raised": "alert_raised", "alert.escalated": "alert_escalated"}
"""Alert events that are mailed: to the rule's owner when raised, to the supervisors when escalated."""


def alert_message(event: FeedEvent, notice: str) -> Message:
    """The mail about an alert, for staff: its figures and a plain-text summary, no links
    (an e-mailed link to a desk nobody can reach from a phone helps nobody; the alert id and
    the command to answer it do)."""
    data = event.data
    escalated = notice == "alert_escalated"
    subject = (f"[RMA alert{' ESCALATED' if escalated else ''}] {data.get('severity', '')}: "
               f"{data.get('subject', '')}").strip()
    figures = "\n".join(f"  {key}: {value}" for key, value in sorted((data.get("figures") or {}).items()))
    lines = [
        ("No one acknowledged this alert by " + str(data.get("respond_by", "")) + "; it now goes to the site's "
         "supervisors.\n") if escalated else "",
        str(data.get("summary", "")), "", "Figures:", figures or "  (none)", "",
        f"Rule: {data.get('rule', '')}", f"Raised: {data.get('raised_at', '')}",
        f"Respond by: {data.get('respond_by', '') or '-'}", f"Alert: {data.get('alert_id', '')}", "",
        "Acknowledge it on the supervisor desk (Alerts) or with "
        f"`rma-station alerts ack {str(data.get('alert_id', ''))[:8]} --note ...`.",
    ]
    body = "\n".join(line for line in lines if line is not None).strip() + "\n"
    return Message(notice, "en", subject, body, f"{subject} - {data.get('summary', '')}"[:300])
