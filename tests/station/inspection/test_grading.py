"""Grading: every path to every grade of every template, conditions, answer checks, and the
property that any set of answers gives exactly one grade, never better for more failures."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from station.core.errors import InvalidInput
from station.inspection.checklists import Checklist, ChecklistItem, ChecklistLibrary, ItemKind, Severity
from station.inspection.grading import (
    GRADE_ORDER,
    applicable,
    compute_grade,
    item_failed,
    next_question,
    normalise_answer,
    relevant_answers,
)
from station.models import Grade

LIBRARY = ChecklistLibrary(override_dir=Path("/nonexistent/config"), archive_dir=Path("/nonexistent/archive"))
TEMPLATES = {c.id: c for c in LIBRARY.all()}


def passing(item: ChecklistItem) -> str | None:
    if item.kind == ItemKind.PASS_FAIL:
        return "pass"
    if item.kind == ItemKind.CHOICE:
        return next(c.id for c in item.choices if not c.fail)
    if item.kind == ItemKind.NUMBER:
        return str(item.expected)
    return "fine" if item.required else None


def failing(item: ChecklistItem, severity: Severity) -> str | None:
    """An answer that makes ``item`` fail at exactly ``severity``, if it can."""
    if item.kind == ItemKind.PASS_FAIL and item.severity == severity:
        return "fail"
    if item.kind == ItemKind.NUMBER and item.severity == severity:
        return str(item.expected + item.tolerance + 1)
    if item.kind == ItemKind.CHOICE:
        for choice in item.choices:
            if choice.fail and (choice.severity or item.severity) == severity:
                return choice.id
    return None


def all_passing(checklist: Checklist) -> dict[str, str]:
    answers: dict[str, str] = {}
    for item in checklist.items:
        if item in applicable(checklist, answers) and passing(item) is not None:
            answers[item.id] = passing(item)  # type: ignore[assignment]
    return answers


def answers_for_counts(checklist: Checklist, counts: dict[Severity, int]) -> dict[str, str] | None:
    """Passing answers everywhere except exactly ``counts`` failures (never on a question that
    gates others, so the set of questions asked stays the same)."""
    answers = all_passing(checklist)
    unconditional = [i for i in applicable(checklist, answers)
                     if not any(other.ask_if and other.ask_if.item == i.id for other in checklist.items)]
    used: set[str] = set()
    for severity, n in counts.items():
        for item in unconditional:
            if n == 0:
                break
            value = failing(item, severity)
            if value is not None and item.id not in used:
                answers[item.id] = value
                used.add(item.id)
                n -= 1
        if n:
            return None
    return relevant_answers(checklist, answers)


def grade_paths() -> list[Any]:
    cases = []
    for checklist in TEMPLATES.values():
        for index, rule in enumerate(checklist.grade_rules):
            cases.append(pytest.param(checklist.id, index, id=f"{checklist.id}-rule{index + 1}-{rule.grade.value}"))
    return cases


class TestEveryPathToEveryGrade:
    @pytest.mark.parametrize(("checklist_id", "rule_index"), grade_paths())
    def test_each_grade_rule_is_reached_by_its_failures(self, checklist_id, rule_index):
        checklist = TEMPLATES[checklist_id]
        rule = checklist.grade_rules[rule_index]
        answers = answers_for_counts(checklist, dict(rule.when))
        assert answers is not None, f"{checklist_id}: no questions can produce {rule.describe()}"
        outcome = compute_grade(checklist, answers)
        assert outcome.grade == rule.grade
        assert outcome.rule_index == rule_index
        assert sum(outcome.counts.values()) == sum(rule.when.values())

    @pytest.mark.parametrize("checklist_id", sorted(TEMPLATES))
    def test_every_template_can_give_every_grade(self, checklist_id):
        assert {r.grade for r in TEMPLATES[checklist_id].grade_rules} == set(Grade)

    @pytest.mark.parametrize("checklist_id", sorted(TEMPLATES))
    def test_every_failable_question_moves_the_grade_off_a(self, checklist_id):
        checklist = TEMPLATES[checklist_id]
        base = all_passing(checklist)
        assert compute_grade(checklist, base).grade == Grade.A
        for item in applicable(checklist, base):
            for severity in Severity:
                value = failing(item, severity)
                if value is None:
                    continue
                outcome = compute_grade(checklist, relevant_answers(checklist, {**base, item.id: value}))
                assert outcome.grade != Grade.A, (item.id, severity)
                if severity == Severity.CRITICAL:
                    assert outcome.grade == Grade.D


class TestWorkedExamples:
    def test_cosmetics_broken_seal_is_d_whatever_else(self):
        cosmetics = TEMPLATES["cosmetics"]
        answers = {**all_passing(cosmetics), "seal_intact": "fail", "unused": "pass"}
        assert compute_grade(cosmetics, answers).grade == Grade.D

    def test_electronics_battery_just_inside_and_outside_tolerance(self):
        electronics = TEMPLATES["electronics"]
        base = all_passing(electronics)
        assert compute_grade(electronics, {**base, "battery_health": "85"}).grade == Grade.A
        assert compute_grade(electronics, {**base, "battery_health": "84.9"}).grade == Grade.C

    def test_electronics_three_minor_faults_need_refurbishing(self):
        electronics = TEMPLATES["electronics"]
        answers = {**all_passing(electronics), "screen": "light_scratches", "casing": "light_wear",
                   "packaging": "fail"}
        assert compute_grade(electronics, answers).grade == Grade.C
        del answers["packaging"]
        answers["packaging"] = "pass"
        assert compute_grade(electronics, answers).grade == Grade.B

    def test_small_appliance_leakage_current_over_limit_is_d(self):
        appliances = TEMPLATES["small_appliances"]
        assert compute_grade(appliances, {**all_passing(appliances), "leakage_current": "0.9"}).grade == Grade.D
        assert compute_grade(appliances, {**all_passing(appliances), "leakage_current": "0.5"}).grade == Grade.A


class TestConditions:
    def test_no_power_skips_the_screen_battery_and_reset_questions(self):
        electronics = TEMPLATES["electronics"]
        answers = {"item_matches": "pass", "serial_matches": "pass", "powers_on": "fail"}
        assert next_question(electronics, answers).id == "accessories"
        asked = {i.id for i in applicable(electronics, answers)}
        assert not asked & {"screen", "battery_health", "factory_reset"}

    def test_changing_an_answer_drops_answers_that_are_no_longer_asked(self):
        electronics = TEMPLATES["electronics"]
        answers = {"item_matches": "pass", "serial_matches": "pass", "powers_on": "pass",
                   "screen": "cracked_or_dead_pixels"}
        assert compute_grade(electronics, answers).grade == Grade.C
        answers["powers_on"] = "fail"
        kept = relevant_answers(electronics, answers)
        assert "screen" not in kept
        assert compute_grade(electronics, answers).failures[0].item_id == "powers_on"

    def test_condition_on_a_skipped_question_skips_too(self):
        appliances = TEMPLATES["small_appliances"]
        asked = {i.id for i in applicable(appliances, {"item_matches": "pass", "safety": "fail"})}
        assert "powers_on" not in asked and "leakage_current" not in asked and "function" not in asked


class TestAnswerChecks:
    item = TEMPLATES["electronics"].item

    @pytest.mark.parametrize(("value", "stored"), [("P", "pass"), ("f", "fail"), (True, "pass"), ("N", "na")])
    def test_pass_fail_keys(self, value, stored):
        assert normalise_answer(self.item("serial_matches"), value) == stored

    def test_not_applicable_refused_where_not_allowed(self):
        with pytest.raises(InvalidInput, match="not applicable is not allowed"):
            normalise_answer(self.item("powers_on"), "n")

    def test_choice_by_number_key_or_id(self):
        screen = self.item("screen")
        assert normalise_answer(screen, 2) == "light_scratches"
        assert normalise_answer(screen, "3") == "cracked_or_dead_pixels"
        assert normalise_answer(screen, "perfect") == "perfect"
        with pytest.raises(InvalidInput, match="Pick 1 Perfect"):
            normalise_answer(screen, 4)

    def test_number_parsing_and_plausible_range(self):
        battery = self.item("battery_health")
        assert normalise_answer(battery, "87,5") == "87.5"
        assert normalise_answer(battery, Decimal("90")) == "90"
        for bad in ("lots", True, "101", "-1", "nan"):
            with pytest.raises(InvalidInput):
                normalise_answer(battery, bad)

    def test_not_applicable_reading_counts_as_no_failure(self):
        electronics = TEMPLATES["electronics"]
        assert normalise_answer(self.item("battery_health"), "N") == "na"
        with pytest.raises(InvalidInput, match="not applicable is not allowed"):
            normalise_answer(self.item("screen"), "n/a")
        assert compute_grade(electronics, {**all_passing(electronics), "battery_health": "na"}).grade == Grade.A

    def test_text_is_trimmed_and_bounded(self):
        notes = self.item("notes")
        assert normalise_answer(notes, "  scratch on lid ") == "scratch on lid"
        with pytest.raises(InvalidInput, match="at most 500"):
            normalise_answer(notes, "x" * 501)


def any_answer(item: ChecklistItem) -> st.SearchStrategy[str]:
    if item.kind == ItemKind.PASS_FAIL:
        return st.sampled_from(["pass", "fail", "na"])
    if item.kind == ItemKind.CHOICE:
        return st.sampled_from([c.id for c in item.choices])
    if item.kind == ItemKind.NUMBER:
        return st.one_of(st.decimals(min_value=-1000, max_value=1000, places=2).map(str), st.just("na"))
    return st.text(max_size=20)


@st.composite
def checklist_and_answers(draw: st.DrawFn) -> tuple[Checklist, dict[str, str]]:
    checklist = draw(st.sampled_from(list(TEMPLATES.values())))
    answers = {}
    for item in checklist.items:
        if draw(st.booleans()):
            answers[item.id] = draw(any_answer(item))
    return checklist, answers


class TestProperties:
    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(checklist_and_answers())
    def test_any_answers_give_exactly_one_grade_the_first_matching_rule(self, case):
        checklist, answers = case
        outcome = compute_grade(checklist, answers)
        matching = [i for i, r in enumerate(checklist.grade_rules) if r.matches(outcome.counts)]
        assert matching and matching[0] == outcome.rule_index
        assert outcome.grade == checklist.grade_rules[matching[0]].grade
        assert compute_grade(checklist, dict(reversed(list(answers.items())))) == outcome

    @settings(max_examples=300, deadline=None)
    @given(checklist_and_answers(), st.data())
    def test_one_more_failure_never_gives_a_better_grade(self, case, data):
        checklist, answers = case
        before = compute_grade(checklist, answers)
        candidates = [i for i in applicable(checklist, answers) if i.ask_if is None
                      and item_failed(i, answers.get(i.id)) is None
                      and any(failing(i, s) for s in Severity)]
        if not candidates:
            return
        item = data.draw(st.sampled_from(candidates))
        severity = data.draw(st.sampled_from([s for s in Severity if failing(item, s)]))
        worse = {**answers, item.id: failing(item, severity)}
        # an item that gates others may hide their failures: compare only unconditional changes
        if any(i.ask_if and i.ask_if.item == item.id for i in checklist.items):
            return
        after = compute_grade(checklist, worse)
        assert GRADE_ORDER.index(after.grade) >= GRADE_ORDER.index(before.grade)
