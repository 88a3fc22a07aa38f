"""The resale price list import: every line checked, all or nothing, a re-run changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from station.catalog.prices import PriceListService
from station.core.context import Actor
from station.core.errors import InvalidInput, PermissionDenied
from station.models import AuditEvent, Grade, ResalePrice, Role
from tests.helpers.builders import add_operator, add_product, make_context

CLI = Actor.command_line()
GOOD = "sku,grade,price,currency\nTS-001,A,80.00,CNY\nTS-001,b,60,cny\nEL-001,A,700.5,CNY\n"


@pytest.fixture
def service(session_factory):
    with session_factory.begin() as db:
        add_product(db, "TS-001")
        add_product(db, "EL-001")
    return PriceListService(make_context(session_factory))


def prices(session_factory) -> dict[tuple[str, str], Decimal]:
    with session_factory() as db:
        return {(p.sku, p.grade.value): p.price for p in db.scalars(select(ResalePrice))}


def test_import_then_reimport_changes_nothing(service, session_factory, tmp_path):
    path = tmp_path / "prices.csv"
    path.write_text(GOOD, encoding="utf-8-sig")
    first = service.import_csv(CLI, path)
    assert (first.lines, first.added, first.changed, first.unchanged) == (3, 3, 0, 0)
    assert prices(session_factory) == {("TS-001", "A"): Decimal("80.00"), ("TS-001", "B"): Decimal("60.00"),
                                       ("EL-001", "A"): Decimal("700.50")}
    again = service.import_csv(CLI, path)
    assert (again.added, again.changed, again.unchanged) == (0, 0, 3)
    path.write_text(GOOD.replace("80.00", "75.00") + "ZZ-404,D,1.00,CNY\n", encoding="utf-8")
    third = service.import_csv(CLI, path)
    assert (third.added, third.changed, third.unchanged, third.unknown_skus) == (1, 1, 2, ("ZZ-404",))
    assert prices(session_factory)[("TS-001", "A")] == Decimal("75.00")
    with session_factory() as db:
        badges = db.scalars(select(AuditEvent.operator_badge).where(AuditEvent.action == "prices.imported")).all()
        assert badges == ["CLI", "CLI"]  # the unchanged re-run is not audited; each import names who


def test_one_bad_line_refuses_the_whole_file_naming_every_bad_line(service, session_factory, tmp_path):
    path = tmp_path / "prices.csv"
    path.write_text("sku,grade,price,currency\n"
                    "TS-001,A,80.00,CNY\n"
                    "TS-001,E,60.00,CNY\n"
                    "EL-001,A,-3,CNY\n"
                    "EL-001,B,12.345,CNY\n"
                    "EL-001,C,10.00,USD\n"
                    ",A,1.00,CNY\n"
                    "TS-001,A,81.00,CNY\n"
                    "EL-001,D,1.00\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        service.import_csv(CLI, path)
    text = str(caught.value)
    assert "nothing imported, 7 bad line(s)" in text
    for expected in ("line 3: grade 'E' is not A, B, C or D", "line 4: price '-3' is not an amount",
                     "line 5: price '12.345'", "line 6: currency 'USD' is not the station's CNY",
                     "line 7: SKU '' is empty", "line 8: TS-001 grade A is priced twice (80.00 and 81.00)",
                     "line 9: needs exactly 4 fields"):
        assert expected in text
    assert prices(session_factory) == {}


@pytest.mark.parametrize(("content", "message"), [
    ("sku,price\nTS-001,1\n", "the first line must be sku,grade,price,currency"),
    ("sku,grade,price,currency\n", "has no prices"),
    (b"sku,grade,price,currency\nTS-001,A,\xff,CNY\n", "is not UTF-8 text"),
])
def test_unreadable_files_are_refused(service, tmp_path, content, message):
    path = tmp_path / "prices.csv"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(InvalidInput, match=message):
        service.import_csv(CLI, path)


def test_only_an_admin_imports_prices_from_the_window(service, session_factory, tmp_path):
    with session_factory.begin() as db:
        supervisor = add_operator(db, Role.SUPERVISOR)
    path = tmp_path / "prices.csv"
    path.write_text(GOOD, encoding="utf-8")
    with pytest.raises(PermissionDenied):
        service.import_csv(supervisor, path)
    assert service.price_of("TS-001", Grade.A) is None
