"""The vendor scorecard as a PDF (reportlab charts and tables) or an XLSX workbook.

No Qt: ``rma-station suppliers report`` writes it headless, and the figures come from
``station.rtv.scorecard``. Charts and tables reuse the supervisor report's builders so the two
documents look alike. In the workbook every text cell goes through ``safe_cell`` (a SKU or a
dispute reason that starts with ``=`` stays text) and is stored as a string.
"""

from __future__ import annotations

import io
import logging
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from station.analytics.safe_cells import safe_cell
from station.rtv.scorecard import Scorecard
from ui.supervisor.report_pdf import STYLES, WIDTH, _footer, bar_chart, pie_chart, table_flowable

log = logging.getLogger(__name__)


def _pct(rate: float | None) -> str:
    return "-" if rate is None else f"{rate * 100:.2f} %"


def _money(value: Any) -> str:
    return "-" if value is None else f"{value:,.2f}"


def _kpis(card: Scorecard) -> Table:
    cells = [["Units sold", "Units returned", "Return rate", "Grade D found", "Open claims", "Credited"],
             [f"{card.sold:,}", f"{card.returned:,}", _pct(card.rate), f"{card.defective:,}",
              f"{card.claims_open} / {_money(card.claimed_open)}", _money(card.credited)]]
    table = Table(cells, colWidths=[WIDTH / 6] * 6)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, 0), "Helvetica", 8), ("FONT", (0, 1), (-1, 1), "Helvetica-Bold", 12),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"), ("BOX", (0, 0), (-1, -1), 0.5, colors.grey),
        ("INNERGRID", (0, 0), (-1, -1), 0.25, colors.lightgrey), ("TOPPADDING", (0, 1), (-1, 1), 6),
        ("BOTTOMPADDING", (0, 1), (-1, 1), 8)]))
    return table


def title_of(card: Scorecard) -> str:
    return f"Vendor scorecard {card.vendor.name} ({card.vendor.code}) {card.period.start} to {card.period.end}"


def render_pdf(card: Scorecard, *, generated: str = "") -> bytes:
    out = io.BytesIO()
    title = title_of(card)
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                            bottomMargin=18 * mm, title=title, author="rma-station")
    contact = card.vendor.contact_email or "no contact e-mail"
    story: list[Any] = [
        Paragraph(title, STYLES["Title"]),
        Paragraph(f"Contact {card.vendor.contact_name or '-'} &lt;{contact}&gt;; credit terms: {card.vendor.terms}; "
                  f"amounts in {card.currency}." + (f" Generated {generated}." if generated else ""), STYLES["Normal"]),
        Spacer(0, 4 * mm), _kpis(card), Spacer(0, 5 * mm)]
    weeks = [w.week.strftime("%m-%d") for w in card.weeks]
    story.append(bar_chart("Returned units and units sold per week", weeks,
                           [[w.returned for w in card.weeks], [w.sold for w in card.weeks]], ["returned", "sold"],
                           height=150))
    story.append(bar_chart("Return rate per week (%)", weeks, [[(w.rate or 0) * 100 for w in card.weeks]],
                           height=120))
    top = [s for s in card.skus if s.returned][:10][::-1]  # a horizontal chart draws bottom-up: highest on top
    story.append(bar_chart("Return rate per SKU (%), highest first", [s.key for s in top],
                           [[(s.rate or 0) * 100 for s in top]], horizontal=True,
                           height=max(90, 30 + 16 * len(top))))
    reasons = card.reasons[:8][::-1]
    story.append(bar_chart("Defect reasons, customers' words (% of returned units)",
                           [r.label[:28] for r in reasons], [[r.share * 100 for r in reasons]], horizontal=True,
                           height=max(90, 30 + 16 * len(reasons))))
    pies = Table([[pie_chart("Grades found at QC", [g.key for g in card.grades], [g.share * 100 for g in card.grades]),
                   pie_chart("Claims by state (units)", [c.batch[-5:] + " " + c.state for c in card.claims[:6]],
                             [float(c.units) * 100 / max(1, sum(x.units for x in card.claims[:6]))
                              for c in card.claims[:6]])]])
    story += [pies, Spacer(0, 4 * mm), Paragraph("Return rate per SKU", STYLES["Heading2"]),
              table_flowable(("SKU", "product", "returned", "sold", "rate"),
                             [(s.key, s.label, s.returned, s.sold, _pct(s.rate)) for s in card.skus]),
              Paragraph("Defect reasons", STYLES["Heading2"]),
              table_flowable(("reason", "units", "share"), [(r.label, r.units, _pct(r.share)) for r in card.reasons]),
              Paragraph("Grades", STYLES["Heading2"]),
              table_flowable(("grade", "units", "share"), [(g.key, g.units, _pct(g.share)) for g in card.grades]),
              Paragraph("Returns by production lot", STYLES["Heading2"]),
              table_flowable(("SKU", "lot", "returned", "sold", "rate", "main reason", "held"),
                             [(r.sku, r.lot, r.returned, "-" if r.sold is None else r.sold, _pct(r.rate), r.top_reason,
                               "on hold" if f"{r.sku} {r.lot}" in card.held_lots else "") for r in card.lots]),
              Paragraph("Return-to-vendor claims", STYLES["Heading2"]),
              Paragraph(f"{card.claims_open} open ({_money(card.claimed_open)} claimed), {card.credited_count} "
                        f"credited ({_money(card.credited)}), {card.disputed} disputed.", STYLES["Normal"]),
              table_flowable(("batch", "state", "shipped", "units", "claimed", "credited", "days open", "note"),
                             [(c.batch, c.state, c.shipped_on, c.units, _money(c.claimed), _money(c.credited),
                               "-" if c.days_open is None else c.days_open, c.note) for c in card.claims]),
              Paragraph("Trend by week", STYLES["Heading2"]),
              table_flowable(("week (Monday)", "returned", "sold", "rate"),
                             [(w.week, w.returned, w.sold, _pct(w.rate)) for w in card.weeks])]
    doc.build(story, onFirstPage=_footer, onLaterPages=_footer)
    return out.getvalue()


def render_xlsx(card: Scorecard) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheets: list[tuple[str, tuple[str, ...], list[tuple[Any, ...]]]] = [
        ("Summary", ("figure", "value"), [
            ("vendor", card.vendor.name), ("vendor code", card.vendor.code), ("contact", card.vendor.contact_email),
            ("from", card.period.start), ("to", card.period.end), ("units sold", card.sold),
            ("units returned", card.returned), ("return rate", card.rate), ("grade D found", card.defective),
            ("open claims", card.claims_open), ("claimed, open", card.claimed_open),
            ("credited claims", card.credited_count), ("credited", card.credited), ("disputed claims", card.disputed),
            ("currency", card.currency)]),
        ("SKUs", ("sku", "product", "returned", "sold", "rate"),
         [(s.key, s.label, s.returned, s.sold, s.rate) for s in card.skus]),
        ("Reasons", ("reason", "label", "units", "share"), [(r.key, r.label, r.units, r.share) for r in card.reasons]),
        ("Grades", ("grade", "units", "share"), [(g.key, g.units, g.share) for g in card.grades]),
        ("Claims", ("batch", "state", "shipped", "units", "claimed", "credited", "days open", "note"),
         [(c.batch, c.state, c.shipped_on, c.units, c.claimed, c.credited, c.days_open, c.note) for c in card.claims]),
        ("Weeks", ("week", "returned", "sold", "rate"), [(w.week, w.returned, w.sold, w.rate) for w in card.weeks]),
        ("Lots", ("sku", "lot", "returned", "sold", "rate", "main reason", "on hold"),
         [(r.sku, r.lot, r.returned, r.sold, r.rate, r.top_reason, f"{r.sku} {r.lot}" in card.held_lots)
          for r in card.lots]),
    ]
    book.remove(book.active)
    for name, header, rows in sheets:
        sheet = book.create_sheet(name)
        sheet.append(list(header))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([safe_cell(v) for v in row])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # openpyxl would type "=..." as a formula; text is text
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def email_scorecard(settings: Any, card: Scorecard, filename: str, data: bytes) -> str:
    """Send the scorecard to the vendor's contact through the notices' SMTP path (same sender,
    Message-ID and auto-submitted headers as customer notices), the file attached."""
    from station.core.errors import InvalidInput
    from station.integrations.mail import SmtpMailer, build_email
    from station.integrations.notices import Message

    to = card.vendor.contact_email
    if not to:
        raise InvalidInput(f"Vendor {card.vendor.code} has no contact e-mail.",
                           next_step=f"Add one: rma-station rtv vendor add {card.vendor.code} --name ... --email ...")
    subject = f"Returns scorecard {card.period.start} to {card.period.end}: {card.vendor.name}"
    body = (f"Hello {card.vendor.contact_name or card.vendor.name},\n\nattached is your returns scorecard for "
            f"{card.period.start} to {card.period.end}: {card.returned:,} units returned of {card.sold:,} sold "
            f"({_pct(card.rate)}), {card.claims_open} return-to-vendor claims open ({card.currency} "
            f"{_money(card.claimed_open)}), {card.currency} {_money(card.credited)} credited.\n")
    mail = build_email(settings, to, Message("supplier_scorecard", "en", subject, body, ""),
                       f"scorecard.{card.vendor.code}.{card.period.start}.{card.period.end}")
    maintype, subtype = (("application", "pdf") if filename.endswith(".pdf") else
                         ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    mail.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    mailer = SmtpMailer(settings)
    try:
        mailer._open().send_message(mail)
    finally:
        mailer.close()
    return to
