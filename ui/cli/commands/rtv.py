"""``rma-station rtv``: vendors, return-to-vendor batches and their claims from the command line.

    rtv vendor add CODE --name "Supplier name" [--email E] [--rate PCT]   (supervisor)
    rtv vendors
    rtv batch open --vendor V
    rtv batch add BATCH LPN [LPN ...]
    rtv batch remove BATCH LPN
    rtv batch list [--vendor V] [--claims]
    rtv batch ship BATCH --ra N --carrier C --tracking T --out DIR
    rtv batch paperwork BATCH --out DIR   (a shipped batch's paperwork, again)
    rtv claim ack BATCH | credit BATCH --amount X [--on DAY] | dispute BATCH --reason TEXT

Every command that changes something acts as the operator of ``--badge``, with the PIN from
``$RMA_PIN`` (or asked), so the service checks that operator's permissions and the audit log
names them. ``batch ship`` writes the packing list and carton label (PDF and ZPL) to ``--out``.
"""

from __future__ import annotations

import argparse
import logging
import shlex
from pathlib import Path

from station.core.context import Actor, StationContext
from station.core.errors import IllegalTransition, InvalidInput, StationError
from station.models import RtvState
from station.rtv.batches import AlreadyShipped, RtvService
from station.rtv.views import BatchView
from ui.cli import add_db_option, argtypes
from ui.cli.files import check_output_folder
from ui.cli.secret_input import ask_secret
from ui.supervisor.headless import CLI_ACTOR, open_context

log = logging.getLogger(__name__)


def _badge(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--badge", required=True, help="the operator's badge (PIN from $RMA_PIN or asked)")
    add_db_option(parser)


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("rtv", help="return-to-vendor batches, paperwork and claims")
    sub = parser.add_subparsers(dest="rtv_command", metavar="WHAT", required=True)

    vendor = sub.add_parser("vendor", help="add or change a vendor").add_subparsers(
        dest="vendor_command", metavar="ACTION", required=True)
    add = vendor.add_parser("add", help="add or change a vendor (supervisor)")
    add.add_argument("code", help="short code, e.g. SZPT")
    add.add_argument("--name", required=True, help="the supplier's name exactly as on its products")
    add.add_argument("--email", default="", help="contact who receives paperwork and scorecards")
    add.add_argument("--contact", default="", help="contact person")
    add.add_argument("--rate", default=None, type=argtypes.amount,
                     help="agreement: percent of unit cost credited (default: 100)")
    _badge(add)
    add.set_defaults(handler=run_vendor_add)
    listing = sub.add_parser("vendors", help="list vendors")
    add_db_option(listing)
    listing.set_defaults(handler=run_vendors)

    batch = sub.add_parser("batch", help="open, fill, list and ship batches").add_subparsers(
        dest="batch_command", metavar="ACTION", required=True)
    opening = batch.add_parser("open", help="open a batch for a vendor")
    opening.add_argument("--vendor", required=True, help="vendor code or name")
    _badge(opening)
    opening.set_defaults(handler=run_open)
    adding = batch.add_parser("add", help="put approved RTV units into an open batch")
    adding.add_argument("batch")
    adding.add_argument("lpns", nargs="+", metavar="LPN")
    _badge(adding)
    adding.set_defaults(handler=run_add)
    removing = batch.add_parser("remove", help="take a unit out of an open batch")
    removing.add_argument("batch")
    removing.add_argument("lpn")
    _badge(removing)
    removing.set_defaults(handler=run_remove)
    batches = batch.add_parser("list", help="list batches (newest first)")
    batches.add_argument("--vendor", help="vendor code or name")
    batches.add_argument("--claims", action="store_true", help="only claims still open, oldest first")
    add_db_option(batches)
    batches.set_defaults(handler=run_list)
    ship = batch.add_parser("ship", help="close the batch and write its paperwork")
    ship.add_argument("batch")
    ship.add_argument("--ra", required=True, help="the vendor's return authorisation number")
    ship.add_argument("--carrier", required=True)
    ship.add_argument("--tracking", required=True)
    ship.add_argument("--out", type=Path, required=True, help="folder for the packing list and carton label")
    _badge(ship)
    ship.set_defaults(handler=run_ship)
    paperwork = batch.add_parser("paperwork", help="write a shipped batch's paperwork again")
    paperwork.add_argument("batch")
    paperwork.add_argument("--out", type=Path, required=True)
    add_db_option(paperwork)
    paperwork.set_defaults(handler=run_paperwork)

    claim = sub.add_parser("claim", help="record the vendor's answer to a claim").add_subparsers(
        dest="claim_command", metavar="ACTION", required=True)
    ack = claim.add_parser("ack", help="the vendor acknowledged the shipment")
    ack.add_argument("batch")
    _badge(ack)
    ack.set_defaults(handler=run_ack)
    credit = claim.add_parser("credit", help="the vendor credited an amount")
    credit.add_argument("batch")
    credit.add_argument("--amount", required=True, type=argtypes.amount)
    credit.add_argument("--on", type=argtypes.day, help="day of the credit (default: today)")
    _badge(credit)
    credit.set_defaults(handler=run_credit)
    dispute = claim.add_parser("dispute", help="the vendor disputes the claim")
    dispute.add_argument("batch")
    dispute.add_argument("--reason", required=True)
    _badge(dispute)
    dispute.set_defaults(handler=run_dispute)


def _signed_in(args: argparse.Namespace) -> tuple[RtvService, Actor, StationContext]:
    from station.operators.service import AuthService

    ctx = open_context(args, writes=True)
    actor = AuthService(ctx).sign_in(args.badge, ask_secret("PIN: ", env="RMA_PIN"))
    return RtvService(ctx), actor, ctx


def _line(b: BatchView) -> str:
    age = f", {b.days_open} days open" if b.days_open is not None else ""
    settled = ""
    if b.state == RtvState.CREDITED:
        settled = f", credited {b.currency} {b.credited_amount} on {b.credited_on}"
    elif b.state == RtvState.DISPUTED:
        settled = f", disputed: {b.dispute_reason}"
    ra = f" RA {b.ra_number}" if b.ra_number else ""
    note = f"\n  {b.credit_note}" if b.credit_note else ""  # a credit waiting for central, or void
    return (f"{b.number} {b.vendor.code} {b.state.value}{ra}: {len(b.items)} units, claimed "
            f"{b.currency} {b.claimed_amount}{age}{settled}{note}")


def run_vendor_add(args: argparse.Namespace) -> int:
    service, actor, _ = _signed_in(args)
    vendor = service.save_vendor(actor, args.code, args.name, contact_email=args.email, contact_name=args.contact,
                                 agreement_rate_pct=args.rate)
    print(f"Vendor {vendor.code}: {vendor.name} <{vendor.contact_email or 'no e-mail'}>, credits {vendor.terms}.")
    return 0


def run_vendors(args: argparse.Namespace) -> int:
    vendors = RtvService(open_context(args)).vendors(CLI_ACTOR)
    for v in vendors:
        print(f"{v.code:10} {v.name} <{v.contact_email or '-'}> credits {v.terms}")
    print(f"{len(vendors)} vendors.")
    return 0


def run_open(args: argparse.Namespace) -> int:
    service, actor, _ = _signed_in(args)
    batch = service.open_batch(actor, args.vendor)
    print(f"Opened {batch.number} for {batch.vendor.name}.")
    ready = service.ready_units(actor, args.vendor)
    if ready:
        print(f"{len(ready)} approved units wait for a batch: {' '.join(ready[:20])}{' ...' if len(ready) > 20 else ''}")
    return 0


def run_add(args: argparse.Namespace) -> int:
    service, actor, _ = _signed_in(args)
    refused = 0
    for lpn in args.lpns:
        try:
            item = service.scan_into(actor, args.batch, lpn, "keyboard")
        except StationError as exc:  # one bad LPN must not hide what the others did
            refused += 1
            print(f"REFUSED {lpn}: {exc}")
            continue
        print(f"ADDED   {item.lpn} {item.sku} claim {item.claimed_amount}: {item.defect}")
    batch = service.batch(actor, args.batch)
    print(f"{batch.number}: {len(batch.items)} units, claim {batch.currency} {batch.total}.")
    if refused:
        raise InvalidInput(f"{refused} of {len(args.lpns)} LPNs were refused (reasons above).")
    return 0


def run_remove(args: argparse.Namespace) -> int:
    service, actor, _ = _signed_in(args)
    service.remove(actor, args.batch, args.lpn)
    batch = service.batch(actor, args.batch)
    print(f"Removed {args.lpn.strip().upper()}; {batch.number}: {len(batch.items)} units, claim {batch.currency} "
          f"{batch.total}.")
    return 0


def run_list(args: argparse.Namespace) -> int:
    service = RtvService(open_context(args))
    if args.claims:
        found = [b for b in service.open_claims(CLI_ACTOR)
                 if not args.vendor or args.vendor.upper() in (b.vendor.code, b.vendor.name.upper())]
    else:
        found = service.batches(CLI_ACTOR, vendor=args.vendor)
    for b in found:
        print(_line(b))
    print(f"{len(found)} batches.")
    return 0


def _write(ctx: StationContext, batch: BatchView, args: argparse.Namespace) -> None:
    from ui.supervisor import rtv_paperwork

    paper = rtv_paperwork.render(batch, station=ctx.station_id)
    try:
        written = rtv_paperwork.write(paper, batch, args.out)
    except OSError as exc:
        raise InvalidInput(f"Cannot write the paperwork of {batch.number} to {args.out} ({exc.strerror or exc}).",
                           next_step=f"Write it again with `{paperwork_command(batch.number, args)}`.") from None
    for path in written:
        print(f"wrote {path}")


def run_ship(args: argparse.Namespace) -> int:
    """Ship, then write the paperwork. The folder is checked first; the shipped line is out
    (flushed) before the paperwork is rendered, so a process killed in between has said what
    it did, and a rerun names the command that writes the paperwork."""
    check_output_folder(args.out)
    try:
        RtvService(open_context(args)).unshipped(CLI_ACTOR, args.batch)  # before the PIN is asked
        service, actor, ctx = _signed_in(args)
        batch = service.ship(actor, args.batch, ra_number=args.ra, carrier=args.carrier, tracking=args.tracking)
    except AlreadyShipped as shipped:
        raise IllegalTransition(shipped.message,
                                next_step=f"`{paperwork_command(shipped.batch_number, args)}` writes its paperwork.") \
            from None
    print(_line(batch), flush=True)
    _write(ctx, batch, args)
    return 0


def paperwork_command(batch_number: str, args: argparse.Namespace) -> str:
    """The command line that writes ``batch_number``'s paperwork into ``args.out`` again."""
    words = ["rma-station", "rtv", "batch", "paperwork", batch_number, "--out", str(args.out)]
    if getattr(args, "db", None):
        words += ["--db", args.db]
    return shlex.join(words)


def run_paperwork(args: argparse.Namespace) -> int:
    check_output_folder(args.out)
    ctx = open_context(args)
    _write(ctx, RtvService(ctx).batch(CLI_ACTOR, args.batch), args)
    return 0


def run_ack(args: argparse.Namespace) -> int:
    service, actor, _ = _signed_in(args)
    print(_line(service.acknowledge(actor, args.batch)))
    return 0


def run_credit(args: argparse.Namespace) -> int:
    service, actor, _ = _signed_in(args)
    print(_line(service.credit(actor, args.batch, args.amount, args.on)))
    return 0


def run_dispute(args: argparse.Namespace) -> int:
    service, actor, _ = _signed_in(args)
    print(_line(service.dispute(actor, args.batch, args.reason)))
    return 0

