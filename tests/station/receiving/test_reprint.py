"""Reprinting LPN labels at receiving: by LPN (one unit) or by RMA (all its units), audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from station.core.errors import NotFound, PermissionDenied
from station.models import AuditEvent, Role
from station.receiving.reprint import ReprintService
from station.receiving.service import ParcelInput
from tests.helpers.builders import add_operator
from tests.station.receiving.test_service import dock  # noqa: F401 - fixture


def test_clerk_reprints_one_lpn_or_the_whole_rma_and_each_is_audited(dock) -> None:  # noqa: ANN001
    received = dock["service"].receive(dock["clerk"], dock["normal"], ParcelInput())
    service = ReprintService(dock["service"].ctx)
    one = service.reprint(dock["clerk"], received.units[0].lpn.lower())
    assert (one.rma_number, [u.lpn for u in one.units]) == (dock["normal"], [received.units[0].lpn])
    every = service.reprint(dock["clerk"], dock["normal"])
    assert sorted(u.lpn for u in every.units) == sorted(u.lpn for u in received.units)
    with dock["sf"]() as db:
        events = db.scalars(select(AuditEvent).where(AuditEvent.action == "labels.reprinted")).all()
    assert [e.entity_type for e in events] == ["units", "rmas"]


def test_an_rma_not_yet_received_has_nothing_to_reprint_and_others_may_not(dock) -> None:  # noqa: ANN001
    service = ReprintService(dock["service"].ctx)
    with pytest.raises(NotFound, match="has no units received yet"):
        service.reprint(dock["clerk"], dock["cosmetics"])
    with dock["sf"].begin() as db:
        viewer = add_operator(db, Role.INSPECTOR)
    with pytest.raises(PermissionDenied):
        service.reprint(viewer, dock["cosmetics"])
