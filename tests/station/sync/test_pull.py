"""Pull: central's RMAs, lines, products and operators reach the station by cursor."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from station.models import Operator, OutboxEvent, Product, Rma, RmaLine, RmaState, Role
from station.sync.pull import Puller
from station.sync.push import Pusher
from tests.helpers.builders import add_operator, add_product, add_rma
from tests.station.sync.conftest import count

pytestmark = pytest.mark.postgres

PULLED = (Operator.__table__, Product.__table__, Rma.__table__, RmaLine.__table__)


def upstream(central_sf, rmas: int = 5) -> list[str]:
    """The web shop writes straight into central: operators, products, RMAs with lines."""
    with central_sf.begin() as db:
        db.info["applying_sync"] = True
        add_operator(db, Role.CLERK, badge="EMP-C1")
        shirt, shoe = add_product(db, "TS-1"), add_product(db, "SH-1", category="shoes")
        return [add_rma(db, [(shirt, 1), (shoe, 2)]).number for _ in range(rmas)]


def rows(engine, table) -> dict:
    with engine.connect() as conn:
        return {r.id: dict(r._mapping) for r in conn.execute(select(table))}


class TestPull:
    def test_new_station_gets_everything_and_writes_no_outbox(self, make_station, central, central_sf):
        upstream(central_sf, rmas=7)
        station = make_station(1)
        report = Puller(station.engine, central, page_size=4).pull_all()
        for table in PULLED:
            assert rows(station.engine, table) == rows(central, table)
        assert len(rows(station.engine, Rma.__table__)) == 7
        assert len(rows(station.engine, RmaLine.__table__)) == 14
        assert report.pages >= 5 and report.applied == 1 + 2 + 7 + 14
        assert count(station.engine, OutboxEvent.__table__) == 0
        again = Puller(station.engine, central).pull_all()
        assert again.applied == 0 and again.pages == 0 and again.cursor == report.cursor

    def test_upstream_changes_arrive_on_the_next_pull(self, make_station, central, central_sf):
        numbers = upstream(central_sf, rmas=3)
        station = make_station(1)
        Puller(station.engine, central).pull_all()
        with central.begin() as conn:
            conn.execute(update(Rma.__table__).where(Rma.number == numbers[1])
                         .values(state=RmaState.CANCELLED, version=Rma.version + 1))
        report = Puller(station.engine, central).pull_all()
        assert report.applied == 1
        with station.sf() as db:
            rma = db.scalars(select(Rma).where(Rma.number == numbers[1])).one()
            assert (rma.state, rma.version) == (RmaState.CANCELLED, 2)

    def test_a_line_whose_rma_changed_later_still_finds_its_parent(self, make_station, central, central_sf):
        numbers = upstream(central_sf, rmas=2)
        with central.begin() as conn:  # the RMA now sorts after its lines in the feed
            conn.execute(update(Rma.__table__).where(Rma.number == numbers[0]).values(version=Rma.version + 1))
        Puller(make_station(9).engine, central).pull_all()  # number the first changes
        with central.begin() as conn:
            conn.execute(update(Rma.__table__).where(Rma.number == numbers[0]).values(version=Rma.version + 1))
        station = make_station(1)
        Puller(station.engine, central, page_size=1).pull_all()
        for table in PULLED:
            assert rows(station.engine, table) == rows(central, table)

    def test_a_record_changed_here_and_not_yet_pushed_is_not_overwritten(self, make_station, central, central_sf):
        numbers = upstream(central_sf, rmas=1)
        station = make_station(1)
        Puller(station.engine, central).pull_all()
        with station.sf.begin() as db:  # local edit, pending in the outbox
            db.scalars(select(Rma).where(Rma.number == numbers[0])).one().customer_name = "Li Lei"
        with central.begin() as conn:
            conn.execute(update(Rma.__table__).where(Rma.number == numbers[0])
                         .values(customer_email="new@example.com", version=Rma.version + 1))
        report = Puller(station.engine, central).pull_all()
        assert report.kept_local == 1
        with station.sf() as db:
            assert db.scalars(select(Rma.customer_name).where(Rma.number == numbers[0])).one() == "Li Lei"
        # Pushing loses to central's newer version: a conflict, then the next pull brings central's row.
        push = Pusher(station.engine, central, station.station_id).push_all()
        assert push.conflicts == 1
        Puller(station.engine, central).pull_all()
        assert rows(station.engine, Rma.__table__) == rows(central, Rma.__table__)


def test_a_pull_tells_the_station_which_kinds_it_changed(make_station, central, central_sf):
    """The window's lists follow the station's change feed; a pull is a commit like any other
    (its rows go in past SQLAlchemy, so it declares them), so an RMA cancelled on central shows
    without anyone pressing a key."""
    from station.core.changes import feed_for

    numbers = upstream(central_sf, rmas=2)
    station = make_station(1)
    seen = []
    feed_for(station.engine).subscribe(seen.append)
    Puller(station.engine, central).pull_all()
    pulled = set().union(*(c.kinds for c in seen))
    assert {"rmas", "rma_lines", "products", "operators", "sync_state"} <= pulled
    assert "outbox" not in pulled, "what came from central is not queued to go back"
    seen.clear()
    with central.begin() as conn:
        conn.execute(update(Rma.__table__).where(Rma.number == numbers[0])
                     .values(state=RmaState.CANCELLED, version=Rma.version + 1))
    Puller(station.engine, central).pull_all()
    with station.sf() as db:
        cancelled = db.scalars(select(Rma.id).where(Rma.number == numbers[0])).one()
    assert any(c.touches(["rmas"], ids={cancelled}) for c in seen), "a view of that RMA reloads"
    assert not any(c.touches(["units"]) for c in seen)
