"""Debian's headless chromium driven by Selenium (``chromium`` + ``chromium-driver``).

The viewport is set exactly through the DevTools protocol (a phone is 390 CSS pixels wide),
downloads land in a directory the test names, and a full-page screenshot grows the viewport
to the page's height first.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
DRIVER = "/usr/bin/chromedriver"


def chromium(downloads: Path, language: str = "en"):  # type: ignore[no-untyped-def]
    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        pytest.skip("chromium and chromium-driver are not installed (scripts/setup.sh --test)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--hide-scrollbars", "--force-device-scale-factor=1", f"--lang={'zh-CN' if language == 'zh' else 'en-US'}"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {
        "intl.accept_languages": "zh-CN,zh" if language == "zh" else "en-US,en",
        "download.default_directory": str(downloads), "download.prompt_for_download": False,
        "plugins.always_open_pdf_externally": True})
    driver = webdriver.Chrome(options=options, service=Service(DRIVER))
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    driver.implicitly_wait(10)  # find_element waits for the page a click navigated to
    set_width(driver, 1280)
    return driver


def set_width(driver, width: int, height: int = 900) -> None:  # type: ignore[no-untyped-def]
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})


def full_page_png(driver, path: Path, width: int) -> None:  # type: ignore[no-untyped-def]
    set_width(driver, width)
    height = driver.execute_script("return Math.ceil(document.documentElement.scrollHeight)")
    set_width(driver, width, max(600, int(height)))
    path.write_bytes(driver.get_screenshot_as_png())
    set_width(driver, width)


def wait_for_file(directory: Path, pattern: str, timeout_s: float = 20.0) -> Path:
    """A finished download (Chromium writes ``.crdownload`` until it is complete)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        done = [p for p in directory.glob(pattern) if not p.name.endswith(".crdownload")]
        if done:
            return done[0]
        time.sleep(0.1)
    raise AssertionError(f"no {pattern} downloaded into {directory}")
