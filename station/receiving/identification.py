"""Which RMA a parcel is, from every code the camera read on it.

A box carries several codes: the station's return label (an RMA number), the carrier's label
(a tracking number), an order QR, product barcodes. Each is classified with the station's
classifier (``station.scanning.classify``), then the rule of the dock decides:

1. an RMA number wins;
2. else a tracking number that maps to exactly one RMA;
3. else an order number that maps to exactly one open RMA.

Codes that point to *different* RMAs are a conflict: the clerk sees a banner and scans the
right label; the station never guesses between two customers' returns. Identification only
opens the card; nothing is received until the clerk confirms (``ReceivingService.receive``
with the identified RMA number).
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select

from station.core.services import Service
from station.models import Rma
from station.receiving.service import FINISHED_STATES
from station.scanning.classify import ScanClassifier, ScanKind, ScanMeaning, classify_scan

log = logging.getLogger(__name__)


class CodeRole(enum.Enum):
    """What a code on the parcel is, as the preview names it."""

    RMA = "RMA"
    TRACKING = "tracking"
    ORDER = "order"
    PRODUCT = "product"
    OTHER = "other"


class Outcome(enum.Enum):
    IDENTIFIED = "identified"
    CONFLICT = "conflict"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class NamedCode:
    text: str
    symbology: str
    role: CodeRole
    meaning: ScanMeaning
    rma: str | None = None  # the RMA this code points to, if any


@dataclass(frozen=True)
class Identification:
    """The verdict for one parcel: ``rma`` when identified, ``candidates`` when in conflict."""

    outcome: Outcome
    rma: str | None
    codes: tuple[NamedCode, ...] = ()
    candidates: tuple[str, ...] = ()
    reason: str = ""
    by: CodeRole | None = None

    @property
    def next_step(self) -> str:
        if self.outcome is Outcome.IDENTIFIED:
            return "Check the card, then press the confirmation key to receive it."
        if self.outcome is Outcome.CONFLICT:
            return "The labels point to different RMAs: scan the right RMA label by hand."
        return "No RMA found on the parcel: scan its RMA or tracking label by hand."


@dataclass
class RmaIndex:
    """Where codes lead: RMA numbers that exist, tracking and order numbers to RMA numbers."""

    numbers: set[str] = field(default_factory=set)
    by_tracking: dict[str, set[str]] = field(default_factory=dict)
    by_order: dict[str, set[str]] = field(default_factory=dict)

    def has_rma(self, number: str) -> bool:
        return number in self.numbers

    def rmas_for_tracking(self, tracking: str) -> set[str]:
        return self.by_tracking.get(tracking, set())

    def rmas_for_order(self, order: str) -> set[str]:
        return self.by_order.get(order, set())


class RmaLookup:
    """The same questions asked of the station database (read-only, one query each)."""

    def __init__(self, service: Service) -> None:
        self._service = service

    def has_rma(self, number: str) -> bool:
        with self._service.reading() as db:
            return db.scalar(select(Rma.id).where(Rma.number == number)) is not None

    def rmas_for_tracking(self, tracking: str) -> set[str]:
        with self._service.reading() as db:
            return set(db.scalars(select(Rma.number).where(Rma.tracking_number == tracking)))

    def rmas_for_order(self, order: str) -> set[str]:
        with self._service.reading() as db:
            rows = db.execute(select(Rma.number, Rma.state).where(Rma.order_number == order)).all()
        return {n for n, state in rows if state not in FINISHED_STATES}


def identify(
    codes: Iterable[tuple[str, str]],
    lookup: RmaIndex | RmaLookup,
    classifier: ScanClassifier | None = None,
) -> Identification:
    """The parcel's RMA from its codes ``(text, symbology)``, by the dock's rule (module doc)."""
    classify = classifier.classify if classifier is not None else classify_scan
    named: list[NamedCode] = []
    for text, symbology in codes:
        meaning = classify(text, symbology)
        named.append(_name(text, symbology, meaning, lookup))
    rma_codes = [c for c in named if c.role is CodeRole.RMA and c.rma]
    tracking = [c for c in named if c.role is CodeRole.TRACKING and c.rma and c.rma != "*"]
    orders = [c for c in named if c.role is CodeRole.ORDER and c.rma and c.rma != "*"]
    pointed = {c.rma for c in rma_codes + tracking + orders if c.rma}
    ambiguous = [c for c in named if c.rma == "*"]
    if len(pointed) > 1:
        return Identification(Outcome.CONFLICT, None, tuple(named), tuple(sorted(pointed)),
                              "The codes on this parcel point to different RMAs: " + ", ".join(sorted(pointed)) + ".")
    for role, group in ((CodeRole.RMA, rma_codes), (CodeRole.TRACKING, tracking), (CodeRole.ORDER, orders)):
        if group:
            return Identification(Outcome.IDENTIFIED, group[0].rma, tuple(named), by=role)
    if ambiguous:
        return Identification(Outcome.CONFLICT, None, tuple(named), (),
                              f"{ambiguous[0].text} matches several RMAs: scan the RMA label.")
    return Identification(Outcome.UNKNOWN, None, tuple(named), reason="No code on this parcel leads to an RMA.")


def _name(text: str, symbology: str, meaning: ScanMeaning, lookup: RmaIndex | RmaLookup) -> NamedCode:
    kind = meaning.kind
    if kind is ScanKind.RMA:
        rma = meaning.value if lookup.has_rma(meaning.value) else None
        return NamedCode(text, symbology, CodeRole.RMA, meaning, rma)
    if kind is ScanKind.TRACKING:
        return NamedCode(text, symbology, CodeRole.TRACKING, meaning, _one(lookup.rmas_for_tracking(meaning.value)))
    if kind in (ScanKind.GTIN, ScanKind.GS1, ScanKind.LPN):
        return NamedCode(text, symbology, CodeRole.PRODUCT, meaning)
    if kind is ScanKind.UNKNOWN and meaning.text and len(meaning.text) <= 64:
        rma = _one(lookup.rmas_for_order(meaning.text.strip()))
        if rma:
            return NamedCode(text, symbology, CodeRole.ORDER, meaning, rma)
    return NamedCode(text, symbology, CodeRole.OTHER, meaning)


def _one(rmas: set[str]) -> str | None:
    """The RMA when exactly one; ``*`` when several (ambiguous); None when none."""
    if not rmas:
        return None
    return next(iter(rmas)) if len(rmas) == 1 else "*"


def role_names(identification: Identification) -> Sequence[tuple[str, str]]:
    """(text, role name) for the preview's outlines."""
    return [(c.text, c.role.value) for c in identification.codes]
