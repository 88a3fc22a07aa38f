"""A repeat returner is counted once, the same way, at intake, at QC and at the resolution desk."""

from __future__ import annotations

import datetime as dt

from station.models import RmaState
from station.policy.repeat_returns import is_repeat_returner, recent_returns
from station.resolution.automatic import histories
from tests.helpers.builders import NOW, Clock, add_product, add_rma, make_context


def _returns(db, product, ref, live: int, cancelled: int) -> None:
    for n in range(live + cancelled):
        rma = add_rma(db, [(product, 1)], customer_ref=ref, authorised=NOW - dt.timedelta(days=3 + n))
        if n >= live:
            rma.state = RmaState.CANCELLED
    db.flush()


def test_cancelled_rmas_never_make_a_repeat_returner_anywhere(session_factory):
    with session_factory.begin() as db:
        shirt = add_product(db, "AP-TS-1")
        limit = make_context(session_factory, Clock()).policy.repeat_returns
        _returns(db, shirt, "C-EDGE", live=limit, cancelled=3)
        _returns(db, shirt, "C-OVER", live=limit + 1, cancelled=0)
    ctx = make_context(session_factory, Clock())
    with session_factory() as db:
        counts = recent_returns(db, ["C-EDGE", "C-OVER", "C-NONE"], ctx.policy, ctx.now())
        desk = histories(db, ctx, ["C-EDGE", "C-OVER"])
        verdicts = {ref: (is_repeat_returner(counts.get(ref, 0), ctx.policy), bool(desk[ref].flags))
                    for ref in ("C-EDGE", "C-OVER")}
    assert counts == {"C-EDGE": limit, "C-OVER": limit + 1}
    assert desk["C-EDGE"].recent == limit and desk["C-EDGE"].returns == limit
    assert verdicts == {"C-EDGE": (False, False), "C-OVER": (True, True)}


def test_returns_older_than_the_window_do_not_count(session_factory):
    ctx = make_context(session_factory, Clock())
    with session_factory.begin() as db:
        shirt = add_product(db, "AP-TS-2")
        add_rma(db, [(shirt, 1)], customer_ref="C-OLD", authorised=NOW - dt.timedelta(days=ctx.policy.repeat_days + 1))
        add_rma(db, [(shirt, 1)], customer_ref="C-OLD", authorised=NOW - dt.timedelta(days=1))
    with session_factory() as db:
        assert recent_returns(db, ["C-OLD"], ctx.policy, ctx.now()) == {"C-OLD": 1}
