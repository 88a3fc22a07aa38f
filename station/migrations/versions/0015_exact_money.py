"""money: every amount becomes an integer of hundredths (exact on SQLite and PostgreSQL)

Revision ID: 0015
Revises: 0014

``Numeric`` on SQLite is a binary float: 0.10 + 0.10 + 0.10 summed to 0.30000000000000004 and
demo databases held resolutions as REAL. Each amount column becomes BIGINT holding the amount
times 100 (``station.core.money``). Existing values convert exactly: every stored amount has
at most two places (SQLAlchemy quantized it), so ``round(value * 100)`` is the intended
integer even for a REAL row like 12.299999999999999.

On SQLite a column's type changes only by rebuilding its table; ``station.core.db.upgrade``
checks references after the rebuild instead of during it, and any broken one stops it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

COLUMNS: dict[str, tuple[str, ...]] = {
    "rmas": ("return_shipping_cost",),
    "rma_lines": ("unit_price",),
    "resolutions": ("gross_amount", "fee_amount", "amount"),
    "products": ("unit_value",),
    "order_lines": ("unit_price",),
    "rma_request_lines": ("unit_price",),
    "refurbishments": ("cost",),
    "resale_prices": ("price",),
    "vendors": ("agreement_rate_pct",),
    "rtv_batches": ("claimed_amount", "credited_amount"),
    "rtv_items": ("claimed_amount",),
    "analytics_daily_costs": ("shipping", "refunds"),
    "analytics_daily_net_units": ("refurbishment", "rtv_credit"),
    "analytics_daily_net_shares": ("shipping", "refunds"),
}
"""Every amount column (and the one exact percentage) by table."""

_NULLABLE = {("vendors", "agreement_rate_pct"), ("rtv_batches", "credited_amount")}


def _precision(table: str) -> tuple[int, int]:
    if table.startswith("analytics_"):
        return 14, 2
    return 12, 2


def upgrade() -> None:
    _convert(to_integers=True)


def downgrade() -> None:
    _convert(to_integers=False)


def _convert(*, to_integers: bool) -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    for table, columns in COLUMNS.items():
        if sqlite:
            _convert_sqlite(table, columns, to_integers=to_integers)
        else:
            _convert_postgresql(table, columns, to_integers=to_integers)


def _old_type(table: str) -> sa.Numeric:
    return sa.Numeric(*_precision(table))


def _convert_sqlite(table: str, columns: tuple[str, ...], *, to_integers: bool) -> None:
    if to_integers:
        sets = ", ".join(f'"{c}" = CAST(ROUND("{c}" * 100) AS INTEGER)' for c in columns)
    else:
        sets = ", ".join(f'"{c}" = "{c}" / 100.0' for c in columns)
    op.execute(f'UPDATE "{table}" SET {sets}')
    with op.batch_alter_table(table) as batch:
        for column in columns:
            batch.alter_column(column, existing_type=sa.BigInteger() if not to_integers else _old_type(table),
                               type_=sa.BigInteger() if to_integers else _old_type(table),
                               existing_nullable=(table, column) in _NULLABLE)


def _convert_postgresql(table: str, columns: tuple[str, ...], *, to_integers: bool) -> None:
    for column in columns:
        if to_integers:
            op.alter_column(table, column, type_=sa.BigInteger(), existing_type=_old_type(table),
                            postgresql_using=f'round("{column}" * 100)::bigint')
        else:
            op.alter_column(table, column, type_=_old_type(table), existing_type=sa.BigInteger(),
                            postgresql_using=f'("{column}" / 100.0)::numeric{_precision(table)}'.replace(" ", ""))
