"""QC checklist templates: one TOML file per product category, versioned and bilingual.

Templates are data so that a site can tune its checks without a release. The shipped ones live
in ``station/data/checklists/``; a file with the same ``id`` in ``<config dir>/checklists/``
replaces the shipped one. An inspection records the template's id and version; the first time a
version is used its content is archived in ``<data dir>/checklists/`` so the inspection can be
re-graded and explained with exactly what the inspector saw, whatever happens to the file later.
A file that changes an archived version without bumping ``version`` is refused (that is the one
edit that would silently rewrite past results).

A bad file never takes the station down: it is refused with the file, line and reason, and the
last good version of that template stays in use.
"""

from __future__ import annotations

import enum
import hashlib
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from station.core import paths
from station.core.datafiles import TomlDoc, bilingual, check_fields, config_error, read_toml, require_fields
from station.core.errors import ConfigError, NotFound
from station.core.paths import SHIPPED_CHECKLISTS
from station.models import Grade
from station.receiving.flags import FlagCode

log = logging.getLogger(__name__)

SHIPPED_DIR = SHIPPED_CHECKLISTS
FALLBACK_CATEGORY = "general"
"""Units whose category has no template (or no product at all) get the general checklist."""


class ItemKind(enum.StrEnum):
    PASS_FAIL = "pass_fail"
    CHOICE = "choice"
    NUMBER = "number"
    TEXT = "text"
    LOT = "lot"
    """The production lot, typed or scanned from the item's GS1 code; stored on the unit (issue 26)."""


class Severity(enum.StrEnum):
    CRITICAL = "critical"
    MAJOR = "major"
    MINOR = "minor"


class ItemFlag(enum.StrEnum):
    """The flags a failed item may raise (see ``station.inspection.flags``): the few of
    ``FlagCode`` that an inspector's answer can show, under the same codes."""

    WRONG_ITEM = FlagCode.WRONG_ITEM.value
    SERIAL_MISMATCH = FlagCode.SERIAL_MISMATCH.value
    MISSING_PARTS = FlagCode.MISSING_PARTS.value


@dataclass(frozen=True)
class Choice:
    id: str
    en: str
    zh: str
    fail: bool = False
    severity: Severity | None = None
    """A failing choice may weigh more or less than its item (light wear vs. a crack)."""


@dataclass(frozen=True)
class Condition:
    """Ask this item only if ``item`` was answered with one of ``answers``."""

    item: str
    answers: tuple[str, ...]


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    en: str
    zh: str
    kind: ItemKind
    severity: Severity
    photo_on_fail: bool = False
    required: bool = True
    na_allowed: bool = False
    choices: tuple[Choice, ...] = ()
    unit: str = ""
    expected: Decimal | None = None
    tolerance: Decimal | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    ask_if: Condition | None = None
    flag: ItemFlag | None = None
    wear_sign: bool = False
    """A failure here is a sign the item was used (feeds the used-and-returned flag)."""

    def choice(self, choice_id: str) -> Choice | None:
        return next((c for c in self.choices if c.id == choice_id), None)


@dataclass(frozen=True)
class GradeRule:
    """``grade`` if at least ``when[severity]`` items of each listed severity failed."""

    grade: Grade
    when: Mapping[Severity, int]
    en: str
    zh: str

    @property
    def is_fallback(self) -> bool:
        return not self.when

    def matches(self, counts: Mapping[Severity, int]) -> bool:
        return all(counts.get(sev, 0) >= n for sev, n in self.when.items())

    def describe(self) -> str:
        if not self.when:
            return "otherwise"
        parts = [f"{n} {sev.value}" for sev, n in self.when.items()]
        return "at least " + " and ".join(parts) + " failed"


@dataclass(frozen=True)
class Checklist:
    id: str
    category: str
    version: int
    title_en: str
    title_zh: str
    items: tuple[ChecklistItem, ...]
    grade_rules: tuple[GradeRule, ...]
    source: str = ""
    fingerprint: str = field(default="", compare=False)
    """SHA-256 of the parsed content: two files that say the same thing have the same one."""
    text: str = field(default="", compare=False, repr=False)
    """The file as written, archived verbatim when this version is first used."""

    def item(self, item_id: str) -> ChecklistItem:
        for item in self.items:
            if item.id == item_id:
                return item
        raise NotFound(f"Checklist {self.id} v{self.version} has no question {item_id!r}.")

    def has_item(self, item_id: str) -> bool:
        return any(item.id == item_id for item in self.items)


# ----------------------------------------------------------------------------- parsing

_TOP = {"id", "category", "version", "title_en", "title_zh", "grade", "item"}
_ITEM = {"id", "en", "zh", "kind", "severity", "photo_on_fail", "required", "na_allowed", "choices",
         "unit", "expected", "tolerance", "min", "max", "ask_if", "flag", "wear_sign"}
_CHOICE = {"id", "en", "zh", "fail", "severity"}
_GRADE = {"grade", "when", "en", "zh"}


def parse_checklist(doc: TomlDoc) -> Checklist:
    """Build a checklist from a parsed file, refusing anything that would grade wrongly."""
    data = doc.data
    check_fields(doc, data, _TOP, "a checklist (top level)")
    require_fields(doc, data, ("id", "category", "version", "title_en", "title_zh", "grade", "item"),
                   "The checklist")
    checklist_id = _ident(doc, data["id"], "id")
    version = data["version"]
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise doc.error("'version' must be a whole number from 1 up.", doc.line_of_key("version"))
    if not isinstance(data["item"], list) or not isinstance(data["grade"], list):
        raise doc.error("'item' and 'grade' must be lists of tables ([[item]], [[grade]]).")
    items: list[ChecklistItem] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(data["item"]):
        item = _parse_item(doc, raw, index, seen)
        seen[item.id] = index
        items.append(item)
    if not 1 <= len(items) <= 40:
        raise doc.error(f"a checklist has 1 to 40 questions, this one has {len(items)}.")
    rules = tuple(_parse_grade(doc, raw, index) for index, raw in enumerate(data["grade"]))
    _check_grade_table(doc, rules, items)
    content = {k: v for k, v in data.items()}
    fingerprint = hashlib.sha256(
        json.dumps(content, sort_keys=True, ensure_ascii=False, default=str).encode()
    ).hexdigest()
    return Checklist(
        id=checklist_id, category=_ident(doc, data["category"], "category"), version=version,
        title_en=str(data["title_en"]), title_zh=str(data["title_zh"]), items=tuple(items),
        grade_rules=rules, source=str(doc.path), fingerprint=fingerprint, text=doc.text,
    )


def _ident(doc: TomlDoc, value: Any, key: str, *, table: str | None = None, index: int = 0) -> str:
    if not isinstance(value, str) or not value or not value.replace("_", "").isalnum() \
            or not value.isascii() or len(value) > 64:
        raise doc.error(f"{key} {value!r} must be 1-64 letters, digits or underscores.",
                        doc.line_of_key(key, table=table, index=index))
    return value


def _decimal(doc: TomlDoc, raw: Any, key: str, index: int) -> Decimal | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise doc.error(f"{key} must be a number.", doc.line_of_key(key, table="item", index=index))
    try:
        return Decimal(str(raw))
    except InvalidOperation as exc:
        raise doc.error(f"{key} {raw!r} is not a number.",
                        doc.line_of_key(key, table="item", index=index)) from exc


def _enum(doc: TomlDoc, cls: type[enum.StrEnum], raw: Any, key: str, table: str, index: int) -> Any:
    try:
        return cls(raw)
    except ValueError as exc:
        allowed = ", ".join(m.value for m in cls)
        raise doc.error(f"{key} {raw!r} is not one of: {allowed}.",
                        doc.line_of_key(key, table=table, index=index)) from exc


def _flag(doc: TomlDoc, raw: Any, key: str, index: int, default: bool = False) -> bool:
    if raw is None:
        return default
    if not isinstance(raw, bool):
        raise doc.error(f"{key} must be true or false.", doc.line_of_key(key, table="item", index=index))
    return raw


def _parse_item(doc: TomlDoc, raw: Any, index: int, seen: Mapping[str, int]) -> ChecklistItem:
    where = f"question {index + 1}"
    if not isinstance(raw, dict):
        raise doc.error(f"{where} must be a table ([[item]]).", doc.line_of_table("item", index))
    check_fields(doc, raw, _ITEM, where, table="item", index=index)
    require_fields(doc, raw, ("id", "kind", "severity"), where.capitalize(), table="item", index=index)
    item_id = _ident(doc, raw["id"], "id", table="item", index=index)
    where = f"question {item_id!r}"
    if item_id in seen:
        raise doc.error(f"duplicate question id {item_id!r} (question {seen[item_id] + 1} has it too).",
                        doc.line_of_key("id", table="item", index=index))
    en, zh = bilingual(doc, raw, where, table="item", index=index)
    kind = _enum(doc, ItemKind, raw["kind"], "kind", "item", index)
    severity = _enum(doc, Severity, raw["severity"], "severity", "item", index)
    choices = _parse_choices(doc, raw.get("choices"), kind, where, index)
    expected = _decimal(doc, raw.get("expected"), "expected", index)
    tolerance = _decimal(doc, raw.get("tolerance"), "tolerance", index)
    minimum = _decimal(doc, raw.get("min"), "min", index)
    maximum = _decimal(doc, raw.get("max"), "max", index)
    line = doc.line_of_table("item", index)
    if kind == ItemKind.NUMBER:
        if expected is None or tolerance is None or not raw.get("unit"):
            raise doc.error(f"{where} is a number: it needs 'unit', 'expected' and 'tolerance'.", line)
        if tolerance < 0:
            raise doc.error(f"{where}: tolerance cannot be negative.", line)
        if minimum is not None and maximum is not None and minimum > maximum:
            raise doc.error(f"{where}: min is above max.", line)
    elif any(v is not None for v in (expected, tolerance, minimum, maximum)) or "unit" in raw:
        raise doc.error(f"{where}: unit/expected/tolerance/min/max only apply to number questions.", line)
    condition = _parse_condition(doc, raw.get("ask_if"), where, index, seen)
    flag = _enum(doc, ItemFlag, raw["flag"], "flag", "item", index) if "flag" in raw else None
    if kind in (ItemKind.TEXT, ItemKind.LOT) and (flag or raw.get("photo_on_fail") or raw.get("wear_sign")):
        raise doc.error(f"{where} is a {kind.value} question: it cannot fail, so flag, photo_on_fail and "
                        "wear_sign make no sense on it.", line)
    if kind == ItemKind.LOT:
        _check_lot_item(doc, raw, where, index)
    return ChecklistItem(
        id=item_id, en=en, zh=zh, kind=kind, severity=severity,
        photo_on_fail=_flag(doc, raw.get("photo_on_fail"), "photo_on_fail", index),
        required=_flag(doc, raw.get("required"), "required", index, default=kind != ItemKind.LOT),
        na_allowed=_flag(doc, raw.get("na_allowed"), "na_allowed", index),
        choices=choices, unit=str(raw.get("unit", "")), expected=expected, tolerance=tolerance,
        minimum=minimum, maximum=maximum, ask_if=condition, flag=flag,
        wear_sign=_flag(doc, raw.get("wear_sign"), "wear_sign", index),
    )


def _check_lot_item(doc: TomlDoc, raw: Mapping[str, Any], where: str, index: int) -> None:
    """A lot question is optional (many packs print no lot) and asked once per checklist."""
    if raw.get("required", False) is not False or raw.get("na_allowed", False) is not False:
        raise doc.error(f"{where} is a lot question: it is always optional (Enter alone skips it), so "
                        "write no 'required' or 'na_allowed' on it.",
                        doc.line_of_key("required" if "required" in raw else "na_allowed", table="item", index=index))
    earlier = next((i for i, entry in enumerate(doc.data["item"][:index])
                    if isinstance(entry, dict) and entry.get("kind") == ItemKind.LOT.value), None)
    if earlier is not None:
        raise doc.error(f"{where}: question {earlier + 1} already asks for the lot; a unit has one lot.",
                        doc.line_of_table("item", index))


def _parse_choices(doc: TomlDoc, raw: Any, kind: ItemKind, where: str, index: int) -> tuple[Choice, ...]:
    line = doc.line_of_key("choices", table="item", index=index)
    if kind != ItemKind.CHOICE:
        if raw is not None:
            raise doc.error(f"{where}: only choice questions have 'choices'.", line)
        return ()
    if not isinstance(raw, list) or not 2 <= len(raw) <= 9:
        raise doc.error(f"{where} is a choice question: it needs 2 to 9 choices "
                        "(one number key each).", line or doc.line_of_table("item", index))
    choices: list[Choice] = []
    for n, entry in enumerate(raw, start=1):
        if not isinstance(entry, dict):
            raise doc.error(f"{where}: choice {n} must be a table {{ id = ..., en = ..., zh = ... }}.", line)
        check_fields(doc, entry, _CHOICE, f"{where} choice {n}", table="item", index=index)
        if "id" not in entry:
            raise doc.error(f"{where}: choice {n} has no id.", line)
        cid = _ident(doc, entry["id"], "id", table="item", index=index)
        if any(c.id == cid for c in choices):
            raise doc.error(f"{where}: duplicate choice id {cid!r}.", line)
        en, zh = bilingual(doc, entry, f"{where} choice {cid!r}", table="item", index=index)
        fail = entry.get("fail", False)
        if not isinstance(fail, bool):
            raise doc.error(f"{where} choice {cid!r}: fail must be true or false.", line)
        severity = _enum(doc, Severity, entry["severity"], "severity", "item", index) \
            if "severity" in entry else None
        if severity is not None and not fail:
            raise doc.error(f"{where} choice {cid!r}: a severity only applies to a failing choice.", line)
        choices.append(Choice(cid, en, zh, fail, severity))
    if all(c.fail for c in choices):
        raise doc.error(f"{where}: at least one choice must pass.", line)
    return tuple(choices)


def _parse_condition(
    doc: TomlDoc, raw: Any, where: str, index: int, seen: Mapping[str, int]
) -> Condition | None:
    if raw is None:
        return None
    line = doc.line_of_key("ask_if", table="item", index=index)
    if not isinstance(raw, dict) or set(raw) != {"item", "answer"}:
        raise doc.error(f"{where}: ask_if is {{ item = \"<earlier question id>\", answer = [...] }}.", line)
    target = raw["item"]
    if target not in seen:
        raise doc.error(
            f"{where} is asked only after question {target!r}, but no earlier question has that id "
            "(conditions may only look back).", line)
    answers = raw["answer"]
    if isinstance(answers, str):
        answers = [answers]
    if not isinstance(answers, list) or not answers or not all(isinstance(a, str) for a in answers):
        raise doc.error(f"{where}: ask_if answer must be a list of answers.", line)
    target_item = doc.data["item"][seen[target]]
    valid = _possible_answers(target_item)
    if valid is not None:
        unknown = [a for a in answers if a not in valid]
        if unknown:
            raise doc.error(f"{where}: question {target!r} can never be answered {unknown[0]!r} "
                            f"(possible: {', '.join(sorted(valid))}).", line)
    return Condition(target, tuple(answers))


def _possible_answers(raw_item: Mapping[str, Any]) -> set[str] | None:
    kind = raw_item.get("kind")
    if kind == ItemKind.PASS_FAIL:
        return {"pass", "fail", "na"} if raw_item.get("na_allowed") else {"pass", "fail"}
    if kind == ItemKind.CHOICE:
        return {c["id"] for c in raw_item.get("choices", []) if isinstance(c, dict) and "id" in c}
    if kind == ItemKind.NUMBER:
        return {"pass", "fail"}  # a number condition looks at whether it was in tolerance
    return None


def _parse_grade(doc: TomlDoc, raw: Any, index: int) -> GradeRule:
    where = f"grade rule {index + 1}"
    if not isinstance(raw, dict):
        raise doc.error(f"{where} must be a table ([[grade]]).", doc.line_of_table("grade", index))
    check_fields(doc, raw, _GRADE, where, table="grade", index=index)
    require_fields(doc, raw, ("grade",), where.capitalize(), table="grade", index=index)
    grade = _enum(doc, Grade, raw["grade"], "grade", "grade", index)
    when_raw = raw.get("when", {})
    line = doc.line_of_key("when", table="grade", index=index)
    if not isinstance(when_raw, dict):
        raise doc.error(f"{where}: when is {{ critical = 1 }} (at least that many failures).", line)
    when: dict[Severity, int] = {}
    for key, count in when_raw.items():
        severity = _enum(doc, Severity, key, "when", "grade", index)
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            raise doc.error(f"{where}: when.{key} must be a count from 1 up.", line)
        when[severity] = count
    en, zh = bilingual(doc, raw, where, table="grade", index=index)
    return GradeRule(grade, when, en, zh)


def _can_fail_as(items: list[ChecklistItem], severity: Severity) -> int:
    count = 0
    for item in items:
        if item.kind in (ItemKind.PASS_FAIL, ItemKind.NUMBER) and item.severity == severity:
            count += 1
        elif item.kind == ItemKind.CHOICE and any(
                c.fail and (c.severity or item.severity) == severity for c in item.choices):
            count += 1
    return count


def _check_grade_table(doc: TomlDoc, rules: tuple[GradeRule, ...], items: list[ChecklistItem]) -> None:
    """First match wins, so the table needs exactly one rule with no condition, at the end,
    and every other rule must be reachable: enough questions to fail, not shadowed."""
    if not rules:
        raise doc.error("the grade table ([[grade]]) is empty.")
    for index, rule in enumerate(rules):
        line = doc.line_of_table("grade", index)
        for severity, needed in rule.when.items():
            available = _can_fail_as(items, severity)
            if needed > available:
                raise doc.error(
                    f"grade rule {index + 1} needs {needed} {severity.value} failures but only "
                    f"{available} question(s) can fail as {severity.value}: it can never apply.", line)
        for earlier_index, earlier in enumerate(rules[:index]):
            if not rule.is_fallback and all(rule.when.get(sev, 0) >= n for sev, n in earlier.when.items()):
                raise doc.error(
                    f"grade rule {index + 1} can never apply: rule {earlier_index + 1} before it "
                    "matches every unit it would.", line)
    for index, rule in enumerate(rules):
        if rule.is_fallback and index != len(rules) - 1:
            raise doc.error(
                f"grade rule {index + 1} has no 'when', so the rules after it can never apply.",
                doc.line_of_table("grade", index))
    if not rules[-1].is_fallback:
        raise doc.error("the last grade rule must have no 'when': it is the grade when nothing "
                        "else matched (usually A).", doc.line_of_table("grade", len(rules) - 1))


def read_checklist(path: Path) -> Checklist:
    """Parse one template file; raise ``ConfigError`` naming the file and line on any problem."""
    return parse_checklist(read_toml(path))


# ----------------------------------------------------------------------------- the library


class ChecklistLibrary:
    """The templates in use on this station, plus every archived version inspections used.

    ``reload()`` re-reads the files; a file that fails keeps the version it had before (or the
    shipped one), and the failure is listed in ``problems`` for the settings screen and logs.
    """

    def __init__(
        self,
        shipped_dir: Path = SHIPPED_DIR,
        override_dir: Path | None = None,
        archive_dir: Path | None = None,
    ) -> None:
        self.shipped_dir = shipped_dir
        self.override_dir = override_dir if override_dir is not None else paths.config_dir() / "checklists"
        self.archive_dir = archive_dir if archive_dir is not None else paths.data_dir() / "checklists"
        self._current: dict[str, Checklist] = {}
        self._last_good: dict[Path, Checklist] = {}
        self.problems: tuple[ConfigError, ...] = ()
        self.reload()

    def reload(self) -> tuple[ConfigError, ...]:
        problems: list[ConfigError] = []
        current: dict[str, Checklist] = {}
        for directory in (self.shipped_dir, self.override_dir):
            in_this_dir: dict[str, Path] = {}
            files = sorted(directory.glob("*.toml")) if directory.is_dir() else []
            for path in files:
                checklist = self._load_file(path, problems)
                if checklist is None:
                    continue
                if checklist.id in in_this_dir:
                    problems.append(config_error(
                        path, f"checklist id {checklist.id!r} is already used by "
                        f"{in_this_dir[checklist.id].name} in the same folder."))
                    continue
                clash = next((c for c in current.values()
                              if c.category == checklist.category and c.id != checklist.id), None)
                if clash is not None:
                    problems.append(config_error(
                        path, f"category {checklist.category!r} already has checklist {clash.id!r} "
                        f"({clash.source}); one template per category."))
                    continue
                in_this_dir[checklist.id] = path
                current[checklist.id] = checklist
        for problem in problems:
            log.warning("Checklist refused: %s", problem)
        self._current = current
        self.problems = tuple(problems)
        return self.problems

    def _load_file(self, path: Path, problems: list[ConfigError]) -> Checklist | None:
        try:
            checklist = read_checklist(path)
            self._check_against_archive(checklist)
        except ConfigError as exc:
            problems.append(exc)
            return self._last_good.get(path)
        self._last_good[path] = checklist
        return checklist

    def _archive_path(self, checklist_id: str, version: int) -> Path:
        return self.archive_dir / checklist_id / f"v{version}.toml"

    def _check_against_archive(self, checklist: Checklist) -> None:
        archived = self._read_archived(checklist.id, checklist.version)
        if archived is not None and archived.fingerprint != checklist.fingerprint:
            raise config_error(
                checklist.source,
                f"checklist {checklist.id!r} version {checklist.version} was already used for "
                "inspections with different content; changing it in place would rewrite their "
                f"grades. Give the edited template version {checklist.version + 1} or higher.",
                1,
            )

    def _read_archived(self, checklist_id: str, version: int) -> Checklist | None:
        path = self._archive_path(checklist_id, version)
        if not path.is_file():
            return None
        return read_checklist(path)

    # ------------------------------------------------------------------ look-ups

    def all(self) -> tuple[Checklist, ...]:
        return tuple(sorted(self._current.values(), key=lambda c: c.id))

    def for_category(self, category: str | None) -> Checklist:
        """The template for a product category, else the general one."""
        for wanted in (category, FALLBACK_CATEGORY):
            for checklist in self._current.values():
                if checklist.category == wanted:
                    return checklist
        raise ConfigError(
            f"No checklist template for category {category!r} and no general template.",
            next_step="Ask an admin to install the checklist templates.",
        )

    def get(self, checklist_id: str, version: int) -> Checklist:
        """Exactly the version an inspection was started with."""
        current = self._current.get(checklist_id)
        if current is not None and current.version == version:
            return current
        archived = self._read_archived(checklist_id, version)
        if archived is None:
            raise NotFound(
                f"Checklist {checklist_id} version {version} is not on this station.",
                next_step="Sync the station, or ask an admin to restore the template archive.",
            )
        return archived

    def pin(self, checklist: Checklist) -> None:
        """Archive this version (write once) before an inspection starts using it."""
        path = self._archive_path(checklist.id, checklist.version)
        if path.is_file():
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(checklist.text, encoding="utf-8")
        tmp.replace(path)
        log.info("Archived checklist %s v%s", checklist.id, checklist.version)
