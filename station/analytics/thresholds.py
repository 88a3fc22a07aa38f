"""Alert thresholds and cost rates as data (``station/data/alerts.toml``), checked on load.

A threshold that makes no sense (a rate of 140 %, a window of -3 days, a percentile the
station does not compute) is refused with the file, the line and the reason: an alert rule
that can never fire, or always fires, is worse than none, because people trust the silence.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from station.analytics.costs import CostRates
from station.analytics.cycle import STAGES
from station.core import paths
from station.core.datafiles import TomlDoc, check_fields, read_toml, require_fields
from station.core.errors import ConfigError

log = logging.getLogger(__name__)

SHIPPED = Path(__file__).resolve().parent.parent / "data" / "alerts.toml"
SEVERITIES = ("info", "warning", "critical")
COMMON = {"id", "kind", "severity", "owner_email", "owner_webhook", "respond_within_hours"}
DEFAULT_RESPONSE_HOURS = 24.0
_EMAIL = re.compile(r"[^@\s,;<>\"]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")
_CONSUMER = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,79}")
KINDS: dict[str, dict[str, tuple[type, Any]]] = {
    # field: (type, default) - a default of ... means required
    "sku_return_rate": {"max_rate_percent": (float, ...), "min_sold": (int, ...), "window_days": (int, 28)},
    "reason_share_rise": {"rise_points": (float, ...), "min_units": (int, ...)},
    "cycle_time": {"stage": (str, ...), "percentile": (int, 90), "max_hours": (float, ...),
                   "min_units": (int, 1), "window_days": (int, 7)},
    "supplier_defect_rate": {"max_rate_percent": (float, ...), "min_graded": (int, ...),
                             "window_days": (int, 28)},
    # issue 26: one production lot of a SKU returning too often (rate over its units sold) or too much
    "lot_return_rate": {"max_rate_percent": (float, ...), "min_sold": (int, ...), "min_returned": (int, 3),
                        "window_days": (int, 28)},
    "lot_returns": {"max_units": (int, ...), "window_days": (int, 28)},
    # one reason dominating a lot's returns (a bad run tends to fail one way): at least min_units
    # returned in the window and the commonest reason at least min_share_percent of them
    "lot_reason_share": {"min_share_percent": (float, ...), "min_units": (int, ...), "window_days": (int, 28)},
}


def is_email_address(text: str) -> bool:
    """One plain address (``lead@shop.example``): what an alert can be sent to."""
    return len(text) <= 254 and _EMAIL.fullmatch(text) is not None


@dataclass(frozen=True)
class Owner:
    """Who answers for a rule's alerts: an e-mail address and/or a webhook consumer (by name),
    and the hours they have before the alert escalates to the site's supervisors. A rule with
    neither goes to the supervisors straight away."""

    email: str = ""
    webhook: str = ""
    respond_within_hours: float = DEFAULT_RESPONSE_HOURS

    @property
    def named(self) -> str:
        return " / ".join(x for x in (self.email, f"webhook {self.webhook}" if self.webhook else "") if x) \
            or "site supervisors"


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    severity: str
    params: dict[str, Any]
    owner: Owner = Owner()

    def __getitem__(self, name: str) -> Any:
        return self.params[name]


@dataclass(frozen=True)
class Thresholds:
    version: int
    rules: tuple[Rule, ...]
    rates: CostRates


def _number(doc: TomlDoc, raw: dict[str, Any], key: str, kind: type, where: str, index: int) -> Any:
    value = raw[key]
    line = doc.line_of_key(key, table="rule", index=index)
    ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind is int and not isinstance(value, int):
        ok = False
    if not ok:
        raise doc.error(f"{where}: {key} must be a {'whole ' if kind is int else ''}number, not {value!r}.", line)
    return kind(value)


def _check_rule(doc: TomlDoc, raw: dict[str, Any], index: int) -> Rule:
    where = f"rule {index + 1}"
    require_fields(doc, raw, ("id", "kind"), where.capitalize(), table="rule", index=index)
    kind = raw["kind"]
    if kind not in KINDS:
        raise doc.error(f"{where}: kind {kind!r} is not one of {', '.join(KINDS)}.",
                        doc.line_of_key("kind", table="rule", index=index))
    spec = KINDS[kind]
    check_fields(doc, raw, COMMON | set(spec), f"a {kind} rule", table="rule", index=index)
    require_fields(doc, raw, [k for k, (_, d) in spec.items() if d is ...], f"The {kind} rule {raw['id']!r}",
                   table="rule", index=index)
    where = f"rule {raw['id']!r}"
    severity = raw.get("severity", "warning")
    if severity not in SEVERITIES:
        raise doc.error(f"{where}: severity must be {', '.join(SEVERITIES)}, not {severity!r}.",
                        doc.line_of_key("severity", table="rule", index=index))
    params: dict[str, Any] = {}
    for key, (typ, default) in spec.items():
        if key not in raw:
            params[key] = default
        elif typ is str:
            params[key] = str(raw[key])
        else:
            params[key] = _number(doc, raw, key, typ, where, index)
    problem = _nonsense(kind, params)
    if problem:
        key, message = problem
        raise doc.error(f"{where}: {message}", doc.line_of_key(key, table="rule", index=index))
    return Rule(str(raw["id"]), kind, severity, params, _owner(doc, raw, where, index))


def _owner(doc: TomlDoc, raw: dict[str, Any], where: str, index: int) -> Owner:
    email, webhook = raw.get("owner_email", ""), raw.get("owner_webhook", "")
    if not isinstance(email, str) or (email and not is_email_address(email.strip())):
        raise doc.error(f"{where}: owner_email {email!r} is not one e-mail address like lead@example.com.",
                        doc.line_of_key("owner_email", table="rule", index=index))
    if not isinstance(webhook, str) or (webhook and not _CONSUMER.fullmatch(webhook.strip())):
        raise doc.error(f"{where}: owner_webhook {webhook!r} is not a webhook consumer name "
                        "(see `rma-station webhooks list`).", doc.line_of_key("owner_webhook", table="rule", index=index))
    hours = raw.get("respond_within_hours", DEFAULT_RESPONSE_HOURS)
    if isinstance(hours, bool) or not isinstance(hours, (int, float)) or not 0 < hours <= 24 * 90:
        raise doc.error(f"{where}: respond_within_hours {hours!r} must be above 0 and at most 2160 (90 days).",
                        doc.line_of_key("respond_within_hours", table="rule", index=index))
    return Owner(email.strip(), webhook.strip(), float(hours))


def _nonsense(kind: str, p: dict[str, Any]) -> tuple[str, str] | None:
    """The first threshold of a rule that cannot mean anything, with why."""
    if "max_rate_percent" in p and not 0 < p["max_rate_percent"] < 100:
        return "max_rate_percent", (f"max_rate_percent {p['max_rate_percent']} must be above 0 and below 100 "
                                    "(a rate at or over 100 % never fires, at 0 % everything fires).")
    for key in ("min_sold", "min_units", "min_graded", "min_returned", "max_units"):
        if key in p and p[key] < 1:
            return key, f"{key} {p[key]} must be at least 1 (a rate over nothing is not a signal)."
    if "window_days" in p and not 1 <= p["window_days"] <= 366:
        return "window_days", f"window_days {p['window_days']} must be 1 to 366."
    if "min_share_percent" in p and not 0 < p["min_share_percent"] <= 100:
        return "min_share_percent", (f"min_share_percent {p['min_share_percent']} must be above 0 and at most 100 "
                                     "(the share of a lot's returned units that gave one reason).")
    if kind == "reason_share_rise" and not 0 < p["rise_points"] < 100:
        return "rise_points", f"rise_points {p['rise_points']} must be above 0 and below 100 percentage points."
    if kind == "cycle_time":
        stages = [s for s, _ in STAGES]
        if p["stage"] not in stages:
            return "stage", f"stage {p['stage']!r} is not one of {', '.join(stages)}."
        if p["percentile"] not in (50, 90):
            return "percentile", f"percentile {p['percentile']} is not computed; use 50 or 90."
        if not 0 < p["max_hours"] <= 24 * 366:
            return "max_hours", f"max_hours {p['max_hours']} must be above 0 and at most a year."
    return None


RATE_KEYS = ("handling_per_unit", "donation_value_per_unit", "recycling_value_per_unit")


def _rates(doc: TomlDoc) -> CostRates:
    raw = doc.data.get("costs", {})
    if not isinstance(raw, dict):
        raise doc.error("[costs] must be a table.", doc.line_of_key("costs"))
    check_fields(doc, raw, set(RATE_KEYS), "[costs]")
    found: dict[str, Decimal] = {}
    for key in RATE_KEYS:
        value = raw.get(key, "0")
        try:
            rate = Decimal(str(value))
        except InvalidOperation:
            rate = Decimal(-1)
        if isinstance(value, bool) or not rate.is_finite() or rate < 0 or rate > 100_000:
            raise doc.error(f"{key} {value!r} must be an amount from 0 up, e.g. \"6.50\".", doc.line_of_key(key))
        found[key] = rate.quantize(Decimal("0.01"))
    return CostRates(handling_per_unit=found["handling_per_unit"],
                     donation_value_per_unit=found["donation_value_per_unit"],
                     recycling_value_per_unit=found["recycling_value_per_unit"])


def parse_thresholds(doc: TomlDoc) -> Thresholds:
    check_fields(doc, doc.data, {"version", "costs", "rule"}, "the alerts file (top level)")
    require_fields(doc, doc.data, ("version",), "The alerts file")
    version = doc.data["version"]
    if not isinstance(version, int) or isinstance(version, bool) or version != 1:
        raise doc.error(f"version {version!r} is not supported; this station reads version 1.",
                        doc.line_of_key("version"))
    raw_rules = doc.data.get("rule", [])
    if not isinstance(raw_rules, list):
        raise doc.error("rules are written as [[rule]] tables.", doc.line_of_key("rule"))
    rules: list[Rule] = []
    for index, raw in enumerate(raw_rules):
        rule = _check_rule(doc, raw, index)
        if any(r.id == rule.id for r in rules):
            raise doc.error(f"duplicate rule id {rule.id!r}.", doc.line_of_key("id", table="rule", index=index))
        rules.append(rule)
    return Thresholds(version, tuple(rules), _rates(doc))


def load_thresholds(path: Path | None = None) -> Thresholds:
    """The given file (errors raise), else the site's file, else the shipped one.

    An explicit file is what the supervisor is editing, so its mistakes are shown, not hidden;
    a broken site file found by default is logged and the shipped rules stay in force.
    """
    if path is not None:
        return parse_thresholds(read_toml(path))
    candidate = paths.config_dir() / "alerts.toml"
    if candidate.is_file():
        try:
            return parse_thresholds(read_toml(candidate))
        except ConfigError as exc:
            log.warning("Ignoring the site's alert rules, using the shipped ones: %s", exc)
    return parse_thresholds(read_toml(SHIPPED))
