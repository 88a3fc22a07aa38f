"""``/unsubscribe/{token}``: the one-click unsubscribe link of every customer e-mail (RFC 8058).

``POST`` records the opt-out: it is what a mail program sends when the customer presses its
"unsubscribe" button (body ``List-Unsubscribe=One-Click``), and what the page's button sends.
``GET`` only shows that page and changes nothing, because link checkers and virus scanners
fetch links in mail. Both answer in English and Chinese, the languages of the notices.
The token is checked with the site's unsubscribe secret (``station.integrations.unsubscribe``).
"""

from __future__ import annotations

import html
import logging

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse

from station.core.context import StationContext
from station.core.errors import InvalidInput
from station.integrations.unsubscribe import UnsubscribeTokens, record_opt_out

log = logging.getLogger(__name__)


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width"><meta name="robots" content="noindex">'
        f"<title>{html.escape(title)}</title></head>\n<body style=\"font-family: sans-serif; max-width: 36em; "
        f"margin: 2em auto\">\n{body}\n</body></html>\n", status_code=status)


def _refused(exc: InvalidInput) -> HTMLResponse:
    return _page("Unsubscribe", f"<h1>Unsubscribe</h1><p>{html.escape(exc.message)}</p>"
                                f"<p>{html.escape(exc.next_step or '')}</p>", status=400)


def unsubscribe_router(ctx: StationContext, tokens: UnsubscribeTokens | None = None) -> APIRouter:
    """The routes; ``tokens`` defaults to the site's key (``UnsubscribeTokens.from_site``)."""
    router = APIRouter()
    keys = tokens or UnsubscribeTokens.from_site()

    @router.get("/unsubscribe/{token}", response_class=HTMLResponse, include_in_schema=False)
    async def confirm(token: str) -> HTMLResponse:
        try:
            keys.address(token)
        except InvalidInput as exc:
            return _refused(exc)
        action = html.escape(f"/unsubscribe/{token}")
        return _page("Unsubscribe", f"""<h1>Unsubscribe · 退订</h1>
<p>Press the button and we send no more e-mails about returns to this address.</p>
<p>按下按钮后，我们将不再向此邮箱发送退货相关邮件。</p>
<form method="post" action="{action}"><input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit">Unsubscribe · 退订</button></form>""")

    @router.post("/unsubscribe/{token}", response_class=HTMLResponse, include_in_schema=False)
    async def one_click(token: str) -> HTMLResponse:
        try:
            address = keys.address(token)
        except InvalidInput as exc:
            return _refused(exc)

        def record() -> bool:
            with ctx.session_factory.begin() as session:
                return record_opt_out(session, ctx.station_id, address, "one-click", ctx.now())

        await run_in_threadpool(record)
        return _page("Unsubscribed", "<h1>Unsubscribed · 已退订</h1>"
                                     "<p>You will get no more e-mails about returns from us.</p>"
                                     "<p>您将不再收到我们发送的退货相关邮件。</p>")

    return router
