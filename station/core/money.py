"""Money: exact amounts, one rounding rule, stored as whole hundredths.

Every amount in Python is a ``Decimal`` in its currency; every amount in a database is an
integer count of hundredths of the currency unit (``STORED_PLACES``), so ``SUM`` adds
integers and no row can hold 0.30000000000000004. Hundredths are the minor unit of every
currency this station takes with two places (CNY, USD, EUR...); a currency with none (JPY,
KRW) is stored the same way and always rounds to a whole unit, so its last two stored digits
are zero. A currency with three places (BHD, KWD) cannot be stored exactly and is refused
where an amount enters (``parse``, ``exact``).

One rounding rule for the whole house: half-up (0.005 -> 0.01), to the currency's minor
unit. It is what customers and the shops' order systems expect on a receipt; banker's
rounding (Python's default for ``Decimal.quantize``) made two exports of the same refunds
differ by cents. Round only computed amounts (a percentage, a share, an average); an amount a
person or an order system gives is taken exactly or refused (``parse``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from station.core.errors import InvalidInput

STORED_PLACES = 2
"""Places every stored amount keeps: the database column holds ``amount * 100`` as an integer."""

ROUNDING = ROUND_HALF_UP
"""The house rounding rule (see the module docstring)."""

DEFAULT_PLACES = 2
PLACES: dict[str, int] = {
    # ISO 4217 currencies whose minor unit is not the hundredth.
    "JPY": 0, "KRW": 0, "VND": 0, "CLP": 0, "ISK": 0,
    "BHD": 3, "KWD": 3, "OMR": 3, "JOD": 3, "TND": 3, "LYD": 3, "IQD": 3,
}

ZERO = Decimal("0.00")
_STORED = Decimal(1).scaleb(-STORED_PLACES)
_TEXT = re.compile(r"[+-]?(\d{1,15}(\.\d*)?|\.\d+|\d{1,3}(,\d{3}){1,4}(\.\d*)?)")
LIMIT = Decimal(10) ** 15
"""Largest amount (exclusive) anywhere in the station: far above any parcel, far below where
an 8-byte integer of hundredths overflows."""


class MoneyError(InvalidInput, ValueError):
    """An amount that cannot be taken exactly; ``str()`` says why in words a clerk can act on."""

    def __init__(self, message: str, *, next_step: str | None = "Type it like 1234.50.") -> None:
        super().__init__(message, next_step=next_step)


def places(currency: str) -> int:
    """Decimal places of ``currency``'s minor unit (CNY 2, JPY 0)."""
    return PLACES.get(currency.upper(), DEFAULT_PLACES)


def quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-places(currency))


def round_money(value: Decimal | int, currency: str) -> Decimal:
    """``value`` rounded by the house rule to ``currency``'s minor unit."""
    if isinstance(value, float):
        raise TypeError("money is never a float; pass a Decimal")
    return Decimal(value).quantize(quantum(currency), rounding=ROUNDING)


def round_stored(value: Decimal | int) -> Decimal:
    """``value`` rounded by the house rule to hundredths, the places every stored amount keeps
    (for figures with no single currency: analytics across the station)."""
    if isinstance(value, float):
        raise TypeError("money is never a float; pass a Decimal")
    return Decimal(value).quantize(_STORED, rounding=ROUNDING)


def exact(value: Decimal | int, currency: str, what: str = "amount") -> Decimal:
    """``value`` at ``currency``'s places, refused if that would change it."""
    if isinstance(value, float):
        raise TypeError("money is never a float; pass a Decimal")
    value = Decimal(value)
    if not value.is_finite() or abs(value) >= LIMIT:
        raise MoneyError(f"The {what} {value} is out of range.")
    done = value.quantize(quantum(currency))
    if done != value:
        raise MoneyError(f"The {what} {value} has more decimal places than {currency.upper()} allows "
                         f"({places(currency)}).")
    if places(currency) > STORED_PLACES:
        raise MoneyError(f"{currency.upper()} amounts have {places(currency)} decimal places; this "
                         f"station keeps {STORED_PLACES}.")
    return done


def parse(text: str | Decimal | int, currency: str, what: str = "amount", *,
          negative: bool = False) -> Decimal:
    """An amount a person or another system wrote, taken exactly (``MoneyError`` otherwise).

    Commas are taken only as thousands in groups of three ("1,234.50"); "1,5" (a European
    decimal) and a currency code or symbol are refused, not guessed.
    """
    if isinstance(text, float):
        raise TypeError("money is never a float; pass text or a Decimal")
    raw = str(text).strip()
    if not _TEXT.fullmatch(raw):
        raise MoneyError(f"The {what} {raw[:30]!r} is not a number like 12.50.")
    try:
        value = Decimal(raw.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        raise MoneyError(f"The {what} {raw[:30]!r} is not a number.") from None
    if value < 0 and not negative:
        raise MoneyError(f"The {what} must be zero or more, not {raw}.")
    return exact(value, currency, what)


def to_stored(value: Decimal | int) -> int:
    """The integer a database column keeps for ``value`` (hundredths)."""
    if isinstance(value, float) or isinstance(value, bool):
        raise TypeError(f"money is never a {type(value).__name__}; pass a Decimal")
    hundredths = Decimal(value).scaleb(STORED_PLACES)
    whole = hundredths.to_integral_value()
    if whole != hundredths:
        raise MoneyError(f"{value} has more than {STORED_PLACES} decimal places and cannot be stored exactly.")
    return int(whole)


def from_stored(value: int) -> Decimal:
    """The amount a stored integer of hundredths stands for."""
    if isinstance(value, float):
        raise TypeError("a money column came back as a float (an AVG or a division in SQL?)")
    return Decimal(int(value)).scaleb(-STORED_PLACES).quantize(_STORED)


def total(amounts: Iterable[Decimal]) -> Decimal:
    return sum(amounts, ZERO)


def allocate(amount: Decimal, weights: Sequence[int | Decimal], currency: str) -> list[Decimal]:
    """``amount`` split by ``weights`` into minor units that add up to it exactly.

    Largest remainder: each share is rounded down, and the cents left over go one by one to
    the shares that lost the most (the first of equals). Weights all zero split evenly.
    """
    if not weights:
        return []
    step = quantum(currency)
    units = int(exact(amount, currency) / step)
    sign = -1 if units < 0 else 1
    units = abs(units)
    weights = [Decimal(w) for w in weights]
    if any(w < 0 for w in weights):
        raise ValueError("allocation weights cannot be negative")
    whole = sum(weights)
    if whole == 0:
        weights, whole = [Decimal(1)] * len(weights), Decimal(len(weights))
    raw = [units * w / whole for w in weights]
    shares = [int(r) for r in raw]
    left = units - sum(shares)
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - shares[i]), i))
    for i in order[:left]:
        shares[i] += 1
    return [sign * s * step for s in shares]


def share(amount: Decimal, part: int | Decimal, whole: int | Decimal, currency: str) -> Decimal:
    """``amount * part / whole``, rounded by the house rule (zero when ``whole`` is zero)."""
    if not whole:
        return round_money(Decimal(0), currency)
    return round_money(Decimal(amount) * Decimal(part) / Decimal(whole), currency)


def format_money(amount: Decimal | None, currency: str, *, code: bool = True) -> str:
    """``CNY 1,234.50``: grouped, at the currency's places; an empty string for no amount."""
    if amount is None:
        return ""
    text = f"{round_money(amount, currency):,.{places(currency)}f}"
    return f"{currency.upper()} {text}" if code else text
