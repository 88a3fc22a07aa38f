"""Split bursts under load: 10,000 scanner bursts replayed with a busy machine's jitter.

A loaded dock (a CPU-bound thread, a slow paint, USB polling late) stretches some gaps of a
7 ms scanner by 5-25 ms, the Enter included. Each burst is replayed through the real
``WedgeAssembler`` twice: with the old fixed 20 ms gap (``rhythm_factor=0``) and with the
scanner's own rhythm (the default). A burst counts as split when its scan does not come out
whole; typing between bursts must come out unchanged too.

    PYTHONPATH=$PWD .venv/bin/python -m bench bursts
"""

from __future__ import annotations

import difflib
import time
from collections.abc import Iterator

from bench import Figure, figure


def _whole(expected: tuple[str, ...], got: tuple[str, ...]) -> int:
    matcher = difflib.SequenceMatcher(a=expected, b=got, autojunk=False)
    return sum(size for _, _, size in matcher.get_matching_blocks())


def run(quick: bool) -> Iterator[Figure]:
    from drivers.scanners.wedge import WedgeAssembler, WedgeConfig
    from drivers.scanners.wedge_sim import WedgeSimulator, replay

    bursts = 1000 if quick else 10_000
    sim = WedgeSimulator(seed=15, scanner_gap_s=(0.005, 0.009), stall_s=(0.005, 0.025), stall_share=0.06)
    session = sim.session(bursts, typing_share=0.3)
    for name, config in {"fixed_20ms": WedgeConfig(rhythm_factor=0.0), "scanner_rhythm": WedgeConfig()}.items():
        start = time.perf_counter()
        out = replay(WedgeAssembler(config), session.keys)
        elapsed = time.perf_counter() - start
        split = len(session.scans) - _whole(session.scans, out.scans)
        yield figure(f"bursts.{name}.split", split, "bursts", bursts=bursts, scans=len(session.scans),
                     typed_intact=out.typed == session.typed, keys=len(session.keys),
                     us_per_key=round(elapsed / len(session.keys) * 1e6, 2))
