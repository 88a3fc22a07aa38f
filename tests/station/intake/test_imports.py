"""An admin imports orders and return requests from files; bad lines are named, nothing half-done."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from sqlalchemy import func, select

from station.core.errors import InvalidInput
from station.intake.imports import import_orders, import_requests
from station.intake.service import IntakeService
from station.models import Order, OrderLine, RmaRequest
from tests.helpers.builders import make_context
from tests.helpers.intake import order_payload, request_payload, seed_catalogue

HEADER = "order_number,placed_at,delivered_at,currency,customer_ref,customer_name,customer_email," \
         "customer_phone,customer_language,sku,quantity,unit_price,serials,flagged\n"


@pytest.fixture
def service(session_factory):
    seed_catalogue(session_factory)
    return IntakeService(make_context(session_factory))


def count(service, model):
    with service.ctx.session_factory() as db:
        return db.scalar(select(func.count()).select_from(model))


def test_csv_orders_one_row_per_line_and_a_rerun_changes_nothing(service, tmp_path):
    f = tmp_path / "orders.csv"
    f.write_text(HEADER + "SO-1,2026-11-10T10:00:00Z,2026-11-15,CNY,C-1,Wang Fang,w@example.com,,zh,TEE-1,2,99.00,,\n"
                 "SO-1,2026-11-10T10:00:00Z,2026-11-15,CNY,C-1,Wang Fang,w@example.com,,zh,PHONE-1,1,2999.00,IMEI-9,\n"
                 "SO-2,2026-11-11T10:00:00Z,,CNY,C-2,Li Lei,,,en,TEE-1,1,99.00,,\n")
    assert import_orders(service, f).created == 2
    again = import_orders(service, f)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert [l.sku for l in service.returnable_lines("SO-1")] == ["TEE-1", "PHONE-1"]


def test_csv_lot_column_gives_each_line_the_lot_the_shop_shipped(service, tmp_path):
    f = tmp_path / "orders.csv"
    f.write_text(HEADER.replace(",serials,", ",serials,lot,")
                 + "SO-1,2026-11-10T10:00:00Z,2026-11-15,CNY,C-1,Wang Fang,w@example.com,,zh,TEE-1,2,99.00,, L-2405A ,\n"
                 "SO-1,2026-11-10T10:00:00Z,2026-11-15,CNY,C-1,Wang Fang,w@example.com,,zh,LIP-1,1,120.00,,,\n")
    assert import_orders(service, f).created == 1
    with service.ctx.session_factory() as db:
        assert {sku: lot for sku, lot in db.execute(select(OrderLine.sku, OrderLine.lot))} == {"TEE-1": "L-2405A", "LIP-1": ""}
    f.write_text(f.read_text().replace("L-2405A", "L-2407C"))
    assert import_orders(service, f).updated == 1
    with service.ctx.session_factory() as db:
        assert db.scalar(select(OrderLine.lot).where(OrderLine.sku == "TEE-1")) == "L-2407C"


def test_bad_lines_are_all_named_and_nothing_is_imported(service, tmp_path):
    f = tmp_path / "orders.jsonl"
    good = json.dumps(order_payload("SO-9"))
    bad_qty = order_payload("SO-10")
    bad_qty["lines"][0]["quantity"] = "lots"
    f.write_text("\n".join([good, json.dumps(bad_qty), "{broken"]) + "\n")
    with pytest.raises(InvalidInput) as info:
        import_orders(service, f)
    assert "line 2:" in str(info.value) and "lines[1].quantity" in str(info.value)
    assert "line 3: not valid JSON" in str(info.value)
    assert count(service, Order) == 0


def test_requests_import_is_all_or_nothing_and_rerun_safe(service, tmp_path):
    import_orders(service, _jsonl(tmp_path / "o.jsonl", [order_payload("SO-1")]))
    ok = _jsonl(tmp_path / "r.jsonl", [request_payload("SO-1", quantity=1), request_payload("SO-1", sku="GIFT-1")])
    assert import_requests(service, ok).created == 2
    assert import_requests(service, ok).unchanged == 2
    assert count(service, RmaRequest) == 2
    too_many = _jsonl(tmp_path / "r2.jsonl", [request_payload("SO-1", quantity=1), request_payload("SO-1", quantity=5)])
    with pytest.raises(InvalidInput, match="line 2: .*only 2 of 3"):
        import_requests(service, too_many)
    assert count(service, RmaRequest) == 2


def _jsonl(path, docs):
    path.write_text("\n".join(json.dumps(d) for d in docs) + "\n")
    return path


def test_cli_token_policy_and_import_as_a_user_runs_them(sqlite_url, tmp_path):
    def cli(*args):
        return subprocess.run([sys.executable, "-c", "import sys; from ui.cli import main; sys.exit(main())",
                               *args, "--db", sqlite_url], capture_output=True, text=True, timeout=120)

    assert cli("db", "upgrade").returncode == 0  # other commands refuse a missing database
    added = cli("api-token", "add", "--name", "erp")
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip().splitlines()[-1].startswith("rst_")
    assert "erp" in cli("api-token", "list").stdout
    assert cli("api-token", "revoke", "erp").returncode == 0
    assert "revoked" in cli("api-token", "list").stdout
    bad = tmp_path / "policy.toml"
    from station.core.return_policy import SHIPPED
    bad.write_text(SHIPPED.read_text().replace('cosmetics = ["damaged"', 'cosmetix = ["damaged"'))
    checked = cli("policy", "check", str(bad))
    assert checked.returncode == 2 and "unknown category 'cosmetix'" in checked.stdout
    assert ":" + str(bad.read_text().splitlines().index(next(
        l for l in bad.read_text().splitlines() if l.startswith("cosmetix"))) + 1) in checked.stdout
    missing = cli("orders", "import", str(tmp_path / "nope.csv"))
    assert missing.returncode == 2 and "cannot be read" in missing.stderr
    explain = cli("policy", "explain", "SO-404", "TEE-1", "size")
    assert explain.returncode == 2 and "SO-404 is not known" in explain.stderr


def test_rows_of_one_order_that_disagree_are_refused_each_on_its_own_line(service, tmp_path):
    """A USD row of a CNY order was stored as CNY, "maybe" became "not flagged", and a bad
    quantity on an order's third row was reported on its first: now each row answers for itself."""
    f = tmp_path / "orders.csv"
    f.write_text(HEADER
                 + "SO-1,2026-11-10T10:00:00Z,2026-11-15,CNY,C-1,Wang Fang,w@example.com,,zh,TEE-1,2,99.00,,maybe\n"
                 + "SO-1,2026-11-10T10:00:00Z,2026-11-15,USD,C-1,Wang Fang,w@example.com,,zh,PHONE-1,1,2999.00,,\n"
                 + "SO-2,2026-11-11T10:00:00Z,,CNY,C-2,Li Lei,,,en,TEE-1,1,99.00,,no\n"
                 + "SO-2,,,,,,,,,PHONE-1,many,2999.00,,\n")
    with pytest.raises(InvalidInput) as info:
        import_orders(service, f)
    said = str(info.value).splitlines()
    assert said[0] == "orders.csv: 3 problem(s), nothing imported:"
    assert said[1] == "  line 2: flagged must be yes or no (true/false, 1/0), not 'maybe'"
    assert said[2].startswith("  line 3: order SO-1 is described differently than on line 2: currency 'USD' "
                              "(line 2: 'CNY');")
    assert said[3] == "  line 5: Order SO-2: quantity must be a whole number."  # its own row, no lines[2]
    assert count(service, Order) == 0


def test_json_orders_say_flagged_with_true_or_false_only(service, tmp_path):
    doc = order_payload("SO-3")
    doc["flagged"] = "false"  # a string: it used to count as flagged
    with pytest.raises(InvalidInput, match="line 1: Order SO-3: flagged must be true or false, not 'false'"):
        import_orders(service, _jsonl(tmp_path / "o.jsonl", [doc]))


def test_request_photos_come_from_files_beside_the_csv(service, tmp_path):
    import base64

    from tests.helpers.intake import jpeg_b64

    import_orders(service, _jsonl(tmp_path / "o.jsonl", [order_payload("SO-1"), order_payload("SO-2")]))
    folder = tmp_path / "batch"
    (folder / "pics").mkdir(parents=True)
    (folder / "pics" / "front.jpg").write_bytes(base64.b64decode(jpeg_b64()))
    (folder / "back.jpg").write_bytes(base64.b64decode(jpeg_b64((40, 30))))
    (tmp_path / "secret.jpg").write_bytes(base64.b64decode(jpeg_b64()))
    (folder / "notes.txt").write_text("not a picture")
    header = "order_number,resolution,sku,quantity,reason,comment,request_ref,photos\n"
    bad = folder / "bad.csv"
    bad.write_text(header + "SO-1,refund,TEE-1,1,damaged,,a,https://example.com/x.jpg|../secret.jpg\n"
                   + "SO-2,refund,TEE-1,1,damaged,,b,missing.jpg|notes.txt\n")
    with pytest.raises(InvalidInput) as info:
        import_requests(service, bad)
    said = str(info.value)
    assert "line 2: photo https://example.com/x.jpg: only files beside the CSV are read" in said
    assert "line 2: photo ../secret.jpg is outside the CSV's folder" in said
    assert "line 3: photo missing.jpg cannot be read (No such file or directory)" in said
    assert "line 3: photo notes.txt is not a JPEG or PNG picture." in said
    assert count(service, RmaRequest) == 0

    good = folder / "good.csv"
    good.write_text(header + f"SO-1,refund,TEE-1,1,damaged,,a,pics/front.jpg|file:{'back.jpg'}\n")
    assert import_requests(service, good).created == 1
    with service.ctx.session_factory() as db:
        assert len(db.scalars(select(RmaRequest)).one().photos) == 2
    assert import_requests(service, good).unchanged == 1  # the same pictures: the same request


def test_cli_lists_every_problem_on_its_own_line(sqlite_url, tmp_path, capsys):
    from ui.cli import main

    assert main(["db", "upgrade", "--db", sqlite_url]) == 0
    f = tmp_path / "orders.csv"
    f.write_text(HEADER + "SO-1,2026-11-10T10:00:00Z,,CNY,C-1,Wang Fang,,,zh,TEE-1,x,99.00,,\n"
                 + "SO-2,yesterday,,CNY,C-1,Wang Fang,,,zh,TEE-1,1,99.00,,\n")
    assert main(["orders", "import", str(f), "--db", sqlite_url]) == 2
    err = capsys.readouterr().err
    assert "\\n" not in err
    assert err.splitlines()[0] == "rma-station: orders.csv: 2 problem(s), nothing imported:"
    assert err.splitlines()[1].startswith("  line 2: ") and err.splitlines()[2].startswith("  line 3: ")
