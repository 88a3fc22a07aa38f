"""Repeat returners: one count and one limit for intake, QC and the resolution desk.

The decision, in one place:

- **A cancelled RMA is not a return.** It was withdrawn (by the customer, the shop or a
  supervisor) before anything came back, so it says nothing about how often this customer
  sends goods back. Counting it, as the resolution desk once did, let a cancelled RMA block an
  automatic refund that intake and QC had allowed for the very same customer.
- The window is the policy's ``[repeat_returner] days`` back from now, by when each RMA was
  authorised (the day the customer asked, not the day the parcel happened to arrive).
- A customer is a repeat returner with **more than** ``[repeat_returner] returns`` returns in
  that window.

Intake (one request or an import of thousands), the QC flag and the resolution queue all ask
``recent_returns`` and ``is_repeat_returner``; none counts on its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import bindparam, func, select

from station.core.return_policy import ReturnPolicy
from station.models import Rma, RmaState

CHUNK = 500
"""Customer references per query: well under SQLite's bound-parameter limit."""

_COUNTS = (select(Rma.customer_ref, func.count())
           .where(Rma.customer_ref.in_(bindparam("refs", expanding=True)), Rma.state != RmaState.CANCELLED,
                  Rma.authorised_at >= bindparam("since"))
           .group_by(Rma.customer_ref))
_ALL_TIME = (select(Rma.customer_ref, func.count())
             .where(Rma.customer_ref.in_(bindparam("refs", expanding=True)), Rma.state != RmaState.CANCELLED)
             .group_by(Rma.customer_ref))


def window_start(policy: ReturnPolicy, now: dt.datetime) -> dt.datetime:
    """The earliest authorisation that still counts towards the repeat-returner limit."""
    return now - dt.timedelta(days=policy.repeat_days)


def is_repeat_returner(returns: int, policy: ReturnPolicy) -> bool:
    """More returns in the window than the policy allows."""
    return returns > policy.repeat_returns


def recent_returns(conn: Any, refs: Iterable[str], policy: ReturnPolicy, now: dt.datetime) -> dict[str, int]:
    """Returns (RMAs not cancelled) per customer within the policy's window; customers with
    none are left out. ``conn`` is a Connection or a Session."""
    return _counts(conn, _COUNTS, refs, {"since": window_start(policy, now)})


def all_returns(conn: Any, refs: Iterable[str]) -> dict[str, int]:
    """Returns (RMAs not cancelled) per customer, ever."""
    return _counts(conn, _ALL_TIME, refs, {})


def _counts(conn: Any, query: Any, refs: Iterable[str], params: dict[str, Any]) -> dict[str, int]:
    wanted = sorted({r for r in refs if r})
    counts: dict[str, int] = {}
    for at in range(0, len(wanted), CHUNK):
        for ref, count in conn.execute(query, {"refs": wanted[at:at + CHUNK], **params}):
            counts[ref] = int(count)
    return counts
