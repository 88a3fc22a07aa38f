"""Code 128 and GS1-128 encoding, done here so PDF and ZPL print the very same bars.

The encoder picks code set B for text and switches to code set C for runs of digits (four
or more, or an even run at the end), which is what keeps LPNs and GTINs short. It returns
both the module pattern (drawn as rectangles in PDF) and the ZPL ``^BC`` field data with
explicit invocation codes (``>:`` start B, ``>;`` start C, ``>5``/``>6`` switch, ``>8`` FNC1),
so the printer's own encoder produces exactly the width the layout reserved.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache

from labels.errors import LabelError

log = logging.getLogger(__name__)

# Bar/space widths of symbol values 0..106 (106 = stop, drawn with its final 2-module bar).
_WIDTHS = (
    "212222 222122 222221 121223 121322 131222 122213 122312 132212 221213 221312 231212 "
    "112232 122132 122231 113222 123122 123221 223211 221132 221231 213212 223112 312131 "
    "311222 321122 321221 312212 322112 322211 212123 212321 232121 111323 131123 131321 "
    "112313 132113 132311 211313 231113 231311 112133 112331 132131 113123 113321 133121 "
    "313121 211331 231131 213113 213311 213131 311123 311321 331121 312113 312311 332111 "
    "314111 221411 431111 111224 111422 121124 121421 141122 141221 112214 112412 122114 "
    "122411 142112 142211 241211 221114 413111 241112 134111 111242 121142 121241 114212 "
    "124112 124211 411212 421112 421211 212141 214121 412121 111143 111341 131141 114113 "
    "114311 411113 411311 113141 114131 311141 411131 211412 211214 211232 2331112"
).split()

START_B, START_C, CODE_B, CODE_C, FNC1, STOP = 104, 105, 100, 99, 102, 106
QUIET_MODULES = 10


@dataclass(frozen=True)
class Code128:
    """An encoded symbol: bar widths in modules (bar first) and the ZPL ``^FD`` text."""

    data: str
    widths: tuple[int, ...]
    zpl_data: str

    @property
    def modules(self) -> int:
        """Width of the bars alone, without quiet zones."""
        return sum(self.widths)


def _digit_run(text: str, start: int) -> int:
    end = start
    while end < len(text) and text[end].isdigit():
        end += 1
    return end - start


@lru_cache(maxsize=4096)
def encode(data: str, *, field: str = "barcode", gs1: bool = False) -> Code128:
    """Encode ``data`` (printable ASCII). With ``gs1`` the symbol starts with FNC1 and ``\\x1d``
    (GS) in ``data`` becomes FNC1, the separator after a variable-length AI."""
    if not data:
        raise LabelError(field, "is empty; a barcode needs something to encode.")
    for ch in data:
        if not (32 <= ord(ch) <= 126 or (gs1 and ch == "\x1d")):
            raise LabelError(
                field,
                f"{ch!r} cannot be encoded in Code 128 (printable ASCII only).",
                next_step="Use letters, digits and ASCII punctuation.",
            )
    values: list[int] = []
    zpl: list[str] = []
    i = 0
    mode = ""
    if gs1:
        # GS1-128 must begin with FNC1: start C if an even digit run follows, else start B.
        mode = "C" if _digit_run(data, 0) >= 2 else "B"
        values += [START_C if mode == "C" else START_B, FNC1]
        zpl.append(">;>8" if mode == "C" else ">:>8")
    while i < len(data):
        ch = data[i]
        if ch == "\x1d":
            values.append(FNC1)
            zpl.append(">8")
            i += 1
            continue
        run = _digit_run(data, i)
        rest_is_digits = run == len(data) - i
        if mode != "C" and (run >= 4 or (run >= 2 and rest_is_digits and run % 2 == 0)):
            if values and run % 2:  # odd run after text: one digit in B, then switch
                values.append(ord(ch) - 32)
                zpl.append(ch)
                i += 1
                run -= 1
            values.append(CODE_C if values else START_C)
            zpl.append(">5" if len(values) > 1 else ">;")
            mode = "C"
        if mode == "C" and run >= 2:
            for _ in range(run // 2):
                values.append(int(data[i : i + 2]))
                zpl.append(data[i : i + 2])
                i += 2
            continue
        if mode != "B":
            if not values:
                values.append(START_B)
                zpl.append(">:")
            else:
                values.append(CODE_B)
                zpl.append(">6")
            mode = "B"
        values.append(ord(ch) - 32)
        # ">" starts an invocation code in ZPL ^BC; ">0" is the escaped literal ">".
        zpl.append(">0" if ch == ">" else ch)
        i += 1
    check = (values[0] + sum(pos * v for pos, v in enumerate(values[1:], start=1))) % 103
    values += [check, STOP]
    widths = tuple(int(w) for v in values for w in _WIDTHS[v])
    return Code128(data=data, widths=widths, zpl_data="".join(zpl))


def gs1_element_string(ais: list[tuple[str, str]]) -> str:
    """Join (AI, value) pairs into the data of a GS1-128 symbol, with GS after variable AIs."""
    fixed = {"00", "01", "02", "11", "12", "13", "15", "16", "17", "20"}
    parts = []
    for n, (ai, value) in enumerate(ais):
        parts.append(ai + value)
        if ai not in fixed and n < len(ais) - 1:
            parts.append("\x1d")
    return "".join(parts)
