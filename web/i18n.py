"""The request page's words in English and Simplified Chinese, in one catalogue.

Templates never hold text: they call ``t("key")``. The language comes from ``?lang=``, then
the ``rs_lang`` cookie (set by the switch link), then the browser's Accept-Language.
"""

from __future__ import annotations

import datetime as dt

from starlette.requests import Request

LANGUAGES = ("en", "zh")
COOKIE = "rs_lang"

WORDS: dict[str, tuple[str, str]] = {
    "title": ("Return an item", "申请退货"),
    "shop": ("Returns", "退货服务"),
    "switch": ("中文", "English"),
    "lookup_intro": ("Enter your order number and the e-mail address or phone number you ordered with.",
                     "请输入订单号，以及下单时使用的电子邮箱或手机号码。"),
    "order_number": ("Order number", "订单号"),
    "contact": ("E-mail or phone", "电子邮箱或手机号"),
    "find": ("Find my order", "查找订单"),
    "not_matched": ("We could not find an order with that number and that e-mail or phone. "
                    "Check both and try again.",
                    "未找到与该订单号及邮箱/手机号相符的订单，请核对后重试。"),
    "order_heading": ("Order {order}", "订单 {order}"),
    "pick_intro": ("Choose what you are sending back, how many, and why.",
                   "请选择要退回的商品、数量和原因。"),
    "ordered": ("ordered {n}", "购买 {n} 件"),
    "remaining": ("{n} can be returned", "可退 {n} 件"),
    "already_returned": ("Already being returned", "已在退货中"),
    "not_returnable": ("Cannot be returned:", "不可退货："),
    "nothing_returnable": ("Nothing on this order can be returned now.", "此订单目前没有可退货的商品。"),
    "quantity": ("Quantity", "数量"),
    "reason": ("Reason", "原因"),
    "choose_reason": ("Choose a reason", "请选择原因"),
    "comment": ("Comment (optional)", "备注（选填）"),
    "resolution": ("What would you like?", "希望如何处理？"),
    "refund": ("A refund", "退款"),
    "exchange": ("An exchange", "换货"),
    "compensation": ("A voucher", "补偿券"),
    "photos": ("Photos", "照片"),
    "photos_hint": ("JPEG or PNG, up to {mb} MB each, at most {n}. Needed for: {reasons}.",
                    "JPEG 或 PNG，每张不超过 {mb} MB，最多 {n} 张。以下原因须附照片：{reasons}。"),
    "send": ("Send my request", "提交申请"),
    "nothing_picked": ("Choose a quantity for at least one item.", "请至少为一件商品选择数量。"),
    "reason_missing": ("Choose a reason for each item you return.", "请为每件退回的商品选择原因。"),
    "photo_needed": ("The reason “{reason}” needs at least one photo of the item.",
                     "原因“{reason}”须至少附一张商品照片。"),
    "photo_bad": ("One of the photos is not a JPEG or PNG picture, or is too large. {detail}",
                  "有照片不是 JPEG/PNG 图片或文件过大。{detail}"),
    "too_many_photos": ("At most {n} photos.", "最多 {n} 张照片。"),
    "line_not_on_order": ("One of the items sent is not on this order. Choose from the items below.",
                          "提交的商品中有一件不在此订单中，请从下方商品中选择。"),
    "line_too_many": ("You asked to return {asked} × “{name}”, but only {n} of the {m} ordered can still be "
                      "returned.", "您申请退回 {asked} 件“{name}”，但订购的 {m} 件中只有 {n} 件仍可退。"),
    "line_reason_unknown": ("Choose one of the reasons offered for “{name}”.", "请为“{name}”选择页面提供的原因之一。"),
    "line_variant_unknown": ("Choose one of the sizes or colours offered for “{name}”.",
                             "请为“{name}”选择页面提供的尺码或颜色之一。"),
    "request_changed": ("We could not take this request: the order changed while you were filling in the form. "
                        "Check the items below and send it again.",
                        "无法受理此申请：您填写期间订单已有变化，请核对下方商品后重新提交。"),
    "decision_heading": ("Return {rma}", "退货单 {rma}"),
    "authorised": ("Your return is authorised.", "您的退货申请已批准。"),
    "authorised_next": ("Print the return label, stick it on the parcel so the barcode stays flat and "
                        "visible, and hand the parcel to the carrier. Pack the items with their accessories.",
                        "请打印退货标签，平整贴在包裹上并保持条码清晰可见，然后交给快递。请连同配件一起包装。"),
    "download_label": ("Download the return label (PDF)", "下载退货标签（PDF）"),
    "pending": ("Your request was received and is being checked by our team.", "您的申请已收到，正在由我们的团队审核。"),
    "pending_when": ("You will have an answer by e-mail within {days} working days. Please do not send "
                     "anything yet.", "我们会在 {days} 个工作日内通过邮件答复您。在此之前请勿寄出商品。"),
    "refused": ("We cannot accept this return.", "很抱歉，无法受理此退货。"),
    "cancelled": ("This return request was withdrawn by the shop; please do not send anything.",
                  "此退货申请已由商家撤销，请勿寄出商品。"),
    "why": ("Why:", "原因："),
    "items": ("Items", "商品"),
    "rma_number": ("Return number:", "退货单号："),
    "new_request": ("Return something else", "申请其他退货"),
    "too_many": ("Too many attempts", "尝试次数过多"),
    "too_many_text": ("There were too many attempts for this order or from your connection. "
                      "Please wait a few minutes and try again.",
                      "该订单或您的网络尝试次数过多，请稍等几分钟后再试。"),
    "expired": ("This page has expired", "页面已过期"),
    "expired_text": ("For your security this form can be sent once and for a limited time. "
                     "Please start again.", "为保障安全，此表单只能提交一次且有时效，请重新开始。"),
    "too_large": ("The upload is too large", "上传内容过大"),
    "too_large_text": ("Send at most {n} photos of up to {mb} MB each.", "最多上传 {n} 张照片，每张不超过 {mb} MB。"),
    "not_found": ("Not found", "未找到"),
    "not_found_text": ("This link is not valid. Start again from the returns page.",
                       "此链接无效，请从退货页面重新开始。"),
    "label_unavailable": ("The label cannot be made just now", "暂时无法生成退货标签"),
    "label_unavailable_text": ("Your return is authorised; we are fixing a problem with the label and will "
                               "send it to you by e-mail. Please try the link again later.",
                               "您的退货已批准。退货标签暂时无法生成，我们正在处理，稍后会通过邮件发送给您，也可稍后再试此链接。"),
    "start_again": ("Start again", "重新开始"),
    "labels_off_text": ("Return labels are not made online for this shop; we will tell you by e-mail where to "
                        "send the parcel.", "本店不在线生成退货标签，我们会通过邮件告知您寄回地址。"),
    "no_label_text": ("This return needs no return label: there is nothing to send back with it.",
                      "此退货无需退货标签，不需要寄回任何商品。"),
    # ---- the status page and the look-up's list of returns (station.intake.progress)
    "your_returns": ("Your returns on this order", "此订单的退货"),
    "asked_on": ("asked on {date}", "申请于 {date}"),
    "open_return": ("See where it stands", "查看进度"),
    "progress": ("Progress", "进度"),
    "step_asked": ("Asked", "已申请"),
    "step_authorised": ("Authorised", "已批准"),
    "step_received": ("Received", "已收到"),
    "step_received_long": ("Received at our returns dock", "退货仓已收到包裹"),
    "step_received_part": ("{n} of {m} items received so far", "已收到 {n} / {m} 件"),
    "step_inspected": ("Inspected", "已检验"),
    "step_resolved": ("Refund or exchange issued", "已退款或换货"),
    "step_resolved_refund": ("Refund issued", "已退款"),
    "step_resolved_exchange": ("Exchange issued", "已安排换货"),
    "step_resolved_compensation": ("Voucher issued", "补偿券已发放"),
    "step_resolved_rejected": ("Not accepted after inspection", "检验后未予受理"),
    "step_closed": ("Closed", "已完成"),
    "step_pending_review": ("Being checked by our team", "团队审核中"),
    "step_refused": ("Refused", "未获批准"),
    "step_cancelled": ("Cancelled", "已取消"),
    "step_expired": ("Expired", "已过期"),
    "now_received": ("We have received your parcel.", "我们已收到您的包裹。"),
    "now_received_next": ("Our team checks the items next; you will hear from us by e-mail.",
                          "接下来我们会检验商品，结果将通过邮件通知您。"),
    "now_inspected": ("Your items have been inspected.", "您的商品已检验完毕。"),
    "now_resolved_refund": ("Your refund has been issued.", "您的退款已发放。"),
    "now_resolved_exchange": ("Your exchange has been issued.", "您的换货已安排。"),
    "now_resolved_compensation": ("Your voucher has been issued.", "您的补偿券已发放。"),
    "now_resolved_rejected": ("After inspection we could not accept this return.", "经检验，我们无法受理此退货。"),
    "now_closed": ("This return is complete.", "此退货已完成。"),
    "now_cancelled": ("This return was cancelled.", "此退货已取消。"),
    "now_expired": ("This return expired: the parcel did not reach us by the send-by date.",
                    "此退货已过期：寄回期限内我们未收到包裹。"),
    "send_by": ("Send it by {date}.", "请在 {date} 前寄出。"),
    "voucher_authorised": ("Your voucher request is authorised.", "您的补偿券申请已批准。"),
    "voucher_keep": ("Keep the item: nothing needs to be sent back. We will e-mail you when the voucher "
                     "is issued.", "商品请自行保留，无需寄回。补偿券发放后我们会通过邮件通知您。"),
    "exchange_for": ("Exchange for: {variant}", "换成：{variant}"),
    "exchange_choose": ("If you ask for an exchange: size or colour", "如需换货，换成（尺码、颜色）"),
    "exchange_same": ("The same item", "同款同规格"),
    "bookmark": ("Keep this page's address: it shows where your return stands.",
                 "请收藏此页面地址，可随时查看退货进度。"),
    "back": ("Back", "返回"),
}


MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def date_words(when: dt.date | dt.datetime | None, lang: str) -> str:
    """A date as a customer reads it: ``6 Dec 2026`` or ``2026年12月6日`` (no ISO, no clock)."""
    if when is None:
        return ""
    if lang == "zh":
        return f"{when.year}年{when.month}月{when.day}日"
    return f"{when.day} {MONTHS_EN[when.month - 1]} {when.year}"


def t(key: str, lang: str, **values: object) -> str:
    en, zh = WORDS[key]
    text = zh if lang == "zh" else en
    return text.format(**values) if values else text


def from_accept_language(header: str) -> str:
    """The first of our languages the browser prefers (q-values respected), else English."""
    best, best_q = "en", -1.0
    for n, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        lang = tag.strip().lower().split("-")[0]
        if lang in LANGUAGES and q - n * 1e-6 > best_q:
            best, best_q = lang, q - n * 1e-6
    return best


def language_of(request: Request) -> str:
    asked = request.query_params.get("lang", "")
    if asked in LANGUAGES:
        return asked
    cookie = request.cookies.get(COOKIE, "")
    if cookie in LANGUAGES:
        return cookie
    return from_accept_language(request.headers.get("accept-language", ""))
