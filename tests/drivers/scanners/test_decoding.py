"""Still-image decoding: the real photo corpus, generated labels, and the decode command."""

from __future__ import annotations

import json
import time
from pathlib import Path

import cv2
import numpy as np
import pytest
import zxingcpp

from bench.bench_decoding import blank_scene, corpus_match, load_corpus
from drivers.scanners.decoding import UnreadableImage, decode_image, load_image, read_zbar, to_gray
from drivers.scanners.fake_camera import barcode_image


@pytest.mark.corpus
def test_pipeline_reads_the_photo_corpus_at_target(corpus_dir: Path) -> None:
    read = either = lost = 0
    corpus = load_corpus(corpus_dir)
    for row, image in corpus:
        # A generous budget: the retries spent are CPU time, but on a 2-core CI box shared with
        # other jobs even that wobbles; the bench reports the read rate at the default budget.
        texts = [d.text for d in decode_image(image, budget_ms=400)]
        gray = to_gray(image)
        alone = corpus_match(row, [b.text for b in zxingcpp.read_barcodes(gray, text_mode=zxingcpp.TextMode.Plain)]) or \
            corpus_match(row, [d.text for d in read_zbar(gray, [])])
        hit = corpus_match(row, texts)
        read += hit
        either += alone
        lost += alone and not hit
    assert len(corpus) == 376
    assert read >= 345, f"pipeline read {read}/376"
    assert lost == 0, f"{lost} images one library reads alone were missed"


def test_gs1_datamatrix_keeps_its_group_separator() -> None:
    text = "010950110153000310AB12\x1d21XYZ"
    found = decode_image(barcode_image("datamatrix", text, 6))
    assert [d.text for d in found] == [text]


def test_gs1_128_is_named_so_for_the_classifier() -> None:
    img = np.asarray(zxingcpp.create_barcode("(01)09501101530003(17)123125(10)AB", zxingcpp.BarcodeFormat.Code128, gs1=True).to_image(scale=3))
    img = cv2.copyMakeBorder(img, 20, 20, 40, 40, cv2.BORDER_CONSTANT, value=255)
    found = decode_image(img)
    assert found and found[0].symbology == "gs1-128"


def test_label_turned_upside_down_in_a_large_photo_is_read() -> None:
    photo = np.full((1080, 1920), 180, np.uint8)
    label = cv2.rotate(barcode_image("code128", "LP001000000420", 3), cv2.ROTATE_90_CLOCKWISE)
    photo[300 : 300 + label.shape[0], 900 : 900 + label.shape[1]] = label
    assert [d.text for d in decode_image(photo)] == ["LP001000000420"]


def test_photo_without_barcode_finds_nothing_within_budget() -> None:
    image = blank_scene(1280, 720)
    decode_image(image)  # warm-up
    start = time.perf_counter()
    assert decode_image(image) == []
    assert (time.perf_counter() - start) * 1000 < 400  # the 150 ms figure is the bench's; this catches runaways


def test_not_an_image_is_reported(tmp_path: Path) -> None:
    bad = tmp_path / "notes.png"
    bad.write_text("not a picture")
    with pytest.raises(UnreadableImage, match="not an image"):
        load_image(bad)


def test_decode_command_prints_a_json_line_per_image(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from ui.cli import main

    good = tmp_path / "label.png"
    cv2.imwrite(str(good), barcode_image("qrcode", "RMA000012344", 6))
    blank = tmp_path / "blank.png"
    cv2.imwrite(str(blank), np.full((200, 200), 255, np.uint8))
    assert main(["decode", str(good), str(blank)]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert lines[0]["results"] == [{"text": "RMA000012344", "format": "qrcode"}]
    assert lines[1]["results"] == [] and lines[1]["file"] == str(blank)
    assert isinstance(lines[0]["ms"], float)
    assert main(["decode", str(tmp_path / "missing.png")]) == 1


def test_bar_test_sees_a_linear_code_and_not_clutter() -> None:
    from drivers.scanners.bars import has_bars

    for seed in (1, 2, 3):
        for w, h in ((640, 480), (1920, 1080)):
            assert not has_bars(to_gray(blank_scene(w, h, seed))), (seed, w)
    scene = to_gray(blank_scene(640, 480, 4))
    label = barcode_image("ean13", "9501101530003", 2)
    scene[150 : 150 + label.shape[0], 200 : 200 + label.shape[1]] = label
    assert has_bars(scene)
    assert has_bars(cv2.GaussianBlur(scene, (7, 7), 0))  # blurred bars still count


def test_a_still_without_bars_or_symbols_is_read_once_per_library(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[int, ...]] = []
    real = zxingcpp.read_barcodes
    monkeypatch.setattr(zxingcpp, "read_barcodes", lambda img, **kw: calls.append(img.shape) or real(img, **kw))
    assert decode_image(blank_scene(640, 480)) == []
    assert len(calls) == 1


def test_blurred_low_contrast_ean_in_a_photo_is_rescued_by_retries() -> None:
    photo = np.full((480, 640), 150, np.uint8)
    label = barcode_image("ean13", "9501101530003", 2)
    photo[180 : 180 + label.shape[0], 200 : 200 + label.shape[1]] = label
    photo = cv2.GaussianBlur(cv2.convertScaleAbs(photo, alpha=0.25, beta=110), (0, 0), 1.6)
    assert zxingcpp.read_barcodes(photo) == [] and read_zbar(photo, []) == []  # neither library alone
    found = decode_image(photo)
    assert [(d.text, d.via.partition(":")[1]) for d in found] == [("9501101530003", ":")]  # read by a retry
