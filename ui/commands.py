"""Command barcodes from the printed command sheet (``CMD:CONFIRM``, ``CMD:PASS`` ...).

A gloved inspector acts by scanning instead of typing; each command does exactly what its
key does in the active view. What counts as a command is the station's scan classifier's
decision (``station.scanning.classify``, prefix and names in the scan formats file named by the
``scanning.formats_file`` setting); the main window classifies each scan once and hands
the meaning on. This module only names the commands the window acts on.
"""

from __future__ import annotations

import enum

from station.scanning.classify import ScanKind, ScanMeaning, classify_scan


class Command(enum.StrEnum):
    CONFIRM = "CONFIRM"
    CANCEL = "CANCEL"
    QUARANTINE = "QUARANTINE"
    PASS = "PASS"
    FAIL = "FAIL"
    NA = "NA"
    BACK = "BACK"
    FINISH = "FINISH"
    REPRINT = "REPRINT"
    SIGN_OUT = "SIGNOUT"
    # The supervisor's desk: each does what the tab's key does (``ui.keymap``).
    OPEN_BATCH = "OPENBATCH"
    SHIP = "SHIP"
    ACKNOWLEDGE = "ACK"
    CREDIT = "CREDIT"
    DISPUTE = "DISPUTE"
    APPROVE = "APPROVE"
    REJECT = "REJECT"


def command_in(meaning: ScanMeaning) -> Command | None:
    """The command a classified scan carries, or ``None`` when it is not one the window acts on."""
    if meaning.kind is not ScanKind.COMMAND:
        return None
    try:
        return Command(meaning.value)
    except ValueError:
        return None


def command_of(text: str) -> Command | None:
    """``command_in`` for a bare text, with the shipped formats (sign-in screen, tests)."""
    return command_in(classify_scan(text))


def is_command(text: str) -> bool:
    """Shaped like a command barcode, whether or not the window knows it (shipped formats)."""
    return classify_scan(text).is_command_shaped
