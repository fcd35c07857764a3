"""PRO01–PRO16 procurement checks, on small hand-made tables."""
from types import SimpleNamespace

import pandas as pd
import pytest

from kpt_audit.schema.coerce import coerce_tables

AS_OF = "2020-09-25"
WAN = 10_000


def ids(findings):
    return sorted(findings["entity_id"])


def row(findings, entity_id):
    hit = findings[findings["entity_id"] == entity_id]
    assert len(hit) == 1, f"{entity_id} not found once in {list(findings['entity_id'])}"
    return hit.iloc[0]


def empty(table, columns):
    return coerce_tables({table: pd.DataFrame({c: [] for c in columns})})[table]


def project(pid="P1", county="甲县", **kw):
    return {"project_id": pid, "county": county, **kw}


def tender(tid="T1", pid="P1", kind="works", method="open", county="乙县", buyer="交通局", **kw):
    return {"tender_id": tid, "project_id": pid, "county": county, "buyer": buyer, "kind": kind,
            "method": method, **kw}


def contract(cid="C1", pid="P1", amount=100 * WAN, sign="2020-03-01", supplier="S1", **kw):
    return {"contract_id": cid, "project_id": pid, "supplier_id": supplier, "sign_date": sign,
            "amount": float(amount), **kw}


def bid(tid, bidder, amount, **kw):
    return {"tender_id": tid, "bidder_id": bidder, "amount": float(amount), **kw}


# --- PRO01 tender avoided ----------------------------------------------------------------------

ORDER16 = "必须招标的工程项目规定 (国家发展改革委令第16号) 第五条"
ORDER3 = "工程建设项目招标范围和规模标准规定 (国家计委令第3号) 第七条"
GP_BASIS = "政府采购货物和服务公开招标数额标准 (财库〔2019〕69号)"
D20 = "2020-03-01"  # an event date under 令第16号


def dated(**kw):
    """A tender noticed under 令第16号 unless told otherwise."""
    return {"notice_date": D20, **kw}


def with_unknown(tables, *cells):
    """The dataset as the loader would give it, remembering ``cells`` (table, row label, column) as
    unreadable: the loader empties such a cell, so the tables hold it empty."""
    unknown = pd.DataFrame(list(cells), columns=["table", "row", "column"]).assign(value="?")
    return SimpleNamespace(tables=tables, unknown=unknown)


def partly(nr, check_id):
    """The count of entities ``check_id`` left unjudged (0 when it judged them all)."""
    hit = nr[(nr["check_id"] == check_id) & (nr["reason"] == "partly judged")]
    return int(hit["entities"].iloc[0]) if len(hit) else 0


def test_pro01_threshold_is_reached_at_equality_and_county_is_the_projects(build, run_check):
    t = build(projects=[project("P1")],
              tenders=[tender("T1", method="negotiation", budget=400 * WAN, **dated()),
                       tender("T2", method="negotiation", budget=400 * WAN - 0.01, **dated()),
                       tender("T3", method="open", budget=900 * WAN, **dated())])
    f, nr = run_check("PRO01", t, AS_OF)
    assert ids(f) == ["T1"] and nr.empty
    r = row(f, "T1")
    assert r["severity"] == "high" and r["county"] == "甲县" and r["project_id"] == "P1"
    assert r["amount"] == 400 * WAN and r["entity_type"] == "tender"
    assert "竞争性谈判" in r["detail"] and "400.00万元" in r["detail"]
    assert r["basis"] == ORDER16  # the finding cites its period's basis


def test_pro01_invited_is_medium(build, run_check):
    t = build(projects=[project("P1")], tenders=[tender("T1", method="invited", budget=500 * WAN, **dated())])
    f, _ = run_check("PRO01", t, AS_OF)
    assert row(f, "T1")["severity"] == "medium"


def test_pro01_threshold_depends_on_kind_and_project_link(build, run_check):
    t = build(projects=[project("P1")],
              tenders=[tender("LS", kind="services", method="inquiry", budget=150 * WAN, **dated()),  # linked: 100万
                       tender("GS", pid=None, kind="services", method="inquiry", budget=150 * WAN, **dated()),
                       tender("GG", pid=None, kind="goods", method="inquiry", budget=200 * WAN, **dated()),
                       tender("LG", kind="goods", method="inquiry", budget=199 * WAN, **dated()),
                       tender("UK", pid=None, kind="unknown", method="direct", budget=9000 * WAN, **dated())])
    f, _ = run_check("PRO01", t, AS_OF)
    assert ids(f) == ["GG", "LS"]
    assert row(f, "GG")["county"] == "乙县"  # no project: the tender's county
    assert pd.isna(row(f, "GG")["project_id"])
    assert row(f, "GG")["basis"] == GP_BASIS and row(f, "LS")["basis"] == ORDER16


def test_pro01_value_falls_back_to_ceiling_then_award(build, run_check):
    t = build(projects=[project("P1")],
              tenders=[tender("CEIL", method="direct", ceiling_price=450 * WAN, award_amount=10 * WAN, **dated()),
                       tender("AWD", method="direct", award_amount=450 * WAN, award_date="2020-05-01"),
                       tender("BUDGET", method="direct", budget=10 * WAN, ceiling_price=450 * WAN, **dated()),
                       tender("LATE", method="direct", award_amount=450 * WAN, award_date="2020-10-01", **dated())])
    f, nr = run_check("PRO01", t, AS_OF)
    # LATE: the award comes after as_of, so its amount is not yet known; AWD: award_date is its event date
    assert ids(f) == ["AWD", "CEIL"] and nr.empty
    assert "最高限价" in row(f, "CEIL")["detail"] and "中标金额" in row(f, "AWD")["detail"]


def test_pro01_contracts_without_tender(build, run_check):
    t = build(projects=[project("P1")],
              tenders=[tender("T1", budget=1000 * WAN, **dated())],
              contracts=[contract("C-W", amount=400 * WAN, kind="works"),
                         contract("C-S", amount=100 * WAN, kind="services"),
                         contract("C-G", amount=199 * WAN, kind="goods"),
                         contract("C-T", amount=900 * WAN, kind="works", tender_id="T1"),
                         contract("C-N1", amount=399 * WAN),  # no kind: the highest threshold (400万)
                         contract("C-N2", amount=400 * WAN),
                         contract("C-LATE", amount=900 * WAN, kind="works", sign="2020-10-01")])
    f, _ = run_check("PRO01", t, AS_OF)
    assert ids(f) == ["C-N2", "C-S", "C-W"]
    r = row(f, "C-W")
    assert r["severity"] == "high" and r["county"] == "甲县" and r["amount"] == 400 * WAN
    assert "合同无招标记录" in r["detail"] and r["basis"] == ORDER16
    assert "未注明类别" in row(f, "C-N2")["detail"]
    # the spec's entity is the contract when there is no tender, and the finding_id follows it
    from kpt_audit.findings import finding_id
    assert r["entity_type"] == "contract" and r["finding_id"] == finding_id("PRO01", "contract", "C-W")


def test_pro01_each_side_of_2018_06_01(build, run_check):
    # 国家计委令第3号 to 2018-05-31 (works 200万, goods 100万, services 50万), 令第16号 from 2018-06-01
    t = build(projects=[project("P1", total_investment=2000 * WAN)],
              tenders=[tender("W-0531", method="negotiation", budget=250 * WAN, notice_date="2018-05-31"),
                       tender("W-0601", method="negotiation", budget=250 * WAN, notice_date="2018-06-01"),
                       tender("G-0531", kind="goods", method="inquiry", budget=100 * WAN, notice_date="2018-05-31"),
                       tender("G-BELOW", kind="goods", method="inquiry", budget=100 * WAN - 1,
                              notice_date="2018-05-31"),
                       tender("S-AWARD", kind="services", method="direct", budget=50 * WAN,
                              award_date="2018-05-31"),  # no notice: the award date is the event date
                       tender("S-0601", kind="services", method="direct", budget=99 * WAN, notice_date="2018-06-01",
                              award_date="2018-05-31")],  # the notice date wins over the award date
              contracts=[contract("C-0531", amount=200 * WAN, kind="works", sign="2018-05-31"),
                         contract("C-0601", amount=200 * WAN, kind="works", sign="2018-06-01")])
    f, nr = run_check("PRO01", t, AS_OF)
    assert ids(f) == ["C-0531", "G-0531", "S-AWARD", "W-0531"] and nr.empty
    assert set(f["basis"]) == {ORDER3}
    assert "200.00万元" in row(f, "W-0531")["detail"]


def test_pro01_project_total_under_order_3(build, run_check):
    t = build(projects=[project("BIG", total_investment=3000 * WAN), project("SMALL", total_investment=3000 * WAN - 1),
                        project("NOTOTAL")],
              tenders=[tender("T-BIG", pid="BIG", kind="goods", method="inquiry", budget=5 * WAN,
                              notice_date="2018-05-31"),
                       tender("T-INV", pid="BIG", kind="goods", method="invited", notice_date="2018-03-01"),  # no value
                       tender("T-0601", pid="BIG", kind="goods", method="inquiry", budget=5 * WAN,
                              notice_date="2018-06-01"),
                       tender("T-SMALL", pid="SMALL", kind="goods", method="inquiry", budget=5 * WAN,
                              notice_date="2018-05-31"),
                       tender("T-NOTOTAL", pid="NOTOTAL", kind="goods", method="inquiry", budget=5 * WAN,
                              notice_date="2018-05-31"),
                       tender("T-OPEN", pid="BIG", kind="goods", method="open", budget=5 * WAN,
                              notice_date="2018-05-31"),
                       tender("T-GP", pid=None, kind="goods", method="inquiry", budget=5 * WAN,
                              notice_date="2018-05-31")],
              contracts=[contract("C-BIG", pid="BIG", amount=10 * WAN, kind="goods", sign="2018-05-01"),
                         contract("C-BIG-LATER", pid="BIG", amount=10 * WAN, kind="goods", sign="2018-06-01")])
    f, nr = run_check("PRO01", t, AS_OF)
    assert ids(f) == ["C-BIG", "T-BIG", "T-INV"] and nr.empty
    r = row(f, "T-BIG")
    assert r["amount"] == 5 * WAN and r["basis"] == ORDER3 and r["severity"] == "high"
    assert "3,000.00万元" in r["detail"] and "总投资" in r["detail"]
    assert row(f, "T-INV")["severity"] == "medium" and pd.isna(row(f, "T-INV")["amount"])
    assert "合同无招标记录" in row(f, "C-BIG")["detail"] and "总投资" in row(f, "C-BIG")["detail"]
    en, _ = run_check("PRO01", t, AS_OF, lang="en")
    assert row(en, "T-BIG")["detail"] == ("Method inquiry; the project's total investment 30,000,000 yuan reaches the "
                                          "project total of 30,000,000 yuan (every procurement of such a project had "
                                          "to be tendered)")


def test_pro01_scope_enterprise_services_exemptions(build, run_check):
    big = dict(method="single_source", budget=900 * WAN, **dated())
    svc = dict(kind="services", method="negotiation", budget=150 * WAN, **dated())
    t = build(projects=[project("P1"), project("ENT", category="enterprise"), project("GOV", category=None)],
              tenders=[tender("ENT", pid="ENT", **big),
                       tender("GOV", pid="GOV", **big),  # no category: government-invested
                       tender("NOPROJ", pid="NOWHERE", **big),  # project not in the table: in scope
                       tender("EXEMPT", exemption="抢险救灾", **big),
                       tender("APPROVED", method_approval="某发改批〔2020〕1号", **{**big, "method": "invited"}),
                       tender("NONE-WRITTEN", exemption="无", method_approval="不详", **big),
                       # words the loader reads as an empty cell say there is no ground either
                       tender("NONE-SAID", exemption="没有", method_approval="暂无", **big),
                       tender("NONE-EN", exemption="None", method_approval="N/A", **big),
                       tender("NOT-APPLICABLE", exemption="（不适用）", **big),
                       tender("S-OTHER", service_type="other", **svc),
                       tender("S-DESIGN", service_type="design", **svc),
                       tender("S-SURVEY", service_type="survey", **svc),
                       tender("S-SUPER", service_type="supervision", **svc),
                       tender("S-EMPTY", **svc),
                       tender("GP-OTHER", pid=None, service_type="other", **{**svc, "budget": 250 * WAN})],
              contracts=[contract("C-ENT", pid="ENT", amount=900 * WAN, kind="works"),
                         contract("C-EXEMPT", amount=900 * WAN, kind="works", exemption="涉及国家安全"),
                         contract("C-NONE", amount=900 * WAN, kind="works", exemption="暂无"),
                         contract("C-OTHER", amount=150 * WAN, kind="services", service_type="other"),
                         contract("C-DESIGN", amount=150 * WAN, kind="services", service_type="design")])
    f, nr = run_check("PRO01", t, AS_OF)
    assert ids(f) == ["C-DESIGN", "C-NONE", "GOV", "GP-OTHER", "NONE-EN", "NONE-SAID", "NONE-WRITTEN", "NOPROJ",
                      "NOT-APPLICABLE", "S-DESIGN", "S-EMPTY", "S-SUPER", "S-SURVEY"]
    assert nr.empty


def test_pro01_entities_with_no_event_date_are_partly_judged(build, run_check):
    t = build(projects=[project("P1")],
              tenders=[tender("NODATE", method="negotiation", budget=900 * WAN),
                       tender("NODATE-NOVALUE", method="negotiation"),
                       tender("LATE-AWARD", method="negotiation", budget=900 * WAN, award_date="2020-10-01"),
                       tender("OPEN", budget=900 * WAN),  # open: not PRO01's to judge
                       tender("EXEMPT", method="negotiation", budget=900 * WAN, exemption="抢险救灾"),
                       tender("OK", method="negotiation", budget=900 * WAN, **dated())])
    f, nr = run_check("PRO01", t, AS_OF)
    assert ids(f) == ["OK"]
    assert list(nr["check_id"]) == ["PRO01"] and nr.iloc[0]["reason"] == "partly judged"
    assert partly(nr, "PRO01") == 3


def test_pro01_dates_outside_every_period_are_not_judged(build, run_check):
    periods = [{"from": pd.Timestamp("2019-01-01"), "to": None, "basis": "某省规定",
                "works": 300 * WAN, "goods": 150 * WAN, "services": 150 * WAN}]
    t = build(tenders=[tender("GAP", pid=None, method="inquiry", budget=350 * WAN, notice_date="2018-12-31"),
                       tender("IN", pid=None, method="inquiry", budget=300 * WAN, notice_date="2019-01-01")])
    f, nr = run_check("PRO01", t, AS_OF, gp_open_thresholds=periods)
    assert ids(f) == ["IN"] and row(f, "IN")["basis"] == "某省规定" and partly(nr, "PRO01") == 1


def test_pro01_a_contract_citing_a_tender_not_in_the_data_is_not_judged_but_counted(build, run_check):
    """A tender_id the tenders table does not hold (a typo, a tender left out): tendered or not cannot be
    told, so no finding either way; counted when it reaches the threshold.  PRO16 leaves it out too."""
    t = build(projects=[project("P1", department="交通局")],
              tenders=[tender("T-REAL", budget=900 * WAN, **dated())],
              contracts=[contract("C-REAL", amount=900 * WAN, kind="works", tender_id="T-REAL"),
                         contract("C-GHOST", amount=900 * WAN, kind="works", tender_id="T-GHOST"),
                         contract("C-GHOST-SMALL", amount=50 * WAN, kind="works", tender_id="T-GONE"),
                         contract("C-NONE", amount=900 * WAN, kind="works")])
    f, nr = run_check("PRO01", t, AS_OF)
    assert ids(f) == ["C-NONE"] and partly(nr, "PRO01") == 1
    # without a tenders table nothing tells a cited tender missing: contracts with a tender_id stay out
    del t["tenders"]
    f, nr = run_check("PRO01", t, AS_OF)
    assert ids(f) == ["C-NONE"] and partly(nr, "PRO01") == 0
    # three contracts just below the line, one citing a missing tender: no cluster of three
    near = [contract(f"N{i}", amount=390 * WAN, kind="works", sign=f"2020-0{i}-01") for i in (1, 2)]
    t = build(projects=[project("P1", department="交通局")], tenders=[tender("T-REAL", budget=900 * WAN, **dated())],
              contracts=[*near, contract("N3", amount=390 * WAN, kind="works", tender_id="T-GHOST")])
    assert run_check("PRO16", t, AS_OF)[0].empty
    t["contracts"].loc[2, "tender_id"] = None
    assert ids(run_check("PRO16", t, AS_OF)[0]) == ["交通局|2020|works"]


def test_pro01_unreadable_cells_hold_back_the_findings_resting_on_them(build, run_check):
    t = build(projects=[project("P1", total_investment=2000 * WAN), project("BIG", total_investment=5000 * WAN)],
              tenders=[tender("CEIL", method="direct", ceiling_price=450 * WAN, **dated()),       # 0: budget unreadable
                       tender("CEIL-LOW", method="direct", ceiling_price=50 * WAN, **dated()),    # 1: budget unreadable
                       tender("AWARD", method="direct", award_amount=450 * WAN, award_date="2020-05-01",
                              **dated()),                                                          # 2: award_date unreadable
                       tender("BYAWARD", method="direct", budget=450 * WAN, award_date="2020-05-01"),  # 3: notice unreadable
                       tender("TOTAL", pid="BIG", kind="goods", method="inquiry", ceiling_price=5 * WAN,
                              notice_date="2018-05-01"),                                           # 4: budget unreadable
                       tender("FINE", method="direct", budget=450 * WAN, **dated())])              # 5
    ds = with_unknown(t, ("tenders", 0, "budget"), ("tenders", 1, "budget"), ("tenders", 2, "award_date"),
                      ("tenders", 3, "notice_date"), ("tenders", 4, "budget"))
    f, nr = run_check("PRO01", ds, AS_OF)
    # TOTAL stands on its project's total, not on its value
    assert ids(f) == ["FINE", "TOTAL"] and partly(nr, "PRO01") == 3


def test_pro01_an_unreadable_total_leaves_procurement_below_the_value_line_unjudged(build, run_check):
    """Under 3号令 (project_total) PRO01 might report the tender by its project's total: not judged."""
    t = build(projects=[project("P1")],
              tenders=[tender("T", kind="goods", method="inquiry", budget=5 * WAN, notice_date="2018-05-01"),
                       tender("BY-VALUE", kind="goods", method="inquiry", budget=150 * WAN, notice_date="2018-05-01"),
                       tender("16", kind="goods", method="inquiry", budget=5 * WAN, notice_date="2018-06-01")])
    f, nr = run_check("PRO01", with_unknown(t, ("projects", 0, "total_investment")), AS_OF)
    # BY-VALUE reaches 1,000,000 whatever the total; from 2018-06-01 no period has a project_total
    assert ids(f) == ["BY-VALUE"] and partly(nr, "PRO01") == 1


def test_pro01_runs_on_contracts_alone_and_not_run_without_either(build, run_check):
    t = build(projects=[project("P1")], contracts=[contract("C1", amount=500 * WAN, kind="works")])
    f, nr = run_check("PRO01", t, AS_OF)
    assert ids(f) == ["C1"] and nr.empty
    f, nr = run_check("PRO01", build(projects=[project("P1")]), AS_OF)
    assert f.empty and list(nr["check_id"]) == ["PRO01"]


def test_pro01_pro02_pro16_not_run_on_foreign_currency(build, run_check):
    rows = [tender("T1", method="direct", budget=500 * WAN, currency="USD", **dated()),
            tender("T2", method="direct", budget=500 * WAN, currency="CNY", **dated())]
    for check_id in ("PRO01", "PRO02", "PRO16"):
        f, nr = run_check(check_id, build(tenders=rows), AS_OF)
        assert f.empty and "USD" in nr.iloc[0]["reason"]
    f, nr = run_check("PRO01", build(tenders=[{**rows[1]}, {**rows[0], "currency": "人民币"}]), AS_OF)
    assert ids(f) == ["T1", "T2"] and nr.empty


def test_pro01_empty_tables_give_nothing(build, run_check):
    t = {"tenders": empty("tenders", ["tender_id", "county", "buyer", "kind", "method", "budget"]),
         "contracts": empty("contracts", ["contract_id", "project_id", "supplier_id", "sign_date", "amount"])}
    f, nr = run_check("PRO01", t, AS_OF)
    assert f.empty and nr.empty


def test_pro01_english_detail(build, run_check):
    t = build(tenders=[tender("T1", pid=None, kind="goods", method="single_source", budget=300 * WAN, **dated())])
    f, _ = run_check("PRO01", t, AS_OF, lang="en")
    assert row(f, "T1")["detail"] == ("Method single_source; budget 3,000,000 yuan reaches the open-tender "
                                      "threshold for goods of 2,000,000 yuan")


# --- PRO02 split purchase ----------------------------------------------------------------------

def test_pro02_a_projects_tenders_add_up_over_the_years(build, run_check):
    t = build(projects=[project("P1")],
              tenders=[tender("T9", method="inquiry", budget=150 * WAN, notice_date="2019-01-05"),
                       tender("T10", method="negotiation", budget=150 * WAN, notice_date="2020-03-05"),
                       tender("T2", method="direct", budget=150 * WAN, notice_date="2020-06-05"),
                       tender("T3", method="open", budget=150 * WAN, notice_date="2020-06-05"),
                       tender("G1", kind="goods", method="direct", budget=150 * WAN, notice_date="2020-06-05")])
    f, nr = run_check("PRO02", t, AS_OF)
    assert ids(f) == ["T10+T2+T9"] and nr.empty
    r = row(f, "T10+T2+T9")
    assert r["entity_type"] == "tender_group" and r["amount"] == 450 * WAN
    assert r["project_id"] == "P1" and r["county"] == "甲县"
    assert "3次" in r["detail"] and "450.00万元" in r["detail"] and "2020-06-05" in r["detail"]
    assert r["basis"] == "招标投标法 第四条; 招标投标法实施条例 第二十四条; " + ORDER16


def test_pro02_boundary_sum_equal_to_threshold(build, run_check):
    at = build(tenders=[tender("A", method="direct", budget=200 * WAN - 1, notice_date="2020-01-01"),
                        tender("B", method="direct", budget=200 * WAN + 1, notice_date="2020-02-01")])
    below = build(tenders=[tender("A", method="direct", budget=200 * WAN - 1, notice_date="2020-01-01"),
                           tender("B", method="direct", budget=200 * WAN, notice_date="2020-02-01")])
    assert ids(run_check("PRO02", at, AS_OF)[0]) == ["A+B"]
    assert run_check("PRO02", below, AS_OF)[0].empty


def test_pro02_tenders_pro01_reports_leave_the_group(build, run_check):
    t = build(tenders=[tender("A", method="direct", budget=400 * WAN, notice_date="2020-01-01"),
                       tender("B", method="direct", budget=100 * WAN, notice_date="2020-02-01"),
                       tender("C", method="direct", budget=100 * WAN, notice_date="2020-02-01")])
    assert run_check("PRO02", t, AS_OF)[0].empty
    # under 令第3号 a project of 3000万 or more makes each of its tenders PRO01's
    t = build(projects=[project("BIG", total_investment=3000 * WAN)],
              tenders=[tender("A", pid="BIG", kind="goods", method="inquiry", budget=50 * WAN, notice_date="2018-05-01"),
                       tender("B", pid="BIG", kind="goods", method="inquiry", budget=150 * WAN, notice_date="2018-07-01"),
                       tender("C", pid="BIG", kind="goods", method="inquiry", budget=60 * WAN, notice_date="2019-07-01")])
    assert ids(run_check("PRO01", t, AS_OF)[0]) == ["A"]
    f, _ = run_check("PRO02", t, AS_OF)
    assert ids(f) == ["B+C"] and row(f, "B+C")["amount"] == 210 * WAN


def test_pro02_groups_project_tenders_by_project_and_kind_others_by_buyer_year_kind(build, run_check):
    base = dict(method="direct", budget=250 * WAN, notice_date="2020-01-01")
    t = build(tenders=[tender("A", buyer="交通局", **base), tender("B", buyer="水利局", **base),
                       tender("C", pid="P1", **base), tender("D", pid="P2", **base),
                       tender("E", kind="works", notice_date="2019-01-01", **{k: v for k, v in base.items()
                                                                               if k != "notice_date"}),
                       tender("F", kind="goods", **base),
                       tender("G1", pid=None, buyer="交通局", **base), tender("G2", pid=None, buyer="水利局", **base),
                       tender("G3", pid=None, buyer="交通局", **{**base, "notice_date": "2019-12-31"}),
                       tender("G4", pid=None, buyer="交通局", **{**base, "notice_date": "2020-12-01"})])
    f, _ = run_check("PRO02", t, "2020-12-31")
    # P1's works whoever the buyer and whatever the year; 交通局's 2020 works without project
    assert ids(f) == ["A+B+C+E", "G1+G4"]
    assert row(f, "G1+G4")["basis"] == "政府采购法实施条例 第二十八条; " + GP_BASIS
    assert "交通局2020年" in row(f, "G1+G4")["detail"]


def test_pro02_year_from_award_date_and_no_project_uses_gp_thresholds(build, run_check):
    t = build(tenders=[tender("G1", pid=None, kind="goods", method="inquiry", budget=120 * WAN,
                              award_date="2020-02-01", county="丙县"),
                       tender("G2", pid=None, kind="goods", method="inquiry", budget=80 * WAN,
                              notice_date="2020-07-01", county="乙县"),
                       tender("G3", pid=None, kind="goods", method="inquiry", budget=80 * WAN)])  # no year
    f, nr = run_check("PRO02", t, AS_OF)
    assert ids(f) == ["G1+G2"]
    r = row(f, "G1+G2")
    # no project: the county most of the tenders have; a tie goes to the smallest name
    assert pd.isna(r["project_id"]) and r["county"] == min("丙县", "乙县")
    assert partly(nr, "PRO02") == 1  # G3 has no event date


def test_pro02_item_code_splits_purchases_without_project(build, run_check):
    base = dict(pid=None, kind="goods", method="inquiry", budget=110 * WAN, notice_date="2020-01-01")
    t = build(tenders=[tender("A1", item_code="A02010000", **base), tender("A2", item_code="A02010000", **base),
                       tender("B1", item_code="A05010000", **base),
                       tender("E1", **base), tender("E2", item_code="", **base),
                       tender("P1-A", pid="P1", item_code="X", **{k: v for k, v in base.items() if k != "pid"}),
                       tender("P1-B", pid="P1", item_code="Y", **{k: v for k, v in base.items() if k != "pid"})])
    f, _ = run_check("PRO02", t, AS_OF)
    # item codes group purchases without project; a project's tenders ignore them
    assert ids(f) == ["A1+A2", "E1+E2", "P1-A+P1-B"]
    assert "品目A02010000" in row(f, "A1+A2")["detail"] and "品目" not in row(f, "E1+E2")["detail"]


def test_pro02_each_side_of_2018_06_01(build, run_check):
    # each tender below its own threshold; the sum against the threshold of the group's latest date
    t = build(projects=[project("P1", total_investment=2000 * WAN), project("P2", total_investment=2000 * WAN)],
              tenders=[tender("A", kind="goods", method="inquiry", budget=90 * WAN, notice_date="2018-03-01"),
                       tender("B", kind="goods", method="inquiry", budget=90 * WAN, notice_date="2018-05-31"),
                       tender("C", pid="P2", kind="goods", method="inquiry", budget=90 * WAN, notice_date="2018-03-01"),
                       tender("D", pid="P2", kind="goods", method="inquiry", budget=90 * WAN, notice_date="2018-06-01")])
    f, _ = run_check("PRO02", t, AS_OF)
    assert ids(f) == ["A+B"]  # 180万 reaches 100万 (令第3号); C+D: 180万 is below 200万 (令第16号)
    r = row(f, "A+B")
    assert r["basis"].endswith(ORDER3) and "100.00万元" in r["detail"]


def test_pro02_scope_and_unreadable_values(build, run_check):
    base = dict(method="direct", budget=250 * WAN, notice_date="2020-01-01")
    t = build(projects=[project("P1"), project("ENT", category="enterprise")],
              tenders=[tender("E1", pid="ENT", **base), tender("E2", pid="ENT", **base),
                       tender("X1", exemption="抢险", **base), tender("X2", **base), tender("X3", **base),
                       tender("U", ceiling_price=250 * WAN, **{**base, "budget": None})])
    ds = with_unknown(t, ("tenders", 5, "budget"))
    f, nr = run_check("PRO02", ds, AS_OF)
    assert ids(f) == ["X2+X3"] and partly(nr, "PRO02") == 1



def test_pro02_and_pro16_leave_out_procurement_of_a_project_whose_total_is_unreadable(build, run_check):
    """Before 2018-06-01 PRO01 reports a project's procurement by its total (3号令): with the total unreadable
    PRO01 might have reported these tenders, so they are in no group and are counted (checks.md, DQ)."""
    base = dict(kind="goods", method="inquiry", budget=95 * WAN, buyer="交通局")
    tenders = [tender(f"T{i}", notice_date=f"2018-0{i}-01", **base) for i in (1, 2, 3)]
    t = build(projects=[project("P1", department="交通局")], tenders=tenders)
    assert ids(run_check("PRO02", t, AS_OF)[0]) == ["T1+T2+T3"]
    assert ids(run_check("PRO16", t, AS_OF)[0]) == ["交通局|2018|goods"]
    unreadable_total = with_unknown(t, ("projects", 0, "total_investment"))
    for check_id in ("PRO02", "PRO16"):
        f, nr = run_check(check_id, unreadable_total, AS_OF)
        assert f.empty and partly(nr, check_id) == 3
    # from 2018-06-01 no period has a project_total: the total does not matter
    later = build(projects=[project("P1")], tenders=[tender(f"T{i}", notice_date=f"2019-0{i}-01",
                                                            **{**base, "budget": 190 * WAN}) for i in (1, 2, 3)])
    f, nr = run_check("PRO16", with_unknown(later, ("projects", 0, "total_investment")), AS_OF)
    assert ids(f) == ["交通局|2019|goods"] and nr.empty

def test_pro02_unknown_kind_and_missing_inputs(build, run_check):
    t = build(tenders=[tender("A", kind="unknown", method="direct", budget=300 * WAN, notice_date="2020-01-01"),
                       tender("B", kind="unknown", method="direct", budget=300 * WAN, notice_date="2020-01-01")])
    assert run_check("PRO02", t, AS_OF)[0].empty
    t = build(tenders=[{k: v for k, v in tender("A").items() if k != "buyer"}])
    f, nr = run_check("PRO02", t, AS_OF)
    assert f.empty and "buyer" in nr.iloc[0]["reason"]
    t = {"tenders": empty("tenders", ["tender_id", "county", "buyer", "kind", "method"])}
    f, nr = run_check("PRO02", t, AS_OF)
    assert f.empty and nr.empty


# --- PRO16 below-threshold cluster ---------------------------------------------------------------

def test_pro16_three_purchases_just_below_the_threshold(build, run_check):
    base = dict(pid=None, kind="goods", method="inquiry", buyer="教育局", county="丙县")
    t = build(tenders=[tender("A", budget=180 * WAN, notice_date="2020-01-10", **base),      # 0.9 x 200万: in
                       tender("B", budget=200 * WAN - 1, notice_date="2020-03-10", **base),  # just below: in
                       tender("C", budget=190 * WAN, notice_date="2020-05-10", item_code="X", **base),
                       tender("D", budget=180 * WAN - 1, notice_date="2020-05-10", **base),  # below the band
                       tender("E", budget=200 * WAN, notice_date="2020-05-10", **base)])     # at it: PRO01's
    f, nr = run_check("PRO16", t, AS_OF)
    assert ids(f) == ["教育局|2020|goods"] and nr.empty
    r = row(f, "教育局|2020|goods")
    assert r["entity_type"] == "buyer_group" and r["severity"] == "medium" and r["county"] == "丙县"
    assert r["amount"] == 570 * WAN - 1 and pd.isna(r["project_id"])
    assert "3项" in r["detail"] and "A、B、C" in r["detail"] and "10%" in r["detail"]
    assert r["basis"] == "招标投标法 第四条; 政府采购法 第二十八条; " + GP_BASIS
    f, _ = run_check("PRO16", t, AS_OF, below_line_count=4)
    assert f.empty
    f, _ = run_check("PRO16", t, AS_OF, below_line_band=0.11)  # D joins
    assert "A、B、C、D" in row(f, "教育局|2020|goods")["detail"]


def test_pro16_groups_by_buyer_year_and_kind_and_leaves_open_and_exempt_out(build, run_check):
    base = dict(pid=None, kind="goods", method="inquiry", budget=190 * WAN)
    t = build(tenders=[tender("A", buyer="甲", notice_date="2020-01-10", **base),
                       tender("B", buyer="甲", notice_date="2020-02-10", **base),
                       tender("C", buyer="甲", notice_date="2019-02-10", **base),    # another year
                       tender("D", buyer="乙", notice_date="2020-02-10", **base),    # another buyer
                       tender("E", buyer="甲", notice_date="2020-02-10", **{**base, "kind": "services"}),
                       tender("F", buyer="甲", notice_date="2020-02-10", **{**base, "method": "open"}),
                       tender("G", buyer="甲", notice_date="2020-02-10", exemption="涉密", **base)])
    assert run_check("PRO16", t, AS_OF)[0].empty


def test_pro16_contracts_without_tender_and_the_threshold_in_force_on_each_date(build, run_check):
    # works: 200万 to 2018-05-31 (band 180万-200万), 400万 from 2018-06-01 (band 360万-400万)
    t = build(projects=[project("P1", department="水利局", county="丁县", total_investment=2000 * WAN)],
              tenders=[tender("T1", method="negotiation", buyer="水利局", budget=190 * WAN, notice_date="2018-03-01"),
                       tender("T2", method="negotiation", buyer="水利局", budget=370 * WAN, notice_date="2018-06-01")],
              contracts=[contract("K1", amount=185 * WAN, kind="works", sign="2018-05-31"),
                         contract("K2", amount=190 * WAN, kind="works", sign="2018-06-01"),   # below 360万: out
                         contract("K3", amount=385 * WAN, kind="works", sign="2018-07-01", tender_id="T2")])
    f, _ = run_check("PRO16", t, AS_OF)
    assert ids(f) == ["水利局|2018|works"]
    r = row(f, "水利局|2018|works")
    assert "K1、T1、T2" in r["detail"] and r["county"] == "乙县"  # the buyer's tenders name 乙县
    assert r["basis"] == f"招标投标法 第四条; 政府采购法 第二十八条; {ORDER3}; {ORDER16}"


def test_pro16_a_buyer_without_tenders_takes_its_projects_county(build, run_check):
    t = build(projects=[project("P1", department="卫健委", county="丁县")],
              contracts=[contract(f"K{i}", amount=95 * WAN, kind="services", sign=f"2020-0{i}-01") for i in (1, 2, 3)])
    f, nr = run_check("PRO16", t, AS_OF)
    assert ids(f) == ["卫健委|2020|services"] and row(f, "卫健委|2020|services")["county"] == "丁县" and nr.empty


def test_pro16_left_out_items_are_counted_and_not_run(build, run_check):
    base = dict(pid=None, kind="goods", method="inquiry", budget=190 * WAN, buyer="甲")
    t = build(tenders=[tender("A", notice_date="2020-01-10", **base), tender("B", notice_date="2020-02-10", **base),
                       tender("C", **base),  # no event date
                       tender("D", notice_date="2020-03-10", **{**base, "budget": None}, ceiling_price=190 * WAN)])
    f, nr = run_check("PRO16", with_unknown(t, ("tenders", 3, "budget")), AS_OF)
    assert f.empty and partly(nr, "PRO16") == 2
    f, nr = run_check("PRO16", build(projects=[project("P1")]), AS_OF)
    assert f.empty and nr.iloc[0]["reason"].startswith("needs")


# --- PRO03 short bid period --------------------------------------------------------------------

def test_pro03_under_min_days_for_competitive_only(build, run_check):
    t = build(projects=[project("P1")],
              tenders=[tender("SHORT", notice_date="2020-01-01", bid_deadline="2020-01-20"),
                       tender("EXACT", notice_date="2020-01-01", bid_deadline="2020-01-21"),
                       tender("INV", method="invited", notice_date="2020-01-01", bid_deadline="2020-01-05"),
                       tender("NEG", method="negotiation", notice_date="2020-01-01", bid_deadline="2020-01-05"),
                       tender("NODATE", bid_deadline="2020-01-05")])
    f, _ = run_check("PRO03", t, AS_OF)
    assert ids(f) == ["INV", "SHORT"]
    r = row(f, "SHORT")
    assert r["severity"] == "medium" and r["county"] == "甲县"
    assert "2020-01-01" in r["detail"] and "2020-01-20" in r["detail"] and "19天" in r["detail"]
    assert "20天" in r["detail"]


def test_pro03_not_run_without_dates(build, run_check):
    f, nr = run_check("PRO03", build(tenders=[tender("A", notice_date="2020-01-01")]), AS_OF)
    assert f.empty and "bid_deadline" in nr.iloc[0]["reason"]


def test_pro03_an_unreadable_date_beside_a_known_one_is_not_judged(build, run_check):
    t = build(tenders=[tender("A", bid_deadline="2020-01-20"), tender("B", notice_date="2020-01-01"),
                       tender("C", method="negotiation", bid_deadline="2020-01-20"), tender("D"),
                       tender("E", notice_date="2020-01-01", bid_deadline="2020-01-05")])
    f, nr = run_check("PRO03", with_unknown(t, ("tenders", 0, "notice_date"), ("tenders", 1, "bid_deadline"),
                                            ("tenders", 2, "notice_date"), ("tenders", 3, "notice_date")), AS_OF)
    assert ids(f) == ["E"] and partly(nr, "PRO03") == 2  # C is not competitive, D has no deadline


def test_a_tender_findings_amount_is_none_when_its_award_amount_is_unreadable(build, run_check):
    """The budget would stand in for a sum written but unreadable: the finding holds, without an amount."""
    t = build(tenders=[tender("A", notice_date="2020-01-01", bid_deadline="2020-01-05", budget=50 * WAN),
                       tender("B", notice_date="2020-01-01", bid_deadline="2020-01-05", budget=50 * WAN)])
    f, _ = run_check("PRO03", with_unknown(t, ("tenders", 0, "award_amount")), AS_OF)
    assert ids(f) == ["A", "B"]
    assert pd.isna(row(f, "A")["amount"]) and row(f, "B")["amount"] == 50 * WAN


# --- PRO04 too few bids / PRO15 few valid bids ------------------------------------------------------

def test_pro04_counts_distinct_bidders_submitted_in_awarded_competitive_tenders(build, run_check):
    awarded = dict(winner_id="S1", award_date="2020-05-01", award_amount=90 * WAN)
    t = build(tenders=[tender("FEW", pid=None, **awarded), tender("OK", pid=None, **awarded),
                       tender("LATE", pid=None, winner_id="S1", award_date="2020-10-01"),
                       tender("OPEN", pid=None), tender("NEG", pid=None, method="negotiation", **awarded),
                       tender("NOBIDS", pid=None, **awarded), tender("TWICE", pid=None, **awarded)],
              bids=[bid("FEW", "S1", 90 * WAN), bid("FEW", "S2", 95 * WAN),
                    bid("OK", "S1", 90 * WAN), bid("OK", "S2", 95 * WAN), bid("OK", "S3", 96 * WAN, disqualified=True),
                    bid("LATE", "S1", 1), bid("OPEN", "S1", 1), bid("NEG", "S1", 1),
                    bid("TWICE", "S1", 1), bid("TWICE", "S2", 2), bid("TWICE", "S2", 3)])
    f, _ = run_check("PRO04", t, AS_OF)
    # OK: three bidders submitted bids, one of them disqualified (that is PRO15's)
    assert ids(f) == ["FEW", "TWICE"]
    r = row(f, "FEW")
    assert r["severity"] == "high" and r["county"] == "乙县" and r["amount"] == 90 * WAN
    assert "投标人2家" in r["detail"] and "投标2份" in r["detail"] and "3家" in r["detail"]
    assert "投标3份" in row(f, "TWICE")["detail"]


def test_pro04_award_amount_alone_marks_award(build, run_check):
    t = build(tenders=[tender("A", award_amount=10 * WAN), tender("B", award_amount=10 * WAN)],
              bids=[bid("A", "S1", 1), bid("A", "S2", 2),
                    bid("B", "S1", 1), bid("B", "S2", 2), bid("B", "S3", 3)])
    f, _ = run_check("PRO04", t, AS_OF)
    assert ids(f) == ["A"]
    f, _ = run_check("PRO04", t, AS_OF, min_bidders=4)
    assert ids(f) == ["A", "B"]


def test_pro04_all_bids_disqualified_still_counts_the_bidders(build, run_check):
    t = build(tenders=[tender("A", winner_id="S1"), tender("B", winner_id="S1")],
              bids=[bid("A", "S1", 1, disqualified=True), bid("A", "S2", 2, disqualified=True),
                    *[bid("B", s, 1, disqualified=True) for s in ("S1", "S2", "S3")]])
    f, _ = run_check("PRO04", t, AS_OF)
    assert ids(f) == ["A"] and "投标人2家" in row(f, "A")["detail"]


def test_pro04_not_run_and_empty(build, run_check):
    f, nr = run_check("PRO04", build(tenders=[tender("A", winner_id="S1")]), AS_OF)
    assert f.empty and "bids" in nr.iloc[0]["reason"]
    t = build(tenders=[tender("A", winner_id="S1")]) | {"bids": empty("bids", ["tender_id", "bidder_id", "amount"])}
    f, nr = run_check("PRO04", t, AS_OF)
    assert f.empty and nr.empty


@pytest.mark.parametrize("check_id", ["PRO04", "PRO15"])
def test_pro04_pro15_not_run_without_any_award_column(build, run_check, check_id):
    """Neither winner_id nor award_amount: no tender can be known to be awarded (a run would only ever be
    silent); with award_amount alone a tender can."""
    bids = [bid("A", "S1", 1), bid("A", "S2", 2, disqualified=True)]
    t = build(tenders=[tender("A", winner_id="S1")], bids=bids)
    t["tenders"] = t["tenders"].drop(columns=[c for c in ("winner_id", "award_amount") if c in t["tenders"]])
    f, nr = run_check(check_id, t, AS_OF)
    assert f.empty and nr["reason"].tolist() == ["tenders: column(s) winner_id and award_amount missing"]
    t = build(tenders=[tender("A", award_amount=10 * WAN)], bids=bids)
    f, nr = run_check(check_id, t, AS_OF, min_bidders=3 if check_id == "PRO04" else 2)
    assert ids(f) == ["A"] and nr.empty


def test_pro15_fewer_valid_bidders_than_required(build, run_check):
    awarded = dict(winner_id="S1", award_date="2020-05-01", award_amount=90 * WAN)
    t = build(projects=[project("P1")],
              tenders=[tender("GP", pid=None, **awarded), tender("PROJ", **awarded), tender("THREE", **awarded),
                       tender("TWO", **awarded), tender("MIXED", **awarded), tender("BLANK", **awarded),
                       tender("INQ", method="inquiry", **awarded), tender("LATE", winner_id="S1", award_date="2020-10-01"),
                       tender("NOAWARD")],
              bids=[bid("GP", "S1", 1), bid("GP", "S2", 2), bid("GP", "S3", 3, disqualified=True),
                    bid("PROJ", "S1", 1), bid("PROJ", "S2", 2, disqualified=True), bid("PROJ", "S3", 3, disqualified=True),
                    bid("PROJ", "S4", 4),
                    bid("THREE", "S1", 1), bid("THREE", "S2", 2), bid("THREE", "S3", 3), bid("THREE", "S4", 4, disqualified=True),
                    bid("TWO", "S1", 1), bid("TWO", "S2", 2, disqualified=True),     # PRO04's, not PRO15's
                    # S3 has one bid disqualified and one not: a valid bidder
                    bid("MIXED", "S1", 1), bid("MIXED", "S2", 2), bid("MIXED", "S3", 3, disqualified=True),
                    bid("MIXED", "S3", 4),
                    bid("BLANK", "S1", 1), bid("BLANK", "S2", 2), {"tender_id": "BLANK", "bidder_id": "S3", "amount": 3.0},
                    *[bid(x, s, 1, disqualified=(s == "S3")) for x in ("INQ", "LATE", "NOAWARD") for s in ("S1", "S2", "S3")]])
    f, nr = run_check("PRO15", t, AS_OF)
    assert ids(f) == ["GP", "PROJ"] and nr.empty
    gp, proj = row(f, "GP"), row(f, "PROJ")
    assert gp["severity"] == "high" and gp["basis"] == "政府采购法 第三十六条" and pd.isna(gp["project_id"])
    assert proj["severity"] == "low" and proj["basis"] == "评标委员会和评标方法暂行规定 第二十七条"
    assert "投标人3家" in gp["detail"] and "仅2家" in gp["detail"] and "废标" in gp["detail"]
    assert "投标人4家" in proj["detail"] and "评标报告" in proj["detail"]
    f, _ = run_check("PRO15", t, AS_OF, min_bidders=4)
    assert ids(f) == ["PROJ", "THREE"]
    en, _ = run_check("PRO15", t, AS_OF, lang="en")
    assert row(en, "GP")["detail"] == ("3 bidders, only 2 not disqualified (under 3), yet awarded (a government "
                                       "purchase must then be cancelled)")


def test_pro15_not_run_without_the_disqualified_flag(build, run_check):
    t = build(tenders=[tender("A", winner_id="S1")], bids=[bid("A", s, 1) for s in ("S1", "S2", "S3")])
    f, nr = run_check("PRO15", t, AS_OF)
    assert f.empty and "disqualified" in nr.iloc[0]["reason"]


def test_award_checks_hold_back_findings_on_an_unreadable_award_date(build, run_check):
    # the loader emptied each award_date below: whether the award was made by as_of is unknown
    base = dict(pid=None, winner_id="W", award_amount=100 * WAN, ceiling_price=100 * WAN, budget=100 * WAN,
                bid_deadline="2020-06-01")
    t = build(tenders=[tender("T0", **base), tender("T1", **{**base, "award_amount": 120 * WAN})],
              bids=[bid("T0", "W", 100 * WAN), bid("T0", "L", 90 * WAN, disqualified=True),
                    bid("T1", "W", 120 * WAN), bid("T1", "X", 110 * WAN, disqualified=True), bid("T1", "Y", 130 * WAN),
                    bid("T1", "Z", 135 * WAN, disqualified=True)],
              suppliers=[{"supplier_id": "W", "name": "新公司", "registered_date": "2020-05-01"}])
    ds = with_unknown(t, ("tenders", 0, "award_date"), ("tenders", 1, "award_date"))
    for check_id, judged in (("PRO04", ["T0"]), ("PRO05", ["T0"]), ("PRO06", ["T1"]), ("PRO13", ["T0", "T1"]),
                             ("PRO14", ["T0", "T1"]), ("PRO15", ["T1"])):
        assert ids(run_check(check_id, t, AS_OF)[0]) == judged, check_id  # the award date simply missing
        f, nr = run_check(check_id, ds, AS_OF)
        assert f.empty and partly(nr, check_id) == len(judged), check_id


def test_pro06_pro13_fallbacks_for_unreadable_cells(build, run_check):
    t = build(tenders=[tender("NOCEIL", budget=100 * WAN, award_amount=120 * WAN),
                       tender("AWARDREF", winner_id="W", award_date="2020-06-01")],
              suppliers=[{"supplier_id": "W", "name": "新公司", "registered_date": "2020-05-01"}])
    assert ids(run_check("PRO06", t, AS_OF)[0]) == ["NOCEIL"]
    assert ids(run_check("PRO13", t, AS_OF)[0]) == ["AWARDREF"]
    ds = with_unknown(t, ("tenders", 0, "ceiling_price"), ("tenders", 1, "bid_deadline"))
    for check_id in ("PRO06", "PRO13"):
        f, nr = run_check(check_id, ds, AS_OF)
        assert f.empty and partly(nr, check_id) == 1


def test_pro12_holds_back_a_cover_bidder_resting_on_an_unreadable_award_date(build, run_check):
    tenders = [tender(f"T{i}", pid=None, winner_id="W", award_amount=10 * WAN, award_date="2020-01-01")
               for i in range(4)]
    bids = [b for i in range(4) for b in (bid(f"T{i}", "W", 9), bid(f"T{i}", "L", 10))]
    t = build(tenders=tenders, bids=bids)
    t["tenders"].loc[[0, 1], "award_date"] = pd.NaT
    assert ids(run_check("PRO12", t, AS_OF)[0]) == ["L"]
    # with T0's award date unreadable L still lost 3 of 4 tenders to W (75 %): found, counted that way
    f, nr = run_check("PRO12", with_unknown(t, ("tenders", 0, "award_date")), AS_OF)
    assert ids(f) == ["L"] and nr.empty and "3次" in row(f, "L")["detail"]
    # with T0's and T1's unreadable, 2 of 4 (50 %) unless both awards were made by as_of
    f, nr = run_check("PRO12", with_unknown(t, ("tenders", 0, "award_date"), ("tenders", 1, "award_date")), AS_OF)
    assert f.empty and partly(nr, "PRO12") == 1


# --- PRO05 near ceiling / PRO06 above ceiling ------------------------------------------------------

def test_pro05_ratio_between_limit_and_one(build, run_check):
    t = build(tenders=[tender("AT", ceiling_price=100 * WAN, award_amount=99 * WAN),
                       tender("ONE", ceiling_price=100 * WAN, award_amount=100 * WAN),
                       tender("BELOW", ceiling_price=100 * WAN, award_amount=98.99 * WAN),
                       tender("ABOVE", ceiling_price=100 * WAN, award_amount=100 * WAN + 1),
                       tender("LATE", ceiling_price=100 * WAN, award_amount=99.5 * WAN, award_date="2021-01-01")])
    f, _ = run_check("PRO05", t, AS_OF)
    assert ids(f) == ["AT", "ONE"]
    r = row(f, "AT")
    assert r["severity"] == "low" and "99.00%" in r["detail"] and "100.00万元" in r["detail"]


def test_pro05_a_ratio_on_the_limit_reaches_it_though_the_division_falls_short(build, run_check):
    # 16.83 / 17 is 0.9899999999999999 in floating point, 0.99 exactly in the ledger's figures
    t = build(tenders=[tender("ON", ceiling_price=17, award_amount=16.83),
                       tender("UNDER", ceiling_price=17, award_amount=16.82)])
    f, _ = run_check("PRO05", t, AS_OF)
    assert ids(f) == ["ON"]


def test_pro06_award_above_ceiling_else_budget(build, run_check):
    t = build(tenders=[tender("CEIL", ceiling_price=100 * WAN, budget=200 * WAN, award_amount=101 * WAN),
                       tender("EQUAL", ceiling_price=100 * WAN, award_amount=100 * WAN),
                       tender("BUDGET", budget=100 * WAN, award_amount=120 * WAN),
                       tender("NOLIMIT", award_amount=120 * WAN),
                       tender("LATE", ceiling_price=100 * WAN, award_amount=120 * WAN, award_date="2020-09-26")])
    f, _ = run_check("PRO06", t, AS_OF)
    assert ids(f) == ["BUDGET", "CEIL"]
    assert row(f, "CEIL")["amount"] == pytest.approx(1 * WAN)
    assert row(f, "BUDGET")["amount"] == pytest.approx(20 * WAN)
    assert "最高限价100.00万元" in row(f, "CEIL")["detail"]
    assert "预算金额100.00万元" in row(f, "BUDGET")["detail"]
    f, nr = run_check("PRO06", build(tenders=[tender("A")]), AS_OF)
    assert f.empty and "award_amount" in nr.iloc[0]["reason"]


# --- PRO07 late contract / PRO08 contract exceeds award --------------------------------------------

def test_pro07_late_and_early_contracts(build, run_check):
    t = build(projects=[project("P1")],
              tenders=[tender("T1", award_date="2020-01-01", award_amount=100 * WAN),
                       tender("T2", award_date="2020-10-10")],
              contracts=[contract("ON-TIME", tender_id="T1", sign="2020-01-31"),
                         contract("LATE", tender_id="T1", sign="2020-02-01"),
                         contract("EARLY", tender_id="T1", sign="2019-12-31"),
                         contract("BEFORE-LATE-AWARD", tender_id="T2", sign="2020-09-01"),
                         contract("SIGNED-LATER", tender_id="T1", sign="2020-09-30"),
                         contract("DIRECT", sign="2020-01-01")])
    f, _ = run_check("PRO07", t, AS_OF)
    # T2's award (2020-10-10) is after as_of: the contract signed before it came before its award
    assert ids(f) == ["BEFORE-LATE-AWARD", "EARLY", "LATE"]
    assert row(f, "LATE")["severity"] == "low" and row(f, "EARLY")["severity"] == "medium"
    assert row(f, "BEFORE-LATE-AWARD")["severity"] == "medium"
    assert "31天" in row(f, "LATE")["detail"] and "2020-02-01" in row(f, "LATE")["detail"]
    assert row(f, "LATE")["county"] == "甲县" and row(f, "LATE")["entity_type"] == "contract"


def test_pro07_a_contract_whose_award_date_is_unreadable_is_not_judged(build, run_check):
    t = build(projects=[project("P1")],
              tenders=[tender("T1", county="乙县"), tender("T2", award_date="2020-01-01")],
              contracts=[contract("C1", tender_id="T1", sign="2020-06-01"),
                         contract("C2", pid="NOPE", tender_id="T1", sign="2020-06-01"),
                         contract("C3", tender_id="T2", sign="2020-06-01")])
    f, nr = run_check("PRO07", with_unknown(t, ("tenders", 0, "award_date")), AS_OF)
    assert ids(f) == ["C3"] and partly(nr, "PRO07") == 2


def test_pro08_contract_above_award_with_tolerance(build, run_check):
    t = build(projects=[project("P1")],
              tenders=[tender("T1", award_amount=100 * WAN)],
              contracts=[contract("AT", tender_id="T1", amount=101 * WAN),
                         contract("OVER", tender_id="T1", amount=101 * WAN + 1),
                         contract("NOTENDER", amount=900 * WAN)])
    f, _ = run_check("PRO08", t, AS_OF)
    assert ids(f) == ["OVER"]
    r = row(f, "OVER")
    assert r["amount"] == pytest.approx(1 * WAN + 1) and r["severity"] == "medium"
    assert "101.00万元" in r["detail"] and "100.00万元" in r["detail"] and "1.0%" in r["detail"]
    f, nr = run_check("PRO08", build(contracts=[contract("C1", tender_id="T1")]), AS_OF)
    assert f.empty and "tenders" in nr.iloc[0]["reason"]


def test_pro08_compares_with_the_award_as_recorded_even_after_as_of(build, run_check):
    t = build(projects=[project("P1")],
              tenders=[tender("LATER", award_amount=100 * WAN, award_date="2020-09-26"),
                       tender("ON", award_amount=100 * WAN, award_date=AS_OF)],
              contracts=[contract("C-LATER", tender_id="LATER", amount=200 * WAN, sign="2020-06-01"),
                         contract("C-ON", tender_id="ON", amount=200 * WAN, sign="2020-09-25")])
    f, _ = run_check("PRO08", t, AS_OF)
    assert ids(f) == ["C-LATER", "C-ON"]


# --- PRO09 patterned bids ----------------------------------------------------------------------

def test_pro09_identical_arithmetic_and_geometric(build, run_check):
    t = build(tenders=[tender(x) for x in ("SAME", "AP", "GP", "PLAIN", "TWO")],
              bids=[bid("SAME", "A", 100), bid("SAME", "B", 100), bid("SAME", "C", 137, disqualified=True),
                    bid("AP", "A", 300), bid("AP", "B", 100), bid("AP", "C", 200), bid("AP", "D", 400),
                    bid("GP", "A", 100), bid("GP", "B", 200), bid("GP", "C", 400),
                    bid("PLAIN", "A", 100), bid("PLAIN", "B", 150), bid("PLAIN", "C", 400),
                    bid("TWO", "A", 100), bid("TWO", "B", 100)])
    f, _ = run_check("PRO09", t, AS_OF)
    assert ids(f) == ["AP", "GP", "SAME"]
    assert "A、B" in row(f, "SAME")["detail"] and "相同" in row(f, "SAME")["detail"]
    assert "等差" in row(f, "AP")["detail"] and "4份" in row(f, "AP")["detail"]
    assert "等比" in row(f, "GP")["detail"] and "2.0000" in row(f, "GP")["detail"]
    assert row(f, "AP")["severity"] == "high" and row(f, "AP")["county"] == "乙县"


def test_pro09_step_tolerance_is_a_tenth_of_a_percent(build, run_check):
    # steps 1000 and 1001.6: mean 1000.8, each 0.8 off = 0.08% -> within
    # steps 1000 and 1004.2: mean 1002.1, each 2.1 off = 0.21% -> outside
    t = build(tenders=[tender("IN"), tender("OUT")],
              bids=[bid("IN", "A", 10_000), bid("IN", "B", 11_000), bid("IN", "C", 12_001.6),
                    bid("OUT", "A", 10_000), bid("OUT", "B", 11_000), bid("OUT", "C", 12_004.2)])
    f, _ = run_check("PRO09", t, AS_OF)
    # OUT's ratios 1.1 and 1.09129 are not geometric either
    assert ids(f) == ["IN"]


def test_pro09_runs_without_tenders_table_and_empty(build, run_check):
    t = build(bids=[bid("X", "A", 5), bid("X", "B", 5), bid("X", "C", 9)])
    f, nr = run_check("PRO09", t, AS_OF)
    assert ids(f) == ["X"] and nr.empty and pd.isna(row(f, "X")["county"])
    t = {"bids": empty("bids", ["tender_id", "bidder_id", "amount"])}
    f, nr = run_check("PRO09", t, AS_OF)
    assert f.empty and nr.empty
    f, nr = run_check("PRO09", build(tenders=[tender("A")]), AS_OF)
    assert "bids" in nr.iloc[0]["reason"]


# --- PRO10 linked bidders ----------------------------------------------------------------------

def test_pro10_shared_values_after_normalisation(build, run_check):
    t = build(projects=[project("P1")],
              tenders=[tender("T1"), tender("T2"), tender("T3"), tender("T4")],
              suppliers=[{"supplier_id": "A", "name": "甲公司", "legal_rep": "张 三", "phone": "0871-123",
                          "bank_account": "6222 0001"},
                         {"supplier_id": "B", "name": "乙公司", "legal_rep": "张三", "phone": "无"},
                         {"supplier_id": "C", "name": "丙公司", "legal_rep": "李四", "phone": "无"},
                         {"supplier_id": "D", "name": "丁公司", "legal_rep": "王五", "phone": "0871123"}],
              bids=[bid("T1", "A", 1), bid("T1", "B", 2),              # same legal_rep
                    bid("T2", "B", 1), bid("T2", "C", 2),              # both phones are the placeholder 无
                    bid("T3", "A", 1), bid("T3", "D", 2),              # same phone
                    bid("T4", "C", 1), bid("T4", "D", 2, bond_account="6222-0001")])  # D paid from A's account?
    f, _ = run_check("PRO10", t, AS_OF)
    assert ids(f) == ["T1", "T3"]
    assert row(f, "T1")["detail"] == "投标人甲公司（A）、乙公司（B）法定代表人相同"
    assert row(f, "T3")["detail"] == "投标人甲公司（A）、丁公司（D）联系电话相同"
    assert row(f, "T1")["county"] == "甲县" and row(f, "T1")["severity"] == "high"
    assert "张三" not in "".join(f["detail"])  # personal data stays out of the text


def test_pro10_bond_account_against_bank_account_in_one_tender(build, run_check):
    t = build(tenders=[tender("T1")],
              suppliers=[{"supplier_id": "A", "name": "甲", "bank_account": "6222 0001"},
                         {"supplier_id": "B", "name": None, "bank_account": "9999"}],
              bids=[bid("T1", "A", 1), bid("T1", "B", 2, bond_account="6222-0001")])
    f, _ = run_check("PRO10", t, AS_OF, lang="en")
    assert ids(f) == ["T1"] and row(f, "T1")["detail"] == "bidders 甲 (A), B share an account a bid bond was paid from"
    assert row(f, "T1")["severity"] == "high"  # B's bond paid from A's account (实施条例 第四十条(六))


def test_pro10_severity_by_field(build, run_check):
    suppliers = [{"supplier_id": "A", "legal_rep": "张三", "phone": "111", "address": "一路1号", "bank_account": "6222"},
                 {"supplier_id": "B", "legal_rep": "张三", "phone": "222", "address": "二路2号", "bank_account": "7333"},
                 {"supplier_id": "C", "legal_rep": "李四", "phone": "111", "address": "一路1号", "bank_account": "6222"},
                 {"supplier_id": "D", "legal_rep": "王五", "phone": "444", "address": "四路4号", "bank_account": "8444"},
                 {"supplier_id": "E", "legal_rep": "赵六", "phone": "555", "address": "五路5号", "bank_account": "9555"}]
    t = build(tenders=[tender(x) for x in ("REP", "PHONE-ADDR-BANK", "BOND-BOND", "BOND-BANK", "OWN")],
              suppliers=suppliers,
              bids=[bid("REP", "A", 1, bond_account="X1"), bid("REP", "B", 2, bond_account="X2"),
                    # registered values only (each bond from an account nobody else uses): medium
                    bid("PHONE-ADDR-BANK", "A", 1, bond_account="X1"), bid("PHONE-ADDR-BANK", "C", 2, bond_account="X3"),
                    bid("BOND-BOND", "D", 1, bond_account="Y9"), bid("BOND-BOND", "E", 2, bond_account="Y9"),
                    bid("BOND-BANK", "D", 1, bond_account="9555"), bid("BOND-BANK", "E", 2, bond_account="Y7"),
                    # each bidder's bond from its own account: no link
                    bid("OWN", "D", 1, bond_account="8444"), bid("OWN", "E", 2, bond_account="9555")])
    f, _ = run_check("PRO10", t, AS_OF)
    assert ids(f) == ["BOND-BANK", "BOND-BOND", "PHONE-ADDR-BANK", "REP"]
    assert dict(zip(f["entity_id"], f["severity"])) == {"REP": "high", "PHONE-ADDR-BANK": "medium",
                                                        "BOND-BOND": "high", "BOND-BANK": "high"}
    assert row(f, "PHONE-ADDR-BANK")["detail"] == "投标人A、C联系电话相同；投标人A、C地址相同；投标人A、C登记的银行账户相同"
    assert row(f, "BOND-BANK")["detail"] == "投标人D、E投标保证金转出账户与对方的保证金或银行账户相同"
    # without bond accounts a shared registered account is a medium link
    t["bids"] = t["bids"].drop(columns="bond_account")
    f, _ = run_check("PRO10", t, AS_OF)
    assert row(f, "PHONE-ADDR-BANK")["severity"] == "medium" and row(f, "REP")["severity"] == "high"


def test_pro10_same_bidder_twice_is_not_linked_and_not_run_without_attributes(build, run_check):
    t = build(tenders=[tender("T1")],
              bids=[bid("T1", "A", 1, bond_account="X1"), bid("T1", "B", 2, bond_account="X2")])
    f, nr = run_check("PRO10", t, AS_OF)
    assert f.empty and nr.empty
    f, nr = run_check("PRO10", build(tenders=[tender("T1")], bids=[bid("T1", "A", 1)]), AS_OF)
    assert f.empty and "nothing to compare" in nr.iloc[0]["reason"]


def test_pro10_names_each_field_once_and_says_when_its_bidders_form_several_groups(build, run_check):
    # A and B share one phone, C and D another; A and C share a legal representative
    t = build(tenders=[tender("T1")],
              suppliers=[{"supplier_id": "A", "legal_rep": "张三", "phone": "111"},
                         {"supplier_id": "B", "legal_rep": "李四", "phone": "111"},
                         {"supplier_id": "C", "legal_rep": "张三", "phone": "222"},
                         {"supplier_id": "D", "legal_rep": "王五", "phone": "222"}],
              bids=[bid("T1", x, 1) for x in "ABCD"])
    zh, _ = run_check("PRO10", t, AS_OF)
    en, _ = run_check("PRO10", t, AS_OF, lang="en")
    assert row(zh, "T1")["detail"] == "投标人A、C法定代表人相同；投标人A、B、C、D联系电话相同（分属多组）"
    assert row(en, "T1")["detail"] == ("bidders A, C share a legal representative; "
                                       "bidders A, B, C, D share a phone (in more than one group)")
    assert row(zh, "T1")["values"] == row(en, "T1")["values"] == (
        '{"legal_rep": ["A", "C"], "phone": ["A", "B", "C", "D"], "variant": "legal_rep+phone:groups"}')


# --- PRO11 supplier dominance ------------------------------------------------------------------

def _dominance_tables(build, s1_amount, n_contracts=5, year="2020"):
    contracts = [contract("C0", amount=s1_amount, supplier="S1", sign=f"{year}-01-10", tender_id="T0")]
    contracts += [contract(f"C{i}", amount=25 * WAN, supplier=f"S{i + 1}", sign=f"{year}-02-10", tender_id=f"T{i}")
                  for i in range(1, n_contracts)]
    tenders = [tender(f"T{i}", buyer="交通局", county="乙县") for i in range(n_contracts)]
    return build(projects=[project("P1", department="交通局")], tenders=tenders, contracts=contracts,
                 suppliers=[{"supplier_id": "S1", "name": "甲建设公司"}])


def test_pro11_share_and_contract_count_boundaries(build, run_check):
    f, _ = run_check("PRO11", _dominance_tables(build, 100 * WAN), AS_OF)  # 100 / 200 = 50 %
    assert ids(f) == ["S1|交通局|2020"]
    r = row(f, "S1|交通局|2020")
    assert r["county"] == "乙县" and r["amount"] == 100 * WAN and pd.isna(r["project_id"])
    assert "甲建设公司（S1）" in r["detail"] and "50.0%" in r["detail"] and "5份" in r["detail"]
    assert run_check("PRO11", _dominance_tables(build, 99 * WAN), AS_OF)[0].empty
    assert run_check("PRO11", _dominance_tables(build, 200 * WAN, n_contracts=4), AS_OF)[0].empty


def test_pro11_buyer_from_department_and_contracts_after_as_of_ignored(build, run_check):
    t = build(projects=[project("P1", county="甲县", department="水利局")],
              contracts=[contract("C1", amount=90 * WAN, supplier="S1", sign="2019-03-01"),
                         *[contract(f"C{i}", amount=10 * WAN, supplier=f"S{i}", sign="2019-04-01")
                           for i in range(2, 6)],
                         contract("C9", amount=500 * WAN, supplier="S9", sign="2019-12-31"),
                         contract("C10", amount=900 * WAN, supplier="S9", sign="2020-12-31")])
    f, _ = run_check("PRO11", t, AS_OF)
    # 2019: S9 holds 500 of 630; S1 90 of 630; 2020: C10 is after as_of
    assert ids(f) == ["S9|水利局|2019"]
    assert row(f, "S9|水利局|2019")["county"] == "甲县"


def test_pro11_takes_the_buyers_county_as_pro16_does(build, run_check):
    """The buyer's county is the one most of its tenders name, even where most of its contracts are
    direct contracts of a project in another county."""
    t = build(projects=[project("P1", county="乙县", department="交通局")],
              tenders=[tender("T1", pid=None, buyer="交通局", county="甲县")],
              contracts=[contract("C1", pid="P1", tender_id="T1", amount=500 * WAN, supplier="S1", sign="2019-03-01"),
                         *[contract(f"C{i}", pid="P1", amount=10 * WAN, supplier=f"S{i}", sign="2019-04-01")
                           for i in range(2, 7)]])
    f, _ = run_check("PRO11", t, AS_OF)
    assert ids(f) == ["S1|交通局|2019"] and row(f, "S1|交通局|2019")["county"] == "甲县"


def test_pro11_not_run_without_a_buyer(build, run_check):
    f, nr = run_check("PRO11", build(projects=[project("P1")], contracts=[contract("C1")]), AS_OF)
    assert f.empty and "buyer" in nr.iloc[0]["reason"]


# --- PRO12 cover bidder ------------------------------------------------------------------------

def _cover_tables(build, lost_to_w, other=0, won_one=False, counties=None):
    counties = counties or {}
    tenders, bids = [], []
    for i in range(lost_to_w + other):
        tid = f"T{i}"
        winner = "W" if i < lost_to_w else f"X{i}"
        tenders.append(tender(tid, pid=None, county=counties.get(tid, "乙县"), winner_id=winner,
                              award_amount=10 * WAN, award_date="2020-01-01"))
        bids += [bid(tid, winner, 9), bid(tid, "L", 10)]
    if won_one:
        tenders.append(tender("TW", pid=None, winner_id="L", award_amount=1, award_date="2020-01-01"))
        bids.append(bid("TW", "L", 1))
    return build(tenders=tenders, bids=bids, suppliers=[{"supplier_id": "W", "name": "赢家公司"}])


def test_pro12_cover_bidder_boundaries(build, run_check):
    f, _ = run_check("PRO12", _cover_tables(build, 3, other=1), AS_OF)  # 3 of 4 = 75 %
    assert ids(f) == ["L"]
    r = row(f, "L")
    assert r["entity_type"] == "supplier" and r["county"] == "乙县" and r["amount"] == 30 * WAN
    assert "赢家公司（W）" in r["detail"] and "4次" in r["detail"] and "75.0%" in r["detail"]
    assert run_check("PRO12", _cover_tables(build, 2, other=2), AS_OF)[0].empty      # 50 %
    assert run_check("PRO12", _cover_tables(build, 3), AS_OF)[0].empty               # 3 bids only
    assert run_check("PRO12", _cover_tables(build, 4, won_one=True), AS_OF)[0].empty  # L won once


def test_pro12_county_of_most_bids_ties_to_smallest_name(build, run_check):
    tied = {"T0": "丙县", "T1": "丙县", "T2": "丁县", "T3": "丁县"}
    f, _ = run_check("PRO12", _cover_tables(build, 4, counties=tied), AS_OF)
    assert row(f, "L")["county"] == min("丙县", "丁县")
    most = {"T0": "丙县", "T1": "丁县", "T2": "丁县", "T3": "丁县"}
    f, _ = run_check("PRO12", _cover_tables(build, 4, counties=most), AS_OF)
    assert row(f, "L")["county"] == "丁县"


def test_pro12_awards_after_as_of_are_not_wins(build, run_check):
    t = _cover_tables(build, 4)
    t["tenders"].loc[:, "award_date"] = pd.Timestamp("2020-12-01")
    f, _ = run_check("PRO12", t, AS_OF)
    assert f.empty  # no winner known at as_of


# --- PRO13 new winner --------------------------------------------------------------------------

def test_pro13_registered_within_days_before_deadline(build, run_check):
    t = build(tenders=[tender("NEW", winner_id="A", bid_deadline="2020-06-28"),
                       tender("EDGE", winner_id="B", bid_deadline="2020-06-29"),
                       tender("AFTER", winner_id="C", bid_deadline="2020-01-01"),
                       tender("AWARD", winner_id="A", award_date="2020-02-01"),
                       tender("LATE", winner_id="A", bid_deadline="2020-01-15", award_date="2020-10-01")],
              suppliers=[{"supplier_id": "A", "name": "新公司", "registered_date": "2020-01-01"},
                         {"supplier_id": "B", "name": "乙", "registered_date": "2020-01-01"},
                         {"supplier_id": "C", "name": "丙", "registered_date": "2020-01-02"}])
    f, _ = run_check("PRO13", t, AS_OF)
    # NEW: 179 days; EDGE: 180 days is within (inclusive, as COS06's dup_days); AFTER: registered after the deadline
    assert ids(f) == ["AWARD", "EDGE", "NEW"]
    assert "180天" in row(f, "EDGE")["detail"]
    assert "179天" in row(f, "NEW")["detail"] and "2020-01-01" in row(f, "NEW")["detail"]
    assert "中标" in row(f, "AWARD")["detail"] and "31天" in row(f, "AWARD")["detail"]
    f, nr = run_check("PRO13", build(tenders=[tender("A", winner_id="A")],
                                     suppliers=[{"supplier_id": "A", "name": "x"}]), AS_OF)
    assert f.empty and "registered_date" in nr.iloc[0]["reason"]


def test_pro13_a_winner_whose_registered_date_is_unreadable_is_not_judged(build, run_check):
    t = build(tenders=[tender("A", winner_id="X", bid_deadline="2020-06-28"),
                       tender("B", winner_id="Y", bid_deadline="2020-06-28"), tender("C", winner_id="X")],
              suppliers=[{"supplier_id": "X", "name": "甲", "registered_date": None},
                         {"supplier_id": "Y", "name": "乙", "registered_date": "2020-01-01"}])
    f, nr = run_check("PRO13", with_unknown(t, ("suppliers", 0, "registered_date")), AS_OF)
    assert ids(f) == ["B"] and partly(nr, "PRO13") == 1  # C has neither deadline nor award date
    # the date to measure to unreadable (the loader emptied it), the registration too or not: not judged either
    t = build(tenders=[tender("A", winner_id="X"), tender("B", winner_id="Y"), tender("C")],
              suppliers=[{"supplier_id": "X", "name": "甲", "registered_date": None},
                         {"supplier_id": "Y", "name": "乙", "registered_date": "2020-01-01"}])
    f, nr = run_check("PRO13", with_unknown(t, ("suppliers", 0, "registered_date"), ("tenders", 0, "bid_deadline"),
                                            ("tenders", 1, "bid_deadline"), ("tenders", 2, "bid_deadline")), AS_OF)
    assert f.empty and partly(nr, "PRO13") == 2  # C has no winner


# --- PRO14 lowest bid disqualified ---------------------------------------------------------------

def test_pro14_lowest_disqualified_and_winner_higher(build, run_check):
    t = build(tenders=[tender("HIT", winner_id="B", award_amount=120),
                       tender("TIE", winner_id="B"), tender("VALID", winner_id="B"),
                       tender("LOWWIN", winner_id="A")],
              bids=[bid("HIT", "A", 100, disqualified=True), bid("HIT", "B", 120), bid("HIT", "C", 130),
                    bid("TIE", "A", 100, disqualified=True), bid("TIE", "C", 100), bid("TIE", "B", 120),
                    bid("VALID", "A", 100), bid("VALID", "B", 120),
                    bid("LOWWIN", "A", 100, disqualified=True), bid("LOWWIN", "B", 120)])
    f, _ = run_check("PRO14", t, AS_OF)
    assert ids(f) == ["HIT"]
    r = row(f, "HIT")
    assert r["severity"] == "medium" and "0.01万元（A）" in r["detail"] and "中标人B" in r["detail"]
    f, nr = run_check("PRO14", build(tenders=[tender("HIT", winner_id="B")], bids=[bid("HIT", "A", 1)]), AS_OF)
    assert f.empty and "disqualified" in nr.iloc[0]["reason"]


def test_pro14_names_the_lowest_bidders_that_have_an_id(build, run_check):
    t = build(tenders=[tender("HIT", winner_id="B")],
              bids=[bid("HIT", None, 100, disqualified=True), bid("HIT", "A", 100, disqualified=True),
                    bid("HIT", "B", 120)])
    f, _ = run_check("PRO14", t, AS_OF)
    assert row(f, "HIT")["detail"] == "最低报价0.01万元（A）被废标，中标人B报价0.01万元"


# --- all PRO checks: missing inputs, empty tables, as_of, county overrides -------------------------

PRO_IDS = [f"PRO{i:02d}" for i in range(1, 17)]
FULL_COLUMNS = {
    "projects": ["project_id", "project_name", "county", "department"],
    "tenders": ["tender_id", "project_id", "county", "buyer", "kind", "method", "budget", "ceiling_price",
                "notice_date", "bid_deadline", "award_date", "winner_id", "award_amount"],
    "bids": ["tender_id", "bidder_id", "amount", "disqualified", "bond_account"],
    "suppliers": ["supplier_id", "name", "legal_rep", "phone", "address", "bank_account", "registered_date"],
    "contracts": ["contract_id", "tender_id", "project_id", "supplier_id", "sign_date", "amount", "kind"],
}


@pytest.mark.parametrize("check_id", PRO_IDS)
def test_every_check_is_not_run_without_procurement_tables(build, run_check, check_id):
    f, nr = run_check(check_id, build(projects=[project("P1")]), AS_OF)
    assert f.empty and list(nr["check_id"]) == [check_id] and nr.iloc[0]["reason"]


@pytest.mark.parametrize("check_id", PRO_IDS)
def test_every_check_runs_on_empty_tables(run_check, check_id):
    tables = {name: empty(name, cols) for name, cols in FULL_COLUMNS.items()}
    f, nr = run_check(check_id, tables, AS_OF)
    assert f.empty and nr.empty


def test_awards_after_as_of_do_not_count_in_pro02_pro08_pro14(build, run_check):
    t = build(projects=[project("P1")],
              tenders=[tender("A", method="direct", award_amount=250 * WAN, award_date="2020-10-01", winner_id="B"),
                       tender("B", method="direct", award_amount=250 * WAN, award_date="2020-10-01")],
              bids=[bid("A", "X", 1, disqualified=True), bid("A", "B", 2)],
              contracts=[contract("C1", tender_id="A", amount=300 * WAN, sign="2020-10-02")])
    assert run_check("PRO02", t, AS_OF)[0].empty    # values and years come from awards not yet made
    assert run_check("PRO14", t, AS_OF)[0].empty    # no winner at as_of
    assert run_check("PRO08", t, AS_OF)[0].empty    # the contract is signed after as_of
    later = "2020-12-31"
    assert ids(run_check("PRO02", t, later)[0]) == ["A+B"]
    assert ids(run_check("PRO14", t, later)[0]) == ["A"]
    assert ids(run_check("PRO08", t, later)[0]) == ["C1"]


def test_county_override_applies_to_that_countys_tenders(build):
    from kpt_audit.checks import run_checks
    from kpt_audit.params import load_params

    t = build(projects=[project("P1", county="甲县"), project("P2", county="乙县")],
              tenders=[tender("T1", pid="P1", notice_date="2020-01-01", bid_deadline="2020-01-16"),
                       tender("T2", pid="P2", notice_date="2020-01-01", bid_deadline="2020-01-16")])
    params = load_params(as_of=AS_OF)
    params.county_overrides = {"甲县": {"min_bid_days": 10}}
    f = run_checks(t, params, checks=["PRO03"]).findings
    assert ids(f) == ["T2"]  # 15 days: short by the default 20, fine by 甲县's 10
