"""Tuning the dock camera without guessing: ``decode-video --explain`` says, per parcel, why it
was identified or not, and which thresholds were in use (issue 25, item 4).

The clips are filmed by the fake camera (drivers/scanners/fake_camera.py) at 960x540, a
parcel or two each, written as MJPG and read back through OpenCV like a camera file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from station.core.identifiers import make_rma_number
from tests.drivers.scanners.clips import blank_label, clip_file, label, parcel, tiny_label
from ui.cli import main

RMA = [make_rma_number(n) for n in range(760, 770)]


def explain(capsys: pytest.CaptureFixture[str], path: Path, *options: str) -> tuple[list[str], list[str]]:
    """(one line per parcel, the footer lines)."""
    assert main(["decode-video", str(path), "--explain", *options]) == 0
    lines = capsys.readouterr().out.splitlines()
    parcels = [line for line in lines if line.startswith("parcel ")]
    return parcels, lines[len(parcels):]


@pytest.fixture
def two_rmas_in_the_station(sqlite_url, sqlite_engine):  # noqa: ANN001, ANN201
    from station.core.db import make_session_factory
    from station.models import Role
    from tests.helpers.builders import add_operator, add_product, add_rma

    with make_session_factory(sqlite_engine).begin() as db:
        add_operator(db, Role.CLERK)
        shirt = add_product(db, "TS-1")
        add_rma(db, [(shirt, 1)], number=RMA[0], tracking="SF5550000000001")
        add_rma(db, [(shirt, 1)], number=RMA[1])
    return sqlite_url


def test_a_parcel_held_by_a_trembling_hand_never_settles_until_motion_percent_is_raised(tmp_path, capsys):
    path, clip = clip_file(tmp_path / "trembling.avi", [parcel(label(RMA[2]), jitter=1)], seed=2)
    (line,), footer = explain(capsys, path)
    truth = clip.truth[0]
    first, last = (int(n) for n in line.split("(frames ")[1].split(")")[0].split("-"))
    assert truth.first_frame <= first < truth.settled_frame and truth.left_frame <= last
    assert "never settled: it never stayed still for 2 frames in a row; the stillest frame still had " in line
    stillest = float(line.split("still had ")[1].split(" %")[0])
    assert stillest >= 0.2 and "% of the watched area moving (threshold 0.2 %)" in line
    assert "Raise motion_percent" in line
    assert "motion_percent 0.2 %;" in footer[1] and "[" not in footer[1]  # every threshold its default

    (line,), footer = explain(capsys, path, "--motion-percent", f"{stillest * 2:g}")
    assert line.endswith(f"identified as {RMA[2]} by its RMA label {RMA[2]} (code128); "
                         "no database given, so not looked up.")
    assert f"motion_percent {stillest * 2:g} % [--motion-percent]" in footer[1]


def test_a_label_without_a_code_and_a_code_too_fine_for_the_camera_settle_but_read_nothing(tmp_path, capsys):
    path, clip = clip_file(tmp_path / "unreadable.avi", [parcel(blank_label()), parcel(tiny_label(RMA[3]))], seed=2)
    lines, footer = explain(capsys, path)
    assert len(lines) == 2
    for line in lines:
        # Three reads as it came to rest, then further reads every 5 frames while something
        # bar-like stayed unread: 6 in all over its 20 still frames.
        assert " and was read 6 times, but no code was found. Labels too small for the camera" in line
        assert "Outside the watched region? Out of focus, or facing down?" in line
    assert footer[0].startswith("2 parcels in ") and "reads 3 frames; retries 6 frames; retry_every 5 frames;" in footer[1]

    lines, footer = explain(capsys, path, "--retries", "0")
    assert all(" and was read 3 times, but no code was found." in line for line in lines)
    assert "retries 0 frames [--retries]" in footer[1]


def test_a_box_carrying_labels_of_two_rmas_names_both(tmp_path, capsys, two_rmas_in_the_station):
    box = parcel(label(RMA[0]), label(RMA[1], "qrcode"))
    path, _clip = clip_file(tmp_path / "two.avi", [box], seed=4)
    (line,), footer = explain(capsys, path, "--db", two_rmas_in_the_station)
    assert (f"codes for 2 RMAs: {RMA[0]} by its RMA label {RMA[0]} (code128) and "
            f"{RMA[1]} by its RMA label {RMA[1]} (qrcode); the station does not guess") in line
    assert not any("No --db" in f for f in footer)


def test_with_the_station_database_a_parcel_is_identified_by_its_tracking_number_or_said_unknown(
        tmp_path, capsys, two_rmas_in_the_station):
    boxes = [parcel(label("SF5550000000001")), parcel(label(RMA[4]), label("6901234567892", "ean13"))]
    path, _clip = clip_file(tmp_path / "db.avi", boxes, seed=2)
    found, unknown = explain(capsys, path, "--db", two_rmas_in_the_station)[0]
    assert found.startswith("parcel 1 ") and found.endswith(
        f"identified as {RMA[0]} by tracking number SF5550000000001 (code128).")
    assert unknown.startswith("parcel 2 ") and "2 codes read, none of them an RMA the station knows: " in unknown
    assert f"its RMA label {RMA[4]} (code128): not in this station's database" in unknown
    assert "product code 6901234567892 (ean13): a product code, not a return label" in unknown


def test_the_stations_camera_settings_are_used_and_the_command_line_wins(tmp_path, capsys, station_home):
    (station_home / "config").mkdir(exist_ok=True)
    (station_home / "config" / "settings.toml").write_text(
        "schema_version = 1\n[camera]\nreads = 2\nretries = 0\nsettle_frames = 3\npresence_percent = 1\n",
        encoding="utf-8")
    path, _clip = clip_file(tmp_path / "blank.avi", [parcel(blank_label())], seed=2)
    (line,), footer = explain(capsys, path)
    assert "and was read 2 times, but no code was found" in line
    assert ("presence_percent 1 % [camera.presence_percent]; motion_percent 0.2 %; "
            "settle_frames 3 frames [camera.settle_frames]; empty_frames 3 frames; "
            "reads 2 frames [camera.reads]; retries 0 frames [camera.retries];") in footer[1]
    (line,), footer = explain(capsys, path, "--reads", "1")
    assert "and was read 1 time, but no code was found" in line
    assert "reads 1 frames [--reads]" in footer[1]


def test_without_explain_the_json_lines_are_unchanged_and_follow_the_thresholds(tmp_path, capsys):
    path, _clip = clip_file(tmp_path / "json.avi", [parcel(label(RMA[5]), jitter=1)], seed=2)
    assert main(["decode-video", str(path)]) == 0
    first = json.loads(capsys.readouterr().out.splitlines()[0])
    assert set(first) == {"arrival", "first_frame", "settled_frame", "codes", "identified"}
    assert first["settled_frame"] is None and first["codes"] == []
    assert main(["decode-video", str(path), "--motion-percent", "8"]) == 0
    first = json.loads(capsys.readouterr().out.splitlines()[0])
    assert [c["text"] for c in first["codes"]] == [RMA[5]]


@pytest.mark.parametrize(("option", "value", "words"), [
    ("--settle-frames", "0", "argument --settle-frames: must be at least 1, not 0"),
    ("--reads", "11", "argument --reads: must be at most 10, not 11"),
    ("--motion-percent", "50", "argument --motion-percent: must be between 0.01 and 10 % (the part of the "
                               "watched area changing between two frames from which a parcel is moving), not 50"),
    ("--presence-percent", "lots", "argument --presence-percent: 'lots' is not a number"),
])
def test_a_threshold_out_of_its_range_is_refused_in_words(option, value, words, tmp_path, capsys):
    assert main(["decode-video", str(tmp_path / "any.avi"), "--explain", option, value]) == 2
    assert words in capsys.readouterr().err


def test_a_box_with_only_a_products_gs1_code_has_no_rma_and_the_line_stays_one_line(tmp_path, capsys):
    gs1 = "010950110153000310AB12\x1d21XYZ"
    path, _clip = clip_file(tmp_path / "gs1.avi", [parcel(label(gs1, "datamatrix"))], seed=2)
    (line,), _footer = explain(capsys, path)
    assert line.endswith("1 code read, none of them an RMA number: product code 010950110153000310AB12\\x1d21XYZ "
                         "(datamatrix): a product code, not a return label.")
