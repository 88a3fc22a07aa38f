"""An approval's one-line summary in the reader's language.

An approval row keeps its summary in English, written once by the service that asked for the
approval (the audit trail and the CLI read the same words). A supervisor reading the desk in
Chinese reads the same summary rebuilt in Chinese from its parts (RMA, LPN, SKU, days, flags,
rule), the way alerts are rebuilt from their figures (``alert_words``): each pattern below is
the exact sentence one service writes. A summary of no known shape is shown as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from station.receiving.flags import FLAG_TEXT, FlagCode

Rebuild = Callable[[re.Match[str]], str]

NOT_RECEIVABLE_ZH = {"cancelled": "已取消", "closed": "已关闭"}
DISPOSITIONS_ZH = {"Scrap": "报废", "Return to vendor": "退供应商", "Refurbish": "翻新", "Restock": "重新上架"}


def _flags_zh(text: str) -> str:
    """"wrong_item, missing_parts" -> the flags in words ("none" -> 无)."""
    if text.strip() == "none":
        return "无"
    words = []
    for code in (c.strip() for c in text.split(",")):
        try:
            words.append(FLAG_TEXT[FlagCode(code)][1])
        except (KeyError, ValueError):
            words.append(code)
    return "；".join(words)


PATTERNS: tuple[tuple[re.Pattern[str], Rebuild], ...] = (
    # station/receiving/service.py: a parcel matching no RMA, or one for an RMA it cannot go into
    (re.compile(r"Parcel (?P<code>\S+) has no RMA\."), lambda m: f"包裹 {m['code']} 没有对应的 RMA。"),
    (re.compile(r"Parcel for (?P<why>cancelled|closed) RMA (?P<rma>\S+)\."),
     lambda m: f"包裹对应的 RMA {m['rma']} {NOT_RECEIVABLE_ZH[m['why']]}。"),
    (re.compile(r"RMA (?P<rma>\S+) arrived (?P<days>\d+) days after its deadline (?P<date>[\d-]+)\."),
     lambda m: f"RMA {m['rma']} 在截止日期 {m['date']} 之后 {m['days']} 天才到。"),
    (re.compile(r"RMA (?P<rma>\S+): (?P<words>.+) \(policy rule (?P<rule>[^)]+)\)"),
     lambda m: f"RMA {m['rma']}：{m['words']}（退货政策规则 {m['rule']}）"),
    # station/inspection/service.py: a flagged unit held, a disposition that needs a supervisor
    (re.compile(r"Unit (?P<lpn>\S+) held in quarantine \(flags: (?P<flags>.*); rule (?P<rule>[^)]+)\)\."),
     lambda m: f"商品 {m['lpn']} 已隔离（标记：{_flags_zh(m['flags'])}；规则 {m['rule']}）。"),
    (re.compile(r"(?P<kind>Scrap|Return to vendor|Refurbish|Restock) unit (?P<lpn>\S+) "
                r"\((?P<sku>[^,]+), value (?P<value>[^)]+)\)\."),
     lambda m: f"{DISPOSITIONS_ZH[m['kind']]}商品 {m['lpn']}（{m['sku']}，价值 {m['value']}）。"),
    (re.compile(r"photo waived for (?P<item>\S+): (?P<why>.*)"), lambda m: f"免拍照片 {m['item']}：{m['why']}"),
    # station/supervision/desk.py: a grade override looked at
    (re.compile(r"Override (?P<was>\S+) -> (?P<now>\S+): (?P<why>.*)"),
     lambda m: f"改判等级 {m['was']} → {m['now']}：{m['why']}"),
    # station/demo.py: the demo's approved returns to vendor
    (re.compile(r"(?P<lpn>\S+): (?P<sku>\S+) defective, back to (?P<vendor>.+)"),
     lambda m: f"{m['lpn']}：{m['sku']} 有缺陷，退回 {m['vendor']}"),
)


def summary_words(summary: str, locale: str) -> str:
    """``summary`` in ``locale``'s language: Chinese for a ``zh`` locale when its shape is known,
    else the summary as written."""
    if not locale.lower().startswith("zh"):
        return summary
    for pattern, rebuild in PATTERNS:
        match = pattern.fullmatch(summary.strip())
        if match is not None:
            return rebuild(match)
    return summary
