"""``rma-station suppliers report --vendor V --from D --to D --out F.pdf|.xlsx [--email]``.

The vendor's scorecard (``station.rtv.scorecard``): units sold and returned, return rate per
SKU, defect reasons, grades, RTV claims open and credited, weekly trend, with charts in the
PDF. ``--email`` sends the file to the vendor's contact over SMTP, configured like
``rma-station notify`` (``RMA_SMTP_HOST``, ``RMA_SMTP_PORT``, ``RMA_SMTP_FROM``...).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path

from station.core.errors import InvalidInput
from station.rtv.scorecard import ScorecardService
from ui.cli import add_db_option, argtypes
from ui.supervisor.headless import CLI_ACTOR, add_period_options, open_context, period_of


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    env = os.environ.get
    parser = subparsers.add_parser("suppliers", help="vendor scorecards")
    sub = parser.add_subparsers(dest="suppliers_command", metavar="ACTION", required=True)
    report = sub.add_parser("report", help="a vendor's scorecard as PDF or XLSX")
    report.add_argument("--vendor", required=True, help="vendor code or name")
    add_period_options(report, required=True)
    report.add_argument("--out", type=Path, required=True, help="F.pdf or F.xlsx")
    report.add_argument("--email", action="store_true", help="also e-mail it to the vendor's contact")
    report.add_argument("--smtp-host", default=env("RMA_SMTP_HOST", "localhost"))
    report.add_argument("--smtp-port", type=argtypes.port, default=env("RMA_SMTP_PORT", "25"))
    report.add_argument("--smtp-security", choices=("none", "starttls", "ssl"), default=env("RMA_SMTP_SECURITY", "none"))
    report.add_argument("--smtp-from", dest="sender", default=env("RMA_SMTP_FROM", "returns@example.com"))
    report.add_argument("--from-name", default=env("RMA_SMTP_FROM_NAME", "Returns"))
    report.add_argument("--smtp-user", default=env("RMA_SMTP_USER", ""))
    add_db_option(report)
    report.set_defaults(handler=run_report)


def run_report(args: argparse.Namespace) -> int:
    from ui.supervisor import supplier_report

    suffix = args.out.suffix.lower()
    if suffix not in (".pdf", ".xlsx"):
        raise InvalidInput(f"--out {args.out.name!r} must end in .pdf or .xlsx.")
    card = ScorecardService(open_context(args)).scorecard(CLI_ACTOR, args.vendor, period_of(args))
    generated = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    data = supplier_report.render_pdf(card, generated=generated) if suffix == ".pdf" else \
        supplier_report.render_xlsx(card)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    print(f"{card.vendor.name}: {card.returned:,} returned of {card.sold:,} sold, {len(card.skus)} SKUs, "
          f"{card.claims_open} open claims, {card.credited_count} credited; wrote {args.out}")
    if args.email:
        from station.integrations.mail import SmtpSettings

        settings = SmtpSettings(args.smtp_host, args.smtp_port, args.sender, args.from_name, args.smtp_user,
                                os.environ.get("RMA_SMTP_PASSWORD", ""), args.smtp_security)
        print(f"e-mailed to {supplier_report.email_scorecard(settings, card, args.out.name, data)}")
    return 0
