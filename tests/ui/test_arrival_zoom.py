"""A high camera shows the parcel small: the preview adds the read labels, enlarged.

At 1080p and 4K the whole bench is in view and a parcel is a few dozen pixels wide in the
480-px live picture; the clerk checking what the camera read gets the frame that was read,
cut around its codes, in the corner of the picture farthest from the parcel.
"""

from __future__ import annotations

import pytest

from drivers.scanners.fake_camera import ParcelSpec, compose_arrivals, printed_label, write_video
from station.core.identifiers import make_rma_number
from station.receiving.identification import RmaIndex, identify
from ui.widgets.camera_preview import ZOOM_SIZE, ArrivalPreview, zoom_region

RMA = make_rma_number(8700)
TRACKING = "SF5550000000070"


@pytest.mark.parametrize("quads", [
    [((900, 500), (960, 500), (960, 540), (900, 540))],                        # one small code mid-frame
    [((10, 10), (60, 10), (60, 40), (10, 40)), ((1850, 1040), (1910, 1040), (1910, 1070), (1850, 1070))],  # far apart
    [((1880, 1050), (1915, 1050), (1915, 1075), (1880, 1075))],               # in a corner
])
def test_the_zoomed_part_holds_every_code_inside_the_frame_in_the_pictures_shape(quads):
    x, y, w, h = zoom_region(quads, 1920, 1080)
    assert 0 <= x and 0 <= y and x + w <= 1920 and y + h <= 1080
    assert w >= ZOOM_SIZE[0] and h >= ZOOM_SIZE[1]  # never blown up past the frame's own pixels
    assert abs(w / h - ZOOM_SIZE[0] / ZOOM_SIZE[1]) < 0.02 or (w, h) == (1920, 1080)
    for quad in quads:
        assert all(x <= px <= x + w and y <= py <= y + h for px, py in quad)


def test_clerk_sees_the_read_labels_enlarged_when_the_camera_is_high(qtbot, tmp_path):  # noqa: ANN001
    box = ParcelSpec([printed_label("qrcode", RMA, 3), printed_label("code128", TRACKING, 2)],
                     enter=8, hold=45, leave=8, gap=4, size=0.3)
    clip = compose_arrivals([box], 1920, 1080, seed=5, lead=4)
    path = write_video(tmp_path / "high.avi", clip.frames)
    index = RmaIndex(numbers={RMA}, by_tracking={TRACKING: {RMA}})
    preview = ArrivalPreview(str(path), lambda codes: identify(codes, index))
    qtbot.addWidget(preview)
    preview.show()
    qtbot.waitUntil(lambda: preview.state == "identified" and preview.zoom is not None, timeout=15000)

    zoom = preview.zoom
    left, top = zoom.origin
    right, bottom = left + zoom.image.width() / zoom.scale, top + zoom.image.height() / zoom.scale
    for code in preview.codes:
        assert all(left <= x <= right and top <= y <= bottom for x, y in code.quad), code
    live_scale = 480 / 1920
    assert zoom.scale >= 2 * live_scale  # the labels at least twice as large as in the live picture
    qtbot.waitUntil(lambda: preview.zoom is None, timeout=15000)  # gone with the parcel
    preview.stop()
