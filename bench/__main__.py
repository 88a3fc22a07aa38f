"""``python -m bench [NAME ...] [--quick]``: run the benchmarks, one JSON line per figure.

NAME selects modules by substring (``python -m bench lookup``); ``--quick`` shrinks data
sets for a smoke run (the figures are then not the ones to report).
"""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import sys
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("names", nargs="*", help="run only modules whose name contains one of these")
    parser.add_argument("--quick", action="store_true", help="small data sets, for a smoke run")
    args = parser.parse_args()
    here = Path(__file__).parent
    modules = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))
    if args.names:
        modules = [m for m in modules if any(n in m for n in args.names)]
    for name in modules:
        module = importlib.import_module(f"bench.{name}")
        for fig in module.run(quick=args.quick):
            print(json.dumps(fig, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
