"""The API's documents as pydantic models, for the OpenAPI description only.

Validation itself is ``station.intake.inputs`` (the same for the API and the imports), so the
models here describe and never decide.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


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


class RmaBody(BaseModel):
    order_number: str
    lines: list[RequestLine]
    resolution: Literal["refund", "exchange", "compensation"]
    photos: list[str] = Field([], description="base64 JPEG or PNG pictures")


def schema_of(model: type[BaseModel]) -> dict:
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": model.model_json_schema()}}}}
