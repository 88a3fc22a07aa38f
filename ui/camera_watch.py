"""The dock camera's watcher joined to the station: thresholds from settings, stays as values.

The station declares its settings (``station.core.settings``) and reasons about parcels
(``station.receiving.arrival_reasons``); the watcher (``drivers.camera_arrivals``) has its
own thresholds (``drivers.arrival_settings``). Neither side may import the other, so the
shell joins them here, once, for the receiving view's camera and for ``decode-video``.
Qt-free: the headless CLI imports it.
"""

from __future__ import annotations

import logging

from drivers.arrival_settings import TUNED_AT_THE_DOCK, WatchSettings
from drivers.camera_arrivals import Arrival
from station.core.settings import Settings
from station.receiving.arrival_reasons import ParcelStay

log = logging.getLogger(__name__)

#: The ``WatchSettings`` fields a station sets as ``camera.<field>`` (``drivers.arrival_settings``).
CAMERA_THRESHOLDS = TUNED_AT_THE_DOCK


def watch_settings(settings: Settings) -> WatchSettings:
    """The watcher's thresholds from the station's settings (every other field: its default).

    The settings loader has already refused out-of-range values, and both declare the same
    ranges (tests/ui/test_camera_watch.py), so this does not fail on loaded settings."""
    return WatchSettings().with_changes(**{key: settings.get(f"camera.{key}") for key in CAMERA_THRESHOLDS})


def parcel_stay(arrival: Arrival, thresholds: WatchSettings) -> ParcelStay:
    """What the watcher saw of ``arrival``, as the station's plain value (for its reasons)."""
    return ParcelStay(
        number=arrival.number, first_frame=arrival.first_frame, left_frame=arrival.left_frame,
        settled_frame=arrival.settled_frame, codes=tuple((d.text, d.format) for d, _ in arrival.codes),
        frames_watched=arrival.frames_watched, longest_still=arrival.longest_still,
        stillest_percent=None if arrival.stillest is None else arrival.stillest * 100,
        codes_per_read=tuple(arrival.codes_per_read), settle_frames=thresholds.settle_frames,
        motion_percent=thresholds.motion_percent, reads=thresholds.reads)
