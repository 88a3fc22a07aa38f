"""Screenshots of every customer page, both languages, desk (1280) and phone (390) widths.

    PYTHONPATH=. python -m tests.web.screenshots docs/screenshots

Runs the real service on a throw-away SQLite database with a small catalogue and three orders,
and drives headless chromium through each page: the look-up (and its refusal), the order's
lines (and a form error), the three decisions, the 429 and expired pages; then the status page
once the dock has the parcel, a voucher (no parcel), an exchange for another size, and the
look-up listing the order's returns. Lives beside the
tests because it builds its shop with the tests' builders.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from station.core.db import make_engine, make_session_factory, upgrade
from station.receiving.service import ReceivingService
from tests.web.browser import chromium, full_page_png
from tests.web.pagehelpers import jpeg_bytes, site

WIDTHS = {"desktop": 1280, "phone": 390}


def main(out: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["RMA_STATION_HOME"] = tmp
        engine = _fresh(Path(tmp) / "shop.sqlite")
        photo = Path(tmp) / "photo.jpg"
        photo.write_bytes(jpeg_bytes((640, 480)))
        session_factory = make_session_factory(engine)
        with site(session_factory, attempts_per_address=1000, attempts_per_order=1000) as (url, ctx):
            clerk = _sizes_and_a_clerk(session_factory)
            for lang in ("en", "zh"):
                driver = chromium(Path(tmp), lang)
                order = "SO-2002" if lang == "zh" else "SO-1001"

                def shot(name: str, expect: str) -> None:
                    driver.find_element(By.ID, expect)  # the page the last click led to is there
                    for kind, width in WIDTHS.items():
                        full_page_png(driver, out / f"returns-{name}-{lang}-{kind}.png", width)

                def look_up(number: str, contact: str) -> None:
                    driver.get(f"{url}/returns?lang={lang}")
                    driver.find_element(By.ID, "order_number").send_keys(number)
                    driver.find_element(By.ID, "contact").send_keys(contact)
                    driver.find_element(By.ID, "find").click()

                def send(sku: str, qty: str, reason: str, comment: str = "", with_photo: bool = False,
                         resolution: str = "refund", variant: str = "") -> None:
                    box = driver.find_element(By.ID, f"line-{sku}")
                    Select(box.find_element(By.CSS_SELECTOR, "select[name^=qty_]")).select_by_value(qty)
                    Select(box.find_element(By.CSS_SELECTOR, "select[name^=reason_]")).select_by_value(reason)
                    box.find_element(By.CSS_SELECTOR, "textarea").send_keys(comment)
                    if variant:
                        Select(box.find_element(By.CSS_SELECTOR, "select[name^=variant_]")).select_by_value(variant)
                    Select(driver.find_element(By.ID, "resolution")).select_by_value(resolution)
                    if with_photo:
                        driver.find_element(By.ID, "photos").send_keys(str(photo))
                    driver.find_element(By.ID, "send").click()

                try:
                    driver.get(f"{url}/returns?lang={lang}")
                    shot("1-lookup", "lookup")
                    look_up(order, "someone@else.example")
                    shot("2-lookup-refused", "error")
                    look_up(order, "wang@example.com")
                    shot("3-order", "request")
                    send("TEE-1", "1", "damaged")
                    shot("4-order-photo-needed", "error")
                    send("TEE-1", "1", "damaged", "<b>Seam torn</b> on arrival", with_photo=True)
                    shot("5-authorised", "decision")
                    status_page = driver.current_url
                    number = driver.find_element(By.ID, "rma-number").text
                    look_up(order, "wang@example.com")
                    send("PHONE-1", "1", "changed_mind")
                    shot("6-pending-review", "decision")
                    look_up("SO-OLD", "wang@example.com")
                    shot("7-order-window-passed", "request")
                    look_up(order, "wang@example.com")
                    # A form changed by hand to send the greyed gift card: the policy refuses it.
                    driver.find_element(By.ID, "request")
                    driver.execute_script(
                        "const f = document.getElementById('request');"
                        "for (const [k, v] of [['sku_99', 'GIFT-1'], ['qty_99', '1'], ['reason_99', 'changed_mind']])"
                        "{ const i = document.createElement('input'); i.type = 'hidden'; i.name = k; i.value = v;"
                        "  f.appendChild(i); }")
                    driver.find_element(By.ID, "send").click()
                    driver.find_element(By.ID, "decision")
                    shot("8-refused", "decision")
                    driver.get(f"{url}/returns/order/{order}?g=1.forged&lang={lang}")
                    shot("9-expired", "problem")
                    ReceivingService(ctx).receive(clerk, number)  # the dock scans the parcel's label
                    driver.get(status_page)
                    shot("11-received", "progress")
                    look_up(order, "wang@example.com")
                    send("TEE-1", "1", "missing_parts", resolution="compensation")
                    shot("12-voucher", "decision")
                    look_up(order, "wang@example.com")
                    send("TEE-1", "1", "size", resolution="exchange", variant="TEE-1-L")
                    shot("13-exchange", "decision")
                    look_up(order, "wang@example.com")
                    shot("14-order-with-returns", "returns")
                finally:
                    driver.quit()
        # The 429 page: a service whose limit is already spent.
        with site(make_session_factory(_fresh(Path(tmp) / "limits.sqlite")), attempts_per_address=0) as (url, _):
            for lang in ("en", "zh"):
                driver = chromium(Path(tmp), lang)
                try:
                    driver.get(f"{url}/returns?lang={lang}")
                    driver.find_element(By.ID, "order_number").send_keys("SO-1001")
                    driver.find_element(By.ID, "contact").send_keys("wang@example.com")
                    driver.find_element(By.ID, "find").click()
                    driver.find_element(By.ID, "problem")
                    for kind, width in WIDTHS.items():
                        full_page_png(driver, out / f"returns-10-too-many-{lang}-{kind}.png", width)
                finally:
                    driver.quit()
    print(f"screenshots in {out}")


def _sizes_and_a_clerk(session_factory):  # type: ignore[no-untyped-def]
    """The T-shirt in a second size (so an exchange has a choice) and a clerk at the dock."""
    from station.models import Product, Role
    from tests.helpers.builders import add_operator

    with session_factory.begin() as db:
        tee = db.query(Product).filter_by(sku="TEE-1").one()
        tee.family, tee.variant = "TEE", {"size": "M"}
        db.add(Product(sku="TEE-1-L", name_en="T-shirt, size L", name_zh="T恤 L码", category="apparel",
                       unit_value=tee.unit_value, family="TEE", variant={"size": "L"}, station_id="CENTRAL"))
        return add_operator(db, Role.CLERK)


def _fresh(path: Path):  # type: ignore[no-untyped-def]
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    return engine


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
