"""What a scan means: one classification per scanned text.

The dock's rule is "one scan, one meaning": a scan is an RMA number, a carrier tracking
number, an LPN, a GTIN, a GS1 element string, a bin, an operator badge or a command, or it
is unknown or rejected with a reason the clerk can read. A text shaped like one of the
station's own identifiers but failing its check digit is *rejected*, never passed on as
something else: a misread RMA must not become a tracking number that matches nothing.

Pure: it takes the text and the symbology name a scanner reported (``code128``,
``gs1-128``, ``ean13``, ``unknown``...) and imports nothing from drivers/ or ui/.
``classify`` never raises; ``ScanMeaning.raise_if_rejected`` turns a rejection into the
station's ``ScanRejected`` for services that want an exception.
"""

from __future__ import annotations

import enum
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stdnum import ean

from station.core.errors import ScanRejected
from station.core.identifiers import (
    RMA_FORMS, is_valid_lpn, is_valid_rma_number, looks_like_lpn, looks_like_rma_number, rma_station,
)
from station.scanning.formats import ScanFormats, load_scan_formats

log = logging.getLogger(__name__)

GS = "\x1d"
_AIM = re.compile(r"^\][A-Za-z][0-9A-Za-z]")
_GS1_AIM = {"]C1", "]e0", "]d2", "]Q3", "]J1", "]z1"}
_RETAIL = {"ean13", "ean8", "upca", "upce"}
_HRI_GS1 = re.compile(r"^\(\d{2,4}\)")
_DIGITAL_LINK = re.compile(r"^https?://[^/\s]+(/[^/\s]+)*/(01|8006|8013|8010|414|417|00)/[^/\s]+", re.IGNORECASE)
"""A GS1 Digital Link URL (``https://id.gs1.org/01/<gtin>/10/<lot>?17=<expiry>``), printed in
QR codes on newer packs: the same element strings as a GS1-128, written as a web address."""


class ScanKind(enum.Enum):
    RMA = "rma"
    TRACKING = "tracking"
    LPN = "lpn"
    GTIN = "gtin"
    GS1 = "gs1"
    BIN = "bin"
    BADGE = "badge"
    COMMAND = "command"
    REJECTED = "rejected"  # shaped like a known code but fails its check: a misread
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class ScanMeaning:
    """The one meaning of a scan.

    ``value`` is the normalised payload (the RMA number, the 14-digit GTIN, the command
    name, the carrier's tracking number...); ``details`` holds extras (``carrier``,
    ``ais`` as {AI: value}, ``gtin``, ``sscc``...); ``reason`` says why a scan is
    unknown or rejected, in words for the banner.
    """

    kind: ScanKind
    value: str
    text: str
    symbology: str = "unknown"
    reason: str = ""
    details: dict[str, Any] = field(default_factory=dict, hash=False, compare=True)

    @property
    def ok(self) -> bool:
        return self.kind not in (ScanKind.REJECTED, ScanKind.UNKNOWN)

    @property
    def is_command_shaped(self) -> bool:
        """A command barcode, known or not (an unknown one is REJECTED with expected=command)."""
        return self.kind is ScanKind.COMMAND or self.details.get("expected") == ScanKind.COMMAND.value

    def raise_if_rejected(self) -> "ScanMeaning":
        if not self.ok:
            raise ScanRejected(self.reason, next_step="Scan it again, or type it in.")
        return self


def clean_scan_text(text: str, max_length: int) -> tuple[str, str, bool]:
    """(cleaned text, AIM identifier, too long): control characters out except GS.

    The raw text is cut at 4x ``max_length`` before any work, so a stuck scanner cannot
    make the classifier chew megabytes.
    """
    raw = text[: max_length * 4]
    aim = ""
    if _AIM.match(raw):
        aim, raw = raw[:3], raw[3:]
    kept = "".join(c for c in raw if c == GS or unicodedata.category(c)[0] != "C")
    kept = kept.strip(" ").lstrip(GS).rstrip(GS)  # a leading GS is FNC1 in first position
    return kept, aim, len(kept) > max_length or len(text) > max_length * 4


def ups_check_ok(number: str) -> bool:
    """UPS 1Z: the 15 characters after ``1Z`` weighted 1,2,1,2... (letters A=2, B=3...)."""
    body, check = number[2:17], number[17]
    if not check.isdigit():
        return False
    total = 0
    for i, c in enumerate(body):
        v = int(c) if c.isdigit() else (ord(c) - 63) % 10
        total += v * (2 if i % 2 else 1)
    return (10 - total % 10) % 10 == int(check)


def s10_check_ok(number: str) -> bool:
    """UPU S10 (EMS, China Post, registered mail): weights 8 6 4 2 3 5 9 7, mod 11."""
    digits, check = number[2:10], int(number[10])
    total = sum(int(d) * w for d, w in zip(digits, (8, 6, 4, 2, 3, 5, 9, 7)))
    expected = 11 - total % 11
    expected = 0 if expected == 10 else 5 if expected == 11 else expected
    return expected == check


class ScanClassifier:
    """Classify scans with the formats from a TOML file (the shipped default if none)."""

    def __init__(self, formats: ScanFormats | None = None) -> None:
        self.formats = formats or load_scan_formats()

    @classmethod
    def from_file(cls, path: str | Path | None) -> "ScanClassifier":
        return cls(load_scan_formats(path))

    def classify(self, text: str, symbology: str = "unknown") -> ScanMeaning:
        """The meaning of ``text``; never raises (unexpected failures become UNKNOWN)."""
        try:
            return self._classify(text, (symbology or "unknown").lower())
        except Exception:  # a classifier bug must never lose the scan or crash the dock
            log.exception("classifier failed on a %d-character scan", len(text))
            return ScanMeaning(ScanKind.UNKNOWN, "", text[:64], symbology, "This code could not be read as anything.")

    def _classify(self, text: str, symbology: str) -> ScanMeaning:
        f = self.formats
        cleaned, aim, too_long = clean_scan_text(text, f.max_length)

        def meaning(kind: ScanKind, value: str, reason: str = "", **details: Any) -> ScanMeaning:
            return ScanMeaning(kind, value, cleaned, symbology, reason, details)

        if too_long:
            return meaning(ScanKind.UNKNOWN, "", f"Scan too long (over {f.max_length} characters): not a code this station uses.")
        if not cleaned:
            return meaning(ScanKind.UNKNOWN, "", "Empty scan: nothing but control characters or spaces.")
        if _DIGITAL_LINK.match(cleaned):
            return self._gs1(cleaned, aim, meaning, digital_link=True)
        if aim in _GS1_AIM or symbology.startswith("gs1") or symbology.startswith("databar") or GS in cleaned \
                or _HRI_GS1.match(cleaned):
            return self._gs1(cleaned, aim, meaning)
        upper = cleaned.upper()

        if f.command_prefix and upper.startswith(f.command_prefix.upper()):
            name = upper[len(f.command_prefix):].strip()
            if name in f.commands:
                return meaning(ScanKind.COMMAND, name)
            return meaning(ScanKind.REJECTED, "", f"Unknown command barcode {cleaned!r}: reprint the command sheet.",
                           expected=ScanKind.COMMAND.value)
        if f.rma_enabled and upper.startswith(f.rma_prefix) and upper[len(f.rma_prefix):].isdigit():
            candidate = "RMA" + upper[len(f.rma_prefix):]
            if is_valid_rma_number(candidate):
                issuer = rma_station(candidate)  # None: a number issued before numbers named their dock
                return meaning(ScanKind.RMA, candidate, **({} if issuer is None else {"station": f"{issuer:03d}"}))
            if looks_like_rma_number(candidate):
                return meaning(ScanKind.REJECTED, "", f"RMA number {cleaned} fails its check digit: a misread.", expected=ScanKind.RMA.value)
            return meaning(ScanKind.REJECTED, "", f"{cleaned} is not a whole RMA number ({RMA_FORMS}).", expected=ScanKind.RMA.value)
        if f.lpn_enabled and upper.startswith(f.lpn_prefix) and upper[len(f.lpn_prefix):].isdigit():
            candidate = "LP" + upper[len(f.lpn_prefix):]
            if is_valid_lpn(candidate):
                return meaning(ScanKind.LPN, candidate, station=candidate[2:5])
            if looks_like_lpn(candidate):
                return meaning(ScanKind.REJECTED, "", f"LPN {cleaned} fails its check digit: a misread.", expected=ScanKind.LPN.value)
            return meaning(ScanKind.REJECTED, "", f"{cleaned} is not a whole LPN (LP + 12 digits).", expected=ScanKind.LPN.value)
        if f.badge.match(upper):
            return meaning(ScanKind.BADGE, upper)
        retail = symbology in _RETAIL
        if upper.isdigit() and len(upper) in (6, 7, 8, 12, 13, 14) and (retail or symbology == "unknown"):
            gtin = self._gtin(upper, symbology)
            if gtin is not None:
                return meaning(ScanKind.GTIN, gtin, digits=upper)
            if retail:
                return meaning(ScanKind.REJECTED, "", f"Product code {cleaned} fails its check digit: a misread.", expected=ScanKind.GTIN.value)
        for t in f.tracking:
            if t.pattern.match(upper):
                if t.check == "ups" and not ups_check_ok(upper):
                    return meaning(ScanKind.REJECTED, "", f"UPS tracking number {cleaned} fails its check digit: a misread.", carrier=t.carrier)
                if t.check == "s10" and not s10_check_ok(upper):
                    return meaning(ScanKind.REJECTED, "", f"Postal tracking number {cleaned} fails its check digit: a misread.", carrier=t.carrier)
                return meaning(ScanKind.TRACKING, upper, carrier=t.carrier)
        if upper.isdigit() and len(upper) in (8, 12, 13, 14):
            gtin = self._gtin(upper, symbology)
            if gtin is not None:
                return meaning(ScanKind.GTIN, gtin, digits=upper)
        for b in f.bins:
            if b.pattern.match(upper):
                return meaning(ScanKind.BIN, upper, layout=b.name)
        shown = cleaned if len(cleaned) <= 40 else cleaned[:37] + "..."
        return meaning(ScanKind.UNKNOWN, "", f"{shown!r} is not a code this station knows "
                                             "(RMA, LPN, tracking, product, bin, badge or command).")

    @staticmethod
    def _gtin(digits: str, symbology: str) -> str | None:
        """The GTIN-14 for a valid GTIN-8/12/13/14 (a UPC-E is expanded by biip first)."""
        if len(digits) in (6, 7) or (symbology == "upce" and len(digits) == 8):
            from biip.upc import Upc

            try:
                return Upc.parse(digits).as_gtin_12().zfill(14)
            except Exception:
                return None
        if len(digits) in (8, 12, 13, 14) and ean.is_valid(digits):
            return digits.zfill(14)
        return None

    def _gs1(self, cleaned: str, aim: str, meaning: Any, *, digital_link: bool = False) -> ScanMeaning:
        import biip
        from biip.gs1_digital_link_uris import GS1DigitalLinkURI
        from biip.gs1_messages import GS1Message

        try:
            if digital_link:
                message = GS1DigitalLinkURI.parse(cleaned).as_gs1_message()
            elif _HRI_GS1.match(cleaned):
                message = GS1Message.parse_hri(cleaned)
            else:
                result = biip.parse((aim if aim in _GS1_AIM else "]C1") + cleaned)
                if result.gs1_message is None:
                    raise ValueError(result.gs1_message_error or "no element strings")
                message = result.gs1_message
        except Exception as exc:  # biip raises its own ParseError family
            return meaning(ScanKind.REJECTED, "", f"GS1 code that does not parse ({exc}): a misread or a bad label.")
        if not message.element_strings:
            return meaning(ScanKind.REJECTED, "", "GS1 code without element strings: a misread or a bad label.")
        ais = {es.ai.ai: es.value for es in message.element_strings}
        details: dict[str, Any] = {"ais": ais}
        for es in message.element_strings:
            if es.ai.ai == "01" and es.gtin_error:
                return meaning(ScanKind.REJECTED, "", f"GTIN {es.value} in the GS1 code fails its check digit.")
            if es.ai.ai == "00" and es.sscc_error:
                return meaning(ScanKind.REJECTED, "", f"SSCC {es.value} in the GS1 code fails its check digit.")
        if "01" in ais:
            details["gtin"] = ais["01"]
        if "00" in ais:
            details["sscc"] = ais["00"]
        for ai, key in (("10", "lot"), ("21", "serial"), ("17", "expiry")):
            if ai in ais:
                details[key] = ais[ai]
        expiry = next((es.date for es in message.element_strings if es.ai.ai == "17"), None)
        if expiry is not None:  # YYMMDD read by biip (day 00 is the month's last day)
            details["expiry_date"] = expiry.isoformat()
        if digital_link:
            details["digital_link"] = True
        return meaning(ScanKind.GS1, message.as_hri(), **details)


_default: ScanClassifier | None = None


def classify_scan(text: str, symbology: str = "unknown") -> ScanMeaning:
    """Classify with the shipped formats (services with settings use ``ScanClassifier``)."""
    global _default
    if _default is None:
        _default = ScanClassifier()
    return _default.classify(text, symbology)
