"""The change feed's cursor never skips a change, however late its transaction commits.

The feed is append-only, stamped with the writer's transaction id; a pull round takes a
snapshot and reads only the transactions finished in it and not in the station's previous
one (``station.sync.feed``). These tests open real concurrent central transactions.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select, text, update

from station.models import Product, Rma
from station.sync.pull import Puller
from tests.helpers.builders import add_product, add_rma
from tests.station.sync.helpers import rows

pytestmark = pytest.mark.postgres


def _numbers(engine) -> set[str]:
    with engine.connect() as conn:
        return set(conn.execute(select(Rma.number)).scalars())


def _product(central_sf):
    with central_sf.begin() as db:
        db.info["applying_sync"] = True
        return add_product(db, "TS-1").id


def _open_writer(central_sf, product_id):
    """A central session holding an uncommitted RMA (its transaction has an id and feed entries)."""
    db = central_sf()
    db.info["applying_sync"] = True
    number = add_rma(db, [(db.get(Product, product_id), 1)]).number
    db.flush()
    return db, number


def test_a_transaction_that_commits_after_a_later_one_is_not_skipped(make_station, central, central_sf):
    product = _product(central_sf)
    station = make_station(1)
    early, early_number = _open_writer(central_sf, product)  # started first, feed entries drawn first
    try:
        late, late_number = _open_writer(central_sf, product)
        late.commit()  # ... but the later one commits first
        late.close()
        first = Puller(station.engine, central).pull_all()
        assert late_number in _numbers(station.engine)  # an open transaction does not hold others back
        assert early_number not in _numbers(station.engine)
        early.commit()
    finally:
        early.close()
    second = Puller(station.engine, central).pull_all()
    assert early_number in _numbers(station.engine)
    assert second.applied == 2 and second.cursor > first.cursor  # the RMA and its line
    assert rows(station.engine, Rma.__table__) == rows(central, Rma.__table__)


def test_a_change_made_by_an_older_transaction_after_a_pull_arrives(make_station, central, central_sf):
    """The older transaction (lower xid) updates a record after a pull already took newer xids."""
    product = _product(central_sf)
    with central_sf.begin() as db:
        db.info["applying_sync"] = True
        number = add_rma(db, [(db.get(Product, product), 1)]).number
    station = make_station(1)
    with central.connect() as older:
        older.execute(text("SELECT pg_current_xact_id()"))  # takes its xid now, writes later
        writer, newer_number = _open_writer(central_sf, product)
        writer.commit()
        writer.close()
        Puller(station.engine, central).pull_all()
        assert {number, newer_number} <= _numbers(station.engine)
        older.execute(update(Rma.__table__).where(Rma.number == number)
                      .values(customer_name="Late Writer", version=Rma.version + 1))
        older.commit()
    Puller(station.engine, central).pull_all()
    with station.engine.connect() as conn:
        assert conn.execute(select(Rma.customer_name).where(Rma.number == number)).scalar_one() == "Late Writer"


def test_a_round_interrupted_between_pages_resumes_without_gaps(make_station, central, central_sf, monkeypatch):
    product = _product(central_sf)
    with central_sf.begin() as db:
        db.info["applying_sync"] = True
        for _ in range(6):
            add_rma(db, [(db.get(Product, product), 1)])
    station = make_station(1)
    puller = Puller(station.engine, central, page_size=3)
    real_apply, calls = puller._apply, []

    def crash_on_third(page, report):
        calls.append(page)
        if len(calls) == 3:
            raise ConnectionError("network cut")
        real_apply(page, report)

    monkeypatch.setattr(puller, "_apply", crash_on_third)
    with pytest.raises(ConnectionError):
        puller.pull_all()
    with central_sf.begin() as db:  # meanwhile, more changes
        db.info["applying_sync"] = True
        add_rma(db, [(db.get(Product, product), 1)])
    Puller(station.engine, central, page_size=3).pull_all()
    Puller(station.engine, central, page_size=3).pull_all()
    assert rows(station.engine, Rma.__table__) == rows(central, Rma.__table__)
    assert len(_numbers(station.engine)) == 7


def test_pulling_takes_only_what_central_had_when_the_round_started(make_station, central, central_sf):
    product = _product(central_sf)
    station = make_station(1)
    report = Puller(station.engine, central).pull_all()
    assert report.applied == 1  # the product
    again = Puller(station.engine, central).pull_all()
    assert (again.applied, again.pages) == (0, 0)
