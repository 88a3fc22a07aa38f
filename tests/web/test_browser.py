"""A customer in a real browser (headless chromium through Selenium) asks for a return in
English and in Chinese: finds the order, fills the form, uploads a photo, reads the decision and
downloads the label, whose barcode the dock reads back."""

from __future__ import annotations

import pytest

from tests.labels.helpers import decoded, pdf_pages
from tests.web.browser import chromium, wait_for_file
from tests.web.pagehelpers import jpeg_bytes, site


@pytest.fixture
def browser_site(sqlite_engine, tmp_path):
    from station.core.db import make_session_factory

    with site(make_session_factory(sqlite_engine)) as (url, ctx):
        yield url, ctx, tmp_path


def fill_and_send(driver, url, order, contact, photo, comment):  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    driver.get(f"{url}/returns")
    driver.find_element(By.ID, "order_number").send_keys(order)
    driver.find_element(By.ID, "contact").send_keys(contact)
    driver.find_element(By.ID, "find").click()
    fieldset = driver.find_element(By.ID, "line-TEE-1")
    Select(fieldset.find_element(By.CSS_SELECTOR, "select[name^=qty_]")).select_by_value("1")
    Select(fieldset.find_element(By.CSS_SELECTOR, "select[name^=reason_]")).select_by_value("damaged")
    fieldset.find_element(By.CSS_SELECTOR, "textarea").send_keys(comment)
    driver.find_element(By.ID, "photos").send_keys(str(photo))
    driver.find_element(By.ID, "send").click()
    return driver.find_element(By.ID, "decision")


@pytest.mark.parametrize("language", ["en", "zh"])
def test_customer_fills_the_form_and_downloads_the_label(browser_site, language):
    from selenium.webdriver.common.by import By

    url, _, tmp = browser_site
    photo = tmp / "box.jpg"
    photo.write_bytes(jpeg_bytes((640, 480)))
    downloads = tmp / "downloads"
    downloads.mkdir()
    driver = chromium(downloads, language)
    try:
        driver.get(f"{url}/returns")
        heading = driver.find_element(By.TAG_NAME, "h1").text
        assert heading == ("申请退货" if language == "zh" else "Return an item")
        order = "SO-2002" if language == "zh" else "SO-1001"
        decision = fill_and_send(driver, url, order, "wang@example.com", photo, "<b>box</b> crushed")
        assert decision.get_attribute("data-status") == "authorised"
        assert ("您的退货申请已批准" if language == "zh" else "Your return is authorised.") in decision.text
        assert "<b>box</b> crushed" in driver.find_element(By.CSS_SELECTOR, "q.comment").text
        number = driver.find_element(By.ID, "rma-number").text
        driver.find_element(By.ID, "label-link").click()
        pdf = wait_for_file(downloads, f"return-label-{number}*.pdf").read_bytes()
    finally:
        driver.quit()
    assert ("Code128", number) in decoded(pdf_pages(pdf, 203)[0])


def test_switch_link_turns_the_page_to_chinese_and_back(browser_site):
    from selenium.webdriver.common.by import By

    url, _, tmp = browser_site
    driver = chromium(tmp, "en")
    try:
        driver.get(f"{url}/returns")
        driver.find_element(By.ID, "switch-language").click()
        assert driver.find_element(By.TAG_NAME, "h1").text == "申请退货"
        driver.get(f"{url}/returns")  # remembered by its cookie
        assert driver.find_element(By.TAG_NAME, "h1").text == "申请退货"
        driver.find_element(By.ID, "switch-language").click()
        assert driver.find_element(By.TAG_NAME, "h1").text == "Return an item"
    finally:
        driver.quit()
