"""Command barcodes from the printed command sheet (``CMD:CONFIRM``, ``CMD:PASS`` ...).

A gloved inspector acts by scanning instead of typing; each command does exactly what its
key does in the active view.
"""

from __future__ import annotations

import enum


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


PREFIX = "CMD:"


def command_of(text: str) -> Command | None:
    """The command a scan carries, or ``None`` when it is not a command barcode."""
    cleaned = text.strip().upper()
    if not cleaned.startswith(PREFIX):
        return None
    word = cleaned[len(PREFIX):].replace("_", "").replace("-", "").replace("/", "")
    if word == "N/A":
        word = "NA"
    try:
        return Command(word)
    except ValueError:
        return None


def is_command(text: str) -> bool:
    return text.strip().upper().startswith(PREFIX)
