"""What dock scales say on the wire, parsed into ``Weight`` values.

Two families cover most parcel scales:

* **Continuous output** (A&D, CAS, many OEM indicators): a line per reading, e.g.
  ``ST,GS,+  12.345 kg`` (``ST`` stable / ``US`` unstable / ``OL`` overload; ``GS`` gross,
  ``NT`` net after tare).
* **Request/response** (Mettler-Toledo SICS): the host sends ``S`` (stable weight), ``SI``
  (immediate) or ``T`` (tare) and gets ``S S      12.345 kg`` (``S D`` = dynamic/unstable,
  ``T S`` = tare accepted, ``S I``/``S +``/``S -`` = busy/overload/underload).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

log = logging.getLogger(__name__)

_CONTINUOUS = re.compile(r"^(ST|US|OL),(GS|NT|TR),([+-]?)\s*([0-9.]+)\s*([a-zA-Z]+)$")
_SICS = re.compile(r"^(S|SI|T|TA)\s+(S|D)\s+([+-]?)\s*([0-9.]+)\s*([a-zA-Z]+)$")
_UNITS = {"kg": "kg", "g": "g", "lb": "lb", "lbs": "lb", "oz": "oz"}


@dataclass(frozen=True)
class Weight:
    """One reading. ``net`` is True after a tare; ``value`` is a ``Decimal`` in ``unit``."""

    value: Decimal
    unit: str
    stable: bool
    net: bool = False
    overload: bool = False

    def in_kg(self) -> Decimal:
        factor = {"kg": Decimal(1), "g": Decimal("0.001"), "lb": Decimal("0.45359237"), "oz": Decimal("0.028349523125")}
        return self.value * factor[self.unit]


def parse_weight_line(line: str) -> Weight | None:
    """A ``Weight`` from one line of either protocol; ``None`` for anything else
    (acknowledgements, garbage after a power-up)."""
    text = line.strip()
    m = _CONTINUOUS.match(text)
    if m:
        status, mode, sign, number, unit = m.groups()
        return _weight(number, sign, unit, stable=status == "ST", net=mode == "NT", overload=status == "OL")
    m = _SICS.match(text)
    if m:
        command, status, sign, number, unit = m.groups()
        return _weight(number, sign, unit, stable=status == "S", net=command in ("T", "TA"))
    if text in ("S +", "S -", "SI +", "SI -"):
        return Weight(Decimal(0), "kg", stable=False, overload=True)
    return None


def _weight(number: str, sign: str, unit: str, *, stable: bool, net: bool, overload: bool = False) -> Weight | None:
    unit_name = _UNITS.get(unit.lower())
    if unit_name is None:
        log.warning("scale sent unknown unit %r", unit)
        return None
    try:
        value = Decimal(number)
    except InvalidOperation:
        return None
    return Weight(-value if sign == "-" else value, unit_name, stable, net, overload)
