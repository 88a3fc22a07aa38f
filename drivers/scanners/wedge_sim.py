"""A keyboard-wedge simulator: the fake for wedge scanners, shipped with the driver.

It produces the key presses a real dock sees: scanner bursts (1-4 ms between keys, the
configured prefix/suffix, the scanner's group-separator key sequence, Enter, keypad Enter
or Tab at the end, several codes per trigger pull) interleaved with a clerk typing (80-200
ms apart, with Backspace and Enter). Each session records what should come out, so a test
or the benchmark can count every misrouted character.
"""

from __future__ import annotations

import random
import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from drivers.scanners.wedge import ENTER, GROUP_SEPARATOR, RETURN, TAB, WedgeAssembler, WedgeConfig


@dataclass(frozen=True)
class KeyPress:
    key: str
    at: float


@dataclass(frozen=True)
class WedgeSession:
    """Key presses in time order, and the scans and typed keys they should produce."""

    keys: tuple[KeyPress, ...]
    scans: tuple[str, ...]
    typed: tuple[str, ...]


@dataclass(frozen=True)
class Replay:
    scans: tuple[str, ...]
    typed: tuple[str, ...]


def _luhn_digit(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            d -= 9 if d > 9 else 0
        total += d
    return str((10 - total % 10) % 10)


def _gtin_digit(body: str) -> str:
    total = sum(int(c) * (3 if i % 2 == 0 else 1) for i, c in enumerate(reversed(body)))
    return str((10 - total % 10) % 10)


class WedgeSimulator:
    """Random but reproducible (seeded) wedge traffic for one scanner configuration."""

    def __init__(
        self,
        config: WedgeConfig | None = None,
        *,
        seed: int = 0,
        scanner_gap_s: tuple[float, float] = (0.001, 0.004),
        human_gap_s: tuple[float, float] = (0.080, 0.200),
        terminator: str | None = None,
        stall_s: tuple[float, float] = (0.0, 0.0),
        stall_share: float = 0.0,
    ) -> None:
        """``stall_s``/``stall_share``: a busy machine's jitter, an extra delay drawn from
        ``stall_s`` before about ``stall_share`` of a burst's keys (the Enter included)."""
        self.config = config or WedgeConfig()
        self.rng = random.Random(seed)
        self.scanner_gap_s = scanner_gap_s
        self.human_gap_s = human_gap_s
        self.terminator = terminator
        self.stall_s = stall_s
        self.stall_share = stall_share

    def barcode_text(self) -> str:
        """A code a returns dock really sees: RMA, LPN, GS1 with separators, EAN-13, tracking."""
        r = self.rng
        kind = r.randrange(5)
        if kind == 0:
            body = f"{r.randrange(10**8):08d}"
            return f"RMA{body}{_luhn_digit(body)}"
        if kind == 1:
            body = f"{r.randrange(1000):03d}{r.randrange(10**8):08d}"
            return f"LP{body}{_luhn_digit(body)}"
        if kind == 2:
            gtin = f"{r.randrange(10**13):013d}"
            lot = "".join(r.choice(string.ascii_uppercase + string.digits) for _ in range(r.randint(3, 10)))
            return f"01{gtin}{_gtin_digit(gtin)}10{lot}{GROUP_SEPARATOR}21{r.randrange(10**6)}"
        if kind == 3:
            body = f"{r.randrange(10**12):012d}"
            return body + _gtin_digit(body)
        return "1Z" + "".join(r.choice(string.ascii_uppercase + string.digits) for _ in range(16))

    def trigger_pull(self, texts: Sequence[str], start: float) -> list[KeyPress]:
        """One trigger pull reading ``texts`` (a multi-code label gives several)."""
        cfg = self.config
        t = start
        keys: list[KeyPress] = []
        for text in texts:
            tokens: list[str] = list(cfg.prefix)
            for ch in text:
                tokens.extend(cfg.group_separator if ch == GROUP_SEPARATOR else [ch])
            tokens.extend(cfg.suffix)
            tokens.append(self.terminator or self.rng.choice([RETURN, RETURN, ENTER, TAB]))
            for i, token in enumerate(tokens):
                if i and self.stall_share and self.rng.random() < self.stall_share:
                    t += self.rng.uniform(*self.stall_s)
                keys.append(KeyPress(token, t))
                t += self.rng.uniform(*self.scanner_gap_s)
        return keys

    def typing(self, start: float) -> tuple[list[KeyPress], list[str]]:
        """A clerk typing a few words into a field (notes, a search, a quantity)."""
        r = self.rng
        tokens: list[str] = []
        for _ in range(r.randint(1, 12)):
            roll = r.random()
            if roll < 0.08:
                tokens.append("Backspace")
            elif roll < 0.12:
                tokens.append(r.choice([RETURN, TAB]))
            else:
                tokens.append(r.choice(string.ascii_letters + string.digits + " -./"))
        t = start
        keys = []
        for token in tokens:
            keys.append(KeyPress(token, t))
            t += r.uniform(*self.human_gap_s)
        return keys, tokens

    def session(self, bursts: int, *, typing_share: float = 0.5, max_codes_per_pull: int = 3) -> WedgeSession:
        """``bursts`` trigger pulls, with typing between about ``typing_share`` of them."""
        r = self.rng
        keys: list[KeyPress] = []
        scans: list[str] = []
        typed: list[str] = []
        t = 0.0
        for _ in range(bursts):
            if r.random() < typing_share:
                k, tokens = self.typing(t)
                keys.extend(k)
                typed.extend(tokens)
                t = k[-1].at + r.uniform(*self.human_gap_s)
            texts = [self.barcode_text() for _ in range(r.randint(1, max_codes_per_pull))]
            k = self.trigger_pull(texts, t)
            keys.extend(k)
            scans.extend(texts)
            t = k[-1].at + r.uniform(self.human_gap_s[0], 2.0)
        return WedgeSession(tuple(keys), tuple(scans), tuple(typed))


def replay(assembler: WedgeAssembler, keys: Iterable[KeyPress]) -> Replay:
    """Feed ``keys`` the way the Qt filter does, polling whenever its timer would fire."""
    scans: list[str] = []
    typed: list[str] = []

    def take(out: object) -> None:
        scans.extend(s.text for s in out.scans)  # type: ignore[attr-defined]
        typed.extend(out.typed)  # type: ignore[attr-defined]

    for press in keys:
        deadline = assembler.next_deadline()
        if deadline is not None and deadline < press.at:
            take(assembler.poll(deadline + 1e-6))
        take(assembler.feed(press.key, press.at))
    take(assembler.flush())
    return Replay(tuple(scans), tuple(typed))
