"""The raw read every scanner source produces.

A ``Scan`` is what the device said, nothing more: the station's classifier decides what it
means. Keeping it a frozen value lets it cross threads (camera worker, serial reader) and
layers (drivers -> ui -> station) without anyone mutating it on the way.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

#: Symbology for sources that cannot tell (keyboard wedge without AIM prefix, typed text).
UNKNOWN_SYMBOLOGY = "unknown"


@dataclass(frozen=True, slots=True)
class Scan:
    """One barcode read.

    ``text`` is the decoded content with control characters as sent (a GS1 group separator
    stays ``\\x1d``); ``symbology`` is a lower-case format name (``code128``, ``gs1-128``,
    ``qrcode``, ``ean13``...) or ``unknown``; ``source`` names the device (its URI);
    ``at`` is a ``time.time()`` timestamp taken when the read completed.
    """

    text: str
    symbology: str = UNKNOWN_SYMBOLOGY
    source: str = ""
    at: float = field(default_factory=time.time)
