"""``rma-station webhooks``: subscribe consumers, run the sender, look after dead letters.

    rma-station webhooks add https://orders.example/hooks/rma --secret-env ORDERS_HOOK_SECRET \
        [--auth-header Authorization --auth-env SHOP_HOOK_TOKEN] [--allow-private-host hooks.internal]
    rma-station webhooks --watch            # headless sender (or --once, e.g. from cron)
    rma-station webhooks dead-letters [--retry EVENT_ID]
    rma-station webhooks new-secret         # prints a whsec_... secret for the receiver and $VAR
    rma-station webhooks rotate orders --secret-env ORDERS_HOOK_SECRET_2 --grace-hours 48
    rma-station webhooks legacy-headers orders off   # deprecated X-RMA-Signature headers

Deliveries are CloudEvents 1.0 (JSON) signed per Standard Webhooks; the event type prefix is
``--type-prefix`` or ``RMA_EVENT_TYPE_PREFIX`` (default com.example), the source base
``RMA_PUBLIC_URL``.

URLs must be https (http only to this machine), carry no user name or password, and reach no
private or link-local address unless ``--allow-private-host`` names that host: see
``station.integrations.outbound_url`` and docs/integrations.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import time
import uuid

from station.core.errors import InvalidInput
from station.core.events import ENV_SOURCE_BASE, ENV_TYPE_PREFIX, CloudEventEnvelope
from station.integrations import webhooks
from station.integrations.webhooks import Backoff, WebhookDispatcher
from station.models.events import EVENT_NAMES
from ui.cli import add_db_option, argtypes
from ui.cli.commands.integrations import open_ledger

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("webhooks", help="send signed event webhooks (--once / --watch) or manage them")
    add_db_option(parser)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--once", action="store_true", help="send everything due, then exit")
    mode.add_argument("--watch", action="store_true", help="keep sending (every --interval seconds)")
    parser.add_argument("--interval", type=argtypes.positive_float, default=5.0)
    parser.add_argument("--timeout", type=argtypes.positive_float, default=10.0, help="seconds to wait for a receiver")
    parser.add_argument("--workers", type=argtypes.positive_int, default=8, help="concurrent deliveries (different RMAs)")
    parser.add_argument("--backoff", type=argtypes.positive_float, default=30.0, help="first retry delay in seconds (doubles)")
    parser.add_argument("--type-prefix", default=os.environ.get(ENV_TYPE_PREFIX, ""), metavar="PREFIX",
                        help="CloudEvents type prefix, your reverse domain (default com.example: "
                             "com.example.rma.received)")
    parser.set_defaults(handler=_run)
    actions = parser.add_subparsers(dest="webhooks_action", metavar="ACTION")
    add = actions.add_parser("add", help="subscribe a URL")
    add_db_option(add)
    add.add_argument("url")
    add.add_argument("--secret-env", required=True, metavar="VAR",
                     help="environment variable holding the shared secret (never stored in the database)")
    add.add_argument("--name", help="consumer name (default: the URL's host)")
    add.add_argument("--events", default="", help=f"comma-separated subset of {', '.join(EVENT_NAMES)}")
    add.add_argument("--max-attempts", type=argtypes.positive_int, default=8)
    add.add_argument("--auth-header", default="", metavar="NAME",
                     help="a header carrying the receiver's token, e.g. Authorization (with --auth-env)")
    add.add_argument("--auth-env", default="", metavar="VAR",
                     help="environment variable holding that header's value, read when sending, never stored")
    add.add_argument("--allow-private-host", default="", metavar="HOST",
                     help="allow this URL's host although it resolves to a private address (an internal receiver)")
    add.add_argument("--from-start", action="store_true", help="also send events from before the subscription")
    add.add_argument("--legacy-headers", action="store_true",
                     help="also send the deprecated X-RMA-Signature headers (removed in the next release)")
    add.set_defaults(handler=_add)
    lst = actions.add_parser("list", help="list consumers")
    add_db_option(lst)
    lst.set_defaults(handler=_list)
    dead = actions.add_parser("dead-letters", help="list events a consumer never accepted")
    add_db_option(dead)
    dead.add_argument("--retry", metavar="EVENT_ID", type=argtypes.event_id, help="queue this dead letter again")
    dead.add_argument("--consumer", help="only for this consumer (with --retry)")
    dead.set_defaults(handler=_dead)
    new = actions.add_parser("new-secret", help="print a new random whsec_ secret (Standard Webhooks form)")
    new.set_defaults(handler=_new_secret)
    rotate = actions.add_parser("rotate", help="sign with a new secret; the old one also signs for a grace period")
    add_db_option(rotate)
    rotate.add_argument("name", help="the consumer")
    rotate.add_argument("--secret-env", required=True, metavar="VAR", help="variable holding the new secret")
    rotate.add_argument("--grace-hours", type=argtypes.non_negative_float, default=24.0,
                        help="hours the old secret keeps signing beside the new one (default 24, at most 720)")
    rotate.set_defaults(handler=_rotate)
    legacy = actions.add_parser("legacy-headers", help="turn the deprecated X-RMA-Signature headers on or off")
    add_db_option(legacy)
    legacy.add_argument("name", help="the consumer")
    legacy.add_argument("state", choices=("on", "off"))
    legacy.set_defaults(handler=_legacy)


def _run(args: argparse.Namespace) -> int:
    if not (args.once or args.watch):
        raise InvalidInput("Say --once or --watch (or an action: add, list, dead-letters).")
    from station.integrations.http_post import KeepAlivePoster

    envelope = CloudEventEnvelope(args.type_prefix or CloudEventEnvelope().type_prefix,
                                  os.environ.get(ENV_SOURCE_BASE, "").strip().rstrip("/"))
    engine = open_ledger(args)
    dispatcher = WebhookDispatcher(engine, poster=KeepAlivePoster(args.timeout), workers=args.workers,
                                   backoff=Backoff(base_s=args.backoff), envelope=envelope)
    try:
        while True:
            report = dispatcher.run_once()
            if report != webhooks.DispatchReport() or args.once:
                print(f"webhooks: {report.delivered} delivered, {report.failed} to retry, {report.dead} dead-lettered",
                      flush=True)
            if args.once:
                return 0
            time.sleep(args.interval)
    finally:
        dispatcher.close()


def _add(args: argparse.Namespace) -> int:
    from urllib.parse import urlsplit

    engine = open_ledger(args)
    name = args.name or urlsplit(args.url).hostname or args.url
    events = [e.strip() for e in args.events.split(",") if e.strip()]
    webhooks.add_consumer(engine, name, args.url, args.secret_env, events, args.max_attempts,
                          from_start=args.from_start, auth_header=args.auth_header, auth_env=args.auth_env,
                          allow_private_host=args.allow_private_host, legacy_headers=args.legacy_headers)
    print(f"Consumer {name!r} subscribed to {', '.join(events) or 'all events'} at {args.url}.")
    return 0


def _list(args: argparse.Namespace) -> int:
    for consumer in webhooks.list_consumers(open_ledger(args)):
        print(json.dumps(consumer))
    return 0


def _dead(args: argparse.Namespace) -> int:
    engine = open_ledger(args)
    if args.retry:
        count = webhooks.retry_dead(engine, args.retry, args.consumer)
        print(f"Queued again for {count} consumer(s).")
        return 0
    letters = webhooks.dead_letters(engine)
    for row in letters:
        print(json.dumps({k: str(v) if isinstance(v, uuid.UUID) else v for k, v in row.items()}, ensure_ascii=False))
    if not letters:
        print("No dead letters.")
    return 0


def _new_secret(args: argparse.Namespace) -> int:
    from station.integrations.signing import new_secret

    print(new_secret())
    return 0


def _rotate(args: argparse.Namespace) -> int:
    engine = open_ledger(args)
    until = webhooks.rotate_secret(engine, args.name, args.secret_env, dt.timedelta(hours=args.grace_hours))
    print(f"{args.name!r} now signs with ${args.secret_env}; the old secret also signs until "
          f"{until.isoformat(timespec='minutes')}. Give the receiver the new secret before then.")
    return 0


def _legacy(args: argparse.Namespace) -> int:
    engine = open_ledger(args)
    webhooks.set_legacy_headers(engine, args.name, args.state == "on")
    print(f"{args.name!r}: deprecated X-RMA-Signature headers {args.state}.")
    return 0
