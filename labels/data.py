"""What goes on each label, as plain frozen values, and how to read them from JSON.

The CLI, the window and the print queue all build these; nothing here touches the database.
Missing or unknown fields are refused by name, because a typo in a JSON file must not print
a label with an empty RMA line.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import MISSING, dataclass, fields
from typing import Any

from labels.errors import LabelError
from station.models.enums import DispositionKind, Grade

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LpnLabel:
    """One per returned unit, printed at receiving."""

    lpn: str
    rma_number: str
    sku: str
    description: str
    received_on: str = ""
    station: str = ""
    serial: str = ""
    grade: str = ""
    came_back: str = ""
    """A wrong item: what came back instead of ``sku`` (its name and SKU, or the code). The
    label then names that and says WRONG ITEM, so the unit is shelved for what it is."""
    lot: str = ""
    """The production lot read from the item's GS1 code; printed when known (a held lot is
    found on the shelf by it)."""
    expiry: str = ""


@dataclass(frozen=True)
class DispositionLabel:
    """Stuck on a unit after QC: where it goes and who decided."""

    lpn: str
    grade: str
    disposition: str
    rma_number: str
    inspector: str
    decided_on: str
    bin: str = ""


@dataclass(frozen=True)
class RelabelLabel:
    """New identity for a unit sold again as B-stock: SKU, GTIN and condition grade.

    ``symbologies`` chooses how the GTIN is printed: ``gs1-128`` (AI 01, plus AI 21 when a
    serial is given) and/or ``ean13`` (only for GTINs that fit in 13 digits).
    """

    sku: str
    description: str
    grade: str
    gtin: str = ""
    serial: str = ""
    symbologies: tuple[str, ...] = ("gs1-128", "ean13")


Label = LpnLabel | DispositionLabel | RelabelLabel
KINDS: dict[str, type[LpnLabel] | type[DispositionLabel] | type[RelabelLabel]] = {
    "lpn": LpnLabel,
    "disposition": DispositionLabel,
    "relabel": RelabelLabel,
}
MAX_LENGTH = 500
"""Longest text any field may carry; beyond this it is a data error, not a label."""


def _text(name: str, value: Any) -> str:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise LabelError(name, f"must be text, got {type(value).__name__}.")
    text = " ".join(str(value).split()) if name == "description" else str(value).strip()
    if any(ord(ch) < 32 for ch in text):
        raise LabelError(name, "contains control characters.")
    if len(text) > MAX_LENGTH:
        raise LabelError(name, f"is {len(text)} characters long; at most {MAX_LENGTH} are allowed.")
    return text


def _grade(value: str) -> str:
    grade = value.upper()
    if grade not in Grade.__members__:
        raise LabelError("grade", f"{value!r} is not a grade; use {', '.join(g.value for g in Grade)}.")
    return grade


def _disposition(value: str) -> str:
    kind = value.lower().replace(" ", "_").replace("-", "_")
    if kind not in {k.value for k in DispositionKind}:
        raise LabelError("disposition", f"{value!r} is not a disposition; use "
                         f"{', '.join(k.value for k in DispositionKind)}.")
    return kind


_CHECKED = {"grade": _grade, "disposition": _disposition}
"""Fields with a closed set of values: a label saying GRADE Z or NUKE would be obeyed on the
floor, so such a value is refused rather than printed."""


def label_from_dict(kind: str, data: dict[str, Any]) -> Label:
    """Build the ``kind`` label from a JSON object, naming any missing or unknown field."""
    try:
        cls = KINDS[kind]
    except KeyError:
        raise LabelError("kind", f"{kind!r} is not a label kind; use {', '.join(KINDS)}.") from None
    if not isinstance(data, dict):
        raise LabelError(kind, "label data must be a JSON object.")
    known = {f.name: f for f in fields(cls)}
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise LabelError(unknown[0], f"is not a field of the {kind} label ({', '.join(known)}).")
    values: dict[str, Any] = {}
    for name, f in known.items():
        if name not in data or data[name] in (None, ""):
            if f.default is MISSING:
                raise LabelError(name, f"is missing; the {kind} label needs it.")
            continue
        if name == "symbologies":
            chosen = tuple(data[name]) if isinstance(data[name], list) else (data[name],)
            bad = [s for s in chosen if s not in ("gs1-128", "ean13")]
            if bad or not chosen:
                raise LabelError(name, f"{bad or chosen!r}: use 'gs1-128' and/or 'ean13'.")
            values[name] = chosen
        else:
            values[name] = _text(name, data[name])
            if name in _CHECKED:
                values[name] = _CHECKED[name](values[name])
    return cls(**values)
