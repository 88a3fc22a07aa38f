"""``rma-station notify --once|--watch``: email (and SMS hook) notices to customers.

SMTP settings come from options or the environment (``RMA_SMTP_HOST``, ``RMA_SMTP_PORT``,
``RMA_SMTP_FROM``, ``RMA_SMTP_USER``, ``RMA_SMTP_PASSWORD``, ``RMA_SMTP_SECURITY``); a
password is only ever read from the environment.

Mail headers: Message-IDs on ``--site-domain`` (``RMA_SITE_DOMAIN``, default the sender's
domain); the one-click unsubscribe link on the returns service at ``--public-url``
(``RMA_PUBLIC_URL``, https), signed with the site's unsubscribe secret
(``RMA_UNSUBSCRIBE_SECRET`` or ``<config dir>/unsubscribe.key``, the same one ``serve`` uses).
"""

from __future__ import annotations

import argparse
import json
import os
import time

from station.integrations.mail import SmtpMailer, SmtpSettings
from station.integrations.notifier import NoticeReport, Notifier, status
from station.integrations.sms import WebhookSms
from station.integrations.unsubscribe import UnsubscribeTokens
from station.integrations.webhooks import Backoff
from ui.cli import add_db_option, argtypes
from ui.cli.commands.integrations import open_ledger


def register(subparsers: argparse._SubParsersAction) -> None:
    env = os.environ.get
    parser = subparsers.add_parser("notify", help="send customer notices (--once / --watch)")
    add_db_option(parser)
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--once", action="store_true", help="send everything due, then exit")
    mode.add_argument("--watch", action="store_true", help="keep sending (every --interval seconds)")
    mode.add_argument("--status", action="store_true", help="count notices by state and exit")
    parser.add_argument("--interval", type=argtypes.positive_float, default=10.0)
    parser.add_argument("--smtp-host", default=env("RMA_SMTP_HOST", "localhost"))
    parser.add_argument("--smtp-port", type=argtypes.port, default=env("RMA_SMTP_PORT", "25"))
    parser.add_argument("--smtp-security", choices=("none", "starttls", "ssl"),
                        default=env("RMA_SMTP_SECURITY", "none"))
    parser.add_argument("--from", dest="sender", default=env("RMA_SMTP_FROM", "returns@example.com"))
    parser.add_argument("--from-name", default=env("RMA_SMTP_FROM_NAME", "Returns"))
    parser.add_argument("--smtp-user", default=env("RMA_SMTP_USER", ""))
    parser.add_argument("--site-domain", default=env("RMA_SITE_DOMAIN", ""),
                        help="domain of the Message-IDs (default: the sender's)")
    parser.add_argument("--public-url", default=env("RMA_PUBLIC_URL", ""), metavar="URL",
                        help="the returns service's https address, for one-click unsubscribe links and "
                             "the link to each return's status page in every notice")
    parser.add_argument("--unsubscribe-mailto", default=env("RMA_UNSUBSCRIBE_MAILTO", ""), metavar="ADDRESS",
                        help="mailbox for unsubscribe replies (default: the sender)")
    parser.add_argument("--no-email", action="store_true", help="SMS only")
    parser.add_argument("--sms-webhook", metavar="URL", help="post texts to this SMS adapter")
    parser.add_argument("--sms-secret-env", default="RMA_SMS_SECRET", metavar="VAR")
    parser.add_argument("--workers", type=argtypes.positive_int, default=4)
    parser.add_argument("--max-attempts", type=argtypes.positive_int, default=5)
    parser.set_defaults(handler=_run)


def _label_attachments(engine):  # noqa: ANN001, ANN202 - kept import-light
    """The authorised notice carries the customer's return label (PDF), made from this database."""
    from station.core.context import StationContext
    from station.core.db import make_session_factory
    from station.intake.service import IntakeService
    from web.return_labels import label_attachments

    return label_attachments(IntakeService(StationContext(make_session_factory(engine))))


def _status_links(engine, public_url: str):  # noqa: ANN001, ANN202 - kept import-light
    """Every notice links to its return's status page on the returns service (signed)."""
    if not public_url:
        return None
    from station.core.context import StationContext
    from station.core.db import make_session_factory
    from web.status_links import status_links

    return status_links(StationContext(make_session_factory(engine)), public_url)


def _run(args: argparse.Namespace) -> int:
    engine = open_ledger(args)
    if args.status:
        print(json.dumps(status(engine)))
        return 0
    mailer = None if args.no_email else SmtpMailer(SmtpSettings(
        args.smtp_host, args.smtp_port, args.sender, args.from_name, args.smtp_user,
        os.environ.get("RMA_SMTP_PASSWORD", ""), args.smtp_security, site_domain=args.site_domain.strip(),
        public_url=args.public_url.strip(), unsubscribe_mailto=args.unsubscribe_mailto.strip()),
        UnsubscribeTokens.from_site() if args.public_url.strip() else None)
    sms = WebhookSms(args.sms_webhook, args.sms_secret_env) if args.sms_webhook else None
    notifier = Notifier(engine, mailer=mailer, sms=sms, workers=args.workers, max_attempts=args.max_attempts,
                        backoff=Backoff(base_s=60), attachments=_label_attachments(engine),
                        status_link=_status_links(engine, args.public_url.strip()))
    try:
        while True:
            report = notifier.run_once()
            if report != NoticeReport() or args.once:
                print(f"notices: {report.sent} sent, {report.skipped} skipped (opt-out / no address), "
                      f"{report.failed} to retry, {report.dead} dead", flush=True)
            if args.once:
                return 0
            time.sleep(args.interval)
    finally:
        notifier.close()
