"""The return policy as data (``station/data/policy.toml``, overridable from the config dir).

Parsed once into a frozen value, so a service never reads a half-edited file; a file that
does not parse is refused with its path and the reason, and the shipped policy stays in use.
"""

from __future__ import annotations

import logging
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from station.core.errors import ConfigError
from station.core.paths import SHIPPED_DATA
from station.models import Grade

log = logging.getLogger(__name__)

SHIPPED = SHIPPED_DATA / "policy.toml"


@dataclass(frozen=True)
class RequestRules:
    """What the policy decides when a customer asks to return (``[request]`` in the file).

    Windows count from delivery (``window.days``), non-returnable categories are refused,
    ``reasons_allowed`` narrows the reasons per category (a category not named allows every
    reason), ``photos_required_for`` names the reasons that need a customer photo, and a
    request worth less than ``auto_authorise_below`` is authorised at once unless the customer
    is a repeat returner or the order is flagged; everything else goes to a supervisor.
    """

    auto_authorise_below: Decimal = Decimal("1000.00")
    review_repeat_returners: bool = True
    review_flagged_orders: bool = True
    photos_required_for: frozenset[str] = frozenset()
    reasons_allowed: dict[str, frozenset[str]] = field(default_factory=dict)
    dock_counts_from: str = "authorisation"

    def reason_allowed(self, category: str, reason: str) -> bool:
        allowed = self.reasons_allowed.get(category)
        return allowed is None or reason in allowed


def parse_request_rules(data: dict[str, Any], source: str = "policy") -> RequestRules:
    """The ``[request]`` table; absent keys keep the defaults so older policy files still load."""
    counts_from = str(data.get("dock_counts_from", "authorisation"))
    if counts_from not in ("authorisation", "delivery"):
        raise ConfigError(f"{source}: request.dock_counts_from must be \"authorisation\" or \"delivery\".")
    return RequestRules(
        auto_authorise_below=_decimal(data.get("auto_authorise_below", "1000.00"),
                                      f"{source} request.auto_authorise_below"),
        review_repeat_returners=bool(data.get("review_repeat_returners", True)),
        review_flagged_orders=bool(data.get("review_flagged_orders", True)),
        photos_required_for=frozenset(str(r) for r in data.get("photos_required_for", [])),
        reasons_allowed={str(k): frozenset(str(r) for r in v)
                         for k, v in data.get("reasons_allowed", {}).items()},
        dock_counts_from=counts_from,
    )


@dataclass(frozen=True)
class ReturnPolicy:
    version: int
    currency: str
    window_days: dict[str, int]
    default_window_days: int
    grace_days: int
    non_returnable: frozenset[str]
    split_identical: bool
    split_by_category: dict[str, bool]
    light_parcel_ratio: float
    packaging_allowance_g: int
    restocking_fee: dict[Grade, Decimal]
    fee_exempt_reasons: frozenset[str]
    return_shipping_default: str
    merchant_pays_for: frozenset[str]
    refund_auto_limit: Decimal
    max_adjustment_ratio: Decimal
    repeat_returns: int
    repeat_days: int
    request: RequestRules = field(default_factory=RequestRules)
    partial_wait_days: int = 14
    """Days after a partial parcel before its received units are resolved without the rest."""
    auto_resolve: bool = False
    """Issue routine refunds (below the limit, grades in ``auto_resolve_grades``, no flags) at once."""
    auto_resolve_grades: frozenset[Grade] = frozenset({Grade.A, Grade.B})
    pin_min_length: int = 4
    """Shortest PIN a clerk or inspector may set."""
    pin_min_length_privileged: int = 6
    """Shortest PIN a supervisor or admin may set: their badge approves refunds and adds people."""

    def window_for(self, category: str) -> int:
        return self.window_days.get(category, self.default_window_days)

    def splits(self, category: str) -> bool:
        return self.split_by_category.get(category, self.split_identical)

    def fee_rate(self, grade: Grade, reason_code: str) -> Decimal:
        if reason_code in self.fee_exempt_reasons:
            return Decimal("0")
        return self.restocking_fee[grade]

    def merchant_pays_shipping(self, reason_code: str) -> bool:
        return reason_code in self.merchant_pays_for or self.return_shipping_default == "merchant"


def _decimal(raw: Any, where: str) -> Decimal:
    try:
        value = Decimal(str(raw))
    except InvalidOperation as exc:
        raise ConfigError(f"{where}: {raw!r} is not a number.") from exc
    return value


def _pin_lengths(pins: dict[str, Any], source: str) -> dict[str, int]:
    # The station takes 4 to 12 digits at most (station.operators.service); a site may ask for more, not less.
    shortest = int(pins.get("min_length", 4))
    privileged = int(pins.get("min_length_supervisor", 6))
    if not 4 <= shortest <= 12:
        raise ConfigError(f"{source}: pins.min_length must be 4 to 12, not {shortest}.")
    if not shortest <= privileged <= 12:
        raise ConfigError(f"{source}: pins.min_length_supervisor must be {shortest} to 12, not {privileged}.")
    return {"pin_min_length": shortest, "pin_min_length_privileged": privileged}


class PolicyProblems(ConfigError):
    """Values of a policy that are of the wrong type or out of range, all of them at once."""

    def __init__(self, source: str, problems: list[str]) -> None:
        super().__init__(f"{source}: " + "; ".join(problems))
        self.problems = problems


MAX_DAYS = 3650
"""Ten years: a window, a wait or a look-back longer than this is a typo."""


class _Values:
    """Reads a policy's numbers by their dotted key, noting every value of the wrong type or
    range (``policy check`` lists them all; a typo'd "thirty" is named on its line)."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def whole(self, key: str, raw: Any, low: int = 0, high: int = MAX_DAYS) -> int:
        if isinstance(raw, bool) or not isinstance(raw, int) or not low <= raw <= high:
            self.problems.append(f"{key} must be a whole number from {low} to {high}, not {raw!r}")
            return low
        return raw

    def ratio(self, key: str, raw: Any, low: float = 0.0, high: float = 1.0) -> float:
        if isinstance(raw, bool) or not isinstance(raw, int | float) or not low <= raw <= high:
            self.problems.append(f"{key} must be a number from {low:g} to {high:g}, not {raw!r}")
            return low
        return float(raw)

    def amount(self, key: str, raw: Any, low: Decimal = Decimal(0), high: Decimal | None = None) -> Decimal:
        try:
            value = Decimal(str(raw)) if not isinstance(raw, bool) else Decimal("NaN")
        except InvalidOperation:
            value = Decimal("NaN")
        if not value.is_finite() or value < low or (high is not None and value > high):
            upper = f" to {high}" if high is not None else " or more"
            self.problems.append(f"{key} must be an amount from {low}{upper}, not {raw!r}")
            return low
        return value


def parse_policy(data: dict[str, Any], source: str = "policy") -> ReturnPolicy:
    """Build a policy from parsed TOML, naming the key that is wrong when it is (every value
    of the wrong type or range at once, as ``PolicyProblems``)."""
    v = _Values()
    try:
        fees = {Grade(g): _decimal(v, f"{source} restocking_fee.{g}")
                for g, v in data["restocking_fee"].items() if g in Grade.__members__}
        missing = [g.value for g in Grade if g not in fees]
        if missing:
            raise ConfigError(f"{source}: restocking_fee has no rate for grade {', '.join(missing)}.")
        for grade, rate in fees.items():
            if not Decimal(0) <= rate <= Decimal(1):
                raise ConfigError(f"{source}: restocking_fee.{grade.value} must be between 0 and 1.")
        window = data["window"]
        policy = ReturnPolicy(
            version=v.whole("version", data["version"], 1, 1_000_000),
            currency=str(data.get("currency", "CNY")),
            window_days={k: v.whole(f"window.days.{k}", d) for k, d in window.get("days", {}).items()},
            default_window_days=v.whole("window.default_days", window["default_days"]),
            grace_days=v.whole("window.grace_days", window.get("grace_days", 0)),
            non_returnable=frozenset(data.get("returnable", {}).get("non_returnable", [])),
            split_identical=bool(data["units"]["split_identical"]),
            split_by_category={k: bool(v) for k, v in data["units"].get("split_by_category", {}).items()},
            light_parcel_ratio=v.ratio("weight.light_parcel_ratio", data["weight"]["light_parcel_ratio"]),
            packaging_allowance_g=v.whole("weight.packaging_allowance_g",
                                          data["weight"].get("packaging_allowance_g", 0), 0, 100_000),
            restocking_fee=fees,
            fee_exempt_reasons=frozenset(
                data["restocking_fee"].get("reasons_exempt", {}).get("reasons", [])
            ),
            return_shipping_default=str(data["return_shipping"]["default"]),
            merchant_pays_for=frozenset(data["return_shipping"].get("merchant_pays_for", [])),
            refund_auto_limit=v.amount("auto_approve.refund_limit", data["auto_approve"]["refund_limit"]),
            max_adjustment_ratio=v.amount("auto_approve.max_adjustment_ratio",
                                          data["auto_approve"]["max_adjustment_ratio"], Decimal(0), Decimal(1)),
            repeat_returns=v.whole("repeat_returner.returns", data["repeat_returner"]["returns"], 0, 10_000),
            repeat_days=v.whole("repeat_returner.days", data["repeat_returner"]["days"], 1),
            request=parse_request_rules(data.get("request", {}), source),
            **_resolution_terms(data.get("resolution", {}), source),
            **_pin_lengths(data.get("pins", {}), source),
        )
        if v.problems:
            raise PolicyProblems(source, v.problems)
        return policy
    except KeyError as exc:
        raise ConfigError(f"{source}: missing key {exc.args[0]!r}.") from exc
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{source}: {exc}.") from exc


def _resolution_terms(section: dict[str, Any], source: str) -> dict[str, Any]:
    """The optional ``[resolution]`` table: partial-parcel wait and auto-resolution."""
    terms: dict[str, Any] = {}
    if "partial_wait_days" in section:
        terms["partial_wait_days"] = int(section["partial_wait_days"])
        if terms["partial_wait_days"] < 0:
            raise ConfigError(f"{source}: resolution.partial_wait_days must be 0 or more.")
    if "auto" in section:
        terms["auto_resolve"] = bool(section["auto"])
    if "auto_grades" in section:
        terms["auto_resolve_grades"] = frozenset(Grade(g) for g in section["auto_grades"])
    return terms


def read_policy_file(path: Path) -> ReturnPolicy:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror}).") from exc
    return parse_policy(data, str(path))


def load_policy(override: Path | None = None) -> ReturnPolicy:
    """The site's policy if it has a valid one, else the shipped policy (with a warning)."""
    if override is None:
        from station.core.paths import config_dir

        candidate = config_dir() / "policy.toml"
        override = candidate if candidate.is_file() else None
    if override is not None:
        try:
            return read_policy_file(override)
        except ConfigError as exc:
            log.warning("Ignoring site policy, using the shipped one: %s", exc)
    return read_policy_file(SHIPPED)
