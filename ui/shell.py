"""What every view is handed: the station context, background runner, message bridge,
settings and label output. One frozen bundle instead of a global ``app`` object."""

from __future__ import annotations

from dataclasses import dataclass, field

from station.core.context import StationContext
from station.core.settings import Settings
from station.scanning.classify import ScanClassifier
from ui.background import Background
from ui.bridge import MessageBridge
from ui.changes import ChangeSignal
from ui.label_output import LabelOutput


@dataclass(frozen=True)
class Shell:
    ctx: StationContext
    background: Background
    bridge: MessageBridge
    settings: Settings
    labels: LabelOutput
    #: The one classifier of the window, built from ``scanning.formats_file``: every scan is
    #: classified once, by the main window, and views receive the meaning.
    classifier: ScanClassifier = field(default_factory=ScanClassifier)
    #: The station's commits as one Qt signal: lists and counts follow it (``ui.changes.follow``)
    #: instead of refreshing by hand after each action. None where a view is built alone.
    changes: ChangeSignal | None = None

    @property
    def language(self) -> str:
        return str(self.settings.get("ui.language"))
