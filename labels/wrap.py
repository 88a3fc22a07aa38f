"""Fitting a text into a box: shrink, wrap (at spaces, or between Chinese characters), and
as a last resort ellipsise; identifiers are never ellipsised, they raise instead."""

from __future__ import annotations

import logging
import re

from labels.errors import LabelError
from labels.fonts import text_width

log = logging.getLogger(__name__)

ELLIPSIS = "…"
# A token is a run of spaces, one wide (CJK) character, or a run of other characters.
_TOKENS = re.compile(r"\s+|[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+")


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy line breaking; a single token wider than the line is broken by characters."""
    lines: list[str] = []
    line = ""
    for token in _TOKENS.findall(text):
        candidate = line + token
        if text_width(candidate.rstrip(), font, size) <= width:
            line = candidate
            continue
        if line.strip():
            lines.append(line.rstrip())
        line = "" if token.isspace() else token
        while text_width(line, font, size) > width and len(line) > 1:
            cut = len(line) - 1
            while cut > 1 and text_width(line[:cut], font, size) > width:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
    if line.strip():
        lines.append(line.rstrip())
    return lines


def ellipsise(text: str, font: str, size: float, width: float) -> str:
    if text_width(text, font, size) <= width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if text_width(text[:mid].rstrip() + ELLIPSIS, font, size) <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + ELLIPSIS


def fit_text(
    text: str, font: str, size: int, min_size: int, width: int, max_lines: int,
    *, ellipsis: bool, field: str,
) -> tuple[list[str], int]:
    """Lines and the size (dots) at which ``text`` fits ``width`` in at most ``max_lines``."""
    if "\n" not in text and text_width(text, font, size) <= width:
        return [text], size  # the common case: one measure, done
    flat = " ".join(text.split())
    for candidate in range(size, min_size - 1, -1):
        lines = wrap(flat, font, candidate, width) if max_lines > 1 else [flat]
        if len(lines) <= max_lines and all(text_width(l, font, candidate) <= width for l in lines):
            return lines, candidate
    if not ellipsis:
        raise LabelError(
            field,
            f"{text!r} ({len(text)} characters) is too long for this label even at the smallest "
            "readable text size.",
            next_step="Shorten it or use a larger label size.",
        )
    lines = wrap(flat, font, min_size, width)
    kept = lines[:max_lines]
    rest = _after(flat, sum(len(l.replace(" ", "")) for l in kept[:-1]))
    kept[-1] = ellipsise(rest, font, min_size, width)
    return kept, min_size


def _after(text: str, visible: int) -> str:
    """``text`` after its first ``visible`` non-space characters (wrapping drops spaces)."""
    for pos, ch in enumerate(text):
        if visible == 0:
            return text[pos:].strip()
        if not ch.isspace():
            visible -= 1
    return ""
