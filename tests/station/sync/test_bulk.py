"""COPY data built ahead (``copy_text``, in the push's read-ahead thread) lands the same rows
as psycopg's own ``write_row`` at COPY time."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest

from station.sync.bulk import copy_rows, copy_text

pytestmark = pytest.mark.postgres

ROWS = [
    (uuid.uuid4(), "tab\there, new\nline, back\\slash, 中文", None, 7, True,
     dt.datetime(2026, 11, 20, 9, 0, 1, 123456, tzinfo=dt.UTC), Decimal("99.50"), b"", '{"a":[1,"\\u00e9"]}',
     dt.date(2026, 11, 20), "2026-11-20T09:00:00+08:00"),
    (uuid.uuid4(), "", "", -1, False, None, None, None, None, None, None),
]
COLUMNS = ("id", "t", "n", "i", "b", "ts", "d", "bin", "j", "day", "tstext")


def test_prepared_copy_text_lands_the_same_rows_as_write_row(central):
    assert copy_text(ROWS) is not None
    with central.begin() as conn:
        for name in ("by_row", "by_text"):
            conn.exec_driver_sql(
                f"CREATE TEMP TABLE {name} (id uuid, t text, n varchar(10), i integer, b boolean, ts timestamptz, "
                "d numeric(12, 2), bin bytea, j json, day date, tstext timestamptz) ON COMMIT DROP")
        copy_rows(conn, "by_row", COLUMNS, ROWS)
        copy_rows(conn, "by_text", COLUMNS, iter(()), copy_text(ROWS))
        by_row = conn.exec_driver_sql("SELECT *, j::text FROM by_row ORDER BY i").all()
        by_text = conn.exec_driver_sql("SELECT *, j::text FROM by_text ORDER BY i").all()
    assert by_text == by_row
    assert by_text[1][1] == "tab\there, new\nline, back\\slash, 中文"
