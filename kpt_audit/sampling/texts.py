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
