"""Return reason codes as data (``station/data/reasons.toml``), shared by QC, policy and analytics.

One list, so the fraud checks, the disposition rules, the refund policy and the reason-mix chart
all mean the same thing by ``size``. A site may replace the list from the config dir; an invalid
site file is refused (logged) and the shipped list stays in use. An unknown code coming from
upstream is not an error: it is shown as its code and treated as the customer's reason.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass
from pathlib import Path

from station.core import paths
from station.core.datafiles import TomlDoc, bilingual, check_fields, read_toml, require_fields
from station.core.errors import ConfigError
from station.core.paths import SHIPPED_DATA

log = logging.getLogger(__name__)

SHIPPED = SHIPPED_DATA / "reasons.toml"


class Fault(enum.StrEnum):
    MERCHANT = "merchant"
    CUSTOMER = "customer"
    CARRIER = "carrier"


@dataclass(frozen=True)
class Reason:
    code: str
    en: str
    zh: str
    fault: Fault
    expects_unused: bool = False

    def text(self, locale: str = "en") -> str:
        return self.zh if locale.startswith("zh") else self.en


@dataclass(frozen=True)
class ReasonCodes:
    version: int
    reasons: tuple[Reason, ...]

    def get(self, code: str) -> Reason:
        """The reason for ``code``; an unknown code reads as itself, customer's side."""
        for reason in self.reasons:
            if reason.code == code:
                return reason
        return Reason(code=code, en=code, zh=code, fault=Fault.CUSTOMER)

    def known(self, code: str) -> bool:
        return any(r.code == code for r in self.reasons)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(r.code for r in self.reasons)


def parse_reasons(doc: TomlDoc) -> ReasonCodes:
    check_fields(doc, doc.data, {"version", "reason"}, "the reason list (top level)")
    require_fields(doc, doc.data, ("version", "reason"), "The reason list")
    version = doc.data["version"]
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise doc.error("'version' must be a whole number from 1 up.", doc.line_of_key("version"))
    raw_list = doc.data["reason"]
    if not isinstance(raw_list, list) or not raw_list:
        raise doc.error("the list needs at least one [[reason]].")
    reasons: list[Reason] = []
    for index, raw in enumerate(raw_list):
        where = f"reason {index + 1}"
        check_fields(doc, raw, {"code", "en", "zh", "fault", "expects_unused"}, where,
                     table="reason", index=index)
        require_fields(doc, raw, ("code", "fault"), where.capitalize(), table="reason", index=index)
        code = raw["code"]
        if not isinstance(code, str) or not code.replace("_", "").isalnum() or not code.isascii():
            raise doc.error(f"{where}: code {code!r} must be letters, digits and underscores.",
                            doc.line_of_key("code", table="reason", index=index))
        if any(r.code == code for r in reasons):
            raise doc.error(f"duplicate reason code {code!r}.",
                            doc.line_of_key("code", table="reason", index=index))
        try:
            fault = Fault(raw["fault"])
        except ValueError:
            raise doc.error(f"{where}: fault must be merchant, customer or carrier.",
                            doc.line_of_key("fault", table="reason", index=index)) from None
        expects_unused = raw.get("expects_unused", False)
        if not isinstance(expects_unused, bool):
            raise doc.error(f"{where}: expects_unused must be true or false.",
                            doc.line_of_key("expects_unused", table="reason", index=index))
        en, zh = bilingual(doc, raw, f"reason {code!r}", table="reason", index=index)
        reasons.append(Reason(code, en, zh, fault, expects_unused))
    return ReasonCodes(version, tuple(reasons))


def load_reasons(override: Path | None = None) -> ReasonCodes:
    """The site's reason list if it has a valid one, else the shipped list."""
    if override is None:
        candidate = paths.config_dir() / "reasons.toml"
        override = candidate if candidate.is_file() else None
    if override is not None:
        try:
            return parse_reasons(read_toml(override))
        except ConfigError as exc:
            log.warning("Ignoring site reason codes, using the shipped ones: %s", exc)
    return parse_reasons(read_toml(SHIPPED))
