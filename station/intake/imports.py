"""``orders import`` / ``rmas import``: CSV with a header, or JSON lines, the API's fields.

Every line is parsed and checked first; if any line has a problem, all problems are reported
with their line numbers and nothing is written. Otherwise the whole file is written in one
transaction. Orders are idempotent by number and requests by an idempotency key derived from
the file's line content (``import:<sha256>``), so a re-run changes nothing.

CSV columns, one row per order line (rows of one order share ``order_number``):
orders: order_number, placed_at, delivered_at, currency, customer_ref, customer_name,
customer_email, customer_phone, customer_language, sku, quantity, unit_price, serials
(separated by ``|``), flagged; rmas: order_number, resolution, sku, quantity, reason, comment,
request_ref (rows with the same order_number and request_ref make one request).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from station.core.errors import InvalidInput, StationError
from station.intake.inputs import RequestInput, parse_order, parse_request
from station.intake.service import IntakeService

MAX_PROBLEMS_SHOWN = 50


@dataclass(frozen=True)
class ImportResult:
    read: int
    created: int
    updated: int
    unchanged: int


class ImportProblems(InvalidInput):
    """Lines of an import file that cannot be used; nothing was imported."""

    def __init__(self, path: Path, problems: list[tuple[int, str]]) -> None:
        shown = "\n".join(f"  line {n}: {text}" for n, text in problems[:MAX_PROBLEMS_SHOWN])
        more = f"\n  ... and {len(problems) - MAX_PROBLEMS_SHOWN} more" if len(problems) > MAX_PROBLEMS_SHOWN else ""
        super().__init__(f"{path.name}: {len(problems)} problem(s), nothing imported:\n{shown}{more}")
        self.problems = problems


def _read_documents(path: Path, group: Callable[[list[tuple[int, dict[str, str]]]], list[tuple[int, Any]]]
                    ) -> list[tuple[int, Any]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot be read ({exc.strerror}).") from exc
    stripped = text.lstrip()
    if stripped.startswith("{"):
        docs: list[tuple[int, Any]] = []
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                docs.append((n, json.loads(line)))
            except json.JSONDecodeError as exc:
                docs.append((n, ValueError(f"not valid JSON ({exc.msg})")))
        return docs
    reader = csv.DictReader(io.StringIO(text))
    rows = [(n, row) for n, row in enumerate(reader, 2)]
    return group(rows)


def _group(rows: list[tuple[int, dict[str, str]]], key: Callable[[dict[str, str]], tuple[str, ...]],
           build: Callable[[list[dict[str, str]]], dict[str, Any]]) -> list[tuple[int, Any]]:
    groups: dict[tuple[str, ...], list[tuple[int, dict[str, str]]]] = {}
    for n, row in rows:
        groups.setdefault(key(row), []).append((n, row))
    return [(members[0][0], build([r for _, r in members])) for members in groups.values()]


def _order_doc(rows: list[dict[str, str]]) -> dict[str, Any]:
    head = rows[0]
    return {
        "order_number": head.get("order_number"), "placed_at": head.get("placed_at"),
        "delivered_at": head.get("delivered_at") or None, "currency": head.get("currency"),
        "flagged": (head.get("flagged") or "").strip().lower() in ("1", "true", "yes"),
        "customer": {"ref": head.get("customer_ref"), "name": head.get("customer_name"),
                     "email": head.get("customer_email") or "", "phone": head.get("customer_phone") or "",
                     "language": head.get("customer_language") or "en"},
        "lines": [{"sku": r.get("sku"), "quantity": r.get("quantity"), "unit_price": r.get("unit_price"),
                   "serials": [s for s in (r.get("serials") or "").split("|") if s]} for r in rows],
    }


def _request_doc(rows: list[dict[str, str]]) -> dict[str, Any]:
    head = rows[0]
    return {"order_number": head.get("order_number"), "resolution": head.get("resolution"),
            "lines": [{"sku": r.get("sku"), "quantity": r.get("quantity"), "reason": r.get("reason"),
                       "comment": r.get("comment") or ""} for r in rows]}


def import_orders(service: IntakeService, path: Path, *, by: str = "import") -> ImportResult:
    docs = _read_documents(path, lambda rows: _group(rows, lambda r: (r.get("order_number") or "",),
                                                     _order_doc))
    parsed, problems = [], []
    for n, doc in docs:
        try:
            if isinstance(doc, Exception):
                raise InvalidInput(str(doc))
            parsed.append((n, parse_order(doc)))
        except InvalidInput as exc:
            problems.append((n, str(exc)))
    seen: dict[str, int] = {}
    for n, order in parsed:
        if order.order_number in seen:
            problems.append((n, f"order {order.order_number} already on line {seen[order.order_number]}"))
        seen[order.order_number] = n
    if problems:
        raise ImportProblems(path, sorted(problems))
    try:
        outcomes = service.submit_orders(parsed, by=by)
    except StationError as exc:
        raise InvalidInput(f"{path.name}: {exc} Nothing was imported.") from exc
    return _result(len(parsed), [o.status for o in outcomes])


def import_requests(service: IntakeService, path: Path, *, by: str = "import") -> ImportResult:
    """Decide every request of the file by the policy, in one transaction (the batch path)."""
    parsed = read_requests(path)
    try:
        views = service.request_returns_bulk(parsed, by=by)
    except StationError as exc:
        raise InvalidInput(f"{path.name}: {exc} Nothing was imported.") from exc
    return _result(len(parsed), ["unchanged" if v.replayed else "created" for v in views])


def read_requests(path: Path) -> list[tuple[int, RequestInput, str]]:
    """The file's requests with their line numbers and idempotency keys; ``ImportProblems``
    naming every bad line."""
    docs = _read_documents(path, lambda rows: _group(
        rows, lambda r: (r.get("order_number") or "", r.get("request_ref") or ""), _request_doc))
    parsed: list[tuple[int, RequestInput, str]] = []
    problems: list[tuple[int, str]] = []
    for n, doc in docs:
        try:
            if isinstance(doc, Exception):
                raise InvalidInput(str(doc))
            request = parse_request(doc)
            key = "import:" + hashlib.sha256(json.dumps(doc, sort_keys=True, default=str).encode()).hexdigest()[:40]
            parsed.append((n, request, key))
        except InvalidInput as exc:
            problems.append((n, str(exc)))
    if problems:
        raise ImportProblems(path, sorted(problems))
    return parsed


def _result(read: int, statuses: list[str]) -> ImportResult:
    return ImportResult(read, statuses.count("created"), statuses.count("updated"), statuses.count("unchanged"))
