"""Why a parcel under the dock camera was identified, or why not, in words a tuner can act on.

The camera's watcher (drivers/camera_arrivals.py) records what it saw of each parcel: how
long it stayed, its longest still run and its stillest frame, how many times its still view
was read and how many codes each read found. This module turns that record, and the dock's
identification of its codes (``station.receiving.identification``), into one reason:

* **identified**: an RMA, and the code that led to it;
* **never settled**: the parcel never stayed still for ``settle_frames`` frames in a row, so
  it was never read (with the stillest frame's motion against the threshold);
* **nothing read**: it settled and was read, but no code was found (label too small, outside
  the watched region, out of focus, facing down);
* **no RMA**: codes were read, but none leads to an RMA the station knows;
* **several RMAs**: the codes point to different RMAs (or a tracking number to several):
  the station never guesses.

Without a database (``decode-video`` with no ``--db``) the same dock rule runs with every
valid RMA number taken as known and no tracking or order number leading anywhere, so the
classifier alone tells RMA numbers from other codes.

The record is a plain frozen value (``ParcelStay``): station/ imports no driver, the caller
copies the watcher's figures into it.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from station.receiving.identification import (
    CodeRole, Identification, NamedCode, Outcome, RmaIndex, RmaLookup, identify,
)
from station.scanning.classify import ScanClassifier, ScanKind

log = logging.getLogger(__name__)


class Reason(enum.Enum):
    IDENTIFIED = "identified"
    NEVER_SETTLED = "never settled"
    NOTHING_READ = "settled, no code read"
    NO_RMA = "codes, none an RMA"
    SEVERAL_RMAS = "codes for several RMAs"


@dataclass(frozen=True)
class ParcelStay:
    """What the camera saw of one parcel, and the thresholds it was judged by.

    ``stillest_percent`` is the lowest motion seen while the parcel was in view (percent of
    the watched area changed since the frame before; None when no frame was judged);
    ``codes_per_read`` has one count per read of the still view.
    """

    number: int
    first_frame: int
    left_frame: int | None
    settled_frame: int | None
    codes: tuple[tuple[str, str], ...]  # (text, symbology) in the order read
    frames_watched: int
    longest_still: int
    stillest_percent: float | None
    codes_per_read: tuple[int, ...]
    settle_frames: int
    motion_percent: float
    reads: int


@dataclass(frozen=True)
class ArrivalReason:
    """The verdict on one parcel: ``reason``, the sentence, and the RMA(s) it names."""

    reason: Reason
    words: str
    rma: str | None = None
    rmas: tuple[str, ...] = ()


class EveryRmaKnown(RmaIndex):
    """The dock rule's lookup with no database: a valid RMA number counts as known; tracking
    and order numbers lead nowhere (only a database can say whose they are)."""

    def has_rma(self, number: str) -> bool:
        return True


def explain_arrival(stay: ParcelStay, lookup: RmaIndex | RmaLookup | None = None,
                    classifier: ScanClassifier | None = None) -> ArrivalReason:
    """Why parcel ``stay`` was identified or not; ``lookup`` is the station's RMAs (None: no
    database, RMA numbers are told from other codes by the classifier alone)."""
    if stay.settled_frame is None:
        return ArrivalReason(Reason.NEVER_SETTLED, _never_settled(stay))
    if not stay.codes:
        return ArrivalReason(Reason.NOTHING_READ, _nothing_read(stay))
    found = identify(stay.codes, lookup if lookup is not None else EveryRmaKnown(), classifier)
    return _from_identification(found, looked_up=lookup is not None)


def _never_settled(stay: ParcelStay) -> str:
    need = stay.settle_frames
    if stay.stillest_percent is None:
        return (f"never settled: it was in view for {_frames(stay)} only, too briefly to be judged "
                f"still for {_n(need, 'frame')} in a row.")
    stillest, limit = _pct(stay.stillest_percent), _pct(stay.motion_percent)
    if stay.stillest_percent >= stay.motion_percent:
        return (f"never settled: it never stayed still for {_n(need, 'frame')} in a row; the stillest "
                f"frame still had {stillest} % of the watched area moving (threshold {limit} %). "
                f"A shaking table, camera or hand? Raise motion_percent, or hold the parcel still.")
    return (f"never settled: it was still for at most {_n(stay.longest_still, 'frame')} in a row, "
            f"{need} needed (settle_frames; the stillest frame had {stillest} % of the watched area "
            f"moving, threshold {limit} %). Set down only briefly? Lower settle_frames.")


def _nothing_read(stay: ParcelStay) -> str:
    done = len(stay.codes_per_read)
    reads = (f"read {_n(done, 'time')}" if done >= stay.reads
             else f"read only {done} of {stay.reads} times before it moved or left")
    return (f"settled at frame {stay.settled_frame} and was {reads}, but no code was found. "
            f"Labels too small for the camera (bars under 2 px wide)? Outside the watched region? "
            f"Out of focus, or facing down?")


def _from_identification(found: Identification, *, looked_up: bool) -> ArrivalReason:
    if found.outcome is Outcome.IDENTIFIED and found.rma:
        lead = next(c for c in found.codes if c.rma == found.rma and c.role is found.by)
        checked = "" if looked_up else "; no database given, so not looked up"
        return ArrivalReason(Reason.IDENTIFIED, f"identified as {found.rma} by {_code(lead)}{checked}.",
                             rma=found.rma)
    if found.outcome is Outcome.CONFLICT:
        if found.candidates:
            named = [f"{rma} by {_and([_code(c) for c in found.codes if c.rma == rma])}"
                     for rma in found.candidates]
            return ArrivalReason(Reason.SEVERAL_RMAS,
                                 f"codes for {len(named)} RMAs: {_and(named)}; the station does not guess "
                                 f"between them: scan the right label by hand.", rmas=found.candidates)
        several = [c for c in found.codes if c.rma == "*"]
        return ArrivalReason(Reason.SEVERAL_RMAS,
                             f"{_code(several[0])} belongs to several RMAs; scan the RMA label by hand.")
    listed = "; ".join(f"{_code(c)}: {_why_not(c, looked_up)}" for c in found.codes)
    known = "an RMA the station knows" if looked_up else "an RMA number"
    return ArrivalReason(Reason.NO_RMA, f"{_n(len(found.codes), 'code')} read, none of them {known}: {listed}.")


def _why_not(code: NamedCode, looked_up: bool) -> str:
    meaning = code.meaning
    if code.role is CodeRole.RMA:
        return "not in this station's database"
    if code.role is CodeRole.TRACKING:
        return "no RMA has this tracking number" if looked_up else "a tracking number (give a database to find its RMA)"
    if code.role is CodeRole.PRODUCT:
        return "a product code, not a return label"
    if meaning.kind is ScanKind.REJECTED:
        return meaning.reason.rstrip(".")
    if meaning.kind is ScanKind.UNKNOWN:
        return "not a code this station knows" + (" (nor an order number of an open RMA)" if looked_up else "")
    return f"a {meaning.kind.value} code"


_ROLE_WORDS = {CodeRole.RMA: "its RMA label", CodeRole.TRACKING: "tracking number", CodeRole.ORDER: "order number",
               CodeRole.PRODUCT: "product code", CodeRole.OTHER: "code"}


def _code(code: NamedCode) -> str:
    text = code.text if len(code.text) <= 40 else code.text[:37] + "..."
    return f"{_ROLE_WORDS[code.role]} {text} ({code.symbology})"


def _pct(value: float) -> str:
    """A percentage as a person writes it: 0.9, 0.25, 0.004, 12."""
    return f"{value:.2g}" if value < 10 else f"{value:.0f}"


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _frames(stay: ParcelStay) -> str:
    if stay.left_frame is None:
        return _n(stay.frames_watched, "frame")
    return _n(stay.left_frame - stay.first_frame, "frame")


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
