"""RTV paperwork out of the station: rendered once per shipment, written to a folder (the
command line) or queued in the persistent print queue (the desk).

No Qt here. The packing list goes to the sheet printer (A4/Letter PDF), the carton label to
the disposition-label printer (4x6 in), as ZPL when that printer is a Zebra on port 9100 and
as PDF otherwise (``ui.spooler.format_for``), exactly like every other label.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from pathlib import Path

from labels.rtv_carton import render_carton_label
from labels.rtv_packing_list import render_packing_list
from station.core.errors import IllegalTransition
from station.models import RtvState
from station.rtv.views import BatchView
from station.supervision.printing import PrintQueue

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Paperwork:
    packing_list_pdf: bytes
    carton_pdf: bytes
    carton_zpl: bytes


def render(batch: BatchView, *, printed_at: str = "", station: str = "", paper: str = "a4") -> Paperwork:
    """Packing list and carton label of a shipped batch (refused while it is still open)."""
    if batch.state == RtvState.OPEN:
        raise IllegalTransition(f"Batch {batch.number} has not shipped; its paperwork needs the RA number.",
                                next_step="Ship it with the vendor's RA number, carrier and tracking.")
    return Paperwork(render_packing_list(batch, paper=paper, printed_at=printed_at, station=station),
                     render_carton_label(batch, "pdf"), render_carton_label(batch, "zpl"))


def write(paperwork: Paperwork, batch: BatchView, directory: Path) -> list[Path]:
    """The three files, named after the batch, in ``directory`` (created if missing)."""
    directory.mkdir(parents=True, exist_ok=True)
    files = {f"{batch.number}-packing-list.pdf": paperwork.packing_list_pdf,
             f"{batch.number}-carton.pdf": paperwork.carton_pdf,
             f"{batch.number}-carton.zpl": paperwork.carton_zpl}
    out = []
    for name, data in files.items():
        path = directory / name
        path.write_bytes(data)
        out.append(path)
    return out


def queue(paperwork: Paperwork, batch: BatchView, print_queue: PrintQueue, *, sheet_printer: str,
          label_printer: str, requested_by: uuid.UUID | None = None) -> tuple[uuid.UUID, uuid.UUID]:
    """Queue the packing list and the carton label; returns their job ids."""
    from ui.spooler import format_for

    sheet = print_queue.enqueue(kind="rtv_packing_list", printer=sheet_printer, fmt="pdf",
                                payload=paperwork.packing_list_pdf, subject=batch.number,
                                data={"batch": batch.number, "units": len(batch.items)}, requested_by=requested_by)
    fmt = format_for(label_printer)
    label = print_queue.enqueue(kind="rtv_carton", printer=label_printer, fmt=fmt,
                                payload=paperwork.carton_zpl if fmt == "zpl" else paperwork.carton_pdf,
                                subject=batch.number, data={"batch": batch.number}, requested_by=requested_by)
    return sheet, label
