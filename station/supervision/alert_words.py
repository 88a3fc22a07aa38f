"""An alert in the reader's language, from the figures it carries.

An alert row keeps its message in English (logs, e-mails to the owner, the audit trail read
the same words). A supervisor reading the desk in Chinese reads the same finding rebuilt from
the alert's figures, with reasons, stages and subjects in words, never a code: the figures are
what the rule measured, so both languages say exactly the same thing.
"""

from __future__ import annotations

from typing import Any

from station.catalog.reasons import load_reasons

STAGES_ZH = {"received_to_inspected": "收货到质检", "inspected_to_resolved": "质检到处理",
             "received_to_resolved": "收货到处理", "received_to_closed": "收货到结案"}
STAGES_EN = {"received_to_inspected": "received to inspected", "inspected_to_resolved": "inspected to resolved",
             "received_to_resolved": "received to resolved", "received_to_closed": "received to closed"}


def _reason(code: str, zh: bool) -> str:
    reason = load_reasons().get(code)
    return reason.zh if zh else reason.en


def subject_words(subject: str, figures: dict[str, Any], zh: bool) -> str:
    """"SKU AP-1", "reason changed_mind" -> "原因：不想要了" (the subject in words)."""
    if "lot" in figures:
        return f"批号 {figures['lot']}（{figures.get('sku', '')}）" if zh else f"lot {figures['lot']} of {figures.get('sku', '')}"
    if "reason" in figures:
        return f"原因：{_reason(figures['reason'], True)}" if zh else f"reason: {_reason(figures['reason'], False)}"
    if "stage" in figures:
        return f"环节：{STAGES_ZH.get(figures['stage'], figures['stage'])}" if zh else \
            f"stage: {STAGES_EN.get(figures['stage'], figures['stage'])}"
    if "supplier" in figures:
        return f"供应商 {figures['supplier']}" if zh else f"supplier {figures['supplier']}"
    return subject


def message_zh(message: str, figures: dict[str, Any]) -> str:
    """The alert's finding in Chinese; the English message where the figures do not say enough."""
    f = figures
    limit = f.get("limit")
    try:
        if "lot" in f:
            reason = f"；最多的原因：{_reason(f['top_reason'], True)}" if f.get("top_reason") else ""
            if f.get("measure") == "reason_share":
                return (f"批号 {f['lot']}（{f['sku']}）在 {f['period']} 退货 {f['returned']} 件，其中 {f['top_units']} 件"
                        f"（{f['share_pct']:.1f}%）的原因是\u201c{_reason(f['top_reason'], True)}\u201d，"
                        f"达到上限 {limit}%（至少 {f['min_units']} 件）。")
            if f.get("measure") == "count":
                return f"批号 {f['lot']}（{f['sku']}）在 {f['period']} 退货 {f['returned']} 件，超过上限 {limit} 件{reason}。"
            return (f"批号 {f['lot']}（{f['sku']}）售出 {f['sold']} 件，在 {f['period']} 退货 {f['returned']} 件"
                    f"（{f['rate_pct']:.1f}%），超过上限 {limit}%{reason}。")
        if "sku" in f:
            text = f"SKU {f['sku']} 在 {f['period']} 售出 {f['sold']} 件，退货 {f['returned']} 件（{f['rate_pct']:.1f}%）"
            return text + (f"，超过上限 {limit}%。" if limit is not None else "。")
        if "reason" in f:
            return (f"\u201c{_reason(f['reason'], True)}\u201d在 {f['period']} 占退货的 {f['share_pct']:.1f}%，"
                    f"前一周为 {f['previous_pct']:.1f}%（上升 {f['share_pct'] - f['previous_pct']:.1f} 个百分点）。")
        if "stage" in f:
            text = (f"{STAGES_ZH.get(f['stage'], f['stage'])} 的 p{f['percentile']} 为 {f['hours']:.1f} 小时"
                    f"（{f['period']}，{f['units']} 件）")
            return text + (f"，超过上限 {limit} 小时。" if limit is not None else "。")
        if "supplier" in f:
            text = (f"{f['supplier']}：{f['period']} 质检的 {f['graded']} 件退货中 {f['defective']} 件有缺陷"
                    f"（{f['rate_pct']:.1f}%）")
            return text + (f"，超过上限 {limit}%。" if limit is not None else "。")
    except (KeyError, TypeError, ValueError):
        pass
    return message
