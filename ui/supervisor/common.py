"""Small helpers the supervisor widgets share: filling a table, formatting cells, and the
translatable names of columns, categories, dispositions and reasons.

Column and value names arrive from the services as identifiers (``received_at``, ``scrap``);
``COLUMNS`` and ``NAMES`` hold their English titles as ``QT_TRANSLATE_NOOP`` literals so
``python -m ui.i18n.build`` collects them, and ``column_title`` / ``name_of`` translate at
run time. An identifier not listed reads as itself with spaces for underscores.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLocale, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from station.catalog.categories import category_words

ID_ROLE = Qt.ItemDataRole.UserRole

COLUMNS: dict[str, object] = {  # QT_TRANSLATE_NOOP is typed as returning object
    "lpn": QT_TRANSLATE_NOOP("Columns", "LPN"), "rma": QT_TRANSLATE_NOOP("Columns", "RMA"),
    "sku": QT_TRANSLATE_NOOP("Columns", "SKU"), "category": QT_TRANSLATE_NOOP("Columns", "Category"),
    "reason": QT_TRANSLATE_NOOP("Columns", "Reason"), "received_at": QT_TRANSLATE_NOOP("Columns", "Received at"),
    "received": QT_TRANSLATE_NOOP("Columns", "Received at"), "code": QT_TRANSLATE_NOOP("Columns", "Code"),
    "status": QT_TRANSLATE_NOOP("Columns", "Status"), "notes": QT_TRANSLATE_NOOP("Columns", "Notes"),
    "customer": QT_TRANSLATE_NOOP("Columns", "Customer"), "deadline": QT_TRANSLATE_NOOP("Columns", "Deadline"),
    "computed": QT_TRANSLATE_NOOP("Columns", "Computed grade"), "grade": QT_TRANSLATE_NOOP("Columns", "Grade"),
    "inspector": QT_TRANSLATE_NOOP("Columns", "Inspector"), "finished_at": QT_TRANSLATE_NOOP("Columns", "Finished at"),
    "kind": QT_TRANSLATE_NOOP("Columns", "Kind"), "summary": QT_TRANSLATE_NOOP("Columns", "Summary"),
    "requested_by": QT_TRANSLATE_NOOP("Columns", "Requested by"),
    "requested_at": QT_TRANSLATE_NOOP("Columns", "Requested at"),
    "entity_type": QT_TRANSLATE_NOOP("Columns", "Record type"), "entity_id": QT_TRANSLATE_NOOP("Columns", "Record"),
    "pushed_by": QT_TRANSLATE_NOOP("Columns", "Pushed by"), "detected_at": QT_TRANSLATE_NOOP("Columns", "Detected at"),
    "disposition": QT_TRANSLATE_NOOP("Columns", "Disposition"), "state": QT_TRANSLATE_NOOP("Columns", "State"),
    "severity": QT_TRANSLATE_NOOP("Columns", "Severity"), "subject": QT_TRANSLATE_NOOP("Columns", "Subject"),
    "message": QT_TRANSLATE_NOOP("Columns", "Message"), "sheet": QT_TRANSLATE_NOOP("Columns", "Sheet"),
    "day": QT_TRANSLATE_NOOP("Columns", "Day"), "units": QT_TRANSLATE_NOOP("Columns", "Units"),
    "queued": QT_TRANSLATE_NOOP("Columns", "Queued at"), "printed": QT_TRANSLATE_NOOP("Columns", "Printed at"),
    "batch": QT_TRANSLATE_NOOP("Columns", "Batch"), "vendor": QT_TRANSLATE_NOOP("Columns", "Vendor"),
    "claimed": QT_TRANSLATE_NOOP("Columns", "Claimed"), "ra_number": QT_TRANSLATE_NOOP("Columns", "RA number"),
    "days_open": QT_TRANSLATE_NOOP("Columns", "Days open"), "serial": QT_TRANSLATE_NOOP("Columns", "Serial"),
    "defect": QT_TRANSLATE_NOOP("Columns", "Defect"),
    "owner": QT_TRANSLATE_NOOP("Columns", "Owner"), "respond_by": QT_TRANSLATE_NOOP("Columns", "Respond by"),
    "lot": QT_TRANSLATE_NOOP("Columns", "Lot"), "returned": QT_TRANSLATE_NOOP("Columns", "Returned"),
    "sold": QT_TRANSLATE_NOOP("Columns", "Sold"), "rate": QT_TRANSLATE_NOOP("Columns", "Return rate"),
    "top_reason": QT_TRANSLATE_NOOP("Columns", "Main reason"),
}

# Categories, dispositions, sheets and severities as the dashboard names them.
NAMES: dict[str, object] = {
    "apparel": QT_TRANSLATE_NOOP("Names", "Apparel"), "shoes": QT_TRANSLATE_NOOP("Names", "Shoes"),
    "electronics": QT_TRANSLATE_NOOP("Names", "Electronics"), "cosmetics": QT_TRANSLATE_NOOP("Names", "Cosmetics"),
    "small_appliances": QT_TRANSLATE_NOOP("Names", "Small appliances"),
    "general": QT_TRANSLATE_NOOP("Names", "General"),
    "(not in catalogue)": QT_TRANSLATE_NOOP("Names", "(not in catalogue)"),
    "restock": QT_TRANSLATE_NOOP("Names", "Restock"), "refurbish": QT_TRANSLATE_NOOP("Names", "Refurbish"),
    "return_to_vendor": QT_TRANSLATE_NOOP("Names", "Return to vendor"), "scrap": QT_TRANSLATE_NOOP("Names", "Scrap"),
    "donate": QT_TRANSLATE_NOOP("Names", "Donate"), "recycle": QT_TRANSLATE_NOOP("Names", "Recycle"),
    "quarantine": QT_TRANSLATE_NOOP("Names", "Quarantine"), "relabel": QT_TRANSLATE_NOOP("Names", "Relabel"),
    "info": QT_TRANSLATE_NOOP("Names", "info"), "warning": QT_TRANSLATE_NOOP("Names", "warning"),
    "critical": QT_TRANSLATE_NOOP("Names", "critical"),
    "open": QT_TRANSLATE_NOOP("Names", "open"), "acknowledged": QT_TRANSLATE_NOOP("Names", "acknowledged"),
    "site supervisors": QT_TRANSLATE_NOOP("Names", "site supervisors"),
}


def ui_locale() -> str:
    """The locale codes are put in words in: the UI language (``install_language`` sets the
    default QLocale)."""
    return "zh_CN" if QLocale().language() == QLocale.Language.Chinese else "en"


def column_title(name: str) -> str:
    """The header of column ``name`` in the UI language."""
    if name in COLUMNS:
        return QCoreApplication.translate("Columns", str(COLUMNS[name]))
    return name.replace("_", " ")


def name_of(key: str) -> str:
    """A category, disposition or severity in the UI language."""
    if key in NAMES:
        return QCoreApplication.translate("Names", str(NAMES[key]))
    return category_words(key, ui_locale())  # the catalogue's categories (gift cards: 礼品卡); else the code in words


def short_reason(label: str) -> str:
    """The first part of a reason's text, for a chart axis: "Did not fit (size)" -> "Did not
    fit", "Changed mind / no longer needed" -> "Changed mind", "质量问题/无法使用" -> "质量问题"."""
    for cut in (" (", "（", " / ", "/"):
        label = label.split(cut, 1)[0]
    return label.strip()


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.astimezone().strftime("%Y-%m-%d %H:%M")
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return str(getattr(value, "value", value))


def make_table(parent: Any = None) -> QTableWidget:
    """A read-only, whole-row-selecting table that works from the keyboard."""
    table = QTableWidget(parent)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    table.setTabKeyNavigation(False)
    return table


def fill_table(table: QTableWidget, columns: Sequence[str], rows: Sequence[Sequence[Any]],
               ids: Sequence[str] = (), stretch: str | None = None) -> None:
    """Replace the table's content; ``ids[i]`` is stored on row i's first cell. Column
    ``stretch`` (else the last) takes the width the others leave. The row that was selected
    stays selected if its id is still listed (a list reloads when the database changes;
    the supervisor must not find themselves on another row), else the first row is."""
    keep = selected_id(table)
    table.setSortingEnabled(False)
    table.clear()
    table.setColumnCount(len(columns))
    table.setHorizontalHeaderLabels([column_title(c) for c in columns])
    for n, column in enumerate(columns):
        title = table.horizontalHeaderItem(n)
        if title is not None:
            title.setToolTip(column)  # the name a ``column:value`` search uses
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem(cell_text(value))
            if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if c == 0 and r < len(ids):
                item.setData(ID_ROLE, ids[r])
            table.setItem(r, c, item)
    header = table.horizontalHeader()
    for n, column in enumerate(columns):
        mode = QHeaderView.ResizeMode.Stretch if column == stretch else QHeaderView.ResizeMode.ResizeToContents
        header.setSectionResizeMode(n, mode)
    header.setStretchLastSection(stretch not in columns)
    if rows:
        table.selectRow(ids.index(keep) if keep is not None and keep in ids else 0)


def selected_id(table: QTableWidget) -> str | None:
    row = table.currentRow()
    item = table.item(row, 0) if row >= 0 else None
    return item.data(ID_ROLE) if item is not None else None
