"""``rma-station events feed --after CURSOR``: domain events as JSON lines, for systems that poll.

Each line is a CloudEvents 1.0 structured JSON event (any CloudEvents SDK parses it) with the
feed position in the ``cursor`` extension attribute: keep the last one processed and pass it
as ``--after`` next time. The type prefix is ``--type-prefix`` or ``RMA_EVENT_TYPE_PREFIX``.
"""

from __future__ import annotations

import argparse
import json
import os
import time

from station.core.events import ENV_SOURCE_BASE, ENV_TYPE_PREFIX, CloudEventEnvelope
from station.integrations import feed
from station.models import utcnow
from station.models.events import EVENT_NAMES
from ui.cli import add_db_option, argtypes
from ui.cli.commands.integrations import open_ledger


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("events", help="read the domain event feed")
    actions = parser.add_subparsers(dest="events_action", metavar="ACTION", required=True)
    feed_cmd = actions.add_parser("feed", help="print events after a cursor, one JSON object per line")
    add_db_option(feed_cmd)
    feed_cmd.add_argument("--after", type=argtypes.non_negative_int, default=0, metavar="CURSOR",
                          help="the last cursor already processed (0: from the start)")
    feed_cmd.add_argument("--limit", type=argtypes.positive_int, default=1000)
    feed_cmd.add_argument("--type", action="append", choices=EVENT_NAMES, help="only these event types")
    feed_cmd.add_argument("--follow", action="store_true", help="keep printing new events (every --interval s)")
    feed_cmd.add_argument("--interval", type=argtypes.positive_float, default=5.0)
    feed_cmd.add_argument("--type-prefix", default=os.environ.get(ENV_TYPE_PREFIX, ""), metavar="PREFIX",
                          help="CloudEvents type prefix, your reverse domain (default com.example)")
    feed_cmd.set_defaults(handler=_feed)


def _feed(args: argparse.Namespace) -> int:
    envelope = CloudEventEnvelope(args.type_prefix or CloudEventEnvelope().type_prefix,
                                  os.environ.get(ENV_SOURCE_BASE, "").strip().rstrip("/"))
    engine = open_ledger(args)
    cursor = args.after
    while True:
        with engine.begin() as conn:
            feed.ingest(conn, utcnow())
            events = feed.read(conn, cursor, args.limit, args.type)
        for event in events:
            print(json.dumps(event.as_json(envelope), ensure_ascii=False, sort_keys=True), flush=True)
        if events:
            cursor = events[-1].cursor
        if not args.follow:
            return 0
        if len(events) < args.limit:
            time.sleep(args.interval)
