"""From checklist answers to one grade, by the template's rule table.

Everything here is a pure function of (checklist, answers), so the same unit gets the same grade
whoever inspects it, and an old inspection re-grades identically with its archived template.
Answers are stored normalised as strings: ``"pass"``/``"fail"``/``"na"`` for pass/fail
questions, the choice id for choices, the decimal text for numbers, the text for text.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from station.core.errors import ConfigError, InvalidInput
from station.inspection.checklists import Checklist, ChecklistItem, GradeRule, ItemKind, Severity
from station.models import Grade

log = logging.getLogger(__name__)

PASS, FAIL, NA = "pass", "fail", "na"
MAX_TEXT = 500
_PASS_WORDS = {"pass", "p", "ok", "yes", "y", "true"}
_FAIL_WORDS = {"fail", "f", "no", "n/ok", "false"}
_NA_WORDS = {"na", "n", "n/a", "not applicable"}
GRADE_ORDER = (Grade.A, Grade.B, Grade.C, Grade.D)
"""Best to worst: an override towards A is an upgrade."""


SEVERITY_ZH = {Severity.CRITICAL: "致命", Severity.MAJOR: "严重", Severity.MINOR: "轻微"}


@dataclass(frozen=True)
class Failure:
    item_id: str
    severity: Severity
    answer: str
    en: str = ""
    """The question (and the failing choice) in words, for people; ``item_id`` is for machines."""
    zh: str = ""

    def words(self, zh: bool = False) -> str:
        if zh:
            return f"{self.zh or self.item_id}（{SEVERITY_ZH[self.severity]}）"
        return f"{self.en or self.item_id} ({self.severity.value})"


@dataclass(frozen=True)
class GradeOutcome:
    grade: Grade
    rule: GradeRule
    rule_index: int
    failures: tuple[Failure, ...]
    counts: Mapping[Severity, int]

    def because(self, zh: bool = False) -> str:
        """Plain words: which rule and which failed questions (by their words, never their ids)."""
        if zh:
            if not self.failures:
                return f"等级 {self.grade.value}：没有不合格项（{self.rule.zh}）。"
            return f"等级 {self.grade.value}：{self.rule.zh} 不合格：{'，'.join(f.words(True) for f in self.failures)}。"
        if not self.failures:
            return f"Grade {self.grade.value}: nothing failed ({self.rule.en})."
        failed = ", ".join(f.words() for f in self.failures)
        return f"Grade {self.grade.value}: {self.rule.describe()} - {self.rule.en} Failed: {failed}."


def is_upgrade(new: Grade, old: Grade) -> bool:
    return GRADE_ORDER.index(new) < GRADE_ORDER.index(old)


def normalise_answer(item: ChecklistItem, value: Any) -> str:
    """Check ``value`` against the question's kind; return it in stored form or refuse it."""
    word = str(value).strip().lower() if not isinstance(value, bool) else (PASS if value else FAIL)
    if item.kind not in (ItemKind.TEXT, ItemKind.LOT) and word in _NA_WORDS:
        if not item.na_allowed:
            raise InvalidInput(f"{item.en}: not applicable is not allowed here.",
                               next_step="Answer the question (pass/fail, a choice or a reading).")
        return NA
    if item.kind == ItemKind.PASS_FAIL:
        if word in _PASS_WORDS:
            return PASS
        if word in _FAIL_WORDS:
            return FAIL
        raise InvalidInput(f"{item.en}: {value!r} is not an answer.", next_step="Answer pass (P) or fail (F).")
    if item.kind == ItemKind.CHOICE:
        text = str(value).strip()
        if isinstance(value, int) and not isinstance(value, bool) or text.isdigit():
            number = int(text)
            if 1 <= number <= len(item.choices):
                return item.choices[number - 1].id
        elif item.choice(text) is not None:
            return text
        options = ", ".join(f"{n} {c.en}" for n, c in enumerate(item.choices, start=1))
        raise InvalidInput(f"{item.en}: {value!r} is not one of the choices.", next_step=f"Pick {options}.")
    if item.kind == ItemKind.NUMBER:
        return str(_number(item, value))
    text = str(value).strip() if value is not None else ""
    if len(text) > MAX_TEXT:
        raise InvalidInput(f"{item.en}: at most {MAX_TEXT} characters.")
    if item.required and not text:
        raise InvalidInput(f"{item.en}: an answer is needed.")
    return text


def _number(item: ChecklistItem, value: Any) -> Decimal:
    if isinstance(value, bool):
        raise InvalidInput(f"{item.en}: type a number in {item.unit}.")
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise InvalidInput(f"{item.en}: {value!r} is not a number.", next_step=f"Type the reading in {item.unit}.") from None
    if not number.is_finite():
        raise InvalidInput(f"{item.en}: {value!r} is not a number.", next_step=f"Type the reading in {item.unit}.")
    if item.minimum is not None and number < item.minimum or item.maximum is not None and number > item.maximum:
        raise InvalidInput(
            f"{item.en}: {number} {item.unit} cannot be right "
            f"(readings go from {item.minimum} to {item.maximum} {item.unit}).",
            next_step="Measure again.")
    return number


def item_failed(item: ChecklistItem, answer: str | None) -> Severity | None:
    """The severity this answer counts as, or None if it is not a failure (or unanswered)."""
    if answer is None:
        return None
    if item.kind == ItemKind.PASS_FAIL:
        return item.severity if answer == FAIL else None
    if item.kind == ItemKind.CHOICE:
        choice = item.choice(answer)
        if choice is None or not choice.fail:
            return None
        return choice.severity or item.severity
    if item.kind == ItemKind.NUMBER:
        if answer == NA:
            return None
        try:
            number = Decimal(answer)
        except InvalidOperation:
            return None
        if item.expected is None or item.tolerance is None:  # the parser refuses this
            return None
        return item.severity if abs(number - item.expected) > item.tolerance else None
    return None


def _condition_value(item: ChecklistItem, answer: str) -> str:
    if item.kind == ItemKind.NUMBER:
        return FAIL if item_failed(item, answer) else PASS
    return answer


def applicable(checklist: Checklist, answers: Mapping[str, Any]) -> tuple[ChecklistItem, ...]:
    """The questions to ask given the answers so far, in order.

    A question whose condition looks at a question that is itself not asked is not asked either.
    """
    asked: dict[str, ChecklistItem] = {}
    for item in checklist.items:
        cond = item.ask_if
        if cond is not None:
            source = asked.get(cond.item)
            answer = answers.get(cond.item)
            if source is None or answer is None or _condition_value(source, str(answer)) not in cond.answers:
                continue
        asked[item.id] = item
    return tuple(asked.values())


def relevant_answers(checklist: Checklist, answers: Mapping[str, Any]) -> dict[str, str]:
    """The answers that count: those of questions that are asked, in checklist order."""
    return {i.id: str(answers[i.id]) for i in applicable(checklist, answers) if i.id in answers}


def unanswered(checklist: Checklist, answers: Mapping[str, Any]) -> tuple[ChecklistItem, ...]:
    return tuple(i for i in applicable(checklist, answers) if i.id not in answers)


def missing_required(checklist: Checklist, answers: Mapping[str, Any]) -> tuple[ChecklistItem, ...]:
    return tuple(i for i in unanswered(checklist, answers) if i.required)


def next_question(checklist: Checklist, answers: Mapping[str, Any]) -> ChecklistItem | None:
    pending = unanswered(checklist, answers)
    return pending[0] if pending else None


def failures(checklist: Checklist, answers: Mapping[str, Any]) -> tuple[Failure, ...]:
    found = []
    for item in applicable(checklist, answers):
        answer = answers.get(item.id)
        severity = item_failed(item, None if answer is None else str(answer))
        if severity is not None:
            choice = next((c for c in item.choices if c.id == str(answer)), None)
            en, zh = (f"{item.en}: {choice.en}", f"{item.zh}：{choice.zh}") if choice else (item.en, item.zh)
            found.append(Failure(item.id, severity, str(answer), en, zh))
    return tuple(found)


def compute_grade(checklist: Checklist, answers: Mapping[str, Any]) -> GradeOutcome:
    """The first rule of the template's grade table that the failure counts satisfy."""
    failed = failures(checklist, answers)
    counts = {sev: sum(1 for f in failed if f.severity == sev) for sev in Severity}
    for index, rule in enumerate(checklist.grade_rules):
        if rule.matches(counts):
            return GradeOutcome(rule.grade, rule, index, failed, counts)
    # The parser refuses a table whose last rule has a condition; a hand-built one may not.
    raise ConfigError(f"The grade table of checklist {checklist.id} v{checklist.version} has no "
                      "fallback rule.")
