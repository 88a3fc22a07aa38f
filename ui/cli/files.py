"""Output files of the commands (labels, sheets, reports, exports): checked before the work.

A command that renders for seconds and then fails on a mistyped folder wastes the work and,
worse, used to end in a traceback; the path is checked first and a failed write is one line.
"""

from __future__ import annotations

import os
from pathlib import Path

from station.core.errors import InvalidInput


def check_output_path(out: Path, option: str = "--out") -> None:
    """Refuse an output path that cannot be a new or replaced file."""
    if out.is_dir():
        raise InvalidInput(f"{option} {out} is a folder; give a file name inside it.")
    if not out.parent.is_dir():
        raise InvalidInput(f"The folder {out.parent} does not exist.",
                           next_step=f"Create it or choose another {option}.")


def write_output(out: Path, data: bytes) -> None:
    """Write ``data`` to ``out``; a full disk or a read-only folder is one ``InvalidInput``."""
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise InvalidInput(f"Cannot write {out} ({exc.strerror or exc}).") from None


def check_output_folder(out: Path, option: str = "--out") -> None:
    """Refuse a folder that cannot be created or written to (checked before any change that
    the files written there go with, such as a shipment and its paperwork)."""
    if out.exists() and not out.is_dir():
        raise InvalidInput(f"{option} {out} is a file; give a folder.")
    existing = next(p for p in (out, *out.parents) if p.exists())
    if not existing.is_dir():
        raise InvalidInput(f"{option} {out}: {existing} is a file, not a folder.")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise InvalidInput(f"{option} {out}: the folder {existing} cannot be written to.",
                           next_step=f"Choose another {option}.")
