"""What the sampling plan and its evaluation say to an auditor, in Chinese (default) and English.

The plan workbook's sheet names and column headers are read back by
:mod:`kpt_audit.sampling.plan` in the language the plan was written in (the
plan records it), so they are defined here once.  Severity labels come from
the report catalogue (:mod:`kpt_audit.messages`).
"""
from __future__ import annotations

from ..messages import LANGS

TEXTS: dict[str, dict[str, str]] = {
    # sheets
    "sheet.parameters": {"zh": "抽样参数", "en": "Parameters"},
    "sheet.sample": {"zh": "样本", "en": "Sample"},
    "sheet.top": {"zh": "逐项审查", "en": "Top stratum"},
    "sheet.strata": {"zh": "分层", "en": "Strata"},
    # columns
    "col.key": {"zh": "代码", "en": "Key"},
    "col.label": {"zh": "参数", "en": "Parameter"},
    "col.value": {"zh": "取值", "en": "Value"},
    "col.meaning": {"zh": "说明", "en": "Meaning"},
    "col.no": {"zh": "序号", "en": "No."},
    "col.item_id": {"zh": "对象编号", "en": "Item"},
    "col.county": {"zh": "县区", "en": "County"},
    "col.project_id": {"zh": "项目编码", "en": "Project ID"},
    "col.project_name": {"zh": "项目名称", "en": "Project name"},
    "col.risk": {"zh": "风险", "en": "Risk"},
    "col.stratum": {"zh": "层号", "en": "Stratum"},
    "col.book_value": {"zh": "账面金额（元）", "en": "Book value (yuan)"},
    "col.point": {"zh": "抽样点（元）", "en": "Selection point (yuan)"},
    "col.file": {"zh": "来源文件", "en": "Source file"},
    "col.sheet": {"zh": "工作表", "en": "Sheet"},
    "col.row": {"zh": "行号", "en": "Row"},
    "col.audited": {"zh": "审定金额（元）", "en": "Audited value (yuan)"},
    "col.note": {"zh": "核实说明", "en": "Note"},
    "col.items": {"zh": "总体数量", "en": "Items"},
    "col.spread": {"zh": "账面金额标准差（元）", "en": "SD of book values (yuan)"},
    "col.sampled": {"zh": "样本量", "en": "Sampled"},
    "col.errors": {"zh": "差错数", "en": "Errors"},
    "col.misstatement": {"zh": "样本错报（元）", "en": "Sample misstatement (yuan)"},
    "col.projected": {"zh": "推断错报（元）", "en": "Projected misstatement (yuan)"},
    # what the audited column asks for (a comment on its header; Excel's message for text typed in it)
    "hint.audited": {"zh": "填写核实后的金额（元，数字）；核实无误的填账面金额。文字说明写在“核实说明”列。"
                           "只填这两列，其余单元格不要改动（可以排序、筛选）。",
                     "en": "The audited value in yuan, as a number; the book value when it is right. Remarks go "
                           "in the Note column. Fill in only these two columns and change nothing else (sorting "
                           "and filtering are fine)."},
    "hint.audited_title": {"zh": "审定金额", "en": "Audited value"},
    "hint.audited_error": {"zh": "请填写数字（元）。文字说明写在“核实说明”列。",
                           "en": "Type a number (yuan). Remarks go in the Note column."},
    # risk
    "risk.none": {"zh": "无问题", "en": "None"},
    # parameters
    "param.method": {"zh": "抽样方法", "en": "Method"},
    "param.population": {"zh": "抽样总体", "en": "Population"},
    "param.data": {"zh": "数据文件夹", "en": "Data folder"},
    "param.findings_run": {"zh": "问题清单所在运行目录", "en": "Run folder of the findings"},
    "param.counties": {"zh": "县区范围", "en": "Counties"},
    "param.as_of": {"zh": "审计基准日", "en": "Audit date"},
    "param.confidence": {"zh": "置信水平", "en": "Confidence"},
    "param.tolerable": {"zh": "可容忍错报（元）", "en": "Tolerable misstatement (yuan)"},
    "param.expected": {"zh": "预期错报（元）", "en": "Expected misstatement (yuan)"},
    "param.size_given": {"zh": "指定样本量", "en": "Sample size given"},
    "param.allocation": {"zh": "样本分配方式", "en": "Allocation"},
    "param.seed": {"zh": "随机种子", "en": "Seed"},
    "param.population_items": {"zh": "总体数量", "en": "Population items"},
    "param.population_book_value": {"zh": "总体账面金额（元）", "en": "Population book value (yuan)"},
    "param.zero_items": {"zh": "账面金额为零的项目数（货币单位抽样无法抽中，需另行审查）",
                         "en": "Items of zero book value (monetary-unit sampling cannot select them; review apart)"},
    "param.left_out_no_amount": {"zh": "未纳入总体：无涉及金额的问题", "en": "Not in the population: findings without an amount"},
    "param.left_out_not_found_again": {"zh": "未纳入总体：本期未再发现的问题",
                                       "en": "Not in the population: findings not found again"},
    "param.sample_size": {"zh": "样本量", "en": "Sample size"},
    "param.interval": {"zh": "抽样间距（元）", "en": "Sampling interval (yuan)"},
    "param.random_start": {"zh": "随机起点（元）", "en": "Random start (yuan)"},
    "param.top_items": {"zh": "逐项审查项目数（账面金额不低于抽样间距）", "en": "Top-stratum items (book value ≥ interval)"},
    "param.top_book_value": {"zh": "逐项审查账面金额（元）", "en": "Top-stratum book value (yuan)"},
    "param.sampled_items": {"zh": "系统抽样项目数", "en": "Items selected systematically"},
    "param.strata": {"zh": "层数", "en": "Strata"},
    "param.tool_version": {"zh": "工具版本", "en": "Tool version"},
    "param.lang": {"zh": "语言", "en": "Language"},
    "param.source": {"zh": "输入文件 SHA-256：{path}", "en": "Input file SHA-256: {path}"},
    # values
    "method.mus": {"zh": "货币单位抽样（MUS）", "en": "Monetary-unit sampling (MUS)"},
    "method.stratified": {"zh": "分层随机抽样", "en": "Stratified random sampling"},
    "allocation.proportional": {"zh": "按比例分配", "en": "Proportional"},
    "allocation.equal": {"zh": "各层等量", "en": "Equal"},
    "population.payments": {"zh": "资金支付", "en": "Payments"},
    "population.contracts": {"zh": "合同（现值）", "en": "Contracts (current value)"},
    "population.projects": {"zh": "项目（计划总投资）", "en": "Projects (total investment)"},
    "population.findings": {"zh": "问题清单（涉及金额）", "en": "Findings (amount)"},
    "all": {"zh": "全部", "en": "All"},
    # evaluation
    "eval.title": {"zh": "抽样评价：{method}，{population}，置信水平 {confidence}",
                   "en": "Evaluation: {method}, {population}, confidence {confidence}"},
    "eval.sampled": {"zh": "样本 {sampled} 项（系统抽样 {systematic} 项，逐项审查 {top} 项），发现高估差错 {errors} 项，低估 {under} 项",
                     "en": "{sampled} items examined ({systematic} selected systematically, {top} in the top stratum); "
                           "{errors} overstated, {under} understated"},
    "eval.basic": {"zh": "基本精确度（抽样间距 × {factor}）：{value} 元", "en": "Basic precision (interval × {factor}): {value} yuan"},
    "eval.projected": {"zh": "推断错报（样本部分）：{value} 元", "en": "Projected misstatement (sampled part): {value} yuan"},
    "eval.incremental": {"zh": "增量允许误差（按污染比例排序）：{value} 元",
                         "en": "Incremental allowance (ranked taintings): {value} yuan"},
    "eval.top": {"zh": "逐项审查部分查实错报：{value} 元", "en": "Misstatement found in the top stratum: {value} yuan"},
    "eval.most_likely": {"zh": "推断总体错报：{value} 元", "en": "Projected misstatement of the population: {value} yuan"},
    "eval.upper": {"zh": "错报上限（Stringer 界）：{value} 元", "en": "Upper misstatement limit (Stringer bound): {value} yuan"},
    "eval.understatement": {"zh": "推断低估（未计入上限）：{value} 元",
                            "en": "Projected understatement (not in the limit): {value} yuan"},
    "eval.strata_head": {"zh": "各层结果：", "en": "By stratum:"},
    "eval.stratum": {"zh": "第{stratum}层 {county}·{risk}：总体 {items} 项，样本 {sampled} 项，差错 {errors} 项，"
                           "样本错报 {misstatement} 元，推断错报 {projected} 元",
                     "en": "Stratum {stratum} {county} · {risk}: {items} items, {sampled} sampled, {errors} errors, "
                           "sample misstatement {misstatement} yuan, projected {projected} yuan"},
    "eval.stratified_total": {"zh": "推断总体错报：{projected} 元；精确度 ±{precision} 元；错报上限：{upper} 元",
                              "en": "Projected misstatement: {projected} yuan; precision ±{precision} yuan; "
                                    "upper limit: {upper} yuan"},
    "eval.accept": {"zh": "结论：错报上限 {upper} 元低于可容忍错报 {tolerable} 元，在 {confidence} 置信水平下可以接受总体。",
                    "en": "Conclusion: the upper limit {upper} yuan is below the tolerable misstatement {tolerable} yuan: "
                          "the population can be accepted at {confidence} confidence."},
    "eval.reject": {"zh": "结论：错报上限 {upper} 元不低于可容忍错报 {tolerable} 元，在 {confidence} 置信水平下不能接受总体"
                          "（扩大样本或对总体执行其他程序）。",
                    "en": "Conclusion: the upper limit {upper} yuan is not below the tolerable misstatement {tolerable} "
                          "yuan: the population cannot be accepted at {confidence} confidence (extend the sample or "
                          "apply other procedures to the population)."},
    # the register (item 4): the line a sampled finding's 核实说明 gets
    "mark.note": {"zh": "列入抽样核实：{plan} {sheet} 第 {row} 行（随机种子 {seed}）",
                  "en": "Sampled for verification: {plan}, {sheet} row {row} (seed {seed})"},
    "eval.no_tolerable": {"zh": "计划未设可容忍错报，未作接受与否的结论。",
                          "en": "The plan sets no tolerable misstatement: no conclusion on acceptance."},
}


def say(key: str, lang: str = "zh", **values) -> str:
    """The text ``key`` in ``lang`` with ``values`` filled in."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}")
    template = TEXTS[key][lang]
    return template.format(**values) if values else template


def risk_label(risk: str, lang: str = "zh") -> str:
    """高/中/低/无问题 (High/Medium/Low/None)."""
    from ..messages import text

    return say("risk.none", lang) if risk == "none" else text(f"severity.{risk}", lang)


# ------------------------------------------------------------------ errors (each names what, where, how to fix)
ERRORS: dict[str, dict[str, str]] = {
    "err.confidence_text": {"zh": "--confidence {value!r} 不是数字：请给出 0 与 1 之间的置信水平，例如 0.95",
                            "en": "--confidence {value!r} is not a number: give a level between 0 and 1, e.g. 0.95"},
    "err.confidence_range": {"zh": "--confidence {value!r} 不在 (0, 1) 之内：95% 的置信水平请写 0.95",
                             "en": "--confidence {value!r} is outside (0, 1): give a level such as 0.95 for 95 %"},
    "err.amount_text": {"zh": "--{name} {value!r} 不是金额：请以元为单位填写数字，例如 5000000",
                        "en": "--{name} {value!r} is not an amount: give it in yuan, e.g. 5000000"},
    "err.amount_positive": {"zh": "--{name} {value!r} 必须是大于 0 的金额（元）",
                            "en": "--{name} {value!r} must be a positive amount in yuan"},
    "err.amount_negative": {"zh": "--{name} {value!r} 不能为负数（元）",
                            "en": "--{name} {value!r} must be a non-negative amount in yuan"},
    "err.tolerable_expected": {"zh": "可容忍错报 --tolerable {tolerable} 元必须大于预期错报 --expected {expected} 元："
                                     "预期错报已达到可容忍错报时，抽样无法证明总体错报低于可容忍错报",
                               "en": "--tolerable {tolerable} must be above --expected {expected} (yuan): a sample cannot "
                                     "show a misstatement below the tolerable one when at least that much is expected"},
    "err.too_large": {"zh": "样本量超过 {max} 项仍达不到可容忍错报 {tolerable} 元（预期错报 {expected} 元）："
                            "请提高 --tolerable 或降低 --expected",
                      "en": "no sample of at most {max} items reaches a tolerable misstatement of {tolerable} with "
                            "{expected} expected: raise --tolerable or lower --expected"},
    "err.size": {"zh": "--size {value} 至少为 1", "en": "--size {value} must be at least 1"},
    "err.size_or_tolerable": {"zh": "请给出 --tolerable 金额（元，样本量由此计算）或 --size 样本量",
                              "en": "give --tolerable AMOUNT (yuan; the sample size follows from it) or --size N"},
    "err.choice": {"zh": "--{option} {value!r}：只能是 {choices} 之一", "en": "--{option} {value!r}: use one of {choices}"},
    "err.all_zero": {"zh": "总体中每一项的账面金额都是零，货币单位抽样抽不到任何项目：请改用 --method stratified",
                     "en": "every item of the population has a book value of zero: monetary-unit sampling cannot "
                           "select any; use --method stratified"},
    "err.findings_needs_run": {"zh": "--population findings 需要 --findings 运行目录（check 或 run 的 --out 文件夹）",
                               "en": "--population findings needs --findings RUN_DIR: the out folder of a check or run"},
    "err.no_table": {"zh": "--population {kind}：数据文件夹中没有 {kind} 表，请选择其他抽样总体",
                     "en": "--population {kind}: the data folder has no {kind} table; choose another population"},
    "err.no_total_investment": {"zh": "项目台账没有“计划总投资”（total_investment）列，无法以项目的总投资为账面金额："
                                      "请补充该列，或改为对资金支付、合同抽样",
                                "en": "projects: the data has no total_investment column (计划总投资), the book value "
                                      "of a project: add it or sample payments or contracts"},
    "err.book_missing": {"zh": "{population}：{n} 项没有账面金额，无法进行金额抽样：{rows}。请在数据中补齐（或用 --county "
                               "排除该县区）后重新抽样。",
                         "en": "{population}: {n} item(s) without a book value, so no monetary sample can be drawn: "
                               "{rows}. Fill the value in the data (or leave the item out with --county) and sample "
                               "again."},
    "err.book_negative": {"zh": "{population}：{n} 项账面金额为负数（退款、冲销应作为另一总体审查）：{rows}。请更正或剔除后"
                                "重新抽样。",
                          "en": "{population}: {n} item(s) with a negative book value (a refund or reversal belongs to "
                                "another population): {rows}. Correct or remove them and sample again."},
    "err.book_zero": {"zh": "{population}{where}：总体共 {n} 项，账面金额合计 {value} 元，没有可抽样的金额。请选择其他总体或县区。",
                      "en": "{population}{where}: the population has {n} item(s) and a book value of {value} yuan: "
                            "there is nothing to sample. Choose another population or county."},
    "err.where_counties": {"zh": "（{counties}）", "en": " in {counties}"},
    "err.row": {"zh": "{file}{sheet} 第 {row} 行（{item}），{column} 列：{value!r}",
                "en": "{file}{sheet} row {row} ({item}), column {column}: {value!r}"},
    "err.row_sheet": {"zh": " 工作表“{sheet}”", "en": " sheet {sheet}"},
    "err.more_rows": {"zh": "；另有 {n} 项", "en": "; and {n} more"},
    "err.no_findings_file": {"zh": "--findings {run}：该文件夹中没有 {file}；请给出 kpt-audit check 或 run 的 --out 文件夹",
                             "en": "--findings {run}: no {file} there; give the --out folder of a 'kpt-audit check' "
                                   "or 'kpt-audit run'"},
    "err.findings_columns": {"zh": "{path}：缺少列 {columns}，不是 kpt-audit 的 findings.csv",
                             "en": "{path}: column(s) {columns} missing; it is not a findings.csv of kpt-audit"},
    "err.findings_amount": {"zh": "{path} 第 {row} 行，amount 列：{value!r} 不是数字",
                            "en": "{path} row {row}, column amount: {value!r} is not a number"},
    "err.unknown_findings_county": {"zh": "问题清单中没有县区 {counties}（--county）：其中的县区为 {known}",
                                    "en": "unknown county {counties} (--county): the findings have {known}"},
    # the plan workbook read back
    "err.plan_fix": {"zh": "请使用 kpt-audit sample 写出的抽样方案（只填写审定金额和核实说明两列），或用方案记录的随机种子"
                           "重新抽样。",
                     "en": "Use the plan as written by kpt-audit sample (fill in only the audited value and note "
                           "columns), or draw the plan again with the recorded seed."},
    "err.plan_missing": {"zh": "{path}：文件不存在；请给出 kpt-audit sample 写出的抽样方案工作簿",
                         "en": "{path}: no such file; give the plan workbook written by kpt-audit sample"},
    "err.plan_unreadable": {"zh": "{path}：不是可以读取的 Excel 工作簿（{kind}）；请给出 kpt-audit sample 写出的抽样方案"
                                  "工作簿（.xlsx）",
                            "en": "{path}: not an Excel workbook that can be read ({kind}); give the plan workbook "
                                  "written by kpt-audit sample (.xlsx)"},
    "err.plan_no_seal": {"zh": "{path}：没有工作表 {sheet}，不是 kpt-audit 的抽样方案。{fix}",
                         "en": "{path}: no sheet {sheet}: this is not a sampling plan of kpt-audit. {fix}"},
    "err.plan_bad_seal": {"zh": "{path}：工作表 {sheet} 不是 kpt-audit 抽样方案的校验页。{fix}",
                          "en": "{path}: sheet {sheet} is not a kpt-audit plan seal. {fix}"},
    "err.plan_version": {"zh": "{path}：方案格式 {found!r}，本版 kpt-audit 读取格式 {version}。{fix}",
                         "en": "{path}: plan format {found!r}; this kpt-audit reads format {version}. {fix}"},
    "err.plan_seal_edited": {"zh": "{path}：隐藏的校验页 {sheet} 被改动（校验和不符）。{fix}",
                             "en": "{path}: the hidden sheet {sheet} was edited (its checksum does not match). {fix}"},
    "err.plan_no_sheet": {"zh": "{path}：缺少工作表 {sheet}。{fix}", "en": "{path}: sheet {sheet} is missing. {fix}"},
    "err.plan_empty_sheet": {"zh": "{path}：工作表 {sheet} 是空的。{fix}", "en": "{path}: sheet {sheet} is empty. {fix}"},
    "err.plan_method": {"zh": "{path}：未知的抽样方法 {method!r}。{fix}", "en": "{path}: unknown method {method!r}. {fix}"},
    "err.plan_header": {"zh": "{path}：工作表 {sheet} 第 1 行第 {column} 列：表头为 {found!r}，方案中为 {expected!r}。{fix}",
                        "en": "{path}: sheet {sheet}, row 1, column {column}: header {found!r}, the plan has "
                              "{expected!r}. {fix}"},
    "err.plan_row_added": {"zh": "{path}：工作表 {sheet} 第 {row} 行是新增的行（{shown}）；方案在此表中有 {n} 行。{fix}",
                           "en": "{path}: sheet {sheet}, row {row}: a row was added ({shown}); the plan has {n} rows "
                                 "there. {fix}"},
    "err.plan_row_deleted": {"zh": "{path}：工作表 {sheet} 删除了方案第 {row} 行（{item}）。{fix}",
                             "en": "{path}: sheet {sheet}: the plan's row {row} was deleted ({item}). {fix}"},
    "err.plan_cell": {"zh": "{path}：工作表 {sheet} 第 {row} 行，{column} 列：{found!r}，方案中为 {expected!r}。{fix}",
                      "en": "{path}: sheet {sheet}, row {row}, column {column}: {found!r}, the plan has {expected!r}. {fix}"},
    "err.audited_text": {"zh": "{path}：工作表 {sheet} 第 {row} 行，{column} 列：{value!r} 不是数字；请以元为单位填写审定金额"
                               "（无差错时填账面金额），说明写在核实说明列",
                         "en": "{path}: sheet {sheet}, row {row}, column {column}: {value!r} is not a number; write "
                               "the audited value in yuan as a number (the book value when it is right) and any "
                               "remark in the note column"},
    "err.audited_blank": {"zh": "{path}：工作表 {sheet}，{column} 列：{n} 项没有审定金额（{rows}）；请为每个样本项"
                                "填写审定金额（无差错时填账面金额）后再评价",
                          "en": "{path}: sheet {sheet}, column {column}: {n} item(s) without an audited value "
                                "({rows}); fill in every sampled item (the book value when it is right) and evaluate "
                                "again"},
    "err.rows_list": {"zh": "第 {rows} 行{more}", "en": "rows {rows}{more}"},
    "err.and_more": {"zh": "，另有 {n} 行", "en": " and {n} more"},
    "err.register_needs_findings": {"zh": "--register 只能用于问题清单的抽样（--population findings）：登记簿记录的是问题",
                                    "en": "--register goes with a sample of findings (--population findings): the "
                                          "register holds findings"},
    # the command line
    "err.evaluate_needs_plan": {"zh": "请给出要评价的方案：kpt-audit sample evaluate 方案.xlsx",
                                "en": "give the plan to evaluate: kpt-audit sample evaluate PLAN.xlsx"},
    "err.evaluate_no_out": {"zh": "sample evaluate 只打印评价结果，不接受 --out",
                            "en": "sample evaluate prints its result and takes no --out"},
    "err.unexpected": {"zh": "多余的参数 {value!r}：方案工作簿请用 --out 方案.xlsx 指定",
                       "en": "unexpected argument {value!r}: write the plan with --out PLAN.xlsx"},
    "err.needs_method": {"zh": "请用 --method mus（货币单位抽样）或 --method stratified（分层随机抽样）指定抽样方法",
                         "en": "give the method: --method mus (monetary-unit sampling) or --method stratified"},
    "err.needs_out": {"zh": "请用 --out 方案.xlsx 指定要写出的抽样方案工作簿",
                      "en": "give the plan workbook to write with --out PLAN.xlsx"},
}


def error(exception, key: str, /, **values):
    """An ``exception`` (a :class:`kpt_audit.errors.KptAuditError` class) worded in both languages:
    ``str()`` is the English text (stable for logs and tests), ``.text(lang)`` the reader's.  A value
    may be a function of the language (a part itself worded per language)."""
    def render(lang):
        given = {k: v(lang) if callable(v) else v for k, v in values.items()}
        return " ".join(ERRORS[key][lang].format(**given).split())

    return exception(texts={lang: render(lang) for lang in LANGS})


def piece(key: str, lang: str, **values) -> str:
    """A part of an error message in ``lang`` (a row named, "and 3 more" …)."""
    return ERRORS[key][lang].format(**values)


def yuan(value: float) -> str:
    """An amount in yuan as the plan and messages show it: 1,234,567.89."""
    return f"{value:,.2f}"


# ------------------------------------------------------------------ the command line: help and what it prints
COMMAND_TEXTS: dict[str, dict[str, str]] = {
    "usage": {"zh": "kpt-audit sample 数据文件夹 --out 方案.xlsx --method mus|stratified "
                    "[--population payments|contracts|projects|findings] [--findings 运行目录] [--county 县区]... "
                    "[--confidence 0.95] [--tolerable 金额] [--expected 金额] [--size 样本量] [--seed 种子] "
                    "[--allocation proportional|equal] [--as-of 日期] [--params 文件] [--register 登记簿]\n"
                    "       kpt-audit sample evaluate 方案.xlsx",
              "en": "kpt-audit sample DATA --out PLAN.xlsx --method mus|stratified "
                    "[--population payments|contracts|projects|findings] [--findings RUN_DIR] [--county NAME]... "
                    "[--confidence 0.95] [--tolerable AMOUNT] [--expected AMOUNT] [--size N] [--seed S] "
                    "[--allocation proportional|equal] [--as-of DATE] [--params FILE] [--register REG]\n"
                    "       kpt-audit sample evaluate PLAN.xlsx"},
    "help": {"zh": "为现场核实制定审计抽样方案（货币单位抽样或分层随机抽样），写成工作簿；填好审定金额后用 "
                   "sample evaluate 方案.xlsx 评价",
             "en": "plan an audit sample (monetary-unit or stratified) into a workbook; 'sample evaluate "
                   "PLAN.xlsx' evaluates it once the audited values are filled in"},
    "description": {"zh": "制定现场核实的抽样方案，或评价已填写的方案。金额单位均为元。",
                    "en": "Plan a sample for field verification, or evaluate a filled-in plan. Amounts are yuan."},
    "data": {"zh": "数据文件夹（与 check 相同），或 evaluate", "en": "the data folder (as for check), or 'evaluate'"},
    "plan": {"zh": "evaluate 时：已填写的方案工作簿", "en": "with 'evaluate': the filled-in plan workbook"},
    "out": {"zh": "要写出的方案工作簿（.xlsx）", "en": "the plan workbook to write (.xlsx)"},
    "method": {"zh": "mus 货币单位抽样，或 stratified 按县区和风险分层随机抽样",
               "en": "mus: monetary-unit sampling, or stratified: random sampling by county and risk strata"},
    "population": {"zh": "抽样总体：payments 资金支付（默认）、contracts 合同、projects 项目、findings 问题清单"
                         "（需 --findings）",
                   "en": "what is sampled (default payments); findings need --findings RUN_DIR"},
    "findings": {"zh": "check 或 run 的输出文件夹：其问题清单作为总体（--population findings），或给出各项的风险",
                 "en": "the out folder of a check or run: its findings are the population (--population findings) "
                       "or give the items' risk"},
    "county": {"zh": "只抽该县区（可重复）", "en": "only this county (repeatable)"},
    "confidence": {"zh": "置信水平，0 与 1 之间（默认 0.95）", "en": "confidence level between 0 and 1 (default 0.95)"},
    "tolerable": {"zh": "可容忍错报，元（样本量由此计算）", "en": "tolerable misstatement, yuan (the sample size follows from it)"},
    "expected": {"zh": "预期错报，元（默认 0）", "en": "expected misstatement, yuan (default 0)"},
    "size": {"zh": "样本量（代替由 --tolerable 计算的样本量）", "en": "sample size (overrides the size from --tolerable)"},
    "seed": {"zh": "随机种子（默认新取一个，记入方案）", "en": "random seed (default: a new one, recorded in the plan)"},
    "allocation": {"zh": "分层抽样：各层样本按层内项目数比例分配（proportional，默认）或等量（equal）",
                   "en": "stratified: sample per stratum in proportion to its items (default) or equal"},
    "as_of": {"zh": "审计基准日，例如 {formats}；参数文件未设 as_of 时必填",
              "en": "audit date (审计基准日), e.g. {formats}; required unless the params file sets as_of"},
    "params": {"zh": "参数文件（表头别名、as_of）", "en": "params file (loader aliases, as_of)"},
    "lang": {"zh": "语言：zh 中文（默认）或 en 英文", "en": "language: zh (default) or en"},
    "planned": {"zh": "{method}：{population} 共 {items} 项，账面金额 {value} 元；需审查 {examine} 项（样本量 {n}{extra}）；"
                      "随机种子 {seed}；已写入 {out}",
                "en": "{method} sample of {population}: {items} items, {value} yuan; {examine} items to examine "
                      "(sample size {n}{extra}); seed {seed}; written to {out}"},
    "planned_mus": {"zh": "，抽样间距 {interval} 元，{top} 项不低于间距、逐项审查",
                    "en": "; interval {interval} yuan; {top} item(s) at or above it taken whole"},
    "planned_strata": {"zh": "，共 {strata} 层", "en": "; {strata} strata"},
    "register": {"zh": "登记簿（文件路径或 postgresql:// 地址）：把抽中的问题标记为待核实（仅用于 --population findings）",
                 "en": "a register (file or postgresql:// URL): mark the sampled findings for verification in it "
                       "(with --population findings)"},
    "marked": {"zh": "登记簿 {register}：{marked} 条问题已标记为抽样核实；{verified} 条已有核实结果，未改动；{missing} 条不在登记簿中",
               "en": "register {register}: {marked} finding(s) marked for verification; {verified} already verified, "
                     "left as they are; {missing} not in the register"},
}


def command_text(key: str, lang: str = "zh", **values) -> str:
    template = COMMAND_TEXTS[key][lang]
    return template.format(**values) if values else template
