"""What every view is handed: the station context, background runner, message bridge,
settings and label output. One frozen bundle instead of a global ``app`` object."""

from __future__ import annotations

from dataclasses import dataclass

from station.context import StationContext
from station.settings import Settings
from ui.background import Background
from ui.bridge import MessageBridge
from ui.label_output import LabelOutput


@dataclass(frozen=True)
class Shell:
    ctx: StationContext
    background: Background
    bridge: MessageBridge
    settings: Settings
    labels: LabelOutput

    @property
    def language(self) -> str:
        return str(self.settings.get("ui.language"))
