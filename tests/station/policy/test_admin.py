"""An admin saves the site's return policy: checked like ``policy check``, atomic, audited."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from station.core.errors import PermissionDenied
from station.core.paths import config_dir
from station.core.return_policy import SHIPPED, load_policy
from station.models import AuditEvent, Role
from station.policy.admin import PolicyAdmin, PolicyRefused
from tests.helpers.builders import add_operator, make_context

SHIPPED_TEXT = SHIPPED.read_text(encoding="utf-8")


def _admin_and(session_factory: sessionmaker[Session], role: Role):  # type: ignore[no-untyped-def]
    with session_factory.begin() as db:
        return add_operator(db, Role.ADMIN), add_operator(db, role)


def _events(session_factory: sessionmaker[Session]) -> list[AuditEvent]:
    with session_factory() as db:
        return list(db.scalars(select(AuditEvent).where(AuditEvent.entity_type == "policy").order_by(AuditEvent.seq)))


def test_admin_with_a_misspelt_category_is_refused_naming_its_line_and_nothing_is_written(
        session_factory: sessionmaker[Session]) -> None:
    admin, _ = _admin_and(session_factory, Role.CLERK)
    service = PolicyAdmin(make_context(session_factory))
    text = SHIPPED_TEXT.replace("electronics = 15", "electronix = 15")
    line = text.splitlines().index("electronix = 15") + 1
    with pytest.raises(PolicyRefused) as refused:
        service.save(admin, text)
    assert any(p.startswith(f"policy.toml:{line}: unknown category 'electronix'") for p in refused.value.problems)
    assert not (config_dir() / "policy.toml").exists()
    assert _events(session_factory) == []
    assert service.in_force().site is False


def test_admin_saves_a_valid_policy_written_atomically_and_audited_with_both_digests(
        session_factory: sessionmaker[Session]) -> None:
    admin, _ = _admin_and(session_factory, Role.CLERK)
    service = PolicyAdmin(make_context(session_factory))
    text = SHIPPED_TEXT.replace("electronics = 15", "electronics = 20")
    path = service.save(admin, text)
    assert path == config_dir() / "policy.toml" and path.read_text(encoding="utf-8") == text
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".policy-")] == []
    assert load_policy().window_for("electronics") == 20
    (event,) = _events(session_factory)
    assert event.action == "policy.saved" and event.operator_badge == admin.badge
    assert event.details["old_sha256"] == ""
    assert event.details["new_sha256"] == hashlib.sha256(text.encode()).hexdigest()
    assert service.in_force() == service.in_force().__class__(path, text, True)


@pytest.mark.parametrize("role", [Role.CLERK, Role.SUPERVISOR, Role.INSPECTOR])
def test_only_an_admin_may_save_or_restore_the_policy(session_factory: sessionmaker[Session], role: Role) -> None:
    _, other = _admin_and(session_factory, role)
    service = PolicyAdmin(make_context(session_factory))
    with pytest.raises(PermissionDenied):
        service.save(other, SHIPPED_TEXT)
    with pytest.raises(PermissionDenied):
        service.restore_shipped(other)
    assert not (config_dir() / "policy.toml").exists()
    assert _events(session_factory) == []


def test_restoring_the_shipped_policy_removes_the_site_copy_and_is_audited(
        session_factory: sessionmaker[Session]) -> None:
    admin, _ = _admin_and(session_factory, Role.CLERK)
    service = PolicyAdmin(make_context(session_factory))
    edited = SHIPPED_TEXT.replace("electronics = 15", "electronics = 20")
    service.save(admin, edited)
    service.restore_shipped(admin)
    assert not (config_dir() / "policy.toml").exists()
    assert service.in_force().site is False and load_policy().window_for("electronics") == 15
    saved, restored = _events(session_factory)
    assert restored.action == "policy.restored"
    assert restored.details["old_sha256"] == saved.details["new_sha256"]
    assert restored.details["new_sha256"] == hashlib.sha256(SHIPPED_TEXT.encode()).hexdigest()


def test_the_cli_check_and_the_editor_check_give_the_same_problems(
        session_factory: sessionmaker[Session], tmp_path) -> None:  # noqa: ANN001
    from station.catalog.reasons import load_reasons
    from station.policy.check import check_policy_file, known_categories

    text = SHIPPED_TEXT.replace("electronics = 15", "electronix = 15")
    file = tmp_path / "policy.toml"
    file.write_text(text, encoding="utf-8")
    service = PolicyAdmin(make_context(session_factory))
    from_file = check_policy_file(file, load_reasons(), known_categories())
    assert [p.split(":", 1)[1] for p in service.check(text)] == [p.split(str(file), 1)[1][1:] for p in from_file]


@pytest.mark.parametrize("old,new,expected", [
    ("electronics = 15", "electronics = 15\n[oops", "Expected ']'"),
    ('dock_counts_from = "authorisation"', 'dock_counts_from = "never"', "request.dock_counts_from must be"),
])
def test_a_syntax_error_or_a_bad_value_is_named_with_its_line(
        session_factory: sessionmaker[Session], old: str, new: str, expected: str) -> None:
    admin, _ = _admin_and(session_factory, Role.CLERK)
    text = SHIPPED_TEXT.replace(old, new)
    line = text.splitlines().index(new.splitlines()[-1]) + 1
    with pytest.raises(PolicyRefused) as refused:
        PolicyAdmin(make_context(session_factory)).save(admin, text)
    (problem,) = refused.value.problems
    assert problem.startswith(f"policy.toml:{line}: {expected}")
    assert not (config_dir() / "policy.toml").exists()
