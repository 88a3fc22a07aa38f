"""GTIN check digits and EAN-13 bars, so relabelled B-stock carries a retail code that scans.

GTINs arrive as 8, 12, 13 or 14 digits; they are normalised to GTIN-14 for GS1-128 AI (01)
and to 13 digits for EAN-13 (possible only when the GTIN-14 starts with 0).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from labels.errors import LabelError

log = logging.getLogger(__name__)

_L = ("0001101", "0011001", "0010011", "0111101", "0100011",
      "0110001", "0101111", "0111011", "0110111", "0001011")
_G = tuple(code.translate(str.maketrans("01", "10"))[::-1] for code in _L)
_R = tuple(code.translate(str.maketrans("01", "10")) for code in _L)
_PARITY = ("LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG",
           "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL", "LGGLGL")
EAN13_MODULES = 95
EAN13_QUIET = (11, 7)


def gs1_check_digit(body: str) -> str:
    """The GS1 mod-10 check digit of ``body`` (weights 3,1,3,... from the right)."""
    total = sum(int(d) * (3 if n % 2 == 0 else 1) for n, d in enumerate(reversed(body)))
    return str((10 - total % 10) % 10)


def normalise_gtin(value: str, *, field: str = "gtin") -> str:
    """Return the GTIN-14 for ``value``, or raise naming ``field`` if it is not a valid GTIN."""
    digits = value.strip()
    if not digits.isdigit() or len(digits) not in (8, 12, 13, 14):
        raise LabelError(field, f"{value!r} is not a GTIN (8, 12, 13 or 14 digits).")
    if gs1_check_digit(digits[:-1]) != digits[-1]:
        raise LabelError(
            field,
            f"{value!r} has a wrong check digit (expected {gs1_check_digit(digits[:-1])}).",
            next_step="Re-read the GTIN from the product master.",
        )
    return digits.rjust(14, "0")


def ean13_digits(gtin14: str, *, field: str = "gtin") -> str:
    if not gtin14.startswith("0"):
        raise LabelError(field, f"GTIN-14 {gtin14} has an indicator digit; EAN-13 cannot carry it.")
    return gtin14[1:]


@dataclass(frozen=True)
class Ean13:
    digits: str
    pattern: str  # "1" = bar module, "0" = space module; 95 modules


def encode_ean13(digits: str) -> Ean13:
    parity = _PARITY[int(digits[0])]
    left = "".join((_L if p == "L" else _G)[int(d)] for p, d in zip(parity, digits[1:7]))
    right = "".join(_R[int(d)] for d in digits[7:13])
    return Ean13(digits=digits, pattern="101" + left + "01010" + right + "101")
