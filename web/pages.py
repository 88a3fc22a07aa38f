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
from station.core.errors import InvalidInput, NotFound, StationError
from station.intake.errors import RateLimited
from station.intake.guard import PageGuard
from station.intake.inputs import RESOLUTIONS, RequestInput, RequestLineInput
from station.intake.lookup import OrderNotMatched
from station.intake.photos import MAX_PHOTO_BYTES, MAX_PHOTOS, check_photo
from station.intake.service import IntakeService
from station.intake.views import ReturnableLine
from station.policy.decision import photo_required, photos_missing
from web import i18n
from web.return_labels import LabelMaker, LabelsOff
from web.signing import Signer
from web.status_words import current_words, timeline

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
        return RedirectResponse(f"/returns/order/{quote(found, safe='')}?g={signer.grant(found)}&lang={lang}", 303)

    async def order_page(request: Request, number: str, lang: str, status: int = 200,
                         error: str = "", form: Any = None) -> HTMLResponse:
        lines = await read(intake.returnable_lines, number)
        name, _, _ = await read(intake.order_summary, number)
        returns = [(v.rma_number, rma_url(v.rma_number, lang), i18n.date_words(v.requested_at, lang),
                    current_words(v.progress, v.resolution, lang) if v.progress else "",
                    v.progress.current if v.progress else "")
                   for v in await read(intake.returns_of_order, number)]
        needs_photo = [reasons.get(c).text(lang) for c in reasons.codes if photo_required(policy, c)]
        return render(request, "returns/order.html", lang, status, order_number=number, customer=name,
                      lines=lines, returns=returns, reason_words={r.code: r.text(lang) for r in reasons.reasons},
                      resolutions=RESOLUTIONS, grant=request.query_params.get("g", ""), error=error,
                      photo_reasons=needs_photo, max_photos=MAX_PHOTOS, max_mb=MAX_PHOTO_BYTES // (1024 * 1024),
                      previous=_previous(form), chosen=str(form.get("resolution", "")) if form else "")

    @router.get("/returns/order/{number:path}", response_class=HTMLResponse)
    async def show_order(request: Request, number: str, g: str = "") -> HTMLResponse:
        lang = i18n.language_of(request)
        if not signer.grant_ok(number, g):
            return problem(request, lang, 403, i18n.t("expired", lang), i18n.t("expired_text", lang))
        return await order_page(request, number, lang)

    @router.post("/returns/order/{number:path}", response_class=HTMLResponse)
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
            returnable = await read(intake.returnable_lines, number)
            parsed = await _request_from_form(form, number, lang, reasons, policy, returnable)
            view = await call(intake.request_return, parsed, by="customer", source="page")
        except _PageProblem as exc:
            return await order_page(request, number, lang, 422, exc.text, form)
        except InvalidInput as exc:
            # The form was right when checked; the order changed meanwhile (another request took
            # the last units). Say which line in words, never the service's field codes.
            log.info("request on order %s refused after the page's checks: %s", number, exc.message)
            fresh = await read(intake.returnable_lines, number)
            text = next((w for w in (_line_problem(l, fresh, lang, reasons) for l in parsed.lines) if w),
                        i18n.t("request_changed", lang))
            return await order_page(request, number, lang, 422, text, form)
        return RedirectResponse(rma_url(view.rma_number, lang), 303)

    @router.get("/returns/rma/{number}", response_class=HTMLResponse)
    async def decision_page(request: Request, number: str, s: str = "") -> HTMLResponse:
        """The page the customer keeps: the decision, then where the return stands."""
        lang = i18n.language_of(request)
        if not signer.rma_link_ok(number, s):
            return problem(request, lang, 404, i18n.t("not_found", lang), i18n.t("not_found_text", lang))
        view = await read(intake.get, number)
        names = await read(intake.product_names, [l.sku for l in view.lines] +
                           [l.exchange_sku for l in view.lines if l.exchange_sku], lang)
        progress = view.progress
        return render(request, "returns/decision.html", lang, view=view, names=names, variant_names=names,
                      reasons_text={c: reasons.get(c).text(lang) for c in {l.reason for l in view.lines}},
                      why=[w.text(lang) for w in view.decision.reasons], review_days=config.review_days,
                      steps=timeline(progress, view.resolution, lang) if progress else [],
                      date=lambda d: i18n.date_words(d, lang),
                      label_url=rma_url(number, lang, "/label.pdf") if labels.enabled and view.parcel else None)

    @router.get("/returns/rma/{number}/label.pdf")
    async def customer_label(request: Request, number: str, s: str = "") -> Response:
        lang = i18n.language_of(request)
        if not signer.rma_link_ok(number, s):
            return problem(request, lang, 404, i18n.t("not_found", lang), i18n.t("not_found_text", lang))
        page = request.query_params.get("page", "a4")
        try:
            pdf = await read(labels.pdf, number, page=page if page in ("a4", "letter", "4x6") else "a4",
                             language=lang)
        except LabelsOff:
            return problem(request, lang, 404, i18n.t("not_found", lang), i18n.t("labels_off_text", lang))
        except NotFound:  # a voucher (no parcel) or a return no longer waiting for one: no label
            return problem(request, lang, 404, i18n.t("not_found", lang), i18n.t("no_label_text", lang))
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


def _previous(form: Any) -> dict[str, tuple[str, str, str, str]]:
    """What the customer chose per SKU, to fill the form again after a problem (no re-typing)."""
    if form is None:
        return {}
    out = {}
    for key in form.keys():
        if key.startswith("sku_"):
            n = key[4:]
            out[str(form.get(key, ""))] = (str(form.get(f"qty_{n}", "0")), str(form.get(f"reason_{n}", "")),
                                           str(form.get(f"comment_{n}", "")), str(form.get(f"variant_{n}", "")))
    return out


class _PageProblem(Exception):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def _line_problem(line: RequestLineInput, returnable: list[ReturnableLine], lang: str, reasons: Any) -> str | None:
    """What is wrong with one requested line against the order as it stands, in words naming
    the product (never ``lines[1]``): not on the order, more than is left, a reason or a size
    the page did not offer. A line the policy refuses outright (a gift card, a passed window)
    is left to the policy, whose refusal is recorded and explained."""
    found = next((r for r in returnable if r.sku == line.sku), None)
    if found is None:
        return i18n.t("line_not_on_order", lang)
    name = found.name_zh if lang == "zh" else found.name_en
    if found.refused_because:
        return None
    if line.quantity > found.remaining:
        return i18n.t("line_too_many", lang, name=name, asked=line.quantity, n=found.remaining, m=found.ordered)
    if not reasons.known(line.reason):
        return i18n.t("line_reason_unknown", lang, name=name)
    if line.exchange_sku and line.exchange_sku not in {v[0] for v in found.variants}:
        return i18n.t("line_variant_unknown", lang, name=name)
    return None


async def _request_from_form(form: Any, number: str, lang: str, reasons: Any, policy: Any,
                             returnable: list[ReturnableLine]) -> RequestInput:
    """The request the form describes, with the customer's mistakes in the customer's words."""
    resolution = str(form.get("resolution", "refund"))
    resolution = resolution if resolution in RESOLUTIONS else "refund"
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
        variant = str(form.get(f"variant_{n}", "")).strip()[:64] if resolution == "exchange" else ""
        line = RequestLineInput(str(form.get(key, "")).strip()[:64], qty, reason[:40],
                                str(form.get(f"comment_{n}", "")).strip()[:2000], variant)
        problem_words = _line_problem(line, returnable, lang, reasons)
        if problem_words:
            raise _PageProblem(problem_words)
        lines.append(line)
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
    return RequestInput(number, tuple(lines), resolution, tuple(photos))
