"""``rma-station policy check FILE`` and ``policy explain ORDER SKU REASON``."""

from __future__ import annotations

import argparse

from station.catalog.reasons import load_reasons
from station.intake.service import IntakeService
from station.policy.admin import PolicyAdmin
from station.policy.check import check_policy_file, known_categories
from ui.cli import add_db_option, argtypes
from ui.supervisor.headless import CLI_ACTOR, open_context


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("policy", help="check a policy file or explain a decision")
    sub = parser.add_subparsers(dest="policy_command", metavar="ACTION", required=True)
    chk = sub.add_parser("check", help="check a policy file: line numbers, unknown categories and reasons")
    chk.add_argument("file", type=argtypes.text_file)
    chk.add_argument("--with-catalogue", action="store_true",
                     help="also accept the categories of the products in the database (implied by --db)")
    add_db_option(chk)
    chk.set_defaults(handler=run_check)
    exp = sub.add_parser("explain", help="which rule decides a return of SKU from ORDER for REASON, and why")
    exp.add_argument("order")
    exp.add_argument("sku")
    exp.add_argument("reason")
    add_db_option(exp)
    exp.set_defaults(handler=run_explain)


def run_check(args: argparse.Namespace) -> int:
    # A database named with --db is read too: its products' categories count as known, and a
    # mistyped --db is refused like everywhere else instead of being ignored.
    if args.with_catalogue or getattr(args, "db", None):
        problems = PolicyAdmin(open_context(args)).check_file(CLI_ACTOR, args.file)
    else:
        problems = check_policy_file(args.file, load_reasons(), known_categories())
    for problem in problems:
        print(problem)
    if problems:
        print(f"{args.file}: {len(problems)} problem(s); the policy is not usable as it is.")
        return 2
    print(f"{args.file}: the policy is valid.")
    return 0


def run_explain(args: argparse.Namespace) -> int:
    decision, photo_reason = IntakeService(open_context(args)).explain(args.order, args.sku, args.reason)
    print(f"decision: {decision.outcome.value}")
    print(f"rule:     {decision.rule}")
    for words in decision.reasons:
        print(f"why:      {words.en}")
        print(f"          {words.zh}")
    if photo_reason:
        print(f"note:     the reason '{photo_reason}' needs at least one photo from the customer.")
    return 0
