"""What an API token may do: the shop's admin gives scopes with ``api-token add --scope``, a
new token reviews nothing unless told, and tokens made before scopes keep every one."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from station.core.db import make_engine, upgrade
from station.intake.scopes import ALL_SCOPES, DEFAULT_SCOPES, Scope, ScopeMissing, parse_scopes
from station.intake.tokens import TokenService
from tests.helpers.builders import Clock, make_context
from ui.cli import main
from ui.supervisor.headless import CLI_ACTOR


def test_admin_gives_a_review_bot_its_scopes_and_the_list_shows_them(tmp_path, capsys):
    db = str(tmp_path / "station.sqlite")
    assert main(["db", "upgrade", "--db", db]) == 0
    assert main(["api-token", "add", "--name", "erp", "--db", db]) == 0
    assert main(["api-token", "add", "--name", "bot", "--scope", "returns:read,returns:review", "--db", db]) == 0
    added = capsys.readouterr().out
    assert "'erp' created with scopes orders:read orders:write returns:read returns:write." in added
    assert "'bot' created with scopes returns:read returns:review." in added
    assert added.strip().splitlines()[-1].startswith("rst_")  # the token is still the last line
    assert main(["api-token", "list", "--db", db]) == 0
    listed = {line.split()[0]: line.split("scopes: ")[1] for line in capsys.readouterr().out.splitlines()}
    assert listed == {"bot": "returns:read returns:review",
                      "erp": "orders:read orders:write returns:read returns:write"}
    assert main(["api-token", "add", "--name", "x", "--scope", "returns:approve", "--db", db]) == 2
    assert "'returns:approve' is not a scope" in capsys.readouterr().err


def test_scopes_are_read_from_lists_and_all():
    assert parse_scopes(["all"]) == ALL_SCOPES
    assert parse_scopes(["orders:read, Returns:Read", "returns:review"]) == {
        Scope.ORDERS_READ, Scope.RETURNS_READ, Scope.RETURNS_REVIEW}
    assert Scope.RETURNS_REVIEW not in DEFAULT_SCOPES


def test_a_token_is_checked_for_the_scope_each_call_needs(session_factory):
    tokens = TokenService(make_context(session_factory, Clock()))
    token = tokens.add(CLI_ACTOR, "reader", {Scope.RETURNS_READ})
    assert tokens.authenticate(token, scope=Scope.RETURNS_READ) == "reader"
    with pytest.raises(ScopeMissing, match="lacks the scope orders:write"):
        tokens.authenticate(token, scope=Scope.ORDERS_WRITE)


def test_tokens_made_before_scopes_keep_every_scope(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite'}")
    upgrade(engine, "0018")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO api_tokens (id, name, token_hash, created_at, rate_window, rate_count) "
                          "VALUES ('0b2a8c4e5f6a4b7c8d9e0f1a2b3c4d5e', 'old-erp', :h, '2026-01-01 00:00:00', 0, 0)"),
                     {"h": "a" * 64})
    upgrade(engine)
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT scopes FROM api_tokens WHERE name = 'old-erp'")).scalar_one()
    engine.dispose()
    assert set(stored.split()) == {s.value for s in ALL_SCOPES}
