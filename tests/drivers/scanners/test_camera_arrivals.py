"""``rma-station decode-video`` on composed dock clips: one line per parcel, every code on it.

The clips are filmed by the fake camera (drivers/scanners/fake_camera.py): a textured
table, boxes sliding in with motion blur, labels at random angles, sensor noise and
auto-exposure drift, written as MJPG and read back through OpenCV like a camera file.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from drivers.arrival_settings import WatchSettings
from drivers.camera_arrivals import ArrivalWatcher
from drivers.scanners.fake_camera import compose_arrivals, corpus_photos, photo_sticker
from station.core.identifiers import make_rma_number
from tests.drivers.scanners.clips import clip_file, label, parcel
from ui.cli import main

REPO = Path(__file__).resolve().parents[3]
RMA = [make_rma_number(n) for n in range(700, 710)]


def decode_video(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[list[dict], dict]:
    assert main(["decode-video", *args]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    return lines[:-1], lines[-1]


def texts(arrival: dict) -> set[str]:
    return {c["text"] for c in arrival["codes"]}


def test_single_labels_are_one_arrival_each_read_after_they_settle(tmp_path, capsys):
    path, clip = clip_file(tmp_path / "single.avi", [parcel(label(RMA[0])), parcel(label(RMA[1], "qrcode"))], seed=2)
    arrivals, total = decode_video(capsys, str(path))
    assert [a["arrival"] for a in arrivals] == [1, 2]
    for arrival, truth in zip(arrivals, clip.truth):
        assert texts(arrival) == {c for c, _ in truth.codes}
        assert truth.first_frame <= arrival["first_frame"] <= truth.settled_frame
        assert truth.settled_frame <= arrival["settled_frame"] <= truth.settled_frame + 3
        assert all(arrival["settled_frame"] <= c["frame"] < truth.left_frame for c in arrival["codes"])
        assert arrival["identified"] is None  # no --db
    assert total["frames"] == len(clip.frames) and total["fps"] > 0 and total["seconds"] > 0


def test_three_codes_on_one_box_are_all_read(tmp_path, capsys):
    box = parcel(label(RMA[2], "qrcode"), label("SF123456789012"), label("6901234567892", "ean13"))
    path, clip = clip_file(tmp_path / "three.avi", [box], seed=4)
    arrivals, _ = decode_video(capsys, str(path))
    assert len(arrivals) == 1
    assert texts(arrivals[0]) == {c for c, _ in clip.truth[0].codes} == {RMA[2], "SF123456789012", "6901234567892"}


def test_labels_at_any_angle_are_read(tmp_path, capsys):
    # Seed 11 turns the three labels by about 25, 180 and 35 degrees (looked at the frames).
    boxes = [parcel(label(RMA[3 + k])) for k in range(3)]
    path, clip = clip_file(tmp_path / "rotated.avi", boxes, seed=11)
    arrivals, _ = decode_video(capsys, str(path))
    assert [texts(a) for a in arrivals] == [{RMA[3]}, {RMA[4]}, {RMA[5]}]


def test_two_look_alike_parcels_back_to_back_are_two_arrivals(tmp_path, capsys):
    same = label(RMA[6])
    path, clip = clip_file(tmp_path / "twins.avi", [parcel(same, gap=4), parcel(same)], seed=5)
    arrivals, _ = decode_video(capsys, str(path))
    assert [texts(a) for a in arrivals] == [{RMA[6]}, {RMA[6]}]
    assert arrivals[1]["first_frame"] >= clip.truth[1].first_frame


def test_a_parcel_that_stays_ten_seconds_is_one_arrival_read_once(tmp_path, capsys):
    path, clip = clip_file(tmp_path / "stays.avi", [parcel(label(RMA[7]), hold=300, gap=4)], seed=6)
    arrivals, total = decode_video(capsys, str(path))
    assert len(arrivals) == 1 and texts(arrivals[0]) == {RMA[7]}
    assert len(arrivals[0]["codes"]) == 1
    assert total["frames"] == len(clip.frames) >= 300


def test_an_empty_table_with_moving_shadows_is_no_arrival(tmp_path, capsys):
    clip = compose_arrivals([], 960, 540, seed=9, lead=150, shadows=3)
    from drivers.scanners.fake_camera import write_video

    path = write_video(tmp_path / "shadows.avi", clip.frames)
    arrivals, total = decode_video(capsys, str(path))
    assert arrivals == [] and total["frames"] == 150


def test_product_photos_from_the_corpus_on_a_box_are_read_with_its_labels(corpus_dir, tmp_path, capsys):
    photos = [p for p in corpus_photos(corpus_dir, formats=("qrcode",))][:1]
    box = parcel(label(RMA[8]), photo_sticker(photos[0], 300))
    path, clip = clip_file(tmp_path / "photo.avi", [box], seed=3)
    arrivals, _ = decode_video(capsys, str(path))
    assert texts(arrivals[0]) == {c for c, _ in clip.truth[0].codes}


def test_decode_video_runs_as_a_command_and_refuses_a_missing_source(tmp_path):
    path, _clip = clip_file(tmp_path / "one.avi", [parcel(label(RMA[9]))], seed=2)
    env = {"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "ui.cli", "decode-video", str(path), "--formats", "code128"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    first = json.loads(done.stdout.splitlines()[0])
    assert first["arrival"] == 1 and first["codes"][0]["text"] == RMA[9]
    missing = subprocess.run([sys.executable, "-m", "ui.cli", "decode-video", str(tmp_path / "none.avi")],
                             capture_output=True, text=True, env=env, timeout=120)
    assert missing.returncode == 2 and missing.stderr.startswith("rma-station: ")
    assert "cannot be opened" in missing.stderr


def test_a_watcher_fed_frames_reports_arrived_settled_read_left_in_order():
    clip = compose_arrivals([parcel(label(RMA[0]))], 960, 540, seed=2, lead=5)
    watcher = ArrivalWatcher()
    kinds = [e.kind for f in clip.frames for e in watcher.feed(f)]
    assert kinds == ["arrived", "settled", "read", "left"]


def test_with_db_each_arrival_names_the_rma_its_codes_lead_to(tmp_path, capsys, sqlite_url, sqlite_engine):
    from station.core.db import make_session_factory
    from station.models import Role
    from tests.helpers.builders import add_operator, add_product, add_rma

    with make_session_factory(sqlite_engine).begin() as db:
        add_operator(db, Role.CLERK)
        shirt = add_product(db, "TS-1")
        add_rma(db, [(shirt, 1)], number=RMA[0], tracking="SF5550000000001")
        add_rma(db, [(shirt, 1)], number=RMA[1])
    boxes = [parcel(label("SF5550000000001")), parcel(label(RMA[1], "qrcode")), parcel(label(RMA[2]))]
    path, _clip = clip_file(tmp_path / "db.avi", boxes, seed=2)
    arrivals, _ = decode_video(capsys, str(path), "--db", sqlite_url)
    assert [a["identified"] for a in arrivals] == [RMA[0], RMA[1], None]  # RMA[2] is not in the database


def test_only_the_watched_region_of_the_table_counts_and_outlines_stay_in_frame_pixels():
    clip = compose_arrivals([parcel(label(RMA[0]))], 960, 540, seed=2, lead=5)
    corner = ArrivalWatcher(region=(0.85, 0.0, 0.15, 0.15))  # this box never reaches the corner
    assert [e for f in clip.frames for e in corner.feed(f)] == []
    band = ArrivalWatcher(region=(0.0, 0.2, 1.0, 0.6))
    reads = [e for f in clip.frames for e in band.feed(f) if e.kind == "read"]
    whole = {d.text: d.quad for d in ArrivalWatcher().reader.read(clip.settled_views[0])}
    (code,) = reads[0].new_codes
    assert code.text == RMA[0]
    assert all(abs(a - b) <= 3 for p, q in zip(code.quad, whole[RMA[0]]) for a, b in zip(p, q))


def test_the_watcher_keeps_how_still_each_parcel_was_and_what_each_read_found():
    clip = compose_arrivals([parcel(label(RMA[0])), parcel(label(RMA[1]), jitter=1)], 960, 540, seed=2, lead=5)
    watcher = ArrivalWatcher()
    left = [e.arrival for f in clip.frames for e in watcher.feed(f) if e.kind == "left"]
    still, trembling = left
    assert still.longest_still >= 15 and still.stillest is not None and still.stillest < watcher.motion_fraction
    assert still.codes_per_read == [1, 1, 1] and still.frames_watched >= 20
    assert trembling.settled_frame is None and trembling.codes_per_read == [] and trembling.codes == []
    assert trembling.longest_still < watcher.settle_frames
    assert trembling.stillest is not None and trembling.stillest >= watcher.motion_fraction


def test_a_code_seen_but_not_read_is_read_again_while_the_parcel_rests_until_the_caller_has_it():
    """A borderline label reads on some frames and not others (noise, glare, JPEG blocks): the
    watcher keeps trying every ``retry_every`` frames, at most ``retries`` more times, while
    bars stay unread; once the caller says the parcel is identified, it stops trying."""
    from tests.drivers.scanners.clips import tiny_label

    clip = compose_arrivals([parcel(tiny_label(RMA[4]), hold=40)], 960, 540, seed=2, lead=5)
    (alone,) = left_arrivals(clip, ArrivalWatcher())
    assert alone.codes_per_read == [0] * 9  # 3 as it came to rest, then 6 more, 5 frames apart

    stopping = ArrivalWatcher()
    (stopped,) = left_arrivals(clip, stopping, on_read=stopping.stop_reading)
    assert stopped.codes_per_read == [0] * 3  # the first reads of a rest always happen

    fewer = ArrivalWatcher(settings=WatchSettings(retries=2, retry_every=10))
    assert left_arrivals(clip, fewer)[0].codes_per_read == [0] * 5


def left_arrivals(clip, watcher: ArrivalWatcher, on_read=None) -> list:  # type: ignore[no-untyped-def]
    """Every arrival of ``clip`` as it left; ``on_read`` is called at each read event."""
    out = []
    for frame in clip.frames:
        for event in watcher.feed(frame):
            if event.kind == "read" and on_read is not None:
                on_read()
            elif event.kind == "left":
                out.append(event.arrival)
    return out
