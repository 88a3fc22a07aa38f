<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>ApprovalActions</name>
    <message>
        <source>RMA %1 is waiting for your approval</source>
        <translation>RMA %1 等待您批准</translation>
    </message>
    <message>
        <source>Received %1 days after its deadline.</source>
        <translation>超过期限 %1 天收货。</translation>
    </message>
    <message>
        <source>Type the reason, then Enter to accept it. Esc: leave it waiting.</source>
        <translation>输入原因后回车即接收。Esc：暂不处理。</translation>
    </message>
    <message>
        <source>Late parcel %1 accepted</source>
        <translation>逾期包裹 %1 已接收</translation>
    </message>
    <message>
        <source>Its unit can go to inspection.</source>
        <translation>该商品可以送去质检。</translation>
    </message>
    <message>
        <source>Its %1 units can go to inspection.</source>
        <translation>其 %1 件商品可以送去质检。</translation>
    </message>
</context>
<context>
    <name>ApprovalPanel</name>
    <message>
        <source>Reason for accepting the late parcel, then Enter</source>
        <translation>填写接收逾期包裹的原因，然后回车</translation>
    </message>
    <message>
        <source>Awaiting approval (%1)  ·  Alt+A</source>
        <translation>待批准（%1）  ·  Alt+A</translation>
    </message>
</context>
<context>
    <name>ApprovalsView</name>
    <message>
        <source>Late parcel</source>
        <extracomment>Approval kinds in words (the list showed ``flagged_unit``).</extracomment>
        <translation>逾期包裹</translation>
    </message>
    <message>
        <source>Flagged unit</source>
        <translation>被标记的商品</translation>
    </message>
    <message>
        <source>Scrap</source>
        <translation>报废</translation>
    </message>
    <message>
        <source>Return to vendor</source>
        <translation>退回供应商</translation>
    </message>
    <message>
        <source>Grade override</source>
        <translation>改判等级</translation>
    </message>
    <message>
        <source>Parcel without RMA</source>
        <translation>无 RMA 的包裹</translation>
    </message>
    <message>
        <source>Photo waived</source>
        <translation>免拍照</translation>
    </message>
    <message>
        <source>Reason for the decision (required)</source>
        <extracomment>Kinds of record shown here: a commit writing one refreshes the view (ui.changes); pending approvals and the customer requests waiting for review.</extracomment>
        <translation>决定原因（必填）</translation>
    </message>
    <message>
        <source>Approve (F9)</source>
        <translation>批准 (F9)</translation>
    </message>
    <message>
        <source>Reject (F10)</source>
        <translation>驳回 (F10)</translation>
    </message>
    <message>
        <source>Match to RMA… (Ctrl+M)</source>
        <translation>匹配 RMA…（Ctrl+M）</translation>
    </message>
    <message>
        <source>&lt;b&gt;Pending approvals&lt;/b&gt;</source>
        <translation>&lt;b&gt;待审批&lt;/b&gt;</translation>
    </message>
    <message numerus="yes">
        <source>%n pending</source>
        <translation><numerusform>%n 项待处理</numerusform></translation>
    </message>
    <message>
        <source>Requested by %1</source>
        <translation>申请人：%1</translation>
    </message>
    <message>
        <source>Flags</source>
        <translation>标记</translation>
    </message>
    <message>
        <source>Not a parcel without RMA</source>
        <translation>不是无 RMA 包裹</translation>
    </message>
    <message>
        <source>Pick a “Parcel without RMA” approval to match it.</source>
        <translation>请选择一条“无 RMA 包裹”审批再进行匹配。</translation>
    </message>
    <message>
        <source>Nothing selected</source>
        <translation>未选择</translation>
    </message>
    <message>
        <source>Pick an approval first.</source>
        <translation>请先选择一项审批。</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>已批准</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>已驳回</translation>
    </message>
</context>
<context>
    <name>ArrivalPreview</name>
    <message>
        <source>Camera starting…</source>
        <extracomment>Outline colour per role of a code. The arrival the screen has identified (set from the UI thread; one int, so no lock): the watcher stops re-reading it.</extracomment>
        <translation>摄像头启动中…</translation>
    </message>
    <message>
        <source>No camera</source>
        <translation>无摄像头</translation>
    </message>
    <message>
        <source>Scan the parcels by hand; check the camera setting.</source>
        <translation>请手动扫描包裹，并检查摄像头设置。</translation>
    </message>
    <message>
        <source>Waiting for a parcel</source>
        <translation>等待包裹</translation>
    </message>
    <message>
        <source>Set the parcel down under the camera.</source>
        <translation>把包裹放在摄像头下方。</translation>
    </message>
    <message>
        <source>Reading the parcel…</source>
        <translation>正在识别包裹…</translation>
    </message>
    <message>
        <source>Keep your hands off the labels for a moment.</source>
        <translation>请稍等，手不要遮挡标签。</translation>
    </message>
    <message>
        <source>Identified: %s</source>
        <translation>已识别：%s</translation>
    </message>
    <message>
        <source>Check the card, then press the confirmation key to receive it.</source>
        <translation>核对卡片后按确认键收货。</translation>
    </message>
    <message>
        <source>Conflict: the labels point to different RMAs</source>
        <translation>冲突：标签指向不同的 RMA</translation>
    </message>
    <message>
        <source>Scan the right RMA label by hand.</source>
        <translation>请手动扫描正确的 RMA 标签。</translation>
    </message>
    <message>
        <source>No RMA found on this parcel</source>
        <translation>包裹上没有找到 RMA</translation>
    </message>
    <message>
        <source>Turn the parcel so its label faces up, or scan it by hand.</source>
        <translation>把包裹翻到标签朝上，或手动扫描。</translation>
    </message>
    <message>
        <source>Scan the parcels by hand until the picture is back; the open card can still be received with the confirmation key.</source>
        <translation>画面恢复前请手动扫描包裹；已打开的卡片仍可按确认键收货。</translation>
    </message>
    <message>
        <source>Scan the parcels by hand until the picture is back.</source>
        <translation>画面恢复前请手动扫描包裹。</translation>
    </message>
</context>
<context>
    <name>CameraPreview</name>
    <message>
        <source>Camera starting…</source>
        <translation>摄像头启动中…</translation>
    </message>
    <message>
        <source>No camera</source>
        <translation>无摄像头</translation>
    </message>
</context>
<context>
    <name>CameraWords</name>
    <message>
        <source>Camera picture lost: waiting for it to come back</source>
        <translation>摄像头画面中断：正在等待恢复</translation>
    </message>
    <message>
        <source>No camera picture</source>
        <translation>没有摄像头画面</translation>
    </message>
    <message>
        <source>Camera picture lost: reconnecting (attempt %1, next try in %2 s)</source>
        <translation>摄像头画面中断：正在重新连接（第 %1 次尝试，%2 秒后重试）</translation>
    </message>
    <message>
        <source>No camera picture: trying again (attempt %1, next try in %2 s)</source>
        <translation>没有摄像头画面：正在重试（第 %1 次尝试，%2 秒后重试）</translation>
    </message>
    <message>
        <source>Camera back</source>
        <translation>摄像头画面已恢复</translation>
    </message>
</context>
<context>
    <name>CardActions</name>
    <message>
        <source>the card of RMA %1 (not received yet)</source>
        <translation>RMA %1 的卡片（尚未收货）</translation>
    </message>
    <message>
        <source>RMA %1 is not received yet</source>
        <translation>RMA %1 尚未收货</translation>
    </message>
    <message>
        <source>You scanned another parcel (%1) while this card holds your checks.</source>
        <translation>您扫描了另一个包裹（%1），而此卡片上还有您的核对内容。</translation>
    </message>
    <message>
        <source>Enter: receive this one first   ·   Esc: discard it</source>
        <translation>回车：先收下当前这个   ·   Esc：放弃它</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <source>RMA %1 was %2</source>
        <translation>RMA %1 %2</translation>
    </message>
    <message>
        <source>Its parcel cannot be received.</source>
        <translation>其包裹无法收货。</translation>
    </message>
    <message>
        <source>Press Enter or F9 to quarantine it for a supervisor.</source>
        <translation>按回车或 F9 将其隔离，交主管处理。</translation>
    </message>
    <message>
        <source>RMA %1 is past its deadline</source>
        <translation>RMA %1 已过期限</translation>
    </message>
    <message>
        <source>%1 days late.</source>
        <translation>逾期 %1 天。</translation>
    </message>
    <message>
        <source>Type why you accept it, then Enter: it is received and recorded as approved by you.</source>
        <translation>输入接受原因，然后按回车：包裹即被收货，并记录为由您批准。</translation>
    </message>
    <message>
        <source>Press Enter to receive it for supervisor approval.</source>
        <translation>按回车收货，等待主管批准。</translation>
    </message>
    <message>
        <source>RMA %1 found</source>
        <translation>已找到 RMA %1</translation>
    </message>
    <message>
        <source>Check the items, then press Enter or scan CMD:CONFIRM.</source>
        <translation>核对商品后按回车或扫描 CMD:CONFIRM。</translation>
    </message>
    <message>
        <source>Unknown parcel</source>
        <translation>未知包裹</translation>
    </message>
    <message>
        <source>No RMA matches %1.</source>
        <translation>没有与 %1 匹配的 RMA。</translation>
    </message>
    <message>
        <source>Check the label. No RMA? Press F9 to quarantine it.</source>
        <translation>请检查标签。没有 RMA？按 F9 隔离。</translation>
    </message>
</context>
<context>
    <name>Columns</name>
    <message>
        <source>LPN</source>
        <translation>LPN</translation>
    </message>
    <message>
        <source>RMA</source>
        <translation>RMA</translation>
    </message>
    <message>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>品类</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Received at</source>
        <translation>收货时间</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>条码</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>期限</translation>
    </message>
    <message>
        <source>Computed grade</source>
        <translation>计算等级</translation>
    </message>
    <message>
        <source>Grade</source>
        <translation>等级</translation>
    </message>
    <message>
        <source>Inspector</source>
        <translation>质检员</translation>
    </message>
    <message>
        <source>Finished at</source>
        <translation>完成时间</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>Requested by</source>
        <translation>申请人</translation>
    </message>
    <message>
        <source>Requested at</source>
        <translation>申请时间</translation>
    </message>
    <message>
        <source>Record type</source>
        <translation>记录类型</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Pushed by</source>
        <translation>推送者</translation>
    </message>
    <message>
        <source>Detected at</source>
        <translation>发现时间</translation>
    </message>
    <message>
        <source>Disposition</source>
        <translation>处置</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>级别</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Sheet</source>
        <translation>单据</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>件数</translation>
    </message>
    <message>
        <source>Queued at</source>
        <translation>排队时间</translation>
    </message>
    <message>
        <source>Printed at</source>
        <translation>打印时间</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>批次</translation>
    </message>
    <message>
        <source>Vendor</source>
        <translation>供应商</translation>
    </message>
    <message>
        <source>Claimed</source>
        <translation>索赔金额</translation>
    </message>
    <message>
        <source>RA number</source>
        <translation>RA 号</translation>
    </message>
    <message>
        <source>Days open</source>
        <translation>已开天数</translation>
    </message>
    <message>
        <source>Serial</source>
        <translation>序列号</translation>
    </message>
    <message>
        <source>Defect</source>
        <translation>缺陷</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <source>Respond by</source>
        <translation>响应期限</translation>
    </message>
    <message>
        <source>Lot</source>
        <translation>批号</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>退回</translation>
    </message>
    <message>
        <source>Sold</source>
        <translation>售出</translation>
    </message>
    <message>
        <source>Return rate</source>
        <translation>退货率</translation>
    </message>
    <message>
        <source>Main reason</source>
        <translation>主要原因</translation>
    </message>
</context>
<context>
    <name>ConflictDialog</name>
    <message>
        <source>Settle sync conflict #%1</source>
        <translation>处理同步冲突 #%1</translation>
    </message>
    <message>
        <source>&amp;Central's version (what the other station wrote)</source>
        <translation>中央版本（另一工作站写入的内容）(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Station's version (what was held back)</source>
        <translation>本站版本（被暂缓的内容）(&amp;S)</translation>
    </message>
    <message>
        <source>Keep</source>
        <translation>保留</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>Crash</name>
    <message>
        <source>Sorry</source>
        <translation>抱歉</translation>
    </message>
    <message>
        <source>Something went wrong in the station. Work you confirmed is saved. Copy the report for support.</source>
        <translation>工作站出现问题。已确认的工作均已保存。请复制报告发给技术支持。</translation>
    </message>
    <message>
        <source>Copy report</source>
        <translation>复制报告</translation>
    </message>
</context>
<context>
    <name>DashboardView</name>
    <message>
        <source> weeks</source>
        <extracomment>Kinds of record shown here: a commit writing one refreshes the view (ui.changes); the source rows of the figures and the alerts (not the analytics_* summaries the dashboard itself writes).</extracomment>
        <translation> 周</translation>
    </message>
    <message>
        <source>PDF report (Ctrl+Shift+R)</source>
        <translation>PDF 报告 (Ctrl+Shift+R)</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>期间</translation>
    </message>
    <message>
        <source>up to</source>
        <translation>截至</translation>
    </message>
    <message>
        <source>Return rate</source>
        <translation>退货率</translation>
    </message>
    <message>
        <source>Units returned</source>
        <translation>退货件数</translation>
    </message>
    <message>
        <source>Units sold</source>
        <translation>销售件数</translation>
    </message>
    <message>
        <source>Cost of returns</source>
        <translation>退货成本</translation>
    </message>
    <message>
        <source>Cycle time p50 / p90</source>
        <translation>处理周期 p50 / p90</translation>
    </message>
    <message>
        <source>Open alerts</source>
        <translation>未处理警报</translation>
    </message>
    <message>
        <source>Hours from receipt to resolution, median and 90th percentile</source>
        <translation>从收货到处理完成的小时数：中位数 / 第 90 百分位</translation>
    </message>
    <message>
        <source>Click a bar or a slice to list its units.</source>
        <translation>点击柱形或扇区可列出对应商品。</translation>
    </message>
    <message>
        <source>Note: what is being done (required)</source>
        <translation>备注：正在采取的措施（必填）</translation>
    </message>
    <message>
        <source>Acknowledge (Ctrl+K)</source>
        <translation>确认 (Ctrl+K)</translation>
    </message>
    <message numerus="yes">
        <source>%n unit(s) unpriced: resale not counted</source>
        <translation><numerusform>%n 件无转售价格：未计入转售收入</numerusform></translation>
    </message>
    <message>
        <source>Restocked or refurbished units with no resale price for their SKU and grade: import a price list (rma-station prices import) to count them.</source>
        <translation>重新上架或翻新的商品没有对应 SKU 和等级的转售价格：导入价格表（rma-station prices import）后即可计入。</translation>
    </message>
    <message>
        <source>after QC</source>
        <translation>质检→处理</translation>
    </message>
    <message>
        <source>week of %1</source>
        <translation>%1 当周</translation>
    </message>
    <message>
        <source>Top reasons (units)</source>
        <translation>主要退货原因（件）</translation>
    </message>
    <message>
        <source>Return rate by category</source>
        <translation>各品类退货率</translation>
    </message>
    <message>
        <source>Drill into (Ctrl+D)</source>
        <translation>下钻 (Ctrl+D)</translation>
    </message>
    <message>
        <source>Refresh (F8)</source>
        <translation>刷新 (F8)</translation>
    </message>
    <message>
        <source>Net cost per return</source>
        <translation>每单退货净成本</translation>
    </message>
    <message>
        <source>Add action (Ctrl+Shift+A)</source>
        <translation>记录措施 (Ctrl+Shift+A)</translation>
    </message>
    <message>
        <source>Close alert (Ctrl+Shift+K)</source>
        <translation>关闭警报 (Ctrl+Shift+K)</translation>
    </message>
    <message>
        <source>Units behind a chart</source>
        <translation>图表对应商品</translation>
    </message>
    <message>
        <source>Worst lots</source>
        <translation>问题批号</translation>
    </message>
    <message>
        <source>Net cost %1 over %2 returns: shipping %3 + handling %4 + repairs %5 + refunds %6, less resale %7, donation and recycling %8, vendor credit %9</source>
        <translation>%2 单退货净成本 %1：运费 %3 + 处理费 %4 + 翻新 %5 + 退款 %6，减去再售 %7、捐赠及回收 %8、供应商赔付 %9</translation>
    </message>
    <message>
        <source>Hours from receipt to resolution, median and 90th percentile; to closed: %1</source>
        <translation>从收货到结算的小时数（中位数和第 90 百分位）；到关闭：%1</translation>
    </message>
    <message>
        <source>Worst lots (%1)</source>
        <translation>问题批号（%1）</translation>
    </message>
    <message>
        <source>Escalated to the site's supervisors</source>
        <translation>已升级至本站主管</translation>
    </message>
    <message>
        <source>Open alerts (%1)</source>
        <translation>未处理警报（%1）</translation>
    </message>
    <message>
        <source>to QC</source>
        <translation>收货→质检</translation>
    </message>
    <message>
        <source>total</source>
        <translation>全程</translation>
    </message>
    <message>
        <source>to closed</source>
        <translation>到关闭</translation>
    </message>
    <message>
        <source>received to inspected</source>
        <translation>收货到质检</translation>
    </message>
    <message>
        <source>inspected to resolved</source>
        <translation>质检到处理完成</translation>
    </message>
    <message>
        <source>received to resolved</source>
        <translation>收货到处理完成</translation>
    </message>
    <message>
        <source>received to closed</source>
        <translation>收货到关闭</translation>
    </message>
    <message>
        <source>h</source>
        <translation>小时</translation>
    </message>
    <message>
        <source>To vendor</source>
        <translation>退供应商</translation>
    </message>
    <message>
        <source>Returned units per ISO week</source>
        <translation>每 ISO 周退货件数</translation>
    </message>
    <message>
        <source>returned</source>
        <translation>退货</translation>
    </message>
    <message>
        <source>units</source>
        <translation>件</translation>
    </message>
    <message>
        <source>rate</source>
        <translation>比率</translation>
    </message>
    <message>
        <source>Grade mix</source>
        <translation>等级构成</translation>
    </message>
    <message>
        <source>Disposition mix</source>
        <translation>处置构成</translation>
    </message>
    <message>
        <source>Cycle time (hours)</source>
        <translation>处理周期（小时）</translation>
    </message>
    <message>
        <source>Week</source>
        <translation>周</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>品类</translation>
    </message>
    <message>
        <source>Grade</source>
        <translation>等级</translation>
    </message>
    <message>
        <source>Disposition</source>
        <translation>处置</translation>
    </message>
    <message>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message numerus="yes">
        <source>%1 — %n units</source>
        <translation><numerusform>%1 — %n 件</numerusform></translation>
    </message>
    <message>
        <source>Action noted</source>
        <translation>措施已记录</translation>
    </message>
    <message>
        <source>Alert closed</source>
        <translation>警报已关闭</translation>
    </message>
    <message>
        <source>Nothing selected</source>
        <translation>未选择</translation>
    </message>
    <message>
        <source>Pick an alert first.</source>
        <translation>请先选择一条警报。</translation>
    </message>
    <message>
        <source>Alert acknowledged</source>
        <translation>警报已确认</translation>
    </message>
    <message>
        <source>Save report</source>
        <translation>保存报告</translation>
    </message>
    <message>
        <source>Report written</source>
        <translation>报告已生成</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>Not found</source>
        <extracomment>Sound per error code; everything else gets the generic error sound.</extracomment>
        <translation>未找到</translation>
    </message>
    <message>
        <source>Scan not accepted</source>
        <translation>扫描未被接受</translation>
    </message>
    <message>
        <source>Check the input</source>
        <translation>请检查输入</translation>
    </message>
    <message>
        <source>Not possible now</source>
        <translation>当前无法执行</translation>
    </message>
    <message>
        <source>Not allowed</source>
        <translation>无权限</translation>
    </message>
    <message>
        <source>Session ended</source>
        <translation>登录已失效</translation>
    </message>
    <message>
        <source>Sign-in failed</source>
        <translation>登录失败</translation>
    </message>
    <message>
        <source>Supervisor needed</source>
        <translation>需要主管</translation>
    </message>
    <message>
        <source>Configuration problem</source>
        <translation>配置问题</translation>
    </message>
    <message>
        <source>Device missing</source>
        <translation>设备缺失</translation>
    </message>
    <message>
        <source>Device problem</source>
        <translation>设备故障</translation>
    </message>
    <message>
        <source>Sync conflict</source>
        <translation>同步冲突</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Something went wrong</source>
        <translation>出现问题</translation>
    </message>
    <message>
        <source>The station hit an unexpected problem; nothing was lost that was confirmed.</source>
        <translation>工作站遇到意外问题；已确认的内容未丢失。</translation>
    </message>
    <message>
        <source>Try again. If it keeps happening, call support: the details are in the log.</source>
        <translation>请重试。如反复出现，请联系技术支持：详情见日志。</translation>
    </message>
</context>
<context>
    <name>FirstLaunchWindow</name>
    <message>
        <source>RMA station</source>
        <translation>RMA 工作站</translation>
    </message>
    <message>
        <source>Preparing demo data: a warehouse of returns to try the dock with…</source>
        <translation>正在准备演示数据：一个可供试用收货台的退货仓库…</translation>
    </message>
    <message>
        <source>Demo data could not be prepared: %1</source>
        <translation>无法准备演示数据：%1</translation>
    </message>
</context>
<context>
    <name>GradePanel</name>
    <message>
        <source>Overridden from %1: %2</source>
        <translation>已由 %1 改判：%2</translation>
    </message>
    <message>
        <source>Flags: %1</source>
        <translation>标记：%1</translation>
    </message>
    <message>
        <source>No flags.</source>
        <translation>无标记。</translation>
    </message>
</context>
<context>
    <name>InspectionPages</name>
    <message>
        <source>F7: add a photo   ·   Backspace: back</source>
        <translation>F7：添加照片   ·   退格：返回</translation>
    </message>
    <message>
        <source>   ·   W: no camera, a supervisor waives the photo</source>
        <translation>   ·   W：无摄像头，由主管免除拍照</translation>
    </message>
    <message>
        <source>Cannot finish yet:</source>
        <translation>尚不能完成：</translation>
    </message>
    <message>
        <source>All answered. Provisional grade %1.</source>
        <translation>已全部作答。预估等级 %1。</translation>
    </message>
    <message>
        <source>Enter or CMD:FINISH: finish   ·   Backspace: back</source>
        <translation>回车或 CMD:FINISH：完成   ·   退格：返回</translation>
    </message>
</context>
<context>
    <name>InspectionView</name>
    <message>
        <source>Scan the LPN label on the unit</source>
        <translation>扫描商品上的 LPN 标签</translation>
    </message>
    <message>
        <source>…or type the LPN and press Enter</source>
        <translation>…或输入 LPN 后按回车</translation>
    </message>
    <message>
        <source>Not an inspection command</source>
        <translation>不是质检指令</translation>
    </message>
    <message>
        <source>Lot %1 recorded</source>
        <translation>已记录批号 %1</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>RMA station %1</source>
        <extracomment>View keys, from the one key table (ui.keymap): F5/F6 for the floor views, F3/F4/F8/F11/F1 for the supervisor desk, F2 return to vendor. F7 is the inspection photo key and F9 receiving's quarantine, so the desk skips them; F2 is also receiving's "weigh again", so while receiving shows F2 stays receiving's.</extracomment>
        <translation>退货工作站 %1</translation>
    </message>
    <message>
        <source>Receiving  (F5)</source>
        <translation>收货  (F5)</translation>
    </message>
    <message>
        <source>Inspection  (F6)</source>
        <translation>质检  (F6)</translation>
    </message>
    <message>
        <source>Queues  (F3)</source>
        <translation>队列  (F3)</translation>
    </message>
    <message>
        <source>Approvals  (F4)</source>
        <translation>审批  (F4)</translation>
    </message>
    <message>
        <source>Dashboard  (F8)</source>
        <translation>看板  (F8)</translation>
    </message>
    <message>
        <source>Sheets  (F11)</source>
        <translation>单据  (F11)</translation>
    </message>
    <message>
        <source>Resolution  (F1)</source>
        <translation>结算  (F1)</translation>
    </message>
    <message>
        <source>Return to vendor  (F2)</source>
        <translation>退供应商  (F2)</translation>
    </message>
    <message>
        <source>%1's work was put away</source>
        <translation>%1 未完成的工作已放弃</translation>
    </message>
    <message>
        <source>Nothing of it was saved: scan the parcel again to receive it.</source>
        <translation>这些内容均未保存：请重新扫描包裹收货。</translation>
    </message>
    <message>
        <source>Welcome back, %1</source>
        <translation>欢迎回来，%1</translation>
    </message>
    <message>
        <source>Your work is as you left it.</source>
        <translation>您的工作保持离开时的状态。</translation>
    </message>
    <message>
        <source>No views for your role</source>
        <translation>您的角色没有可用界面</translation>
    </message>
    <message>
        <source>Ask an admin to check your role.</source>
        <translation>请管理员检查您的角色。</translation>
    </message>
    <message>
        <source>Welcome, %1</source>
        <translation>欢迎，%1</translation>
    </message>
    <message>
        <source>Your role changed: the card of RMA %1 is open again, not received yet.</source>
        <translation>您的角色已变更：退货单 %1 的卡片已重新打开，尚未收货。</translation>
    </message>
    <message>
        <source>Enter its weight, condition and checks again, then receive it.</source>
        <translation>请重新输入重量、包裹状况和核对，然后收货。</translation>
    </message>
    <message>
        <source>%1 signed out</source>
        <translation>%1 已退出登录</translation>
    </message>
    <message>
        <source>Kept for you: %1.</source>
        <translation>已为您保留：%1。</translation>
    </message>
    <message>
        <source>Sign in again to finish it. If someone else signs in first, it is put away.</source>
        <translation>重新登录即可继续。如果其他人先登录，这些工作将被放弃。</translation>
    </message>
    <message>
        <source>Station locked</source>
        <translation>工作站已锁定</translation>
    </message>
    <message>
        <source>%1 was signed out after idle time.</source>
        <translation>%1 因长时间未操作已退出。</translation>
    </message>
    <message>
        <source>Scan your badge to continue; your work is kept for you.</source>
        <translation>扫描工牌继续；您的工作已为您保留。</translation>
    </message>
    <message>
        <source>Scan not used: a dialog is open</source>
        <translation>扫描未使用：有对话框打开</translation>
    </message>
    <message>
        <source>Nothing changed. Finish or cancel the dialog, then scan again.</source>
        <translation>未做任何更改。完成或取消对话框后再扫描。</translation>
    </message>
    <message>
        <source>Settings need an admin</source>
        <translation>设置需要管理员</translation>
    </message>
    <message>
        <source>Ask an admin to sign in.</source>
        <translation>请管理员登录。</translation>
    </message>
</context>
<context>
    <name>MatchParcelDialog</name>
    <message>
        <source>Match parcel %1 to an RMA</source>
        <translation>将包裹 %1 匹配到 RMA</translation>
    </message>
    <message>
        <source>Order, customer, tracking or name, then Enter</source>
        <translation>订单号、客户号、运单号或姓名，然后按回车</translation>
    </message>
    <message>
        <source>How was it matched? (required)</source>
        <translation>如何匹配的？（必填）</translation>
    </message>
    <message>
        <source>Match and receive (Enter)</source>
        <translation>匹配并收货（回车）</translation>
    </message>
    <message>
        <source>Parcel %1: find its RMA.</source>
        <translation>包裹 %1：查找其 RMA。</translation>
    </message>
    <message numerus="yes">
        <source>%n open RMA(s) found</source>
        <translation><numerusform>找到 %n 个未完成的 RMA</numerusform></translation>
    </message>
    <message>
        <source>Nothing selected</source>
        <translation>未选择</translation>
    </message>
    <message>
        <source>Search and pick an RMA first.</source>
        <translation>请先搜索并选择一个 RMA。</translation>
    </message>
    <message>
        <source>Parcel matched</source>
        <translation>包裹已匹配</translation>
    </message>
    <message>
        <source>Received into %1: %2.</source>
        <translation>已收入 %1：%2。</translation>
    </message>
    <message>
        <source>Stick the LPN labels on the units and send them to QC.</source>
        <translation>把 LPN 标签贴到商品上并送去质检。</translation>
    </message>
</context>
<context>
    <name>Names</name>
    <message>
        <source>Apparel</source>
        <translation>服装</translation>
    </message>
    <message>
        <source>Shoes</source>
        <translation>鞋类</translation>
    </message>
    <message>
        <source>Electronics</source>
        <translation>电子产品</translation>
    </message>
    <message>
        <source>Cosmetics</source>
        <translation>化妆品</translation>
    </message>
    <message>
        <source>Small appliances</source>
        <translation>小家电</translation>
    </message>
    <message>
        <source>General</source>
        <translation>通用</translation>
    </message>
    <message>
        <source>(not in catalogue)</source>
        <translation>（不在目录中）</translation>
    </message>
    <message>
        <source>Restock</source>
        <translation>重新上架</translation>
    </message>
    <message>
        <source>Refurbish</source>
        <translation>翻新</translation>
    </message>
    <message>
        <source>Return to vendor</source>
        <translation>退回供应商</translation>
    </message>
    <message>
        <source>Scrap</source>
        <translation>报废</translation>
    </message>
    <message>
        <source>Donate</source>
        <translation>捐赠</translation>
    </message>
    <message>
        <source>Recycle</source>
        <translation>回收</translation>
    </message>
    <message>
        <source>Quarantine</source>
        <translation>隔离</translation>
    </message>
    <message>
        <source>Relabel</source>
        <translation>换标</translation>
    </message>
    <message>
        <source>info</source>
        <translation>提示</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>critical</source>
        <translation>严重</translation>
    </message>
    <message>
        <source>open</source>
        <translation>未处理</translation>
    </message>
    <message>
        <source>acknowledged</source>
        <translation>已确认</translation>
    </message>
    <message>
        <source>site supervisors</source>
        <translation>本站主管</translation>
    </message>
</context>
<context>
    <name>OverrideDialog</name>
    <message>
        <source>Override grade of %1</source>
        <translation>改判 %1 的等级</translation>
    </message>
    <message>
        <source>Computed grade: %1. Raising it needs a supervisor.</source>
        <translation>计算等级：%1。提高等级需要主管。</translation>
    </message>
    <message>
        <source>New grade</source>
        <translation>新等级</translation>
    </message>
    <message>
        <source>To raise a grade, a supervisor scans their badge and enters their PIN:</source>
        <translation>提高等级时，请主管扫描工牌并输入 PIN：</translation>
    </message>
</context>
<context>
    <name>ParcelPanel</name>
    <message>
        <source>kg</source>
        <translation>千克</translation>
    </message>
    <message>
        <source>Intact</source>
        <translation>完好</translation>
    </message>
    <message>
        <source>Damaged</source>
        <translation>破损</translation>
    </message>
    <message>
        <source>Opened</source>
        <translation>已拆封</translation>
    </message>
    <message>
        <source>Wet</source>
        <translation>受潮</translation>
    </message>
    <message>
        <source>Weight (Alt+W)</source>
        <translation>重量（Alt+W）</translation>
    </message>
    <message>
        <source>Parcel (Alt+1..4)</source>
        <translation>包裹（Alt+1..4）</translation>
    </message>
</context>
<context>
    <name>PhotoActions</name>
    <message>
        <source>Camera not available</source>
        <translation>摄像头不可用</translation>
    </message>
    <message>
        <source>Photos can still be added from a file: F7.</source>
        <translation>仍可从文件添加照片：F7。</translation>
    </message>
    <message>
        <source>No unit open</source>
        <translation>没有打开的商品</translation>
    </message>
    <message>
        <source>Scan the LPN first.</source>
        <translation>请先扫描 LPN。</translation>
    </message>
    <message>
        <source>No camera</source>
        <translation>无摄像头</translation>
    </message>
    <message>
        <source>Camera not working</source>
        <translation>摄像头无法工作</translation>
    </message>
    <message>
        <source>Choose a photo file instead.</source>
        <translation>请改为选择照片文件。</translation>
    </message>
    <message>
        <source>Set a camera in settings (F10) to take photos here.</source>
        <translation>在设置（F10）中设置摄像头后即可在此拍照。</translation>
    </message>
    <message>
        <source>Add a photo</source>
        <translation>添加照片</translation>
    </message>
    <message>
        <source>Photo not read</source>
        <translation>无法读取照片</translation>
    </message>
    <message>
        <source>camera</source>
        <translation>摄像头</translation>
    </message>
    <message>
        <source>Photo added</source>
        <translation>照片已添加</translation>
    </message>
    <message>
        <source>Photo waived</source>
        <translation>免拍照</translation>
    </message>
    <message>
        <source>Press Enter to finish.</source>
        <translation>按回车完成。</translation>
    </message>
</context>
<context>
    <name>PolicyEditor</name>
    <message>
        <source>A saved policy is checked like “rma-station policy check” and takes effect at the next start of the station and of the returns service.</source>
        <translation>保存的政策按“rma-station policy check”同样的规则检查，并在工作站和退货服务下次启动时生效。</translation>
    </message>
    <message>
        <source>&amp;Check</source>
        <translation>检查(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Save policy</source>
        <translation>保存政策(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Restore shipped policy</source>
        <translation>恢复出厂政策(&amp;R)</translation>
    </message>
    <message>
        <source>site copy</source>
        <translation>本站副本</translation>
    </message>
    <message>
        <source>shipped policy, no site copy yet</source>
        <translation>出厂政策，尚无本站副本</translation>
    </message>
    <message>
        <source>Policy in force: %1 (%2)</source>
        <translation>当前生效的政策：%1（%2）</translation>
    </message>
    <message numerus="yes">
        <source>%n problem(s); the policy is not usable as it is.</source>
        <translation><numerusform>%n 个问题；该政策目前无法使用。</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n problem(s); nothing was saved.</source>
        <translation><numerusform>%n 个问题；未保存任何内容。</numerusform></translation>
    </message>
    <message>
        <source>The policy is valid.</source>
        <translation>政策有效。</translation>
    </message>
    <message>
        <source>Sign in as an admin to save the policy.</source>
        <translation>请以管理员身份登录后再保存政策。</translation>
    </message>
    <message>
        <source>Saved to %1. It takes effect at the next start.</source>
        <translation>已保存到 %1。下次启动时生效。</translation>
    </message>
    <message>
        <source>Remove the site's policy and use the shipped one from the next start?</source>
        <translation>删除本站政策，并从下次启动起使用出厂政策？</translation>
    </message>
    <message>
        <source>The shipped policy will be used from the next start.</source>
        <translation>下次启动起将使用出厂政策。</translation>
    </message>
    <message>
        <source>Restore shipped policy</source>
        <translation>恢复出厂政策</translation>
    </message>
</context>
<context>
    <name>QuestionPanel</name>
    <message>
        <source>Ordered serial: %1</source>
        <translation>订单序列号：%1</translation>
    </message>
    <message>
        <source>none on the order</source>
        <translation>订单上没有</translation>
    </message>
    <message>
        <source>scanned at receiving: %1</source>
        <translation>收货时扫描：%1</translation>
    </message>
    <message>
        <source>Question %1 of %2</source>
        <translation>第 %1 题，共 %2 题</translation>
    </message>
    <message>
        <source>P or 1: pass   ·   F or 2: fail</source>
        <translation>P 或 1：合格   ·   F 或 2：不合格</translation>
    </message>
    <message>
        <source>   ·   N or 3: not applicable</source>
        <translation>   ·   N 或 3：不适用</translation>
    </message>
    <message>
        <source>Type the reading in %1, then Enter</source>
        <translation>输入读数（%1），然后回车</translation>
    </message>
    <message>
        <source>Type the lot or scan the code with the lot, then Enter (Enter alone skips)</source>
        <translation>输入批号或扫描带批号的条码，然后回车（直接回车跳过）</translation>
    </message>
    <message>
        <source>Type, then Enter</source>
        <translation>输入后回车</translation>
    </message>
    <message>
        <source>Type, then Enter (Enter alone skips)</source>
        <translation>输入后回车（直接回车跳过）</translation>
    </message>
</context>
<context>
    <name>QueuesView</name>
    <message>
        <source>Awaiting inspection</source>
        <translation>待质检</translation>
    </message>
    <message>
        <source>Quarantine</source>
        <translation>隔离</translation>
    </message>
    <message>
        <source>Late parcels</source>
        <translation>逾期包裹</translation>
    </message>
    <message>
        <source>Grade overrides</source>
        <translation>改判等级</translation>
    </message>
    <message>
        <source>Approvals</source>
        <translation>审批</translation>
    </message>
    <message>
        <source>Sync conflicts</source>
        <translation>同步冲突</translation>
    </message>
    <message>
        <source>Search (Ctrl+F) - words, or column:value</source>
        <extracomment>Kinds of record shown here: a commit writing one refreshes the view (ui.changes); the queues read units and their RMAs; sync conflicts live on central and change with each sync run.</extracomment>
        <translation>搜索 (Ctrl+F) - 关键词或 列:值</translation>
    </message>
    <message numerus="yes">
        <source>%n rows</source>
        <translation><numerusform>%n 行</numerusform></translation>
    </message>
    <message>
        <source>central's version</source>
        <translation>中央版本</translation>
    </message>
    <message>
        <source>the station's version</source>
        <translation>本站版本</translation>
    </message>
    <message>
        <source>Conflict #%1 settled</source>
        <translation>冲突 #%1 已处理</translation>
    </message>
    <message>
        <source>Kept %1.</source>
        <translation>已保留%1。</translation>
    </message>
    <message>
        <source>Export queue</source>
        <translation>导出队列</translation>
    </message>
    <message>
        <source>Exported</source>
        <translation>已导出</translation>
    </message>
</context>
<context>
    <name>ReceivingView</name>
    <message>
        <source>Scan the parcel's RMA or tracking barcode</source>
        <translation>扫描包裹的 RMA 或快递单号条码</translation>
    </message>
    <message>
        <source>…or type it here and press Enter</source>
        <translation>…或在此输入后按回车</translation>
    </message>
    <message>
        <source>Not a receiving command</source>
        <translation>不是收货指令</translation>
    </message>
    <message>
        <source>Scan CMD:CONFIRM or an RMA barcode.</source>
        <translation>请扫描 CMD:CONFIRM 或 RMA 条码。</translation>
    </message>
    <message>
        <source>Nothing to confirm</source>
        <translation>没有可确认的内容</translation>
    </message>
    <message>
        <source>Scan the parcel first.</source>
        <translation>请先扫描包裹。</translation>
    </message>
    <message>
        <source>Labels not queued</source>
        <translation>标签未加入队列</translation>
    </message>
    <message>
        <source>Nothing to quarantine</source>
        <translation>没有可隔离的包裹</translation>
    </message>
    <message>
        <source>Scan the unknown parcel first.</source>
        <translation>请先扫描未知包裹。</translation>
    </message>
</context>
<context>
    <name>RequestReviewsPanel</name>
    <message>
        <source>Note, or the reason for a refusal (English)</source>
        <translation>备注，或拒绝原因（英文）</translation>
    </message>
    <message>
        <source>Reason in Chinese (needed when the customer reads Chinese)</source>
        <translation>中文原因（客户使用中文时必填）</translation>
    </message>
    <message>
        <source>Authorise</source>
        <translation>批准</translation>
    </message>
    <message>
        <source>Refuse</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <source>RMA to cancel (else the one picked)</source>
        <translation>要取消的 RMA（不填则取消所选申请）</translation>
    </message>
    <message>
        <source>Cancel request (Ctrl+Shift+X)</source>
        <translation>取消申请 (Ctrl+Shift+X)</translation>
    </message>
    <message>
        <source>&lt;b&gt;Return requests for review&lt;/b&gt;</source>
        <translation>&lt;b&gt;待审核的退货申请&lt;/b&gt;</translation>
    </message>
    <message>
        <source>RMA</source>
        <translation>RMA</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message numerus="yes">
        <source>%n request(s) waiting</source>
        <translation><numerusform>%n 个申请待处理</numerusform></translation>
    </message>
    <message>
        <source>Nothing selected</source>
        <translation>未选择</translation>
    </message>
    <message>
        <source>Pick a request first.</source>
        <translation>请先选择一个申请。</translation>
    </message>
    <message>
        <source>Authorised</source>
        <translation>已批准</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <source>Pick a request or type its RMA number first.</source>
        <translation>请先选择一个申请，或输入其 RMA 号。</translation>
    </message>
    <message>
        <source>Reason needed</source>
        <translation>需要原因</translation>
    </message>
    <message>
        <source>Type why the request is cancelled: the customer reads it.</source>
        <translation>请输入取消原因：客户会看到这段文字。</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
</context>
<context>
    <name>ResolutionView</name>
    <message>
        <source>Refund</source>
        <extracomment>Kinds of record shown here: a commit writing one refreshes the view (ui.changes); the queue and the history of issued resolutions.</extracomment>
        <translation>退款</translation>
    </message>
    <message>
        <source>Exchange</source>
        <translation>换货</translation>
    </message>
    <message>
        <source>Compensation</source>
        <translation>补偿</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Reason (required to adjust or reject; a rejection is sent to the customer)</source>
        <translation>原因（调整或拒绝时必填；拒绝原因会发给客户）</translation>
    </message>
    <message>
        <source>Issue as proposed (Ctrl+Return)</source>
        <translation>按建议发放 (Ctrl+Return)</translation>
    </message>
    <message>
        <source>Adjust (Ctrl+Shift+Return)</source>
        <translation>调整后发放 (Ctrl+Shift+Return)</translation>
    </message>
    <message>
        <source>Reject (Ctrl+Backspace)</source>
        <translation>拒绝 (Ctrl+Backspace)</translation>
    </message>
    <message>
        <source>F1: resolution   ·   Ctrl+Return: issue as proposed   ·   Alt+K / Alt+M / Alt+R: kind / amount / reason, Ctrl+Shift+Return: adjust   ·   Ctrl+Backspace: reject   ·   Alt+H: history</source>
        <translation>F1：结算   ·   Ctrl+Return：按建议发放   ·   Alt+K / Alt+M / Alt+R：类型 / 金额 / 原因，Ctrl+Shift+Return：调整后发放   ·   Ctrl+Backspace：拒绝   ·   Alt+H：历史</translation>
    </message>
    <message>
        <source>&amp;Kind</source>
        <translation>类型(&amp;K)</translation>
    </message>
    <message>
        <source>A&amp;mount</source>
        <translation>金额(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Reason</source>
        <translation>原因(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;History: resolutions issued (by people and by the policy)</source>
        <translation>历史(&amp;H)：已发放的结算（人工与政策自动）</translation>
    </message>
    <message>
        <source>&lt;b&gt;Ready to resolve: %1&lt;/b&gt; (oldest first; %2 shown)</source>
        <translation>&lt;b&gt;待结算：%1&lt;/b&gt;（最早的在前；显示 %2 条）</translation>
    </message>
    <message>
        <source>RMA</source>
        <translation>RMA</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Proposed</source>
        <translation>建议</translation>
    </message>
    <message>
        <source>Gross</source>
        <translation>实付</translation>
    </message>
    <message>
        <source>Fee</source>
        <translation>手续费</translation>
    </message>
    <message>
        <source>Grades</source>
        <translation>等级</translation>
    </message>
    <message>
        <source>Returns</source>
        <translation>退货次数</translation>
    </message>
    <message>
        <source>Flags</source>
        <translation>标记</translation>
    </message>
    <message>
        <source>Who issues</source>
        <translation>由谁发放</translation>
    </message>
    <message>
        <source>policy</source>
        <translation>政策</translation>
    </message>
    <message>
        <source>supervisor</source>
        <translation>主管</translation>
    </message>
    <message>
        <source>inspector</source>
        <translation>质检员</translation>
    </message>
    <message>
        <source>Issued at</source>
        <translation>发放时间</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>By</source>
        <translation>发放人</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <source>policy (automatic)</source>
        <translation>政策（自动）</translation>
    </message>
    <message>
        <source>VOID: %1</source>
        <translation>作废：%1</translation>
    </message>
    <message>
        <source>Routine refund issued by the return policy.</source>
        <translation>由退货政策自动发放的常规退款。</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Waiting for central to confirm (the customer is told after): %1</source>
        <translation>等待中央数据库确认（确认后才通知客户）：%1</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>已驳回</translation>
    </message>
    <message>
        <source>Nothing waits for a resolution.</source>
        <translation>没有待结算的退货。</translation>
    </message>
    <message>
        <source>Nothing selected</source>
        <translation>未选择</translation>
    </message>
    <message>
        <source>Pick an RMA first.</source>
        <translation>请先选择一个 RMA。</translation>
    </message>
    <message>
        <source>Resolution issued</source>
        <translation>已发放结算</translation>
    </message>
    <message>
        <source>Check the input</source>
        <translation>请检查输入</translation>
    </message>
    <message>
        <source>%1 is not an amount.</source>
        <translation>%1 不是有效金额。</translation>
    </message>
    <message>
        <source>Type it like 280.00.</source>
        <translation>请按 280.00 的格式输入。</translation>
    </message>
    <message>
        <source>Adjusted resolution issued</source>
        <translation>已发放调整后的结算</translation>
    </message>
    <message>
        <source>Reason needed</source>
        <translation>需要原因</translation>
    </message>
    <message>
        <source>Type why the return is rejected; the customer reads it.</source>
        <translation>请输入拒绝原因；客户会看到这段文字。</translation>
    </message>
    <message>
        <source>Reject the return?</source>
        <translation>拒绝此退货？</translation>
    </message>
    <message>
        <source>Reject RMA %1? The customer is told: “%2”</source>
        <translation>拒绝 RMA %1？客户将收到：“%2”</translation>
    </message>
    <message>
        <source>Reject (Y)</source>
        <translation>拒绝 (Y)</translation>
    </message>
    <message>
        <source>Keep it (N)</source>
        <translation>暂不拒绝 (N)</translation>
    </message>
    <message>
        <source>Return rejected</source>
        <translation>已拒绝退货</translation>
    </message>
</context>
<context>
    <name>ResultActions</name>
    <message>
        <source>Esc: next unit</source>
        <translation>Esc：下一件</translation>
    </message>
    <message>
        <source>Enter or CMD:CONFIRM: confirm   ·   O: override grade</source>
        <translation>回车或 CMD:CONFIRM：确认   ·   O：改判等级</translation>
    </message>
    <message>
        <source>Held in quarantine</source>
        <translation>已隔离</translation>
    </message>
    <message>
        <source>Grade %1 with flags; a supervisor decides.</source>
        <translation>等级 %1，有标记；由主管决定。</translation>
    </message>
    <message>
        <source>Put the unit on the quarantine shelf with its label.</source>
        <translation>将商品连同标签放到隔离货架。</translation>
    </message>
    <message>
        <source>Released by a supervisor: grade %1</source>
        <translation>已由主管放行：等级 %1</translation>
    </message>
    <message>
        <source>Grade %1</source>
        <translation>等级 %1</translation>
    </message>
    <message>
        <source>Press Enter to confirm, or O to override the grade.</source>
        <translation>按回车确认，或按 O 改判等级。</translation>
    </message>
    <message>
        <source>Label queued. Scan the next unit.</source>
        <translation>标签已加入打印队列。请扫描下一件。</translation>
    </message>
    <message>
        <source>Label queued; a supervisor must approve this.</source>
        <translation>标签已加入打印队列；需主管批准。</translation>
    </message>
    <message>
        <source>Unit %1 done</source>
        <translation>商品 %1 已完成</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>已收货</translation>
    </message>
    <message>
        <source>Partly received</source>
        <translation>部分收货</translation>
    </message>
    <message>
        <source>Already received</source>
        <translation>已收过货</translation>
    </message>
    <message>
        <source>Held for a supervisor</source>
        <translation>等待主管处理</translation>
    </message>
    <message>
        <source>Quarantined</source>
        <translation>已隔离</translation>
    </message>
    <message>
        <source>wrong item</source>
        <translation>商品不符</translation>
    </message>
    <message>
        <source>serial mismatch</source>
        <translation>序列号不符</translation>
    </message>
    <message>
        <source>parcel too light</source>
        <translation>包裹过轻</translation>
    </message>
    <message>
        <source>lot on hold</source>
        <translation>批号暂扣</translation>
    </message>
    <message>
        <source>lot mismatch</source>
        <translation>批号不符</translation>
    </message>
    <message>
        <source>%1 — check: %2</source>
        <translation>%1 — 请检查：%2</translation>
    </message>
    <message>
        <source>Last parcel: %1 — %2</source>
        <translation>上一个包裹：%1 — %2</translation>
    </message>
    <message>
        <source>no RMA</source>
        <translation>无退货单</translation>
    </message>
    <message>
        <source>Scan the next item, or press Enter to receive.</source>
        <translation>扫描下一件商品，或按回车收货。</translation>
    </message>
    <message>
        <source>Lot %1 is not the one shipped</source>
        <translation>批号 %1 与发货批号不符</translation>
    </message>
    <message>
        <source>%1 was shipped from lot %2.</source>
        <translation>%1 发货时的批号为 %2。</translation>
    </message>
    <message>
        <source>%1 checked</source>
        <translation>%1 已核对</translation>
    </message>
    <message>
        <source>Scan the serial number of %1</source>
        <translation>请扫描 %1 的序列号</translation>
    </message>
    <message>
        <source>Or press Enter to receive without it.</source>
        <translation>或按回车直接收货。</translation>
    </message>
    <message>
        <source>Serial %1 matches</source>
        <translation>序列号 %1 一致</translation>
    </message>
    <message>
        <source>Serial %1 is not the one sold</source>
        <translation>序列号 %1 与售出时不符</translation>
    </message>
    <message>
        <source>%1 was sold with serial %2.</source>
        <translation>%1 售出时的序列号为 %2。</translation>
    </message>
    <message>
        <source>Put the unit aside for QC; it is flagged when received.</source>
        <translation>请将该件放到一旁待质检；收货时会被标记。</translation>
    </message>
    <message>
        <source>Recorded as a wrong item in place of %1.</source>
        <translation>已记录为错发商品（代替 %1）。</translation>
    </message>
    <message>
        <source>Put it aside for QC; Esc clears all checks.</source>
        <translation>请放到一旁待质检；Esc 清除全部核对。</translation>
    </message>
    <message>
        <source>Every counted item is already checked</source>
        <translation>所有实收商品均已核对</translation>
    </message>
    <message>
        <source>Raise the count, or press Enter to receive.</source>
        <translation>请增加实收数量，或按回车收货。</translation>
    </message>
    <message>
        <source>Not a product code</source>
        <translation>不是商品条码</translation>
    </message>
    <message>
        <source>Scan the item's barcode (GTIN) or type its SKU.</source>
        <translation>请扫描商品条码（GTIN）或输入 SKU。</translation>
    </message>
    <message>
        <source>Wrong item: %1</source>
        <translation>错误商品：%1</translation>
    </message>
    <message>
        <source>Reprint labels</source>
        <translation>重新打印标签</translation>
    </message>
    <message>
        <source>Scan the unit's LPN, or the RMA for all its labels.</source>
        <translation>扫描商品的 LPN，或扫描 RMA 重印其全部标签。</translation>
    </message>
    <message>
        <source>1 label reprinted</source>
        <translation>已重新打印 1 张标签</translation>
    </message>
    <message>
        <source>%1 labels reprinted</source>
        <translation>已重新打印 %1 张标签</translation>
    </message>
    <message>
        <source>Stick each label on its unit.</source>
        <translation>把每张标签贴到对应商品上。</translation>
    </message>
</context>
<context>
    <name>RmaCardWidget</name>
    <message>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>商品</translation>
    </message>
    <message>
        <source>Expected</source>
        <translation>应收</translation>
    </message>
    <message>
        <source>Counted</source>
        <translation>实收</translation>
    </message>
    <message>
        <source>Checked</source>
        <translation>核对</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Wants</source>
        <translation>诉求</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>期限</translation>
    </message>
    <message>
        <source>Refund</source>
        <translation>退款</translation>
    </message>
    <message>
        <source>Exchange</source>
        <translation>换货</translation>
    </message>
    <message>
        <source>%1 — %2 days late</source>
        <translation>%1 — 逾期 %2 天</translation>
    </message>
</context>
<context>
    <name>RtvView</name>
    <message>
        <source>Open batch (Ctrl+N)</source>
        <extracomment>Kinds of record shown here: a commit writing one refreshes the view (ui.changes); vendors, batches and the units waiting for one; a credit central confirmed or voided (the sync worker).</extracomment>
        <translation>新建批次 (Ctrl+N)</translation>
    </message>
    <message>
        <source>Scan or type an LPN, Enter adds it to the selected batch</source>
        <translation>扫描或输入 LPN，回车加入所选批次</translation>
    </message>
    <message>
        <source>Vendor RA number</source>
        <translation>供应商退货授权号 (RA)</translation>
    </message>
    <message>
        <source>Carrier</source>
        <translation>承运商</translation>
    </message>
    <message>
        <source>Tracking number</source>
        <translation>运单号</translation>
    </message>
    <message>
        <source>Ship and print (Ctrl+P)</source>
        <translation>发货并打印 (Ctrl+P)</translation>
    </message>
    <message>
        <source>Credited amount</source>
        <translation>到账金额</translation>
    </message>
    <message>
        <source>Vendor's reason for a dispute</source>
        <translation>供应商拒赔理由</translation>
    </message>
    <message>
        <source>Acknowledged (Ctrl+K)</source>
        <translation>已确认 (Ctrl+K)</translation>
    </message>
    <message>
        <source>Credited (Ctrl+E)</source>
        <translation>已到账 (Ctrl+E)</translation>
    </message>
    <message>
        <source>Disputed (Ctrl+D)</source>
        <translation>有争议 (Ctrl+D)</translation>
    </message>
    <message>
        <source>F2 return to vendor (again: reload) · Enter add LPN · Ctrl+N open batch · Ctrl+P ship and print · Ctrl+K acknowledged · Ctrl+E credited · Ctrl+D disputed · Delete remove unit</source>
        <translation>F2 退供应商（再按：刷新） · 回车 加入 LPN · Ctrl+N 新建批次 · Ctrl+P 发货并打印 · Ctrl+K 已确认 · Ctrl+E 已到账 · Ctrl+D 有争议 · Delete 移出商品</translation>
    </message>
    <message>
        <source>&lt;b&gt;Return to vendor&lt;/b&gt;</source>
        <translation>&lt;b&gt;退供应商&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Vendor</source>
        <translation>供应商</translation>
    </message>
    <message>
        <source>Batches and claims</source>
        <translation>批次与索赔</translation>
    </message>
    <message>
        <source>Units in the batch</source>
        <translation>批次内商品</translation>
    </message>
    <message>
        <source>, credit pending</source>
        <translation>，到账待确认</translation>
    </message>
    <message>
        <source>No vendors yet: add one with rma-station rtv vendor add.</source>
        <translation>尚无供应商：请用 rma-station rtv vendor add 添加。</translation>
    </message>
    <message numerus="yes">
        <source>%n approved unit(s) of this vendor wait for a batch</source>
        <translation><numerusform>该供应商有 %n 件已批准商品待装批</numerusform></translation>
    </message>
    <message>
        <source>open</source>
        <translation>未发货</translation>
    </message>
    <message>
        <source>shipped</source>
        <translation>已发货</translation>
    </message>
    <message>
        <source>acknowledged</source>
        <translation>已确认</translation>
    </message>
    <message>
        <source>credited</source>
        <translation>已到账</translation>
    </message>
    <message>
        <source>disputed</source>
        <translation>有争议</translation>
    </message>
    <message>
        <source>full unit cost</source>
        <translation>全额成本</translation>
    </message>
    <message>
        <source>%1 % of unit cost</source>
        <translation>成本的 %1 %</translation>
    </message>
    <message>
        <source>Print paperwork again (Ctrl+P)</source>
        <translation>再次打印单据 (Ctrl+P)</translation>
    </message>
    <message>
        <source>Open a batch for a vendor, then scan its approved units.</source>
        <translation>为供应商新建批次，然后扫描其已批准的商品。</translation>
    </message>
    <message>
        <source>%1 for %2 &lt;%3&gt;, credits %4: %5 units, claim %6 %7.</source>
        <translation>%1 发往 %2 &lt;%3&gt;，赔付 %4：%5 件，索赔 %6 %7。</translation>
    </message>
    <message>
        <source>RA %1, %2 %3.</source>
        <translation>RA %1，%2 %3。</translation>
    </message>
    <message numerus="yes">
        <source>Claim open %n day(s).</source>
        <translation><numerusform>索赔已开 %n 天。</numerusform></translation>
    </message>
    <message>
        <source>Credited %1 on %2.</source>
        <translation>已于 %2 到账 %1。</translation>
    </message>
    <message>
        <source>Disputed: %1</source>
        <translation>争议：%1</translation>
    </message>
    <message>
        <source>No batch selected</source>
        <translation>未选择批次</translation>
    </message>
    <message>
        <source>Open a batch or pick one in the list first.</source>
        <translation>请先新建批次或在列表中选择一个。</translation>
    </message>
    <message>
        <source>No vendor</source>
        <translation>无供应商</translation>
    </message>
    <message>
        <source>Pick a vendor first.</source>
        <translation>请先选择供应商。</translation>
    </message>
    <message>
        <source>Batch %1 opened</source>
        <translation>批次 %1 已新建</translation>
    </message>
    <message>
        <source>Scan the units into it.</source>
        <translation>请扫描商品加入。</translation>
    </message>
    <message>
        <source>Scanned into “%1”</source>
        <translation>已扫入“%1”</translation>
    </message>
    <message>
        <source>Added %1</source>
        <translation>已加入 %1</translation>
    </message>
    <message>
        <source>Removed %1</source>
        <translation>已移出 %1</translation>
    </message>
    <message>
        <source>Paperwork of %1 printed again</source>
        <translation>批次 %1 的单据已再次打印</translation>
    </message>
    <message>
        <source>Batch %1 is already shipped</source>
        <translation>批次 %1 已发货过</translation>
    </message>
    <message>
        <source>Press Ctrl+P to print its paperwork again.</source>
        <translation>按 Ctrl+P 再次打印其装箱单和箱标。</translation>
    </message>
    <message>
        <source>Batch %1 shipped</source>
        <translation>批次 %1 已发货</translation>
    </message>
    <message>
        <source>Packing list and carton label sent to the printers.</source>
        <translation>装箱单和箱标已发送到打印机。</translation>
    </message>
    <message>
        <source>Claim %1 acknowledged</source>
        <translation>索赔 %1 已确认</translation>
    </message>
    <message>
        <source>No amount</source>
        <translation>无金额</translation>
    </message>
    <message>
        <source>Type the amount the vendor credited, then Ctrl+E.</source>
        <translation>请输入供应商到账金额，再按 Ctrl+E。</translation>
    </message>
    <message>
        <source>Claim %1 credited</source>
        <translation>索赔 %1 已到账</translation>
    </message>
    <message>
        <source>Credit of claim %1 recorded: waits for central</source>
        <translation>索赔 %1 的到账已记录：等待中央确认</translation>
    </message>
    <message>
        <source>Claim %1 disputed</source>
        <translation>索赔 %1 有争议</translation>
    </message>
</context>
<context>
    <name>ScaleActions</name>
    <message>
        <source>No scale configured</source>
        <translation>未配置电子秤</translation>
    </message>
    <message>
        <source>Type the weight in kg (Alt+W).</source>
        <translation>请输入重量（千克，Alt+W）。</translation>
    </message>
    <message>
        <source>weighing…</source>
        <translation>称重中…</translation>
    </message>
    <message>
        <source>from the scale</source>
        <translation>来自电子秤</translation>
    </message>
    <message>
        <source>scale failed</source>
        <translation>电子秤读取失败</translation>
    </message>
    <message>
        <source>Type the weight in kg (Alt+W), or press F2.</source>
        <translation>请输入重量（千克，Alt+W），或按 F2 重新称重。</translation>
    </message>
    <message>
        <source>Scale not read</source>
        <translation>未能读取电子秤</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Station settings</source>
        <translation>工作站设置</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>工作站</translation>
    </message>
    <message>
        <source>Interface</source>
        <translation>界面</translation>
    </message>
    <message>
        <source>Scanners</source>
        <translation>扫描器</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>摄像头</translation>
    </message>
    <message>
        <source>Printers</source>
        <translation>打印机</translation>
    </message>
    <message>
        <source>Central database</source>
        <translation>中央数据库</translation>
    </message>
    <message>
        <source>Scale</source>
        <translation>电子秤</translation>
    </message>
    <message>
        <source>Scan formats</source>
        <translation>扫描格式</translation>
    </message>
    <message>
        <source>Dock</source>
        <translation>码头</translation>
    </message>
    <message>
        <source>Return policy</source>
        <translation>退货政策</translation>
    </message>
    <message>
        <source>Goes to: %1</source>
        <translation>输出到：%1</translation>
    </message>
    <message>
        <source>Station id</source>
        <translation>工作站编号</translation>
    </message>
    <message>
        <source>Station number</source>
        <translation>工作站序号</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Sounds</source>
        <translation>声音</translation>
    </message>
    <message>
        <source>Auto-lock (minutes)</source>
        <translation>自动锁定（分钟）</translation>
    </message>
    <message>
        <source>Font size</source>
        <translation>字号</translation>
    </message>
    <message>
        <source>Scanner sources</source>
        <translation>扫描器来源</translation>
    </message>
    <message>
        <source>Wedge key gap (ms)</source>
        <translation>键盘楔按键间隔（毫秒）</translation>
    </message>
    <message>
        <source>Wedge minimum length</source>
        <translation>键盘楔最短长度</translation>
    </message>
    <message>
        <source>Wedge prefix</source>
        <translation>键盘楔前缀</translation>
    </message>
    <message>
        <source>Wedge suffix</source>
        <translation>键盘楔后缀</translation>
    </message>
    <message>
        <source>LPN labels</source>
        <translation>LPN 标签</translation>
    </message>
    <message>
        <source>Disposition labels</source>
        <translation>处置标签</translation>
    </message>
    <message>
        <source>Relabel labels</source>
        <translation>换标标签</translation>
    </message>
    <message>
        <source>Sheets (A4/Letter)</source>
        <translation>单据（A4/Letter）</translation>
    </message>
    <message>
        <source>Central database URL</source>
        <translation>中央数据库地址</translation>
    </message>
    <message>
        <source>Parcel scale</source>
        <translation>包裹电子秤</translation>
    </message>
<message><source>This station's id, stamped on every record it writes (change: rma-station station rename).</source><translation>本工作站编号，写入它记录的每条数据（修改：rma-station station rename）。</translation></message><message><source>Station number 0-999, part of every LPN it prints (change: rma-station station rename).</source><translation>工作站序号 0-999，是其打印的每个 LPN 的一部分（修改：rma-station station rename）。</translation></message><message><source>Language of the window: en or zh_CN.</source><translation>界面语言：en 或 zh_CN。</translation></message><message><source>Play a sound for every scan result.</source><translation>每次扫描结果都播放声音。</translation></message><message><source>Lock the station after this many idle minutes (0: never).</source><translation>空闲多少分钟后锁定工作站（0：从不）。</translation></message><message><source>Base font size in points (readable at arm's length).</source><translation>基础字号（磅），一臂距离可读。</translation></message><message><source>Scanner URIs: wedge:, serial:///dev/ttyACM0?baud=9600, camera://0.</source><translation>扫描器地址：wedge:、serial:///dev/ttyACM0?baud=9600、camera://0。</translation></message><message><source>Keys closer than this many ms belong to one wedge scan.</source><translation>按键间隔小于此毫秒数即属于同一次键盘楔扫描。</translation></message><message><source>Shortest wedge burst taken as a scan.</source><translation>视为扫描的最短键盘楔输入。</translation></message><message><source>Prefix the wedge scanner is programmed to send.</source><translation>键盘楔扫描器设置的前缀。</translation></message><message><source>Suffix the wedge scanner sends before its Enter.</source><translation>键盘楔扫描器在回车前发送的后缀。</translation></message><message><source>Scan formats file (command prefix, badges, carriers, bins); empty: the shipped one.</source><translation>扫描格式文件（指令前缀、工牌、承运商、库位）；空：使用自带文件。</translation></message><message><source>Camera for photos and preview, e.g. camera://0 (empty: none).</source><translation>用于拍照和预览的摄像头，如 camera://0（空：无）。</translation></message><message><source>Identify parcels set down under the camera (hands-free receiving; needs camera.uri).</source><translation>免扫描收货：台面上方的摄像头识别放下的包裹并打开其 RMA 卡片（按确认键才收货）。</translation></message><message><source>Part of the frame the camera watches for parcels: X,Y,W,H as fractions (empty: all of it).</source><translation>摄像头画面中要观察的台面区域，X,Y,W,H 为 0-1 的比例（空：整个画面）。</translation></message><message><source>Resolution asked of the dock camera.</source><translation>向台面摄像头请求的分辨率。</translation></message><message><source>Key that receives the identified parcel: Return, Enter, or a foot switch's F13-F24 or Pause.</source><translation>确认收货的按键：Return、Enter、F13-F24 或 Pause（如脚踏开关）。</translation></message><message><source>Percent of the watched area that must differ from the empty table for a parcel to be present.</source><translation>观察区域中与空台面不同的百分比达到此值即视为有包裹。</translation></message><message><source>Percent of the watched area changing between two frames that still counts as motion.</source><translation>相邻两帧之间变化的观察区域百分比达到此值即视为仍在移动。</translation></message><message><source>Still frames in a row before a parcel is read.</source><translation>连续静止多少帧后读取包裹。</translation></message><message><source>Empty frames in a row before a parcel has left.</source><translation>连续多少帧无包裹后视为包裹已离开。</translation></message><message><source>Frames read each time a parcel comes to rest.</source><translation>包裹每次静止时读取的帧数。</translation></message><message><source>Further frames read while a parcel rests unidentified with a label seen but not read.</source><translation>包裹静止且尚未识别、有看得见但未读出的标签时，再读取的帧数。</translation></message><message><source>Frames between two further reads of a resting parcel.</source><translation>静止包裹两次补读之间相隔的帧数。</translation></message><message><source>Printer URI for LPN labels (empty: PDF files in the data folder's labels/lpn).</source><translation>LPN 标签打印机地址（空：在数据文件夹的 labels/lpn 中生成 PDF 文件）。</translation></message><message><source>Printer URI for disposition labels and RTV carton labels (empty: PDF files in the data folder's labels/disposition).</source><translation>处置标签和退供应商箱标的打印机地址（空：数据文件夹的 labels/disposition 中的 PDF 文件）。</translation></message><message><source>Printer URI for relabel labels (empty: PDF files in the data folder's labels/relabel).</source><translation>换标标签打印机地址（空：数据文件夹的 labels/relabel 中的 PDF 文件）。</translation></message><message><source>Printer URI for A4/Letter sheets and RTV packing lists (empty: PDF files in the data folder's labels/sheet).</source><translation>A4/Letter 单据和退供应商装箱单的打印机地址（空：数据文件夹的 labels/sheet 中的 PDF 文件）。</translation></message><message><source>The dock's ship-to address on customers' return labels: one line per row (newlines or ';').</source><translation>客户退货面单上的收货仓地址：每行一项（换行或“;”分隔）。</translation></message><message><source>Central database URL without password (password: RMA_CENTRAL_PASSWORD or keyring).</source><translation>中央数据库地址，不含密码（密码来自 RMA_CENTRAL_PASSWORD 或系统密钥环）。</translation></message><message><source>Parcel scale, e.g. serial:///dev/ttyUSB0?baud=9600&amp;mode=continuous (empty: weight typed).</source><translation>包裹电子秤，如 serial:///dev/ttyUSB0?baud=9600&amp;mode=continuous（空：手动输入重量）。</translation></message></context>
<context>
    <name>SheetsView</name>
    <message>
        <source>Scrap sheet</source>
        <extracomment>Kinds of record shown here: a commit writing one refreshes the view (ui.changes); sheet history is label jobs; categories come from dispositions.</extracomment>
        <translation>报废单</translation>
    </message>
    <message>
        <source>Relabel sheet</source>
        <translation>换标单</translation>
    </message>
    <message>
        <source>All categories</source>
        <translation>全部品类</translation>
    </message>
    <message>
        <source>Print (Ctrl+P)</source>
        <translation>打印 (Ctrl+P)</translation>
    </message>
    <message>
        <source>Reprint selected (Ctrl+R)</source>
        <translation>重印所选 (Ctrl+R)</translation>
    </message>
    <message>
        <source>Sheet</source>
        <translation>单据</translation>
    </message>
    <message>
        <source>Days</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>品类</translation>
    </message>
    <message>
        <source>&lt;b&gt;Print history&lt;/b&gt;</source>
        <translation>&lt;b&gt;打印记录&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Sheets queued</source>
        <translation>单据已加入打印队列</translation>
    </message>
    <message numerus="yes">
        <source>%n sheets</source>
        <translation><numerusform>%n 张单据</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n units</source>
        <translation><numerusform>%n 件</numerusform></translation>
    </message>
    <message>
        <source>Nothing to print</source>
        <translation>没有可打印的内容</translation>
    </message>
    <message>
        <source>No units match these days and category.</source>
        <translation>这些日期和品类下没有商品。</translation>
    </message>
    <message>
        <source>Nothing selected</source>
        <translation>未选择</translation>
    </message>
    <message>
        <source>Pick a sheet to reprint.</source>
        <translation>请选择要重印的单据。</translation>
    </message>
    <message>
        <source>Reprint queued</source>
        <translation>重印已加入队列</translation>
    </message>
</context>
<context>
    <name>SignInView</name>
    <message>
        <source>Returns dock — station %1</source>
        <translation>退货收货区 — 工作站 %1</translation>
    </message>
    <message>
        <source>Scan your badge, then enter your PIN and press Enter.</source>
        <translation>扫描工牌，输入 PIN 后按回车。</translation>
    </message>
    <message>
        <source>Badge</source>
        <translation>工牌</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>F2: 中文 / English</source>
        <translation>F2：中文 / English</translation>
    </message>
    <message>
        <source>Sign in first</source>
        <translation>请先登录</translation>
    </message>
    <message>
        <source>Scan your badge.</source>
        <translation>请扫描工牌。</translation>
    </message>
    <message>
        <source>%1 is a parcel or product label, not a badge.</source>
        <translation>%1 是包裹或商品标签，不是工牌。</translation>
    </message>
    <message>
        <source>Badge %1</source>
        <translation>工牌 %1</translation>
    </message>
    <message>
        <source>Enter your PIN and press Enter.</source>
        <translation>输入 PIN 后按回车。</translation>
    </message>
    <message>
        <source>Badge and PIN needed</source>
        <translation>需要工牌和 PIN</translation>
    </message>
    <message>
        <source>Scan your badge and enter your PIN.</source>
        <translation>请扫描工牌并输入 PIN。</translation>
    </message>
    <message>
        <source>Sign-in locked</source>
        <translation>登录已锁定</translation>
    </message>
    <message>
        <source>Too many wrong PINs</source>
        <translation>PIN 错误次数过多</translation>
    </message>
    <message>
        <source>Locked: ask a supervisor</source>
        <translation>已锁定：请找主管</translation>
    </message>
    <message>
        <source>Too many wrong PINs — try again in %1 s</source>
        <translation>PIN 错误次数过多 — 请 %1 秒后重试</translation>
    </message>
</context>
<context>
    <name>SoundBoard</name>
    <message>
        <source>no audio output: only the system beep</source>
        <translation>没有音频输出：只有系统提示音</translation>
    </message>
    <message>
        <source>the audio device refused to play (check the speakers and the sound server)</source>
        <translation>音频设备无法播放（请检查扬声器和声音服务）</translation>
    </message>
</context>
<context>
    <name>Startup</name>
    <message>
        <source>The station cannot start</source>
        <translation>工作站无法启动</translation>
    </message>
</context>
<context>
    <name>StationStatusBar</name>
    <message>
        <source>PDF folder %1</source>
        <translation>PDF 文件夹 %1</translation>
    </message>
    <message>
        <source>Zebra at %1</source>
        <translation>Zebra 打印机 %1</translation>
    </message>
    <message>
        <source>printer %1</source>
        <translation>打印机 %1</translation>
    </message>
    <message>
        <source>Station %1</source>
        <extracomment>Kinds of record counted here: the sync queue, the sync state and the label queue (ui.changes).</extracomment>
        <translation>工作站 %1</translation>
    </message>
    <message>
        <source>Sound: %1</source>
        <translation>声音：%1</translation>
    </message>
    <message>
        <source>Signed out</source>
        <translation>未登录</translation>
    </message>
    <message>
        <source>clerk</source>
        <translation>收货员</translation>
    </message>
    <message>
        <source>inspector</source>
        <translation>质检员</translation>
    </message>
    <message>
        <source>supervisor</source>
        <translation>主管</translation>
    </message>
    <message>
        <source>admin</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>Sync: central URL refused</source>
        <translation>同步：中心数据库地址被拒绝</translation>
    </message>
    <message>
        <source>Sync: central URL refused: %1</source>
        <translation>同步：中心数据库地址被拒绝：%1</translation>
    </message>
    <message>
        <source>Sync: not set up</source>
        <translation>同步：未设置</translation>
    </message>
    <message numerus="yes">
        <source>No central database: this station works alone. %n change(s) wait to be sent once one is set up.</source>
        <translation><numerusform>没有中央数据库：本工作站独立运行。%n 项更改将在设置后发送。</numerusform></translation>
    </message>
    <message>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <source>Sync queue %1 · last %2</source>
        <translation>同步队列 %1 · 上次 %2</translation>
    </message>
    <message>
        <source>Offline · sync queue %1</source>
        <translation>离线 · 同步队列 %1</translation>
    </message>
    <message>
        <source>LPN labels</source>
        <translation>LPN 标签</translation>
    </message>
    <message>
        <source>disposition and carton labels</source>
        <translation>处置标签和箱标</translation>
    </message>
    <message>
        <source>sheets and packing lists</source>
        <translation>单据和装箱单</translation>
    </message>
    <message>
        <source>Labels: %1</source>
        <translation>标签：%1</translation>
    </message>
    <message>
        <source>%1 failed</source>
        <translation>%1 个失败</translation>
    </message>
    <message>
        <source>%1 waiting</source>
        <translation>%1 个等待中</translation>
    </message>
</context>
<context>
    <name>SupervisorSignoff</name>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Supervisor badge</source>
        <translation>主管工牌</translation>
    </message>
    <message>
        <source>Supervisor PIN</source>
        <translation>主管 PIN</translation>
    </message>
</context>
<context>
    <name>SupervisorTab</name>
    <message>
        <source>Scans go to receiving or inspection</source>
        <translation>扫描请在收货或质检界面进行</translation>
    </message>
    <message>
        <source>Press F5 (receiving) or F6 (inspection), then scan again.</source>
        <translation>按 F5（收货）或 F6（质检）后重新扫描。</translation>
    </message>
    <message>
        <source>%1 does nothing in this tab</source>
        <translation>%1 在此界面不起作用</translation>
    </message>
    <message>
        <source>Nothing changed.</source>
        <translation>未做任何更改。</translation>
    </message>
    <message>
        <source>Scan a command of this tab, or go to the tab the command is for.</source>
        <translation>请扫描本界面的指令，或切换到该指令所属的界面。</translation>
    </message>
</context>
<context>
    <name>WaiverDialog</name>
    <message>
        <source>Finish %1 without a photo</source>
        <translation>不拍照完成 %1</translation>
    </message>
    <message>
        <source>“%1” failed and needs a photo, and no camera works.</source>
        <translation>“%1”不合格，需要拍照，但没有可用的摄像头。</translation>
    </message>
    <message>
        <source>A supervisor scans their badge and enters their PIN:</source>
        <translation>请主管扫描工牌并输入 PIN：</translation>
    </message>
</context>
<context>
    <name>WalkActions</name>
    <message>
        <source>Inspecting %1</source>
        <translation>正在质检 %1</translation>
    </message>
    <message>
        <source>Answer each question; Backspace goes back.</source>
        <translation>逐题作答；退格键返回上一题。</translation>
    </message>
    <message>
        <source>No question open</source>
        <translation>当前没有题目</translation>
    </message>
    <message>
        <source>Scan the LPN of the unit first.</source>
        <translation>请先扫描商品的 LPN。</translation>
    </message>
    <message>
        <source>Photo needed</source>
        <translation>需要照片</translation>
    </message>
    <message>
        <source>“%1” failed and needs a photo.</source>
        <translation>“%1”不合格，需要拍照。</translation>
    </message>
    <message>
        <source>Press F7 to add one now, or later before finishing.</source>
        <translation>按 F7 立即添加，或在完成前添加。</translation>
    </message>
    <message>
        <source>Photos: %1</source>
        <translation>照片：%1</translation>
    </message>
</context>
<context>
    <name>parent</name>
    <message>
        <source>Add a photo</source>
        <translation>添加照片</translation>
    </message>
    <message>
        <source>Pictures (*.jpg *.jpeg *.png *.webp)</source>
        <translation>图片 (*.jpg *.jpeg *.png *.webp)</translation>
    </message>
</context>
<context>
    <name>view</name>
    <message>
        <source>Labels of different RMAs on one parcel</source>
        <translation>一个包裹上有不同 RMA 的标签</translation>
    </message>
    <message>
        <source>Scan the right RMA label by hand.</source>
        <translation>请手动扫描正确的 RMA 标签。</translation>
    </message>
</context>
<context>
    <name>widget</name>
    <message>
        <source>Restock</source>
        <translation>重新上架</translation>
    </message>
    <message>
        <source>Refurbish</source>
        <translation>翻新</translation>
    </message>
    <message>
        <source>Return to vendor</source>
        <translation>退回供应商</translation>
    </message>
    <message>
        <source>Scrap</source>
        <translation>报废</translation>
    </message>
    <message>
        <source>Donate</source>
        <translation>捐赠</translation>
    </message>
    <message>
        <source>Recycle</source>
        <translation>回收</translation>
    </message>
    <message>
        <source>Quarantine</source>
        <translation>隔离</translation>
    </message>
</context>
</TS>