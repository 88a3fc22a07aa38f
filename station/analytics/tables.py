"""Analytic results as plain tables (title, column names, rows of plain values).

One shape for everything a supervisor can export or print: the CSV/XLSX exporter and the PDF
report take a ``Table`` and never know which metric it came from. Rates are given in percent
with two decimals, money as ``Decimal``, times as hours.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from station.analytics.dashboard import Dashboard

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]


def pct(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 2)


def _build(d: Dashboard) -> dict[str, Callable[[], Table]]:
    o = d.overall
    return {
        "return_rate": lambda: Table("return_rate", "Return rate", ("returned", "sold", "rate_pct"),
                                     ((o.returned, o.sold, pct(o.rate)),)),
        "by_sku": lambda: Table("by_sku", "Return rate by SKU", ("sku", "name", "returned", "sold", "rate_pct"),
                                tuple((r.key, r.label, r.returned, r.sold, pct(r.rate)) for r in d.by_sku)),
        "by_category": lambda: Table("by_category", "Return rate by category",
                                     ("category", "returned", "sold", "rate_pct"),
                                     tuple((r.key, r.returned, r.sold, pct(r.rate)) for r in d.by_category)),
        "reasons": lambda: _mix("reasons", "Reason mix", "reason", d.reasons),
        "grades": lambda: _mix("grades", "Grade mix", "grade", d.grades),
        "dispositions": lambda: _mix("dispositions", "Disposition mix", "disposition", d.dispositions),
        "cycle_time": lambda: Table("cycle_time", "Cycle time (hours)", ("stage", "units", "mean_h", "p50_h", "p90_h"),
                                    tuple((c.stage, c.units, c.mean_h, c.p50_h, c.p90_h) for c in d.cycle)),
        "costs": lambda: Table("costs", "Cost of returns", ("item", "amount"), (
            ("shipping", d.costs.shipping), ("handling", d.costs.handling),
            ("write_off", d.costs.write_off), ("refunds", d.costs.refunds), ("total", d.costs.total))),
        "net_cost": lambda: Table("net_cost", "Net cost of returns", ("item", "amount"), _net_items(d)),
        "net_cost_by_sku": lambda: _net_rows("net_cost_by_sku", "Net cost by SKU", "sku", d.net.by_sku),
        "net_cost_by_vendor": lambda: _net_rows("net_cost_by_vendor", "Net cost by vendor", "vendor",
                                                d.net.by_vendor),
        "net_cost_by_category": lambda: _net_rows("net_cost_by_category", "Net cost by category", "category",
                                                  d.net.by_category),
        "net_cost_by_reason": lambda: _net_rows("net_cost_by_reason", "Net cost by reason", "reason",
                                                d.net.by_reason),
        "weekly": lambda: Table("weekly", "Returns by week", ("week", "returned", "sold", "rate_pct"),
                                tuple((w.week, w.returned, w.sold, pct(w.rate)) for w in d.weeks)),
        "weekly_reasons": lambda: Table("weekly_reasons", "Reason share by week",
                                        ("week", "reason", "units", "share_pct"),
                                        tuple((w.week, w.reason, w.units, pct(w.share)) for w in d.week_reasons)),
        "lots": lambda: Table("lots", "Returns by production lot",
                              ("sku", "lot", "supplier", "returned", "sold", "rate_pct", "top_reason", "grades"),
                              tuple((r.sku, r.lot, r.supplier, r.returned, r.sold, pct(r.rate), r.top_reason,
                                     " ".join(f"{g}:{n}" for g, n in r.grades)) for r in d.lots)),
        "suppliers": lambda: Table("suppliers", "Defects found at QC by supplier",
                                   ("supplier", "graded", "defective", "rate_pct"),
                                   tuple((s.supplier, s.graded, s.defective, pct(s.rate)) for s in d.suppliers)),
    }


ANALYTIC_TABLES = ("return_rate", "by_sku", "by_category", "reasons", "grades", "dispositions",
                   "cycle_time", "costs", "weekly", "weekly_reasons", "suppliers", "net_cost", "net_cost_by_sku",
                   "net_cost_by_vendor", "net_cost_by_category", "net_cost_by_reason", "lots")
NET_COLUMNS = ("units", "shipping", "handling", "refurbishment", "refunds", "resale", "donation", "recycling",
               "rtv_credit", "costs", "recovered", "net", "net_per_unit", "write_off", "customer_shipping")
NET_SUMMARY = ("units", "costs", "recovered", "net", "net_per_unit", "write_off")
"""The columns of a net-cost breakdown that fit a printed page (the export has them all)."""


def _net_items(d: Dashboard) -> tuple[tuple[Any, ...], ...]:
    t = d.net.total
    items = [(name, getattr(t, name)) for name in NET_COLUMNS[1:9]]
    return (*items, ("net", t.net), ("returns", d.net.returns), ("net_per_return", d.net.per_return),
            ("write_off_not_in_net", t.write_off), ("shipping_paid_by_customers", t.customer_shipping),
            ("units_without_resale_price", d.net.unpriced_units))


def _net_rows(name: str, title: str, what: str, rows: Sequence[Any]) -> Table:
    return Table(name, title, (what, *NET_COLUMNS),
                 tuple((r.key, *(getattr(r, c) for c in NET_COLUMNS)) for r in rows))


def _mix(name: str, title: str, what: str, rows: Sequence[Any]) -> Table:
    return Table(name, title, (what, "label", "units", "share_pct"),
                 tuple((m.key, m.label, m.units, pct(m.share)) for m in rows))


def analytic_table(dashboard: Dashboard, name: str) -> Table:
    from station.core.errors import InvalidInput

    tables = _build(dashboard)
    if name not in tables:
        raise InvalidInput(f"{name!r} is not an analytic table; use one of {', '.join(ANALYTIC_TABLES)}.")
    return tables[name]()
