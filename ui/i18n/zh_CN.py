"""Simplified Chinese for every UI string (source text -> translation).

``python -m ui.i18n.build`` merges this into ``rma_station_zh_CN.ts`` (Qt Linguist can edit
the .ts too) and compiles the ``.qm`` the window loads. Station service messages (the detail
line of a banner) stay in English until the services carry Chinese text.
"""

from station.core.settings import OPTIONS

ZH: dict[str, str] = {
    "Scan the parcels by hand; check the camera setting.": "请手动扫描包裹，并检查摄像头设置。",
    "Waiting for a parcel": "等待包裹", "Set the parcel down under the camera.": "把包裹放在摄像头下方。",
    "Reading the parcel…": "正在识别包裹…", "Keep your hands off the labels for a moment.": "请稍等，手不要遮挡标签。",
    "Identified: %s": "已识别：%s", "Check the card, then press the confirmation key to receive it.": "核对卡片后按确认键收货。",
    "Conflict: the labels point to different RMAs": "冲突：标签指向不同的 RMA",
    "No RMA found on this parcel": "包裹上没有找到 RMA",
    "Turn the parcel so its label faces up, or scan it by hand.": "把包裹翻到标签朝上，或手动扫描。",
    "Hours from receipt to resolution, median and 90th percentile; to closed: %1": "从收货到结算的小时数（中位数和第 90 百分位）；到关闭：%1",
    "to closed": "到关闭", "received to closed": "收货到关闭", "Sync: central URL refused": "同步：中心数据库地址被拒绝",
    "Sync: central URL refused: %1": "同步：中心数据库地址被拒绝：%1",
    "Labels of different RMAs on one parcel": "一个包裹上有不同 RMA 的标签",
    "Scan the right RMA label by hand.": "请手动扫描正确的 RMA 标签。",
    # the camera that comes back (ui.camera.camera_words, the arrival preview)
    "Camera picture lost: waiting for it to come back": "摄像头画面中断：正在等待恢复",
    "No camera picture": "没有摄像头画面", "Camera back": "摄像头画面已恢复",
    "Camera picture lost: reconnecting (attempt %1, next try in %2 s)": "摄像头画面中断：正在重新连接（第 %1 次尝试，%2 秒后重试）",
    "No camera picture: trying again (attempt %1, next try in %2 s)": "没有摄像头画面：正在重试（第 %1 次尝试，%2 秒后重试）",
    "Scan the parcels by hand until the picture is back.": "画面恢复前请手动扫描包裹。",
    "Scan the parcels by hand until the picture is back; the open card can still be received with the confirmation key.":
        "画面恢复前请手动扫描包裹；已打开的卡片仍可按确认键收货。",
    # crash dialog and errors
    "Sorry": "抱歉", "Copy report": "复制报告", "The station cannot start": "工作站无法启动",
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
    "Not an inspection command": "不是质检指令", "Inspecting %1": "正在质检 %1", "Lot %1 recorded": "已记录批号 %1", "lot on hold": "批号暂扣",
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
    "Type the lot or scan the code with the lot, then Enter (Enter alone skips)":
        "输入批号或扫描带批号的条码，然后回车（直接回车跳过）",
    # receiving
    "Scan the parcel's RMA or tracking barcode": "扫描包裹的 RMA 或快递单号条码",
    "…or type it here and press Enter": "…或在此输入后按回车",
    "Enter: receive   ·   Esc: clear   ·   F9: quarantine unknown parcel": "回车：收货   ·   Esc：清除   ·   F9：隔离未知包裹",
    "Not a receiving command": "不是收货指令", "Scan CMD:CONFIRM or an RMA barcode.": "请扫描 CMD:CONFIRM 或 RMA 条码。",
    "RMA %1 is past its deadline": "RMA %1 已过期限", "%1 days late.": "逾期 %1 天。",
    "Press Enter to receive it for supervisor approval.": "按回车收货，等待主管批准。",
    "VOID: %1": "作废：%1",
    "Waiting for central to confirm (the customer is told after): %1": "等待中央数据库确认（确认后才通知客户）：%1",
    "Type why you accept it, then Enter: it is received and recorded as approved by you.":
        "输入接受原因，然后按回车：包裹即被收货，并记录为由您批准。", "RMA %1 found": "已找到 RMA %1",
    "Check the items, then press Enter or scan CMD:CONFIRM.": "核对商品后按回车或扫描 CMD:CONFIRM。",
    "Unknown parcel": "未知包裹", "No RMA matches %1.": "没有与 %1 匹配的 RMA。",
    "Check the label. No RMA? Press F9 to quarantine it.": "请检查标签。没有 RMA？按 F9 隔离。",
    "Nothing to confirm": "没有可确认的内容", "Scan the parcel first.": "请先扫描包裹。", "Labels not queued": "标签未加入队列",
    "Nothing to quarantine": "没有可隔离的包裹", "Scan the unknown parcel first.": "请先扫描未知包裹。",
    "Received": "已收货", "Partly received": "部分收货", "Already received": "已收过货", "Held for a supervisor": "等待主管处理",
    "Quarantined": "已隔离",
    "Enter: receive   ·   product scan: check an item   ·   F2: weigh   ·   Esc: clear   ·   F9: quarantine unknown parcel":
        "回车：收货   ·   扫描商品：核对商品   ·   F2：称重   ·   Esc：清除   ·   F9：隔离未知包裹",
    "wrong item": "商品不符", "serial mismatch": "序列号不符", "lot mismatch": "批号不符",
    "Lot %1 is not the one shipped": "批号 %1 与发货批号不符", "%1 was shipped from lot %2.": "%1 发货时的批号为 %2。",
    "parcel too light": "包裹过轻",
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
    "<b>Pending approvals</b>": "<b>待审批</b>", "%n pending": "%n 项待处理",
    "%n unit(s) unpriced: resale not counted": "%n 件无转售价格：未计入转售收入",
    "Restocked or refurbished units with no resale price for their SKU and grade: import a price list (rma-station prices import) to count them.":
        "重新上架或翻新的商品没有对应 SKU 和等级的转售价格：导入价格表（rma-station prices import）后即可计入。", "Nothing selected": "未选择",
    "Pick an approval first.": "请先选择一项审批。", "Approved": "已批准", "Rejected": "已驳回", " weeks": " 周",
    "Refresh (F8)": "刷新 (F8)", "PDF report (Ctrl+Shift+R)": "PDF 报告 (Ctrl+Shift+R)", "Period": "期间",
    "up to": "截至", "Return rate": "退货率", "Units returned": "退货件数", "Units sold": "销售件数",
    "Cost of returns": "退货成本", "Click a bar or a slice to list its units.": "点击柱形或扇区可列出对应商品。",
    "Note: what is being done (required)": "备注：正在采取的措施（必填）", "Acknowledge (Ctrl+K)": "确认 (Ctrl+K)",
    "<b>Open alerts</b>": "<b>未处理警报</b>", "Drill into (Ctrl+D)": "下钻 (Ctrl+D)",
    "Returned units per ISO week": "每 ISO 周退货件数", "returned": "退货",
    "units": "件", "Return rate by category": "各品类退货率", "Top reasons (units)": "主要退货原因（件）",
    "Cycle time p50 / p90": "处理周期 p50 / p90", "Open alerts": "未处理警报",
    "Hours from receipt to resolution, median and 90th percentile": "从收货到处理完成的小时数：中位数 / 第 90 百分位",
    "Units behind a chart": "图表对应商品", "Worst lots": "问题批号", "Worst lots (%1)": "问题批号（%1）",
    "Lot": "批号", "Returned": "退回", "Sold": "售出", "Main reason": "主要原因", "Open alerts (%1)": "未处理警报（%1）", "to QC": "收货→质检",
    "after QC": "质检→处理", "To vendor": "退供应商", "Relabel": "换标", "total": "全程", "received to inspected": "收货到质检",
    "inspected to resolved": "质检到处理完成", "received to resolved": "收货到处理完成", "h": "小时",
    "week of %1": "%1 当周", "Week": "周", "Grade": "等级", "%1 — %n units": "%1 — %n 件", "sorted by": "排序",
    # queue tabs, column headers and value names (QT_TRANSLATE_NOOP literals in ui/supervisor/)
    "Awaiting inspection": "待质检", "Late parcels": "逾期包裹", "Grade overrides": "改判等级", "Approvals": "审批",
    "Sync conflicts": "同步冲突", "LPN": "LPN", "RMA": "RMA", "Received at": "收货时间", "Code": "条码",
    "Status": "状态", "Notes": "备注", "Computed grade": "计算等级", "Inspector": "质检员", "Finished at": "完成时间",
    "Kind": "类型", "Summary": "摘要", "Requested by": "申请人", "Requested at": "申请时间", "Record type": "记录类型",
    "Record": "记录", "Pushed by": "推送者", "Detected at": "发现时间", "Disposition": "处置", "State": "状态",
    "Severity": "级别", "Subject": "对象", "Message": "内容", "Day": "日期", "Units": "件数", "Queued at": "排队时间",
    "Printed at": "打印时间", "Apparel": "服装", "Shoes": "鞋类", "Electronics": "电子产品", "Cosmetics": "化妆品",
    "Small appliances": "小家电", "General": "通用", "(not in catalogue)": "（不在目录中）", "info": "提示",
    "warning": "警告", "critical": "严重", "rate": "比率", "Grade mix": "等级构成",
    "Disposition mix": "处置构成", "Cycle time (hours)": "处理周期（小时）", "Pick an alert first.": "请先选择一条警报。",
    "Alert acknowledged": "警报已确认", "Save report": "保存报告", "Report written": "报告已生成",
    "Search (Ctrl+F) - words, or column:value": "搜索 (Ctrl+F) - 关键词或 列:值", "%n rows": "%n 行",
    "Export queue": "导出队列", "Exported": "已导出", "Scrap sheet": "报废单", "Relabel sheet": "换标单",
    "All categories": "全部品类", "Print (Ctrl+P)": "打印 (Ctrl+P)", "Reprint selected (Ctrl+R)": "重印所选 (Ctrl+R)",
    "Sheet": "单据", "Days": "日期", "Category": "品类", "<b>Print history</b>": "<b>打印记录</b>",
    "Sheets queued": "单据已加入打印队列", "%n sheets": "%n 张单据", "%n units": "%n 件", "Nothing to print": "没有可打印的内容",
    "No units match these days and category.": "这些日期和品类下没有商品。", "Pick a sheet to reprint.": "请选择要重印的单据。",
    "Reprint queued": "重印已加入队列",
    # parcel panel
    "kg": "千克", "Intact": "完好", "Damaged": "破损", "Opened": "已拆封", "Wet": "受潮",
    "Weight (Alt+W)": "重量（Alt+W）", "Parcel (Alt+1..4)": "包裹（Alt+1..4）", "Checked": "核对",
    # RMA card
    "SKU": "SKU", "Product": "商品", "Expected": "应收", "Counted": "实收", "Customer": "客户", "Order": "订单",
    "Wants": "诉求", "Deadline": "期限", "Refund": "退款", "Exchange": "换货", "%1 — %2 days late": "%1 — 逾期 %2 天",
    # settings dialog
    # strings added by other features without Chinese (filled in with the policy page)
    "Its unit can go to inspection.": "该商品可以送去质检。",
    "Its %1 units can go to inspection.": "其 %1 件商品可以送去质检。",
    "Late parcel": "逾期包裹", "Flagged unit": "被标记的商品", "Grade override": "改判等级",
    "Parcel without RMA": "无 RMA 的包裹", "Photo waived": "免拍照", "Requested by %1": "申请人：%1",
    
    
    
    
    "Settle sync conflict #%1": "处理同步冲突 #%1",
    "&Central's version (what the other station wrote)": "中央版本（另一工作站写入的内容）(&C)",
    "&Station's version (what was held back)": "本站版本（被暂缓的内容）(&S)",
    "Keep": "保留", "Note": "备注",
    "   ·   W: no camera, a supervisor waives the photo": "   ·   W：无摄像头，由主管免除拍照",
    "Welcome back, %1": "欢迎回来，%1", "Your work is as you left it.": "您的工作保持离开时的状态。",
    "Scan your badge to continue; your work is kept for you.": "扫描工牌继续；您的工作已为您保留。",
    "Scan not used: a dialog is open": "扫描未使用：有对话框打开",
    "Nothing changed. Finish or cancel the dialog, then scan again.": "未做任何更改。完成或取消对话框后再扫描。",
    "Camera not working": "摄像头无法工作", "Choose a photo file instead.": "请改为选择照片文件。",
    "Set a camera in settings (F10) to take photos here.": "在设置（F10）中设置摄像头后即可在此拍照。",
    "Press Enter to finish.": "按回车完成。",
    "Ordered serial: %1": "订单序列号：%1", "none on the order": "订单上没有",
    "scanned at receiving: %1": "收货时扫描：%1",
    "central's version": "中央版本", "the station's version": "本站版本",
    "Conflict #%1 settled": "冲突 #%1 已处理", "Kept %1.": "已保留%1。",
    "RMA %1 is not received yet": "RMA %1 尚未收货",
    "You scanned another parcel (%1) while this card holds your checks.": "您扫描了另一个包裹（%1），而此卡片上还有您的核对内容。",
    "Enter: receive this one first   ·   Esc: discard it": "回车：先收下当前这个   ·   Esc：放弃它",
    "cancelled": "已取消", "closed": "已关闭", "RMA %1 was %2": "RMA %1 %2",
    "Its parcel cannot be received.": "其包裹无法收货。",
    "Press Enter or F9 to quarantine it for a supervisor.": "按回车或 F9 将其隔离，交主管处理。",
    "Note, or the reason for a refusal (English)": "备注，或拒绝原因（英文）",
    "Reason in Chinese (needed when the customer reads Chinese)": "中文原因（客户使用中文时必填）",
    "Authorise": "批准", "Refuse": "拒绝", "<b>Return requests for review</b>": "<b>待审核的退货申请</b>",
    "Value": "金额", "Why": "原因", "%n request(s) waiting": "%n 个申请待处理",
    "Pick a request first.": "请先选择一个申请。", "Authorised": "已批准", "Refused": "已拒绝",
    "RMA to cancel (else the one picked)": "要取消的 RMA（不填则取消所选申请）",
    "Cancel request (Ctrl+Shift+X)": "取消申请 (Ctrl+Shift+X)", "Cancelled": "已取消",
    "Pick a request or type its RMA number first.": "请先选择一个申请，或输入其 RMA 号。",
    "Type why the request is cancelled: the customer reads it.": "请输入取消原因：客户会看到这段文字。",
    "Released by a supervisor: grade %1": "已由主管放行：等级 %1", "Reprint labels": "重新打印标签",
    "Scan the unit's LPN, or the RMA for all its labels.": "扫描商品的 LPN，或扫描 RMA 重印其全部标签。",
    "1 label reprinted": "已重新打印 1 张标签", "%1 labels reprinted": "已重新打印 %1 张标签",
    "Stick each label on its unit.": "把每张标签贴到对应商品上。",
    "Sync: not set up": "同步：未设置",
    "No central database: this station works alone. %n change(s) wait to be sent once one is set up.":
        "没有中央数据库：本工作站独立运行。%n 项更改将在设置后发送。",
    "Labels: %1": "标签：%1", "PDF folder %1": "PDF 文件夹 %1", "Zebra at %1": "Zebra 打印机 %1", "printer %1": "打印机 %1", "Click to open the folder": "点击打开文件夹", "%1 failed": "%1 个失败",
    "%1 waiting": "%1 个等待中", "Finish %1 without a photo": "不拍照完成 %1",
    "“%1” failed and needs a photo, and no camera works.": "“%1”不合格，需要拍照，但没有可用的摄像头。",
    "A supervisor scans their badge and enters their PIN:": "请主管扫描工牌并输入 PIN：",
    # settings dialog: the return policy page (ui/widgets/policy_editor.py)
    "Scan formats": "扫描格式", "Dock": "码头",
    "Return policy": "退货政策", "&Check": "检查(&C)", "&Save policy": "保存政策(&S)",
    "&Restore shipped policy": "恢复出厂政策(&R)", "Restore shipped policy": "恢复出厂政策",
    "site copy": "本站副本", "shipped policy, no site copy yet": "出厂政策，尚无本站副本",
    "Policy in force: %1 (%2)": "当前生效的政策：%1（%2）",
    "A saved policy is checked like “rma-station policy check” and takes effect at the next start of the station and of the returns service.":
        "保存的政策按“rma-station policy check”同样的规则检查，并在工作站和退货服务下次启动时生效。",
    "%n problem(s); the policy is not usable as it is.": "%n 个问题；该政策目前无法使用。",
    "The policy is valid.": "政策有效。",
    "Sign in as an admin to save the policy.": "请以管理员身份登录后再保存政策。",
    "%n problem(s); nothing was saved.": "%n 个问题；未保存任何内容。",
    "Saved to %1. It takes effect at the next start.": "已保存到 %1。下次启动时生效。",
    "Remove the site's policy and use the shipped one from the next start?": "删除本站政策，并从下次启动起使用出厂政策？",
    "The shipped policy will be used from the next start.": "下次启动起将使用出厂政策。",
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
    "Scan your badge.": "请扫描工牌。", "%1 is a parcel or product label, not a badge.": "%1 是包裹或商品标签，不是工牌。", "Badge %1": "工牌 %1", "Enter your PIN and press Enter.": "输入 PIN 后按回车。",
    "Badge and PIN needed": "需要工牌和 PIN", "Scan your badge and enter your PIN.": "请扫描工牌并输入 PIN。",
    "Too many wrong PINs": "PIN 错误次数过多", "Sign-in locked": "登录已锁定",
    "Locked: ask a supervisor": "已锁定：请找主管", "Too many wrong PINs — try again in %1 s": "PIN 错误次数过多 — 请 %1 秒后重试",
    # status bar
    "Station %1": "工作站 %1", "Signed out": "未登录", "Session ended": "登录已失效", "clerk": "收货员", "inspector": "质检员", "supervisor": "主管",
    "admin": "管理员", "never": "从未", "Sync queue %1 · last %2": "同步队列 %1 · 上次 %2",
    "Printer: %1 failed": "打印机：%1 个失败", "Printer: %1 waiting": "打印机：%1 个等待", "Printer: ready": "打印机：就绪",
    "Offline · sync queue %1": "离线 · 同步队列 %1",
    # resolution desk (F1)
    "Resolution  (F1)": "结算  (F1)", "Compensation": "补偿", "Amount": "金额",
    "Reason (required to adjust or reject; a rejection is sent to the customer)": "原因（调整或拒绝时必填；拒绝原因会发给客户）",
    "Issue as proposed (Ctrl+Return)": "按建议发放 (Ctrl+Return)", "Adjust (Ctrl+Shift+Return)": "调整后发放 (Ctrl+Shift+Return)",
    "Reject (Ctrl+Backspace)": "拒绝 (Ctrl+Backspace)",
    "F1: resolution   ·   Ctrl+Return: issue as proposed   ·   Alt+K / Alt+M / Alt+R: kind / amount / reason, "
    "Ctrl+Shift+Return: adjust   ·   Ctrl+Backspace: reject   ·   Alt+H: history":
        "F1：结算   ·   Ctrl+Return：按建议发放   ·   Alt+K / Alt+M / Alt+R：类型 / 金额 / 原因，Ctrl+Shift+Return：调整后发放"
        "   ·   Ctrl+Backspace：拒绝   ·   Alt+H：历史",
    "&Kind": "类型(&K)", "A&mount": "金额(&M)", "&Reason": "原因(&R)",
    "&History: resolutions issued (by people and by the policy)": "历史(&H)：已发放的结算（人工与政策自动）",
    "<b>Ready to resolve: %1</b> (oldest first; %2 shown)": "<b>待结算：%1</b>（最早的在前；显示 %2 条）",
    "Proposed": "建议", "Gross": "实付", "Fee": "手续费", "Grades": "等级", "Returns": "退货次数", "Flags": "标记",
    "Who issues": "由谁发放", "policy": "政策", "Issued at": "发放时间", "By": "发放人", "Closed": "已关闭",
    "policy (automatic)": "政策（自动）", "yes": "是", "no": "否",
    "Nothing waits for a resolution.": "没有待结算的退货。", "Resolution issued": "已发放结算",
    "Pick an RMA first.": "请先选择一个 RMA。", "%1 is not an amount.": "%1 不是有效金额。",
    "Type it like 280.00.": "请按 280.00 的格式输入。", "Adjusted resolution issued": "已发放调整后的结算",
    "Reason needed": "需要原因", "Type why the return is rejected; the customer reads it.": "请输入拒绝原因；客户会看到这段文字。",
    "Return rejected": "已拒绝退货", "Routine refund issued by the return policy.": "由退货政策自动发放的常规退款。",
    # return to vendor (ui/supervisor/rtv_view.py)
    "Return to vendor  (F2)": "退供应商  (F2)", "<b>Return to vendor</b>": "<b>退供应商</b>", "Vendor": "供应商",
    "Open batch (Ctrl+N)": "新建批次 (Ctrl+N)", "Batches and claims": "批次与索赔", "Units in the batch": "批次内商品",
    "Scan or type an LPN, Enter adds it to the selected batch": "扫描或输入 LPN，回车加入所选批次",
    "Vendor RA number": "供应商退货授权号 (RA)", "Carrier": "承运商", "Tracking number": "运单号",
    "Ship and print (Ctrl+P)": "发货并打印 (Ctrl+P)", "Credited amount": "到账金额",
    "Vendor's reason for a dispute": "供应商拒赔理由", "Acknowledged (Ctrl+K)": "已确认 (Ctrl+K)",
    "Credited (Ctrl+E)": "已到账 (Ctrl+E)", "Disputed (Ctrl+D)": "有争议 (Ctrl+D)",
    "F2 return to vendor (again: reload) · Enter add LPN · Ctrl+N open batch · Ctrl+P ship and print · Ctrl+K acknowledged · Ctrl+E credited · Ctrl+D disputed · Delete remove unit":
        "F2 退供应商（再按：刷新） · 回车 加入 LPN · Ctrl+N 新建批次 · Ctrl+P 发货并打印 · Ctrl+K 已确认 · Ctrl+E 已到账 · Ctrl+D 有争议 · Delete 移出商品",
    "Removed %1": "已移出 %1",
    "No vendors yet: add one with rma-station rtv vendor add.": "尚无供应商：请用 rma-station rtv vendor add 添加。",
    "%n approved unit(s) of this vendor wait for a batch": "该供应商有 %n 件已批准商品待装批",
    "open": "未发货", "Names|open": "未处理", "shipped": "已发货", "acknowledged": "已确认", "credited": "已到账", "disputed": "有争议",
    "Open a batch for a vendor, then scan its approved units.": "为供应商新建批次，然后扫描其已批准的商品。",
    "%1 for %2 <%3>, credits %4: %5 units, claim %6 %7.": "%1 发往 %2 <%3>，赔付 %4：%5 件，索赔 %6 %7。",
    "RA %1, %2 %3.": "RA %1，%2 %3。", "Claim open %n day(s).": "索赔已开 %n 天。",
    "Credited %1 on %2.": "已于 %2 到账 %1。", "Disputed: %1": "争议：%1",
    "No batch selected": "未选择批次", "Open a batch or pick one in the list first.": "请先新建批次或在列表中选择一个。",
    "No vendor": "无供应商", "Pick a vendor first.": "请先选择供应商。", "Batch %1 opened": "批次 %1 已新建",
    "Scan the units into it.": "请扫描商品加入。", "Added %1": "已加入 %1", "Batch %1 shipped": "批次 %1 已发货",
    "Packing list and carton label sent to the printers.": "装箱单和箱标已发送到打印机。",
    "Print paperwork again (Ctrl+P)": "再次打印单据 (Ctrl+P)", "Paperwork of %1 printed again": "批次 %1 的单据已再次打印",
    "Batch %1 is already shipped": "批次 %1 已发货过", "Press Ctrl+P to print its paperwork again.": "按 Ctrl+P 再次打印其装箱单和箱标。",
    "No amount": "无金额", "Type the amount the vendor credited, then Ctrl+E.": "请输入供应商到账金额，再按 Ctrl+E。",
    "Claim %1 acknowledged": "索赔 %1 已确认", "Claim %1 credited": "索赔 %1 已到账", "Claim %1 disputed": "索赔 %1 有争议",
    "Credit of claim %1 recorded: waits for central": "索赔 %1 的到账已记录：等待中央确认",
    ", credit pending": "，到账待确认",
    "Batch": "批次", "Claimed": "索赔金额", "RA number": "RA 号", "Days open": "已开天数", "Serial": "序列号",
    "Defect": "缺陷", "full unit cost": "全额成本", "%1 % of unit cost": "成本的 %1 %",
    # net cost tile, alerts that reach an owner (issue 14)
    "Net cost per return": "每单退货净成本",
    "Net cost %1 over %2 returns: shipping %3 + handling %4 + repairs %5 + refunds %6, less resale %7, "
    "donation and recycling %8, vendor credit %9":
        "%2 单退货净成本 %1：运费 %3 + 处理费 %4 + 翻新 %5 + 退款 %6，减去再售 %7、捐赠及回收 %8、供应商赔付 %9",
    "Add action (Ctrl+Shift+A)": "记录措施 (Ctrl+Shift+A)", "Close alert (Ctrl+Shift+K)": "关闭警报 (Ctrl+Shift+K)",
    "Action noted": "措施已记录", "Alert closed": "警报已关闭",
    "Escalated to the site's supervisors": "已升级至本站主管",
    "Owner": "负责人", "Respond by": "响应期限", 
    "site supervisors": "本站主管",
    # issue 15: floor strings (status bar, approvals, match, conflicts, first launch)
    
    
    
    'Match to RMA… (Ctrl+M)': '匹配 RMA…（Ctrl+M）',
    'Not a parcel without RMA': '不是无 RMA 包裹',
    'Pick a “Parcel without RMA” approval to match it.': '请选择一条“无 RMA 包裹”审批再进行匹配。',
    
    
    'RMA station': 'RMA 工作站',
    'Preparing demo data: a warehouse of returns to try the dock with…': '正在准备演示数据：一个可供试用收货台的退货仓库…',
    'Demo data could not be prepared: %1': '无法准备演示数据：%1',
    
    
    
    'Match parcel %1 to an RMA': '将包裹 %1 匹配到 RMA',
    'Order, customer, tracking or name, then Enter': '订单号、客户号、运单号或姓名，然后按回车',
    'How was it matched? (required)': '如何匹配的？（必填）',
    'Match and receive (Enter)': '匹配并收货（回车）',
    'Parcel %1: find its RMA.': '包裹 %1：查找其 RMA。',
    '%n open RMA(s) found': '找到 %n 个未完成的 RMA',
    'Search and pick an RMA first.': '请先搜索并选择一个 RMA。',
    'Parcel matched': '包裹已匹配',
    'Received into %1.': '已收货至 %1。',
    
    
    
    
    
    
    
    
    
    
    
    
    
    
    
    
    
    
    
    
    
    
    # work kept or put away at sign-out
    "%1 signed out": "%1 已退出登录", "Kept for you: %1.": "已为您保留：%1。",
    "Sign in again to finish it. If someone else signs in first, it is put away.":
        "重新登录即可继续。如果其他人先登录，这些工作将被放弃。",
    "%1's work was put away": "%1 未完成的工作已放弃",
    "Nothing of it was saved: scan the parcel again to receive it.": "这些内容均未保存：请重新扫描包裹收货。",
    "the card of RMA %1 (not received yet)": "RMA %1 的卡片（尚未收货）",
    "Wrong item: %1": "错误商品：%1",
    "Received into %1: %2.": "已收入 %1：%2。",
    "Stick the LPN labels on the units and send them to QC.": "把 LPN 标签贴到商品上并送去质检。",
    "Reject the return?": "拒绝此退货？", "Reject RMA %1? The customer is told: “%2”": "拒绝 RMA %1？客户将收到：“%2”",
    "Reject (Y)": "拒绝 (Y)", "Keep it (N)": "暂不拒绝 (N)",
    "LPN labels": "LPN 标签", "disposition and carton labels": "处置标签和箱标", "sheets and packing lists": "单据和装箱单",
    "Sound: %1": "声音：%1", "no audio output: only the system beep": "没有音频输出：只有系统提示音",
    "the audio device refused to play (check the speakers and the sound server)":
        "音频设备无法播放（请检查扬声器和声音服务）",
    # command barcodes on the desk (issue 23)
    "%1 does nothing in this tab": "%1 在此界面不起作用", "Nothing changed.": "未做任何更改。",
    "Scan a command of this tab, or go to the tab the command is for.": "请扫描本界面的指令，或切换到该指令所属的界面。",
    "Scanned into “%1”": "已扫入“%1”",
    "Your role changed: the card of RMA %1 is open again, not received yet.": "您的角色已变更：退货单 %1 的卡片已重新打开，尚未收货。",
    "Enter its weight, condition and checks again, then receive it.": "请重新输入重量、包裹状况和核对，然后收货。",
    "Last parcel: %1 — %2": "上一个包裹：%1 — %2", "no RMA": "无退货单", "Goes to: %1": "输出到：%1",
}

#: The one-line descriptions of the settings (declared in station/core/settings.py).
OPTION_ZH: dict[str, str] = {
    "station.id": "本工作站编号，写入它记录的每条数据（修改：rma-station station rename）。",
    "station.number": "工作站序号 0-999，是其打印的每个 LPN 的一部分（修改：rma-station station rename）。",
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
    "camera.arrivals": "免扫描收货：台面上方的摄像头识别放下的包裹并打开其 RMA 卡片（按确认键才收货）。",
    "camera.region": "摄像头画面中要观察的台面区域，X,Y,W,H 为 0-1 的比例（空：整个画面）。",
    "camera.resolution": "向台面摄像头请求的分辨率。",
    "camera.confirm_key": "确认收货的按键：Return、Enter、F13-F24 或 Pause（如脚踏开关）。",
    "camera.presence_percent": "观察区域中与空台面不同的百分比达到此值即视为有包裹。",
    "camera.motion_percent": "相邻两帧之间变化的观察区域百分比达到此值即视为仍在移动。",
    "camera.settle_frames": "连续静止多少帧后读取包裹。",
    "camera.empty_frames": "连续多少帧无包裹后视为包裹已离开。",
    "camera.reads": "包裹每次静止时读取的帧数。",
    "camera.retries": "包裹静止且尚未识别、有看得见但未读出的标签时，再读取的帧数。",
    "camera.retry_every": "静止包裹两次补读之间相隔的帧数。",
    "printers.lpn": "LPN 标签打印机地址（空：在数据文件夹的 labels/lpn 中生成 PDF 文件）。",
    "printers.disposition": "处置标签和退供应商箱标的打印机地址（空：数据文件夹的 labels/disposition 中的 PDF 文件）。",
    "printers.relabel": "换标标签打印机地址（空：数据文件夹的 labels/relabel 中的 PDF 文件）。",
    "printers.sheet": "A4/Letter 单据和退供应商装箱单的打印机地址（空：数据文件夹的 labels/sheet 中的 PDF 文件）。",
    "scale.uri": "包裹电子秤，如 serial:///dev/ttyUSB0?baud=9600&mode=continuous（空：手动输入重量）。",
    "central.db_url": "中央数据库地址，不含密码（密码来自 RMA_CENTRAL_PASSWORD 或系统密钥环）。",
    "scanning.formats_file": "扫描格式文件（指令前缀、工牌、承运商、库位）；空：使用自带文件。",
    "dock.address": "客户退货面单上的收货仓地址：每行一项（换行或“;”分隔）。",
}


def option_descriptions() -> dict[str, str]:
    return {o.description: OPTION_ZH[o.name] for o in OPTIONS}
