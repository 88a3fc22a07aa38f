"""The names of the fraud and mismatch flags, in one place for the dock, QC and the desk.

A flag is stored as its code (``Receipt.flags``, ``Unit.flags``, an inspection's flags) and
read back at every later stage, so the code is defined once, here, in the first stage that
raises one. Receiving records the item checks and the scale's verdict as it takes a parcel
in; inspection computes every flag again from the facts (``station.inspection.flags``) and
adds what only the checklist shows. Receipt markers that say how a parcel was taken in
(``partial``, ``expired``, ``policy_hold``, ``parcel_*``) are not flags of this kind.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable


class FlagCode(enum.StrEnum):
    WRONG_ITEM = "wrong_item"
    SERIAL_MISMATCH = "serial_mismatch"
    MISSING_PARTS = "missing_parts"
    LIGHT_PARCEL = "light_parcel"
    USED_AND_RETURNED = "used_and_returned"
    REPEAT_RETURNER = "repeat_returner"
    LOT_HELD = "lot_held"
    LOT_MISMATCH = "lot_mismatch"


FLAG_TEXT: dict[FlagCode, tuple[str, str]] = {
    FlagCode.WRONG_ITEM: ("Wrong item: not what was sold", "错误商品：与所售商品不符"),
    FlagCode.SERIAL_MISMATCH: ("Serial number differs from the one sold", "序列号与所售不符"),
    FlagCode.MISSING_PARTS: ("Parts or accessories missing", "缺少零件或配件"),
    FlagCode.LIGHT_PARCEL: ("Parcel far lighter than its contents (empty box?)", "包裹重量明显偏轻（空箱？）"),
    FlagCode.USED_AND_RETURNED: ("Used and returned: wear signs on an item returned as unused",
                                 "使用后退货：声称未使用的商品有使用痕迹"),
    FlagCode.REPEAT_RETURNER: ("Repeat returner", "频繁退货客户"),
    FlagCode.LOT_HELD: ("Production lot on hold: held for QC", "生产批号被暂扣：待质检处理"),
    FlagCode.LOT_MISMATCH: ("Production lot differs from the one shipped", "生产批号与发货批号不符"),
}

RECEIPT_CHECKS = (FlagCode.WRONG_ITEM, FlagCode.SERIAL_MISMATCH, FlagCode.LOT_MISMATCH, FlagCode.LIGHT_PARCEL,
                  FlagCode.LOT_HELD)
"""The flags receiving itself raises, in the order the dock's banner and message name them."""


def receipt_checks(flags: Iterable[str]) -> tuple[FlagCode, ...]:
    """The receiving checks among ``flags``, in ``RECEIPT_CHECKS`` order."""
    present = set(flags)
    return tuple(code for code in RECEIPT_CHECKS if code in present)

