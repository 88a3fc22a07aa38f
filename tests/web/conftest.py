"""Every API response a web test receives is held to the OpenAPI document
(``tests.helpers.openapi_check``): an undocumented status or body fails the test."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.helpers.openapi_check import OpenApiCheck, installer


@pytest.fixture(autouse=True)
def openapi_checked(monkeypatch: pytest.MonkeyPatch) -> Callable[[], list[OpenApiCheck]]:
    """The checks made so far in this test (one per app or server that answered)."""
    return installer(monkeypatch)
