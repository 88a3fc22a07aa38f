"""The station's camera.* thresholds reach the arrival watcher, with the watcher's own ranges.

station/ and drivers/ may not import each other, so each declares the ranges (the settings
loader refuses out-of-range values from the file, the watcher refuses them from code); these
tests keep the two declarations the same and the join (``ui/camera_watch.py``) honest.
"""

from __future__ import annotations

from dataclasses import fields

import pytest

from drivers.arrival_settings import LIMITS, WatchSettings
from drivers.camera_arrivals import ArrivalWatcher
from station.core.settings import OPTION_BY_NAME, defaults
from ui.camera_watch import CAMERA_THRESHOLDS, watch_settings
from ui.cli.commands.decode_video import THRESHOLD_OPTIONS


@pytest.mark.parametrize("name", CAMERA_THRESHOLDS)
def test_each_camera_threshold_setting_has_the_watchers_default_and_range(name):
    option, limit = OPTION_BY_NAME[f"camera.{name}"], LIMITS[name]
    assert option.default == getattr(WatchSettings, name)
    assert (option.minimum, option.maximum, option.unit) == (limit.least, limit.most, limit.unit)


def test_every_watcher_field_has_a_unit_and_range_and_the_cli_sets_the_stations_ones():
    assert [f.name for f in fields(WatchSettings)] == list(LIMITS)
    for f in fields(WatchSettings):
        assert LIMITS[f.name].least <= f.default <= LIMITS[f.name].most, f.name
    assert THRESHOLD_OPTIONS == CAMERA_THRESHOLDS


def test_the_stations_settings_become_the_watchers_thresholds():
    settings = defaults().replace(**{"camera.settle_frames": 5, "camera.motion_percent": 0.5, "camera.reads": 1})
    thresholds = watch_settings(settings)
    assert (thresholds.settle_frames, thresholds.motion_percent, thresholds.reads) == (5, 0.5, 1)
    assert (thresholds.presence_percent, thresholds.empty_frames) == (0.4, 3)
    assert watch_settings(defaults()) == WatchSettings()
    watcher = ArrivalWatcher(settings=thresholds)
    assert (watcher.settle_frames, watcher.motion_fraction, watcher.reads) == (5, 0.005, 1)


def test_the_watchers_old_keyword_thresholds_still_override_its_settings():
    watcher = ArrivalWatcher(settings=WatchSettings(settle_frames=4), presence_fraction=0.01, fast_side=960)
    assert watcher.settings.presence_percent == pytest.approx(1.0) and watcher.presence_fraction == pytest.approx(0.01)
    assert watcher.settle_frames == 4 and watcher.reader.fast_side == 960


@pytest.mark.parametrize(("changes", "words"), [
    ({"settle_frames": 0}, "settle_frames must be between 1 and 30 frames (the number of still frames in a row "
                           "before a parcel is read), not 0."),
    ({"presence_percent": 40.0}, "presence_percent must be between 0.05 and 20 %"),
    ({"reads": 2.5}, "reads must be a whole number, not 2.5."),
    ({"difference": "high"}, "difference must be a number, not 'high'."),
])
def test_a_threshold_out_of_range_is_refused_in_words(changes, words):
    with pytest.raises(ValueError) as refused:
        WatchSettings(**changes)
    assert words in str(refused.value)
