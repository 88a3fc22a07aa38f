"""The resale price list: what a unit of a SKU sells for again, per grade (net cost's recovery).

Imported from a CSV with the header ``sku,grade,price,currency`` (UTF-8, a BOM allowed).
Every line is checked before anything is written, and one bad line refuses the whole file
with every bad line named: a price list half-imported would value some grades at the new
price and some at the old, and nobody could tell which. A line for a (SKU, grade) already
priced replaces its price; the same file imported twice changes nothing the second time.
The currency must be the station's (the policy's ``currency``): a resale value in another
currency cannot be set against refunds.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from station.core.context import Actor
from station.core.money import parse as parse_money
from station.core.errors import InvalidInput
from station.core.permissions import Permission
from station.core.services import Service
from station.models import Grade, Product, ResalePrice

log = logging.getLogger(__name__)

COLUMNS = ("sku", "grade", "price", "currency")
MAX_PRICE = Decimal("10000000")
MAX_LINES = 200_000
SHOWN = 20
_SKU = re.compile(r"[^\x00-\x1f\x7f]{1,64}")
_PRICE = re.compile(r"[0-9]{1,9}(\.[0-9]{1,2})?", re.ASCII)


@dataclass(frozen=True)
class PriceImport:
    lines: int
    added: int
    changed: int
    unchanged: int
    unknown_skus: tuple[str, ...]


def _read(path: Path) -> list[dict[str, str]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError as exc:
        raise InvalidInput(f"{path} does not exist.") from exc
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path.name} is not UTF-8 text.", next_step="Save it as CSV UTF-8.") from exc
    except OSError as exc:
        raise InvalidInput(f"Cannot read {path} ({exc.strerror or exc}).") from exc
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    if header != list(COLUMNS):
        raise InvalidInput(f"{path.name}: the first line must be {','.join(COLUMNS)}, not {','.join(header) or '(empty)'}.")
    reader.fieldnames = header
    return list(reader)


def parse_prices(path: Path, currency: str) -> dict[tuple[str, Grade], Decimal]:
    """Every line checked; raises ``InvalidInput`` naming each bad line (header = line 1)."""
    rows = _read(path)
    if len(rows) > MAX_LINES:
        raise InvalidInput(f"{path.name} has {len(rows)} lines; split it below {MAX_LINES}.")
    prices: dict[tuple[str, Grade], Decimal] = {}
    bad: list[str] = []
    for number, row in enumerate(rows, start=2):
        if None in row or any(v is None for v in row.values()):
            bad.append(f"line {number}: needs exactly 4 fields ({','.join(COLUMNS)})")
            continue
        sku, grade, price, cur = (row[c].strip() for c in COLUMNS)
        if not _SKU.fullmatch(sku):
            bad.append(f"line {number}: SKU {sku!r} is empty, too long or has control characters")
        elif grade.upper() not in Grade.__members__:
            bad.append(f"line {number}: grade {grade!r} is not A, B, C or D")
        elif not _PRICE.fullmatch(price):
            bad.append(f"line {number}: price {price!r} is not an amount like 129.00")
        elif cur.upper() != currency:
            bad.append(f"line {number}: currency {cur!r} is not the station's {currency}")
        else:
            amount = parse_money(price, currency)  # the pattern above admits only exact amounts
            key = (sku, Grade(grade.upper()))
            if amount > MAX_PRICE:
                bad.append(f"line {number}: price {price} is over {MAX_PRICE}")
            elif key in prices and prices[key] != amount:
                bad.append(f"line {number}: {sku} grade {key[1].value} is priced twice ({prices[key]} and {amount})")
            else:
                prices[key] = amount
    if bad:
        more = f" (and {len(bad) - SHOWN} more)" if len(bad) > SHOWN else ""
        listed = "; ".join(bad[:SHOWN]) + more
        raise InvalidInput(f"{path.name}: nothing imported, {len(bad)} bad line(s): {listed}.",
                           next_step="Correct those lines and import the file again.")
    if not prices:
        raise InvalidInput(f"{path.name} has no prices.")
    return prices


class PriceListService(Service):
    def import_csv(self, actor: Actor, path: Path) -> PriceImport:
        """Import the price list in one transaction (all or nothing); audited with its counts.
        An admin's change (``MANAGE_SETTINGS``): the command line imports as its own admin."""
        self.require(actor, Permission.MANAGE_SETTINGS)
        prices = parse_prices(Path(path), self.ctx.policy.currency)
        added = changed = 0
        with self.transaction() as db:
            existing = {(p.sku, p.grade): p for p in db.scalars(select(ResalePrice))}
            now = self.ctx.now()
            for (sku, grade), amount in prices.items():
                row = existing.get((sku, grade))
                if row is None:
                    db.add(ResalePrice(sku=sku, grade=grade, price=amount, currency=self.ctx.policy.currency,
                                       updated_at=now))
                    added += 1
                elif row.price != amount:
                    row.price, row.updated_at = amount, now
                    changed += 1
            skus = {sku for sku, _ in prices}
            known = set(db.scalars(select(Product.sku).where(Product.sku.in_(skus)))) if len(skus) < 30_000 else skus
            if added or changed:
                self.audit(db, actor, "prices.imported", "resale_prices", Path(path).name[:64],
                           {"lines": len(prices), "added": added, "changed": changed})
        result = PriceImport(len(prices), added, changed, len(prices) - added - changed,
                             tuple(sorted(skus - known)))
        log.info("price list %s: %s", path, result)
        return result

    def price_of(self, sku: str, grade: Grade) -> Decimal | None:
        with self.reading() as db:
            return db.scalar(select(ResalePrice.price).where(ResalePrice.sku == sku, ResalePrice.grade == grade))
