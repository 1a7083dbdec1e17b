<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AboutBox</name>
    <message>
        <source>({path} is missing)</source>
        <translation>（缺少文件 {path}）</translation>
    </message>
    <message>
        <source>About CallShield</source>
        <translation>关于 CallShield</translation>
    </message>
    <message>
        <source>not loaded</source>
        <translation>未加载</translation>
    </message>
    <message>
        <source>**CallShield** warns when a video caller&apos;s face may be a real-time AI face swap. It runs on this computer only; no video leaves it.</source>
        <translation>**CallShield** 会在视频通话中对方的脸可能是实时AI换脸时提醒您。它只在这台电脑上运行，不会把任何视频传出去。</translation>
    </message>
    <message>
        <source>Detector model: {model} · device: {device}</source>
        <translation>检测模型：{model} · 运行设备：{device}</translation>
    </message>
    <message>
        <source>It cannot prove that a caller is real: on a warning, end the call and call back on a number you already know.</source>
        <translation>它无法证明对方是真人。一旦出现警告，请挂断电话，再用您自己原本就知道的号码回拨。</translation>
    </message>
    <message>
        <source>Demo clip credits: see “Show Details…”.</source>
        <translation>演示视频的来源：请点下面的“显示细节”按钮。</translation>
    </message>
</context>
<context>
    <name>AuditChain</name>
    <message>
        <source>line {line}: {problem} (the {events} events before it are intact)</source>
        <translation>第 {line} 行：{problem}（此前的 {events} 条事件完好）</translation>
    </message>
    <message>
        <source>chain intact, {events} events, final hash {hash}</source>
        <translation>哈希链完好，共 {events} 条事件，最终哈希 {hash}</translation>
    </message>
    <message>
        <source>; the last line was cut short by a crash while writing and is not an event</source>
        <translation>；最后一行在写入时因程序崩溃而被截断，不算一条事件</translation>
    </message>
    <message>
        <source>not valid JSON ({error}): the line was altered or damaged</source>
        <translation>不是有效的 JSON（{error}）：这一行被改动或已损坏</translation>
    </message>
    <message>
        <source>not an event record (no hash): the line was altered</source>
        <translation>不是事件记录（没有哈希）：这一行被改动过</translation>
    </message>
    <message>
        <source>events {first}…{last} are missing (this line is event {seq})</source>
        <translation>缺少第 {first}…{last} 条事件（这一行是第 {seq} 条）</translation>
    </message>
    <message>
        <source>out of order or inserted (it says it is event {seq}, expected {number})</source>
        <translation>顺序错乱或被插入（它自称第 {seq} 条，应为第 {number} 条）</translation>
    </message>
    <message>
        <source>does not follow the previous event (its prev hash differs): a line before it was removed or altered</source>
        <translation>与上一条事件接不上（prev 哈希不同）：它之前的某一行被删除或改动</translation>
    </message>
    <message>
        <source>altered: its content does not match its hash</source>
        <translation>被改动：内容与哈希不符</translation>
    </message>
    <message>
        <source>not UTF-8 text: the line was altered or damaged</source>
        <translation>不是 UTF-8 文本：这一行被改动或已损坏</translation>
    </message>
    <message>
        <source>an empty line where an event should be</source>
        <translation>本应是事件的位置是空行</translation>
    </message>
    <message>
        <source>{file} was opened after {previous} ended at hash {opened_hash} ({opened_events} events), but {previous} now ends at {hash} ({events} events): lines were cut off its end or the file was replaced</source>
        <translation>{file} 创建时 {previous} 结束于哈希 {opened_hash}（{opened_events} 条事件），但 {previous} 现在结束于 {hash}（{events} 条事件）：其末尾的行被删掉，或文件被替换</translation>
    </message>
</context>
<context>
    <name>CallCentreBar</name>
    <message>
        <source>call reference (ticket, case no.)</source>
        <translation>通话编号（工单号、案件号）</translation>
    </message>
    <message>
        <source>Written into the next session&apos;s log and report; set it before pressing Start.</source>
        <translation>会写进下一个会话的记录和报告；请在按“开始”之前填好。</translation>
    </message>
    <message>
        <source>Call reference</source>
        <translation>通话编号</translation>
    </message>
    <message>
        <source>Sessions…</source>
        <translation>会话记录…</translation>
    </message>
    <message>
        <source>Sessions and call reports</source>
        <translation>会话记录和通话报告</translation>
    </message>
    <message>
        <source>Operator: {name}</source>
        <translation>坐席：{name}</translation>
    </message>
    <message>
        <source>Operator: (set in Settings)</source>
        <translation>坐席：（请在“设置”中填写）</translation>
    </message>
</context>
<context>
    <name>CallCentreSettingsGroup</name>
    <message>
        <source>Call centre</source>
        <translation>呼叫中心</translation>
    </message>
    <message>
        <source>your name or agent ID (written into every session)</source>
        <translation>您的姓名或工号（会写进每个会话）</translation>
    </message>
    <message>
        <source> days</source>
        <translation> 天</translation>
    </message>
    <message>
        <source>Takes effect at the next start, as does the retention.</source>
        <translation>和保留天数一样，下次启动时生效。</translation>
    </message>
    <message>
        <source>Keep the alerting faces&apos; crops (PNG) as evidence beside the log</source>
        <translation>把报警时的人脸截图（PNG）作为证据保存在记录旁边</translation>
    </message>
    <message>
        <source>Forward events to a SIEM by syslog (RFC 5424); off: no network connection at all</source>
        <translation>通过 syslog（RFC 5424）把事件转发给 SIEM；关闭时完全不联网</translation>
    </message>
    <message>
        <source>host name or address</source>
        <translation>主机名或地址</translation>
    </message>
    <message>
        <source>Also append events to a JSON file for a Splunk or Elastic agent to tail</source>
        <translation>同时把事件追加到一个 JSON 文件，供 Splunk 或 Elastic 采集程序读取</translation>
    </message>
    <message>
        <source>default: siem-events.jsonl in the log folder</source>
        <translation>默认：记录文件夹中的 siem-events.jsonl</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>坐席</translation>
    </message>
    <message>
        <source>Keep the event log for</source>
        <translation>事件记录保留</translation>
    </message>
    <message>
        <source>Event log folder</source>
        <translation>事件记录文件夹</translation>
    </message>
    <message>
        <source>Syslog server</source>
        <translation>Syslog 服务器</translation>
    </message>
    <message>
        <source>JSON file</source>
        <translation>JSON 文件</translation>
    </message>
    <message>
        <source>Syslog port</source>
        <translation>Syslog 端口</translation>
    </message>
    <message>
        <source>Syslog protocol</source>
        <translation>Syslog 协议</translation>
    </message>
</context>
<context>
    <name>CallCentreUi</name>
    <message>
        <source>Call centre</source>
        <translation>呼叫中心</translation>
    </message>
    <message>
        <source>SIEM forwarding failing ({problem}); monitoring and the local log go on</source>
        <translation>SIEM 转发失败（{problem}）；监测和本机记录照常进行</translation>
    </message>
</context>
<context>
    <name>CallReport</name>
    <message>
        <source>Model {name}, version {version}, threshold {threshold}.</source>
        <translation>模型 {name}，版本 {version}，阈值 {threshold}。</translation>
    </message>
    <message>
        <source>(no model card found in this installation)</source>
        <translation>（此安装中没有找到模型说明）</translation>
    </message>
    <message>
        <source>POSSIBLE AI FACE SWAP: CallShield warned {count} time(s) (face {faces}), shown for {seconds} s in all.</source>
        <translation>可能是AI换脸：CallShield 共警告 {count} 次（人脸 {faces}），警告共显示 {seconds} 秒。</translation>
    </message>
    <message>
        <source>No sign of a face swap was found in the time CallShield was monitoring. This does not prove who the caller was.</source>
        <translation>在 CallShield 监测期间没有发现换脸迹象。这并不能证明来电者的身份。</translation>
    </message>
    <message>
        <source>verified this caller by another channel</source>
        <translation>已通过其他方式核实了来电者</translation>
    </message>
    <message>
        <source>{operator} {statement} (face {face}) at {time}.</source>
        <translation>{operator}：{statement}（人脸 {face}），时间 {time}。</translation>
    </message>
    <message>
        <source>passed</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>FAILED</source>
        <translation>未通过</translation>
    </message>
    <message>
        <source>Challenge {challenge}: {outcome} at {time}.</source>
        <translation>验证动作 {challenge}：{outcome}，时间 {time}。</translation>
    </message>
    <message>
        <source>Monitored {watched} s of {total} s; not monitoring for {off} s in {spans} span(s) (nothing was checked then).</source>
        <translation>在 {total} 秒中监测了 {watched} 秒；有 {spans} 段共 {off} 秒没有在监测（这段时间没有做任何检查）。</translation>
    </message>
    <message>
        <source>{count} error(s) occurred; see the events table.</source>
        <translation>发生了 {count} 个错误；请查看事件表。</translation>
    </message>
    <message>
        <source>The session has no stop event: it is still running, or the app ended without stopping it.</source>
        <translation>此会话没有停止事件：它仍在进行中，或程序在停止前就退出了。</translation>
    </message>
    <message>
        <source>no sign of a face swap</source>
        <translation>未发现换脸迹象</translation>
    </message>
    <message>
        <source>POSSIBLE FACE SWAP</source>
        <translation>可能是换脸</translation>
    </message>
    <message>
        <source>POSSIBLE ANIMATED PHOTO</source>
        <translation>可能是AI驱动的照片</translation>
    </message>
    <message>
        <source>analysing</source>
        <translation>分析中</translation>
    </message>
    <message>
        <source>not monitoring</source>
        <translation>没有在监测</translation>
    </message>
    <message>
        <source>no face in view</source>
        <translation>画面中没有人脸</translation>
    </message>
    <message>
        <source>verified by the operator</source>
        <translation>已由操作员核实</translation>
    </message>
    <message>
        <source>shown: {state}</source>
        <translation>显示：{state}</translation>
    </message>
    <message>
        <source>face {face}: {score}</source>
        <translation>人脸 {face}：{score}</translation>
    </message>
    <message>
        <source>face {face} score {score} (frame {frame_score}, {state})</source>
        <translation>人脸 {face} 得分 {score}（单帧 {frame_score}，{state}）</translation>
    </message>
    <message>
        <source>alerting {faces}: {scores}</source>
        <translation>警告人脸 {faces}：{scores}</translation>
    </message>
    <message>
        <source>{count} evidence crop(s)</source>
        <translation>{count} 张证据截图</translation>
    </message>
    <message>
        <source>CallShield version</source>
        <translation>CallShield 版本</translation>
    </message>
    <message>
        <source>call reference</source>
        <translation>通话编号</translation>
    </message>
    <message>
        <source>device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>model version</source>
        <translation>模型版本</translation>
    </message>
    <message>
        <source>operator</source>
        <translation>操作员</translation>
    </message>
    <message>
        <source>region</source>
        <translation>区域</translation>
    </message>
    <message>
        <source>settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>threshold</source>
        <translation>阈值</translation>
    </message>
    <message>
        <source>by</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>score</source>
        <translation>得分</translation>
    </message>
    <message>
        <source>statement</source>
        <translation>声明</translation>
    </message>
    <message>
        <source>face</source>
        <translation>人脸</translation>
    </message>
    <message>
        <source>message</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>seconds</source>
        <translation>秒数</translation>
    </message>
    <message>
        <source>since</source>
        <translation>开始于</translation>
    </message>
    <message>
        <source>challenge</source>
        <translation>验证动作</translation>
    </message>
    <message>
        <source>detail</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>event counts</source>
        <translation>事件数</translation>
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
        <source>session started</source>
        <translation>会话开始</translation>
    </message>
    <message>
        <source>session stopped</source>
        <translation>会话结束</translation>
    </message>
    <message>
        <source>state shown</source>
        <translation>显示状态</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>operator verified</source>
        <translation>操作员已核实</translation>
    </message>
    <message>
        <source>error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>challenge result</source>
        <translation>验证动作结果</translation>
    </message>
    <message>
        <source>detector changed</source>
        <translation>检测器变更</translation>
    </message>
    <message>
        <source>log opened</source>
        <translation>日志开始</translation>
    </message>
    <message>
        <source>log recovered</source>
        <translation>日志已修复</translation>
    </message>
    <message>
        <source>… {count} more events in the log.</source>
        <translation>…… 日志中还有 {count} 条事件。</translation>
    </message>
    <message>
        <source>time (UTC)</source>
        <translation>时间（UTC）</translation>
    </message>
    <message>
        <source>event</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>{count} per-second score samples are in the log and plotted above.</source>
        <translation>日志中有 {count} 个每秒得分样本，已绘制在上方。</translation>
    </message>
    <message>
        <source>(not set)</source>
        <translation>（未设置）</translation>
    </message>
    <message>
        <source>{model} (version {version}, threshold {threshold})</source>
        <translation>{model}（版本 {version}，阈值 {threshold}）</translation>
    </message>
    <message>
        <source>Session</source>
        <translation>会话</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>操作员</translation>
    </message>
    <message>
        <source>Call reference</source>
        <translation>通话编号</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Ended</source>
        <translation>结束</translation>
    </message>
    <message>
        <source>(not stopped)</source>
        <translation>（未停止）</translation>
    </message>
    <message>
        <source>Watched region</source>
        <translation>监测区域</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>CallShield call report {session}</source>
        <translation>CallShield 通话报告 {session}</translation>
    </message>
    <message>
        <source>intact</source>
        <translation>完好</translation>
    </message>
    <message>
        <source>DAMAGED — run callshield audit verify on the day file</source>
        <translation>已损坏 — 请对当天的日志文件运行 callshield audit verify</translation>
    </message>
    <message>
        <source>CallShield is a warning light, not a proof: it cannot show that a caller is who they say they are, and it can miss a face swap.</source>
        <translation>CallShield 是一盏警示灯，不是证明：它无法证明来电者就是其自称的人，也可能漏掉换脸。</translation>
    </message>
    <message>
        <source>Hash chain: {state} ({details}).</source>
        <translation>哈希链：{state}（{details}）。</translation>
    </message>
    <message>
        <source>Hash of this session&apos;s last event:</source>
        <translation>本会话最后一条事件的哈希：</translation>
    </message>
    <message>
        <source>Keep this hash apart from the log: callshield audit verify on the day file must reach it.</source>
        <translation>请把这个哈希与日志分开保存：对当天的日志文件运行 callshield audit verify 时必须得到它。</translation>
    </message>
    <message>
        <source>CallShield call report</source>
        <translation>CallShield 通话报告</translation>
    </message>
    <message>
        <source>Verdict summary</source>
        <translation>检测结论</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>时间线</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>Tamper evidence</source>
        <translation>防篡改证据</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>no single session {session} in {folder} (latest: {known})</source>
        <translation>在 {folder} 中找不到唯一的会话 {session}（最近的会话：{known}）</translation>
    </message>
    <message>
        <source>face {face}</source>
        <translation>人脸 {face}</translation>
    </message>
    <message>
        <source>red: warning shown · grey: not monitoring · dashed: alert threshold</source>
        <translation>红色：显示了警告 · 灰色：没有在监测 · 虚线：警告阈值</translation>
    </message>
</context>
<context>
    <name>CallShieldApp</name>
    <message>
        <source>Demo caller: the original clip, no face swap</source>
        <translation>演示来电者：原始视频，没有换脸</translation>
    </message>
    <message>
        <source>Demo caller: an AI face swap of the same clip</source>
        <translation>演示来电者：同一段视频的AI换脸版本</translation>
    </message>
    <message>
        <source>CallShield: settings were reset</source>
        <translation>CallShield：设置已恢复为默认</translation>
    </message>
    <message>
        <source>Your settings file could not be read, so CallShield started with the default settings. Please check them in Settings. The old file is kept at:
{0}</source>
        <translation>无法读取您的设置文件，所以 CallShield 用默认设置启动了。请在“设置”中检查一下。旧文件保存在：
{0}</translation>
    </message>
    <message>
        <source>CallShield: {headline}</source>
        <translation>CallShield：{headline}</translation>
    </message>
    <message>
        <source>Show CallShield</source>
        <translation>显示 CallShield</translation>
    </message>
    <message>
        <source>Pause / resume</source>
        <translation>暂停 / 继续</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Cannot take a screenshot to pick from: {error}</source>
        <translation>无法截取屏幕来选择区域：{error}</translation>
    </message>
    <message>
        <source>CallShield demo — the caller&apos;s video</source>
        <translation>CallShield 演示 — 来电者的视频</translation>
    </message>
    <message>
        <source>CallShield: POSSIBLE AI FACE SWAP</source>
        <translation>CallShield：可能是AI换脸</translation>
    </message>
    <message>
        <source>CallShield: POSSIBLE ANIMATED PHOTO</source>
        <translation>CallShield：可能是AI驱动的照片</translation>
    </message>
    <message>
        <source>{alert} (face {ids}).</source>
        <translation>{alert}（人脸 {ids}）。</translation>
    </message>
    <message>
        <source>The new language shows the next time CallShield starts.</source>
        <translation>新的语言将在下次启动 CallShield 时生效。</translation>
    </message>
</context>
<context>
    <name>Capture</name>
    <message>
        <source>screen capture is not available: {error}</source>
        <translation>无法截取屏幕：{error}</translation>
    </message>
    <message>
        <source>screen capture failed: {error}</source>
        <translation>截取屏幕失败：{error}</translation>
    </message>
</context>
<context>
    <name>Challenge</name>
    <message>
        <source>turn left</source>
        <translation>向左转头</translation>
    </message>
    <message>
        <source>turn right</source>
        <translation>向右转头</translation>
    </message>
    <message>
        <source>hand over face</source>
        <translation>手从脸前经过</translation>
    </message>
    <message>
        <source>move closer</source>
        <translation>靠近镜头</translation>
    </message>
    <message>
        <source>no action given; choose from {valid}</source>
        <translation>没有给出动作；可选：{valid}</translation>
    </message>
    <message>
        <source>unknown action {action}; choose from {valid}</source>
        <translation>未知动作 {action}；可选：{valid}</translation>
    </message>
    <message>
        <source>The face broke during: {actions}</source>
        <translation>以下动作中人脸出现破绽：{actions}</translation>
    </message>
    <message>
        <source>The caller did not perform: {actions}</source>
        <translation>对方没有完成：{actions}</translation>
    </message>
    <message>
        <source>No sign of a face swap during {done} of {total} actions; the caller did not perform: {actions}</source>
        <translation>在 {total} 个动作中的 {done} 个里没有发现换脸迹象；对方没有完成：{actions}</translation>
    </message>
    <message>
        <source>No sign of a face swap during {done} of {total} actions</source>
        <translation>在 {total} 个动作中的 {done} 个里没有发现换脸迹象</translation>
    </message>
</context>
<context>
    <name>CommandLine</name>
    <message>
        <source>callshield bench --live: needs a display; install xvfb (scripts/setup.sh) or set DISPLAY</source>
        <translation>callshield bench --live：需要显示器；请安装 xvfb（scripts/setup.sh）或设置 DISPLAY</translation>
    </message>
    <message>
        <source>callshield {command}: the training tools are not part of this installation; run it from a source checkout set up with `pip install -e .[train]`</source>
        <translation>callshield {command}：此安装不包含训练工具；请在用 `pip install -e .[train]` 安装好的源代码目录中运行</translation>
    </message>
    <message>
        <source>CallShield needs a desktop session: no display found (DISPLAY/WAYLAND_DISPLAY unset)</source>
        <translation>CallShield 需要在桌面环境中运行：找不到显示器（没有设置 DISPLAY/WAYLAND_DISPLAY）</translation>
    </message>
    <message>
        <source>Start it from your desktop session, or point DISPLAY at an X server.</source>
        <translation>请在桌面环境中启动它，或者把 DISPLAY 指向一个 X 服务器。</translation>
    </message>
    <message>
        <source>CallShield: warns when a video caller&apos;s face may be an AI face swap. Engine commands: callshield scan|eval|bench|train --help.</source>
        <translation>CallShield：在视频通话中对方的脸可能是AI换脸时发出警告。检测引擎命令：callshield scan|eval|bench|train --help。</translation>
    </message>
    <message>
        <source>play the bundled demo clip in a window and monitor it</source>
        <translation>在窗口中播放自带的演示视频，并对它进行监测</translation>
    </message>
    <message>
        <source>start minimised (to the tray)</source>
        <translation>启动时最小化（到系统托盘）</translation>
    </message>
    <message>
        <source>print seconds from launch to a usable window</source>
        <translation>打印从启动到窗口可以使用所花的秒数</translation>
    </message>
    <message>
        <source>monitor the bundled demo, then print one JSON line of what worked; exit 0 only if verdicts came (monitors for --quit-after seconds once the model has loaded or failed, default {seconds})</source>
        <translation>监测自带的演示视频，然后用一行 JSON 打印哪些功能正常；只有得到检测结果时才以状态 0 退出（在模型加载成功或失败后监测 --quit-after 秒，默认 {seconds} 秒）</translation>
    </message>
    <message>
        <source>quit after this many seconds (for tests; with --smoke-test, counted from the model load)</source>
        <translation>过这么多秒后退出（用于测试；与 --smoke-test 一起使用时，从模型加载完成算起）</translation>
    </message>
    <message>
        <source>call-centre mode: the agent&apos;s name or ID for this run&apos;s sessions (default: the one in Settings)</source>
        <translation>呼叫中心模式：本次运行各个会话所记录的坐席姓名或工号（默认用“设置”里的）</translation>
    </message>
    <message>
        <source>call-centre mode: the reference of the call (ticket, case)</source>
        <translation>呼叫中心模式：本次通话的编号（工单号、案件号）</translation>
    </message>
    <message>
        <source>Checks CallShield&apos;s hash-chained event logs.</source>
        <translation>检查 CallShield 的哈希链事件日志。</translation>
    </message>
    <message>
        <source>exit 0 and &apos;chain intact, N events, final hash …&apos;, or the first bad line</source>
        <translation>完好时退出码为 0 并显示“哈希链完好，共 N 条事件，最终哈希 …”，否则指出第一处有问题的行</translation>
    </message>
    <message>
        <source>{file}: cannot read: {error}</source>
        <translation>{file}：无法读取：{error}</translation>
    </message>
    <message>
        <source>Writes a call report (HTML and PDF).</source>
        <translation>生成通话报告（HTML 和 PDF）。</translation>
    </message>
    <message>
        <source>session id (or a unique start of it)</source>
        <translation>会话编号（或能唯一确定它的开头部分）</translation>
    </message>
    <message>
        <source>where to write (default: here)</source>
        <translation>保存位置（默认：当前文件夹）</translation>
    </message>
    <message>
        <source>the event log&apos;s folder (default {folder})</source>
        <translation>事件日志所在文件夹（默认 {folder}）</translation>
    </message>
    <message>
        <source>skip the PDF</source>
        <translation>不生成 PDF</translation>
    </message>
    <message>
        <source>callshield {command}: {error}</source>
        <translation>callshield {command}：{error}</translation>
    </message>
    <message>
        <source>where the networks run (default: auto)</source>
        <translation>神经网络运行的位置（默认：auto 自动）</translation>
    </message>
    <message>
        <source>runtimes to time, comma-separated: torch, onnx, auto, or all (a row for each one installed; default)</source>
        <translation>要计时的运行时，用逗号分隔：torch、onnx、auto，或 all（每个已安装的运行时一行；默认）</translation>
    </message>
    <message>
        <source>torch, or onnx (onnxruntime on the CPU, no torch); auto: onnx on the CPU (default)</source>
        <translation>torch，或 onnx（在 CPU 上用 onnxruntime，不需要 torch）；auto：在 CPU 上用 onnx（默认）</translation>
    </message>
    <message>
        <source>frames analysed per second of clip (default 10, as live)</source>
        <translation>每秒视频分析的帧数（默认 10，与实时监测相同）</translation>
    </message>
    <message>
        <source>-1 (quiet) … +1 (eager); default 0</source>
        <translation>-1（少报警）… +1（多报警）；默认 0</translation>
    </message>
    <message>
        <source>judge on the mean classifier score alone (the baseline)</source>
        <translation>只按分类器的平均得分判断（基线）</translation>
    </message>
    <message>
        <source>CPU threads for the networks (default 1)</source>
        <translation>神经网络使用的 CPU 线程数（默认 1）</translation>
    </message>
    <message>
        <source>also run the animated-photo detector (off by default: not yet good enough; README § Animated photos)</source>
        <translation>同时运行“AI驱动照片”检测（默认关闭：效果还不够好；见 README 的 Animated photos 一节）</translation>
    </message>
    <message>
        <source>CallShield: warns when a video caller&apos;s face is an AI face swap.</source>
        <translation>CallShield：当视频来电者的脸是AI换脸时发出警告。</translation>
    </message>
    <message>
        <source>check video or image files for face swaps</source>
        <translation>检查视频或图片文件中是否有换脸</translation>
    </message>
    <message>
        <source>one JSON object per input, one per line</source>
        <translation>每个输入输出一个 JSON 对象，每行一个</translation>
    </message>
    <message>
        <source>measure the detector on a labelled manifest</source>
        <translation>在带标注的清单上测量检测器</translation>
    </message>
    <message>
        <source>write the full report here</source>
        <translation>把完整报告写到这里</translation>
    </message>
    <message>
        <source>only the first N items (quick checks)</source>
        <translation>只用前 N 项（快速检查）</translation>
    </message>
    <message>
        <source>also scan H.264 CRF-35 360p copies of the real clips (made with ffmpeg) for false alerts</source>
        <translation>同时扫描真实视频的 H.264 CRF-35 360p 副本（用 ffmpeg 生成），统计误报</translation>
    </message>
    <message>
        <source>print each temporal signal&apos;s contribution</source>
        <translation>显示每个时序信号的贡献</translation>
    </message>
    <message>
        <source>also score published classifiers on the same crops, comma-separated or &apos;all&apos;: meso4-df, meso4-f2f, mesoinception4-df, mesoinception4-f2f (weights from ../shared/models; measurement only)</source>
        <translation>同时用已发表的分类器给相同的人脸截图打分，用逗号分隔或 &apos;all&apos;：meso4-df、meso4-f2f、mesoinception4-df、mesoinception4-f2f（权重来自 ../shared/models；仅用于测量）</translation>
    </message>
    <message>
        <source>manifest with the train split for --ablation (default: MANIFEST)</source>
        <translation>用于 --ablation 的含训练集的清单（默认：MANIFEST）</translation>
    </message>
    <message>
        <source>where derived clips are kept</source>
        <translation>派生视频的存放位置</translation>
    </message>
    <message>
        <source>time each stage and compare the classifier with published ones</source>
        <translation>为每个环节计时，并把分类器与已发表的分类器比较</translation>
    </message>
    <message>
        <source>video clip (default: the bundled demo clip)</source>
        <translation>视频文件（默认：自带的演示视频）</translation>
    </message>
    <message>
        <source>skip timing the peer classifiers</source>
        <translation>不为对照分类器计时</translation>
    </message>
    <message>
        <source>screen region the clip is shown in, WIDTHxHEIGHT (default 1280x720, as live), or &apos;clip&apos;</source>
        <translation>视频显示在屏幕上的区域大小，宽x高（默认 1280x720，与实时监测相同），或 &apos;clip&apos;</translation>
    </message>
    <message>
        <source>judge the &apos;Verify now&apos; challenges (head turns, hand, closer) on a recorded clip</source>
        <translation>在录好的视频上判断“立即核实”的动作（转头、手、靠近）</translation>
    </message>
    <message>
        <source>comma-separated: turn-left, turn-right, hand, closer (default: all four)</source>
        <translation>用逗号分隔：turn-left、turn-right、hand、closer（默认：全部四个）</translation>
    </message>
    <message>
        <source>one JSON object: per action, performed, when, evidence</source>
        <translation>输出一个 JSON 对象：每个动作是否完成、时间、证据</translation>
    </message>
</context>
<context>
    <name>DemoPlayer</name>
    <message>
        <source>CallShield demo — the caller&apos;s video</source>
        <translation>CallShield 演示 — 来电者的视频</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>CallShield: a file is damaged</source>
        <translation>CallShield：有文件已损坏</translation>
    </message>
    <message>
        <source>checking</source>
        <translation>正在检查</translation>
    </message>
    <message>
        <source>no sign of a swap</source>
        <translation>未发现换脸迹象</translation>
    </message>
    <message>
        <source>POSSIBLE SWAP</source>
        <translation>可能是换脸</translation>
    </message>
    <message>
        <source>POSSIBLE ANIMATED PHOTO</source>
        <translation>可能是AI驱动的照片</translation>
    </message>
    <message>
        <source>Monitored region</source>
        <translation>监测区域</translation>
    </message>
    <message>
        <source>Detector model</source>
        <translation>检测模型</translation>
    </message>
    <message>
        <source>Why CallShield shows this</source>
        <translation>显示这个状态的原因</translation>
    </message>
    <message>
        <source>I verified this caller</source>
        <translation>我已核实对方身份</translation>
    </message>
    <message>
        <source>You confirmed who the caller is by another channel (e.g. you called them back on a number you already knew). Silences this face&apos;s warning for this call. Shortcut: {keys}</source>
        <translation>您已经通过其他方式确认了对方的身份（例如用您原本就知道的号码给对方回了电话）。本次通话中不再对这张脸发出警告。快捷键：{keys}</translation>
    </message>
    <message>
        <source>Not sure? Verify now: ask the caller to turn their head and pass a hand over their face</source>
        <translation>拿不准？现在核实：请对方转一转头，再用手从脸前划过</translation>
    </message>
    <message>
        <source>Verify now</source>
        <translation>现在核实</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Pause ({keys})</source>
        <translation>暂停 ({keys})</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Pick region…</source>
        <translation>选择区域…</translation>
    </message>
    <message>
        <source>Start monitoring</source>
        <translation>开始监测</translation>
    </message>
    <message>
        <source>Pause or resume monitoring</source>
        <translation>暂停或继续监测</translation>
    </message>
    <message>
        <source>Stop monitoring</source>
        <translation>停止监测</translation>
    </message>
    <message>
        <source>Pick the caller&apos;s video (Ctrl+R)</source>
        <translation>选择对方的视频画面 (Ctrl+R)</translation>
    </message>
    <message>
        <source>Ask the caller to turn their head, pass a hand over their face and come closer: live face swaps often break when they do</source>
        <translation>请对方转头、用手从脸前划过、再靠近摄像头：实时换脸在这些时候常常露出破绽</translation>
    </message>
    <message>
        <source>Analysis speed</source>
        <translation>分析速度</translation>
    </message>
    <message>
        <source>analysed: — frames/s</source>
        <translation>已分析：— 帧/秒</translation>
    </message>
    <message>
        <source>Face</source>
        <translation>人脸</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>分数</translation>
    </message>
    <message>
        <source>This frame</source>
        <translation>当前画面</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Faces in view and their swap scores</source>
        <translation>画面中的人脸和它们的换脸分数</translation>
    </message>
    <message>
        <source>Swap score of each face over the last minutes</source>
        <translation>最近几分钟里每张人脸的换脸分数</translation>
    </message>
    <message>
        <source>&amp;CallShield</source>
        <translation>CallShield(&amp;C)</translation>
    </message>
    <message>
        <source>Pause / resume monitoring</source>
        <translation>暂停 / 继续监测</translation>
    </message>
    <message>
        <source>Pick the caller&apos;s video…</source>
        <translation>选择对方的视频画面…</translation>
    </message>
    <message>
        <source>Play the demo</source>
        <translation>播放演示</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>设置…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>What CallShield does and doesn&apos;t…</source>
        <translation>CallShield 能做什么、不能做什么…</translation>
    </message>
    <message>
        <source>About CallShield…</source>
        <translation>关于 CallShield…</translation>
    </message>
    <message>
        <source>I verified this caller (face {id})</source>
        <translation>我已核实对方身份（人脸 {id}）</translation>
    </message>
    <message>
        <source>I verified this caller…</source>
        <translation>我已核实对方身份…</translation>
    </message>
    <message>
        <source>Face {id} (score {score})</source>
        <translation>人脸 {id}（分数 {score}）</translation>
    </message>
    <message>
        <source>verified by you</source>
        <translation>您已核实</translation>
    </message>
    <message>
        <source>analysed: {fps} frames/s · engine {ms} ms/frame</source>
        <translation>已分析：{fps} 帧/秒 · 检测用时 {ms} 毫秒/帧</translation>
    </message>
    <message>
        <source>model {model} on {device}</source>
        <translation>模型 {model}，运行在 {device} 上</translation>
    </message>
    <message>
        <source>model not loaded</source>
        <translation>模型未加载</translation>
    </message>
    <message>
        <source>{problem}

Please reinstall CallShield.</source>
        <translation>{problem}

请重新安装 CallShield。</translation>
    </message>
    <message>
        <source>no region picked yet</source>
        <translation>还没有选择监测区域</translation>
    </message>
    <message>
        <source>watching {width}×{height} at ({left}, {top})</source>
        <translation>正在监测 {width}×{height} 的区域，位置 ({left}, {top})</translation>
    </message>
    <message>
        <source>Resume ({keys})</source>
        <translation>继续 ({keys})</translation>
    </message>
</context>
<context>
    <name>Media</name>
    <message>
        <source>{path}: no such file</source>
        <translation>{path}：文件不存在</translation>
    </message>
    <message>
        <source>{path}: is a folder, not a video or image</source>
        <translation>{path}：这是文件夹，不是视频或图片</translation>
    </message>
    <message>
        <source>{path}: not a regular file (a pipe, socket or device), not a video or image</source>
        <translation>{path}：不是普通文件（是管道、套接字或设备），不是视频或图片</translation>
    </message>
    <message>
        <source>{path}: cannot be read (permission denied)</source>
        <translation>{path}：无法读取（没有权限）</translation>
    </message>
    <message>
        <source>{path}: file is empty (0 bytes)</source>
        <translation>{path}：文件是空的（0 字节）</translation>
    </message>
    <message>
        <source>{path}: image too large ({err})</source>
        <translation>{path}：图片太大（{err}）</translation>
    </message>
    <message>
        <source>{path}: image too large ({w}×{h} pixels)</source>
        <translation>{path}：图片太大（{w}×{h} 像素）</translation>
    </message>
    <message>
        <source>{path}: not a readable image (corrupt or unsupported format)</source>
        <translation>{path}：无法读取的图片（已损坏或格式不支持）</translation>
    </message>
    <message>
        <source>{path}: not a readable video (corrupt or unsupported format)</source>
        <translation>{path}：无法读取的视频（已损坏或格式不支持）</translation>
    </message>
    <message>
        <source>{path}: video has no decodable frames (corrupt or truncated)</source>
        <translation>{path}：视频中没有可解码的画面（已损坏或不完整）</translation>
    </message>
</context>
<context>
    <name>Models</name>
    <message>
        <source>{path} is missing: the installation is incomplete</source>
        <translation>缺少 {path}：安装不完整</translation>
    </message>
    <message>
        <source>{path} is damaged ({err}): reinstall CallShield</source>
        <translation>{path} 已损坏（{err}）：请重新安装 CallShield</translation>
    </message>
    <message>
        <source>{name} is not listed in {json}; refusing an unknown file</source>
        <translation>{name} 不在 {json} 的清单中；拒绝加载未知文件</translation>
    </message>
    <message>
        <source>model file {path} is missing: reinstall CallShield</source>
        <translation>缺少模型文件 {path}：请重新安装 CallShield</translation>
    </message>
    <message>
        <source>model file {path} has {size} bytes, expected {expected}: truncated or replaced</source>
        <translation>模型文件 {path} 有 {size} 字节，应为 {expected}：文件不完整或被替换</translation>
    </message>
    <message>
        <source>model file {path} fails its SHA-256 check (tampered or corrupt): reinstall CallShield</source>
        <translation>模型文件 {path} 未通过 SHA-256 校验（被篡改或已损坏）：请重新安装 CallShield</translation>
    </message>
</context>
<context>
    <name>MonitorController</name>
    <message>
        <source>loading the face-swap detector on the chosen device…</source>
        <translation>正在所选设备上加载换脸检测器…</translation>
    </message>
</context>
<context>
    <name>Overlay</name>
    <message>
        <source>top</source>
        <translation>上</translation>
    </message>
    <message>
        <source>bottom</source>
        <translation>下</translation>
    </message>
    <message>
        <source>left</source>
        <translation>左</translation>
    </message>
    <message>
        <source>right</source>
        <translation>右</translation>
    </message>
    <message>
        <source>CallShield · you verified this caller — warning silenced for this call</source>
        <translation>CallShield · 您已核实对方身份 — 本次通话不再警告</translation>
    </message>
    <message>
        <source>CallShield · {headline}</source>
        <translation>CallShield · {headline}</translation>
    </message>
    <message>
        <source>CallShield is NOT monitoring — {reason}</source>
        <translation>CallShield 没有在监测 — {reason}</translation>
    </message>
    <message>
        <source>CallShield frame ({side})</source>
        <translation>CallShield 边框（{side}）</translation>
    </message>
    <message>
        <source>CallShield status beside the caller&apos;s video</source>
        <translation>CallShield 状态（显示在对方视频旁边）</translation>
    </message>
</context>
<context>
    <name>RegionPicker</name>
    <message>
        <source>Drag a rectangle around the caller&apos;s video, then release · Esc cancels
Keyboard: arrow keys move the box, Shift+arrows change its size, Enter confirms
Include the whole face, leave out your own self-view. (Clicking a window to pick it is not available: drag around its video instead.)</source>
        <translation>用鼠标在对方的视频画面周围拖出一个方框，然后松开 · 按 Esc 取消
键盘操作：方向键移动方框，Shift+方向键改变大小，按回车键确认
请框住整张脸，不要框进您自己的画面。（不能点击窗口来选择：请在它的视频周围拖出方框。）</translation>
    </message>
    <message>
        <source>CallShield: pick the caller&apos;s video</source>
        <translation>CallShield：选择对方的视频画面</translation>
    </message>
    <message>
        <source>Too small: drag at least {side}×{side} pixels.</source>
        <translation>方框太小了：请至少拖出 {side}×{side} 像素。</translation>
    </message>
</context>
<context>
    <name>Scan</name>
    <message>
        <source>{file}: ERROR — {error}</source>
        <translation>{file}：错误 — {error}</translation>
    </message>
    <message>
        <source>{file}: no face found in {frames} analysed frame(s)</source>
        <translation>{file}：在分析的 {frames} 帧中没有找到人脸</translation>
    </message>
    <message>
        <source>POSSIBLE AI FACE-SWAP</source>
        <translation>可能是AI换脸</translation>
    </message>
    <message>
        <source>POSSIBLE ANIMATED PHOTO</source>
        <translation>可能是AI驱动的照片</translation>
    </message>
    <message>
        <source>no sign of a face swap found</source>
        <translation>未发现换脸迹象</translation>
    </message>
    <message>
        <source>no sign of a face swap or animated photo found</source>
        <translation>未发现换脸或AI驱动照片的迹象</translation>
    </message>
    <message>
        <source>score {score}</source>
        <translation>得分 {score}</translation>
    </message>
    <message>
        <source>swap score {score}</source>
        <translation>换脸得分 {score}</translation>
    </message>
    <message>
        <source>animation score {score}</source>
        <translation>AI驱动照片得分 {score}</translation>
    </message>
    <message>
        <source>first alert at {seconds} s</source>
        <translation>第一次警告在 {seconds} 秒</translation>
    </message>
    <message>
        <source>{frames} frames analysed</source>
        <translation>分析了 {frames} 帧</translation>
    </message>
    <message>
        <source>face {id}: {score} over {frames} frames</source>
        <translation>人脸 {id}：{frames} 帧平均 {score}</translation>
    </message>
</context>
<context>
    <name>ScoreTimeline</name>
    <message>
        <source>swap score</source>
        <translation>换脸分数</translation>
    </message>
    <message>
        <source>seconds ago</source>
        <translation>秒前</translation>
    </message>
    <message>
        <source>face {id}</source>
        <translation>人脸 {id}</translation>
    </message>
</context>
<context>
    <name>ScreenRegion</name>
    <message>
        <source>{width}×{height} at ({left}, {top})</source>
        <translation>{width}×{height}，位置 ({left}, {top})</translation>
    </message>
    <message>
        <source>the monitored region ({region}) is no longer on any screen — a monitor was unplugged or the resolution changed: pick the region again</source>
        <translation>监测区域（{region}）已经不在任何屏幕上 — 可能拔掉了显示器或改变了分辨率：请重新选择区域</translation>
    </message>
    <message>
        <source>{share}% of the monitored region ({region}) lies off screen — a monitor was unplugged or the resolution changed: pick the region again</source>
        <translation>监测区域（{region}）有 {share}% 在屏幕外面 — 可能拔掉了显示器或改变了分辨率：请重新选择区域</translation>
    </message>
</context>
<context>
    <name>SessionsDialog</name>
    <message>
        <source>Started (UTC)</source>
        <translation>开始时间（UTC）</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>坐席</translation>
    </message>
    <message>
        <source>Call</source>
        <translation>通话</translation>
    </message>
    <message>
        <source>Warnings</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>Verified</source>
        <translation>已核实</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>CallShield sessions</source>
        <translation>CallShield 会话记录</translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation>会话记录</translation>
    </message>
    <message>
        <source>Write report (HTML and PDF)</source>
        <translation>生成报告（HTML 和 PDF）</translation>
    </message>
    <message>
        <source>Open reports folder</source>
        <translation>打开报告文件夹</translation>
    </message>
    <message>
        <source>Sessions of the last {days} days in {folder}</source>
        <translation>最近 {days} 天的会话记录，位于 {folder}</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>已结束</translation>
    </message>
    <message>
        <source>running or not stopped</source>
        <translation>进行中或未正常结束</translation>
    </message>
    <message>
        <source>Report written: {files}</source>
        <translation>报告已生成：{files}</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Automatic (GPU if present)</source>
        <translation>自动（有显卡就用显卡）</translation>
    </message>
    <message>
        <source>Syslog forwarding is on but no host is set: enter the SIEM&apos;s host name or address.</source>
        <translation>已打开 syslog 转发，但没有填写主机：请填写 SIEM 的主机名或地址。</translation>
    </message>
    <message>
        <source>CallShield settings</source>
        <translation>CallShield 设置</translation>
    </message>
    <message>
        <source>Sensitivity: left for fewer warnings, right for more</source>
        <translation>灵敏度：往左警告更少，往右警告更多</translation>
    </message>
    <message>
        <source>fewer warnings</source>
        <translation>警告更少</translation>
    </message>
    <message>
        <source>more warnings</source>
        <translation>警告更多</translation>
    </message>
    <message>
        <source> frames/s</source>
        <translation> 帧/秒</translation>
    </message>
    <message>
        <source>Lower leaves more of the computer to the call itself; 10 is enough to catch a swap.</source>
        <translation>调低可以给通话本身留出更多电脑资源；每秒 10 帧已经足够发现换脸。</translation>
    </message>
    <message>
        <source>Maximum analysis rate</source>
        <translation>最高分析速度</translation>
    </message>
    <message>
        <source>Run the detector on</source>
        <translation>检测器运行在</translation>
    </message>
    <message>
        <source>Sensitivity</source>
        <translation>灵敏度</translation>
    </message>
    <message>
        <source>Same as the computer ({language})</source>
        <translation>跟电脑一样（{language}）</translation>
    </message>
    <message>
        <source>Takes effect the next time CallShield starts.</source>
        <translation>下次启动 CallShield 时生效。</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Large text (on top of the computer&apos;s own text size)</source>
        <translation>大字体（在电脑本身的字体大小上再放大）</translation>
    </message>
    <message>
        <source>Sound an alarm while a warning stands (for when you look away from the screen)</source>
        <translation>出现警告时发出提示音（您没在看屏幕时也能知道）</translation>
    </message>
    <message>
        <source>Start minimised (to the tray where there is one)</source>
        <translation>启动时最小化（有系统托盘时缩到托盘）</translation>
    </message>
</context>
<context>
    <name>ShieldStatus</name>
    <message>
        <source>Possible AI face-swap — verify the caller by another channel</source>
        <translation>可能是AI换脸 — 请通过其他方式核实对方身份</translation>
    </message>
    <message>
        <source>Possible animated photo — verify the caller by another channel</source>
        <translation>可能是AI驱动的照片 — 请通过其他方式核实对方身份</translation>
    </message>
    <message>
        <source>GPU out of memory: switching to the CPU</source>
        <translation>显卡内存不足：正在改用处理器(CPU)</translation>
    </message>
    <message>
        <source>no face in view</source>
        <translation>画面中没有人脸</translation>
    </message>
    <message>
        <source>Not monitoring</source>
        <translation>没有在监测</translation>
    </message>
    <message>
        <source>Not monitoring — no face</source>
        <translation>没有在监测 — 没有人脸</translation>
    </message>
    <message>
        <source>Watching — checking the face…</source>
        <translation>正在监测 — 正在检查人脸…</translation>
    </message>
    <message>
        <source>Watching — no sign of a face swap so far</source>
        <translation>正在监测 — 目前未发现换脸迹象</translation>
    </message>
    <message>
        <source>Warning silenced — you verified this caller</source>
        <translation>已停止警告 — 您已核实对方身份</translation>
    </message>
    <message>
        <source>POSSIBLE ANIMATED PHOTO</source>
        <translation>可能是AI驱动的照片</translation>
    </message>
    <message>
        <source>POSSIBLE AI FACE SWAP</source>
        <translation>可能是AI换脸</translation>
    </message>
    <message>
        <source>loading the face-swap detector…</source>
        <translation>正在加载换脸检测器…</translation>
    </message>
    <message>
        <source>stopped — press Start to watch the caller&apos;s video</source>
        <translation>已停止 — 请按“开始”来监测对方的视频</translation>
    </message>
    <message>
        <source>paused — press Resume (Ctrl+P) to watch again</source>
        <translation>已暂停 — 请按“继续”(Ctrl+P) 重新开始监测</translation>
    </message>
    <message>
        <source>starting — no frame analysed yet</source>
        <translation>正在启动 — 还没有分析任何画面</translation>
    </message>
    <message>
        <source>no fresh analysis for {seconds} s — the computer may be too busy</source>
        <translation>已经 {seconds} 秒没有新的分析结果 — 电脑可能太忙了</translation>
    </message>
    <message>
        <source>Analysis is too slow to be trusted ({fps} frames/s): close other heavy programs</source>
        <translation>分析太慢，结果不可靠（每秒 {fps} 帧）：请关闭其他占用电脑的程序</translation>
    </message>
    <message>
        <source>the detector could not analyse this frame</source>
        <translation>检测器无法分析这一帧画面</translation>
    </message>
    <message>
        <source>no face in the monitored region — nothing is being checked</source>
        <translation>监测区域里没有人脸 — 现在没有在检查任何人</translation>
    </message>
    <message>
        <source>{alert} (face {ids})</source>
        <translation>{alert}（人脸 {ids}）</translation>
    </message>
    <message>
        <source>collecting evidence on the face in view — no judgement yet</source>
        <translation>正在观察画面中的人脸 — 还没有结论</translation>
    </message>
    <message>
        <source>the detector still flags this face, but you verified this caller for this call</source>
        <translation>检测器仍然觉得这张脸可疑，但您已经在本次通话中核实了对方身份</translation>
    </message>
    <message>
        <source>This cannot prove who the caller is. If they ask for money or codes, hang up and call back on a number you already know.</source>
        <translation>这不能证明对方是谁。如果对方要钱或要验证码，请挂断电话，再用您自己原本就知道的号码回拨。</translation>
    </message>
    <message>
        <source>engine error: {error}</source>
        <translation>检测器出错：{error}</translation>
    </message>
</context>
<context>
    <name>Verify</name>
    <message>
        <source>{file}: {frames} frames analysed over {seconds} s</source>
        <translation>{file}：在 {seconds} 秒内分析了 {frames} 帧</translation>
    </message>
    <message>
        <source>not performed</source>
        <translation>没有完成</translation>
    </message>
    <message>
        <source>BROKE ({signals})</source>
        <translation>出现破绽（{signals}）</translation>
    </message>
    <message>
        <source>held</source>
        <translation>没有破绽</translation>
    </message>
    <message>
        <source>performed {start}–{end} s; score {before} → {during}, identity drop {drop}, landmarks lost {lost}, seam flicker {flicker}: {outcome}</source>
        <translation>在 {start}–{end} 秒完成；得分 {before} → {during}，身份相似度下降 {drop}，特征点丢失 {lost}，边缘闪烁 {flicker}：{outcome}</translation>
    </message>
</context>
<context>
    <name>VerifyDialog</name>
    <message>
        <source>Verify now</source>
        <translation>现在核实</translation>
    </message>
    <message>
        <source>Please turn your head slowly to your left</source>
        <translation>请慢慢把头转向您的左边</translation>
    </message>
    <message>
        <source>Please turn your head slowly to your right</source>
        <translation>请慢慢把头转向您的右边</translation>
    </message>
    <message>
        <source>Please pass your hand slowly in front of your face</source>
        <translation>请把手慢慢地从脸前面划过</translation>
    </message>
    <message>
        <source>Please move closer to your camera</source>
        <translation>请靠近您的摄像头</translation>
    </message>
    <message>
        <source>turn left</source>
        <translation>向左转头</translation>
    </message>
    <message>
        <source>turn right</source>
        <translation>向右转头</translation>
    </message>
    <message>
        <source>hand over face</source>
        <translation>手从脸前划过</translation>
    </message>
    <message>
        <source>move closer</source>
        <translation>靠近摄像头</translation>
    </message>
    <message>
        <source>swap score</source>
        <translation>换脸分数</translation>
    </message>
    <message>
        <source>identity</source>
        <translation>面部特征不一致</translation>
    </message>
    <message>
        <source>face tracking lost</source>
        <translation>跟丢了人脸</translation>
    </message>
    <message>
        <source>mask edge</source>
        <translation>换脸边缘痕迹</translation>
    </message>
    <message>
        <source>Ask the caller to do a few simple things on camera. Live face-swap tools often break when the face turns to the side, when a hand passes in front of it, or when it comes close to the camera.

Read each request out to the caller. CallShield keeps watching their face the whole time.</source>
        <translation>请对方在镜头前做几个简单的动作。实时换脸软件在脸转向侧面、手从脸前划过、或者靠近摄像头时，常常会露出破绽。

请把每个要求念给对方听。CallShield 会一直盯着对方的脸。</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Read this out to the caller:</source>
        <translation>请把这句话念给对方听：</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>跳过</translation>
    </message>
    <message>
        <source>This check lowers the risk; it does not prove who the caller is. If in doubt, end the call and call back on a number you already know.</source>
        <translation>这个检查能降低风险，但不能证明对方是谁。如果有疑问，请挂断电话，再用您自己原本就知道的号码回拨。</translation>
    </message>
    <message>
        <source>Save frame…</source>
        <translation>保存画面…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Getting ready</source>
        <translation>正在准备</translation>
    </message>
    <message>
        <source>Please look at your camera for a moment</source>
        <translation>请看着您的摄像头，稍等一下</translation>
    </message>
    <message>
        <source>{seconds} s</source>
        <translation>{seconds} 秒</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>正在检查…</translation>
    </message>
    <message>
        <source>Thank you. CallShield is checking the last moments.</source>
        <translation>谢谢。CallShield 正在检查刚才的画面。</translation>
    </message>
    <message>
        <source>Challenge {number} of {total}</source>
        <translation>第 {number} 个动作，共 {total} 个</translation>
    </message>
    <message>
        <source>Waiting for the caller…</source>
        <translation>正在等对方做动作…</translation>
    </message>
    <message>
        <source>The caller&apos;s face is not in view</source>
        <translation>画面中看不到对方的脸</translation>
    </message>
    <message>
        <source>Done — the caller did it</source>
        <translation>完成 — 对方做了这个动作</translation>
    </message>
    <message>
        <source>Verify now cannot run: {reason}</source>
        <translation>现在无法核实：{reason}</translation>
    </message>
    <message>
        <source>Start monitoring the caller&apos;s video first.</source>
        <translation>请先开始监测对方的视频。</translation>
    </message>
    <message>
        <source>monitoring stopped</source>
        <translation>监测已停止</translation>
    </message>
    <message>
        <source>The face broke during: {actions}</source>
        <translation>做这些动作时脸出现了破绽：{actions}</translation>
    </message>
    <message>
        <source>The caller did not perform: {actions}</source>
        <translation>对方没有做这些动作：{actions}</translation>
    </message>
    <message>
        <source>No sign of a face swap during {done} of {total} actions</source>
        <translation>在 {total} 个动作中的 {done} 个里没有发现换脸迹象</translation>
    </message>
    <message>
        <source>{action}: skipped (not counted as passed)</source>
        <translation>{action}：已跳过（不算通过）</translation>
    </message>
    <message>
        <source>{action}: not performed (not counted as passed)</source>
        <translation>{action}：对方没有做（不算通过）</translation>
    </message>
    <message>
        <source>{action}: THE FACE BROKE ({cues})</source>
        <translation>{action}：脸出现了破绽（{cues}）</translation>
    </message>
    <message>
        <source>{action}: performed, no sign of a swap</source>
        <translation>{action}：已做，未发现换脸迹象</translation>
    </message>
    <message>
        <source>Save the frame</source>
        <translation>保存画面</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG 图片 (*.png)</translation>
    </message>
</context>
<context>
    <name>WelcomeDialog</name>
    <message>
        <source>Welcome to CallShield</source>
        <translation>欢迎使用 CallShield</translation>
    </message>
    <message>
        <source>What CallShield does and cannot do</source>
        <translation>CallShield 能做什么、不能做什么</translation>
    </message>
    <message>
        <source>Pick the caller&apos;s video…</source>
        <translation>选择对方的视频画面…</translation>
    </message>
    <message>
        <source>Try the demo</source>
        <translation>看看演示</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>以后再说</translation>
    </message>
    <message>
        <source>CallShield watches your caller&apos;s video for AI face swaps</source>
        <translation>CallShield 帮您留意视频通话中对方的脸是不是AI换脸</translation>
    </message>
    <message>
        <source>Criminals use real-time face-swap software to appear on video calls as someone you trust — a relative, your boss, your bank. CallShield looks at the part of your screen where the caller&apos;s video is shown, on this computer only (no video leaves it), and warns you when the face may be swapped.</source>
        <translation>骗子会用实时换脸软件，在视频通话里冒充您信任的人 — 亲人、领导、银行工作人员。CallShield 只在这台电脑上查看屏幕上显示对方视频的那一块（视频不会传出去），当对方的脸可能是换脸时提醒您。</translation>
    </message>
    <message>
        <source>What it cannot do:</source>
        <translation>它做不到的事：</translation>
    </message>
    <message>
        <source>it cannot prove that someone is real or who they say they are. It can miss a face swap, and a caller can be a fraud without one: a quiet CallShield is not a guarantee.</source>
        <translation>它不能证明对方是真人，也不能证明对方就是他自己说的那个人。它可能漏掉换脸，骗子也可能根本不用换脸：CallShield 没有报警，不代表一定安全。</translation>
    </message>
    <message>
        <source>If you see the warning:</source>
        <translation>如果看到警告：</translation>
    </message>
    <message>
        <source>do not send money or share codes. End the call and call back on a number you already know — not one given in the call.</source>
        <translation>不要转账，也不要把任何验证码告诉对方。请挂断电话，再用您自己原本就知道的号码回拨 — 不要用通话里对方给的号码。</translation>
    </message>
    <message>
        <source>Next, drag a rectangle around the caller&apos;s video (or use the arrow keys and Enter). You can pick it again at any time with Ctrl+R.</source>
        <translation>下一步：用鼠标在对方的视频画面周围拖出一个方框（也可以用方向键和回车键）。以后随时可以按 Ctrl+R 重新选择。</translation>
    </message>
</context>
<context>
    <name>Worker</name>
    <message>
        <source>the monitor stopped after an internal error: {error}</source>
        <translation>监测因为内部错误停止了：{error}</translation>
    </message>
    <message>
        <source>model not loaded — {error}</source>
        <translation>模型没有加载 — {error}</translation>
    </message>
    <message>
        <source>the GPU ran out of memory: running on the CPU</source>
        <translation>显卡内存不足：现在用处理器(CPU)运行</translation>
    </message>
    <message>
        <source>the GPU ran out of memory: switching to the CPU…</source>
        <translation>显卡内存不足：正在改用处理器(CPU)…</translation>
    </message>
    <message>
        <source>cannot capture the region: {error}</source>
        <translation>无法截取这个区域：{error}</translation>
    </message>
    <message>
        <source>screen capture failed: {error}</source>
        <translation>截取屏幕失败：{error}</translation>
    </message>
</context>
</TS>
