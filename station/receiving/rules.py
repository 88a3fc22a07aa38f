"""The dock's two judgements about a parcel, each decided here and nowhere else: is it late,
and is it light.

The receiving service decides both when it takes a parcel in; the receiving window asks
``is_late`` before, to warn the clerk; inspection asks ``is_light_parcel`` again when it
gathers a unit's flags. Asking the same function is what keeps the warning, the receipt and
the inspector's flags in agreement.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from station.core.return_policy import ReturnPolicy
from station.receiving.views import RmaCard


class _Product(Protocol):
    @property
    def expected_weight_g(self) -> int | None: ...


class WeighedUnit(Protocol):
    """What the weight rule reads of a unit: its product (None for an unknown item) and how
    many items it stands for."""

    @property
    def product(self) -> _Product | None: ...

    @property
    def quantity(self) -> int: ...


def is_late(card: RmaCard, policy: ReturnPolicy) -> bool:
    """A parcel is late when it arrives more than the policy's ``grace_days`` after its RMA's
    deadline.

    A late parcel is still received, but for a supervisor: a clerk's receipt is held until
    one accepts it (``ReceivingService.approve_expired``). Within the grace days the card
    shows the days past the deadline and nothing is held, so a parcel that sat a weekend at
    the carrier's depot does not stop the dock.
    """
    return card.days_late > policy.grace_days


def expected_weight_g(units: Iterable[WeighedUnit]) -> int:
    """What the parcel's contents should weigh: the catalogue's ``expected_weight_g`` of each
    unit's product times its quantity, summed over the units received in that parcel.

    The units, not the RMA's lines: a partial parcel is weighed against what was counted
    into it, and a parcel matched from quarantine against what it was matched to. A product
    without a catalogue weight counts 0 g: the expected weight is then too low, never too
    high, so a missing weight can hide a light parcel but never raise a false alarm.
    """
    return sum((unit.product.expected_weight_g or 0) * unit.quantity
               for unit in units if unit.product is not None)


def is_light_parcel(weight_g: int | None, expected_g: int, policy: ReturnPolicy) -> bool:
    """A parcel is light, a possible empty box or a cheaper item swapped in, when it weighs
    less than ``policy.light_parcel_ratio`` of ``expected_g`` (``expected_weight_g``).

    Strictly less: a parcel at exactly the ratio passes. A parcel nobody weighed, or whose
    contents have no expected weight, is never light: there is nothing to compare.
    """
    return weight_g is not None and expected_g > 0 and weight_g < expected_g * policy.light_parcel_ratio
