"""``rma-station audit verify|tail``: check the hash chain, read the newest events."""

from __future__ import annotations

import argparse
import json

from sqlalchemy import select

from station.audit import verify_chain
from station.db import open_database
from station.models import AuditEvent
from ui.cli import add_db_option


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("audit", help="verify or read the audit log")
    actions = parser.add_subparsers(dest="audit_action", metavar="ACTION", required=True)
    verify = actions.add_parser("verify", help="check that no audit row was edited or deleted")
    add_db_option(verify)
    verify.set_defaults(handler=_verify)
    tail = actions.add_parser("tail", help="print the newest audit events as JSON lines")
    add_db_option(tail)
    tail.add_argument("-n", type=int, default=20)
    tail.set_defaults(handler=_tail)


def _verify(args: argparse.Namespace) -> int:
    _engine, session_factory = open_database(getattr(args, "db", None), migrate=False)
    with session_factory() as db:
        result = verify_chain(db)
    if result.ok:
        print(f"Audit chain intact: {result.events} events.")
        return 0
    print(f"Audit chain BROKEN: {len(result.breaks)} problem(s) in {result.events} events.")
    for brk in result.breaks[:50]:
        print(f"  event #{brk.seq}: {brk.problem}")
    return 1


def _tail(args: argparse.Namespace) -> int:
    _engine, session_factory = open_database(getattr(args, "db", None), migrate=False)
    with session_factory() as db:
        events = db.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(args.n)).all()
    for event in reversed(events):
        print(json.dumps({"seq": event.seq, "at": event.at.isoformat(), "operator": event.operator_badge,
                          "action": event.action, "entity": f"{event.entity_type}/{event.entity_id}",
                          "details": event.details}, ensure_ascii=False))
    return 0
