"""The demo city: eight fictional counties and districts, as_of 2020-09-25.

Modelled on the seed speech: central-budget projects funded 2017-2020 of which
some never started — township sewage and garbage projects blocked by land
acquisition, a hospital training base whose site changed, projects short of
local matching funds — key (市级重点) projects behind their annual plan, idle
allocations, procurement and payment problems, subsidies and public
commitments.  On top of these come all the generator's planted scenarios, so
the demo reports show every kind of finding; ``truth/truth.csv`` (beside the data folder) lists them.
The data folder holds the tables as an audit office's ledgers (``ledgers.py``: Chinese
headers and file names, amounts in 万元, the project ledger as 项目台账.xlsx).

Speech scenarios (per county, round-robin over the seven full counties):
* never started, funded in year Y < 2020 (central or provincial money issued in
  Y, unspent), planned start in Y -> EXE01, EXE02, EXE05;
* a municipal_key project under construction at 35 % of the elapsed share of
  its annual plan -> EXE03;
* a 2020 central project not yet due to start (planned start after as_of,
  money issued this year) -> nothing (the normal case, for the tables).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..load.discover import DATA_SUFFIXES
from ..load.headers import table_for_name
from .generator import SynthData, generate
from .kit import Kit
from .ledgers import write_ledgers

DEMO_COUNTIES = ["东城区", "西湖县", "南山区", "北塘县", "青石县", "白水县", "临江区", "高新区"]
DEMO_SEED = 20200925
DEMO_AS_OF = "2020-09-25"
DEMO_PROJECTS = 560  # ~50 background projects per full county after the planted ones

LAND = "用地指标未落实，征地拆迁未完成"
SITE = "项目选址调整，重新办理前期手续"
MATCHING = "地方配套资金不到位"
UNSTARTED = (
    ("{town}污水处理厂及配套管网工程", "central_budget", 2018, LAND),
    ("{town}生活垃圾转运站建设项目", "provincial", 2019, LAND),
    ("{county}人民医院住院医师规范化培训基地建设项目", "central_budget", 2019, SITE),
    ("{town}农村污水治理工程", "central_budget", 2017, MATCHING),
    ("{town}乡镇污水处理设施建设项目", "central_budget", 2019, "征地拆迁未完成，群众补偿标准未谈妥"),
    ("{county}疾控中心实验楼建设项目", "central_budget", 2018, "地方配套资金不到位，设计方案未审批"),
    ("{town}垃圾填埋场封场治理项目", "provincial", 2017, "环评未批复"),
)
KEY_PROJECTS = ("{county}城市快速路建设工程", "{county}工业园区标准厂房建设项目", "{county}滨江公园建设工程")


def plant_speech(kit: Kit) -> None:
    for i, (title, category, year, reason) in enumerate(UNSTARTED * 2):
        county = kit.counties[i % len(kit.counties)][0]
        town = kit._town(county)
        p = kit.project("planned", category, county=county, fund_year=year, delay_reason=reason,
                        name=title.format(town=town, county=county),
                        planned_start=pd.Timestamp(f"{year}-09-01"), approval_date=pd.Timestamp(f"{year}-03-10"),
                        fsr_approval_date=pd.Timestamp(f"{year}-04-20"))
        level = "central" if category == "central_budget" else "provincial"
        kit.fund(p, level, f"{year}-06-18", round(p["budget"] * 0.4, -4))
        kit.target(p, "投资超概率(%)", 5.0, 0.0, "lower_better")  # targets set with the money (PER04)
        for check in ("EXE01", "EXE02", "EXE05"):
            kit.expect(check, p["project_id"])
    for i, title in enumerate(KEY_PROJECTS * 2):
        county = kit.counties[(i + 3) % len(kit.counties)][0]
        p = kit.project("building", "municipal_key", county=county, name=title.format(county=county),
                        budget=300_000_000.0, delay_reason="征地拆迁进度滞后")
        p["annual_plan"] = 80_000_000.0
        p["completed_ytd"] = round(80_000_000.0 * 0.35 * kit.share, 2)
        kit.expect("EXE03", p["project_id"])
    for county, _ in kit.counties:
        p = kit.project("planned", "central_budget", county=county, fund_year=2020,
                        name=f"{county}{kit._town(county)}污水管网提升改造工程")
        kit.fund(p, "central", "2020-07-15", round(p["budget"] * 0.3, -4))
        kit.target(p, "投资超概率(%)", 5.0, 0.0, "lower_better")
        kit.near("EXE01", p["project_id"], "funded in 2020, not yet due to start")


def demo_data() -> SynthData:
    return generate(projects=DEMO_PROJECTS, seed=DEMO_SEED, as_of=DEMO_AS_OF, county_names=DEMO_COUNTIES,
                    extra_plants=(plant_speech,), small_county_projects=8)


def write_demo(out_dir) -> Path:
    """Write the demo city's ledgers into ``out_dir`` as an auditor's files look (项目台账.xlsx and
    Chinese-named CSVs, 万元) and what was planted (truth.csv, near_misses.csv) beside it in
    ``truth/``: not among the ledgers an auditor copies, nor in any county's data-quality ledger.

    The ledgers an earlier demo left in ``out_dir`` (files the loader reads as a table, under any of its
    names: older versions wrote English ones) are replaced: beside the new ones, one table would have two
    files, which the loader refuses."""
    out = Path(out_dir)
    if out.is_dir():
        for old in sorted(out.iterdir()):
            if old.is_file() and old.suffix.lower() in DATA_SUFFIXES and table_for_name(old.stem)[0]:
                old.unlink()
    return write_ledgers(demo_data(), out, out.parent / "truth")
