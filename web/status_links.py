"""The customer's status page as a link for e-mails: ``{public_url}/returns/rma/{n}?s=...``.

The signature is the page's own (``web.signing.Signer`` under the key kept in the database),
so a link from any notice opens the page the customer keeps, in the notice's language, and
works whatever the look-up's attempt limits say.
"""

from __future__ import annotations

from urllib.parse import quote

from station.intake.guard import PageGuard
from station.integrations.notifier import StatusLinkFor
from web.signing import Signer


def status_page_url(signer: Signer, public_url: str, rma_number: str, lang: str) -> str:
    return (f"{public_url.rstrip('/')}/returns/rma/{quote(rma_number, safe='')}"
            f"?s={signer.rma_link(rma_number)}&lang={'zh' if lang == 'zh' else 'en'}")


def status_links(ctx: object, public_url: str) -> StatusLinkFor:
    """For the notifier: each notice's link to its return's status page."""
    signer = Signer(PageGuard(ctx).signing_key())  # type: ignore[arg-type]

    def link(rma_number: str, locale: str) -> str:
        return status_page_url(signer, public_url, rma_number, locale)

    return link
