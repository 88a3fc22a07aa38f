"""Simplified Chinese for every UI string (source text -> translation).

``python -m ui.i18n.build`` merges this into ``rma_station_zh_CN.ts`` (Qt Linguist can edit
the .ts too) and compiles the ``.qm`` the window loads. Station service messages (the detail
line of a banner) stay in English until the services carry Chinese text.
"""

from station.settings import OPTIONS

ZH: dict[str, str] = {
    # crash dialog and errors
    "Sorry": "抱歉", "Copy report": "复制报告",
    "Something went wrong in the station. Work you confirmed is saved. Copy the report for support.":
        "工作站出现问题。已确认的工作均已保存。请复制报告发给技术支持。",
    "Not found": "未找到", "Scan not accepted": "扫描未被接受", "Check the input": "请检查输入",
    "Not possible now": "当前无法执行", "Not allowed": "无权限", "Sign-in failed": "登录失败",
    "Supervisor needed": "需要主管", "Configuration problem": "配置问题", "Device missing": "设备缺失",
    "Device problem": "设备故障", "Sync conflict": "同步冲突", "Error": "错误",
    "Something went wrong": "出现问题",
    "The station hit an unexpected problem; nothing was lost that was confirmed.": "工作站遇到意外问题；已确认的内容未丢失。",
    "Try again. If it keeps happening, call support: the details are in the log.": "请重试。如反复出现，请联系技术支持：详情见日志。",
    # grade panel, inspection
    "Overridden from %1: %2": "已由 %1 改判：%2", "Flags: %1": "标记：%1", "No flags.": "无标记。",
    "Scan the LPN label on the unit": "扫描商品上的 LPN 标签", "…or type the LPN and press Enter": "…或输入 LPN 后按回车",
    "Backspace: back   ·   F7: photo from file   ·   O: override grade   ·   Esc: new unit":
        "退格：上一题   ·   F7：从文件添加照片   ·   O：改判等级   ·   Esc：下一件",
    "Backspace: back   ·   F7: photo (camera, else file)   ·   Shift+F7: photo from file   ·   O: override grade   ·   Esc: new unit":
        "退格：上一题   ·   F7：拍照（无摄像头时从文件添加）   ·   Shift+F7：从文件添加照片   ·   O：改判等级   ·   Esc：下一件",
    "Camera starting…": "摄像头启动中…", "No camera": "无摄像头", "Camera not available": "摄像头不可用",
    "Photos can still be added from a file: F7.": "仍可从文件添加照片：F7。", "camera": "摄像头",
    "Not an inspection command": "不是质检指令", "Inspecting %1": "正在质检 %1",
    "Answer each question; Backspace goes back.": "逐题作答；退格键返回上一题。",
    "No question open": "当前没有题目", "Scan the LPN of the unit first.": "请先扫描商品的 LPN。",
    "Photo needed": "需要照片", "“%1” failed and needs a photo.": "“%1”不合格，需要拍照。",
    "Press F7 to add one now, or later before finishing.": "按 F7 立即添加，或在完成前添加。",
    "Photos: %1": "照片：%1", "Cannot finish yet:": "尚不能完成：",
    "F7: add a photo   ·   Backspace: back": "F7：添加照片   ·   退格：返回",
    "All answered. Provisional grade %1.": "已全部作答。预估等级 %1。",
    "Enter or CMD:FINISH: finish   ·   Backspace: back": "回车或 CMD:FINISH：完成   ·   退格：返回",
    "No unit open": "没有打开的商品", "Scan the LPN first.": "请先扫描 LPN。", "Photo not read": "无法读取照片",
    "Photo added": "照片已添加", "Esc: next unit": "Esc：下一件",
    "Enter or CMD:CONFIRM: confirm   ·   O: override grade": "回车或 CMD:CONFIRM：确认   ·   O：改判等级",
    "Held in quarantine": "已隔离", "Grade %1 with flags; a supervisor decides.": "等级 %1，有标记；由主管决定。",
    "Put the unit on the quarantine shelf with its label.": "将商品连同标签放到隔离货架。",
    "Grade %1": "等级 %1", "Press Enter to confirm, or O to override the grade.": "按回车确认，或按 O 改判等级。",
    "Label queued. Scan the next unit.": "标签已加入打印队列。请扫描下一件。",
    "Label queued; a supervisor must approve this.": "标签已加入打印队列；需主管批准。",
    "Unit %1 done": "商品 %1 已完成", "Add a photo": "添加照片",
    "Pictures (*.jpg *.jpeg *.png *.webp)": "图片 (*.jpg *.jpeg *.png *.webp)",
    "Restock": "重新上架", "Refurbish": "翻新", "Return to vendor": "退回供应商", "Scrap": "报废",
    "Donate": "捐赠", "Recycle": "回收", "Quarantine": "隔离",
    # main window
    "RMA station %1": "退货工作站 %1", "Receiving  (F5)": "收货  (F5)", "Inspection  (F6)": "质检  (F6)",
    "No views for your role": "您的角色没有可用界面", "Ask an admin to check your role.": "请管理员检查您的角色。",
    "Welcome, %1": "欢迎，%1", "Station locked": "工作站已锁定",
    "%1 was signed out after idle time.": "%1 因长时间未操作已退出。", "Scan your badge to continue.": "扫描工牌继续。",
    "Settings need an admin": "设置需要管理员", "Ask an admin to sign in.": "请管理员登录。",
    # override dialog, question panel
    "Override grade of %1": "改判 %1 的等级", "Computed grade: %1. Raising it needs a supervisor.": "计算等级：%1。提高等级需要主管。",
    "New grade": "新等级", "Reason": "原因",
    "To raise a grade, a supervisor scans their badge and enters their PIN:": "提高等级时，请主管扫描工牌并输入 PIN：",
    "Supervisor badge": "主管工牌", "Supervisor PIN": "主管 PIN", "Question %1 of %2": "第 %1 题，共 %2 题",
    "P or 1: pass   ·   F or 2: fail": "P 或 1：合格   ·   F 或 2：不合格",
    "   ·   N or 3: not applicable": "   ·   N 或 3：不适用",
    "Type the reading in %1, then Enter": "输入读数（%1），然后回车", "Type, then Enter": "输入后回车",
    "Type, then Enter (Enter alone skips)": "输入后回车（直接回车跳过）",
    # receiving
    "Scan the parcel's RMA or tracking barcode": "扫描包裹的 RMA 或快递单号条码",
    "…or type it here and press Enter": "…或在此输入后按回车",
    "Enter: receive   ·   Esc: clear   ·   F9: quarantine unknown parcel": "回车：收货   ·   Esc：清除   ·   F9：隔离未知包裹",
    "Not a receiving command": "不是收货指令", "Scan CMD:CONFIRM or an RMA barcode.": "请扫描 CMD:CONFIRM 或 RMA 条码。",
    "RMA %1 is past its deadline": "RMA %1 已过期限", "%1 days late.": "逾期 %1 天。",
    "Press Enter to receive it for supervisor approval.": "按回车收货，等待主管批准。", "RMA %1 found": "已找到 RMA %1",
    "Check the items, then press Enter or scan CMD:CONFIRM.": "核对商品后按回车或扫描 CMD:CONFIRM。",
    "Unknown parcel": "未知包裹", "No RMA matches %1.": "没有与 %1 匹配的 RMA。",
    "Check the label. No RMA? Press F9 to quarantine it.": "请检查标签。没有 RMA？按 F9 隔离。",
    "Nothing to confirm": "没有可确认的内容", "Scan the parcel first.": "请先扫描包裹。", "Labels not queued": "标签未加入队列",
    "Nothing to quarantine": "没有可隔离的包裹", "Scan the unknown parcel first.": "请先扫描未知包裹。",
    "Received": "已收货", "Partly received": "部分收货", "Already received": "已收过货", "Held for a supervisor": "等待主管处理",
    "Quarantined": "已隔离",
    "Enter: receive   ·   product scan: check an item   ·   F2: weigh   ·   Esc: clear   ·   F9: quarantine unknown parcel":
        "回车：收货   ·   扫描商品：核对商品   ·   F2：称重   ·   Esc：清除   ·   F9：隔离未知包裹",
    "wrong item": "商品不符", "serial mismatch": "序列号不符", "parcel too light": "包裹过轻",
    "%1 — check: %2": "%1 — 请检查：%2", "Scan the next item, or press Enter to receive.": "扫描下一件商品，或按回车收货。",
    "%1 checked": "%1 已核对", "Scan the serial number of %1": "请扫描 %1 的序列号",
    "Or press Enter to receive without it.": "或按回车直接收货。", "Serial %1 matches": "序列号 %1 一致",
    "Serial %1 is not the one sold": "序列号 %1 与售出时不符", "%1 was sold with serial %2.": "%1 售出时的序列号为 %2。",
    "Put the unit aside for QC; it is flagged when received.": "请将该件放到一旁待质检；收货时会被标记。",
    "Not on this RMA: %1": "不在此 RMA 上：%1", "Recorded as a wrong item in place of %1.": "已记录为错发商品（代替 %1）。",
    "Put it aside for QC; Esc clears all checks.": "请放到一旁待质检；Esc 清除全部核对。",
    "Every counted item is already checked": "所有实收商品均已核对", "Raise the count, or press Enter to receive.": "请增加实收数量，或按回车收货。",
    "Not a product code": "不是商品条码", "Scan the item's barcode (GTIN) or type its SKU.": "请扫描商品条码（GTIN）或输入 SKU。",
    "No scale configured": "未配置电子秤", "Type the weight in kg (Alt+W).": "请输入重量（千克，Alt+W）。",
    "weighing…": "称重中…", "from the scale": "来自电子秤", "scale failed": "电子秤读取失败",
    "Type the weight in kg (Alt+W), or press F2.": "请输入重量（千克，Alt+W），或按 F2 重新称重。",
    "Scale not read": "未能读取电子秤",
    # late parcels (supervisor at the receiving desk)
    "Reason for accepting the late parcel, then Enter": "填写接收逾期包裹的原因，然后回车",
    "Awaiting approval (%1)  ·  Alt+A": "待批准（%1）  ·  Alt+A",
    "RMA %1 is waiting for your approval": "RMA %1 等待您批准", "Received %1 days after its deadline.": "超过期限 %1 天收货。",
    "Type the reason, then Enter to accept it. Esc: leave it waiting.": "输入原因后回车即接收。Esc：暂不处理。",
    "Late parcel %1 accepted": "逾期包裹 %1 已接收", "Its %1 unit(s) can go to inspection.": "其 %1 件商品可以送检。",
    # supervisor desk in the main window
    "Queues  (F3)": "队列  (F3)", "Approvals  (F4)": "审批  (F4)", "Dashboard  (F8)": "看板  (F8)",
    "Sheets  (F11)": "单据  (F11)", "Scans go to receiving or inspection": "扫描请在收货或质检界面进行",
    "Press F5 (receiving) or F6 (inspection), then scan again.": "按 F5（收货）或 F6（质检）后重新扫描。",
    "Reason for the decision (required)": "决定原因（必填）", "Approve (F9)": "批准 (F9)", "Reject (F10)": "驳回 (F10)",
    "<b>Pending approvals</b>": "<b>待审批</b>", "%n pending": "%n 项待处理", "Nothing selected": "未选择",
    "Pick an approval first.": "请先选择一项审批。", "Approved": "已批准", "Rejected": "已驳回", " weeks": " 周",
    "Refresh (F5)": "刷新 (F5)", "PDF report (Ctrl+Shift+R)": "PDF 报告 (Ctrl+Shift+R)", "Period": "期间",
    "up to": "截至", "Return rate": "退货率", "Units returned": "退货件数", "Units sold": "销售件数",
    "Cost of returns": "退货成本", "Click a bar or a slice to list its units.": "点击柱形或扇区可列出对应商品。",
    "Note: what is being done (required)": "备注：正在采取的措施（必填）", "Acknowledge (Ctrl+K)": "确认 (Ctrl+K)",
    "<b>Open alerts</b>": "<b>未处理警报</b>", "Drill into (Ctrl+D)": "下钻 (Ctrl+D)",
    "Returned units per ISO week": "每 ISO 周退货件数", "returned": "退货", "Reason mix (units)": "退货原因构成（件）",
    "units": "件", "Return rate by category (%)": "各品类退货率（%）", "rate": "比率", "Grade mix": "等级构成",
    "Disposition mix": "处置构成", "Cycle time (hours)": "处理周期（小时）", "Pick an alert first.": "请先选择一条警报。",
    "Alert acknowledged": "警报已确认", "Save report": "保存报告", "Report written": "报告已生成",
    "Search (Ctrl+F) - words, or column:value": "搜索 (Ctrl+F) - 关键词或 列:值", "%n rows": "%n 行",
    "Export queue": "导出队列", "Exported": "已导出", "Scrap sheet": "报废单", "Relabel sheet": "换标单",
    "All categories": "全部品类", "Print (Ctrl+P)": "打印 (Ctrl+P)", "Reprint selected (Ctrl+R)": "重印所选 (Ctrl+R)",
    "Sheet": "单据", "Days": "日期", "Category": "品类", "<b>Print history</b>": "<b>打印记录</b>",
    "Sheets queued": "单据已加入打印队列", "%n sheets": "%n 张单据", "Nothing to print": "没有可打印的内容",
    "No units match these days and category.": "这些日期和品类下没有商品。", "Pick a sheet to reprint.": "请选择要重印的单据。",
    "Reprint queued": "重印已加入队列",
    # parcel panel
    "kg": "千克", "Intact": "完好", "Damaged": "破损", "Opened": "已拆封", "Wet": "受潮",
    "Weight (Alt+W)": "重量（Alt+W）", "Parcel (Alt+1..4)": "包裹（Alt+1..4）", "Checked": "核对",
    # RMA card
    "SKU": "SKU", "Product": "商品", "Expected": "应收", "Counted": "实收", "Customer": "客户", "Order": "订单",
    "Wants": "诉求", "Deadline": "期限", "Refund": "退款", "Exchange": "换货", "%1 — %2 days late": "%1 — 逾期 %2 天",
    # settings dialog
    "Station settings": "工作站设置", "Station": "工作站", "Interface": "界面", "Scanners": "扫描器", "Camera": "摄像头",
    "Printers": "打印机", "Central database": "中央数据库", "Station id": "工作站编号", "Station number": "工作站序号",
    "Language": "语言", "Sounds": "声音", "Auto-lock (minutes)": "自动锁定（分钟）", "Font size": "字号",
    "Scanner sources": "扫描器来源", "Wedge key gap (ms)": "键盘楔按键间隔（毫秒）", "Wedge minimum length": "键盘楔最短长度",
    "Wedge prefix": "键盘楔前缀", "Wedge suffix": "键盘楔后缀", "LPN labels": "LPN 标签", "Disposition labels": "处置标签",
    "Relabel labels": "换标标签", "Sheets (A4/Letter)": "单据（A4/Letter）", "Central database URL": "中央数据库地址",
    "Scale": "电子秤", "Parcel scale": "包裹电子秤",
    # sign-in
    "Returns dock — station %1": "退货收货区 — 工作站 %1",
    "Scan your badge, then enter your PIN and press Enter.": "扫描工牌，输入 PIN 后按回车。",
    "Badge": "工牌", "PIN": "PIN", "F2: 中文 / English": "F2：中文 / English", "Sign in first": "请先登录",
    "Scan your badge.": "请扫描工牌。", "Badge %1": "工牌 %1", "Enter your PIN and press Enter.": "输入 PIN 后按回车。",
    "Badge and PIN needed": "需要工牌和 PIN", "Scan your badge and enter your PIN.": "请扫描工牌并输入 PIN。",
    # status bar
    "Station %1": "工作站 %1", "Signed out": "未登录", "clerk": "收货员", "inspector": "质检员", "supervisor": "主管",
    "admin": "管理员", "never": "从未", "Sync queue %1 · last %2": "同步队列 %1 · 上次 %2",
    "Printer: %1 failed": "打印机：%1 个失败", "Printer: %1 waiting": "打印机：%1 个等待", "Printer: ready": "打印机：就绪",
    "Offline · sync queue %1": "离线 · 同步队列 %1",
}

#: The one-line descriptions of the settings (declared in station/settings.py).
OPTION_ZH: dict[str, str] = {
    "station.id": "本工作站编号，写入它记录的每条数据。",
    "station.number": "工作站序号 0-999，是其打印的每个 LPN 的一部分。",
    "ui.language": "界面语言：en 或 zh_CN。",
    "ui.sounds": "每次扫描结果都播放声音。",
    "ui.idle_lock_minutes": "空闲多少分钟后锁定工作站（0：从不）。",
    "ui.font_size": "基础字号（磅），一臂距离可读。",
    "scanners.sources": "扫描器地址：wedge:、serial:///dev/ttyACM0?baud=9600、camera://0。",
    "scanners.wedge_max_gap_ms": "按键间隔小于此毫秒数即属于同一次键盘楔扫描。",
    "scanners.wedge_min_length": "视为扫描的最短键盘楔输入。",
    "scanners.wedge_prefix": "键盘楔扫描器设置的前缀。",
    "scanners.wedge_suffix": "键盘楔扫描器在回车前发送的后缀。",
    "camera.uri": "用于拍照和预览的摄像头，如 camera://0（空：无）。",
    "printers.lpn": "LPN 标签打印机地址（空：仅进入打印队列文件夹）。",
    "printers.disposition": "处置标签打印机地址。",
    "printers.relabel": "换标标签打印机地址。",
    "printers.sheet": "A4/Letter 单据打印机地址。",
    "scale.uri": "包裹电子秤，如 serial:///dev/ttyUSB0?baud=9600&mode=continuous（空：手动输入重量）。",
    "central.db_url": "中央数据库地址，不含密码（密码来自 RMA_CENTRAL_PASSWORD 或系统密钥环）。",
}


def option_descriptions() -> dict[str, str]:
    return {o.description: OPTION_ZH[o.name] for o in OPTIONS}
