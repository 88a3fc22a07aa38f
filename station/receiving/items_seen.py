"""What came back in the box, as the catalogue knows it: the product a scanned SKU or GTIN
names. A wrong item is labelled and announced for what it is, not as the product the RMA
expected (a label reading "Wool scarf" on a phone sends the phone to the scarf's shelf)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, object_session

from station.models import Product, Unit
from station.receiving.matching import GTIN_LENGTHS, normalise_gtin, normalise_sku


@dataclass(frozen=True)
class ItemSeen:
    """One scanned product code and what it names. ``sku`` and ``gtin`` each hold only what
    they are: a GTIN scan fills ``gtin`` (and ``sku`` when the catalogue knows the product),
    a SKU scan fills ``sku``."""

    code: str
    sku: str
    gtin: str
    name_en: str = ""
    name_zh: str = ""

    @property
    def known(self) -> bool:
        return bool(self.name_en or self.name_zh)

    def words(self, locale: str = "en") -> str:
        """``Phone (PHONE-1)`` for a product the catalogue knows, else the bare code."""
        name = (self.name_zh if locale == "zh" else "") or self.name_en
        return f"{name} ({self.sku})" if name and self.sku else name or self.code


def identify_item(db: Session, code: str) -> ItemSeen:
    """The product ``code`` (a SKU or a GTIN with a valid check digit) names, if any."""
    code = code.strip()
    gtin = normalise_gtin(code)
    sku = "" if gtin else normalise_sku(code)[:64]
    candidates = [Product.sku == sku] if sku else []
    if gtin:
        # products store their GTIN as printed (8, 12, 13 or 14 digits): compare as GTIN-14
        candidates += [Product.gtin.in_([gtin[14 - n:] for n in GTIN_LENGTHS])]
    product = db.scalars(select(Product).where(or_(*candidates)).limit(1)).first() if candidates else None
    if product is None or (gtin and normalise_gtin(product.gtin) != gtin):
        return ItemSeen(code, sku, gtin)
    return ItemSeen(code, product.sku, normalise_gtin(product.gtin) if gtin else "", product.name_en,
                    product.name_zh)


def came_back(unit: Unit) -> ItemSeen:
    """What was received as ``unit`` (by its recorded GTIN or SKU), named from the catalogue."""
    code = unit.gtin_received or unit.sku_received or ""
    db = object_session(unit)
    if not code or db is None:
        return ItemSeen(code, unit.sku_received or "", unit.gtin_received or "")
    return identify_item(db, code)
