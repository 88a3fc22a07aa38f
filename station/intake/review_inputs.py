"""The body of an order system's review call (approve, refuse, cancel), checked field by field.

Approve takes an optional ``note`` for the audit; refuse needs a ``reason`` the customer
reads (``reason_zh`` too when the customer reads Chinese, which ``IntakeService.refuse``
checks, knowing the customer); cancel takes an optional ``reason``. A field this call does not
know is refused by name, so a misspelt ``reson`` is not silently a refusal without words.
"""

from __future__ import annotations

from typing import Any

from station.intake.errors import FieldErrors

MAX_TEXT = 500
FIELDS: dict[str, dict[str, bool]] = {  # action -> field -> required
    "approve": {"note": False},
    "refuse": {"reason": True, "reason_zh": False},
    "cancel": {"reason": False},
}


def parse_review(data: Any, action: str) -> dict[str, str]:
    """The call's fields as stripped text ("" when absent); ``FieldErrors`` naming every bad one."""
    known = FIELDS[action]
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise FieldErrors(f"The {action} body must be a JSON object.", (("", "the body must be a JSON object"),))
    problems: list[tuple[str, str]] = []
    out: dict[str, str] = {}
    for name in sorted(set(data) - set(known)):
        problems.append((name, f"{name} is not a field of {action} (it takes {', '.join(known)})"))
    for name, required in known.items():
        value = data.get(name)
        if value is None or value == "":
            if required:
                problems.append((name, f"{name} is missing: say why, in words the customer reads"))
            out[name] = ""
        elif not isinstance(value, str):
            problems.append((name, f"{name} must be text"))
        elif len(value.strip()) > MAX_TEXT:
            problems.append((name, f"{name} is longer than {MAX_TEXT} characters"))
        else:
            out[name] = value.strip()
            if required and not out[name]:
                problems.append((name, f"{name} is missing: say why, in words the customer reads"))
    if problems:
        raise FieldErrors(f"The {action} call cannot be made: " + "; ".join(t for _, t in problems) + ".",
                          tuple(problems))
    return out
