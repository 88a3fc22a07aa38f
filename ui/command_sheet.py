"""What the printed command sheet carries: every command the window acts on, its words in
English and Chinese, and the key that does the same (read from ``ui.keymap``, so the sheet
and the keys cannot drift apart). ``labels.command_sheet`` draws it;
``rma-station command-sheet --out FILE.pdf`` prints it.
"""

from __future__ import annotations

from labels.command_sheet import CommandRow, render_command_sheet
from ui.commands import Command
from ui.keymap import BINDINGS

ANYWHERE = "Anywhere  任何界面"
RECEIVING = "Receiving  收货"
BOTH = "Receiving and inspection  收货与质检"
INSPECTION = "Inspection  质检"
RTV = "Return to vendor (supervisor)  退供应商（主管）"
APPROVALS = "Approvals (supervisor)  审批（主管）"

#: Each command: its group on the sheet, then what it does in English and in Chinese.
WORDS: dict[Command, tuple[str, str, str]] = {
    Command.SIGN_OUT: (ANYWHERE, "Sign out (unsaved work is kept)", "退出登录（未保存的工作会保留）"),
    Command.CONFIRM: (BOTH, "Confirm: receive, or the disposition", "确认：收货或确认处置"),
    Command.CANCEL: (BOTH, "Clear the card / next unit", "清除卡片 / 下一件"),
    Command.QUARANTINE: (RECEIVING, "Quarantine the parcel", "隔离包裹"),
    Command.REPRINT: (RECEIVING, "Reprint the labels of the RMA on the card", "补打卡片上退货单的标签"),
    Command.PASS: (INSPECTION, "Answer pass", "回答：合格"),
    Command.FAIL: (INSPECTION, "Answer fail", "回答：不合格"),
    Command.NA: (INSPECTION, "Answer not applicable", "回答：不适用"),
    Command.BACK: (INSPECTION, "Previous question", "上一题"),
    Command.FINISH: (INSPECTION, "Finish the checklist", "完成检查"),
    Command.OPEN_BATCH: (RTV, "Open a batch for the vendor picked", "为所选供应商开批次"),
    Command.SHIP: (RTV, "Ship the batch, print its paperwork", "发运所选批次并打印单据"),
    Command.ACKNOWLEDGE: (RTV, "Claim acknowledged by the vendor", "供应商已确认索赔"),
    Command.CREDIT: (RTV, "Claim credited: the amount typed", "索赔已入账：输入的金额"),
    Command.DISPUTE: (RTV, "Claim disputed: the reason typed", "索赔有争议：输入的原因"),
    Command.APPROVE: (APPROVALS, "Approve the one selected (reason typed)", "批准所选审批（先输入原因）"),
    Command.REJECT: (APPROVALS, "Reject the one selected (reason typed)", "驳回所选审批（先输入原因）"),
}

_ORDER = (ANYWHERE, BOTH, RECEIVING, INSPECTION, RTV, APPROVALS)


def _key_name(key: str) -> str:
    return {"Return": "Enter", "Escape": "Esc"}.get(key, key)


def keys_of(scan: str) -> str:
    """The keys doing what ``scan`` does, from the key table ("Ctrl+P", "Enter")."""
    keys: list[str] = []
    for b in BINDINGS:
        if scan in b.scans:
            keys += [_key_name(k) for k in b.keys if _key_name(k) not in keys]
    return " / ".join(keys)


def command_rows() -> list[CommandRow]:
    """Every command of ``Command``, grouped in the sheet's order."""
    rows = [CommandRow(group, f"CMD:{command.value}", en, zh, keys_of(f"CMD:{command.value}"))
            for command, (group, en, zh) in WORDS.items()]
    return sorted(rows, key=lambda r: _ORDER.index(r.group))


def command_sheet_pdf(*, paper: str = "a4", printed_at: str = "") -> bytes:
    return render_command_sheet(command_rows(), paper=paper, printed_at=printed_at)
