"""Product categories in words (``station/data/categories.toml``).

The policy, the checklists and the catalogue name a category by its code; a refusal a
customer reads ("gift_cards 类商品按本店政策不可退货") must not. One table, so the request
page, the API's reasons and the desk say the same words.
"""

from __future__ import annotations

import tomllib
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.core.paths import SHIPPED_DATA
from station.models import Product

SHIPPED = SHIPPED_DATA / "categories.toml"


@cache
def _names() -> dict[str, tuple[str, str]]:
    with SHIPPED.open("rb") as fh:
        data = tomllib.load(fh)
    return {code: (str(words["en"]), str(words["zh"])) for code, words in data.items()}


def category_words(code: str, language: str = "en") -> str:
    """``gift_cards`` -> "gift cards" / "礼品卡"; an unlisted code reads as itself with spaces."""
    en, zh = _names().get(code, (code.replace("_", " "), code.replace("_", " ")))
    return zh if language.startswith("zh") else en


def product_categories(db: Session) -> list[str]:
    """The categories the catalogue's products are in, sorted; what the desk can narrow a
    sheet to and what a policy may name besides the checklists' categories."""
    return sorted(c for c in db.scalars(select(Product.category).distinct()) if c)
