"""The API's documents as pydantic models, for the OpenAPI description only.

Validation itself is ``station.intake.inputs`` (the same for the API and the imports), so the
models here describe and never decide. The answers' models forbid fields they do not name:
``tests/web/openapi_check.py`` validates every response the test suite receives against them,
so an answer that grows a field the document does not declare fails a test.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Customer(BaseModel):
    ref: str
    name: str
    email: str = ""
    phone: str = ""
    language: Literal["en", "zh"] = "en"


class OrderLine(BaseModel):
    sku: str
    quantity: int = Field(ge=1)
    unit_price: str = Field(description="decimal amount, e.g. \"99.00\"")
    serials: list[str] = []
    lot: str = Field("", max_length=40,
                     description="the production lot shipped on this line, when known; the dock flags "
                                 "a returned unit whose GS1 code carries another (lot_mismatch)")


class OrderBody(BaseModel):
    order_number: str
    placed_at: str = Field(description="ISO 8601")
    delivered_at: str | None = Field(None, description="ISO 8601; the return window counts from it")
    currency: str = Field(description="ISO 4217, e.g. CNY")
    customer: Customer
    lines: list[OrderLine]
    flagged: bool = Field(False, description="send the order's requests to a supervisor")


class RequestLine(BaseModel):
    sku: str
    quantity: int = Field(ge=1)
    reason: str = Field(description="a station reason code, e.g. size, damaged, defective")
    comment: str = ""
    exchange_sku: str = Field("", description="for an exchange: the size or colour wanted, another product of "
                                              "the line's family in the catalogue")


class RmaBody(BaseModel):
    order_number: str
    lines: list[RequestLine]
    resolution: Literal["refund", "exchange", "compensation"]
    photos: list[str] = Field([], description="base64 JPEG or PNG pictures")


def schema_of(model: type[BaseModel]) -> dict:
    """The operation's request body, by reference to the model in the document's components
    (``web.openapi.MODELS`` puts it there)."""
    return {"requestBody": {"required": True, "content": {"application/json": {
        "schema": {"$ref": f"#/components/schemas/{model.__name__}"}}}}}


# ----------------------------------------------------------------- review calls' bodies
class ApproveBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note: str = Field("", max_length=500, description="for the audit trail; the customer does not see it")


class RefuseBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(max_length=500, description="why, in words the customer reads (English)")
    reason_zh: str = Field("", max_length=500, description="the same in Chinese; needed when the customer reads Chinese")


class CancelBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field("", max_length=500, description="why the shop withdraws the request")


REVIEW_BODIES: dict[str, tuple[type[BaseModel], bool]] = {
    "approve": (ApproveBody, False), "refuse": (RefuseBody, True), "cancel": (CancelBody, False)}


def review_schema(action: str) -> dict:
    model, required = REVIEW_BODIES[action]
    body = schema_of(model)
    body["requestBody"]["required"] = required
    return body


# ----------------------------------------------------------------- answers
class _Answer(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FieldError(_Answer):
    field: str = Field(description="the field as the message names it: lines[1].quantity is the first line's; "
                                   "\"\" for the body as a whole")
    message: str


class ErrorDetail(_Answer):
    code: str = Field(description="stable, for programs: invalid_input, not_found, conflict, scope_missing, ...")
    message: str = Field(description="in words, for people: what went wrong and the next step")
    fields: list[FieldError] = Field([], description="present when fields of the input were refused: every one")


class ErrorBody(_Answer):
    """Every error the API answers, whatever its status."""

    error: ErrorDetail


class WordsOut(_Answer):
    en: str
    zh: str


class DecisionOut(_Answer):
    outcome: Literal["authorised", "pending_review", "refused"]
    rule: str
    reasons: list[WordsOut]


class RmaLineOut(_Answer):
    line_no: int
    sku: str
    quantity: int
    reason: str
    comment: str
    unit_price: str = Field(description="decimal amount in the order's currency")
    exchange_sku: str = Field("", description="the size or colour the customer chose for an exchange; "
                                              "\"\" for the same SKU")


class UnitOut(_Answer):
    lpn: str
    sku: str
    state: str
    grade: str | None
    disposition: str | None


class StepOut(_Answer):
    name: Literal["asked", "authorised", "received", "inspected", "resolved", "closed"]
    done: bool
    at: str | None = Field(description="RFC 3339; null while it has not happened")


class ProgressOut(_Answer):
    """Where the return stands: the customer's status page's own read model."""

    current: Literal["pending_review", "asked", "authorised", "received", "inspected", "resolved", "closed",
                     "refused", "cancelled", "expired"]
    parcel: bool = Field(description="false for a voucher: the customer keeps the item, no label, no dock steps")
    send_by: str | None = Field(description="the last day to send the parcel (date); null without a parcel")
    outcome: Literal["refund", "exchange", "compensation", "rejected"] | None
    ended: Literal["refused", "cancelled", "expired"] | None
    ended_at: str | None
    received_units: int
    expected_units: int
    steps: list[StepOut]


class RmaOut(_Answer):
    rma_number: str
    order_number: str
    status: Literal["authorised", "pending_review", "refused", "cancelled"]
    decision: DecisionOut
    resolution: str
    requested_at: str = Field(description="RFC 3339")
    lines: list[RmaLineOut]
    rma_state: str | None = Field(description="the dock's state once authorised: authorised, received, ..., cancelled")
    units: list[UnitOut]
    refusal_reason: str
    currency: str
    label_url: str | None = Field(description="null unless authorised with a parcel to send (a voucher has none)")
    progress: ProgressOut | None = Field(None, description="GET /rmas/{n} only: asked, authorised, received, "
                                                            "inspected, resolved, closed")


class RmaPageOut(_Answer):
    rmas: list[RmaOut]
    next_cursor: str | None = Field(description="give it back as cursor for the next page; null on the last")


class OrderOutcomeOut(_Answer):
    order_number: str
    status: Literal["created", "updated", "unchanged"]


class OrderCustomerOut(_Answer):
    ref: str
    name: str
    language: str


class OrderLineOut(_Answer):
    sku: str
    ordered: int
    returnable: int = Field(description="what may still be asked for")
    unit_price: str
    category: str
    refused_because: str | None


class OrderOut(_Answer):
    order_number: str
    placed_at: str
    delivered_at: str | None
    currency: str
    flagged: bool
    customer: OrderCustomerOut
    updated_at: str
    lines: list[OrderLineOut]
    rmas: list[str] = Field(description="the RMA numbers of the order's return requests, oldest first")
