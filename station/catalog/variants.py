"""Which products are variants of one another (sizes, colours of one item), from the
catalogue's ``family`` column: what a customer may ask an exchange for.

A product with no family has no variants; a family's members are told apart by their
``variant`` attributes (``{"size": "M", "colour": "red"}``) and named by their own names.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from station.models import Product


@dataclass(frozen=True)
class Variant:
    sku: str
    name_en: str
    name_zh: str
    attributes: tuple[tuple[str, str], ...] = ()

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" and self.name_zh else self.name_en


def variants_of(conn: Connection, skus: Iterable[str]) -> dict[str, tuple[Variant, ...]]:
    """For each SKU, the other products of its family (two queries for any number of SKUs);
    a SKU without a family maps to nothing."""
    families = {sku: fam for sku, fam in conn.execute(
        select(Product.sku, Product.family).where(Product.sku.in_(sorted(set(skus))))) if fam}
    if not families:
        return {}
    members: dict[str, list[Variant]] = {}
    for row in conn.execute(
            select(Product.sku, Product.name_en, Product.name_zh, Product.family, Product.variant)
            .where(Product.family.in_(sorted(set(families.values())))).order_by(Product.sku)):
        attrs: dict[str, Any] = row.variant or {}
        members.setdefault(str(row.family), []).append(Variant(
            str(row.sku), str(row.name_en), str(row.name_zh), tuple(sorted((str(k), str(v)) for k, v in attrs.items()))))
    return {sku: tuple(v for v in members.get(fam, ()) if v.sku != sku) for sku, fam in families.items()}


def exchange_problems(conn: Connection, resolution: str, lines: Sequence[tuple[int, str, str]]) -> list[str]:
    """What is wrong with the variants asked for: ``lines`` are (line number, SKU, exchange SKU).

    An exchange variant must be another product of the line's family, and only an exchange
    asks for one.
    """
    asked = [(n, sku, other) for n, sku, other in lines if other and other != sku]
    if not asked:
        return []
    if resolution != "exchange":
        return [f"lines[{n}]: exchange_sku is only for an exchange" for n, _, _ in asked]
    known = variants_of(conn, [sku for _, sku, _ in asked])
    return [f"lines[{n}]: {other} is not a size or colour of {sku} in the catalogue"
            for n, sku, other in asked if other not in {v.sku for v in known.get(sku, ())}]
