"""``rma-station resolve RMA --as-proposed | --kind K [--amount X] [--reason TEXT]`` and
``rma-station resolve --auto``: issue customer resolutions from the command line.

The operator is named by ``--badge`` and proves it with the PIN in ``RMA_PIN`` (scripts) or
typed at the prompt, never on the command line; the service checks what that operator may do
(inspectors within the auto-approve limit, supervisors above it, adjust and reject).
"""

from __future__ import annotations

import argparse
from decimal import Decimal, InvalidOperation

from station.core.context import Actor, StationContext
from station.core.errors import InvalidInput
from station.models import ResolutionKind
from station.operators.service import AuthService
from station.resolution.queue import ResolutionQueue
from station.resolution.service import ResolutionService
from ui.cli import add_db_option, argtypes
from ui.cli.secret_input import ask_secret
from ui.supervisor.headless import open_context

KINDS = ("refund", "exchange", "compensation", "reject")


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("resolve", help="issue a customer resolution, or apply the policy to the queue")
    parser.add_argument("rma", nargs="?", help="the RMA number")
    how = parser.add_mutually_exclusive_group(required=True)
    how.add_argument("--as-proposed", action="store_true", help="issue what the rules propose")
    how.add_argument("--kind", choices=KINDS, help="issue another kind (an adjustment; reason required)")
    how.add_argument("--auto", action="store_true", help="apply the policy to every RMA waiting")
    parser.add_argument("--amount", type=argtypes.amount, help="adjusted amount (a supervisor's, with --reason)")
    parser.add_argument("--reason", default="", help="why (required to adjust; for reject, the customer's words "
                        "or a rejection code)")
    parser.add_argument("--badge", required=True, help="the operator issuing; PIN from $RMA_PIN or the prompt")
    add_db_option(parser)
    parser.set_defaults(handler=run)


def _operator(ctx: StationContext, badge: str) -> Actor:
    pin = ask_secret(f"PIN for {badge}: ", env="RMA_PIN")
    return AuthService(ctx).sign_in(badge, pin)


def _amount(text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        value = Decimal(text.replace(",", "").strip())
    except InvalidOperation:
        raise InvalidInput(f"--amount {text!r} is not an amount; write it like 280.00.") from None
    if not value.is_finite():
        raise InvalidInput(f"--amount {text!r} is not an amount; write it like 280.00.")
    return value


def run(args: argparse.Namespace) -> int:
    ctx = open_context(args)
    if args.auto:
        if args.rma or args.amount or args.reason:
            raise InvalidInput("--auto takes no RMA, --amount or --reason: it applies the policy to the whole queue.")
        actor = _operator(ctx, args.badge)
        outcomes = ResolutionQueue(ctx).auto_resolve(actor)
        issued = [o for o in outcomes if o.issued]
        for o in outcomes:
            if o.issued:
                print(f"ISSUED  {o.rma:<16} {o.kind.value if o.kind else '':<10} {o.amount} {o.currency}  ({o.because})")
            else:
                print(f"LEFT    {o.rma:<16} {o.because}")
        print(f"{len(issued)} issued by the policy, {len(outcomes) - len(issued)} left for a person.")
        return 0
    if not args.rma:
        raise InvalidInput("Name the RMA to resolve, or use --auto.")
    amount = _amount(args.amount)
    if args.as_proposed and (amount is not None or args.reason):
        raise InvalidInput("--as-proposed issues the proposal unchanged; use --kind with --amount and --reason "
                           "to adjust it.")
    actor = _operator(ctx, args.badge)
    service = ResolutionService(ctx)
    if args.kind == "reject":
        if not args.reason.strip():
            raise InvalidInput("Say why the return is rejected (--reason), in words the customer reads.")
        done = service.issue(actor, args.rma, reject_reason=args.reason)
    else:
        kind = ResolutionKind(args.kind) if args.kind else None
        done = service.issue(actor, args.rma, kind=kind, adjusted_amount=amount, note=args.reason)
    print(f"RMA {done.rma_number}: {done.kind.value} {done.amount} {done.currency} issued by {actor.name}.")
    return 0
