"""Write the station's feedback sounds (``python -m ui.sounds.generate``).

Each sound is a short, distinct tone pattern a clerk learns to tell apart without looking:
a rising pair for success, a single low tone for an unknown parcel, three quick tones for a
duplicate, and so on. 16-bit mono 22.05 kHz with soft attack/release, a few KB each.
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 22050
HERE = Path(__file__).parent

#: name -> (frequency Hz, duration s) steps; 0 Hz is a pause.
PATTERNS: dict[str, list[tuple[float, float]]] = {
    "scan": [(1320, 0.05)],
    "ok": [(880, 0.08), (0, 0.02), (1320, 0.12)],
    "partial": [(880, 0.10), (0, 0.04), (988, 0.10)],
    "duplicate": [(660, 0.06), (0, 0.03), (660, 0.06), (0, 0.03), (660, 0.06)],
    "attention": [(784, 0.15), (0, 0.05), (587, 0.20)],
    "unknown": [(330, 0.30)],
    "error": [(220, 0.18), (0, 0.04), (196, 0.25)],
    "denied": [(440, 0.10), (0, 0.03), (311, 0.20)],
}


def samples(pattern: list[tuple[float, float]]) -> bytes:
    out = bytearray()
    for freq, seconds in pattern:
        n = int(RATE * seconds)
        ramp = max(1, int(RATE * 0.008))
        for i in range(n):
            env = min(1.0, i / ramp, (n - i) / ramp)
            value = 0.0 if freq == 0 else 0.35 * env * math.sin(2 * math.pi * freq * i / RATE)
            out += struct.pack("<h", int(value * 32767))
    return bytes(out)


def main() -> None:
    for name, pattern in PATTERNS.items():
        with wave.open(str(HERE / f"{name}.wav"), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(RATE)
            w.writeframes(samples(pattern))


if __name__ == "__main__":
    main()
