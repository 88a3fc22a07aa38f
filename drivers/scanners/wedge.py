"""Keyboard-wedge scanners: telling a scanner's burst of keys from a person typing.

A USB wedge scanner is a keyboard that types very fast (1-4 ms between keys) and usually
ends with Enter or Tab; a person types 80-200 ms apart. The Qt key filter in ui/ feeds every
key press to ``WedgeAssembler.feed`` and does exactly what the returned ``WedgeOutput``
says: emit its ``scans``, replay its ``typed`` keys into the focused widget. Because the
filter holds keys back until they are known to be typing (at most ``max_gap_s``), a scan
that arrives while a text field has focus never lands in that field, and a clerk's typing
still reaches it, in order.

Key tokens: a key that produces text is fed as that text (one character; a GS1 group
separator from Ctrl+] arrives as ``"\\x1d"``); other keys by name: ``"Return"``, ``"Enter"``
(keypad), ``"Tab"``, ``"Backspace"``, ``"F8"``... Modifier-only presses and key releases
are not fed.

This module is pure (no Qt, no clock): timestamps come with the keys, so tests and the
benchmark replay exact timings.

Rhythm: a fixed gap misjudges a scanner on a busy machine (a 7 ms scanner whose Enter
arrives 27 ms after the last character split ``CMD:CONFIRM`` in two). So a burst ends at
its terminator, or when the gap exceeds ``max(max_gap_s, rhythm_factor x median gap)``,
where the median is taken over the scanner's own gaps: those of its recent scans and of
the burst so far. ``max_gap_s`` (settings ``scanners.wedge_max_gap_ms``) stays the floor
and ``max_gap_cap_s`` the ceiling, so a person typing 80-200 ms apart never joins a burst.
"""

from __future__ import annotations

import logging
from collections import deque
from dataclasses import dataclass, field
from statistics import median

from drivers.scanners.scan import UNKNOWN_SYMBOLOGY, Scan

log = logging.getLogger(__name__)

RETURN = "Return"
ENTER = "Enter"
TAB = "Tab"
GROUP_SEPARATOR = "\x1d"


@dataclass(frozen=True)
class WedgeConfig:
    """How a wedge scanner is set up; mirror the scanner's own programming here.

    ``group_separator`` is the key sequence the scanner types for a GS1 group separator
    (FNC1): ``("\\x1d",)`` for Ctrl+], ``("F8",)`` for a function key, or literal text such
    as ``("<", "G", "S", ">")``; each occurrence becomes ``"\\x1d"`` in the scan.
    """

    max_gap_s: float = 0.020
    rhythm_factor: float = 6.0
    max_gap_cap_s: float = 0.060
    min_rhythm_gaps: int = 3
    min_length: int = 4
    prefix: str = ""
    suffix: str = ""
    terminators: frozenset[str] = field(default_factory=lambda: frozenset({RETURN, ENTER, TAB}))
    require_terminator: bool = True
    group_separator: tuple[str, ...] = (GROUP_SEPARATOR,)
    max_length: int = 4096


@dataclass(frozen=True)
class WedgeOutput:
    """What to do after a key: emit ``scans``, replay ``typed`` keys (in this order)."""

    scans: tuple[Scan, ...] = ()
    typed: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.scans or self.typed)


class WedgeAssembler:
    """Assemble key presses with timestamps into scans and handed-back typing.

    ``feed(key, at)`` for every key press, ``poll(now)`` when ``next_deadline()`` passes
    (a single-shot timer in the UI). Both return a ``WedgeOutput``.
    """

    def __init__(self, config: WedgeConfig | None = None, *, source: str = "wedge:") -> None:
        self.config = config or WedgeConfig()
        self.source = source
        self._pending: list[tuple[str, float]] = []
        self._gs_tokens = frozenset(self.config.group_separator)
        # Gaps between keys of this scanner's recent scans: its own rhythm.
        self._rhythm: deque[float] = deque(maxlen=64)

    def allowed_gap(self) -> float:
        """The longest gap that still continues the held burst, by the scanner's rhythm."""
        cfg = self.config
        gaps = list(self._rhythm)
        gaps.extend(b[1] - a[1] for a, b in zip(self._pending, self._pending[1:]))
        if len(gaps) < cfg.min_rhythm_gaps:
            return cfg.max_gap_s
        ceiling = max(cfg.max_gap_cap_s, cfg.max_gap_s)
        return min(ceiling, max(cfg.max_gap_s, cfg.rhythm_factor * median(gaps)))

    def feed(self, key: str, at: float) -> WedgeOutput:
        scans: list[Scan] = []
        typed: list[str] = []
        if self._pending and at - self._pending[-1][1] > self.allowed_gap():
            self._close(scans, typed, terminated=False, at=at)
        if not self._can_be_in_scan(key):
            self._close(scans, typed, terminated=False, at=at)
            typed.append(key)
        elif not self._pending and not self._can_start_scan(key):
            typed.append(key)
        else:
            self._pending.append((key, at))
            if key in self.config.terminators:
                self._close(scans, typed, terminated=True, at=at)
            elif len(self._pending) > self.config.max_length:
                self._close(scans, typed, terminated=False, at=at)
        return WedgeOutput(tuple(scans), tuple(typed))

    def poll(self, now: float) -> WedgeOutput:
        """Settle keys whose burst has ended (no key for ``allowed_gap()``)."""
        if not self._pending or now - self._pending[-1][1] <= self.allowed_gap():
            return WedgeOutput()
        scans: list[Scan] = []
        typed: list[str] = []
        self._close(scans, typed, terminated=False, at=now)
        return WedgeOutput(tuple(scans), tuple(typed))

    def flush(self) -> WedgeOutput:
        """Settle everything now (focus lost, window closing)."""
        scans: list[Scan] = []
        typed: list[str] = []
        self._close(scans, typed, terminated=False, at=self._pending[-1][1] if self._pending else 0.0)
        return WedgeOutput(tuple(scans), tuple(typed))

    def next_deadline(self) -> float | None:
        """When ``poll`` must be called to settle held keys; ``None`` if nothing is held."""
        if not self._pending:
            return None
        return self._pending[-1][1] + self.allowed_gap()

    @property
    def holding(self) -> int:
        return len(self._pending)

    def _can_be_in_scan(self, key: str) -> bool:
        return len(key) == 1 or key in self.config.terminators or key in self._gs_tokens

    def _can_start_scan(self, key: str) -> bool:
        if key in self.config.terminators:
            return False
        prefix = self.config.prefix
        return not prefix or key == prefix[0]

    def _close(self, scans: list[Scan], typed: list[str], *, terminated: bool, at: float) -> None:
        if not self._pending:
            return
        keys = [k for k, _ in self._pending]
        stamps = [t for _, t in self._pending]
        self._pending = []
        body = keys[:-1] if terminated else keys
        text = self._join(body)
        cfg = self.config
        is_scan = (
            (terminated or not cfg.require_terminator)
            and text.startswith(cfg.prefix)
            and text.endswith(cfg.suffix)
            and len(text) - len(cfg.prefix) - len(cfg.suffix) >= cfg.min_length
        )
        if is_scan:
            text = text[len(cfg.prefix) : len(text) - len(cfg.suffix)]
            self._rhythm.extend(b - a for a, b in zip(stamps, stamps[1:]))
            scans.append(Scan(text=text, symbology=UNKNOWN_SYMBOLOGY, source=self.source, at=at))
            log.debug("wedge scan of %d characters", len(text))
        else:
            typed.extend(keys)

    def _join(self, keys: list[str]) -> str:
        seq = self.config.group_separator
        out: list[str] = []
        i = 0
        n = len(seq)
        while i < len(keys):
            if n and tuple(keys[i : i + n]) == seq:
                out.append(GROUP_SEPARATOR)
                i += n
                continue
            key = keys[i]
            # A named key inside a burst (Tab used as a field separator mid-scan) is kept as text.
            out.append("\t" if key == TAB else key if len(key) == 1 else "")
            i += 1
        return "".join(out)
