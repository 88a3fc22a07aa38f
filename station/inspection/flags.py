"""Fraud and mismatch flags: what came back compared with what was sold.

Returns fraud is rarely a dramatic lie; it is a swapped serial, a cheaper item in the box, an
empty parcel, a dress worn to a wedding and returned "because it did not fit". Each flag here
is computed from facts (the receipt, the unit's scans, the RMA, the checklist answers) by a
pure function, so the same unit gets the same flags at any station. A flagged unit goes to
quarantine and a supervisor decides (``station.inspection.service``). The flags' names and
words are ``station.receiving.flags``'s, the weight rule ``station.receiving.rules``'s: receiving
raised some of these first, with the same functions.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from station.catalog.reasons import ReasonCodes
from station.core.return_policy import ReturnPolicy
from station.inspection.checklists import Checklist, ItemFlag
from station.inspection.grading import failures
from station.models import Unit
from station.policy.repeat_returns import is_repeat_returner, recent_returns
from station.receiving.flags import FLAG_TEXT, FlagCode
from station.receiving.matching import same_gtin, same_item, serial_differs
from station.receiving.rules import expected_weight_g, is_light_parcel

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Flag:
    code: FlagCode
    detail: str
    """Plain words with the numbers behind the flag, for the supervisor who decides."""

    @property
    def en(self) -> str:
        return FLAG_TEXT[self.code][0]

    @property
    def zh(self) -> str:
        return FLAG_TEXT[self.code][1]

    def as_json(self) -> dict[str, str]:
        return {"code": self.code.value, "detail": self.detail}


@dataclass(frozen=True)
class UnitFacts:
    """What the station knows about a unit apart from the checklist answers."""

    expected_sku: str = ""
    expected_gtin: str = ""
    received_sku: str = ""
    received_gtin: str = ""
    expected_serial: str = ""
    received_serial: str = ""
    parcel_weight_g: int | None = None
    expected_parcel_weight_g: int = 0
    receipt_flags: tuple[str, ...] = ()
    unit_flags: tuple[str, ...] = ()
    reason_code: str = ""
    customer_returns: int = 0
    """RMAs of the same customer authorised within the policy's repeat window (this one included)."""


def wrong_item_findings(facts: UnitFacts) -> list[str]:
    """What the recorded codes say about a wrong item (``station.receiving.matching`` decides "same")."""
    wrong: list[str] = []
    if facts.received_sku and not same_item(facts.received_sku, facts.expected_sku, facts.expected_gtin):
        wrong.append(f"scanned {facts.received_sku}, sold {facts.expected_sku}")
    if facts.received_gtin and not same_gtin(facts.received_gtin, facts.expected_gtin):
        wrong.append(f"GTIN {facts.received_gtin}, sold {facts.expected_gtin or 'no GTIN'}")
    return wrong


def serial_findings(facts: UnitFacts) -> list[str]:
    """What the recorded serial says (trimmed, case-insensitive: ``station.receiving.matching``)."""
    if serial_differs(facts.received_serial, facts.expected_serial):
        return [f"received {facts.received_serial}, sold {facts.expected_serial}"]
    return []


def compute_flags(
    facts: UnitFacts,
    checklist: Checklist,
    answers: Mapping[str, Any],
    reasons: ReasonCodes,
    policy: ReturnPolicy,
) -> tuple[Flag, ...]:
    """Every flag that applies, in a fixed order, each with the facts that raised it."""
    found: dict[FlagCode, str] = {}
    failed = failures(checklist, answers)
    failed_items = {f.item_id: checklist.item(f.item_id) for f in failed}

    def by_item(flag: ItemFlag) -> list[str]:
        return [i.id for i in failed_items.values() if i.flag == flag]

    wrong = wrong_item_findings(facts)
    if FlagCode.WRONG_ITEM in facts.unit_flags and not wrong:
        wrong.append("flagged at receiving")
    wrong += [f"inspector: {item} failed" for item in by_item(ItemFlag.WRONG_ITEM)]
    if wrong:
        found[FlagCode.WRONG_ITEM] = "; ".join(wrong)

    serial = serial_findings(facts)
    if not serial and FlagCode.SERIAL_MISMATCH in facts.unit_flags:
        serial.append("flagged at receiving")
    serial += [f"inspector: {item} failed" for item in by_item(ItemFlag.SERIAL_MISMATCH)]
    if serial:
        found[FlagCode.SERIAL_MISMATCH] = "; ".join(serial)

    missing = by_item(ItemFlag.MISSING_PARTS)
    if missing:
        found[FlagCode.MISSING_PARTS] = "inspector: " + ", ".join(missing) + " failed"

    expected_w = facts.expected_parcel_weight_g
    if is_light_parcel(facts.parcel_weight_g, expected_w, policy):
        found[FlagCode.LIGHT_PARCEL] = (
            f"parcel weighed {facts.parcel_weight_g} g; its contents should weigh {expected_w} g "
            f"(flag below {policy.light_parcel_ratio:.0%})")
    elif FlagCode.LIGHT_PARCEL in facts.receipt_flags:
        found[FlagCode.LIGHT_PARCEL] = "flagged at receiving"

    reason = reasons.get(facts.reason_code)
    worn = [i.id for i in failed_items.values() if i.wear_sign]
    if reason.expects_unused and worn:
        found[FlagCode.USED_AND_RETURNED] = (
            f"reason '{reason.en}' but wear signs found: {', '.join(worn)}")

    if is_repeat_returner(facts.customer_returns, policy):
        found[FlagCode.REPEAT_RETURNER] = (
            f"{facts.customer_returns} returns in {policy.repeat_days} days "
            f"(limit {policy.repeat_returns})")

    if FlagCode.LOT_HELD in facts.unit_flags:
        found[FlagCode.LOT_HELD] = "its production lot was on hold when it was scanned"

    if FlagCode.LOT_MISMATCH in facts.unit_flags:
        found[FlagCode.LOT_MISMATCH] = "its production lot differed from the order's when it was received"

    return tuple(Flag(code, found[code]) for code in FlagCode if code in found)


def unit_facts(db: Session, unit: Unit, policy: ReturnPolicy, now: dt.datetime) -> UnitFacts:
    """Gather the facts for ``unit`` from its receipt, RMA line and the customer's history."""
    line = unit.rma_line
    sold = line.product if line is not None else unit.product
    receipt = unit.receipt
    rma = receipt.rma if receipt is not None else None
    expected_weight = expected_weight_g(receipt.units) if receipt is not None else 0
    returns = 0
    if rma is not None and rma.customer_ref:
        returns = recent_returns(db, [rma.customer_ref], policy, now).get(rma.customer_ref, 0)
    return UnitFacts(
        expected_sku=(line.sku if line is not None else (sold.sku if sold else "")),
        expected_gtin=(sold.gtin or "") if sold is not None else "",
        received_sku=unit.sku_received or "",
        received_gtin=unit.gtin_received or "",
        expected_serial=(line.serial or "") if line is not None else "",
        received_serial=unit.serial_received or "",
        parcel_weight_g=receipt.weight_g if receipt is not None else None,
        expected_parcel_weight_g=expected_weight,
        receipt_flags=tuple(receipt.flags or ()) if receipt is not None else (),
        unit_flags=tuple(unit.flags or ()),
        reason_code=rma.reason_code if rma is not None else "",
        customer_returns=returns,
    )
