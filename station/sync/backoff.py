"""Exponential back-off with full jitter for a station that cannot reach central.

After the n-th failure in a row the next try waits a random time between ``base`` and
``min(cap, base * 2**n)``. The randomness matters: when a site's uplink comes back, fifty
stations that all failed at the same second must not all hit central at the same second.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass
class Backoff:
    base: float = 1.0
    cap: float = 300.0
    failures: int = 0
    rng: random.Random = field(default_factory=random.Random)

    def failed(self) -> float:
        """Count one more failure; return the seconds to wait before the next try."""
        self.failures += 1
        ceiling = min(self.cap, self.base * 2 ** min(self.failures, 32))
        return self.rng.uniform(self.base, max(self.base, ceiling))

    def succeeded(self) -> None:
        self.failures = 0
