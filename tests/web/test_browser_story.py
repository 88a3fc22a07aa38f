"""Issue 24's "done when", in a real browser (headless chromium through Selenium): from the
order ``seed-demo`` prints, the customer finds the order, asks for a return, downloads the
label; the dock receives the parcel by scanning the label's RMA barcode through the receiving
service; the customer's status page then says "received", in English and in Chinese."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from station.core.context import Actor, StationContext
from station.core.db import make_engine, make_session_factory
from station.models import Operator, Role
from station.receiving.service import ReceivingService
from tests.labels.helpers import decoded, pdf_pages
from tests.web.browser import chromium, wait_for_file
from tests.web.pagehelpers import serve
from ui.cli import main
from web.app import create_app
from web.pages import PageConfig

PRINTED = re.compile(r"^\s+(DEMO-\d+)\s+(\S+@\S+)\s+en\s", re.M)


def test_demo_customer_returns_an_item_and_sees_it_received(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    db = tmp_path / "demo.sqlite"
    assert main(["seed-demo", "--db", str(db), "--rmas", "20"]) == 0
    order, email = PRINTED.search(capsys.readouterr().out).groups()  # what a newcomer reads and types
    session_factory = make_session_factory(make_engine(f"sqlite:///{db}"))
    ctx = StationContext(session_factory, clock=lambda: dt.datetime.now(dt.UTC))
    app = create_app(ctx, pages=PageConfig(dock_address=None))  # the demo's dock address, from its settings
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    with serve(app) as url:
        driver = chromium(downloads, "en")
        try:
            driver.get(f"{url}/returns")
            driver.find_element(By.ID, "order_number").send_keys(order.lower())  # typed carelessly
            driver.find_element(By.ID, "contact").send_keys(email)
            driver.find_element(By.ID, "find").click()
            line = driver.find_element(By.CSS_SELECTOR, "fieldset.line:not(.greyed)")
            Select(line.find_element(By.CSS_SELECTOR, "select[name^=qty_]")).select_by_value("1")
            Select(line.find_element(By.CSS_SELECTOR, "select[name^=reason_]")).select_by_value("size")
            driver.find_element(By.ID, "send").click()
            decision = driver.find_element(By.ID, "decision")
            assert decision.get_attribute("data-progress") == "authorised"
            assert driver.find_element(By.ID, "send-by").text.startswith("Send it by ")
            number = driver.find_element(By.ID, "rma-number").text
            status_page = driver.current_url
            driver.find_element(By.ID, "label-link").click()
            pdf = wait_for_file(downloads, f"return-label-{number}*.pdf").read_bytes()

            # The dock scans the label's barcode as the parcel comes in.
            scanned = next(text for kind, text in decoded(pdf_pages(pdf, 203)[0])
                           if kind == "Code128" and text.startswith("RMA"))
            with session_factory() as s:
                clerk = Actor.of(s.scalars(select(Operator).where(Operator.role == Role.CLERK)).first())
            ReceivingService(ctx).receive(clerk, scanned)

            driver.get(status_page)
            assert driver.find_element(By.ID, "decision").get_attribute("data-progress") == "received"
            now = driver.find_element(By.CSS_SELECTOR, "ol.timeline li.now")
            assert now.get_attribute("data-step") == "received" and now.text.startswith("Received")
            assert "We have received your parcel." in driver.find_element(By.ID, "decision").text
            driver.find_element(By.ID, "switch-language").click()
            now = driver.find_element(By.CSS_SELECTOR, "ol.timeline li.now")
            assert now.text.startswith("已收到")
            assert "我们已收到您的包裹" in driver.find_element(By.ID, "decision").text
        finally:
            driver.quit()
    assert scanned == number
