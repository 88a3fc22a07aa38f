"""The policy deciding a return request, and the dock's policy check, as frozen values.

``decide`` is a pure function of the policy and the facts (no database), so ``policy
explain``, the API and the request page all show the same rule and the same words. Rules run
in a fixed order and the first that refuses wins; if none refuses, the first that asks for a
supervisor sends the request to review; else the request is authorised.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from station.catalog.categories import category_words
from station.core.return_policy import ReturnPolicy


class Outcome(enum.StrEnum):
    AUTHORISED = "authorised"
    PENDING_REVIEW = "pending_review"
    REFUSED = "refused"


@dataclass(frozen=True)
class Words:
    """One reason in plain words, in English and Simplified Chinese."""

    en: str
    zh: str

    def text(self, locale: str = "en") -> str:
        return self.zh if locale.lower().startswith("zh") else self.en


@dataclass(frozen=True)
class LineFacts:
    """One request line as the policy sees it. ``name_en`` / ``name_zh``: the product's name,
    which the reasons the customer reads name (a SKU means nothing to a customer); the SKU
    stands in when the catalogue has no name."""

    sku: str
    category: str
    quantity: int
    reason: str
    unit_price: Decimal
    name_en: str = ""
    name_zh: str = ""

    def name(self, language: str = "en") -> str:
        """The product's name in ``language`` (``zh`` or English), else its SKU."""
        return (self.name_zh if language.lower().startswith("zh") else self.name_en) or self.sku


class PricedLine(Protocol):
    """A request line as far as its value goes (``LineFacts``, ``RequestLineView``)."""

    @property
    def unit_price(self) -> Decimal: ...

    @property
    def quantity(self) -> int: ...


def request_value(lines: Iterable[PricedLine]) -> Decimal:
    """What a return request is worth: each line's unit price, as sold on the order, times
    the quantity asked back, summed, in the order's currency.

    The policy compares it with ``request.auto_authorise_below`` (from that value up, a
    supervisor reviews) and the review desk shows it beside the request, so both must be this
    sum: no fee, shipping or discount is taken off here (that is the resolution's business).
    """
    return sum((line.unit_price * line.quantity for line in lines), Decimal("0"))


@dataclass(frozen=True)
class RequestFacts:
    """What the policy needs to know about one request; gathered by the intake service."""

    lines: tuple[LineFacts, ...]
    delivered_at: dt.datetime | None
    now: dt.datetime
    repeat_returner: bool = False
    order_flagged: bool = False


@dataclass(frozen=True)
class Decision:
    """What the policy decided, which rule decided it, and why in plain words."""

    outcome: Outcome
    rule: str
    reasons: tuple[Words, ...]

    def as_json(self) -> dict[str, Any]:
        return {"outcome": self.outcome.value, "rule": self.rule,
                "reasons": [{"en": w.en, "zh": w.zh} for w in self.reasons]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Decision:
        return cls(Outcome(data["outcome"]), data["rule"],
                   tuple(Words(r["en"], r["zh"]) for r in data.get("reasons", ())))


def _reason_words(code: str, language: str) -> str:
    """A reason in the customer's words (the shop's reason list), never its code."""
    from station.catalog.reasons import load_reasons

    return load_reasons().get(code).text(language)


def _refusals(policy: ReturnPolicy, facts: RequestFacts, line: LineFacts) -> tuple[str, Words] | None:
    if line.category in policy.non_returnable:
        return "returnable.non_returnable", Words(
            f"{line.name()}: {category_words(line.category)} cannot be returned under the shop's policy.",
            f"{line.name('zh')}：{category_words(line.category, 'zh')}类商品按本店政策不可退货。")
    if facts.delivered_at is not None:
        days = policy.window_for(line.category)
        last_day = (facts.delivered_at + dt.timedelta(days=days)).date()
        if facts.now.date() > last_day:
            rule = f"window.days.{line.category}" if line.category in policy.window_days else "window.default_days"
            return rule, Words(
                f"{line.name()}: the return window for {category_words(line.category)} is {days} days "
                f"from delivery; it ended on {last_day.isoformat()}.",
                f"{line.name('zh')}：该类商品的退货期限为签收后 {days} 天，已于 {last_day.isoformat()} 截止。")
    if not policy.request.reason_allowed(line.category, line.reason):
        return f"request.reasons_allowed.{line.category}", Words(
            f"{line.name()}: {category_words(line.category)} cannot be returned for the reason "
            f"“{_reason_words(line.reason, 'en')}”.",
            f"{line.name('zh')}：该类商品不接受以“{_reason_words(line.reason, 'zh')}”为由退货。")
    return None


def decide(policy: ReturnPolicy, facts: RequestFacts) -> Decision:
    """Authorise, refuse or send to review, naming the rule that decided."""
    for line in facts.lines:
        refused = _refusals(policy, facts, line)
        if refused is not None:
            return Decision(Outcome.REFUSED, refused[0], (refused[1],))
    rules = policy.request
    reviews: list[tuple[str, Words]] = []
    value = request_value(facts.lines)
    if facts.delivered_at is None:
        reviews.append(("request.delivery_unknown", Words(
            "The order has no delivery date yet, so its return window cannot be counted.",
            "订单尚无签收日期，无法计算退货期限。")))
    if value >= rules.auto_authorise_below:
        reviews.append(("request.auto_authorise_below", Words(
            f"The return is worth {value:.2f}; requests from {rules.auto_authorise_below:.2f} up are "
            "checked by a supervisor.",
            f"退货金额 {value:.2f}，{rules.auto_authorise_below:.2f} 及以上需主管审核。")))
    if facts.repeat_returner and rules.review_repeat_returners:
        reviews.append(("repeat_returner", Words(
            f"The customer made more than {policy.repeat_returns} returns in {policy.repeat_days} days.",
            f"该顾客 {policy.repeat_days} 天内退货超过 {policy.repeat_returns} 次。")))
    if facts.order_flagged and rules.review_flagged_orders:
        reviews.append(("request.review_flagged_orders", Words(
            "The order is flagged for review by the shop.", "该订单已被商家标记为需审核。")))
    if reviews:
        return Decision(Outcome.PENDING_REVIEW, reviews[0][0], tuple(w for _, w in reviews))
    return Decision(Outcome.AUTHORISED, "request.auto_authorise_below", (Words(
        f"Authorised at once: a return worth {value:.2f} (under {rules.auto_authorise_below:.2f}), "
        "within its window, for an allowed reason.",
        f"已自动批准：金额 {value:.2f}（低于 {rules.auto_authorise_below:.2f}），在退货期限内，原因符合政策。"),))


def photo_required(policy: ReturnPolicy, reason: str) -> bool:
    """Whether a request for ``reason`` needs at least one photo from the customer.

    The policy names those reasons (``request.photos_required_for``: damaged, defective, not
    as described, wrong item sent), the ones a photo lets the shop judge before the parcel
    travels. One photo for the whole request is enough (``photos_missing``). Reason codes are
    compared exactly, as the request's lines are checked against the reason list.
    """
    return reason in policy.request.photos_required_for


def photos_missing(policy: ReturnPolicy, reasons: Sequence[str], photos: int) -> str | None:
    """The first reason that needs a photo when none was sent (``photo_required``), else None."""
    if photos:
        return None
    return next((reason for reason in reasons if photo_required(policy, reason)), None)


@dataclass(frozen=True)
class DockLine:
    sku: str
    category: str


def dock_hold(policy: ReturnPolicy, lines: Sequence[DockLine], counted_from: dt.datetime,
              received_at: dt.datetime) -> tuple[str, Words] | None:
    """The rule that holds a parcel for a supervisor at the dock, with its words, or None.

    A non-returnable item always holds; a parcel received after the category's window
    (counted from ``counted_from``: authorisation or delivery, as the policy says) plus the
    grace days holds too.
    """
    for line in lines:
        if line.category in policy.non_returnable:
            return "returnable.non_returnable", Words(
                f"{line.sku} is {line.category.replace('_', ' ')}, which the shop does not take back.",
                f"{line.sku} 属于不可退货类别（{line.category}）。")
    for line in lines:
        days = policy.window_for(line.category)
        last_day = (counted_from + dt.timedelta(days=days + policy.grace_days)).date()
        if received_at.date() > last_day:
            late = (received_at.date() - last_day).days
            start = "authorisation" if policy.request.dock_counts_from == "authorisation" else "delivery"
            return f"window.days.{line.category}", Words(
                f"{line.sku}: the {line.category.replace('_', ' ')} window is {days} days from {start} "
                f"(+{policy.grace_days} grace); the parcel is {late} day(s) late.",
                f"{line.sku}：该类商品退货期限为{'批准' if start == 'authorisation' else '签收'}后 {days} 天"
                f"（宽限 {policy.grace_days} 天），包裹已逾期 {late} 天。")
    return None
