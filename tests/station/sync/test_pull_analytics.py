"""What other stations received reaches this station's dashboard after a pull.

Pulled rows keep central's ``updated_at``, which can be older than the local summaries'
watermark; the pull marks their parcel days dirty so the next refresh recomputes them.
"""

from __future__ import annotations

import datetime as dt

import pytest

from station.analytics import Period, build_dashboard
from station.analytics.summary import refresh
from station.models import Role
from station.receiving.service import ReceivingService
from station.sync.pull import Puller
from station.sync.push import Pusher
from tests.helpers.builders import NOW, add_operator, add_product, add_rma

pytestmark = pytest.mark.postgres


def test_units_received_at_another_dock_count_in_this_docks_dashboard(make_station, central, central_sf):
    with central_sf.begin() as db:
        db.info["applying_sync"] = True
        clerk = add_operator(db, Role.CLERK, badge="EMP-C1")
        shirt = add_product(db, "TS-1")
        number = add_rma(db, [(shirt, 3)]).number
    here, there = make_station(1), make_station(2)
    for station in (here, there):
        Puller(station.engine, central).pull_all()
    period = Period(NOW.date() - dt.timedelta(days=7), NOW.date())
    with here.engine.begin() as conn:  # this dock's summaries, built "an hour from now"
        refresh(conn, dt.datetime.now(dt.UTC) + dt.timedelta(hours=1))
        assert build_dashboard(conn, period, fresh=True).overall.returned == 0

    ReceivingService(there.ctx).receive(clerk, number)
    Pusher(there.engine, central, there.station_id).push_all()
    Puller(here.engine, central).pull_all()

    with here.engine.begin() as conn:
        refresh(conn, dt.datetime.now(dt.UTC) + dt.timedelta(hours=2))
        from_summaries = build_dashboard(conn, period, fresh=True)
        from_raw = build_dashboard(conn, period, raw=True)
    assert from_summaries.overall.returned == from_raw.overall.returned == 3
    assert from_summaries.reasons == from_raw.reasons
