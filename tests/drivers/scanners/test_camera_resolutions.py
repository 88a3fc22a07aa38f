"""The dock camera at 720p, 1080p and 4K: every parcel a frame can read is identified.

Short clips composed by the fake camera as each camera is mounted (``MOUNTS``: the higher
the resolution, the higher the camera and the smaller the boxes and labels in the frame),
with corpus photos on the boxes, written as MJPG and read back the way the station reads a
camera (``VideoFrames``). The full-size clips are ``bench/bench_camera.py``.
"""

from __future__ import annotations

import numpy as np
import pytest

from drivers.camera_arrivals import ArrivalWatcher, ParcelReader
from drivers.scanners.fake_camera import (
    MOUNTS,
    ParcelSpec,
    arrival_frames,
    compose_arrivals,
    corpus_photos,
    mounted_parcels,
    printed_label,
    write_video,
)
from drivers.scanners.video_frames import JpegFrame, VideoFrames
from station.core.identifiers import make_rma_number
from station.receiving.identification import Outcome, RmaIndex, identify


def identified_parcels(path, index: RmaIndex) -> list[str | None]:
    """Play a clip file as the station does; per arrival the RMA its codes identify (or None)."""
    capture = VideoFrames(str(path))
    watcher = ArrivalWatcher()
    found: dict[int, str | None] = {}
    try:
        while True:
            ok, frame = capture.read()
            if not ok:
                break
            for event in watcher.feed(frame):
                if event.kind == "read":
                    answer = identify([(d.text, d.format) for d, _ in event.arrival.codes], index)
                    found[event.arrival.number] = answer.rma if answer.outcome is Outcome.IDENTIFIED else None
                else:
                    found.setdefault(event.arrival.number, None)
    finally:
        capture.release()
    return [found[n] for n in sorted(found)]


@pytest.mark.parametrize(("resolution", "parcels"), [("720p", 4), ("1080p", 4), ("4k", 2)])
def test_every_parcel_at_each_resolution_is_identified_and_none_as_another(resolution, parcels, corpus_dir, tmp_path):
    """Boxes with a return label (or none: every fourth), a carrier label and a product photo;
    the full clips (and zxing-cpp on every frame beside them) are the bench's."""
    mount = MOUNTS[resolution]
    photos = corpus_photos(corpus_dir, formats=("ean13", "upca", "qrcode", "datamatrix"))
    numbers = [make_rma_number(8100 + k) for k in range(parcels)]
    specs, facts = mounted_parcels(mount, numbers, corpus=photos, seed=7, hold=8, gap=3)
    shadows = 0 if resolution == "4k" else 1  # a 4K shadow costs the composer 40 ms a frame; 720p/1080p have one
    path = write_video(tmp_path / f"dock-{resolution}.avi",
                       arrival_frames(specs, mount.width, mount.height, seed=7, lead=3, shadows=shadows))
    index = RmaIndex(numbers=set(numbers), by_tracking={f["tracking"]: {f["rma"]} for f in facts})

    assert identified_parcels(path, index) == numbers


@pytest.mark.parametrize("angle", [10, 190, 350])
def test_a_small_nearly_level_carrier_label_at_1080p_is_read(angle, tmp_path):
    """The parcel lost at 1080p: a carrier label of 1.5-2 px bars, turned by a few degrees.

    The patch finder measured the bars' angle on a 480-px copy, where such bars are below a
    pixel and the box's tape edge outvotes them, then turned the crop by that wrong angle at
    its own resolution, blurring neighbouring bars together; zxing-cpp on the raw frame reads
    the label because it is almost level. At 31cafc4 none of these three angles was read.
    """
    tracking = "SF299699703248"
    spec = ParcelSpec([printed_label("code128", tracking, 2, caption="SF EXPRESS")], enter=6, hold=6, leave=4,
                      gap=3, size=0.36, angles=(angle,))
    clip = compose_arrivals([spec], 1920, 1080, seed=3, lead=2)
    assert {d.text for d in ParcelReader().read(clip.settled_views[0])} == {tracking}
    path = write_video(tmp_path / "level.avi", clip.frames)
    rma = make_rma_number(8200)
    assert identified_parcels(path, RmaIndex(numbers={rma}, by_tracking={tracking: {rma}})) == [rma]


def test_mjpeg_frames_are_decoded_small_for_watching_and_whole_only_when_read(tmp_path):
    frames = [np.full((2160, 3840, 3), 90 + 20 * k, np.uint8) for k in range(3)]
    path = write_video(tmp_path / "flat.avi", frames)
    capture = VideoFrames(str(path))
    ok, frame = capture.read()
    assert ok and isinstance(frame, JpegFrame) and (frame.width, frame.height) == (3840, 2160)
    small = frame.small_gray(160)
    assert small.shape == (270, 480) and small.dtype == np.uint8  # 1/8 of each side, grey
    assert frame.gray().shape == (2160, 3840)
    assert abs(int(frame.gray().mean()) - 90) <= 2
    capture.release()


def test_a_source_that_is_not_mjpeg_is_decoded_as_usual(tmp_path):
    import cv2

    path = tmp_path / "raw.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"FFV1"), 25, (320, 240))
    if not writer.isOpened():
        pytest.skip("this OpenCV cannot write FFV1")
    for k in range(3):
        writer.write(np.full((240, 320, 3), 50 * k, np.uint8))
    writer.release()
    capture = VideoFrames(str(path))
    assert not capture.jpeg
    ok, frame = capture.read()
    assert ok and frame.small_gray(160).shape == (120, 160) and frame.gray().shape == (240, 320)
    capture.release()


def test_a_corrupt_camera_picture_is_refused_in_words():
    frame = JpegFrame(np.frombuffer(b"\xff\xd8not a picture", np.uint8), 1920, 1080)
    with pytest.raises(ValueError, match="not a readable JPEG picture"):
        frame.small_gray(160)


def test_the_watcher_sees_the_same_parcels_in_arrays_and_in_mjpeg_packets(tmp_path):
    rma = make_rma_number(8300)
    spec = ParcelSpec([printed_label("qrcode", rma, 5)], enter=6, hold=8, leave=4, gap=4)
    clip = compose_arrivals([spec, spec], 1280, 720, seed=4, lead=3)
    path = write_video(tmp_path / "pair.avi", clip.frames)
    arrays = ArrivalWatcher()
    kinds_from_arrays = [e.kind for f in clip.frames for e in arrays.feed(f)]
    packets = VideoFrames(str(path))
    watcher = ArrivalWatcher()
    kinds_from_packets = []
    while True:
        ok, frame = packets.read()
        if not ok:
            break
        kinds_from_packets += [e.kind for e in watcher.feed(frame)]
    assert kinds_from_arrays == kinds_from_packets == ["arrived", "settled", "read", "left"] * 2


def test_two_labels_side_by_side_turned_differently_are_both_read():
    """A carrier label and a return label touching at a right angle (or one across the box's
    tape) are one blob of bar-like texture; cut by the bars' direction they are two patches,
    each turned its own way. At 31cafc4 (and before the cut) one of the two was lost.
    """
    frame = np.full((1080, 1920), 140, np.uint8)
    level = printed_label("code128", "SF561144082134", 2).image
    upright = np.rot90(printed_label("code128", make_rma_number(8401), 2).image, -1)
    y, x = 400, 700
    frame[y:y + level.shape[0], x:x + level.shape[1]] = level
    frame[y - 40:y - 40 + upright.shape[0], x + level.shape[1] - 6:x + level.shape[1] - 6 + upright.shape[1]] = upright
    import cv2

    frame = cv2.GaussianBlur(frame, (3, 3), 0.8)
    assert {d.text for d in ParcelReader().read(frame)} == {"SF561144082134", make_rma_number(8401)}


def test_a_damaged_camera_picture_is_skipped_and_counted_and_the_parcels_before_it_stay(tmp_path, capsys):
    """A truncated file or a corrupt JPEG from a network camera: the watch goes on, the
    damaged frame is counted and said, nothing read before it is lost."""
    import json

    from ui.cli import main

    rma = make_rma_number(8600)
    clip = compose_arrivals([ParcelSpec([printed_label("qrcode", rma, 5)], enter=6, hold=8, leave=4, gap=4)] * 2,
                            1280, 720, seed=4, lead=3)
    whole = write_video(tmp_path / "whole.avi", clip.frames).read_bytes()
    cut = tmp_path / "cut.avi"
    cut.write_bytes(whole[: int(len(whole) * 0.75)])  # the last picture stops half-way
    assert main(["decode-video", str(cut)]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    arrivals, total = lines[:-1], lines[-1]
    assert total["unreadable_frames"] == 1
    assert [a["codes"][0]["text"] for a in arrivals] == [rma, rma]

    watcher = ArrivalWatcher()
    garbage = JpegFrame(np.frombuffer(b"\xff\xd8\xff\xe0 broken", np.uint8), 1280, 720)
    assert watcher.feed(garbage) == [] and watcher.unreadable_frames == 1
