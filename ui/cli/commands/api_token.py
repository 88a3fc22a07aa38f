"""``rma-station api-token add|list|revoke``: bearer tokens for the shop's systems."""

from __future__ import annotations

import argparse

from station.intake.scopes import ALL_SCOPES, DEFAULT_SCOPES, SCOPE_WORDS, encode_scopes, parse_scopes
from station.intake.tokens import TokenService
from ui.cli import add_db_option
from ui.supervisor.headless import CLI_ACTOR, open_context


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("api-token", help="add, list or revoke API tokens for the returns service")
    sub = parser.add_subparsers(dest="token_command", metavar="ACTION", required=True)
    add = sub.add_parser("add", help="create a token; it is printed once, as the last line")
    add.add_argument("--name", required=True, help="who uses it, e.g. the order system's name")
    add.add_argument("--scope", action="append", metavar="SCOPE",
                     help="what the token may do; repeat or comma-separate: "
                          + "; ".join(f"{s} = {SCOPE_WORDS[s]}" for s in sorted(ALL_SCOPES))
                          + "; all = every scope. Default: " + encode_scopes(DEFAULT_SCOPES).replace(" ", ", ")
                          + " (returns:review, a supervisor's decision, only when named)")
    add_db_option(add)
    add.set_defaults(handler=run_add)
    lst = sub.add_parser("list", help="list tokens (names and dates, never the tokens)")
    add_db_option(lst)
    lst.set_defaults(handler=run_list)
    rev = sub.add_parser("revoke", help="revoke a token by name")
    rev.add_argument("name")
    add_db_option(rev)
    rev.set_defaults(handler=run_revoke)


def run_add(args: argparse.Namespace) -> int:
    scopes = parse_scopes(args.scope) if args.scope else DEFAULT_SCOPES
    token = TokenService(open_context(args)).add(CLI_ACTOR, args.name, scopes)
    print(f"API token {args.name!r} created with scopes {encode_scopes(scopes)}.")
    print("It is shown only now; send it as 'Authorization: Bearer <token>':")
    print(token)
    return 0


def run_list(args: argparse.Namespace) -> int:
    rows = TokenService(open_context(args)).list()
    if not rows:
        print("no API tokens; add one with `rma-station api-token add --name NAME`")
    for t in rows:
        state = f"revoked {t.revoked_at:%Y-%m-%d %H:%M}" if t.revoked_at else "active"
        used = f"last used {t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never used"
        print(f"{t.name:<30} created {t.created_at:%Y-%m-%d %H:%M}  {state:<24} {used:<28} "
              f"scopes: {' '.join(t.scopes) or 'none'}")
    return 0


def run_revoke(args: argparse.Namespace) -> int:
    TokenService(open_context(args)).revoke(CLI_ACTOR, args.name)
    print(f"API token {args.name!r} revoked.")
    return 0
