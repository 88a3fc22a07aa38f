"""Products as sold: what the returned item should be, weigh and be worth."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from station.models.base import Base, Synced


class Product(Synced, Base):
    """One sellable SKU. Names are kept in English and Simplified Chinese for labels and UI."""

    __tablename__ = "products"

    sku: Mapped[str] = mapped_column(String(64), unique=True)
    gtin: Mapped[str | None] = mapped_column(String(14), index=True)
    name_en: Mapped[str] = mapped_column(String(300))
    name_zh: Mapped[str] = mapped_column(String(300), default="")
    category: Mapped[str] = mapped_column(String(64), index=True)
    unit_value: Mapped[Decimal] = mapped_column(default=Decimal("0.00"))
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    expected_weight_g: Mapped[int | None] = mapped_column(Integer)
    serialised: Mapped[bool] = mapped_column(Boolean, default=False)
    supplier: Mapped[str] = mapped_column(String(120), default="")
    rtv_allowed: Mapped[bool] = mapped_column(Boolean, default=False)
    family: Mapped[str] = mapped_column(String(64), default="", server_default="", index=True)
    """Products of one family are variants of one another (sizes, colours): what an exchange
    may be for. Empty: a product of its own."""
    variant: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    """What tells this variant from its family's others, e.g. ``{"size": "M", "colour": "red"}``."""

    def display_name(self, locale: str = "en") -> str:
        if locale.startswith("zh") and self.name_zh:
            return self.name_zh
        return self.name_en
