"""One message catalogue for everything people read: report text (headings, labels, table headers, chart
labels), the command line (help, messages, argparse's words), the errors users meet first, and the loader's
reasons and ledger notes (``dq.*``: their English text is the code the loader writes; see
:mod:`kpt_audit.load.texts`).

A check's own texts (title, condition, detail templates) are registered with
the check and read from its :class:`~kpt_audit.checks.registry.Check` object
(``all_checks()[id].title[lang]``), so this module depends on nothing above it.
"""
from __future__ import annotations

LANGS = ("zh", "en")

CATALOGUE: dict[str, dict[str, str]] = {
    "unassigned_county": {"zh": "未指定", "en": "Unassigned"},
    "severity.high": {"zh": "高", "en": "High"},
    "severity.medium": {"zh": "中", "en": "Medium"},
    "severity.low": {"zh": "低", "en": "Low"},
    "area.execution": {"zh": "计划执行", "en": "Plan execution"},
    "area.procedure": {"zh": "基本建设程序", "en": "Construction procedure"},
    "area.procurement": {"zh": "招标采购", "en": "Procurement"},
    "area.cost": {"zh": "投资控制与资金支付", "en": "Cost control and payments"},
    "area.performance": {"zh": "绩效", "en": "Performance"},
    "area.subsidies": {"zh": "财政专项扶持资金", "en": "Special support funds"},
    "area.commitments": {"zh": "公开承诺与行政效能", "en": "Commitments and efficiency"},
    "area.data": {"zh": "数据质量", "en": "Data quality"},
    # --- report: headings, headline cards, table headers, chart labels (kpt_audit.report) ---
    "report.title": {"zh": "{county} 政府投资回头望审计报告", "en": "{county}: look-back audit of government investment"},
    "report.subtitle": {"zh": "审计基准日 {as_of}", "en": "As of {as_of}"},
    # the HTML pages' <title>: a county's (after its name), the roll-up's
    "page.county": {"zh": "回头望审计报告", "en": "look-back audit report"},
    "page.rollup": {"zh": "回头望审计 汇总", "en": "Look-back audit: all counties"},
    "page.ocds": {"zh": "OCDS 审计报告", "en": "OCDS audit report"},
    "page.ocds_rollup": {"zh": "OCDS 审计 汇总", "en": "OCDS audit: all counties"},
    "rollup.title": {"zh": "政府投资回头望审计汇总", "en": "Look-back audit of government investment: all counties"},
    "section.headline": {"zh": "主要指标", "en": "Headline figures"},
    "section.exe": {"zh": "计划执行统计表", "en": "Plan execution tables"},
    "section.exe_by_county": {"zh": "按县区", "en": "By county"},
    "section.exe_by_fund_year": {"zh": "按资金下达年度", "en": "By fund year"},
    "section.delay_reasons": {"zh": "未开工/滞后原因", "en": "Reasons for delay"},
    "section.unstarted_by_fund_year": {"zh": "未开工项目（按资金下达年度）", "en": "Unstarted projects by fund year"},
    "section.area": {"zh": "{area}（{count} 条）", "en": "{area} ({count})"},
    "section.methodology": {"zh": "方法说明", "en": "Methodology"},
    "section.charts": {"zh": "图表", "en": "Charts"},
    "section.not_found_again": {"zh": "本期未再发现的问题（待核实）", "en": "Findings not found again (to be verified)"},
    "section.not_run": {"zh": "未运行的检查", "en": "Checks not run"},
    "section.by_project": {"zh": "按项目汇总（一个项目一行）", "en": "By project (one row per project)"},
    # the counts are the whole run's (every county together): not_run.csv's, which a county's page shows as such
    "section.partly_judged": {"zh": "部分对象未能判定的检查（本县区的对象数）",
                              "en": "Checks that could not judge every entity (this county's entities)"},
    "section.ledger": {"zh": "数据质量台账", "en": "Data-quality ledger"},
    "section.amounts": {"zh": "涉及金额（按检查项分列：各项金额口径不同，不相加）",
                        "en": "Amounts at issue, by check (each check's amount means something else: not added up)"},
    "note.no_amounts": {"zh": "本期问题均不计金额。", "en": "No finding carries an amount."},
    "col.meaning": {"zh": "金额口径", "en": "What the amount is"},
    "section.comparison": {"zh": "各县区主要指标对比", "en": "Counties side by side"},
    "section.matrix": {"zh": "县区 × 领域问题矩阵", "en": "County x area matrix"},
    "section.ranking": {"zh": "县区排名", "en": "Ranking"},
    "section.since_previous": {"zh": "与上期相比", "en": "Since the previous run"},
    "section.reports": {"zh": "各县区报告", "en": "County reports"},
    "note.none": {"zh": "无", "en": "None"},
    "col.total": {"zh": "合计", "en": "Total"},
    "note.no_findings": {"zh": "本领域未发现问题。", "en": "No findings in this area."},
    "note.masked": {"zh": "个人信息（身份证号、手机号、账号、自然人姓名）已脱敏。",
                    "en": "Personal data (ID and phone numbers, accounts, names of natural persons) is masked."},
    "note.unmasked": {"zh": "本报告含未脱敏的个人信息（运行时指定了 --show-personal-data），仅供内部使用，请勿外传。",
                      "en": "This report shows personal data unmasked (the run was given --show-personal-data): "
                            "for internal use only, do not pass it on."},
    "note.ledger_scope": {"zh": "下表为本次读入的全部数据文件（各县区共用），不限于本县区。",
                          "en": "The table covers every data file read for this run (shared by all counties), not "
                                "this county's rows alone."},
    "note.ranking_order": {"zh": "按本期问题数由多到少排列（第 1 名问题最多），不计核实为不属实和本期未再发现的问题；"
                                 "未指定县区的问题不参与排名。",
                           "en": "Ranked by this period's findings, most first (rank 1 has the most); findings dismissed "
                                 "on verification or not found again are not counted, nor ranked those with no county."},
    "note.areas_not_examined": {"zh": "以下领域的检查均未运行（所需的表或列缺失），表中不列，不能视为没有问题：{areas}。",
                                "en": "None of the checks of these areas ran (the tables or columns they need are "
                                      "missing), so they are not in the table and are no sign of a clean area: {areas}."},
    "note.area_not_run": {"zh": "本领域的检查均未运行（缺少所需的表或列，原因见下方方法说明），不能据此认为本领域没有问题。",
                          "en": "None of this area's checks ran (the tables or columns they need are missing; the "
                                "reasons are in the methodology below): this is no sign that the area is clean."},
    "note.no_findings_some_not_run": {"zh": "已运行的检查未发现问题；本领域有 {n} 项检查未运行（{ids}，原因见下）。",
                                      "en": "The checks that ran found nothing; {n} of this area's checks did not run "
                                            "({ids}; the reasons are below)."},
    "note.all_ran": {"zh": "全部检查均已运行。", "en": "Every check ran."},
    "note.no_metric": {"zh": "数据不足，未生成此表。", "en": "Not enough data for this table."},
    "note.no_chart_data": {"zh": "数据不足，未绘制：{chart}", "en": "Not enough data to draw: {chart}"},
    "note.no_ledger": {"zh": "无数据质量台账（数据未经装载程序读取）。", "en": "No ledger (data not read by the loader)."},
    "note.not_run_in_area": {"zh": "未运行：{reason}", "en": "Not run: {reason}"},
    "note.partly_judged_in_area": {"zh": "本县区{entities}个对象未能判定（缺少所需日期、不在规则适用期间内或所需数值无法识别），"
                                         "未列为问题",
                                   "en": "{entities} entities of this county not judged (no event date, none of the "
                                         "rule's periods applies, or a value it needs could not be read); none of them "
                                         "is a finding"},
    "note.amount": {"zh": "金额口径", "en": "Amount"},
    "note.params": {"zh": "参数", "en": "Parameters"},
    "note.condition": {"zh": "判定条件", "en": "Finding when"},
    "note.basis": {"zh": "依据", "en": "Basis"},
    "note.failed": {"zh": "失败", "en": "failed"},
    "note.timeout": {"zh": "超时", "en": "timed out"},
    "note.report_missing": {"zh": "报告未生成", "en": "no report"},
    "note.units": {"zh": "金额单位：万元；比率单位：%。", "en": "Amounts in 10k yuan (万元); rates in %."},
    "headline.projects": {"zh": "项目数", "en": "Projects"},
    "headline.start_rate": {"zh": "开工率", "en": "Start rate"},
    "headline.completion_rate": {"zh": "年度投资完成率", "en": "Annual completion"},
    "headline.cumulative_completion": {"zh": "累计投资完成率", "en": "Cumulative completion"},
    "headline.payment_rate": {"zh": "资金支付率", "en": "Payment rate"},
    "headline.idle_funds": {"zh": "沉淀资金（万元）", "en": "Idle funds (10k yuan)"},
    "headline.findings": {"zh": "问题数", "en": "Findings"},
    "headline.not_found_again": {"zh": "本期未再发现", "en": "Not found again"},
    "col.finding_id": {"zh": "编号", "en": "ID"},
    "col.finding_no": {"zh": "问题编号", "en": "No."},
    "col.project_name": {"zh": "项目名称", "en": "Project name"},
    "col.entity_name": {"zh": "对象名称", "en": "Entity name"},
    "col.cause": {"zh": "未再发现原因", "en": "Cause"},
    "col.check_id": {"zh": "检查项", "en": "Check"},
    "col.area": {"zh": "领域", "en": "Area"},
    "col.severity": {"zh": "严重程度", "en": "Severity"},
    "col.county": {"zh": "县区", "en": "County"},
    "col.project_id": {"zh": "项目编码", "en": "Project"},
    "col.entity_type": {"zh": "对象类型", "en": "Entity type"},
    "col.entity_id": {"zh": "对象编码", "en": "Entity"},
    "col.amount": {"zh": "金额(万元)", "en": "Amount (10k yuan)"},
    "col.title": {"zh": "问题", "en": "Finding"},
    "col.detail": {"zh": "详情", "en": "Detail"},
    "col.basis": {"zh": "依据", "en": "Basis"},
    "col.status": {"zh": "状态", "en": "Status"},
    "col.reason": {"zh": "原因", "en": "Reason"},
    "col.entities": {"zh": "未判定对象数", "en": "Entities not judged"},
    "col.titles": {"zh": "问题（编号）", "en": "Findings (numbers)"},
    "col.projects": {"zh": "项目数", "en": "Projects"},
    "col.started": {"zh": "已开工", "en": "Started"},
    "col.start_rate": {"zh": "开工率(%)", "en": "Start rate (%)"},
    "col.annual_plan": {"zh": "年度计划投资(万元)", "en": "Annual plan (10k yuan)"},
    "col.completed_ytd": {"zh": "年度完成投资(万元)", "en": "Completed this year (10k yuan)"},
    "col.annual_completion": {"zh": "年度计划完成率(%)", "en": "Annual completion (%)"},
    "col.total_investment": {"zh": "计划总投资(万元)", "en": "Total investment (10k yuan)"},
    "col.completed_total": {"zh": "累计完成投资(万元)", "en": "Completed in total (10k yuan)"},
    "col.cumulative_completion": {"zh": "累计完成率(%)", "en": "Cumulative completion (%)"},
    "col.allocated": {"zh": "下达资金(万元)", "en": "Allocated (10k yuan)"},
    "col.paid": {"zh": "已支付(万元)", "en": "Paid (10k yuan)"},
    "col.payment_rate": {"zh": "支付率(%)", "en": "Payment rate (%)"},
    "col.idle_funds": {"zh": "沉淀资金(万元)", "en": "Idle funds (10k yuan)"},
    "col.fund_year": {"zh": "资金下达年度", "en": "Fund year"},
    "col.central": {"zh": "中央资金(万元)", "en": "Central funds (10k yuan)"},
    "col.provincial": {"zh": "省级资金(万元)", "en": "Provincial funds (10k yuan)"},
    "col.file": {"zh": "文件", "en": "File"},
    "col.rows_in": {"zh": "读入行数", "en": "Rows in"},
    "col.rows_loaded": {"zh": "载入行数", "en": "Rows loaded"},
    "col.rows_rejected": {"zh": "拒收行数", "en": "Rows rejected"},
    "col.notes": {"zh": "说明", "en": "Notes"},
    "col.findings": {"zh": "问题数", "en": "Findings"},
    "col.rank": {"zh": "排名", "en": "Rank"},
    "col.high": {"zh": "高", "en": "High"},
    "col.medium": {"zh": "中", "en": "Medium"},
    "col.low": {"zh": "低", "en": "Low"},
    "col.not_found_again": {"zh": "本期未再发现", "en": "Not found again"},
    "col.persisting": {"zh": "本期仍发现", "en": "Persisting"},
    "col.new": {"zh": "新发现", "en": "New"},
    "col.report": {"zh": "报告", "en": "Report"},
    "col.run_status": {"zh": "运行状态", "en": "Run status"},
    "status.new": {"zh": "新发现", "en": "new"},
    # a run's status says whether it found the finding again, never whether it was rectified (the register's)
    "status.persisting": {"zh": "本期仍发现", "en": "persisting"},
    "status.not_found_again": {"zh": "本期未再发现（待核实）", "en": "not found again (to be verified)"},
    "cause.cleared": {"zh": "对象仍在，问题条件已不成立", "en": "entity still there, condition no longer holds"},
    "cause.entity_missing": {"zh": "对象已不在本期数据中", "en": "entity no longer in the data"},
    "entity_type.project": {"zh": "项目", "en": "project"},
    "entity_type.tender": {"zh": "招标", "en": "tender"},
    "entity_type.tender_group": {"zh": "招标（一组）", "en": "group of tenders"},
    "entity_type.contract": {"zh": "合同", "en": "contract"},
    "entity_type.payment": {"zh": "付款", "en": "payment"},
    "entity_type.application": {"zh": "扶持资金申报", "en": "application"},
    "entity_type.account_group": {"zh": "共用账户的申报（一组）", "en": "applications sharing an account"},
    "entity_type.buyer_group": {"zh": "采购人同年同类采购（一组）", "en": "one buyer's purchases of a kind in a year"},
    "entity_type.commitment": {"zh": "承诺事项", "en": "commitment"},
    "entity_type.target": {"zh": "绩效目标", "en": "performance target"},
    "entity_type.supplier": {"zh": "供应商", "en": "supplier"},
    "entity_type.county": {"zh": "县区", "en": "county"},
    "entity_type.cell": {"zh": "数据单元格", "en": "data cell"},
    "reason.land": {"zh": "用地", "en": "land"},
    "reason.preliminary": {"zh": "前期工作", "en": "preliminary work"},
    "reason.funding": {"zh": "资金", "en": "funding"},
    "reason.environment": {"zh": "环保", "en": "environment"},
    "reason.other": {"zh": "其他", "en": "other"},
    "chart.by_area": {"zh": "各领域问题数（按严重程度）", "en": "Findings by area and severity"},
    "chart.count": {"zh": "问题数", "en": "Findings"},
    "chart.severity": {"zh": "严重程度", "en": "Severity"},
    "chart.progress": {"zh": "年度投资完成进度与时间进度", "en": "Plan progress vs elapsed time"},
    "chart.progress_x": {"zh": "项目（按完成比例排序）", "en": "Projects (ordered by progress)"},
    "chart.progress_y": {"zh": "年度完成投资 / 年度计划投资", "en": "Completed this year / annual plan"},
    "chart.elapsed": {"zh": "时间进度 {share}", "en": "Elapsed share of the year {share}"},
    "chart.behind_line": {"zh": "欠进度线（{factor} × 时间进度）", "en": "Behind-schedule line ({factor} x elapsed)"},
    "chart.on_track": {"zh": "未欠进度", "en": "On track"},
    "chart.behind": {"zh": "欠进度", "en": "Behind"},
    "chart.idle_ageing": {"zh": "沉淀资金账龄（按最早下达日期）", "en": "Idle funds by age of allocation"},
    "chart.age_band": {"zh": "账龄", "en": "Age"},
    "chart.amount_wan": {"zh": "金额（万元）", "en": "Amount (10k yuan)"},
    "chart.age.0": {"zh": "1年以内", "en": "< 1 year"},
    "chart.age.1": {"zh": "1-2年", "en": "1-2 years"},
    "chart.age.2": {"zh": "2-3年", "en": "2-3 years"},
    "chart.age.3": {"zh": "3年以上", "en": "3 years +"},
    "chart.benford": {"zh": "支付金额首位数字分布（本福特定律，n = {n}）", "en": "First digits of payments (Benford, n = {n})"},
    "chart.benford_not_judged": {"zh": "支付笔数少于{min_n}笔，未作本福特判定（仅供参考）",
                                 "en": "fewer than {min_n} payments: not judged against Benford (for reference only)"},
    "chart.digit": {"zh": "首位数字", "en": "First digit"},
    "chart.share": {"zh": "占比", "en": "Share"},
    "chart.observed": {"zh": "实际", "en": "Observed"},
    "chart.expected": {"zh": "本福特期望值", "en": "Benford expected"},
    "chart.suppliers": {"zh": "供应商合同额集中度（前 {top} 名）", "en": "Supplier concentration (top {top})"},
    "chart.supplier_share": {"zh": "占本县合同总额比例", "en": "Share of the county's contract value"},
    "chart.name.benford": {"zh": "本福特首位数字图", "en": "Benford first-digit chart"},
    "chart.name.suppliers": {"zh": "供应商集中度", "en": "Supplier concentration"},
    "chart.heatmap_count": {"zh": "问题数：县区 × 领域", "en": "Findings: county x area"},
    "chart.ranking": {"zh": "县区问题数排名", "en": "Counties ranked by findings"},
    # --- the JupyterLab explorer (kpt_audit.report.explore) ---
    "explore.all": {"zh": "全部", "en": "All"},
    "explore.summary": {"zh": "筛选出 {shown} 条问题（共 {total} 条）：高 {high} 条、中 {medium} 条、低 {low} 条；"
                              "涉及 {counties} 个县区、{projects} 个项目",
                        "en": "{shown} of {total} findings: {high} high, {medium} medium, {low} low; "
                              "{counties} counties, {projects} projects"},
    "explore.truncated": {"zh": "下表列出前 {n} 条，请用筛选缩小范围。",
                          "en": "The table lists the first {n}; narrow the filters to see the rest."},
    "explore.pick": {"zh": "选择一条问题查看详情及来源数据：", "en": "Pick a finding for its detail and source rows:"},
    "explore.rows": {"zh": "{table}（{n} 行）", "en": "{table} ({n} rows)"},
    "explore.export": {"zh": "导出所选到 Excel", "en": "Export selection to Excel"},
    "explore.export_tip": {"zh": "把筛选出的问题（含项目名称、对象名称）写入运行文件夹中的 Excel 工作簿，个人信息已脱敏",
                           "en": "Write the filtered findings (with project and entity names) to a workbook in the "
                                 "run's folder, personal data masked"},
    "explore.exported": {"zh": "已导出 {n} 条问题：{path}", "en": "{n} findings exported to {path}"},
    "explore.no_out_dir": {"zh": "未指定运行文件夹（out_dir），无法导出",
                           "en": "No run folder (out_dir) given: nothing can be exported"},
    "explore.file": {"zh": "所选问题", "en": "selection"},
    "explore.register.title": {"zh": "核实与整改（写入整改台账）",
                               "en": "Verification and rectification (written to the register)"},
    "explore.register.save": {"zh": "保存到整改台账", "en": "Save to the register"},
    "explore.register.saved": {"zh": "已保存：{finding_no}（操作人 {by}）", "en": "Saved: {finding_no} (by {by})"},
    "explore.register.unchanged": {"zh": "没有改动，未写入", "en": "Nothing changed; nothing written"},
    "explore.register.missing": {"zh": "此问题不在整改台账中（先用 --register 运行）",
                                 "en": "This finding is not in the register (run with --register first)"},
    "table.search": {"zh": "搜索：", "en": "Search:"},
    "table.length_menu": {"zh": "每页 _MENU_ 条", "en": "_MENU_ entries per page"},
    "table.info": {"zh": "第 _START_ 至 _END_ 条，共 _TOTAL_ 条", "en": "Showing _START_ to _END_ of _TOTAL_ entries"},
    "table.info_empty": {"zh": "共 0 条", "en": "Showing 0 to 0 of 0 entries"},
    "table.info_filtered": {"zh": "（从 _MAX_ 条中筛选）", "en": "(filtered from _MAX_ total entries)"},
    "table.zero_records": {"zh": "没有匹配的记录", "en": "No matching records found"},
    "table.empty": {"zh": "无数据", "en": "No data available in table"},
    "sheet.summary": {"zh": "汇总", "en": "Summary"},
    "sheet.amounts": {"zh": "涉及金额（按检查项）", "en": "Amounts by check"},
    "print.page": {"zh": "第 {page} 页，共 {pages} 页", "en": "Page {page} of {pages}"},
    "word.findings_title": {"zh": "{county}政府投资回头望审计发现（征求意见稿）",
                            "en": "{county}: findings of the look-back audit of government investment (draft)"},
    "word.evidence_title": {"zh": "{county}审计取证单", "en": "{county}: evidence sheets"},
    "word.amount_note": {"zh": "以下按检查项分列；各检查项的金额口径不同，不相加。",
                         "en": "By check: each check's amount means something else, so they are not added up."},
    "word.evidence_rule": {"zh": "问题对象本身的数据行、引用该对象的数据行、问题明细所引编号的数据行及所属项目的数据行；"
                                 "审计基准日以后的数据行不计",
                           "en": "the entity's own rows, rows referring to it, rows whose ids the finding quotes and "
                                 "its project's rows; rows dated after the audit date left out"},
    "word.more_rows": {"zh": "{table}共 {matched} 行，摘录前 {shown} 行", "en": "{table}: first {shown} of {matched} rows"},
    "word.sheet": {"zh": "工作表 {sheet}", "en": "sheet {sheet}"},
    "word.row": {"zh": "第 {row} 行", "en": "row {row}"},
    "print.running_header": {"zh": "{title} · 审计基准日 {as_of}", "en": "{title} · as of {as_of}"},
    "font.missing": {"zh": "未找到中文字体", "en": "no CJK font found"},
    # --- command line (kpt_audit.cli): help texts, what it prints, argparse's own words ---
    "cli.description": {"zh": "政府投资回头望审计：读入各县区台账，运行审计检查，生成报告。",
                        "en": "Look-back (回头望) audits of government investment."},
    "cli.epilog": {"zh": "界面语言默认为中文；加 --lang en 或设环境变量 KPT_AUDIT_LANG=en 改为英文。"
                         "各子命令的说明：kpt-audit 子命令 -h",
                   "en": "Chinese by default; --lang en or the environment variable KPT_AUDIT_LANG=en for "
                         "English. Help of a sub-command: kpt-audit COMMAND -h"},
    "cli.commands": {"zh": "子命令", "en": "commands"},
    "cli.opt.debug": {"zh": "出错时显示程序的完整调用栈（供开发人员排查）", "en": "show tracebacks"},
    "cli.opt.lang": {"zh": "界面语言：zh（中文，默认）或 en（英文）；也可用环境变量 KPT_AUDIT_LANG 设定",
                     "en": "language of help and messages: zh (Chinese, the default) or en (English); also "
                           "the environment variable KPT_AUDIT_LANG"},
    "cli.metavar.data": {"zh": "数据文件夹", "en": "DATA"},
    "cli.metavar.out": {"zh": "输出文件夹", "en": "OUT"},
    "cli.metavar.file": {"zh": "文件", "en": "FILE"},
    "cli.metavar.date": {"zh": "日期", "en": "DATE"},
    "cli.metavar.county": {"zh": "县区", "en": "COUNTY"},
    "cli.metavar.n": {"zh": "数量", "en": "N"},
    "cli.metavar.seconds": {"zh": "秒数", "en": "SECONDS"},
    "cli.metavar.folder": {"zh": "文件夹", "en": "DIR"},
    "cli.metavar.path": {"zh": "路径", "en": "PATH"},
    "cli.metavar.register": {"zh": "登记簿", "en": "REGISTER"},
    "cli.metavar.address": {"zh": "地址", "en": "ADDRESS"},
    "cli.metavar.lang": {"zh": "语言", "en": "LANG"},
    "cli.opt.data": {"zh": "数据文件夹：每张表一个文件（csv、xlsx 或 parquet）",
                     "en": "the data folder: one file per table (csv, xlsx or parquet)"},
    "cli.opt.out": {"zh": "输出文件夹", "en": "the output folder"},
    "cli.opt.params": {"zh": "参数文件（YAML）：检查参数、审计基准日、表头别名和金额单位",
                       "en": "a params file (YAML): check parameters, audit date, header aliases and units"},
    "cli.opt.as_of": {"zh": "审计基准日，如 {formats}；参数文件未设定 as_of 时必须给出",
                      "en": "audit date (审计基准日), e.g. {formats}; required unless the params file sets as_of"},
    "cli.opt.county": {"zh": "只审计这个县区（可重复给出）", "en": "audit only this county (may be repeated)"},
    "cli.opt.show_personal_data": {"zh": "不遮蔽身份证号、电话、账号和姓名", "en":
                                   "do not mask ID numbers, phones, accounts, names"},
    "cli.synth.help": {"zh": "生成一套预置了异常的模拟数据（预置答案写在 truth.csv）",
                       "en": "write a synthetic dataset with planted anomalies and truth.csv"},
    "cli.synth.counties": {"zh": "县区数（默认 8）", "en": "number of counties (default 8)"},
    "cli.synth.projects": {"zh": "各县区合计的项目数（默认按县区数确定）", "en": "total projects across counties"},
    "cli.synth.seed": {"zh": "随机数种子（默认 0）", "en": "random seed (default 0)"},
    "cli.synth.as_of": {"zh": "模拟数据的基准日（默认 2020-09-25）",
                        "en": "the generated data's date (default 2020-09-25)"},
    "cli.synth.format": {"zh": "文件格式：csv 或 parquet（默认 csv）", "en": "file format (default csv)"},
    "cli.synth.style": {"zh": "plain：英文表头、金额以元计（测试所用）；auditor：与审计机关的台账一样（中文表头、万元、"
                              "项目台账.xlsx），预置答案写在 <输出文件夹>_truth",
                        "en": "plain: English headers and 元, as the tests use; auditor: as the demo's ledgers look "
                              "(Chinese headers, 万元, 项目台账.xlsx), the truth in <out>_truth"},
    "cli.validate.help": {"zh": "读入并校验数据，打印数据质量台账和每一条拒收、警告",
                          "en": "load and validate a dataset; print the data-quality ledger"},
    "cli.check.help": {"zh": "只运行审计检查，写出问题清单和统计指标", "en": "run the checks only; write findings and metrics"},
    "cli.run.help": {"zh": "运行审计检查，再为每个县区生成 HTML 报告，并生成汇总报告和 Excel 工作簿",
                     "en": "checks, then one HTML report per county, the roll-up and the Excel workbook"},
    "cli.run.jobs": {"zh": "同时生成报告的县区数（默认：处理器核数）",
                     "en": "parallel county notebooks (default: number of cores)"},
    "cli.run.timeout": {"zh": "每个县区报告的时限，单位秒（默认 600）", "en": "seconds per county (default 600)"},
    "cli.run.previous": {"zh": "上次运行的输出文件夹：把问题标为新发现、本期仍发现或本期未再发现（附原因）",
                         "en": "folder of an earlier run: mark findings new/persisting/not found again (with the "
                               "cause)"},
    "cli.run.resume": {"zh": "只重做输入或输出有变化的县区", "en": "redo only counties whose inputs or outputs changed"},
    "cli.opt.register": {"zh": "跨次运行的问题登记簿：一个文件（SQLite，不存在时新建）或 postgresql:// 地址",
                         "en": "a register of findings across runs: a file (SQLite, created when missing) or a "
                               "postgresql:// URL"},
    "cli.run.scheduler": {"zh": "已有 Dask 调度器的地址（tcp://主机:端口）：按县区分区的检查和各县区报告在其工作节点上运行，输出写在本机",
                          "en": "address of an existing Dask scheduler (tcp://HOST:PORT): the checks (county "
                                "partition by partition) and the county reports run on its workers, outputs are "
                                "written here"},
    "cli.check.scheduler": {"zh": "已有 Dask 调度器的地址（tcp://主机:端口）：按县区分区的检查在其工作节点上运行，输出写在本机",
                            "en": "address of an existing Dask scheduler (tcp://HOST:PORT): the checks run county "
                                  "partition by partition on its workers, outputs are written here"},
    "cli.demo.help": {"zh": "生成示范市的数据并完整运行一遍", "en": "build the demo city and run it end to end"},
    "cli.demo.out": {"zh": "输出文件夹（默认 outputs/demo）", "en": "the output folder (default outputs/demo)"},
    "cli.ocds.help": {"zh": "读入 OCDS 采购数据，运行招标采购检查和 OCP 风险指标",
                      "en": "read OCDS procurement data, run the procurement checks and OCP's red flags"},
    "cli.ocds.path": {"zh": "OCDS 文件或文件夹（JSON Lines 格式的已编译发布，或发布包、记录包）",
                      "en": "a file or folder of OCDS (JSON Lines of compiled releases, release or record packages)"},
    "cli.ocds.settings": {"zh": "cardinal-rs 设置文件（INI）：选用哪些指标、阈值和排除项",
                          "en": "a cardinal-rs settings file (INI): which indicators, thresholds, exclusions"},
    "cli.ocds.county_map": {"zh": "把采购人或地区对应到县区的 YAML 文件（默认：县区即采购人）",
                            "en": "YAML mapping buyers or regions to counties (default: county = buyer)"},
    "cli.ocds.no_html": {"zh": "不生成 HTML 报告", "en": "write no HTML reports"},
    "cli.checks.help": {"zh": "列出全部审计检查", "en": "list every check"},
    "cli.checks.json": {"zh": "以 JSON 格式输出（含中英文）", "en": "print JSON (both languages)"},
    "cli.checks.parameters": {"zh": "参数", "en": "parameters"},
    "cli.checks.basis": {"zh": "依据", "en": "basis"},
    "cli.checks.inputs": {"zh": "读取", "en": "inputs"},
    "cli.checks.optional": {"zh": "可选", "en": "optional"},
    "cli.checks.condition": {"zh": "判定条件", "en": "finding when"},
    "cli.checks.no_parameters": {"zh": "无", "en": "-"},
    "cli.as_of_line": {"zh": "审计基准日 {date} (来源: {source})", "en": "Audit date {date} (source: {source})"},
    "cli.as_of_source.demo": {"zh": "示范数据", "en": "demo"},
    "cli.synth_done": {"zh": "模拟数据已写入 {path}", "en": "synthetic dataset written to {path}"},
    "cli.synth_more_projects": {"zh": "注意：--projects {asked} 少于预置异常所需：预置案例占 {planted} 个项目，每个县区另有至少 3 个，"
                                      "因此写出的项目不少于 {least} 个",
                                "en": "note: --projects {asked} is fewer than the planted cases need: they hold {planted} "
                                      "projects and each county has at least 3 more, so at least {least} were written"},
    "cli.demo_data": {"zh": "示范数据已写入 {path}", "en": "demo data written to {path}"},
    "cli.check_done": {"zh": "发现问题 {n} 条（高 {high}、中 {medium}、低 {low}）；未运行的检查 {not_run} 项，"
                             "部分对象未能判定的检查 {partly} 项；已写入 {out}",
                       "en": "{n} findings (high {high}, medium {medium}, low {low}); {not_run} checks not run, "
                             "{partly} partly judged; written to {out}"},
    "cli.some_failed": {"zh": "部分县区的报告未生成（{names}）：见 manifest.json 和索引页",
                        "en": "some counties failed ({names}): see manifest.json and the index"},
    "cli.index": {"zh": "索引页：{path}", "en": "index: {path}"},
    "cli.progress": {"zh": "报告", "en": "reports"},
    "cli.progress_unit": {"zh": "县", "en": "county"},
    "cli.status.ok": {"zh": "完成", "en": "ok"},
    "cli.status.failed": {"zh": "失败", "en": "failed"},
    "cli.status.timeout": {"zh": "超时", "en": "timeout"},
    "cli.ocds_reported": {"zh": "已记录：{file}（第 {line} 行）：{reason}", "en": "reported: {file} (line {line}): {reason}"},
    "cli.ocds_failed_reports": {"zh": "以下县区的报告未生成：{names}（见 manifest.json）",
                                "en": "reports not made for {names}: see manifest.json"},
    "cli.ocds_done": {"zh": "{n} 条问题已写入 {out}", "en": "{n} findings written to {out}"},
    "cli.jobs_min": {"zh": "--jobs 至少为 1", "en": "--jobs must be at least 1"},
    "cli.timeout_positive": {"zh": "--timeout 必须大于 0", "en": "--timeout must be positive"},
    "cli.bad_lang": {"zh": "{source} {value!r}：语言只能是 zh（中文）或 en（英文）",
                     "en": "{source} {value!r}: the language is zh or en"},
    "cli.error": {"zh": "kpt-audit: {message}", "en": "kpt-audit: {message}"},
    "cli.bad_data": {"zh": "kpt-audit: 数据有误：{message}", "en": "kpt-audit: bad data: {message}"},
    "cli.interrupted": {"zh": "kpt-audit: 已中断", "en": "kpt-audit: interrupted"},
    "cli.internal": {"zh": "kpt-audit: 程序内部错误（{kind}: {first}）。输入文件夹未被改动；请加 --debug 重新运行，"
                           "查看详情并报告。",
                     "en": "kpt-audit: internal error ({kind}: {first}). Nothing was changed in the input folder; "
                           "rerun with --debug for the details and report them."},
    # argparse's own words (its gettext message ids), answered in the command line's language
    "argparse.usage: ": {"zh": "用法：", "en": "usage: "},
    "argparse.positional arguments": {"zh": "位置参数", "en": "positional arguments"},
    "argparse.options": {"zh": "选项", "en": "options"},
    "argparse.show this help message and exit": {"zh": "显示本帮助并退出", "en": "show this help message and exit"},
    "argparse.%(prog)s: error: %(message)s\n": {"zh": "%(prog)s：参数错误：%(message)s\n",
                                                "en": "%(prog)s: error: %(message)s\n"},
    "argparse.the following arguments are required: %s": {"zh": "缺少必需的参数：%s",
                                                           "en": "the following arguments are required: %s"},
    "argparse.unrecognized arguments: %s": {"zh": "无法识别的参数：%s", "en": "unrecognized arguments: %s"},
    "argparse.argument %(argument_name)s: %(message)s": {"zh": "参数 %(argument_name)s：%(message)s",
                                                         "en": "argument %(argument_name)s: %(message)s"},
    "argparse.invalid choice: %(value)r (choose from %(choices)s)": {
        "zh": "无效的选项 %(value)r（可选：%(choices)s）", "en": "invalid choice: %(value)r (choose from %(choices)s)"},
    "argparse.invalid %(type)s value: %(value)r": {"zh": "无效的值 %(value)r（应为 %(type)s）",
                                                   "en": "invalid %(type)s value: %(value)r"},
    "argparse.expected one argument": {"zh": "需要一个值", "en": "expected one argument"},
    "argparse.ambiguous option: %(option)s could match %(matches)s": {
        "zh": "选项 %(option)s 有歧义，可能是 %(matches)s", "en": "ambiguous option: %(option)s could match %(matches)s"},
    "argparse.ignored explicit argument %r": {"zh": "多余的参数值 %r 被忽略", "en": "ignored explicit argument %r"},
    "argparse.not allowed with argument %s": {"zh": "不能与参数 %s 同时使用", "en": "not allowed with argument %s"},
    # --- errors a user meets first (kpt_audit.errors: KptAuditError(key=...)); {formats} is as_of_formats ---
    "as_of_formats": {"zh": "2020-09-30、2020/9/30 或 2020年9月30日", "en": "2020-09-30, 2020/9/30 or 2020年9月30日"},
    "err.as_of_option": {"zh": "--as-of {value!r} 不是完整的日期：请写成 {formats}",
                         "en": "--as-of {value!r} is not a full date: write it as {formats}"},
    "err.as_of_argument": {"zh": "审计基准日 {value!r} 不是完整的日期（请写成 {formats}）",
                           "en": "as_of {value!r} is not a full date (write it as {formats})"},
    "err.as_of_file": {"zh": "{path}：as_of {value!r} 不是完整的日期（请写成 {formats}）",
                       "en": "{path}: as_of {value!r} is not a full date (write it as {formats})"},
    "err.missing_as_of": {"zh": "没有审计基准日：请用 --as-of 日期 给出（完整的日期：{formats}），或在参数文件中写 "
                                "'as_of: 2020-09-30' 并用 --params 文件 指定；随附的 params/default.yaml 没有设定。",
                          "en": "no audit date (审计基准日): give it with --as-of DATE (a full date: {formats}) or as "
                                "'as_of: 2020-09-30' in a params file given with --params FILE; the shipped "
                                "params/default.yaml sets none."},
    "err.edited_value": {"zh": "表 {table} 的 {column} 列（{kind}）中有 {count} 个值无法识别，第一个在行标签 {row}：{value!r}。"
                               "检查读取的表应与 load_dataset 读入的一样：修改表后请填入可识别的{kind}（例如用 "
                               "pd.to_numeric、pd.to_datetime），或改正原文件后重新读入。",
                         "en": "table {table}, column {column} ({kind}): {count} value(s) cannot be read, the first at "
                               "row label {row}: {value!r}. The checks read the tables as load_dataset loads them: after "
                               "editing a table, give values of its kind (pd.to_numeric, pd.to_datetime …), or correct "
                               "the file and load it again."},
    "err.unknown_county": {"zh": "数据中没有县区 {counties}（--county）：数据中的县区为 {known}",
                           "en": "unknown county {counties} (--county): the data has {known}"},
    "err.synth_counties": {"zh": "--counties {counties}：请给 4 到 {most} 之间的数（埋设的案例需要两个本福特检验县区、"
                                 "一个小园区和另一个县区；县区名称库有 {most} 个虚构名称）",
                           "en": "--counties {counties}: give 4 to {most} (the planted cases need two Benford counties, "
                                 "a small zone and one more; the name pool has {most} fictional names)"},
    "err.synth_county_names": {"zh": "至少要 4 个县区：两个本福特检验县区、一个小园区和另一个县区",
                               "en": "at least 4 counties: two Benford counties, a small zone and one more"},
    "err.synth_seed": {"zh": "--seed {seed}：请给 0 或更大的整数", "en": "--seed {seed}: give a whole number 0 or more"},
    "err.previous_missing": {"zh": "--previous {previous}：该文件夹中没有 findings.csv（请给出上一次运行的 --out 文件夹）",
                             "en": "--previous {previous}: no findings.csv there (give the folder of an earlier run)"},
    "err.previous_unreadable": {"zh": "--previous：{path} 无法作为上一次运行的问题清单读取（{error}）；请给出上一次运行的 --out 文件夹，"
                                      "其中的 findings.csv 须是本工具写出的原样文件",
                                "en": "--previous: {path} cannot be read as a previous run's findings ({error}); give the "
                                      "--out folder of the previous run, its findings.csv as this tool wrote it"},
    "err.previous_columns": {"zh": "--previous：{path} 缺少列 {columns}，不是本工具写出的问题清单；请给出上一次运行的 --out 文件夹",
                             "en": "--previous: {path} lacks the column(s) {columns}, so it is no findings.csv this tool "
                                   "wrote; give the --out folder of the previous run"},
    "err.previous_and_register": {"zh": "--previous 与 --register 只能给一个：问题台账已记录以前各次运行",
                                  "en": "give --previous or --register, not both: the register already knows the "
                                        "earlier runs"},
    "err.scheduler_address": {"zh": "--scheduler {address}：不是 Dask 调度器地址；请写成 tcp://主机:端口",
                              "en": "--scheduler {address}: not a Dask scheduler address; give it as tcp://HOST:PORT"},
    "err.scheduler_silent": {"zh": "--scheduler {address}：{timeout} 内没有 Dask 调度器应答（{error}）；请先启动调度器"
                                   "（dask scheduler），或给出它的地址 tcp://主机:端口",
                             "en": "--scheduler {address}: no Dask scheduler answered there within {timeout} "
                                   "({error}); start one (dask scheduler) or give its address as tcp://HOST:PORT"},
    "err.scheduler_not_dask": {"zh": "--scheduler {address}：该地址有程序应答，但不是 Dask 调度器（{error}）；请给出调度器的地址"
                                     "（dask scheduler 启动时打印的 tcp://主机:端口，通常端口 8786；8787 是它的网页仪表板）",
                               "en": "--scheduler {address}: something answers there, but not a Dask scheduler ({error}); "
                                     "give the scheduler's address (the tcp://HOST:PORT dask scheduler prints, usually port "
                                     "8786; 8787 is its web dashboard)"},
    "err.county_map_unreadable": {"zh": "县区对照文件 {path} 无法读取：{error}",
                                  "en": "county map {path} cannot be read: {error}"},
    "err.county_map_keys": {"zh": "县区对照文件 {path}：只能有 'buyers' 和/或 'regions' 两个键",
                            "en": "county map {path}: expected the keys 'buyers' and/or 'regions' only"},
    "err.county_map_values": {"zh": "县区对照文件 {path}：'{key_name}' 应把名称对应到县区名称（文本）",
                              "en": "county map {path}: '{key_name}' must map names to county names (text)"},
    "err.ocds_missing": {"zh": "{path} 不存在。请给出 OCDS 文件（.json、.jsonl）或存放它们的文件夹。",
                         "en": "{path} does not exist. Give an OCDS file (.json, .jsonl) or a folder of them."},
    "err.ocds_none": {"zh": "{path} 中没有 OCDS 文件（.json、.jsonl、.ndjson）。",
                      "en": "no OCDS file (.json, .jsonl, .ndjson) found at {path}."},
    "err.county_not_in_data": {"zh": "{data_dir} 中没有县区 {county}：数据中的县区为 {known}",
                               "en": "county {county} is not in {data_dir}: the data has {known}"},
    "err.params_not_found": {"zh": "找不到参数文件 {path}", "en": "params file {path} not found"},
    "err.params_unreadable": {"zh": "参数文件 {path} 无法读取：{error}", "en": "params file {path} cannot be read: {error}"},
    "err.params_yaml": {"zh": "参数文件 {path} 不是有效的 YAML：{problem}{where}",
                        "en": "params file {path} is not valid YAML: {problem}{where}"},
    "err.params_yaml_where": {"zh": "（第 {line} 行第 {column} 列）", "en": " (line {line}, column {column})"},
    "err.params_not_mapping": {"zh": "参数文件 {path} 应是“键: 值”的映射，而不是 {kind}",
                               "en": "params file {path} must be a mapping of keys to values, not {kind}"},
    "err.params_unknown_key": {"zh": "{path}：未知的键 '{key_name}'（可用：{allowed}；是否想写：{close}）",
                               "en": "{path}: unknown key '{key_name}' (allowed: {allowed}; did you mean: {close})"},
    "err.params_unknown_parameter": {"zh": "{path}：未知的参数 'checks.{key_name}'（是否想写：{close}）",
                                     "en": "{path}: unknown parameter 'checks.{key_name}' (did you mean: {close})"},
    "err.params_see_default": {"zh": "见 params/default.yaml", "en": "see params/default.yaml"},
    "err.params_type": {"zh": "{path}：参数 '{key_name}' 应为{kind}（与默认值 {default!r} 相同），而不是 {value!r}",
                        "en": "{path}: parameter '{key_name}' must be {kind} like the default {default!r}, "
                              "not {value!r}"},
    "type.int": {"zh": "整数", "en": "int"},
    "type.float": {"zh": "数值", "en": "float"},
    "type.str": {"zh": "文本", "en": "str"},
    "type.bool": {"zh": "是/否（true/false）", "en": "bool"},
    "type.dict": {"zh": "映射", "en": "dict"},
    "type.list": {"zh": "列表", "en": "list"},
    "err.params_negative": {"zh": "{path}：参数 '{key_name}' 不能为负数（{value!r}）",
                            "en": "{path}: parameter '{key_name}' must not be negative ({value!r})"},
    "err.params_yaml_alias": {"zh": "参数文件中不允许使用 YAML 别名（*{anchor}）（第 {line} 行）",
                              "en": "YAML aliases (*{anchor}) are not allowed in params files (line {line})"},
    "err.params_in_file": {"zh": "{path}：{said}", "en": "{path}: {said}"},
    "err.params_bad_scalar": {"zh": "参数文件 {path}：有一个值不是有效的日期或数字（{error}）；日期请写成 YYYY-MM-DD",
                              "en": "params file {path}: a value is not a valid date or number ({error}); write dates "
                                    "as YYYY-MM-DD"},
    "err.params_checks_mapping": {"zh": "{path}：'checks' 应是“参数名: 值”的映射",
                                  "en": "{path}: 'checks' must be a mapping of parameter names to values"},
    "err.params_moved_top": {"zh": "{path}：'{key_name}' 是第 1 版的写法；请改写为 checks.{moved}",
                             "en": "{path}: '{key_name}' is revision 1's; write it as checks.{moved}"},
    "err.params_moved": {"zh": "{path}：'checks.{key_name}' 是第 1 版的写法；请改写为 checks.{moved}",
                         "en": "{path}: 'checks.{key_name}' is revision 1's; write it as checks.{moved}"},
    "err.params_not_dated": {"zh": "{path}：参数 '{key_name}' 不分时段：请给一个值，不要给时段列表",
                             "en": "{path}: parameter '{key_name}' is not dated: give one value, not a list of periods"},
    "err.params_date": {"zh": "{path}：'{key_name}' {value!r} 不是完整的日期（请写成 {formats}）",
                        "en": "{path}: '{key_name}' {value!r} is not a full date (write it as {formats})"},
    "err.params_no_period": {"zh": "{path}：参数 '{key_name}' 没有列出任何时段",
                             "en": "{path}: parameter '{key_name}' lists no period"},
    "err.period_mapping": {"zh": "{path}：{where} 应是含 from/to/basis 和取值的映射",
                           "en": "{path}: {where} must be a mapping with from/to/basis and the values"},
    "err.period_basis": {"zh": "{path}：{where} 缺少 basis（每个时段都要写明所依据的规定），或 basis 不是文本",
                         "en": "{path}: {where} needs a basis (each period names the rule it rests on), as text"},
    "err.period_reversed": {"zh": "{path}：{where} 的结束日（{end}）早于开始日（{begin}）",
                            "en": "{path}: {where} ends ({end}) before it begins ({begin})"},
    "err.period_dates_only": {"zh": "{path}：{where} 只能有 from、to 和 basis，不能有 {rest}",
                              "en": "{path}: {where} takes from, to and basis only, not {rest}"},
    "err.period_unknown_keys": {"zh": "{path}：{where}：未知的键 {unknown}（可用：from, to, basis, {allowed}）",
                                "en": "{path}: {where}: unknown key(s) {unknown} (allowed: from, to, basis, {allowed})"},
    "err.period_value": {"zh": "{path}：{where} 需要 'value'（以及 from、to、basis），而不是 {rest}",
                         "en": "{path}: {where} needs 'value' (and from, to, basis), not {rest}"},
    "err.nothing": {"zh": "（空）", "en": "nothing"},
    "err.periods_overlap": {"zh": "{path}：{key_name}：第 {i} 个时段（{a}）与第 {j} 个时段（{b}）重叠；时段须按日期先后排列，"
                                  "from 和 to 都包含当日",
                            "en": "{path}: {key_name}: periods {i} ({a}) and {j} ({b}) overlap; periods are in date "
                                  "order and from/to are inclusive"},
    "err.periods_order": {"zh": "{path}：{key_name}：第 {j} 个时段（{b}）排在第 {i} 个时段（{a}）之后，日期却更早；时段须按日期先后排列",
                          "en": "{path}: {key_name}: period {j} ({b}) comes before period {i} ({a}); periods are "
                                "listed in date order"},
    "err.span": {"zh": "{start} 至 {end}", "en": "{start} to {end}"},
    "err.bases_mapping": {"zh": "{path}：'{key_name}' 应把检查项编号对应到依据的时段",
                          "en": "{path}: '{key_name}' maps check ids to periods of a basis"},
    "err.bases_check_id": {"zh": "{path}：{key_name}：'{check_id}' 不是检查项编号（如 PRC01）",
                           "en": "{path}: {key_name}: '{check_id}' is not a check id (e.g. PRC01)"},
    "err.bases_periods": {"zh": "{path}：{key_name}.{check_id} 应是含 from/to/basis 的时段列表，或一条适用于全部日期的依据（文本）",
                          "en": "{path}: {key_name}.{check_id} must be a list of periods with from/to/basis, or one "
                                "basis (text) for all dates"},
    "err.program_rules_mapping": {"zh": "{path}：'{key_name}' 应把专项资金名称对应到其规则 "
                                        "{{min_enterprise_age_days: 天数, cap: 金额}}",
                                  "en": "{path}: '{key_name}' maps a program's name to its rules "
                                        "{{min_enterprise_age_days: N, cap: AMOUNT}}"},
    "err.program_rule_mapping": {"zh": "{path}：{key_name}.{program} 应是映射（min_enterprise_age_days, cap）",
                                 "en": "{path}: {key_name}.{program} must be a mapping (min_enterprise_age_days, cap)"},
    "err.program_rule_keys": {"zh": "{path}：{key_name}.{program}：未知的键 {unknown}（可用：{allowed}）",
                              "en": "{path}: {key_name}.{program}: unknown key(s) {unknown} (allowed: {allowed})"},
    "err.loader_mapping": {"zh": "{path}：'loader.{key_name}' 应把表名对应到“表头: 值”的映射",
                           "en": "{path}: 'loader.{key_name}' must map table names to {{header: value}} mappings"},
    "err.loader_table": {"zh": "{path}：loader.{key_name}：未知的表 '{table}'（可用的表：{tables}）",
                         "en": "{path}: loader.{key_name}: unknown table '{table}' (tables: {tables})"},
    "err.loader_alias_column": {"zh": "{path}：loader.aliases.{table}：'{header}' 对应的 '{column}' 不是 {table} 的列"
                                      "（可用的列：{columns}）",
                                "en": "{path}: loader.aliases.{table}: '{header}' is mapped to '{column}', which is not "
                                      "a column of {table} (columns: {columns})"},
    "err.loader_unit_column": {"zh": "{path}：loader.units.{table}：'{column}' 不是 {table} 的金额列（金额列：{amounts}）",
                               "en": "{path}: loader.units.{table}: '{column}' is not an amount column of {table} "
                                     "(amount columns: {amounts})"},
    "err.loader_unit": {"zh": "{path}：loader.units.{table}.{column}：未知的单位 '{unit}'（可用：{units}）",
                        "en": "{path}: loader.units.{table}.{column}: unknown unit '{unit}' (use one of {units})"},
    "err.loader_not_mapping": {"zh": "{path}：'loader' 应是含 aliases、units 两个键的映射",
                               "en": "{path}: 'loader' must be a mapping with keys aliases, units"},
    "err.loader_key": {"zh": "{path}：未知的键 'loader.{key_name}'（可用：aliases, units）",
                       "en": "{path}: unknown key 'loader.{key_name}' (allowed: aliases, units)"},
    "err.params_lang": {"zh": "{path}：lang 只能是 {langs} 之一，而不是 {value!r}",
                        "en": "{path}: lang must be one of {langs}, not {value!r}"},
    "err.county_file": {"zh": "{path}：县区参数文件只能有 'checks'，不能有 {extra}",
                        "en": "{path}: a county file holds only 'checks', not {extra}"},
    "err.no_folder": {"zh": "数据文件夹 {root} 不存在。", "en": "dataset folder {root} does not exist."},
    "err.not_a_folder": {"zh": "{root} 不是文件夹：数据集是一个文件夹，每张表一个文件。",
                         "en": "{root} is not a folder: a dataset is a folder holding one file per table."},
    "err.no_projects": {"zh": "{root} 中没有项目台账（projects）：数据集必须有项目台账文件（项目台账.xlsx、projects.csv 等）。"
                              "已看到的文件：{files}。",
                        "en": "no projects table in {root}: a dataset needs a projects file (projects.csv, "
                              "项目台账.xlsx, ...). Files seen: {files}."},
    "err.none": {"zh": "（无）", "en": "(none)"},
    "err.xls": {"zh": "{name}：无法读取旧版 .xls 工作簿。请在 Excel 中打开并另存为 .xlsx。",
                "en": "{name}: old .xls workbooks cannot be read. Open it in Excel and save it as .xlsx."},
    "err.empty_csv": {"zh": "{name}：文件是空的（0 字节），数据表 {table} 连表头行都没有。请重新导出；如果没有这张表，删除该文件。",
                      "en": "{name}: the file is empty (0 bytes), so table {table} has not even a header row. Export "
                            "it again, or remove the file if the table is not available."},
    "err.empty_file": {"zh": "{name}：文件是空的（0 字节）。请重新导出，或删除该文件。",
                       "en": "{name}: the file is empty (0 bytes). Export it again, or remove it."},
    "err.permission": {"zh": "{name}：无法打开（{why}）。请检查文件的访问权限。",
                       "en": "{name}: cannot be opened ({why}). Check the file's permissions."},
    "err.not_text": {"zh": "{name}：文件既不是 UTF-8 也不是 GBK/GB18030 文本，无法读取。请在 Excel 中打开，另存为“CSV UTF-8”。",
                     "en": "{name}: the file is neither UTF-8 nor GBK/GB18030 text, so it cannot be read. Open it "
                           "in Excel and save as 'CSV UTF-8'."},
    "err.line_not_text": {"zh": "{name}：第 {line} 行既不是 UTF-8（文件的编码）也不是 GBK/GB18030，无法读取。"
                                "请在 Excel 中打开，重新另存为“CSV UTF-8”。",
                          "en": "{name}: line {line} is neither UTF-8 (the file's encoding) nor GBK/GB18030, so it "
                                "cannot be read. Open the file in Excel and save it again as 'CSV UTF-8'."},
    "err.binary": {"zh": "{name}：文件含二进制数据（空字节，第一个在第 {line} 行），不是 CSV 文本文件（也不支持 UTF-16 "
                         "导出）。请重新导出为“CSV UTF-8”。",
                   "en": "{name}: the file contains binary data (NUL bytes, the first on line {line}), so it is not "
                         "a CSV text file (UTF-16 exports are not supported either). Export it again as CSV UTF-8."},
    "err.out_not_folder": {"zh": "--out {path}：这是一个文件，不是文件夹；请给一个文件夹（不存在时自动创建）",
                           "en": "--out {path}: a file, not a folder; give a folder (made when missing)"},
    "err.out_not_file": {"zh": "--out {path}：这是一个文件夹，不是文件；请给要写出的 .xlsx 工作簿的文件名",
                         "en": "--out {path}: a folder, not a file; give the name of the .xlsx workbook to write"},
    "err.unclosed_quote": {"zh": "{name}：第 {line} 行有一个双引号（\"）开始的值一直没有结束，其后各行都被读成这一个值。"
                                 "请补上结束的引号，或删去这个引号（值中的引号要写成两个：\"\"）。",
                           "en": "{name}: a value opened by a double quote (\") on line {line} is never closed, so every "
                                 "line after it would be read as that one value. Add the closing quote, or remove the "
                                 "opening one (a quote inside a value is written twice: \"\")."},
    "err.too_many_fields": {"zh": "{name}：有一行的字段比表头行多（表头在第 {row} 行，共 {n} 列）；读取程序报告：{said}。"
                                  "通常是某个值中含有分隔符 {delimiter} 却没有加引号。",
                            "en": "{name}: a row has more fields than the header row ({n} columns, header on row "
                                  "{row}); the parser said: {said}. Usually a value contains the delimiter {delimiter} "
                                  "without quotes."},
    "err.ambiguous_name": {"zh": "{name}：文件名同样符合 {tables} 这几张表。请把文件改名为表名，例如 {example}。",
                           "en": "{name}: the file name fits tables {tables} equally well. Rename it to the table's "
                                 "name, e.g. {example}."},
    "err.two_files": {"zh": "文件 {files} 都是 {table} 表。每张表只留一个文件（合并它们，或把另一个移出 {root}）。",
                      "en": "files {files} both hold table {table}. Keep one file per table (merge them, or move the "
                            "other out of {root})."},
    "err.two_headers": {"zh": "{where}：表头“{first}”和“{second}”都对应 {table} 的列 {column}。保留其中一个，或把另一个改成"
                              "程序不认识的名称（它就会作为未识别的列保留）。",
                        "en": "{where}: headers '{first}' and '{second}' both map to column '{column}' of {table}. Keep "
                              "one of them, or rename the other to something the loader does not recognise (it is then "
                              "kept as an extra column)."},
    "err.not_csv": {"zh": "{name}：这是{what}，不是 CSV 文本文件。请另存为 .csv（或改回它本来的扩展名）。",
                    "en": "{name}: the file is {what}, not a CSV text file. Save it as .csv (or give it its real "
                          "extension)."},
    "err.what_zip": {"zh": "压缩包（zip 或 xlsx）", "en": "a zip/xlsx file"},
    "err.what_ole": {"zh": "旧版 Excel（.xls）或其他 OLE 文件", "en": "an old Excel (.xls) or other OLE file"},
    "err.what_parquet": {"zh": "parquet 文件", "en": "a parquet file"},
    "err.what_pdf": {"zh": "PDF 文件", "en": "a PDF"},
    "err.workbook_encrypted": {"zh": "{name}：文件设有密码（已被 Excel 加密），无法读取单元格。请在 Excel 中打开，取消密码"
                                     "（文件 > 信息 > 保护工作簿）后另存为 .xlsx。",
                               "en": "{name}: the file is password-protected (encrypted by Excel), so its cells cannot "
                                     "be read. Open it in Excel, remove the password (File > Info > Protect Workbook) "
                                     "and save it as .xlsx."},
    "err.workbook_xls": {"zh": "{name}：这是扩展名为 .xlsx 的旧版 Excel 97-2003（.xls）工作簿。请在 Excel 中打开，"
                               "另存为“Excel 工作簿（.xlsx）”。",
                         "en": "{name}: the file is an old Excel 97-2003 (.xls) workbook with an .xlsx extension. Open "
                               "it in Excel and save it as 'Excel Workbook (.xlsx)'."},
    "err.workbook_ole": {"zh": "{name}：这是 OLE 复合文件，不是 xlsx：可能是设有密码的工作簿或旧版 .xls。请在 Excel 中打开，"
                               "取消密码后另存为“Excel 工作簿（.xlsx）”。",
                         "en": "{name}: the file is an OLE compound file, not an xlsx: a password-protected workbook or "
                               "an old .xls. Open it in Excel, remove any password and save it as 'Excel Workbook "
                               "(.xlsx)'."},
    "err.workbook_text": {"zh": "{name}：这是文本文件，不是 Excel 工作簿。如果是 CSV 导出文件，请把扩展名改为 .csv。",
                          "en": "{name}: the file is a text file, not an Excel workbook. If it is a CSV export, rename "
                                "it to .csv."},
    "err.sheets_columns_differ": {"zh": "{name}：工作表“{sheet}”缺少工作表“{other}”中有的列 {columns}。同一张表分多个工作表填报时，"
                                        "各工作表须有相同的列（没有内容的列留空即可），请补上该列后重试。",
                                  "en": "{name}: sheet '{sheet}' lacks the column(s) {columns} that sheet '{other}' has. The "
                                        "sheets of one table must have the same columns (a column with nothing to fill in "
                                        "can stay blank): add it and run again."},
    "err.sheet_unreadable": {"zh": "{name}：工作表“{sheet}”无法读取（{error}）。请在 Excel 中打开并重新保存。",
                             "en": "{name}: sheet '{sheet}' cannot be read ({error}). Open and save it again in Excel."},
    "err.split_disk": {"zh": "数据超过 500 万行，需按县区拆分到临时文件夹 {folder} 后逐批检查，但写入失败（{error}）。拆分约需输入数据 4 倍的磁盘空间："
                             "请腾出空间，或设置环境变量 TMPDIR 指向空间更大的磁盘后重试。",
                       "en": "The data hold more than 5 million rows and are split by county into the temporary folder "
                             "{folder} to be checked a part at a time, but writing there failed ({error}). The split "
                             "needs about four times the input's size on disk: free some space, or point the TMPDIR "
                             "environment variable at a larger disk, and run again."},
    "err.spill_disk": {"zh": "读取 OCDS 时，超过 256 MB 的待合并发布和待成表的记录写入临时文件夹 {folder}，但写入失败（{error}）。"
                             "所需磁盘空间约为输入文件大小的一半：请腾出空间，或设置环境变量 TMPDIR 指向空间更大的磁盘后重试。",
                       "en": "While the OCDS files were read, the releases waiting to be merged and the rows waiting for "
                             "their tables beyond 256 MB were written to the temporary folder {folder}, but writing "
                             "there failed ({error}). This needs about half the input's size on disk: free some "
                             "space, or point the TMPDIR environment variable at a larger disk, and run again."},
    "err.word_section": {"zh": "{where}：word 应为包含 {keys} 的映射。", "en": "{where}: 'word' must be a mapping with keys {keys}"},
    "err.word_key": {"zh": "{where}：未知的键 word.{key_name}（可用：{keys}）。",
                     "en": "{where}: unknown key 'word.{key_name}' (allowed: {keys})"},
    "err.word_path": {"zh": "{where}：word.{kind}_template 应为 .docx 文件的路径，而不是 {value}。",
                      "en": "{where}: word.{kind}_template must be the path of a .docx file, not {value}"},
    "err.word_missing": {"zh": "{where}：Word 模板 {path} 不存在。", "en": "{where}: the Word template {path} does not exist"},
    "err.word_not_docx": {"zh": "{where}：{path} 不是 Word .docx 文件（请在 Word 中另存为 .docx，而不是 .doc 或 .wps）。",
                          "en": "{where}: {path} is not a Word .docx file (save it in Word as .docx, not .doc or .wps)"},
    "err.word_template_error": {"zh": "{where}：Word 模板 {path} 有模板错误：{error}",
                                "en": "{where}: the Word template {path} has a template error: {error}"},
    "err.word_unreadable": {"zh": "{where}：{path} 无法作为 Word .docx 文件读取（{error}）。",
                            "en": "{where}: {path} cannot be read as a Word .docx file ({error})"},
    "err.word_variables": {"zh": "{where}：Word 模板 {path} 用到了 {names}，{kind} 稿不提供这些变量（可用：{given}）。",
                           "en": "{where}: the Word template {path} uses {names}, which a {kind} draft does not give "
                                 "(it gives: {given})"},
    "err.parquet_unreadable": {"zh": "{name}：无法作为 parquet 文件读取（{error}）。请重新写出，或改用 CSV 或 xlsx 提供这张表。",
                               "en": "{name}: cannot be read as a parquet file ({error}). Write it again, or provide the "
                                     "table as CSV or xlsx."},
    "err.workbook_corrupt": {"zh": "{name}：无法作为 Excel 工作簿读取（{error}）。文件已损坏或不完整（复制或下载时中断？）。"
                                   "请用 Excel 打开；如果 Excel 能修复，另存为 .xlsx，否则重新导出。",
                             "en": "{name}: cannot be read as an Excel workbook ({error}). The file is corrupt or "
                                   "incomplete (cut short while copying or downloading?). Open it in Excel; if Excel "
                                   "can repair it, save it again as .xlsx, else export it again."},
    "err.missing_columns": {"zh": "{where}：{table} 缺少必需的列：{parts}。文件中的表头：{headers}。请修改文件中的表头，"
                                  "或在参数文件中用 loader.aliases: {{{name}: {{<表头>: <列名>}}}} 对应。",
                            "en": "{where}: required column{plural} missing from table {name}: {parts}. Headers found: "
                                  "{headers}. Rename the header in the file or map it with params loader.aliases: "
                                  "{{{name}: {{<header>: <column>}}}}."},
    "err.missing_column": {"zh": "“{header}”（{column}；可用的表头：{spellings}；{hint}）",
                           "en": "'{column}' (accepted headers: {spellings}; {hint})"},
    "err.nearest_headers": {"zh": "文件中最接近的表头：{close}", "en": "nearest headers in the file: {close}"},
    "err.no_close_header": {"zh": "文件中没有相近的表头", "en": "no header in the file is close"},
    "err.where_sheet": {"zh": "{file}，工作表“{sheet}”", "en": "{file}, sheet '{sheet}'"},
    "err.where_header_row": {"zh": "{where}，表头在第 {row} 行", "en": "{where}, header row {row}"},
    # --- loader: reasons of rejections and warnings, ledger notes (kpt_audit.load) ---
    # The English text is what the loader writes (rejections.csv, warnings.csv, data_quality.csv): a stable
    # code that tests and reports group by.  A reason or note is pieces joined by "; "; each piece is one
    # of these templates, and kpt_audit.load.texts.dq_text shows it in Chinese by reading the values back.
    "dq.empty_row": {"zh": "空行", "en": "empty row"},
    "dq.total_row": {"zh": "合计行", "en": "total row"},
    "dq.footer_row": {"zh": "表尾行（填表人、审核人等）", "en": "footer row"},
    "dq.required_unparseable": {"zh": "必填的{kind}无法识别", "en": "required {kind} value cannot be parsed"},
    "dq.unparseable": {"zh": "{kind}无法识别", "en": "{kind} value cannot be parsed"},
    "dq.emptied": {"zh": "已置空", "en": "emptied"},
    "dq.emptied_unknown": {"zh": "已置空并标为未知", "en": "emptied and marked unknown"},
    "dq.cleaned": {"zh": "已删除控制字符，其余照原样保留", "en": "control characters removed, rest kept"},
    "dq.cleaned_id": {"zh": "已删除编码中的控制字符或不可见字符（零宽字符、BOM、双向控制符）",
                      "en": "control or invisible characters (zero-width, BOM, bidi) removed from the id"},
    "dq.implausible_date": {"zh": "日期不合常理（早于1950年或晚于2100年），按原值保留",
                            "en": "implausible date (before 1950 or after 2100), kept as recorded"},
    "dq.required_missing": {"zh": "必填值为空", "en": "required value missing"},
    "dq.unknown_value": {"zh": "不是可接受的值（可填：{allowed}）", "en": "unknown value (allowed: {allowed})"},
    "dq.negative": {"zh": "金额为负数（退款或冲销？），保留", "en": "negative amount (refund or reversal?), kept"},
    "dq.out_of_range": {"zh": "超出 0-100 的范围，保留", "en": "outside 0-100, kept"},
    "dq.duplicate_key": {"zh": "主键重复：{columns}", "en": "duplicate key {columns}"},
    "dq.first_at_sheet_row": {"zh": "首次出现在工作表“{sheet}”第 {row} 行", "en": "first at row {row} of sheet '{sheet}'"},
    "dq.first_at_row": {"zh": "首次出现在第 {row} 行", "en": "first at row {row}"},
    "dq.line": {"zh": "文件第 {line} 行", "en": "line {line}"},
    "dq.row_kept": {"zh": "该行保留", "en": "row kept"},
    "dq.broken_link": {"zh": "{column}在{parent}的{parent_column}中找不到",
                       "en": "{column} not found in {parent}.{parent_column}"},
    "dq.date_order": {"zh": "日期顺序不对：{later}早于{earlier}", "en": "date order: {later} before {earlier}"},
    "dq.gbk_line": {"zh": "此行不是与全文件一致的 UTF-8，而是 GBK/GB18030（从其他导出文件粘贴而来？）：已按 GB18030 解码并保留",
                    "en": "not UTF-8 like the rest of the file but GBK/GB18030 (pasted from another export?): "
                          "decoded as GB18030 and kept"},
    "dq.utf8_line": {"zh": "此行不是与全文件一致的 GBK/GB18030，而是 UTF-8（从其他导出文件粘贴而来？）：已按 UTF-8 解码并保留",
                     "en": "not GBK/GB18030 like the rest of the file but UTF-8 (pasted from another export?): "
                           "decoded as UTF-8 and kept"},
    "dq.nul_line": {"zh": "已删除空字节（NUL），该行其余内容保留", "en": "NUL bytes removed, rest of the line kept"},
    "dq.merged": {"zh": "合并单元格（第 {r1}-{r2} 行）已用左上角的值填充",
                  "en": "merged cells rows {r1}-{r2} filled with the top-left value"},
    "dq.too_many_fields": {"zh": "该行的字段比表头的 {n} 列多，不予读取：通常是某个值中含有分隔符却没有加引号，其后各值都错了位",
                           "en": "more fields than the header's {n}, row not read: usually a value holding the "
                                 "delimiter without quotes, which shifts every value after it"},
    "dq.too_few_fields": {"zh": "该行的字段比表头的 {n} 列少，缺少的按空值读取：若是漏了分隔符，其后各值都错了位，请核对",
                          "en": "fewer fields than the header's {n}, the missing ones read as empty: a lost delimiter "
                                "would shift every value after it, check the row"},
    "dq.unsaved_formula": {"zh": "公式没有保存的计算结果，按空值读取", "en": "formula with no saved result, read as empty"},
    "dq.encoding": {"zh": "文件编码 {encoding}", "en": "encoding {encoding}"},
    "dq.unit_override": {"zh": "{column}：参数文件指定的单位{unit}取代表头所写的{header_unit}",
                         "en": "{column}: unit {unit} from params overrides the header's {header_unit}"},
    "dq.unit_factor": {"zh": "{column}：{unit}换算为元（×{factor}，依据{source}）",
                       "en": "{column}: {unit} -> 元 (x{factor}, {source})"},
    "dq.source_header": {"zh": "表头", "en": "header"},
    "dq.source_title": {"zh": "表头上方的“单位”说明", "en": "the 单位 line above the header"},
    "dq.source_params": {"zh": "参数文件 loader.units", "en": "params loader.units"},
    "dq.blank_among_summary": {"zh": "数据下方合计行、表尾行之间的 {n} 个空行已忽略",
                               "en": "{n} blank row(s) among the total and footer rows below the data ignored"},
    "dq.blank_inside": {"zh": "数据中间的 {n} 个空行作为空行拒收", "en": "{n} blank row(s) inside the data rejected as empty rows"},
    "dq.blank_after": {"zh": "最后一行数据之后的 {n} 个空行已忽略", "en": "{n} blank row(s) after the last data row ignored"},
    "dq.too_long_rows": {"zh": "{n} 行的字段比表头多，不予读取（{rows}）",
                         "en": "{n} row(s) with more fields than the header not read (rows {rows})"},
    "dq.total_rows": {"zh": "{n} 个合计行按合计行剔除（{rows}）", "en": "{n} total row(s) rejected as such (rows {rows})"},
    "dq.footer_rows": {"zh": "{n} 个表尾行按表尾行剔除（{rows}）", "en": "{n} footer row(s) rejected as such (rows {rows})"},
    "dq.empty_words": {"zh": "{column}：{n} 个单元格写作 {words}，按空值处理",
                       "en": "{column}: {n} cell(s) written as {words} read as empty"},
    "dq.column_note": {"zh": "{column}：{note}", "en": "{column}: {note}"},
    "dq.cell_unit": {"zh": "按单元格内写明的单位（元/万元/亿元）换算", "en": "unit written in the cell (元/万元/亿元) applied"},
    "dq.thousands": {"zh": "已去掉千位分隔符", "en": "thousands separators removed"},
    "dq.paren_negative": {"zh": "括号（…）中的数按负数读取", "en": "(…) read as negative"},
    "dq.excel_serial": {"zh": "Excel 日期序号已转换为日期", "en": "Excel serial numbers converted to dates"},
    "dq.extra_columns": {"zh": "未识别的列按文本保留：{headers}", "en": "extra columns kept as text: {headers}"},
    "dq.extra_control": {"zh": "{column}：{n} 个单元格删除了控制字符",
                         "en": "{column}: control characters removed from {n} cell(s)"},
    "dq.column_n": {"zh": "（第 {n} 列）", "en": "(column {n})"},
    "dq.nul_lines": {"zh": "{n} 行删除了空字节（NUL）：{lines}", "en": "NUL bytes removed from {n} line(s): {lines}"},
    "dq.gbk_lines": {"zh": "UTF-8 文件中有 {n} 行是 GBK/GB18030，已照此解码：{lines}",
                     "en": "{n} line(s) in GBK/GB18030 inside a UTF-8 file decoded as such: {lines}"},
    "dq.utf8_lines": {"zh": "GBK/GB18030 文件中有 {n} 行是 UTF-8，已照此解码：{lines}",
                      "en": "{n} line(s) in UTF-8 inside a GBK/GB18030 file decoded as such: {lines}"},
    "dq.more_lines": {"zh": "{shown}等（另有 {n} 行）", "en": "{shown} and {n} more"},
    "dq.delimiter": {"zh": "分隔符 {delimiter}", "en": "delimiter {delimiter}"},
    "dq.tab": {"zh": "制表符", "en": "TAB"},
    "dq.header_two_rows": {"zh": "表头占第 {row} 行及其下一行（合并的上级表头与其下各列）",
                           "en": "header on row {row} and the row below it (a merged parent header over its columns)"},
    "dq.header_row": {"zh": "表头在第 {row} 行（上方各行作为标题跳过）", "en": "header on row {row} (rows above skipped as titles)"},
    "dq.no_header": {"zh": "文件没有表头行", "en": "file has no header row"},
    "dq.sheet_by_name": {"zh": "按名称选用工作表“{sheet}”", "en": "sheet '{sheet}' chosen by its name"},
    "dq.sheet_by_header": {"zh": "选用工作表“{sheet}”（其表头列出本表的列）", "en": "sheet '{sheet}' (its header names the table's columns)"},
    "dq.sheets_all": {"zh": "本表分多个工作表填报，逐一读取", "en": "one of several sheets holding the table, all read"},
    "dq.sheet_not_read": {"zh": "未读取工作表“{sheet}”（隐藏的工作表、填报说明或示例，或其表头只列出本表的少数列）",
                          "en": "sheet '{sheet}' not read (hidden, instructions or an example, or its header names "
                                "few of the table's columns)"},
    "dq.sheet_note": {"zh": "工作表“{sheet}”：{note}", "en": "sheet '{sheet}': {note}"},
    "dq.sheet_first": {"zh": "选用工作表“{sheet}”（第一个有数据的工作表）", "en": "sheet '{sheet}' (first sheet with data)"},
    "dq.sheet_empty": {"zh": "工作表“{sheet}”（工作簿是空的）", "en": "sheet '{sheet}' (workbook is empty)"},
    "dq.merged_ranges": {"zh": "数据区域中 {n} 处合并单元格已用左上角的值填充",
                         "en": "{n} merged range(s) in the data filled with their top-left value"},
    "dq.unsaved_formulas": {"zh": "{n} 个公式单元格没有保存的计算结果，按空值读取（第一个：第 {row} 行第 {col} 列，={formula}）："
                                  "工作簿由程序写出后从未重新计算",
                            "en": "{n} formula cell(s) have no saved result and were read as empty (first: row {row} "
                                  "column {col}, ={formula}): the workbook was written by a program and never "
                                  "recalculated"},
    "dq.open_and_save": {"zh": "请在 Excel 中打开并保存", "en": "open it in Excel and save it"},
    "dq.subfolder": {"zh": "子文件夹已忽略（只读取文件夹中直接存放的文件）",
                     "en": "sub-folder ignored (only files directly in the folder are read)"},
    "dq.not_data_table": {"zh": "不是数据表（模拟数据的预置答案或说明文件），已忽略",
                          "en": "not a data table (generator truth / readme), ignored"},
    "dq.not_data_file": {"zh": "不是数据文件（{suffix}），已忽略", "en": "not a data file ({suffix}), ignored"},
    "dq.no_extension": {"zh": "无扩展名", "en": "no extension"},
    "dq.no_table_name": {"zh": "文件名对应不到任何数据表（文件命名见 docs/data.md）",
                         "en": "file name matches no table (see docs/data.md for file names)"},
    "dq.not_loaded": {"zh": "未载入", "en": "not loaded"},
    "kind.id": {"zh": "编码", "en": "id"},
    "kind.text": {"zh": "文本", "en": "text"},
    "kind.amount": {"zh": "金额", "en": "amount"},
    "kind.number": {"zh": "数值", "en": "number"},
    "kind.int": {"zh": "年度（整数）", "en": "int"},
    "kind.date": {"zh": "日期", "en": "date"},
    "kind.month": {"zh": "月份", "en": "month"},
    "kind.bool": {"zh": "是/否值", "en": "bool"},
    "kind.enum": {"zh": "代码值", "en": "enum"},
    # --- kpt-audit validate: the layout of what it prints (kpt_audit.load.report) ---
    "validate.ledger": {"zh": "数据台账（读入行数 = 载入行数 + 拒收行数）", "en": "Data ledger (rows in = loaded + rejected)"},
    "validate.no_files": {"zh": "  （没有文件）", "en": "  (no files)"},
    "validate.ledger_row": {"zh": "  {file}  {table}  读入 {rows_in:>8}  载入 {rows_loaded:>8}  "
                                  "拒收 {rows_rejected:>6}{balance}",
                            "en": "  {file}  {table} in {rows_in:>8}  loaded {rows_loaded:>8}  "
                                  "rejected {rows_rejected:>6}{balance}"},
    "validate.not_balanced": {"zh": "  <-- 行数不平衡", "en": "  <-- DOES NOT BALANCE"},
    "validate.total": {"zh": "  合计：读入 {rows_in}，载入 {rows_loaded}，拒收 {rows_rejected}",
                       "en": "  total: in {rows_in}, loaded {rows_loaded}, rejected {rows_rejected}"},
    "validate.extra_columns": {"zh": "未识别的列（按文本保留，检查不使用）", "en": "Extra columns (kept as text, not used by checks)"},
    "validate.extra_row": {"zh": "  {table}：{headers}", "en": "  {table}: {headers}"},
    "validate.rejected": {"zh": "拒收的行（未载入）", "en": "Rejected rows (not loaded)"},
    "validate.warnings": {"zh": "警告（行已保留）", "en": "Warnings (rows kept)"},
    "validate.count": {"zh": "{title}：{n}", "en": "{title}: {n}"},
    "validate.group": {"zh": "  {file}：{reason}（{n}）", "en": "  {file} - {reason} ({n})"},
    "validate.issue": {"zh": "    {sheet}第 {row} 行  {column}  {value}{extra}",
                       "en": "    {sheet}row {row}  {column}  {value}{extra}"},
    "validate.extra": {"zh": "（{text}）", "en": "  ({text})"},
    "validate.more": {"zh": "    …… 同一原因另有 {n} 行（见 rejections.csv / warnings.csv）",
                      "en": "    ... and {n} more with this reason (see rejections.csv / warnings.csv)"},
    "validate.unknown": {"zh": "无法读取的值（已置空并标为未知，不据此认定问题；DQ01 逐一列出）：{n}",
                         "en": "Unreadable values (emptied, kept as unknown: no finding rests on them; DQ01 lists "
                               "each): {n}"},
    "validate.unknown_row": {"zh": "  {table} {column}：{n}", "en": "  {table}.{column}: {n}"},
    "validate.outcome": {"zh": "结论：因数据错误拒收 {errors} 行；合计行、表尾行按其性质剔除 {summary} 行（不是记录，"
                               "也不是错误）；警告 {warnings} 条",
                         "en": "Outcome: {errors} row(s) rejected for errors in the data; {summary} total/footer row(s) "
                               "rejected as such (not records, not errors); {warnings} warning(s)"},
    # --- the register of findings (kpt_audit.register): its words in the reports (kpt_audit.register.summary) ---
    "register.section.register": {"zh": "核实整改情况", "en": "Verification and rectification"},
    "register.section.overdue": {"zh": "逾期未整改", "en": "Overdue rectifications"},
    "register.section.dismissed": {"zh": "核实不属实（不计入问题数）", "en": "Dismissed on verification (not counted)"},
    "register.section.trend": {"zh": "整改进展（历次运行）", "en": "Rectification over the runs"},
    "register.section.rectification": {"zh": "各县区整改情况", "en": "Rectification by county"},
    "register.col.county": {"zh": "县区", "en": "County"},
    "register.col.as_of": {"zh": "审计基准日", "en": "Audit date"},
    "register.col.found": {"zh": "问题数", "en": "Found"},
    "register.col.verified": {"zh": "核实属实", "en": "Verified"},
    "register.col.dismissed": {"zh": "不属实", "en": "Dismissed"},
    "register.col.pending": {"zh": "待核实", "en": "Pending"},
    "register.col.rectified": {"zh": "已整改", "en": "Rectified"},
    "register.col.closed": {"zh": "已销号", "en": "Closed"},
    "register.col.overdue": {"zh": "逾期", "en": "Overdue"},
    "register.col.rate": {"zh": "整改率", "en": "Rectification rate"},
    "register.col.rectified_amount": {"zh": "整改金额（万元）", "en": "Rectified (10k yuan)"},
    "register.col.rank": {"zh": "排名", "en": "Rank"},
    "register.col.items": {"zh": "逾期事项", "en": "Overdue items"},
    "register.col.finding_no": {"zh": "问题编号", "en": "Finding"},
    "register.col.title": {"zh": "问题", "en": "Finding"},
    "register.col.project_name": {"zh": "项目", "en": "Project"},
    "register.col.days_overdue": {"zh": "逾期天数", "en": "Days overdue"},
    "register.flag.overdue": {"zh": "逾期", "en": "overdue"},
    "register.note.no_overdue": {"zh": "无逾期未整改事项。", "en": "No overdue rectification."},
    "register.unassigned": {"zh": "未指定", "en": "(none)"},
    # the quarterly bulletin (kpt_audit.register.bulletin), its HTML and its Word template: in Chinese, as offices
    # send it (en for completeness)
    "register.bulletin.title": {"zh": "{year}年第{quarter_zh}季度问题整改情况通报",
                                "en": "Rectification of findings: bulletin for {year} Q{quarter}"},
    "register.bulletin.intro": {"zh": "截至 {as_of}（本季度最近一次运行的审计基准日）。整改率 = （已整改 + 已销号）÷（问题数 − 不属实）；"
                                      "逾期指整改期限早于截至日期且未整改、未销号、未认定不属实。金额单位：万元。",
                                "en": "As of {as_of} (the audit date of the quarter's latest run). Rectification rate = "
                                      "(rectified + closed) ÷ (found − dismissed); overdue: due before that date and "
                                      "neither rectified, closed nor dismissed. Amounts in 10k yuan."},
    "register.bulletin.counties": {"zh": "一、各县区整改情况及排名", "en": "1. Rectification and ranking by county"},
    "register.bulletin.overdue": {"zh": "二、逾期未整改事项（按责任单位，共 {n} 项）",
                                  "en": "2. Overdue rectifications by responsible unit ({n})"},
    "register.bulletin.unit": {"zh": "{unit}（{n} 项）", "en": "{unit} ({n})"},
    "register.bulletin.no_unit": {"zh": "（未指定责任单位）", "en": "(no responsible unit)"},
    # the register's errors (KptAuditError(key=...)): each names the register, file, sheet or row and the way out
    "register.err.scheme": {"zh": "整改台账 {name}：不支持的数据库类型 {scheme!r}；请给出文件路径（SQLite）或 postgresql:// 地址",
                            "en": "register {name}: unknown kind of database {scheme!r}; give a file path (SQLite) or a "
                                  "postgresql:// URL"},
    "register.err.folder": {"zh": "整改台账 {name} 是一个文件夹：请给出文件路径，如 {example}",
                            "en": "register {name} is a folder: give a file path such as {example}"},
    "register.err.missing": {"zh": "整改台账 {name} 不存在：先以 --register {name} 运行一次检查即可建立",
                             "en": "register {name} does not exist: a run with --register {name} creates it"},
    "register.err.other_tables": {"zh": "{name} 不是 kpt-audit 整改台账：其中有其他数据表（{others}）；请给出新文件或空数据库",
                                  "en": "{name} is not a kpt-audit register: it holds other tables ({others}); give a "
                                        "new file or an empty database"},
    "register.err.newer": {"zh": "整改台账 {name} 由更新版本的 kpt-audit 建立（结构版本 {current}，本版本最高 {head}）："
                                 "请升级 kpt-audit 后再使用",
                           "en": "register {name} was made by a newer version of kpt-audit (schema {current}; this "
                                 "version knows up to {head}): update kpt-audit to use it"},
    "register.err.empty": {"zh": "整改台账 {name} 是空的：先以 --register {name} 运行一次检查",
                           "en": "register {name} is empty: a run with --register {name} creates it"},
    "register.err.busy": {"zh": "整改台账 {name} 正被占用：另一次运行或导入正在写入；请稍后再试",
                          "en": "register {name} is busy: someone else is writing to it; try again when they are done"},
    "register.err.busy_waited": {"zh": "整改台账 {name} 正被占用：另一次运行或导入正在写入，{seconds:g} 秒内未完成；"
                                       "本次未做任何更改，请稍后再试",
                                 "en": "register {name} is busy: someone else is writing to it (a run or an import) and "
                                       "did not finish within {seconds:g} s; nothing was changed — try again when they "
                                       "are done"},
    "register.err.cannot_open": {"zh": "整改台账 {name} 无法打开：{reason}", "en": "register {name} cannot be opened: {reason}"},
    "register.err.not_register": {"zh": "{name} 不是 kpt-audit 整改台账（{reason}）：请给出新文件或已有的整改台账",
                                  "en": "{name} is not a kpt-audit register ({reason}): give a new file or an existing "
                                        "register"},
    "register.err.unknown_finding": {"zh": "问题编号 {ids} 不在此整改台账中", "en": "unknown finding id {ids}: not in this register"},
    "register.err.field_value": {"zh": "{header}（{field}）{value!r}：{problem}", "en": "{header} ({field}) {value!r}: {problem}"},
    "register.err.changed_since_read": {"zh": "问题 {finding_id} 在读取后已被他人修改；请重新载入后再编辑",
                                        "en": "finding {finding_id} was changed by someone else since it was read; "
                                              "reload it and edit again"},
    "register.err.unknown_county": {"zh": "整改台账中没有县区 {counties}（--county）；已有：{known}",
                                    "en": "unknown county {counties} (--county): the register has {known}"},
    "register.err.no_county": {"zh": "无", "en": "none"},
    "register.err.not_workbook": {"zh": "{path}：不是可读取的 Excel 工作簿（{error}）；请使用 `kpt-audit register export` 导出的文件",
                                  "en": "{path}: not an Excel workbook that can be read ({error}); give the file made by "
                                        "`kpt-audit register export`"},
    "register.err.by_required": {"zh": "须用 --by 姓名 说明导入人：整改台账记录谁导入了什么",
                                 "en": "--by NAME is required: the register keeps who imported what"},
    "register.err.no_file": {"zh": "{path}：文件不存在", "en": "{path}: no such file"},
    "register.err.no_meta_sheet": {"zh": "{path}：不是整改台账导出的工作簿（缺少隐藏的 {sheet} 表）；请用 `kpt-audit register export` 导出",
                                   "en": "{path}: not a register workbook (its hidden {sheet} sheet is missing); export "
                                         "one with `kpt-audit register export`"},
    "register.err.other_register": {"zh": "{path} 导出自另一个整改台账（编号 {register_id}），不是 {name}（编号 {own_id}）；"
                                          "请导入到它所来自的整改台账",
                                    "en": "{path} was exported from another register (id {register_id}), not from "
                                          "{name} (id {own_id}); import it into the register it came from"},
    "register.err.invalid_cells": {"zh": "{path}：{n} 处无效，全部未导入：{cells}",
                                   "en": "{path}: {n} invalid cell(s), nothing imported: {cells}"},
    "register.err.period": {"zh": "--period {period!r}：季度写作 2021Q3（年份、Q、1 至 4）",
                            "en": "--period {period!r}: write a quarter as 2021Q3 (year, Q, 1 to 4)"},
    "register.err.no_run": {"zh": "整改台账 {name} 还没有任何运行记录：请先运行 `kpt-audit run DATA --out DIR --register {name}`",
                            "en": "register {name} has no run yet: record one with `kpt-audit run DATA --out DIR "
                                  "--register {name}`"},
    "register.err.no_run_in_period": {"zh": "--period {period}：整改台账中没有审计基准日在 {start} 至 {end} 的运行（最近一次为 {latest}）",
                                      "en": "--period {period}: the register has no run with an audit date in {start} – "
                                            "{end} (its latest run is of {latest})"},
    "register.err.template_missing": {"zh": "--template {template}：文件不存在", "en": "--template {template}: no such file"},
    "register.err.template_unfilled": {"zh": "--template {template}：无法填写（{error}）；模板可用的字段为 {fields}",
                                       "en": "--template {template}: cannot be filled ({error}); it may use the fields "
                                             "{fields}"},
    # an invalid cell of an imported workbook (joined into register.err.invalid_cells)
    "register.cell.missing_columns": {"zh": "工作表“{sheet}”缺少列 {columns}（表头行须保持导出时的样子）",
                                      "en": "sheet {sheet!r}: columns {columns} are missing (the header row must stay as "
                                            "exported)"},
    "register.cell.no_finding_id": {"zh": "工作表“{sheet}”第 {row} 行 finding_id 列为空（是否手工添加了行？行只能来自整改台账）",
                                    "en": "sheet {sheet!r} row {row} column finding_id: empty (a row added by hand? rows "
                                          "come from the register only)"},
    "register.cell.bad_value": {"zh": "工作表“{sheet}”第 {row} 行「{header}」列的值 {value!r}：{problem}",
                                "en": "sheet {sheet!r} row {row} column {header} value {value!r}: {problem}"},
    "register.cell.duplicate": {"zh": "工作表“{sheet}”第 {row} 行的问题与工作表“{other_sheet}”第 {other_row} 行重复",
                                "en": "sheet {sheet!r} row {row} column finding_id value {finding_id!r}: the same finding "
                                      "is also on sheet {other_sheet!r} row {other_row}"},
    "register.cell.no_version": {"zh": "工作表“{sheet}”第 {row} 行 version 列为空或不是数字（隐藏列被改动）",
                                 "en": "sheet {sheet!r} row {row} column version: empty or not a number (hidden column "
                                       "changed)"},
    "register.cell.unknown_finding": {"zh": "工作表“{sheet}”第 {row} 行 finding_id 列的值 {finding_id!r}：此整改台账中没有该问题",
                                      "en": "sheet {sheet!r} row {row} column finding_id value {finding_id!r}: unknown "
                                            "finding id, not in this register"},
    "register.cell.more": {"zh": "另有 {n} 处", "en": "and {n} more"},
    # what an editable field takes (kpt_audit.register.edit.InvalidValue)
    "register.invalid.choice": {"zh": "请从 {words} 中选择", "en": "choose one of {words}"},
    "register.invalid.date": {"zh": "应为日期，如 2021-03-31、2021/3/31 或 2021年3月31日",
                              "en": "a date such as 2021-03-31, 2021/3/31 or 2021年3月31日"},
    "register.invalid.amount": {"zh": "应为不小于 0 的数字（万元）", "en": "a number (万元), zero or more"},
    "register.invalid.too_long": {"zh": "最多 {most} 个字（此处 {n} 个）", "en": "at most {most} characters (this has {n})"},
    "register.invalid.not_editable": {"zh": "{field} 不是可编辑的字段（{fields}）", "en": "{field} is not an editable field ({fields})"},
    # the `kpt-audit register` sub-commands (kpt_audit.register.commands): help and what they print
    "cli.register.help": {"zh": "问题整改台账：导出供编辑、导回、季通报",
                          "en": "the register of findings: export for editing, import, quarterly bulletin"},
    "cli.register.reg": {"zh": "整改台账：文件（SQLite）或 postgresql:// 地址", "en": "the register: a file (SQLite) or a postgresql:// URL"},
    "cli.register.export": {"zh": "导出供核实整改填写的工作簿：每个县区一张表，仅可编辑列未锁定",
                            "en": "write a workbook to edit: one sheet per county, editable columns unlocked"},
    "cli.register.export.out": {"zh": "要写入的工作簿（.xlsx）", "en": "the workbook to write (.xlsx)"},
    "cli.register.county": {"zh": "仅此县区（可重复）", "en": "only this county (repeatable)"},
    "cli.register.import": {"zh": "导回填写后的工作簿：有无效单元格则全部不导入；导出后台账中已被他人修改的行作为冲突拒绝（退出码 4）",
                            "en": "read an edited workbook back: all or nothing for invalid cells; rows changed since the export "
                                  "are refused as conflicts (exit 4)"},
    "cli.register.file": {"zh": "由 register export 导出并填写后的工作簿", "en": "the workbook exported by register export, filled in"},
    "cli.register.by": {"zh": "导入人（记入每一项变更）", "en": "who imports (kept with every change)"},
    "cli.register.bulletin": {"zh": "季通报：各县区整改数据及排名、按责任单位列出逾期事项（HTML 和 Word）",
                              "en": "the quarterly bulletin: figures and ranking per county, overdue items by responsible unit, "
                                    "as HTML and Word"},
    "cli.register.bulletin.out": {"zh": "写入季通报的文件夹", "en": "folder to write the bulletin into"},
    "cli.register.period": {"zh": "季度，如 2021Q3（默认：最近一次运行所在季度）",
                            "en": "the quarter, e.g. 2021Q3 (default: that of the latest run)"},
    "cli.register.template": {"zh": "替换内置模板的 Word 模板（.docx，docxtpl 格式）",
                              "en": "a Word template (.docx, docxtpl) replacing the shipped one"},
    "cli.register.exported": {"zh": "已将 {rows} 条问题写入 {path}", "en": "{rows} findings written to {path}"},
    "cli.register.changed": {"zh": "{by} 导入：{n} 条问题有变更", "en": "{n} findings changed by {by}"},
    "cli.register.conflicts": {"zh": "kpt-audit: {n} 行作为冲突未导入（导出后台账中已被他人修改；请重新导出后再填写）：{rows}",
                               "en": "kpt-audit: {n} rows refused as conflicts (changed in the register since this workbook was "
                                     "exported; export again and redo them): {rows}"},
    "cli.register.written": {"zh": "季通报 {period}：{html}、{docx}", "en": "bulletin {period}: {html} and {docx}"},
    # --- audit sampling (kpt_audit.sampling): the plan workbook (its sheet names and headers are read back in the
    # language the plan records), the evaluation, the register's note, and the errors ---
    # sheets
    "sampling.sheet.parameters": {"zh": "抽样参数", "en": "Parameters"},
    "sampling.sheet.sample": {"zh": "样本", "en": "Sample"},
    "sampling.sheet.top": {"zh": "逐项审查", "en": "Top stratum"},
    "sampling.sheet.strata": {"zh": "分层", "en": "Strata"},
    # columns
    "sampling.col.key": {"zh": "代码", "en": "Key"},
    "sampling.col.label": {"zh": "参数", "en": "Parameter"},
    "sampling.col.value": {"zh": "取值", "en": "Value"},
    "sampling.col.meaning": {"zh": "说明", "en": "Meaning"},
    "sampling.col.no": {"zh": "序号", "en": "No."},
    "sampling.col.item_id": {"zh": "对象编号", "en": "Item"},
    "sampling.col.county": {"zh": "县区", "en": "County"},
    "sampling.col.project_id": {"zh": "项目编码", "en": "Project ID"},
    "sampling.col.project_name": {"zh": "项目名称", "en": "Project name"},
    "sampling.col.risk": {"zh": "风险", "en": "Risk"},
    "sampling.col.stratum": {"zh": "层号", "en": "Stratum"},
    "sampling.col.book_value": {"zh": "账面金额（元）", "en": "Book value (yuan)"},
    "sampling.col.point": {"zh": "抽样点（元）", "en": "Selection point (yuan)"},
    "sampling.col.file": {"zh": "来源文件", "en": "Source file"},
    "sampling.col.sheet": {"zh": "工作表", "en": "Sheet"},
    "sampling.col.row": {"zh": "行号", "en": "Row"},
    "sampling.col.audited": {"zh": "审定金额（元）", "en": "Audited value (yuan)"},
    "sampling.col.note": {"zh": "核实说明", "en": "Note"},
    "sampling.col.items": {"zh": "总体数量", "en": "Items"},
    "sampling.col.spread": {"zh": "账面金额标准差（元）", "en": "SD of book values (yuan)"},
    "sampling.col.sampled": {"zh": "样本量", "en": "Sampled"},
    "sampling.col.errors": {"zh": "差错数", "en": "Errors"},
    "sampling.col.misstatement": {"zh": "样本错报（元）", "en": "Sample misstatement (yuan)"},
    "sampling.col.projected": {"zh": "推断错报（元）", "en": "Projected misstatement (yuan)"},
    # what the audited column asks for (a comment on its header; Excel's message for text typed in it)
    "sampling.hint.audited": {"zh": "填写核实后的金额（元，数字）；核实无误的填账面金额。文字说明写在“核实说明”列。"
                                    "只填这两列，其余单元格不要改动（可以排序、筛选）。",
                              "en": "The audited value in yuan, as a number; the book value when it is right. Remarks go "
                                    "in the Note column. Fill in only these two columns and change nothing else (sorting "
                                    "and filtering are fine)."},
    "sampling.hint.audited_title": {"zh": "审定金额", "en": "Audited value"},
    "sampling.hint.audited_error": {"zh": "请填写数字（元）。文字说明写在“核实说明”列。",
                                    "en": "Type a number (yuan). Remarks go in the Note column."},
    # risk
    "sampling.risk.none": {"zh": "无问题", "en": "None"},
    # parameters
    "sampling.param.method": {"zh": "抽样方法", "en": "Method"},
    "sampling.param.population": {"zh": "抽样总体", "en": "Population"},
    "sampling.param.data": {"zh": "数据文件夹", "en": "Data folder"},
    "sampling.param.findings_run": {"zh": "问题清单所在运行目录", "en": "Run folder of the findings"},
    "sampling.param.counties": {"zh": "县区范围", "en": "Counties"},
    "sampling.param.params_file": {"zh": "参数文件", "en": "Params file"},
    "sampling.param.params_sha256": {"zh": "生效参数 SHA-256（默认值、参数文件和县区参数文件合并后）",
                                     "en": "SHA-256 of the parameters in force (defaults, params file and county files)"},
    "sampling.param.as_of": {"zh": "审计基准日", "en": "Audit date"},
    "sampling.param.confidence": {"zh": "置信水平", "en": "Confidence"},
    "sampling.param.tolerable": {"zh": "可容忍错报（元）", "en": "Tolerable misstatement (yuan)"},
    "sampling.param.expected": {"zh": "预期错报（元）", "en": "Expected misstatement (yuan)"},
    "sampling.param.size_given": {"zh": "指定样本量", "en": "Sample size given"},
    "sampling.param.allocation": {"zh": "样本分配方式", "en": "Allocation"},
    "sampling.param.seed": {"zh": "随机种子", "en": "Seed"},
    "sampling.param.population_items": {"zh": "总体数量", "en": "Population items"},
    "sampling.param.population_book_value": {"zh": "总体账面金额（元）", "en": "Population book value (yuan)"},
    "sampling.param.zero_items": {"zh": "账面金额为零的项目数（货币单位抽样无法抽中，需另行审查）",
                                  "en": "Items of zero book value (monetary-unit sampling cannot select them; review apart)"},
    "sampling.param.left_out_no_amount": {"zh": "未纳入总体：无涉及金额的问题", "en": "Not in the population: findings without an amount"},
    "sampling.param.left_out_dismissed": {"zh": "未纳入总体：核实为不属实的问题",
                                          "en": "Not in the population: findings dismissed on verification"},
    "sampling.param.left_out_not_found_again": {"zh": "未纳入总体：本期未再发现的问题",
                                                "en": "Not in the population: findings not found again"},
    "sampling.param.sample_size": {"zh": "样本量", "en": "Sample size"},
    "sampling.param.interval": {"zh": "抽样间距（元）", "en": "Sampling interval (yuan)"},
    "sampling.param.random_start": {"zh": "随机起点（元）", "en": "Random start (yuan)"},
    "sampling.param.top_items": {"zh": "逐项审查项目数（账面金额不低于抽样间距）", "en": "Top-stratum items (book value ≥ interval)"},
    "sampling.param.top_book_value": {"zh": "逐项审查账面金额（元）", "en": "Top-stratum book value (yuan)"},
    "sampling.param.sampled_items": {"zh": "系统抽样项目数", "en": "Items selected systematically"},
    "sampling.param.strata": {"zh": "层数", "en": "Strata"},
    "sampling.param.tool_version": {"zh": "工具版本", "en": "Tool version"},
    "sampling.param.lang": {"zh": "语言", "en": "Language"},
    "sampling.param.source": {"zh": "输入文件 SHA-256：{path}", "en": "Input file SHA-256: {path}"},
    # values
    "sampling.method.mus": {"zh": "货币单位抽样（MUS）", "en": "Monetary-unit sampling (MUS)"},
    "sampling.method.stratified": {"zh": "分层随机抽样", "en": "Stratified random sampling"},
    "sampling.allocation.proportional": {"zh": "按比例分配", "en": "Proportional"},
    "sampling.allocation.equal": {"zh": "各层等量", "en": "Equal"},
    "sampling.population.payments": {"zh": "资金支付", "en": "Payments"},
    "sampling.population.contracts": {"zh": "合同（现值）", "en": "Contracts (current value)"},
    "sampling.population.projects": {"zh": "项目（计划总投资）", "en": "Projects (total investment)"},
    "sampling.population.findings": {"zh": "问题清单（涉及金额）", "en": "Findings (amount)"},
    "sampling.all": {"zh": "全部", "en": "All"},
    # evaluation
    "sampling.eval.title": {"zh": "抽样评价：{method}，{population}，置信水平 {confidence}",
                            "en": "Evaluation: {method}, {population}, confidence {confidence}"},
    "sampling.eval.sampled": {"zh": "样本 {sampled} 项（系统抽样 {systematic} 项，逐项审查 {top} 项），发现高估差错 {errors} 项，低估 {under} 项",
                              "en": "{sampled} items examined ({systematic} selected systematically, {top} in the top stratum); "
                                    "{errors} overstated, {under} understated"},
    "sampling.eval.basic": {"zh": "基本精确度（抽样间距 × {factor}）：{value} 元", "en": "Basic precision (interval × {factor}): {value} yuan"},
    "sampling.eval.projected": {"zh": "推断错报（样本部分）：{value} 元", "en": "Projected misstatement (sampled part): {value} yuan"},
    "sampling.eval.incremental": {"zh": "增量允许误差（按污染比例排序）：{value} 元",
                                  "en": "Incremental allowance (ranked taintings): {value} yuan"},
    "sampling.eval.top": {"zh": "逐项审查部分查实错报：{value} 元", "en": "Misstatement found in the top stratum: {value} yuan"},
    "sampling.eval.most_likely": {"zh": "推断总体错报：{value} 元", "en": "Projected misstatement of the population: {value} yuan"},
    "sampling.eval.upper": {"zh": "错报上限（Stringer 界）：{value} 元", "en": "Upper misstatement limit (Stringer bound): {value} yuan"},
    "sampling.eval.understatement": {"zh": "推断低估（未计入上限）：{value} 元",
                                     "en": "Projected understatement (not in the limit): {value} yuan"},
    "sampling.eval.strata_head": {"zh": "各层结果：", "en": "By stratum:"},
    "sampling.eval.stratum": {"zh": "第{stratum}层 {county}·{risk}：总体 {items} 项，样本 {sampled} 项，差错 {errors} 项，"
                                    "样本错报 {misstatement} 元，推断错报 {projected} 元",
                              "en": "Stratum {stratum} {county} · {risk}: {items} items, {sampled} sampled, {errors} errors, "
                                    "sample misstatement {misstatement} yuan, projected {projected} yuan"},
    "sampling.eval.stratified_total": {"zh": "推断总体错报：{projected} 元；精确度 ±{precision} 元；错报上限：{upper} 元",
                                       "en": "Projected misstatement: {projected} yuan; precision ±{precision} yuan; "
                                             "upper limit: {upper} yuan"},
    "sampling.eval.accept": {"zh": "结论：错报上限 {upper} 元低于可容忍错报 {tolerable} 元，在 {confidence} 置信水平下可以接受总体。",
                             "en": "Conclusion: the upper limit {upper} yuan is below the tolerable misstatement {tolerable} yuan: "
                                   "the population can be accepted at {confidence} confidence."},
    "sampling.eval.reject": {"zh": "结论：错报上限 {upper} 元不低于可容忍错报 {tolerable} 元，在 {confidence} 置信水平下不能接受总体"
                                   "（扩大样本或对总体执行其他程序）。",
                             "en": "Conclusion: the upper limit {upper} yuan is not below the tolerable misstatement {tolerable} "
                                   "yuan: the population cannot be accepted at {confidence} confidence (extend the sample or "
                                   "apply other procedures to the population)."},
    # the register (item 4): the line a sampled finding's 核实说明 gets
    "sampling.mark.note": {"zh": "列入抽样核实：{plan} {sheet} 第 {row} 行（随机种子 {seed}）",
                           "en": "Sampled for verification: {plan}, {sheet} row {row} (seed {seed})"},
    "sampling.eval.no_tolerable": {"zh": "计划未设可容忍错报，未作接受与否的结论。",
                                   "en": "The plan sets no tolerable misstatement: no conclusion on acceptance."},
    # sampling's errors (KptAuditError(key=...)): each names what, where and how to fix it
    "sampling.err.confidence_text": {"zh": "--confidence {value!r} 不是数字：请给出 0 与 1 之间的置信水平，例如 0.95",
                                     "en": "--confidence {value!r} is not a number: give a level between 0 and 1, e.g. 0.95"},
    "sampling.err.confidence_range": {"zh": "--confidence {value!r} 不在 (0, 1) 之内：95% 的置信水平请写 0.95",
                                      "en": "--confidence {value!r} is outside (0, 1): give a level such as 0.95 for 95 %"},
    "sampling.err.amount_text": {"zh": "--{name} {value!r} 不是金额：请以元为单位填写数字，例如 5000000",
                                 "en": "--{name} {value!r} is not an amount: give it in yuan, e.g. 5000000"},
    "sampling.err.amount_positive": {"zh": "--{name} {value!r} 必须是大于 0 的金额（元）",
                                     "en": "--{name} {value!r} must be a positive amount in yuan"},
    "sampling.err.amount_negative": {"zh": "--{name} {value!r} 不能为负数（元）",
                                     "en": "--{name} {value!r} must be a non-negative amount in yuan"},
    "sampling.err.tolerable_expected": {"zh": "可容忍错报 --tolerable {tolerable} 元必须大于预期错报 --expected {expected} 元："
                                              "预期错报已达到可容忍错报时，抽样无法证明总体错报低于可容忍错报",
                                        "en": "--tolerable {tolerable} must be above --expected {expected} (yuan): a sample cannot "
                                              "show a misstatement below the tolerable one when at least that much is expected"},
    "sampling.err.too_large": {"zh": "样本量超过 {max} 项仍达不到可容忍错报 {tolerable} 元（预期错报 {expected} 元）："
                                     "请提高 --tolerable 或降低 --expected",
                               "en": "no sample of at most {max} items reaches a tolerable misstatement of {tolerable} with "
                                     "{expected} expected: raise --tolerable or lower --expected"},
    "sampling.err.size": {"zh": "--size {value} 至少为 1", "en": "--size {value} must be at least 1"},
    "sampling.err.size_or_tolerable": {"zh": "请给出 --tolerable 金额（元，样本量由此计算）或 --size 样本量",
                                       "en": "give --tolerable AMOUNT (yuan; the sample size follows from it) or --size N"},
    "sampling.err.choice": {"zh": "--{option} {value!r}：只能是 {choices} 之一", "en": "--{option} {value!r}: use one of {choices}"},
    "sampling.err.all_zero": {"zh": "总体中每一项的账面金额都是零，货币单位抽样抽不到任何项目：请改用 --method stratified",
                              "en": "every item of the population has a book value of zero: monetary-unit sampling cannot "
                                    "select any; use --method stratified"},
    "sampling.err.findings_needs_run": {"zh": "--population findings 需要 --findings 运行目录（check 或 run 的 --out 文件夹）",
                                        "en": "--population findings needs --findings RUN_DIR: the out folder of a check or run"},
    "sampling.err.no_table": {"zh": "--population {kind}：数据文件夹中没有 {kind} 表，请选择其他抽样总体",
                              "en": "--population {kind}: the data folder has no {kind} table; choose another population"},
    "sampling.err.no_total_investment": {"zh": "项目台账没有“计划总投资”（total_investment）列，无法以项目的总投资为账面金额："
                                               "请补充该列，或改为对资金支付、合同抽样",
                                         "en": "projects: the data has no total_investment column (计划总投资), the book value "
                                               "of a project: add it or sample payments or contracts"},
    "sampling.err.book_missing": {"zh": "{population}：{n} 项没有账面金额，无法进行金额抽样：{rows}。请在数据中补齐（或用 --county "
                                        "排除该县区）后重新抽样。",
                                  "en": "{population}: {n} item(s) without a book value, so no monetary sample can be drawn: "
                                        "{rows}. Fill the value in the data (or leave the item out with --county) and sample "
                                        "again."},
    "sampling.err.book_negative": {"zh": "{population}：{n} 项账面金额为负数（退款、冲销应作为另一总体审查）：{rows}。请更正或剔除后"
                                         "重新抽样。",
                                   "en": "{population}: {n} item(s) with a negative book value (a refund or reversal belongs to "
                                         "another population): {rows}. Correct or remove them and sample again."},
    "sampling.err.book_zero": {"zh": "{population}{where}：总体共 {n} 项，账面金额合计 {value} 元，没有可抽样的金额。请选择其他总体或县区。",
                               "en": "{population}{where}: the population has {n} item(s) and a book value of {value} yuan: "
                                     "there is nothing to sample. Choose another population or county."},
    "sampling.err.where_counties": {"zh": "（{counties}）", "en": " in {counties}"},
    "sampling.err.row": {"zh": "{file}{sheet} 第 {row} 行（{item}），{column} 列：{value!r}",
                         "en": "{file}{sheet} row {row} ({item}), column {column}: {value!r}"},
    "sampling.err.row_sheet": {"zh": " 工作表“{sheet}”", "en": " sheet {sheet}"},
    "sampling.err.more_rows": {"zh": "；另有 {n} 项", "en": "; and {n} more"},
    "sampling.err.no_findings_file": {"zh": "--findings {run}：该文件夹中没有 {file}；请给出 kpt-audit check 或 run 的 --out 文件夹",
                                      "en": "--findings {run}: no {file} there; give the --out folder of a 'kpt-audit check' "
                                            "or 'kpt-audit run'"},
    "sampling.err.findings_columns": {"zh": "{path}：缺少列 {columns}，不是 kpt-audit 的 findings.csv",
                                      "en": "{path}: column(s) {columns} missing; it is not a findings.csv of kpt-audit"},
    "sampling.err.findings_amount": {"zh": "{path} 第 {row} 行，amount 列：{value!r} 不是数字",
                                     "en": "{path} row {row}, column amount: {value!r} is not a number"},
    "sampling.err.unknown_findings_county": {"zh": "问题清单中没有县区 {counties}（--county）：其中的县区为 {known}",
                                             "en": "unknown county {counties} (--county): the findings have {known}"},
    # the plan workbook read back
    "sampling.err.plan_fix": {"zh": "请使用 kpt-audit sample 写出的抽样方案（只填写审定金额和核实说明两列），或用方案记录的随机种子"
                                    "重新抽样。",
                              "en": "Use the plan as written by kpt-audit sample (fill in only the audited value and note "
                                    "columns), or draw the plan again with the recorded seed."},
    "sampling.err.plan_missing": {"zh": "{path}：文件不存在；请给出 kpt-audit sample 写出的抽样方案工作簿",
                                  "en": "{path}: no such file; give the plan workbook written by kpt-audit sample"},
    "sampling.err.plan_unreadable": {"zh": "{path}：不是可以读取的 Excel 工作簿（{kind}）；请给出 kpt-audit sample 写出的抽样方案"
                                           "工作簿（.xlsx）",
                                     "en": "{path}: not an Excel workbook that can be read ({kind}); give the plan workbook "
                                           "written by kpt-audit sample (.xlsx)"},
    "sampling.err.plan_no_seal": {"zh": "{path}：没有工作表 {sheet}，不是 kpt-audit 的抽样方案。{fix}",
                                  "en": "{path}: no sheet {sheet}: this is not a sampling plan of kpt-audit. {fix}"},
    "sampling.err.plan_bad_seal": {"zh": "{path}：工作表 {sheet} 不是 kpt-audit 抽样方案的校验页。{fix}",
                                   "en": "{path}: sheet {sheet} is not a kpt-audit plan seal. {fix}"},
    "sampling.err.plan_version": {"zh": "{path}：方案格式 {found!r}，本版 kpt-audit 读取格式 {version}。{fix}",
                                  "en": "{path}: plan format {found!r}; this kpt-audit reads format {version}. {fix}"},
    "sampling.err.plan_seal_edited": {"zh": "{path}：隐藏的校验页 {sheet} 被改动（校验和不符）。{fix}",
                                      "en": "{path}: the hidden sheet {sheet} was edited (its checksum does not match). {fix}"},
    "sampling.err.plan_no_sheet": {"zh": "{path}：缺少工作表 {sheet}。{fix}", "en": "{path}: sheet {sheet} is missing. {fix}"},
    "sampling.err.plan_empty_sheet": {"zh": "{path}：工作表 {sheet} 是空的。{fix}", "en": "{path}: sheet {sheet} is empty. {fix}"},
    "sampling.err.plan_method": {"zh": "{path}：未知的抽样方法 {method!r}。{fix}", "en": "{path}: unknown method {method!r}. {fix}"},
    "sampling.err.plan_header": {"zh": "{path}：工作表 {sheet} 第 1 行第 {column} 列：表头为 {found!r}，方案中为 {expected!r}。{fix}",
                                 "en": "{path}: sheet {sheet}, row 1, column {column}: header {found!r}, the plan has "
                                       "{expected!r}. {fix}"},
    "sampling.err.plan_row_added": {"zh": "{path}：工作表 {sheet} 第 {row} 行是新增的行（{shown}）；方案在此表中有 {n} 行。{fix}",
                                    "en": "{path}: sheet {sheet}, row {row}: a row was added ({shown}); the plan has {n} rows "
                                          "there. {fix}"},
    "sampling.err.plan_row_deleted": {"zh": "{path}：工作表 {sheet} 删除了方案第 {row} 行（{item}）。{fix}",
                                      "en": "{path}: sheet {sheet}: the plan's row {row} was deleted ({item}). {fix}"},
    "sampling.err.plan_cell": {"zh": "{path}：工作表 {sheet} 第 {row} 行，{column} 列：{found!r}，方案中为 {expected!r}。{fix}",
                               "en": "{path}: sheet {sheet}, row {row}, column {column}: {found!r}, the plan has {expected!r}. {fix}"},
    "sampling.err.audited_text": {"zh": "{path}：工作表 {sheet} 第 {row} 行，{column} 列：{value!r} 不是数字；请以元为单位填写审定金额"
                                        "（无差错时填账面金额），说明写在核实说明列",
                                  "en": "{path}: sheet {sheet}, row {row}, column {column}: {value!r} is not a number; write "
                                        "the audited value in yuan as a number (the book value when it is right) and any "
                                        "remark in the note column"},
    "sampling.err.audited_blank": {"zh": "{path}：工作表 {sheet}，{column} 列：{n} 项没有审定金额（{rows}）；请为每个样本项"
                                         "填写审定金额（无差错时填账面金额）后再评价",
                                   "en": "{path}: sheet {sheet}, column {column}: {n} item(s) without an audited value "
                                         "({rows}); fill in every sampled item (the book value when it is right) and evaluate "
                                         "again"},
    "sampling.err.rows_list": {"zh": "第 {rows} 行{more}", "en": "rows {rows}{more}"},
    "sampling.err.and_more": {"zh": "，另有 {n} 行", "en": " and {n} more"},
    "sampling.err.register_needs_findings": {"zh": "--register 只能用于问题清单的抽样（--population findings）：登记簿记录的是问题",
                                             "en": "--register goes with a sample of findings (--population findings): the "
                                                   "register holds findings"},
    # the command line
    "sampling.err.evaluate_needs_plan": {"zh": "请给出要评价的方案：kpt-audit sample evaluate 方案.xlsx",
                                         "en": "give the plan to evaluate: kpt-audit sample evaluate PLAN.xlsx"},
    "sampling.err.evaluate_no_out": {"zh": "sample evaluate 只打印评价结果，不接受 --out",
                                     "en": "sample evaluate prints its result and takes no --out"},
    "sampling.err.unexpected": {"zh": "多余的参数 {value!r}：方案工作簿请用 --out 方案.xlsx 指定",
                                "en": "unexpected argument {value!r}: write the plan with --out PLAN.xlsx"},
    "sampling.err.needs_method": {"zh": "请用 --method mus（货币单位抽样）或 --method stratified（分层随机抽样）指定抽样方法",
                                  "en": "give the method: --method mus (monetary-unit sampling) or --method stratified"},
    "sampling.err.needs_out": {"zh": "请用 --out 方案.xlsx 指定要写出的抽样方案工作簿",
                               "en": "give the plan workbook to write with --out PLAN.xlsx"},
    # the `kpt-audit sample` sub-command (kpt_audit.sampling.commands): help and what it prints
    "cli.sample.usage": {"zh": "kpt-audit sample 数据文件夹 --out 方案.xlsx --method mus|stratified "
                               "[--population payments|contracts|projects|findings] [--findings 运行目录] [--county 县区]... "
                               "[--confidence 0.95] [--tolerable 金额] [--expected 金额] [--size 样本量] [--seed 种子] "
                               "[--allocation proportional|equal] [--as-of 日期] [--params 文件] [--register 登记簿]\n"
                               "       kpt-audit sample evaluate 方案.xlsx",
                         "en": "kpt-audit sample DATA --out PLAN.xlsx --method mus|stratified "
                               "[--population payments|contracts|projects|findings] [--findings RUN_DIR] [--county NAME]... "
                               "[--confidence 0.95] [--tolerable AMOUNT] [--expected AMOUNT] [--size N] [--seed S] "
                               "[--allocation proportional|equal] [--as-of DATE] [--params FILE] [--register REG]\n"
                               "       kpt-audit sample evaluate PLAN.xlsx"},
    "cli.sample.help": {"zh": "为现场核实制定审计抽样方案（货币单位抽样或分层随机抽样），写成工作簿；填好审定金额后用 "
                              "sample evaluate 方案.xlsx 评价",
                        "en": "plan an audit sample (monetary-unit or stratified) into a workbook; 'sample evaluate "
                              "PLAN.xlsx' evaluates it once the audited values are filled in"},
    "cli.sample.description": {"zh": "制定现场核实的抽样方案，或评价已填写的方案。金额单位均为元。",
                               "en": "Plan a sample for field verification, or evaluate a filled-in plan. Amounts are yuan."},
    "cli.sample.data": {"zh": "数据文件夹（与 check 相同），或 evaluate", "en": "the data folder (as for check), or 'evaluate'"},
    "cli.sample.plan": {"zh": "evaluate 时：已填写的方案工作簿", "en": "with 'evaluate': the filled-in plan workbook"},
    "cli.sample.out": {"zh": "要写出的方案工作簿（.xlsx）", "en": "the plan workbook to write (.xlsx)"},
    "cli.sample.method": {"zh": "mus 货币单位抽样，或 stratified 按县区和风险分层随机抽样",
                          "en": "mus: monetary-unit sampling, or stratified: random sampling by county and risk strata"},
    "cli.sample.population": {"zh": "抽样总体：payments 资金支付（默认）、contracts 合同、projects 项目、findings 问题清单"
                                    "（需 --findings）",
                              "en": "what is sampled (default payments); findings need --findings RUN_DIR"},
    "cli.sample.findings": {"zh": "check 或 run 的输出文件夹：其问题清单作为总体（--population findings），或给出各项的风险",
                            "en": "the out folder of a check or run: its findings are the population (--population findings) "
                                  "or give the items' risk"},
    "cli.sample.county": {"zh": "只抽该县区（可重复）", "en": "only this county (repeatable)"},
    "cli.sample.confidence": {"zh": "置信水平，0 与 1 之间（默认 0.95）", "en": "confidence level between 0 and 1 (default 0.95)"},
    "cli.sample.tolerable": {"zh": "可容忍错报，元（样本量由此计算）", "en": "tolerable misstatement, yuan (the sample size follows from it)"},
    "cli.sample.expected": {"zh": "预期错报，元（默认 0）", "en": "expected misstatement, yuan (default 0)"},
    "cli.sample.size": {"zh": "样本量（代替由 --tolerable 计算的样本量）", "en": "sample size (overrides the size from --tolerable)"},
    "cli.sample.seed": {"zh": "随机种子（默认新取一个，记入方案）", "en": "random seed (default: a new one, recorded in the plan)"},
    "cli.sample.allocation": {"zh": "分层抽样：各层样本按层内项目数比例分配（proportional，默认）或等量（equal）",
                              "en": "stratified: sample per stratum in proportion to its items (default) or equal"},
    "cli.sample.as_of": {"zh": "审计基准日，例如 {formats}；参数文件未设 as_of 时必填",
                         "en": "audit date (审计基准日), e.g. {formats}; required unless the params file sets as_of"},
    "cli.sample.params": {"zh": "参数文件（表头别名、as_of）", "en": "params file (loader aliases, as_of)"},
    "cli.sample.lang": {"zh": "语言：zh 中文（默认）或 en 英文", "en": "language: zh (default) or en"},
    "cli.sample.planned": {"zh": "{method}：{population} 共 {items} 项，账面金额 {value} 元；需审查 {examine} 项（样本量 {n}{extra}）；"
                                 "随机种子 {seed}；已写入 {out}",
                           "en": "{method} sample of {population}: {items} items, {value} yuan; {examine} items to examine "
                                 "(sample size {n}{extra}); seed {seed}; written to {out}"},
    "cli.sample.planned_mus": {"zh": "，抽样间距 {interval} 元，{top} 项不低于间距、逐项审查",
                               "en": "; interval {interval} yuan; {top} item(s) at or above it taken whole"},
    "cli.sample.planned_strata": {"zh": "，共 {strata} 层", "en": "; {strata} strata"},
    "cli.sample.register": {"zh": "登记簿（文件路径或 postgresql:// 地址）：把抽中的问题标记为待核实（仅用于 --population findings）",
                            "en": "a register (file or postgresql:// URL): mark the sampled findings for verification in it "
                                  "(with --population findings)"},
    "cli.sample.marked": {"zh": "登记簿 {register}：{marked} 条问题已标记为抽样核实；{verified} 条已有核实结果，未改动；{missing} 条不在登记簿中",
                          "en": "register {register}: {marked} finding(s) marked for verification; {verified} already verified, "
                                "left as they are; {missing} not in the register"},
}


# A check's own reasons for not running (``raise NotRun(...)``), as not_run.csv keeps them, in Chinese;
# the reasons for missing inputs are worded by pattern (kpt_audit.report.county.not_run_reason).
NOT_RUN_REASONS_ZH: dict[str, str] = {
    "commitments: neither status nor done_date present": "承诺事项表既无办理状态列也无办结日期列",
    "neither projects.completed_total nor payments (project_id, amount) present":
        "项目台账无累计完成投资列，也无付款表（项目编码、支付金额）",
    "projects: column(s) acceptance_date and actual_completion missing": "项目台账既无竣工验收日期列也无实际竣工日期列",
    "contracts: column(s) settlement_amount and audited_settlement missing": "合同表既无结算金额列也无审定金额列",
    "projects: column(s) actual_completion and status missing": "项目台账既无实际竣工日期列也无项目状态列",
    "tenders: column(s) winner_id and award_amount missing": "招标表既无中标人列也无中标金额列",
    "projects: actual_start missing, and actual_completion or acceptance_date missing":
        "项目台账无实际开工日期列，且无实际竣工日期列或竣工验收日期列",
    "needs projects.fund_year or a funds table (project_id, level, date, amount)":
        "需要项目台账的资金下达年度列，或资金下达表（项目编码、资金级次、下达日期、金额）",
    "projects: neither budget nor adjusted_budget present": "项目台账既无批复概算列也无调整后概算列",
    "projects: neither acceptance_date nor actual_completion present": "项目台账既无竣工验收日期列也无实际竣工日期列",
    "projects: neither operation_date nor status present": "项目台账既无投产日期列也无项目状态列",
    "projects: column(s) approval_date and fsr_approval_date missing": "项目台账既无立项批复日期列也无可研批复日期列",
    "projects: column(s) actual_completion and acceptance_date missing": "项目台账既无实际竣工日期列也无竣工验收日期列",
    "neither tenders (project_id, kind, award_date) nor contracts (project_id, kind, sign_date) present":
        "既无招标表（项目编码、采购类别、中标日期），也无合同表（项目编码、合同类别、签订日期）",
    "needs tenders (tender_id, county, kind, method) or contracts (contract_id, project_id, amount)":
        "需要招标表（招标编号、县区、采购类别、采购方式）或合同表（合同编号、项目编码、合同金额）",
    "needs tenders (tender_id, county, buyer, kind, method) or contracts (contract_id, project_id, amount, "
    "sign_date, kind) with projects (project_id, department)":
        "需要招标表（招标编号、县区、采购人、采购类别、采购方式），或合同表（合同编号、项目编码、合同金额、签订日期、合同类别）及项目台账（项目编码、项目单位）",
    "no buyer: needs tenders (tender_id, buyer) or projects (department)":
        "无采购人：需要招标表（招标编号、采购人）或项目台账的项目单位列",
    "nothing to compare: needs suppliers (legal_rep, phone, address, bank_account) or bids (bond_account)":
        "无可比对的信息：需要供应商表（法定代表人、联系电话、地址、银行账户）或投标表（保证金转出账户）",
    "subsidies: amount_applied missing and no program cap set (program_rules)":
        "扶持资金申报表无申请金额列，且未设专项金额上限（参数 program_rules）",
    "no program has an age condition (program_rules[program].min_enterprise_age_days); off by default: the age "
    "rule is program-specific":
        "未对任何专项设定成立年限条件（参数 program_rules 中各专项的 min_enterprise_age_days）；成立年限条件因专项而异，默认不运行",
}


def text(key: str, lang: str = "zh", **values) -> str:
    """The catalogue entry ``key`` in ``lang`` (falls back to zh), formatted with ``values``."""
    entry = CATALOGUE[key]
    template = entry.get(lang) or entry["zh"]
    return template.format(**values) if values else template
