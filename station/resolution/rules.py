"""Resolution rules as data (``station/data/resolution_rules.toml``, overridable per site).

The policy (``station.core.return_policy``) says what each grade costs in restocking fees; these rules say
which kind of resolution an RMA gets, how compensation and exchanges are priced and what a
customer reads when the return is rejected. They are parsed once into frozen values so a
service never sees a half-edited file, and a bad file names its line and keeps the shipped
rules in use.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from station.core.datafiles import TomlDoc, bilingual, check_fields, read_toml, require_fields
from station.core.errors import ConfigError, InvalidInput
from station.core.money import round_money
from station.core.paths import SHIPPED_DATA
from station.models import ResolutionKind

log = logging.getLogger(__name__)

SHIPPED = SHIPPED_DATA / "resolution_rules.toml"
RULE_KINDS = (ResolutionKind.REFUND, ResolutionKind.EXCHANGE)
COMPENSATION_FORMS = ("coupon", "partial_refund")


@dataclass(frozen=True)
class Rule:
    """One row of the rules table: when it applies and what it proposes."""

    name: str
    kind: ResolutionKind
    requested: str | None = None
    unit_flags_any: frozenset[str] = frozenset()
    supervisor: bool = False
    suggest_rejection: str = ""

    def matches(self, requested: str, flags: Iterable[str]) -> bool:
        if self.requested is not None and self.requested != requested:
            return False
        return not self.unit_flags_any or bool(self.unit_flags_any & set(flags))


@dataclass(frozen=True)
class CompensationTerms:
    form: str
    rate: Decimal
    cap: Decimal


@dataclass(frozen=True)
class ResolutionRules:
    version: int
    rules: tuple[Rule, ...]
    other_sku_allowed: bool
    max_upcharge: Decimal
    refund_difference: bool
    compensation_reasons: frozenset[str]
    compensation: dict[str, CompensationTerms]
    rejections: dict[str, tuple[str, str]]

    def money(self, value: Decimal, currency: str) -> Decimal:
        """``value`` rounded by the house rule to the currency's minor unit (``station.core.money``)."""
        return round_money(value, currency)

    def choose(self, requested: str, flags: Iterable[str]) -> Rule:
        flags = tuple(flags)
        for rule in self.rules:
            if rule.matches(requested, flags):
                return rule
        raise ConfigError("No resolution rule matches; the last rule must have no `when`.")

    def rejection_text(self, code_or_text: str) -> tuple[str, str, str]:
        """(code, English, Chinese) for a rejection code; free text is kept as the customer's words."""
        key = code_or_text.strip()
        if key in self.rejections:
            en, zh = self.rejections[key]
            return key, en, zh
        if len(key) < 10:
            raise InvalidInput(
                f"{key!r} is neither a rejection code nor a sentence the customer can read.",
                next_step=f"Use one of {', '.join(sorted(self.rejections))} or write the reason out.")
        return "other", key, key

    def compensation_terms(self, form: str) -> CompensationTerms:
        if form not in self.compensation:
            raise InvalidInput(f"Compensation is a coupon or a partial refund, not {form!r}.")
        return self.compensation[form]


def _dec(doc: TomlDoc, raw: Any, key: str, *, low: Decimal = Decimal(0), high: Decimal | None = None) -> Decimal:
    try:
        value = Decimal(str(raw))
    except InvalidOperation as exc:
        raise doc.error(f"{key}: {raw!r} is not a number.", doc.line_of_key(key.split(".")[-1])) from exc
    if value < low or (high is not None and value > high) or not value.is_finite():
        raise doc.error(f"{key} must be between {low} and {high if high is not None else 'any amount'}.",
                        doc.line_of_key(key.split(".")[-1]))
    return value


def _rules(doc: TomlDoc, rejections: dict[str, tuple[str, str]]) -> tuple[Rule, ...]:
    rules: list[Rule] = []
    for index, entry in enumerate(doc.data.get("rule", [])):
        where: dict[str, Any] = {"table": "rule", "index": index}
        check_fields(doc, entry, ("name", "when", "kind", "supervisor", "suggest_rejection"), "a rule", **where)
        require_fields(doc, entry, ("name", "kind"), "a rule", **where)
        when = entry.get("when", {})
        check_fields(doc, when, ("requested", "unit_flags_any"), f"rule {entry['name']!r} when", **where)
        if entry["kind"] not in {k.value for k in RULE_KINDS}:
            raise doc.error(f"rule {entry['name']!r}: kind must be refund or exchange.",
                            doc.line_of_key("kind", **where))
        suggest = str(entry.get("suggest_rejection", ""))
        if suggest and suggest not in rejections:
            raise doc.error(f"rule {entry['name']!r} suggests unknown rejection {suggest!r}.",
                            doc.line_of_key("suggest_rejection", **where))
        rules.append(Rule(name=str(entry["name"]), kind=ResolutionKind(entry["kind"]),
                          requested=when.get("requested"),
                          unit_flags_any=frozenset(when.get("unit_flags_any", ())),
                          supervisor=bool(entry.get("supervisor", False)), suggest_rejection=suggest))
    if not rules or rules[-1].requested is not None or rules[-1].unit_flags_any:
        raise doc.error("the last [[rule]] must have no `when`, so every RMA gets a resolution.")
    return tuple(rules)


def parse_rules(doc: TomlDoc) -> ResolutionRules:
    """Build the rules from a parsed file, naming the key and line that are wrong."""
    data = doc.data
    check_fields(doc, data, ("version", "currency", "rule", "exchange", "compensation", "rejection"), "the file")
    require_fields(doc, data, ("version", "rule", "exchange", "compensation", "rejection"), "the file")
    rejections = {code: bilingual(doc, entry, f"rejection {code!r}", table=f"rejection.{code}")
                  for code, entry in data["rejection"].items()}
    exchange, comp = data["exchange"], data["compensation"]
    check_fields(doc, exchange, ("other_sku_allowed", "max_upcharge", "refund_difference"), "[exchange]")
    check_fields(doc, comp, ("reasons", *COMPENSATION_FORMS), "[compensation]")
    forms = {}
    for form in COMPENSATION_FORMS:
        terms = comp.get(form)
        if terms is None:
            raise doc.error(f"[compensation.{form}] is missing.")
        forms[form] = CompensationTerms(form, _dec(doc, terms.get("rate"), f"compensation.{form}.rate",
                                                   high=Decimal(1)),
                                        _dec(doc, terms.get("max"), f"compensation.{form}.max"))
    # A [currency] table in older site files is ignored: minor units are ISO 4217 facts kept
    # with the one rounding rule in station.core.money.
    return ResolutionRules(
        version=int(data["version"]),
        rules=_rules(doc, rejections),
        other_sku_allowed=bool(exchange.get("other_sku_allowed", True)),
        max_upcharge=_dec(doc, exchange.get("max_upcharge", "0"), "exchange.max_upcharge"),
        refund_difference=bool(exchange.get("refund_difference", True)),
        compensation_reasons=frozenset(comp.get("reasons", ())),
        compensation=forms,
        rejections=rejections,
    )


def read_rules_file(path: Path) -> ResolutionRules:
    return parse_rules(read_toml(path))


def load_rules(override: Path | None = None) -> ResolutionRules:
    """The site's rules if valid, else the shipped ones (with a warning naming the problem)."""
    if override is None:
        from station.core.paths import config_dir

        candidate = config_dir() / "resolution_rules.toml"
        override = candidate if candidate.is_file() else None
    if override is not None:
        try:
            return read_rules_file(override)
        except ConfigError as exc:
            log.warning("Ignoring site resolution rules, using the shipped ones: %s", exc)
    return read_rules_file(SHIPPED)
