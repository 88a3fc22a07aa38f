"""The customer's return label for a request: the station's records -> ``labels.return_label``.

Shared by the API (``GET /api/v1/rmas/{n}/label.pdf``), the customer's page (a signed link)
and the authorised notice. Only authorised requests have a label.
"""

from __future__ import annotations

import logging

from labels.return_label import ReturnLabel, ReturnLine, render_return_label
from station.core.errors import NotFound
from station.core.settings import load_settings
from station.intake.service import IntakeService
from station.integrations.feed import FeedEvent
from station.integrations.notices import Attachment
from station.integrations.notifier import AttachmentsFor

log = logging.getLogger(__name__)


def dock_address_from_settings() -> str:
    settings, problem = load_settings()
    if problem is not None:
        log.warning("settings: %s", problem)
    return str(settings.get("dock.address"))


class LabelsOff(NotFound):
    """The service was started without return labels (``serve --no-labels``)."""


class LabelMaker:
    """``enabled`` False: the service hands out no labels (no dock address to ship to)."""

    def __init__(self, intake: IntakeService, dock_address: str | None = None, *, enabled: bool = True) -> None:
        self.intake = intake
        self.enabled = enabled
        self.dock_address = dock_address if dock_address is not None else dock_address_from_settings()

    def label_for(self, rma_number: str, language: str | None = None) -> ReturnLabel:
        if not self.enabled:
            raise LabelsOff("This returns service prints no return labels (it was started with --no-labels).",
                            next_step="Send the customer the dock's address another way.")
        view = self.intake.get(rma_number)
        if not view.parcel:
            raise NotFound(f"Return {view.rma_number} is a voucher: the customer keeps the item and sends "
                           "nothing, so it has no return label.")
        if view.status != "authorised":
            raise NotFound(f"Return {view.rma_number} is {view.status.replace('_', ' ')}; "
                           "only an authorised return has a label.")
        lang = language or view.customer_language
        names = {l.sku: (l.name_zh if lang == "zh" else l.name_en)
                 for l in self.intake.returnable_lines(view.order_number)}
        customer, _, _ = self.intake.order_summary(view.order_number)
        return ReturnLabel(view.rma_number, view.order_number, customer,
                           tuple(p.strip() for p in self.dock_address.replace(";", "\n").splitlines() if p.strip()),
                           tuple(ReturnLine(l.sku, names.get(l.sku, l.sku), l.quantity) for l in view.lines),
                           "zh" if lang == "zh" else "en")

    def pdf(self, rma_number: str, *, page: str = "a4", language: str | None = None) -> bytes:
        return render_return_label(self.label_for(rma_number, language), page=page)


def label_attachments(intake: IntakeService, dock_address: str | None = None) -> AttachmentsFor:
    """For the notifier: the authorised notice's e-mail carries the label, in the customer's
    language, on an A4 page with the instructions."""
    maker = LabelMaker(intake, dock_address)

    def attach(event: FeedEvent, locale: str) -> list[Attachment]:
        pdf = maker.pdf(event.rma_number, language="zh" if locale == "zh" else "en")
        return [Attachment(f"return-label-{event.rma_number}.pdf", "application/pdf", pdf)]

    return attach
