"""The "received to closed" cycle time: a parcel received, inspected, resolved and closed
through the real services, read from the raw tables and from the daily summaries, and shown
on the dashboard next to "received to resolved"."""

from __future__ import annotations

from station.analytics import build_dashboard, cycle_times
from station.analytics.period import Period
from station.analytics.tables import analytic_table
from tests.station.resolution.test_queue import build, receive_and_dispose


def test_an_rma_closed_five_hours_after_its_parcel_shows_received_to_closed(session_factory):
    desk = build(session_factory, auto=False)
    receive_and_dispose(desk, desk["jeans"])
    receive_and_dispose(desk, desk["pair"])
    desk["clock"].advance(hours=5)
    desk["resolution"].issue(desk["inspector"], desk["jeans"])
    day = desk["clock"]().date()
    engine = session_factory.kw["bind"]
    with engine.connect() as conn:
        raw = {c.stage: c for c in cycle_times(conn, Period(day, day))}
    closed = raw["received_to_closed"]
    assert (closed.units, closed.p50_h) == (1, 5.0)  # the pair is not resolved: not closed either
    assert raw["received_to_resolved"].units == 1
    with engine.begin() as conn:
        summary = build_dashboard(conn, Period(day, day))  # built now, before the pair closes
    assert {c.stage: c for c in summary.cycle}["received_to_closed"] == closed
    desk["clock"].advance(hours=3)
    desk["resolution"].issue(desk["inspector"], desk["pair"])
    with engine.begin() as conn:
        later = {c.stage: c for c in build_dashboard(conn, Period(day, day)).cycle}  # incremental refresh
        rows = dict((r[0], r) for r in analytic_table(build_dashboard(conn, Period(day, day)), "cycle_time").rows)
    with engine.connect() as conn:
        assert later == {c.stage: c for c in cycle_times(conn, Period(day, day))}
    assert later["received_to_closed"].units == 3 and later["received_to_closed"].p90_h == 8.0
    assert "received_to_closed" in rows
