"""The station's records (DESIGN.md section 3), one schema for the local and central database."""

from station.models.analytics import (
    DailyCost, DailyCycle, DailyMix, DailyNetShares, DailyNetUnits, DailyProduct, DirtyDay, SummaryState,
)
from station.models.base import Base, Synced, utcnow
from station.models.catalog import Product
from station.models.enums import (
    AlertState,
    ApprovalKind,
    ApprovalState,
    DispositionKind,
    Grade,
    LabelJobState,
    OutboxState,
    ParcelCondition,
    ReceiptStatus,
    RequestedResolution,
    ResolutionKind,
    ResolutionState,
    RmaState,
    Role,
    UnitState,
)
from station.models.events import DomainEvent
from station.models.inspection import Inspection, Photo
from station.models.journal import AuditEvent, OutboxEvent, OutboxFence
from station.models.lots import LotHold
from station.models.ops import Alert, AlertAction, LabelJob
from station.models.opt_outs import EmailOptOut
from station.models.orders import ApiReplay, ApiToken, Order, OrderLine, RmaRequest, RmaRequestLine
from station.models.outcome import Approval, Disposition, Resolution
from station.models.people import Operator
from station.models.receiving import Receipt, Unit
from station.models.resolution_queue import ResolutionQueueEntry
from station.models.recovery import Refurbishment, ResalePrice
from station.models.rma import Rma, RmaLine
from station.models.sales import SalesDay
from station.models.sync_state import SyncState
from station.models.vendors import RtvBatch, RtvCredit, RtvCreditState, RtvItem, RtvState, Vendor
from station.models.web_guard import PageAttempt, UsedFormNonce, WebKey

__all__ = [
    "LotHold", "Alert", "AlertAction", "AlertState", "Refurbishment", "ResalePrice", "ApiReplay", "ApiToken", "Order", "OrderLine", "RmaRequest", "RmaRequestLine", "Approval", "ApprovalKind", "ApprovalState", "AuditEvent", "Base",
    "DailyCost", "DailyCycle", "DailyNetShares", "DailyNetUnits", "DailyMix", "DailyProduct", "DirtyDay", "Disposition", "DispositionKind",
    "DomainEvent", "EmailOptOut", "Grade", "Inspection", "LabelJob", "LabelJobState",
    "Operator", "OutboxEvent", "OutboxFence", "OutboxState", "ParcelCondition", "Photo", "Product", "Receipt",
    "ReceiptStatus", "RequestedResolution", "Resolution", "ResolutionQueueEntry", "ResolutionKind", "ResolutionState", "Rma", "RmaLine",
    "RmaState", "Role", "RtvBatch", "RtvCredit", "RtvCreditState", "RtvItem", "RtvState", "SalesDay", "SummaryState", "Synced", "SyncState",
    "Unit", "UnitState", "Vendor", "PageAttempt", "UsedFormNonce", "WebKey", "utcnow",
]

SYNCED_MODELS: tuple[type[Synced], ...] = (
    Operator, Product, Rma, RmaLine, Order, OrderLine, RmaRequest, RmaRequestLine, Receipt, Unit, Inspection,
    Photo, Disposition, Resolution, Approval, LabelJob, Alert, DomainEvent, Vendor, RtvBatch, RtvItem,
    RtvCredit, LotHold,
)
"""Every record that crosses to the central database, parents before children."""
