import re

import pandas as pd
import pytest

from kpt_audit.privacy import Masker
from kpt_audit.report import county as kr
from kpt_audit.report.slices import build_county_slice

from .conftest import COUNTY_A, COUNTY_B


@pytest.fixture
def piece(result):
    return build_county_slice(result, COUNTY_A, COUNTY_A, Masker(result.dataset.tables))


def test_headline_figures_come_from_the_slice(piece, result):
    f = kr.headline_figures(piece)
    exe = result.metrics["exe_by_county"].set_index("county").loc[COUNTY_A]
    assert f["projects"] == 2 and f["start_rate"] == pytest.approx(0.5)
    assert f["annual_completion"] == pytest.approx(exe["annual_completion"])
    assert f["payment_rate"] == pytest.approx(700_000 / 2_300_000)
    assert f["idle_funds"] == pytest.approx(1_500_000)
    own = result.findings[result.findings["county"] == COUNTY_A]
    assert f["findings"] == len(own)
    assert f["by_severity"] == {s: int((own["severity"] == s).sum()) for s in ("high", "medium", "low")}
    totals = f["amounts"].set_index("check_id")["amount"]
    assert totals.to_dict() == pytest.approx(own.dropna(subset=["amount"]).groupby("check_id")["amount"].sum().to_dict())
    assert f["not_found_again"] == 0


def test_headline_without_metrics_computes_or_leaves_blank(piece):
    piece.metrics = {}
    f = kr.headline_figures(piece)
    assert f["projects"] == 2 and f["annual_completion"] == pytest.approx(100_000 / 3_000_000)
    assert f["payment_rate"] is None and f["cumulative_completion"] is None
    assert "—" in kr.headline_html(piece)


def test_headline_html_count_matches_findings(piece):
    page = kr.headline_html(piece)
    assert re.search(r"data-kpt-findings='(\d+)'", page).group(1) == str(len(piece.findings))
    assert "主要指标" in page and "开工率" in page and "50.0%" in page and "150.00" in page


def test_rows_not_found_again_counted_apart(piece):
    piece.findings = piece.findings.assign(status="persisting")
    piece.findings.loc[0, "status"] = "not_found_again"
    f = kr.headline_figures(piece)
    assert f["findings"] + f["not_found_again"] == len(piece.findings) and f["not_found_again"] == 1


def test_methodology_names_condition_params_and_basis(piece):
    page = kr.methodology_html(piece, "execution")
    assert "EXE02 资金沉淀" in page
    assert "idle_months = 12" in page and "国办发〔2014〕70号" in page
    assert "EXE04" in page and "未运行" in page  # planned_completion is missing in the test data
    cost = kr.methodology_html(piece, "cost")
    assert "estimate_tolerance = 0.1" in cost


def test_markup_in_data_is_escaped(result):
    piece = build_county_slice(result, COUNTY_B, "b", Masker(result.dataset.tables))
    piece.meta["checks"][0]["condition"] = "<script>alert(1)</script>"
    area = piece.meta["checks"][0]["area"]
    page = kr.methodology_html(piece, area)
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page


def test_areas_follow_the_catalogue_order(piece):
    areas = kr.areas_to_show(piece)
    assert areas[:2] == ["execution", "procedure"] and "cost" in areas


def test_load_county_prefers_the_prepared_slice(result, tmp_path):
    from kpt_audit.report.slices import write_county_slices

    folders = write_county_slices(result, tmp_path, Masker(result.dataset.tables))
    piece = kr.load_county("does/not/exist", COUNTY_B, "", "", str(folders[COUNTY_B]), "en")
    assert piece.county == COUNTY_B and piece.lang == "en"
    assert isinstance(piece.findings, pd.DataFrame)


def _shown(piece) -> str:
    """Everything show_report displays, as one HTML text (images as a marker)."""
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output

    InteractiveShell.instance()
    with capture_output() as captured:
        kr.show_report(piece)
    parts = []
    for out in captured.outputs:
        parts.append(out.data.get("text/html", "") or ("[png]" if "image/png" in out.data else ""))
    return "\n".join(parts)


def test_report_in_english_with_findings_not_found_again(result):
    piece = build_county_slice(result, COUNTY_A, COUNTY_A, Masker(result.dataset.tables))
    piece.meta["lang"] = "en"
    piece.meta["statuses_present"] = True
    piece.findings = piece.findings.assign(status="new")
    piece.findings.loc[piece.findings["check_id"] == "EXE05", ["status", "cause"]] = ["not_found_again", "cleared"]
    page = _shown(piece)
    for heading in ("Headline figures", "Plan execution tables", "Plan execution (3)", "Methodology",
                    "Findings not found again", "Checks not run", "Data-quality ledger"):
        assert heading in page
    assert "Amount (10k yuan)" in page and "Status" in page and '\\"new\\"' in page
    assert re.search(r"data-kpt-findings='(\d+)'", page).group(1) == str(len(piece.findings) - 1)
    assert re.search(r"data-kpt-not-found-again='(\d+)'", page).group(1) == "1"
    assert "resolved" not in page.lower() and "Rectif" not in page  # absence is never called rectified
    assert page.count("[png]") == 5


def test_partly_judged_checks_are_listed_apart_from_checks_not_run(piece):
    """checks.md revision 2: a check that ran but could not judge some entities is not 'not run'."""
    piece.not_run = pd.concat([piece.not_run, pd.DataFrame(
        [{"check_id": "EXE02", "reason": "partly judged", "entities": "3"}])], ignore_index=True).astype("str")
    method = kr.methodology_html(piece, "execution")
    # the counts are the county's own (build_county_slice keeps its entities: see the next test)
    assert "本县区3个对象未能判定" in method and "未运行：partly judged" not in method
    assert "金额口径" in method  # what a check's amount means is part of its methodology note
    shown = _shown(piece)
    assert "部分对象未能判定的检查（本县区的对象数）" in shown and "未判定对象数" in shown
    not_run_part = shown.split("未运行的检查", 1)[1].split("部分对象未能判定的检查", 1)[0]
    assert "EXE04" in not_run_part and "EXE02" not in not_run_part


def test_a_countys_page_counts_its_own_unjudged_entities():
    from kpt_audit.checks.engine import CheckResult, unjudged_frame
    from kpt_audit.findings import empty_findings

    not_run = pd.DataFrame([["EXE01", "partly judged", "5"], ["PRO03", "partly judged", "2"],
                            ["DQ02", "partly judged", "4"], ["SUB03", "no program rule", ""]],
                           columns=["check_id", "reason", "entities"])
    result = CheckResult(empty_findings(), {}, not_run,
                         unjudged=unjudged_frame([("EXE01", COUNTY_A, 3), ("EXE01", "乙县", 2),
                                                  ("PRO03", "乙县", 2), ("DQ02", COUNTY_A, 4)]))
    piece = build_county_slice(result, COUNTY_A, COUNTY_A, Masker({}))
    # EXE01: its 3 of 5; PRO03: none of its entities here, so no row; a check not run stays as it is
    assert piece.not_run.values.tolist() == [["EXE01", "partly judged", "3"], ["DQ02", "partly judged", "4"],
                                             ["SUB03", "no program rule", ""]]


def test_one_row_per_project_lists_its_findings_without_adding_unlike_amounts(piece):
    table = kr.by_project(piece.findings)
    f = piece.findings[piece.findings["project_id"].notna()]
    assert set(table["project_id"]) == set(f["project_id"]) and table["project_id"].is_unique
    row = table.set_index("project_id").loc["P001"]
    mine = f[f["project_id"] == "P001"]
    assert row["findings"] == len(mine) and row["high"] == int((mine["severity"] == "high").sum())
    assert all(no in row["titles"] for no in mine["finding_no"])
    assert "amount" not in table  # idle money and an overrun are not one sum
    assert "按项目汇总（一个项目一行）" in _shown(piece)


def test_amounts_are_totalled_per_check_with_their_meaning_never_across_checks(piece):
    f = kr.headline_figures(piece)
    totals = f["amounts"]
    meanings = {c["id"]: c["amount"] for c in piece.meta["checks"]}
    assert len(totals) and totals["meaning"].tolist() == [meanings[c] for c in totals["check_id"]]
    assert "不计金额" not in set(totals["meaning"])
    page = kr.headline_html(piece)
    assert "涉及金额（按检查项分列" in page and "金额口径" in page
    assert "涉及金额（万元）" not in page  # no grand total of unlike amounts


def test_not_run_reasons_are_shown_in_chinese():
    assert kr.not_run_reason("table tenders missing; projects: column(s) actual_start, fund_year missing", "zh") \
        == "缺少数据表：招标采购；项目台账缺少实际开工日期、资金下达年度列"
    assert "币种 USD" in kr.not_run_reason("amounts not in CNY (currency USD); the thresholds are in yuan", "zh")
    assert kr.not_run_reason("table tenders missing", "en") == "table tenders missing"


def test_every_reason_a_check_gives_for_not_running_has_its_chinese():
    """A new ``raise NotRun("...")`` needs its line in messages.NOT_RUN_REASONS_ZH."""
    import ast
    from pathlib import Path

    from kpt_audit.messages import NOT_RUN_REASONS_ZH

    checks = Path(kr.__file__).resolve().parents[1] / "checks"
    given = set()
    for path in checks.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) \
                    and getattr(node.exc.func, "id", "") == "NotRun" and isinstance(node.exc.args[0], ast.Constant):
                given.add(node.exc.args[0].value)
    assert len(given) >= 15 and given <= set(NOT_RUN_REASONS_ZH)


def test_an_area_whose_checks_did_not_run_is_not_called_clean(piece):
    """checks.md: a check whose inputs are absent is not run, with the reason, in the report -- an area
    none of whose checks ran reads as not looked at, not as 本领域未发现问题; one with some not run says so."""
    ids = [c["id"] for c in piece.meta["checks"] if c["area"] == "subsidies"]
    assert len(ids) == 5
    piece.findings = piece.findings[piece.findings["area"] != "subsidies"]
    rest = piece.not_run[~piece.not_run["check_id"].isin(ids)]
    none_ran = pd.DataFrame({"check_id": ids, "reason": "missing table subsidies", "entities": ""})
    piece.not_run = pd.concat([rest, none_ran], ignore_index=True).astype("str")
    assert "本领域的检查均未运行" in kr._nothing_found(piece, "subsidies")
    piece.not_run = pd.concat([rest, none_ran.iloc[:2]], ignore_index=True).astype("str")
    said = kr._nothing_found(piece, "subsidies")
    assert "已运行的检查未发现问题；本领域有 2 项检查未运行" in said and "、".join(ids[:2]) in said
    piece.not_run = pd.concat([rest, none_ran.iloc[:1].assign(reason="partly judged", entities="1")],
                              ignore_index=True).astype("str")
    assert kr._nothing_found(piece, "subsidies") == "本领域未发现问题。"
    piece.meta["lang"] = "en"
    piece.not_run = pd.concat([rest, none_ran], ignore_index=True).astype("str")
    assert kr._nothing_found(piece, "subsidies").startswith("None of this area's checks ran")


def test_the_page_says_whether_personal_data_is_masked(result):
    """A masked and an unmasked page looked the same: each now says which it is (the unmasked one in red)."""
    masked = build_county_slice(result, COUNTY_A, COUNTY_A, Masker(result.dataset.tables))
    shown = Masker(result.dataset.tables, enabled=False)
    unmasked = build_county_slice(result, COUNTY_A, COUNTY_A, shown)
    assert "个人信息（身份证号、手机号、账号、自然人姓名）已脱敏" in _shown(masked)
    page = _shown(unmasked)
    assert "本报告含未脱敏的个人信息" in page and "已脱敏。" not in page
    assert "各县区共用" in page  # the ledger says it is the whole run's, not the county's
