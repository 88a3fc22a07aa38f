"""Plays the feedback sound for each banner (QSoundEffect, or the system beep).

QtMultimedia is imported only when sounds are on and the machine has an audio output, so a
headless test run or a station without speakers starts no audio stack and logs no audio
warnings. ``played`` records every request (tests check that outcomes sound different).

Sounds that are "on" but cannot be heard are said so (``trouble``), not shown as working:
no audio output (the station falls back to the system beep) or a sound that failed to play.

Signals: ``trouble(str)`` -- why sounds are not heard as set, in words.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

SOUND_DIR = Path(__file__).with_name("sounds")


class SoundBoard(QObject):
    trouble = Signal(str)

    def __init__(self, enabled: bool, parent: QObject | None = None, *, probe_audio: bool = True) -> None:
        super().__init__(parent)
        self.enabled = enabled
        self.played: list[str] = []
        self._effects: dict[str, object] = {}
        self._probe = probe_audio
        self._audio: bool | None = None  # probed at the first sound: the audio stack costs start-up time
        self.trouble_text = ""

    def _report(self, text: str) -> None:
        if text != self.trouble_text:
            self.trouble_text = text
            log.warning("sounds: %s", text)
            self.trouble.emit(text)

    def _has_audio(self) -> bool:
        try:
            from PySide6.QtMultimedia import QMediaDevices
        except ImportError:
            return False
        return bool(QMediaDevices.audioOutputs())

    def play(self, name: str) -> None:
        if not name:
            return
        self.played.append(name)
        if not self.enabled:
            return
        if self._audio is None:
            self._audio = self._has_audio() if self._probe else False
            if not self._audio and self._probe:
                self._report(self.tr("no audio output: only the system beep"))
        if not self._audio:
            QApplication.beep()
            return
        effect = self._effects.get(name)
        if effect is None:
            from PySide6.QtMultimedia import QSoundEffect

            path = SOUND_DIR / f"{name}.wav"
            if not path.is_file():
                log.warning("no sound file %s", path)
                return
            effect = QSoundEffect(self)
            effect.statusChanged.connect(lambda e=effect: self._check(e))
            effect.setSource(QUrl.fromLocalFile(str(path)))
            self._effects[name] = effect
        effect.play()  # type: ignore[attr-defined]

    def _check(self, effect: object) -> None:
        from PySide6.QtMultimedia import QSoundEffect

        if effect.status() == QSoundEffect.Status.Error:  # type: ignore[attr-defined]
            self._report(self.tr("the audio device refused to play (check the speakers and the sound server)"))
