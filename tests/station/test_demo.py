"""Demo data: a realistic, coherent warehouse in every workflow state."""

from __future__ import annotations

from sqlalchemy import func, select

from station.core.identifiers import is_valid_lpn, is_valid_rma_number
from station.demo import database_is_empty, seed_demo
from station.models import OutboxEvent, Product, Rma, RmaState, SalesDay, Unit


def test_demo_fills_every_state_with_bilingual_products(session_factory):
    assert database_is_empty(session_factory)
    summary = seed_demo(session_factory, rmas=320)
    assert summary.rmas == 320 and all(summary.by_state[s.value] > 0 for s in RmaState)
    assert not database_is_empty(session_factory)
    with session_factory() as db:
        categories = set(db.scalars(select(Product.category)))
        assert {"apparel", "shoes", "electronics", "small_appliances", "cosmetics"} <= categories
        assert all(p.name_zh and p.name_en for p in db.scalars(select(Product)))
        assert all(is_valid_rma_number(n) for n in db.scalars(select(Rma.number)))
        assert all(is_valid_lpn(n) for n in db.scalars(select(Unit.lpn)))
        assert db.scalar(select(func.count()).select_from(OutboxEvent)) == 0
        # Sales make the dashboard's return rates meaningful out of the box.
        assert db.scalar(select(func.count(func.distinct(SalesDay.sku)))) == len(categories_skus(db))


def categories_skus(db) -> list[str]:
    return list(db.scalars(select(Product.sku)))


def test_same_seed_gives_the_same_warehouse(tmp_path):
    import datetime as dt

    from station.core.db import open_database

    now = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    snapshots = []
    for name in ("a", "b"):
        _e, sf = open_database(str(tmp_path / f"{name}.sqlite"), create=True)
        seed_demo(sf, rmas=40, seed=7, now=now)
        with sf() as db:
            snapshots.append(db.execute(select(Rma.number, Rma.customer_name, Rma.state)
                                        .order_by(Rma.number)).all())
    assert snapshots[0] == snapshots[1]


def test_every_demo_operator_signs_in_with_the_listed_pin_hashed_at_full_cost(session_factory):
    # The seed hashes the six PINs on worker threads; they must be the same hashes a real
    # operator gets (station.operators.service's cost, a salt each), verified by the normal sign-in.
    from station.demo import DEMO_OPERATORS
    from station.models import Operator
    from station.operators.pins import SCRYPT_N, SCRYPT_P, SCRYPT_R
    from station.operators.service import AuthService
    from tests.helpers.builders import make_context

    seed_demo(session_factory, rmas=3)
    with session_factory() as db:
        hashes = dict(db.execute(select(Operator.badge, Operator.pin_hash)).all())
    assert all(h.startswith(f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}$") for h in hashes.values())
    assert len({h.split("$")[4] for h in hashes.values()}) == len(DEMO_OPERATORS)  # no shared salt
    auth = AuthService(make_context(session_factory))
    for badge, name, role, pin, _locale in DEMO_OPERATORS:
        actor = auth.sign_in(badge, pin)
        assert (actor.badge, actor.name, actor.role) == (badge, name, role)


def test_the_demo_gives_every_tab_something_true_to_practise_on(session_factory):
    """Approved return-to-vendor units from at least two vendors wait for a batch; nothing is
    dated after the seed's "now"; every reason fits its product."""
    import datetime as dt

    from station.core.context import Actor, StationContext
    from station.models import Disposition, Inspection, Resolution, RmaLine, Vendor
    from station.rtv.batches import RtvService

    now = dt.datetime(2026, 12, 6, 9, 0, tzinfo=dt.UTC)
    seed_demo(session_factory, rmas=320, now=now)
    ctx = StationContext(session_factory, clock=lambda: now)
    rtv = RtvService(ctx)
    with session_factory() as db:
        vendors = list(db.scalars(select(Vendor.code)))
        late = [t for model, column in ((Inspection, Inspection.finished_at), (Disposition, Disposition.decided_at),
                                        (Resolution, Resolution.issued_at))
                for t in db.scalars(select(column)) if t is not None and t.replace(tzinfo=dt.UTC) > now]
        sized = db.execute(select(Rma.number, Product.category).join(RmaLine, RmaLine.rma_id == Rma.id)
                           .join(Product, Product.id == RmaLine.product_id)
                           .where(Rma.reason_code == "size", RmaLine.line_no == 1)).all()
    assert late == [], "nothing is dated in the future"
    assert {category for _, category in sized} <= {"apparel", "shoes"}
    admin = Actor.command_line()
    ready = {code: rtv.ready_units(admin, code) for code in vendors}
    assert len([code for code, lpns in ready.items() if lpns]) >= 2, ready
