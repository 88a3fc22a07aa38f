"""Rasterise and decode: what a scanner at the dock would read off a printed label."""

from __future__ import annotations

import io
import subprocess
import tempfile
from pathlib import Path

import zplkit
import zxingcpp
from PIL import Image


def pdf_pages(pdf: bytes, dpi: int, first: int = 1, last: int | None = None) -> list[Image.Image]:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.pdf"
        src.write_bytes(pdf)
        args = ["pdftoppm", "-r", str(dpi), "-gray", "-png", "-f", str(first)]
        if last:
            args += ["-l", str(last)]
        subprocess.run(args + [str(src), f"{tmp}/p"], check=True)
        return [Image.open(p).copy() for p in sorted(Path(tmp).glob("p*.png"))]


def zpl_pages(zpl: bytes, dpi: int) -> list[Image.Image]:
    doc = zplkit.render(zpl, zplkit.Options(dpi=dpi))
    return [Image.open(io.BytesIO(scene.png())) for scene in doc.labels]


def decoded(image: Image.Image) -> list[tuple[str, str]]:
    """(format, text) of every barcode, sorted; GS1 element strings come back as (01)...."""
    found = zxingcpp.read_barcodes(image, try_rotate=False)
    return sorted((b.format.name, b.text) for b in found)


def pdf_text(pdf: bytes) -> str:
    """The words a person reads on the printed PDF (poppler's pdftotext)."""
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
