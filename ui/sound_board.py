"""Plays the feedback sound for each banner (QSoundEffect, or the system beep).

QtMultimedia is imported only when sounds are on and the machine has an audio output, so a
headless test run or a station without speakers starts no audio stack and logs no audio
warnings. ``played`` records every request (tests check that outcomes sound different).
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QUrl
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

SOUND_DIR = Path(__file__).with_name("sounds")


class SoundBoard(QObject):
    def __init__(self, enabled: bool, parent: QObject | None = None, *, probe_audio: bool = True) -> None:
        super().__init__(parent)
        self.enabled = enabled
        self.played: list[str] = []
        self._effects: dict[str, object] = {}
        self._probe = probe_audio
        self._audio: bool | None = None  # probed at the first sound: the audio stack costs start-up time

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
            effect.setSource(QUrl.fromLocalFile(str(path)))
            self._effects[name] = effect
        effect.play()  # type: ignore[attr-defined]
