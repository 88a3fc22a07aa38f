"""The one error a label renderer raises: which field, and what to do about it.

A label that cannot carry its content is refused, never printed unreadable: the clerk is
told which field is too long or holds characters its barcode cannot encode.
"""

from __future__ import annotations

from station.core.errors import InvalidInput


class LabelError(InvalidInput):
    """Content that cannot be put on this label or sheet; ``field`` names the culprit."""

    code = "label_error"

    def __init__(self, field: str, message: str, *, next_step: str | None = None) -> None:
        super().__init__(f"{field}: {message}", next_step=next_step)
        self.field = field
