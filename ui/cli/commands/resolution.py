"""``rma-station resolution queue [--json]``: the RMAs waiting for a customer resolution."""

from __future__ import annotations

import argparse
import json

from station.resolution.queue import ResolutionQueue
from ui.cli import add_db_option, argtypes
from ui.supervisor.headless import open_context


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("resolution", help="the resolution desk's queue")
    sub = parser.add_subparsers(dest="resolution_command", metavar="ACTION", required=True)
    queue = sub.add_parser("queue", help="list the RMAs ready to resolve, oldest first, with the proposal")
    queue.add_argument("--json", action="store_true", help="one JSON document (amounts as strings)")
    queue.add_argument("--limit", type=argtypes.positive_int, default=50, help="rows to show (default 50)")
    add_db_option(queue)
    queue.set_defaults(handler=run_queue)


def run_queue(args: argparse.Namespace) -> int:
    page = ResolutionQueue(open_context(args)).page(limit=max(1, args.limit))
    if args.json:
        print(json.dumps({"total": page.total, "rows": [r.as_json() for r in page.rows]},
                         ensure_ascii=False, indent=2))
        return 0
    for r in page.rows:
        p = r.proposal
        who = "policy" if r.auto else ("supervisor" if p.needs_supervisor else "inspector")
        print(f"{r.rma:<16} {p.kind.value:<12} {p.amount:>10} {p.currency}  (gross {p.gross}, fee {p.fee})  "
              f"grades {'/'.join(r.grades) or '-'}  returns {r.history.returns}, {r.history.rate_en}"
              f"{'  flags ' + ', '.join(r.unit_flags + r.history.flags) if r.unit_flags or r.history.flags else ''}"
              f"  -> {who}")
        print(f"{'':<16} {r.why_en}")
    print(f"{page.total} RMAs ready to resolve; {len(page.rows)} shown.")
    return 0
