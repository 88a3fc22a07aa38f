"""``python bench/crash_harness.py --kills 200 [--seed N]``: SIGKILL a working station N times.

Drives ``tests.helpers.crash_harness``: a child station receives parcels, inspects units and
syncs with a fresh central PostgreSQL database (``rma_crash_<random>``, dropped afterwards);
it is killed at random moments and restarted. Prints the figures (lost, doubled, half-done,
integrity and audit failures: all must be 0) and exits 1 if any is not.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):  # run as a script: the repository root first on the path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.helpers.crash_harness import Figures, run  # noqa: E402
from tests.helpers.pg import fresh_database  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(prog="python bench/crash_harness.py", description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=200, help="how many times to SIGKILL the station")
    parser.add_argument("--seed", type=int, default=1, help="seeds the data, the work and the kill moments")
    parser.add_argument("--max-delay", type=float, default=1.0,
                        help="a kill comes uniform(0, this) seconds after the child is ready")
    parser.add_argument("--sync", choices=["background", "inline"], default="background",
                        help="background: a SyncWorker thread beside the work, as the dock runs it; "
                        "inline: sync rounds take turns with receipts and inspections")
    parser.add_argument("--keep", metavar="DIR", help="keep the station file and the child's stderr here")
    args = parser.parse_args()

    def progress(f: Figures) -> None:
        if f.kills % 20 == 0 or f.child_errors:
            print(f"  {f.kills} kills, {sum(f.commits.values())} commits", file=sys.stderr, flush=True)

    with fresh_database("rma_crash") as central, tempfile.TemporaryDirectory() as tmp:
        workdir = Path(args.keep) if args.keep else Path(tmp)
        figures = run(central.url, workdir, kills=args.kills, seed=args.seed, max_delay=args.max_delay,
                      background_sync=args.sync == "background", progress=progress)
    print(f"crash harness: --kills {args.kills} --seed {args.seed} --max-delay {args.max_delay} --sync {args.sync}")
    for line in figures.lines():
        print(f"  {line}")
    for problem in figures.problems:
        print(f"  ! {problem}")
    return 1 if figures.failures else 0


if __name__ == "__main__":
    sys.exit(main())
