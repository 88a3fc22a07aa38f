"""Command barcodes from the printed command sheet (``CMD:CONFIRM``, ``CMD:PASS`` ...).

A gloved inspector acts by scanning instead of typing; each command does exactly what its
key does in the active view. What counts as a command is the station's scan classifier's
decision (``station.scanning``, prefix and names in ``scan_formats.toml``); this module only
names the commands the window acts on.
"""

from __future__ import annotations

import enum

from station.scanning import ScanKind, classify_scan


class Command(enum.StrEnum):
    CONFIRM = "CONFIRM"
    CANCEL = "CANCEL"
    QUARANTINE = "QUARANTINE"
    PASS = "PASS"
    FAIL = "FAIL"
    NA = "NA"
    BACK = "BACK"
    FINISH = "FINISH"
    SIGN_OUT = "SIGNOUT"


def command_of(text: str) -> Command | None:
    """The command a scan carries, or ``None`` when it is not one the window acts on."""
    meaning = classify_scan(text)
    if meaning.kind is not ScanKind.COMMAND:
        return None
    try:
        return Command(meaning.value)
    except ValueError:
        return None


def is_command(text: str) -> bool:
    """Shaped like a command barcode (``CMD:...``), whether or not the window knows it."""
    return text.strip().upper().startswith("CMD:")
