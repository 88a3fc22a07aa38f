"""The CUPS test queue: a cups-pdf printer on a running scheduler (started as root if none runs).

Shared by the printer driver tests and the label tests, so every PDF the station prints is
shown to a real CUPS. Import ``cups_queue`` into a test module to use it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def cups_queue() -> Iterator[tuple[str, Path]]:
    """A cups-pdf queue on a running scheduler; starts cupsd (as root) if none runs."""
    if not (shutil.which("cupsd") and shutil.which("lpadmin") and shutil.which("lp")):
        pytest.skip("CUPS is not installed (cups, cups-bsd, printer-driver-cups-pdf)")
    started = None
    if subprocess.run(["lpstat", "-r"], capture_output=True, text=True).stdout.find("is running") < 0:
        if os.geteuid() != 0:
            pytest.skip("cupsd is not running and only root can start it here")
        Path("/run/cups").mkdir(parents=True, exist_ok=True)
        started = subprocess.Popen(["cupsd", "-f"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(50):
            if "is running" in subprocess.run(["lpstat", "-r"], capture_output=True, text=True).stdout:
                break
            time.sleep(0.1)
        else:
            started.terminate()
            pytest.skip("cupsd did not start")
    queue = "RMA_TEST_PDF"
    for _ in range(30):  # a just-started cupsd answers lpstat before it takes lpadmin
        added = subprocess.run(
            ["lpadmin", "-p", queue, "-v", "cups-pdf:/", "-E", "-m", "lsb/usr/cups-pdf/CUPS-PDF_opt.ppd"],
            capture_output=True, text=True,
        )
        if added.returncode == 0:
            break
        time.sleep(0.3)
    if added.returncode != 0:
        if started:
            started.terminate()
        pytest.skip(f"cannot add a cups-pdf queue: {added.stderr.strip()}")
    yield queue, Path.home() / "PDF"
    if started:
        started.terminate()
        started.wait(timeout=10)


def printed_pdf(out_dir: Path, before: set[Path]) -> bytes:
    """The whole PDF cups-pdf wrote since ``before`` (it writes progressively), or b""."""
    written = b""
    for _ in range(150):
        new = set(out_dir.glob("*.pdf")) - before if out_dir.is_dir() else set()
        written = next(iter(new)).read_bytes() if new else b""
        if written.rstrip().endswith(b"%%EOF"):
            break
        time.sleep(0.1)
    return written
