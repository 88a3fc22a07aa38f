"""What the supervisor's command-line tools share: the database, the period, a CLI actor.

The command line has no signed-in operator. Whoever can run it can read the database file
anyway, so the commands act as the ``command line`` admin; the audit log names it as such.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging

from station.analytics import Period
from station.core.context import Actor
from station.core.errors import InvalidInput
from ui.cli.argtypes import day_string
from ui.cli.station_setup import open_context

log = logging.getLogger(__name__)

CLI_ACTOR = Actor.command_line()

__all__ = ["CLI_ACTOR", "add_period_options", "open_context", "period_of"]


def add_period_options(parser: argparse.ArgumentParser, *, required: bool = False) -> None:
    parser.add_argument("--from", dest="start", required=required, metavar="YYYY-MM-DD", type=day_string,
                        help="first day (UTC)" + ("" if required else "; default: 8 weeks before --to"))
    parser.add_argument("--to", dest="end", required=required, metavar="YYYY-MM-DD", type=day_string,
                        help="last day, included (UTC)" + ("" if required else "; default: today"))


def period_of(args: argparse.Namespace) -> Period:
    if args.start and args.end:
        return Period.parse(args.start, args.end)
    try:
        end = dt.date.fromisoformat(args.end) if args.end else dt.datetime.now(dt.UTC).date()
    except ValueError:
        raise InvalidInput(f"--to {args.end!r} is not a date; use YYYY-MM-DD.") from None
    if args.start:
        return Period.parse(args.start, end.isoformat())
    return Period.last_weeks(end, 8)
