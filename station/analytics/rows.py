"""The frozen values analytics hand to the dashboard, the report, exports and alerts.

Counts are whole units (``Unit.quantity`` summed, so a batch of three lipsticks counts three),
rates and shares are floats between 0 and 1 (ratios, not money), money is ``Decimal``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class ReturnRate:
    """Returned units / units sold in the same period; ``rate`` is None without sales."""

    returned: int
    sold: int
    rate: float | None


@dataclass(frozen=True)
class RateRow:
    """Return rate of one SKU or one category."""

    key: str
    label: str
    returned: int
    sold: int
    rate: float | None


@dataclass(frozen=True)
class MixRow:
    """One slice of a mix (reason, grade, disposition): units and share of the whole."""

    key: str
    label: str
    units: int
    share: float


@dataclass(frozen=True)
class CycleTime:
    """Hours between two steps of a unit's life, over the units that reached the later step."""

    stage: str
    units: int
    mean_h: float | None
    p50_h: float | None
    p90_h: float | None


@dataclass(frozen=True)
class Costs:
    """What the period's returns cost, in the station currency."""

    shipping: Decimal
    handling: Decimal
    write_off: Decimal
    refunds: Decimal

    @property
    def total(self) -> Decimal:
        return self.shipping + self.handling + self.write_off + self.refunds


@dataclass(frozen=True)
class WeekRow:
    week: dt.date  # the Monday
    returned: int
    sold: int
    rate: float | None


@dataclass(frozen=True)
class WeekReasonRow:
    week: dt.date
    reason: str
    units: int
    share: float


@dataclass(frozen=True)
class SupplierRow:
    """Defects found at QC per supplier: grade D units / graded units."""

    supplier: str
    graded: int
    defective: int
    rate: float | None


@dataclass(frozen=True)
class UnitRow:
    """One unit behind a chart slice (drill-down)."""

    lpn: str
    rma_number: str
    sku: str
    category: str
    reason: str
    grade: str
    disposition: str
    state: str
    received_at: dt.datetime


def ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None
