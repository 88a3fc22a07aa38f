"""Disposition rules as data: where a graded unit goes, first matching rule wins.

``station/data/disposition_rules.toml`` (a site copy in the config dir replaces it) lists named
rules. A rule's conditions are all optional and must all hold; a rule without conditions is the
fallback and must be last. Every decision carries the rule's name and its reason in plain words,
so "why is this going to scrap?" always has an answer (``explain``).
"""

from __future__ import annotations

import difflib
import itertools
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from station.core import paths
from station.core.datafiles import TomlDoc, bilingual, check_fields, config_error, read_toml, require_fields
from station.core.errors import ConfigError
from station.core.paths import SHIPPED_DATA
from station.receiving.flags import FlagCode
from station.models import DispositionKind, Grade

log = logging.getLogger(__name__)

SHIPPED = SHIPPED_DATA / "disposition_rules.toml"
CONDITIONS = ("grade", "flagged", "flags_any", "reason", "category", "value_at_least",
              "value_below", "rtv_allowed")
_RULE_FIELDS = {"name", "en", "zh", "kind", "bin_class", *CONDITIONS}


@dataclass(frozen=True)
class UnitCase:
    """The inputs of a disposition decision."""

    grade: Grade
    flags: frozenset[str] = frozenset()
    reason: str = ""
    category: str = ""
    value: Decimal = Decimal("0")
    rtv_allowed: bool = False

    def describe(self) -> str:
        flags = ", ".join(sorted(self.flags)) or "none"
        return (f"grade {self.grade.value}, flags {flags}, reason {self.reason or '-'}, category "
                f"{self.category or '-'}, value {self.value}, vendor takes returns: "
                f"{'yes' if self.rtv_allowed else 'no'}")


@dataclass(frozen=True)
class Rule:
    name: str
    en: str
    zh: str
    kind: DispositionKind
    bin_class: str = ""
    grade: frozenset[Grade] | None = None
    flagged: bool | None = None
    flags_any: frozenset[str] | None = None
    reason: frozenset[str] | None = None
    category: frozenset[str] | None = None
    value_at_least: Decimal | None = None
    value_below: Decimal | None = None
    rtv_allowed: bool | None = None
    line: int | None = field(default=None, compare=False)

    @property
    def is_fallback(self) -> bool:
        return all(getattr(self, c) is None for c in CONDITIONS)

    def misses(self, case: UnitCase) -> list[str]:
        """The conditions ``case`` does not meet, in plain words (empty: the rule matches)."""
        out: list[str] = []
        if self.grade is not None and case.grade not in self.grade:
            out.append(f"grade {case.grade.value} is not {'/'.join(sorted(g.value for g in self.grade))}")
        if self.flagged is not None and bool(case.flags) != self.flagged:
            out.append("the unit is flagged" if case.flags else "the unit has no flags")
        if self.flags_any is not None and not (case.flags & self.flags_any):
            out.append(f"none of the flags {', '.join(sorted(self.flags_any))}")
        if self.reason is not None and case.reason not in self.reason:
            out.append(f"reason {case.reason or '-'} is not {'/'.join(sorted(self.reason))}")
        if self.category is not None and case.category not in self.category:
            out.append(f"category {case.category or '-'} is not {'/'.join(sorted(self.category))}")
        if self.value_at_least is not None and case.value < self.value_at_least:
            out.append(f"value {case.value} is below {self.value_at_least}")
        if self.value_below is not None and case.value >= self.value_below:
            out.append(f"value {case.value} is not below {self.value_below}")
        if self.rtv_allowed is not None and case.rtv_allowed != self.rtv_allowed:
            out.append("the vendor takes returns" if case.rtv_allowed else "the vendor takes no returns")
        return out

    def matches(self, case: UnitCase) -> bool:
        return not self.misses(case)

    def conditions_text(self) -> str:
        parts = []
        if self.grade is not None:
            parts.append("grade " + "/".join(sorted(g.value for g in self.grade)))
        if self.flagged is not None:
            parts.append("flagged" if self.flagged else "not flagged")
        if self.flags_any is not None:
            parts.append("any flag of " + ", ".join(sorted(self.flags_any)))
        if self.reason is not None:
            parts.append("reason " + "/".join(sorted(self.reason)))
        if self.category is not None:
            parts.append("category " + "/".join(sorted(self.category)))
        if self.value_at_least is not None:
            parts.append(f"value >= {self.value_at_least}")
        if self.value_below is not None:
            parts.append(f"value < {self.value_below}")
        if self.rtv_allowed is not None:
            parts.append("vendor takes returns" if self.rtv_allowed else "vendor takes no returns")
        return " and ".join(parts) or "always (fallback)"


@dataclass(frozen=True)
class Decision:
    kind: DispositionKind
    bin_class: str
    rule: Rule
    because_en: str
    because_zh: str
    case: UnitCase


@dataclass(frozen=True)
class RuleSet:
    version: int
    rules: tuple[Rule, ...]
    source: str = ""

    def decide(self, case: UnitCase) -> Decision:
        """The first rule that matches; the fallback guarantees there is one."""
        for rule in self.rules:
            if rule.matches(case):
                return Decision(rule.kind, rule.bin_class, rule, rule.en, rule.zh, case)
        raise ConfigError(f"{self.source}: no rule matched and there is no fallback.")

    def trail(self, case: UnitCase) -> list[tuple[Rule, list[str]]]:
        """Each rule up to the one that fired, with why it did not match (empty for the winner)."""
        out = []
        for rule in self.rules:
            misses = rule.misses(case)
            out.append((rule, misses))
            if not misses:
                break
        return out

    def rule(self, name: str) -> Rule | None:
        return next((r for r in self.rules if r.name == name), None)


# ----------------------------------------------------------------------------- parsing


def _set(doc: TomlDoc, raw: Any, key: str, index: int, allowed: Iterable[str] | None = None) -> frozenset[str]:
    values = [raw] if isinstance(raw, str) else raw
    line = doc.line_of_key(key, table="rule", index=index)
    if not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values):
        raise doc.error(f"rule {index + 1}: {key} must be a list of names.", line)
    if allowed is not None:
        allowed = set(allowed)
        for value in values:
            if value not in allowed:
                raise doc.error(f"rule {index + 1}: {key} {value!r} is not one of: "
                                f"{', '.join(sorted(allowed))}.", line)
    return frozenset(values)


def _money(doc: TomlDoc, raw: Any, key: str, index: int) -> Decimal:
    try:
        if isinstance(raw, bool) or not isinstance(raw, int | float | str):
            raise InvalidOperation
        value = Decimal(str(raw))
    except InvalidOperation:
        raise doc.error(f"rule {index + 1}: {key} must be an amount like \"200.00\".",
                        doc.line_of_key(key, table="rule", index=index)) from None
    if not value.is_finite() or value < 0:
        raise doc.error(f"rule {index + 1}: {key} must be a positive amount.",
                        doc.line_of_key(key, table="rule", index=index))
    return value


def _bool(doc: TomlDoc, raw: Any, key: str, index: int) -> bool:
    if not isinstance(raw, bool):
        raise doc.error(f"rule {index + 1}: {key} must be true or false.",
                        doc.line_of_key(key, table="rule", index=index))
    return raw


def _parse_rule(doc: TomlDoc, raw: Any, index: int, names: Mapping[str, int]) -> Rule:
    where = f"rule {index + 1}"
    if not isinstance(raw, dict):
        raise doc.error(f"{where} must be a table ([[rule]]).", doc.line_of_table("rule", index))
    check_fields(doc, raw, _RULE_FIELDS, where, table="rule", index=index)
    require_fields(doc, raw, ("name", "kind"), where.capitalize(), table="rule", index=index)
    name = raw["name"]
    if not isinstance(name, str) or not name.replace("_", "").isalnum() or len(name) > 80:
        raise doc.error(f"{where}: name {name!r} must be letters, digits and underscores.",
                        doc.line_of_key("name", table="rule", index=index))
    if name in names:
        raise doc.error(f"duplicate rule name {name!r} (rule {names[name] + 1} has it too).",
                        doc.line_of_key("name", table="rule", index=index))
    try:
        kind = DispositionKind(raw["kind"])
    except ValueError:
        raise doc.error(f"rule {name!r}: kind {raw['kind']!r} is not one of: "
                        f"{', '.join(k.value for k in DispositionKind)}.",
                        doc.line_of_key("kind", table="rule", index=index)) from None
    bin_class = raw.get("bin_class", "")
    if not isinstance(bin_class, str) or len(bin_class) > 40:
        raise doc.error(f"rule {name!r}: bin_class must be a short text.",
                        doc.line_of_key("bin_class", table="rule", index=index))
    if kind == DispositionKind.RESTOCK and not bin_class:
        raise doc.error(f"rule {name!r} restocks: it needs a bin_class (which shelf).",
                        doc.line_of_table("rule", index))
    en, zh = bilingual(doc, raw, f"rule {name!r}", table="rule", index=index)
    values: dict[str, Any] = {}
    if "grade" in raw:
        values["grade"] = frozenset(Grade(g) for g in _set(doc, raw["grade"], "grade", index, Grade.__members__))
    if "flagged" in raw:
        values["flagged"] = _bool(doc, raw["flagged"], "flagged", index)
    if "flags_any" in raw:
        values["flags_any"] = _set(doc, raw["flags_any"], "flags_any", index, [f.value for f in FlagCode])
    for key in ("reason", "category"):
        if key in raw:
            values[key] = _set(doc, raw[key], key, index)
    for key in ("value_at_least", "value_below"):
        if key in raw:
            values[key] = _money(doc, raw[key], key, index)
    if "rtv_allowed" in raw:
        values["rtv_allowed"] = _bool(doc, raw["rtv_allowed"], "rtv_allowed", index)
    low, high = values.get("value_at_least"), values.get("value_below")
    if low is not None and high is not None and low >= high:
        raise doc.error(f"rule {name!r}: value_at_least {low} is not below value_below {high}; "
                        "no unit can match.", doc.line_of_table("rule", index))
    return Rule(name=name, en=en, zh=zh, kind=kind, bin_class=bin_class,
                line=doc.line_of_table("rule", index), **values)


def parse_rules(doc: TomlDoc) -> RuleSet:
    check_fields(doc, doc.data, {"version", "rule"}, "the rules file (top level)")
    require_fields(doc, doc.data, ("version", "rule"), "The rules file")
    version = doc.data["version"]
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise doc.error("'version' must be a whole number from 1 up.", doc.line_of_key("version"))
    raw_rules = doc.data["rule"]
    if not isinstance(raw_rules, list) or not raw_rules:
        raise doc.error("the file needs at least one [[rule]].")
    rules: list[Rule] = []
    names: dict[str, int] = {}
    for index, raw in enumerate(raw_rules):
        rule = _parse_rule(doc, raw, index, names)
        names[rule.name] = index
        rules.append(rule)
    for index, rule in enumerate(rules[:-1]):
        if rule.is_fallback:
            raise doc.error(f"rule {rule.name!r} has no conditions, so the {len(rules) - index - 1} "
                            "rule(s) after it can never fire; the fallback must be last.", rule.line)
    if not rules[-1].is_fallback:
        raise doc.error("there is no fallback: the last rule must have no conditions, so every "
                        "unit gets a disposition (e.g. kind = \"quarantine\").", rules[-1].line)
    return RuleSet(version, tuple(rules), str(doc.path))


def read_rules(path: Path) -> RuleSet:
    return parse_rules(read_toml(path))


def load_rules(override: Path | None = None) -> RuleSet:
    """The site's rules if valid, else the shipped ones (the refusal is logged)."""
    if override is None:
        candidate = paths.config_dir() / "disposition_rules.toml"
        override = candidate if candidate.is_file() else None
    if override is not None:
        try:
            return read_rules(override)
        except ConfigError as exc:
            log.warning("Ignoring site disposition rules, using the shipped ones: %s", exc)
    return read_rules(SHIPPED)


# ----------------------------------------------------------------------------- analysis


@dataclass(frozen=True)
class Overlap:
    earlier: Rule
    later: Rule
    example: UnitCase


@dataclass(frozen=True)
class RuleReport:
    """What ``rules check`` prints: rules that can never fire, and rules that shadow others."""

    rules: tuple[Rule, ...]
    unreachable: tuple[Rule, ...]
    overlaps: tuple[Overlap, ...]
    fallback_reached: bool
    cases: int

    @property
    def ok(self) -> bool:
        return not self.unreachable


def sample_cases(rules: Iterable[Rule], categories: Iterable[str] = (), reasons: Iterable[str] = ()) -> list[UnitCase]:
    """Enough inputs to decide reachability exactly.

    Conditions only compare against listed names and thresholds, so it suffices to try each
    listed name plus one unlisted one, each threshold and a value just below it, and flag sets
    of at most one flag ("any of" conditions are monotone in the flag set).
    """
    rules = list(rules)
    cats = {c for r in rules if r.category for c in r.category} | set(categories) | {"(other)"}
    rsns = {c for r in rules if r.reason for c in r.reason} | set(reasons) | {"(other)"}
    cents = Decimal("0.01")
    values = {Decimal("0")}
    for r in rules:
        for v in (r.value_at_least, r.value_below):
            if v is not None:
                values |= {v, max(Decimal("0"), v - cents)}
    flag_sets: list[frozenset[str]] = [frozenset()] + [frozenset({f.value}) for f in FlagCode]
    return [
        UnitCase(grade=g, flags=fl, reason=rs, category=c, value=v, rtv_allowed=rtv)
        for g, fl, rs, c, v, rtv in itertools.product(
            list(Grade), flag_sets, sorted(rsns), sorted(cats), sorted(values), (False, True))
    ]


def check_names(ruleset: RuleSet, categories: Iterable[str] = (), reasons: Iterable[str] = ()) -> None:
    """Refuse a category or reason nobody uses: a misspelt name is a rule that never fires.

    An empty collection means "not known here" and is not checked.
    """
    for key, known in (("category", set(categories)), ("reason", set(reasons))):
        if not known:
            continue
        for rule in ruleset.rules:
            for name in sorted(getattr(rule, key) or ()):
                if name in known:
                    continue
                close = difflib.get_close_matches(name, sorted(known), n=1)
                hint = f" Did you mean {close[0]!r}?" if close else ""
                raise config_error(ruleset.source or "rules", f"rule {rule.name!r}: {key} {name!r} is not a known "
                                   f"{key}.{hint} Known: {', '.join(sorted(known))}.", rule.line)


def check_rules(ruleset: RuleSet, categories: Iterable[str] = (), reasons: Iterable[str] = ()) -> RuleReport:
    """Which rules can never fire and which shadow later ones; unknown names are refused."""
    categories, reasons = tuple(categories), tuple(reasons)
    check_names(ruleset, categories, reasons)
    cases = sample_cases(ruleset.rules, categories, reasons)
    first_match: dict[int, int] = {}
    hits = [0] * len(ruleset.rules)
    overlap_example: dict[tuple[int, int], UnitCase] = {}
    for n, case in enumerate(cases):
        matching = [i for i, r in enumerate(ruleset.rules) if r.matches(case)]
        winner = matching[0]
        first_match[n] = winner
        hits[winner] += 1
        for later in matching[1:]:
            if ruleset.rules[later].is_fallback:
                continue
            if ruleset.rules[later].kind != ruleset.rules[winner].kind \
                    or ruleset.rules[later].bin_class != ruleset.rules[winner].bin_class:
                overlap_example.setdefault((winner, later), case)
    fallback = len(ruleset.rules) - 1
    unreachable = tuple(r for i, r in enumerate(ruleset.rules) if hits[i] == 0 and i != fallback)
    unreachable_idx = {i for i, r in enumerate(ruleset.rules) if r in unreachable}
    overlaps = tuple(
        Overlap(ruleset.rules[a], ruleset.rules[b], case)
        for (a, b), case in sorted(overlap_example.items()) if b not in unreachable_idx
    )
    return RuleReport(ruleset.rules, unreachable, overlaps, hits[fallback] > 0, len(cases))
