"""The customer's request page: ``/returns`` in English and Simplified Chinese.

Plain HTML forms, no JavaScript: order number + e-mail/phone -> the order's returnable lines
-> quantity, reason, comment, photos -> the decision at once (authorised with the label,
sent for review, or refused with the policy's words). Every step after a POST redirects
(Post/Redirect/Get) to a signed link, so a page can be reloaded or switched to the other
language without sending anything twice.

Nothing is decided here: the order look-up, the decision, the attempt limits and the nonce
list are station services; this module parses forms, checks the browser-side guards (form
token bound to a cookie, Origin) and shows what the services said.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlparse

from fastapi import APIRouter, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from labels.errors import LabelError
from station.core.errors import InvalidInput, StationError
from station.intake.errors import RateLimited
from station.intake.guard import PageGuard
from station.intake.inputs import RESOLUTIONS, RequestInput, RequestLineInput
from station.intake.lookup import OrderNotMatched
from station.intake.photos import MAX_PHOTO_BYTES, MAX_PHOTOS, check_photo
from station.intake.service import IntakeService
from station.policy.decision import photo_required, photos_missing
from web import i18n
from web.return_labels import LabelMaker
from web.signing import Signer

log = logging.getLogger(__name__)

BROWSER_COOKIE = "rs_browser"


@dataclass(frozen=True)
class PageConfig:
    """The request page's limits: attempts per order and per client address in a window,
    the upload cap, and how many working days a review takes."""

    attempts_per_order: int = 10
    attempts_per_address: int = 30
    attempt_window_s: int = 600
    max_upload_bytes: int = 20 * 1024 * 1024
    review_days: int = 2
    dock_address: str | None = None  # None: the station setting ``dock.address``
    labels: bool = True  # False (``serve --no-labels``): decisions carry no label link


class FormRefused(StationError):
    """A form that is not this browser's, too old, posted twice, or from another site."""

    code = "form_refused"


class UploadTooLarge(StationError):
    code = "upload_too_large"


def install_pages(app: FastAPI, intake: IntakeService, call: Any, config: PageConfig | None = None) -> None:
    config = config or PageConfig()
    guard = PageGuard(intake.ctx)
    signer = Signer(guard.signing_key())
    labels = LabelMaker(intake, config.dock_address, enabled=config.labels)
    app.state.signer = signer
    app.state.labels = labels
    app.include_router(pages_router(app, intake, guard, signer, labels, call, config))


def pages_router(app: FastAPI, intake: IntakeService, guard: PageGuard, signer: Signer, labels: LabelMaker,
                 call: Any, config: PageConfig) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    templates = app.state.templates
    # Reads need no turn on SQLite's single write lock (WAL readers never wait for the writer):
    # only the writes queue through ``call``.
    read = run_in_threadpool
    reasons = intake.reasons
    policy = intake.ctx.policy

    def render(request: Request, name: str, lang: str, status: int = 200, **values: Any) -> HTMLResponse:
        browser = request.cookies.get(BROWSER_COOKIE) or secrets.token_urlsafe(18)
        here = request.url.path + "?" + "&".join(
            f"{k}={quote(v)}" for k, v in request.query_params.items() if k != "lang")
        other = "en" if lang == "zh" else "zh"
        context = {"lang": lang, "t": lambda key, **kw: i18n.t(key, lang, **kw),
                   "switch_url": f"{here}&lang={other}" if "?" in here else f"{here}?lang={other}",
                   "form_token": signer.form_token(browser), **values}
        response = templates.TemplateResponse(request, name, context, status_code=status)
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Content-Security-Policy"] = ("default-src 'self'; img-src 'self' data:; "
                                                       "form-action 'self'; frame-ancestors 'none'")
        response.headers["Referrer-Policy"] = "same-origin"
        if request.cookies.get(BROWSER_COOKIE) != browser:
            response.set_cookie(BROWSER_COOKIE, browser, httponly=True, samesite="lax", max_age=86400)
        if request.query_params.get("lang") in i18n.LANGUAGES:
            response.set_cookie(i18n.COOKIE, lang, samesite="lax", max_age=365 * 86400)
        return response

    def problem(request: Request, lang: str, status: int, heading: str, text: str) -> HTMLResponse:
        return render(request, "returns/problem.html", lang, status, heading=heading, text=text)

    def too_many(request: Request, lang: str) -> HTMLResponse:
        response = problem(request, lang, 429, i18n.t("too_many", lang), i18n.t("too_many_text", lang))
        response.headers["Retry-After"] = str(config.attempt_window_s)
        return response

    def lookup_keys(request: Request, order_number: str) -> dict[str, int]:
        address = request.client.host if request.client else "unknown"
        return {f"order:{order_number.strip().upper()[:64]}": config.attempts_per_order,
                f"addr:{address}": config.attempts_per_address}

    async def check_form(request: Request, token: str, limits: dict[str, int]) -> None:
        """Origin from this site, token signed for this browser's cookie, fresh, used once; and
        the failed look-ups of ``limits``' keys under their limits (one transaction)."""
        origin = request.headers.get("origin") or request.headers.get("referer")
        if origin and origin != "null" and urlparse(origin).netloc != request.headers.get("host", ""):
            raise FormRefused("The form was sent from another site.")
        if origin == "null":
            raise FormRefused("The form was sent from an opaque origin.")
        nonce = signer.form_nonce(token, request.cookies.get(BROWSER_COOKIE, ""))
        if nonce is None:
            raise FormRefused("The form is not this browser's or has expired.")
        if not await call(guard.admit, nonce, limits, window_seconds=config.attempt_window_s):
            raise FormRefused("The form was already sent.")

    def rma_url(number: str, lang: str, suffix: str = "") -> str:
        return f"/returns/rma/{number}{suffix}?s={signer.rma_link(number)}&lang={lang}"

    @router.get("/returns", response_class=HTMLResponse)
    async def lookup_page(request: Request) -> HTMLResponse:
        return render(request, "returns/lookup.html", i18n.language_of(request), order_number="", contact="")

    @router.post("/returns", response_class=HTMLResponse)
    async def lookup(request: Request) -> Response:
        lang = i18n.language_of(request)
        form = await request.form(max_files=0, max_fields=10, max_part_size=4096)
        number, contact = str(form.get("order_number", "")).strip(), str(form.get("contact", "")).strip()
        limits = lookup_keys(request, number)
        try:
            await check_form(request, str(form.get("form_token", "")), limits)
            found = await read(intake.find_order_for_customer, number, contact)
        except FormRefused:
            return problem(request, lang, 403, i18n.t("expired", lang), i18n.t("expired_text", lang))
        except RateLimited:
            return too_many(request, lang)
        except OrderNotMatched:
            await call(guard.failed, list(limits), window_seconds=config.attempt_window_s)
            return render(request, "returns/lookup.html", lang, 404, error=i18n.t("not_matched", lang),
                          order_number=number, contact=contact)
        await call(guard.succeeded, next(iter(limits)))
        return RedirectResponse(f"/returns/order/{quote(found)}?g={signer.grant(found)}&lang={lang}", 303)

    async def order_page(request: Request, number: str, lang: str, status: int = 200,
                         error: str = "", form: Any = None) -> HTMLResponse:
        lines = await read(intake.returnable_lines, number)
        name, _, _ = await read(intake.order_summary, number)
        needs_photo = [reasons.get(c).text(lang) for c in reasons.codes if photo_required(policy, c)]
        return render(request, "returns/order.html", lang, status, order_number=number, customer=name,
                      lines=lines, reasons=[(r.code, r.text(lang)) for r in reasons.reasons],
                      resolutions=RESOLUTIONS, grant=request.query_params.get("g", ""), error=error,
                      photo_reasons=needs_photo, max_photos=MAX_PHOTOS, max_mb=MAX_PHOTO_BYTES // (1024 * 1024),
                      previous=_previous(form), chosen=str(form.get("resolution", "")) if form else "")

    @router.get("/returns/order/{number}", response_class=HTMLResponse)
    async def show_order(request: Request, number: str, g: str = "") -> HTMLResponse:
        lang = i18n.language_of(request)
        if not signer.grant_ok(number, g):
            return problem(request, lang, 403, i18n.t("expired", lang), i18n.t("expired_text", lang))
        return await order_page(request, number, lang)

    @router.post("/returns/order/{number}", response_class=HTMLResponse)
    async def send_request(request: Request, number: str, g: str = "") -> Response:
        lang = i18n.language_of(request)
        try:
            declared = request.headers.get("content-length", "")
            if not declared.isdigit():
                raise UploadTooLarge("The upload has no length.")
            if int(declared) > config.max_upload_bytes:
                raise UploadTooLarge(f"The upload is {int(declared):,} bytes.")
            form = await request.form(max_files=MAX_PHOTOS + 1, max_fields=1000, max_part_size=16 * 1024)
        except UploadTooLarge:
            return problem(request, lang, 413, i18n.t("too_large", lang),
                           i18n.t("too_large_text", lang, n=MAX_PHOTOS, mb=MAX_PHOTO_BYTES // (1024 * 1024)))
        try:
            if not signer.grant_ok(number, g):
                raise FormRefused("The order grant is not valid.")
            await check_form(request, str(form.get("form_token", "")), {})  # a grant holder's form: never counted
        except FormRefused:
            return problem(request, lang, 403, i18n.t("expired", lang), i18n.t("expired_text", lang))
        except RateLimited:
            return too_many(request, lang)
        try:
            parsed = await _request_from_form(form, number, lang, reasons, policy)
            view = await call(intake.request_return, parsed, by="customer", source="page")
        except _PageProblem as exc:
            return await order_page(request, number, lang, 422, exc.text, form)
        except InvalidInput as exc:
            return await order_page(request, number, lang, 422,
                                    i18n.t("request_invalid", lang, detail=exc.message), form)
        return RedirectResponse(rma_url(view.rma_number, lang), 303)

    @router.get("/returns/rma/{number}", response_class=HTMLResponse)
    async def decision_page(request: Request, number: str, s: str = "") -> HTMLResponse:
        lang = i18n.language_of(request)
        if not signer.rma_link_ok(number, s):
            return problem(request, lang, 404, i18n.t("not_found", lang), i18n.t("not_found_text", lang))
        view = await read(intake.get, number)
        names = {l.sku: (l.name_zh if lang == "zh" else l.name_en)
                 for l in await read(intake.returnable_lines, view.order_number)}
        return render(request, "returns/decision.html", lang, view=view, names=names,
                      reasons_text={c: reasons.get(c).text(lang) for c in {l.reason for l in view.lines}},
                      why=[w.text(lang) for w in view.decision.reasons], review_days=config.review_days,
                      label_url=rma_url(number, lang, "/label.pdf") if labels.enabled else None)

    @router.get("/returns/rma/{number}/label.pdf")
    async def customer_label(request: Request, number: str, s: str = "") -> Response:
        lang = i18n.language_of(request)
        if not signer.rma_link_ok(number, s):
            return problem(request, lang, 404, i18n.t("not_found", lang), i18n.t("not_found_text", lang))
        page = request.query_params.get("page", "a4")
        try:
            pdf = await read(labels.pdf, number, page=page if page in ("a4", "letter", "4x6") else "a4",
                             language=lang)
        except LabelError as exc:
            # The shop's set-up, not the customer's doing: say so kindly, log what to fix.
            log.error("return label for %s cannot be made: %s %s", number, exc.message, exc.next_step or "")
            return problem(request, lang, 503, i18n.t("label_unavailable", lang),
                           i18n.t("label_unavailable_text", lang))
        return _pdf(pdf, number)

    return router


def _pdf(pdf: bytes, number: str) -> Response:
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="return-label-{number}.pdf"',
                             "Cache-Control": "no-store"})


def _previous(form: Any) -> dict[str, tuple[str, str, str]]:
    """What the customer chose per SKU, to fill the form again after a problem (no re-typing)."""
    if form is None:
        return {}
    out = {}
    for key in form.keys():
        if key.startswith("sku_"):
            n = key[4:]
            out[str(form.get(key, ""))] = (str(form.get(f"qty_{n}", "0")), str(form.get(f"reason_{n}", "")),
                                           str(form.get(f"comment_{n}", "")))
    return out


class _PageProblem(Exception):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


async def _request_from_form(form: Any, number: str, lang: str, reasons: Any, policy: Any) -> RequestInput:
    """The request the form describes, with the customer's mistakes in the customer's words."""
    lines = []
    for key in form.keys():
        if not key.startswith("sku_"):
            continue
        n = key[4:]
        qty_text = str(form.get(f"qty_{n}", "0")).strip() or "0"
        if not qty_text.isdigit():
            raise _PageProblem(i18n.t("nothing_picked", lang))
        qty = int(qty_text)
        if qty == 0:
            continue
        reason = str(form.get(f"reason_{n}", "")).strip()
        if not reason:
            raise _PageProblem(i18n.t("reason_missing", lang))
        lines.append(RequestLineInput(str(form.get(key, "")).strip()[:64], qty, reason[:40],
                                      str(form.get(f"comment_{n}", "")).strip()[:2000]))
    if not lines:
        raise _PageProblem(i18n.t("nothing_picked", lang))
    uploads = [f for f in form.getlist("photos") if isinstance(f, UploadFile) and f.filename]
    if len(uploads) > MAX_PHOTOS:
        raise _PageProblem(i18n.t("too_many_photos", lang, n=MAX_PHOTOS))
    photos = []
    for upload in uploads:
        data = await upload.read(MAX_PHOTO_BYTES + 1)
        try:
            check_photo(data, upload.filename or "the photo")
        except InvalidInput as exc:
            raise _PageProblem(i18n.t("photo_bad", lang, detail=exc.message)) from None
        photos.append(data)
    missing = photos_missing(policy, [line.reason for line in lines], len(photos))
    if missing is not None:  # the service refuses it too; the customer reads why in their language
        raise _PageProblem(i18n.t("photo_needed", lang, reason=reasons.get(missing).text(lang)))
    resolution = str(form.get("resolution", "refund"))
    return RequestInput(number, tuple(lines), resolution if resolution in RESOLUTIONS else "refund", tuple(photos))
