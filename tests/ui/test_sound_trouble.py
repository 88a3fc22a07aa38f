"""Sounds set "on" on a machine that cannot play them are shown as not heard, never as on."""

from __future__ import annotations

import pytest
from PySide6.QtMultimedia import QMediaDevices

from ui.sound_board import SoundBoard
from ui.status import StationStatusBar


# Qt Multimedia's own words while it finds no audio and no video acceleration on this machine
@pytest.mark.qt_log_ignore(r"PulseAudioService", r"Couldn't (load|resolve) va", "propagateSizeHints")
def test_sounds_on_without_an_audio_output_say_so_in_the_status_bar(station, qtbot) -> None:  # noqa: ANN001
    if QMediaDevices.audioOutputs():
        pytest.skip("this machine has an audio output: nothing to report")
    board = SoundBoard(True, probe_audio=True)
    bar: StationStatusBar = station.window.status
    board.trouble.connect(bar.show_sound_trouble)
    with qtbot.waitSignal(board.trouble, timeout=5000) as said:
        board.play("ok")
    assert said.args == ["no audio output: only the system beep"]
    assert bar.sound.isVisible() and bar.sound.text() == "Sound: no audio output: only the system beep"
    board.play("error")  # told once, not at every scan
    assert board.trouble_text == "no audio output: only the system beep"


def test_sounds_off_or_working_show_nothing(station) -> None:  # noqa: ANN001
    assert not station.window.status.sound.isVisible()
