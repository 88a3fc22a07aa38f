"""Wedge assembler figures: misrouted characters over synthetic scanner bursts mixed with
typing, for several scanner set-ups, and the assembler's cost per key."""

from __future__ import annotations

import difflib
import time
from collections.abc import Iterator, Sequence

from bench import Figure, figure


def misrouted(expected: Sequence[str], got: Sequence[str]) -> int:
    """Characters of items (scans or typed keys) without a counterpart in the other sequence.

    Items are aligned with difflib (linear when nothing differs); every character of an
    unmatched item counts, so a scan split in two counts its whole length twice.
    """
    if list(expected) == list(got):
        return 0
    matcher = difflib.SequenceMatcher(a=expected, b=got, autojunk=False)
    bad = 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            bad += sum(len(x) for x in expected[i1:i2]) + sum(len(x) for x in got[j1:j2])
    return bad


def run(quick: bool) -> Iterator[Figure]:
    from drivers.scanners.wedge import WedgeAssembler, WedgeConfig
    from drivers.scanners.wedge_sim import WedgeSimulator, replay

    bursts = 1000 if quick else 10_000
    setups = {
        "plain_enter": WedgeConfig(),
        "prefix_suffix_f8_gs": WedgeConfig(prefix="#", suffix="$", group_separator=("F8",)),
        "literal_gs_text": WedgeConfig(group_separator=("<", "G", "S", ">")),
    }
    for name, config in setups.items():
        sim = WedgeSimulator(config, seed=7)
        session = sim.session(bursts, typing_share=0.5)
        start = time.perf_counter()
        result = replay(WedgeAssembler(config), session.keys)
        elapsed = time.perf_counter() - start
        scan_chars = misrouted(session.scans, result.scans)
        typed_keys = misrouted(session.typed, result.typed)
        yield figure(f"wedge.{name}.misrouted", scan_chars + typed_keys, "chars",
                     bursts=bursts, scans=len(session.scans), scans_out=len(result.scans),
                     typed_keys=len(session.typed), keys=len(session.keys),
                     us_per_key=round(elapsed / len(session.keys) * 1e6, 2))
