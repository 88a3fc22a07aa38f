"""``orders import`` / ``rmas import``: CSV with a header, or JSON lines, the API's fields.

Every line is parsed and checked first; if any line has a problem, all problems are reported
with their line numbers and nothing is written. Otherwise the whole file is written in one
transaction. Orders are idempotent by number and requests by an idempotency key derived from
the file's line content (``import:<sha256>``), so a re-run changes nothing.

CSV columns, one row per order line (rows of one order share ``order_number``):
orders: order_number, placed_at, delivered_at, currency, customer_ref, customer_name,
customer_email, customer_phone, customer_language, sku, quantity, unit_price, serials
(separated by ``|``), lot (the production lot shipped on the line, optional), flagged (yes/no, true/false, 1/0, empty: no); the order and customer
columns are the same on every row of an order (or empty after the first). rmas: order_number,
resolution, sku, quantity, reason, comment, request_ref (rows with the same order_number and
request_ref make one request), photos (files beside the CSV, as paths or file: URLs,
separated by ``|``). A problem is reported on the row it is about.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from station.core.errors import InvalidInput, StationError
from station.intake.inputs import RequestInput, parse_order, parse_request
from station.intake.photos import MAX_PHOTO_BYTES, MAX_PHOTOS, check_photo
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
        self.head = f"{path.name}: {len(problems)} problem(s), nothing imported:"
        super().__init__(f"{self.head}\n{shown}{more}")
        self.problems = problems
        self.problem_lines = [f"line {n}: {text}" for n, text in problems[:MAX_PROBLEMS_SHOWN]] + (
            [f"... and {len(problems) - MAX_PROBLEMS_SHOWN} more"] if len(problems) > MAX_PROBLEMS_SHOWN else [])
        """One line each, for a command to print (the CLI escapes what a file's text holds)."""


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


ORDER_FIELDS = ("placed_at", "delivered_at", "currency", "customer_ref", "customer_name", "customer_email",
                "customer_phone", "customer_language", "flagged")
"""The columns that describe the whole order: every row of one order says the same, or
leaves it empty."""
TRUE_WORDS, FALSE_WORDS = ("1", "true", "yes", "y"), ("", "0", "false", "no", "n")
_LINE_INDEX = re.compile(r"lines\[(\d+)\]\.?")


@dataclass
class Group:
    """One order (or request) of a CSV file: its rows' line numbers, and what is wrong with
    the rows themselves (a row that contradicts the first, a word that is not a yes or no)."""

    lines: list[int]
    doc: dict[str, Any]
    problems: list[tuple[int, str]]
    photos: list[tuple[int, str]] = field(default_factory=list)
    """A request's ``photos`` column: (line, file beside the CSV) for each picture named."""


def _group(rows: list[tuple[int, dict[str, str]]], key: Callable[[dict[str, str]], tuple[str, ...]],
           build: Callable[[list[tuple[int, dict[str, str]]]], Group]) -> list[tuple[int, Any]]:
    groups: dict[tuple[str, ...], list[tuple[int, dict[str, str]]]] = {}
    for n, row in rows:
        groups.setdefault(key(row), []).append((n, row))
    return [(members[0][0], build(members)) for members in groups.values()]


def _flag(n: int, value: str | None, problems: list[tuple[int, str]]) -> bool:
    word = (value or "").strip().lower()
    if word not in TRUE_WORDS + FALSE_WORDS:
        problems.append((n, f"flagged must be yes or no (true/false, 1/0), not {value!r}"))
    return word in TRUE_WORDS


def _order_doc(members: list[tuple[int, dict[str, str]]]) -> Group:
    first, head = members[0]
    problems: list[tuple[int, str]] = []
    number = head.get("order_number")
    for n, row in members[1:]:
        # A later row may leave an order column empty (it is the first row's); it may not differ.
        differs = [f for f in ORDER_FIELDS
                   if (row.get(f) or "").strip() and (row.get(f) or "").strip() != (head.get(f) or "").strip()]
        if differs:
            said = ", ".join(f"{f} {row.get(f)!r} (line {first}: {head.get(f)!r})" for f in differs)
            problems.append((n, f"order {number} is described differently than on line {first}: {said}; "
                                "every row of one order must give the same order and customer"))
    doc = {
        "order_number": number, "placed_at": head.get("placed_at"),
        "delivered_at": head.get("delivered_at") or None, "currency": head.get("currency"),
        "flagged": _flag(first, head.get("flagged"), problems),
        "customer": {"ref": head.get("customer_ref"), "name": head.get("customer_name"),
                     "email": head.get("customer_email") or "", "phone": head.get("customer_phone") or "",
                     "language": head.get("customer_language") or "en"},
        "lines": [{"sku": r.get("sku"), "quantity": r.get("quantity"), "unit_price": r.get("unit_price"),
                   "serials": [s for s in (r.get("serials") or "").split("|") if s],
                   "lot": r.get("lot") or ""} for _, r in members],
    }
    return Group([n for n, _ in members], doc, problems)


def _request_doc(members: list[tuple[int, dict[str, str]]]) -> Group:
    first, head = members[0]
    problems: list[tuple[int, str]] = []
    for n, row in members[1:]:
        if (row.get("resolution") or "").strip() != (head.get("resolution") or "").strip():
            problems.append((n, f"resolution {row.get('resolution')!r} differs from line {first} "
                                f"({head.get('resolution')!r}); one request asks for one resolution"))
    doc = {"order_number": head.get("order_number"), "resolution": head.get("resolution"),
           "lines": [{"sku": r.get("sku"), "quantity": r.get("quantity"), "reason": r.get("reason"),
                      "comment": r.get("comment") or ""} for _, r in members]}
    photos = [(n, ref.strip()) for n, r in members for ref in (r.get("photos") or "").split("|") if ref.strip()]
    return Group([n for n, _ in members], doc, problems, photos)


def _photo_file(folder: Path, ref: str) -> bytes:
    """A picture named in the ``photos`` column: a path relative to the CSV's folder or a
    ``file:`` URL inside it. Web addresses are refused: an import never fetches from the network."""
    if ref.lower().startswith(("http:", "https:", "ftp:")):
        raise InvalidInput(f"photo {ref}: only files beside the CSV are read (a path or a file: URL), "
                           "not web addresses; download it next to the file first")
    name = unquote(urlparse(ref).path) if ref.lower().startswith("file:") else ref
    target = (folder / name).resolve()
    if not target.is_relative_to(folder.resolve()):
        raise InvalidInput(f"photo {ref} is outside the CSV's folder {folder}")
    try:
        if target.stat().st_size > MAX_PHOTO_BYTES:
            raise InvalidInput(f"photo {ref} is larger than {MAX_PHOTO_BYTES // (1024 * 1024)} MB")
        data = target.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"photo {ref} cannot be read ({exc.strerror})") from None
    check_photo(data, f"photo {ref}")
    return data


def _photos(folder: Path, read: Any, problems: list[tuple[int, str]]) -> tuple[bytes, ...] | None:
    """The request's pictures from its ``photos`` column (``None``: the document's own, base64)."""
    if not isinstance(read, Group) or not read.photos:
        return None
    if len(read.photos) > MAX_PHOTOS:
        problems.append((read.photos[MAX_PHOTOS][0], f"at most {MAX_PHOTOS} photos per request"))
        return None
    found = []
    for n, ref in read.photos:
        try:
            found.append(_photo_file(folder, ref))
        except InvalidInput as exc:
            problems.append((n, str(exc)))
    return tuple(found)


def _parse_problems(n: int, document: Any, exc: InvalidInput) -> tuple[int, str]:
    """The problem on the row it is about: ``lines[2].quantity`` of a CSV order is the line
    of its second row (JSON lines have one line per document)."""
    text = str(exc)
    found = _LINE_INDEX.search(text)
    if isinstance(document, Group) and found and 0 < int(found.group(1)) <= len(document.lines):
        return document.lines[int(found.group(1)) - 1], _LINE_INDEX.sub("", text)
    return n, text


def _documents(docs: list[tuple[int, Any]]) -> tuple[list[tuple[int, Any, Any]], list[tuple[int, str]]]:
    """(line, document to parse, what was read) and the rows' own problems."""
    out, problems = [], []
    for n, doc in docs:
        if isinstance(doc, Group):
            problems.extend(doc.problems)
            out.append((n, doc.doc, doc))
        else:
            out.append((n, doc, doc))
    return out, problems


def import_orders(service: IntakeService, path: Path, *, by: str = "import") -> ImportResult:
    docs, problems = _documents(_read_documents(path, lambda rows: _group(
        rows, lambda r: (r.get("order_number") or "",), _order_doc)))
    parsed = []
    for n, doc, read in docs:
        try:
            if isinstance(doc, Exception):
                raise InvalidInput(str(doc))
            parsed.append((n, parse_order(doc)))
        except InvalidInput as exc:
            problems.append(_parse_problems(n, read, exc))
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
    docs, problems = _documents(_read_documents(path, lambda rows: _group(
        rows, lambda r: (r.get("order_number") or "", r.get("request_ref") or ""), _request_doc)))
    parsed: list[tuple[int, RequestInput, str]] = []
    for n, doc, read in docs:
        try:
            if isinstance(doc, Exception):
                raise InvalidInput(str(doc))
            photos = _photos(path.parent, read, problems)
            request = parse_request(doc, photos_decoded=photos)
            key = "import:" + hashlib.sha256(json.dumps(
                {**doc, "photos": [hashlib.sha256(p).hexdigest() for p in photos or ()]} if photos else doc,
                sort_keys=True, default=str).encode()).hexdigest()[:40]
            parsed.append((n, request, key))
        except InvalidInput as exc:
            problems.append(_parse_problems(n, read, exc))
    if problems:
        raise ImportProblems(path, sorted(problems))
    return parsed


def _result(read: int, statuses: list[str]) -> ImportResult:
    return ImportResult(read, statuses.count("created"), statuses.count("updated"), statuses.count("unchanged"))
