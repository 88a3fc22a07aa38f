"""Issue 26, capture: a unit's lot and expiry come from the GS1 code scanned at the dock.

Real GS1 DataMatrix photographs from the corpus and GS1-128 / Digital Link codes generated
here are decoded with zxing-cpp (the station's own pipeline), classified, taken as item checks
on an open card, and the units received keep the lot; the LPN label prints it.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import cv2
import numpy as np
import pytest
import zxingcpp
from sqlalchemy import select

from drivers.scanners.decoding import decode_image, load_image
from labels.data import LpnLabel
from labels import layout_label
from labels.layout import Text
from station.core.return_policy import load_policy
from station.inspection.service import InspectionService
from station.models import Unit
from station.receiving.item_checks import ItemChecks, StepKind
from station.receiving.service import ParcelInput
from station.scanning.classify import ScanClassifier, ScanKind
from station.scanning.lots import LotSeen, lot_of
from tests.helpers.builders import make_context
from tests.station.receiving.test_service import dock  # noqa: F401 - fixture


def gs1_photos(corpus_dir: Path) -> list[Path]:
    """The corpus's GS1 DataMatrix images whose element strings carry a lot (AI 10)."""
    with (corpus_dir / "manifest.csv").open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["format"] == "datamatrix"]
    found = []
    for row in rows:
        meaning = ScanClassifier().classify(row["expected_text"].replace("<GS>", "\x1d"), "gs1-datamatrix")
        if meaning.kind is ScanKind.GS1 and meaning.details.get("lot"):
            found.append(corpus_dir / row["file"])
    return found


def generated(text: str, fmt: zxingcpp.BarcodeFormat, gs1: bool = True) -> np.ndarray:
    img = np.asarray(zxingcpp.create_barcode(text, fmt, gs1=gs1).to_image(scale=4))
    return cv2.copyMakeBorder(img, 30, 30, 40, 40, cv2.BORDER_CONSTANT, value=255)


def read_one(image: np.ndarray):  # noqa: ANN201 - a ScanMeaning
    found = decode_image(image)
    assert found, "nothing decoded"
    return ScanClassifier().classify(found[0].aim + found[0].text, found[0].symbology)


class TestCodesCarryingLots:
    def test_gs1_datamatrix_photos_from_the_corpus_give_their_lot_and_expiry(self, corpus_dir: Path) -> None:
        photos = gs1_photos(corpus_dir)
        assert len(photos) >= 3
        lots = []
        for photo in photos:
            meaning = read_one(load_image(photo))
            assert meaning.kind is ScanKind.GS1 and meaning.details["gtin"] == "08903819987659"
            lots.append(lot_of(meaning))
        assert set(lots) == {LotSeen("BNav4Cam2", dt.date(2031, 6, 30))}

    def test_a_generated_gs1_128_label_gives_lot_and_expiry(self) -> None:
        meaning = read_one(generated("(01)06901234567892(17)270531(10)L-2405A", zxingcpp.BarcodeFormat.Code128))
        assert meaning.symbology == "gs1-128"
        assert lot_of(meaning) == LotSeen("L-2405A", dt.date(2027, 5, 31))

    def test_a_gs1_digital_link_qr_gives_lot_and_expiry(self) -> None:
        url = "https://id.gs1.org/01/06901234567892/10/DL7?17=280229"
        meaning = read_one(generated(url, zxingcpp.BarcodeFormat.QRCode, gs1=False))
        assert meaning.kind is ScanKind.GS1 and meaning.details["gtin"] == "06901234567892"
        assert lot_of(meaning) == LotSeen("DL7", dt.date(2028, 2, 29))

    def test_a_plain_ean_has_no_lot(self) -> None:
        assert lot_of(ScanClassifier().classify("6901234567892", "ean13")) is None


class TestReceivingKeepsTheLot:
    def test_the_clerk_scans_two_gs1_labels_and_each_unit_keeps_its_lot(self, dock) -> None:  # noqa: ANN001
        card = dock["service"].find(dock["normal"])
        counts = {line.line_no: line.quantity for line in card.lines}
        checks = ItemChecks(card, counts.__getitem__, load_policy(), ScanClassifier())
        for lot in ("A1", "B2"):
            step = checks.take(read_one(generated(f"(01)06901234567892(17)270531(10){lot}",
                                                  zxingcpp.BarcodeFormat.Code128)))
            assert step.kind is StepKind.MATCHED
        shirt = next(line for line in card.lines if line.sku == "TS-RED-M")
        assert checks.summary(shirt) == ("✓ LOT A1  ✓ LOT B2", True)
        result = dock["service"].receive(dock["clerk"], dock["normal"], ParcelInput(items=checks.items))
        shirts = [u for u in result.units if u.sku == "TS-RED-M"]
        assert sorted((u.lot, u.expiry) for u in shirts) in (
            [("A1", dt.date(2027, 5, 31)), ("B2", dt.date(2027, 5, 31))],  # the policy splits apparel
            [("A1", dt.date(2027, 5, 31))])                                 # or one unit of two
        assert "wrong_item" not in result.flags
        with dock["sf"]() as db:
            stored = {u.lpn: u.lot for u in db.scalars(select(Unit))}
        assert {u.lpn: u.lot for u in shirts}.items() <= stored.items()

    def test_the_lpn_label_prints_the_lot_and_expiry_when_known(self) -> None:
        label = LpnLabel(lpn="LP0010000000011", rma_number="RMA000012344", sku="TS-RED-M", description="Shirt",
                         lot="A1", expiry="2027-05-31")
        texts = " ".join(i.text for i in layout_label(label, "4x6in").items if isinstance(i, Text))
        assert "LOT A1" in texts and "EXP 2027-05-31" in texts
        small = " ".join(i.text for i in layout_label(label, "2x1in").items if isinstance(i, Text))
        assert "LOT A1" in small
        without = LpnLabel(lpn="LP0010000000011", rma_number="RMA000012344", sku="TS-RED-M", description="Shirt")
        assert "LOT" not in " ".join(i.text for i in layout_label(without, "4x6in").items if isinstance(i, Text))


class TestInspectionRecordsTheLot:
    def test_the_inspector_scans_the_items_datamatrix_and_the_unit_gets_its_lot(self, dock) -> None:  # noqa: ANN001
        result = dock["service"].receive(dock["clerk"], dock["cosmetics"])
        lpn = result.units[0].lpn
        service = InspectionService(make_context(dock["sf"], dock["clock"]))
        opened = service.start(dock["inspector"], lpn)
        assert opened.lot == ""
        meaning = read_one(generated("(01)06901234567892(17)261130(10)LIP-9", zxingcpp.BarcodeFormat.DataMatrix))
        view = service.record_lot(dock["inspector"], lpn, lot_of(meaning))
        assert (view.lot, view.expiry) == ("LIP-9", dt.date(2026, 11, 30))
        with dock["sf"]() as db:
            assert db.scalar(select(Unit.lot).where(Unit.lpn == lpn)) == "LIP-9"


class TestTheRtvClaimNamesTheLot:
    def test_the_packing_list_prints_each_units_lot_beside_its_serial(self) -> None:
        import dataclasses

        from labels.rtv_packing_list import render_packing_list
        from tests.labels.test_rtv_paperwork import batch, pdf_text

        shipment = batch(2)
        first = dataclasses.replace(shipment.items[0], lot="BNav4Cam2")
        text = pdf_text(render_packing_list(dataclasses.replace(shipment, items=(first, shipment.items[1]))), "-raw")
        assert "SN000001 LOT BNav4Cam2" in text.replace("\n", "")  # too long for one line: split in two
        assert "SN000002 LOT" not in text.replace("\n", "")
