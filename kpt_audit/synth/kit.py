"""The planting kit: builds small, self-contained scenarios on clean templates.

Every scenario gets its own project (under its own township government as
department and buyer, so no two scenarios share a buyer-year), its own fresh
suppliers (so no planted bidder reaches PRO12's four bids by accident) and its
own ids in a range the background never uses.  A template left untouched
triggers nothing; a plant module changes exactly what its check reads and
records the findings it expects with :meth:`Kit.expect` and the near-misses
with :meth:`Kit.near`.

Template timelines (days relative to as_of):

* ``operating``: approval -1000, fsr -970, design -940, land -920, eia -915,
  planning -910, permit -885, start -880 (= planned start); tender notice -935,
  deadline -910, award -903, sign -895; planned completion -530, completion
  -515, acceptance -495, operation -485, final accounts -470; status in_operation;
  progress 100 % in the completion month (EXE06: a start with a trace).
* ``building``: approval -500, fsr -480, design -460, land -450, eia -448,
  planning -445, permit -425, start -420; notice -455, deadline -430, award
  -426, sign -422; planned completion +300; progress at as_of's month 70 %;
  completed_ytd = annual_plan x min(1, 1.05 x share of year); status under_construction.
* ``planned``: approval -120, fsr -100, planned start +90, planned completion
  +500; status not_started.

A template's completed_total (not one given to :meth:`Kit.project`) follows its
contracts: in :meth:`Kit.frames` it is at most 1.08 x what its contracts signed by
as_of and its payments on no such contract account for (EXE07's margin is 0.1).
"""
from __future__ import annotations

from collections import defaultdict

import numpy as np
import pandas as pd

from .names import (addresses, bank_accounts, company_names, id_numbers, person_names, phones, town_names,
                    unique_numbers, uscc)
from .calendar import share_of_year

PLANTED_SUPPLIER_BASE = 300_000
PLANTED_INVOICE_BASE = 50_000_000

TIMELINES = {
    "operating": dict(approval=-1000, fsr=-970, design=-940, land=-920, eia=-915, planning=-910, permit=-885,
                      start=-880, notice=-935, deadline=-910, award=-903, sign=-895, planned_completion=-530,
                      completion=-515, acceptance=-495, operation=-485, final_accounts=-470),
    "building": dict(approval=-500, fsr=-480, design=-460, land=-450, eia=-448, planning=-445, permit=-425,
                     start=-420, notice=-455, deadline=-430, award=-426, sign=-422, planned_completion=300),
    "planned": dict(approval=-120, fsr=-100, planned_start=90, planned_completion=500),
}
DATE_COLUMNS = dict(approval="approval_date", fsr="fsr_approval_date", design="design_approval_date",
                    land="land_approval_date", eia="eia_approval_date", planning="planning_permit_date",
                    permit="construction_permit_date", start="actual_start", completion="actual_completion",
                    acceptance="acceptance_date", operation="operation_date", final_accounts="final_accounts_date",
                    planned_completion="planned_completion", planned_start="planned_start")
STATUS = {"operating": "in_operation", "building": "under_construction", "planned": "not_started"}
PROJECT_KINDS = ("污水处理厂建设工程", "生活垃圾中转站建设项目", "中心小学教学楼建设工程", "卫生院改扩建工程",
                 "农村公路改造工程", "文化活动中心建设项目", "供水管网改造工程", "敬老院建设项目")
KIND_TITLE = {"works": "施工", "goods": "设备采购", "services": "咨询服务"}
BID_STEPS = (1.0, 1.012, 1.031, 1.067, 1.089)  # uneven: never an arithmetic or geometric run


class Kit:
    def __init__(self, as_of, counties: list[tuple[str, int]], rng: np.random.Generator, index_base: int = 0):
        self.index_base = index_base  # added to the numbers suppliers' names and accounts are made from
        self.as_of = pd.Timestamp(as_of).normalize()
        self.counties = counties  # (name, region) where scenarios may go
        self.rng = rng
        self.rows: dict[str, list[dict]] = defaultdict(list)
        self.truth: list[tuple[str, str]] = []
        self.near_misses: list[tuple[str, str, str]] = []
        self.timeline: dict[str, dict] = {}
        self._next = defaultdict(int)
        self._county_turn = 0
        self._completed_given: set[str] = set()  # projects whose completed_total a plant chose
        self._towns_used = defaultdict(int)
        self.share = share_of_year(self.as_of)
        # cells the writer puts as text (write_as): (table, row dict, column, text, readable)
        self.raw_cells: list[tuple[str, dict, str, str, bool]] = []

    # ------------------------------------------------------------ bookkeeping
    def expect(self, check_id: str, entity_id: str) -> None:
        self.truth.append((check_id, entity_id))

    def near(self, check_id: str, entity_id: str, note: str) -> None:
        self.near_misses.append((check_id, entity_id, note))

    def write_as(self, table: str, row: dict, column: str, text: str, readable: bool = False) -> None:
        """Have the writer put ``text`` in ``column`` of the planted ``row`` instead of a value, as a
        cell typed by hand (``2021年13月1日``, ``约3000``, ``无``).  The tables hold the cell empty, as the
        loader leaves it; ``readable`` False: the loader cannot read it (an unknown value, checks.md DQ),
        True: it reads it as empty (an empty-equivalent)."""
        row[column] = None
        self.raw_cells.append((table, row, column, text, readable))

    def day(self, offset: int) -> pd.Timestamp:
        return self.as_of + pd.Timedelta(days=int(offset))

    def _n(self, what: str) -> int:
        self._next[what] += 1
        return self._next[what]

    def next_county(self) -> tuple[str, int]:
        c = self.counties[self._county_turn % len(self.counties)]
        self._county_turn += 1
        return c

    def _town(self, county: str) -> str:
        index = [c for c, _ in self.counties].index(county)
        k = self._towns_used[county]
        self._towns_used[county] += 1
        return town_names(index + 11, k + 1)[k]

    def region(self, county: str) -> int:
        return dict(self.counties)[county]

    def money(self, lo: float, hi: float, step: float = 100.0) -> float:
        """A log-uniform amount (its first digit follows Benford, like real ones)."""
        return float(np.round(10 ** self.rng.uniform(np.log10(lo), np.log10(hi)) / step) * step)

    # -------------------------------------------------------------- suppliers
    def supplier(self, county: str, registered=None, kind: str = "works", **over) -> str:
        i = PLANTED_SUPPLIER_BASE + self._n("supplier") + self.index_base
        idx, region = np.array([i]), np.array([self.region(county)])
        row = {
            "supplier_id": uscc(idx, region)[0],
            "name": company_names(idx, np.array([county]), np.array([kind]))[0],
            "legal_rep": person_names(idx)[0],
            "phone": phones(idx)[0],
            "address": addresses(idx, np.array([county]))[0],
            "bank_account": bank_accounts(idx)[0],
            "registered_date": pd.Timestamp(registered) if registered is not None else pd.Timestamp("2008-05-12"),
            "id_number": id_numbers(idx, region, np.array([np.datetime64("1975-03-08")]))[0],
        }
        row.update(over)
        self.rows["suppliers"].append(row)
        return row["supplier_id"]

    def supplier_row(self, supplier_id: str) -> dict:
        return next(r for r in self.rows["suppliers"] if r["supplier_id"] == supplier_id)

    # --------------------------------------------------------------- projects
    def project(self, state: str = "operating", category: str | None = "government", county: str | None = None,
                budget: float | None = None, name: str | None = None, **over) -> dict:
        county = county or self.next_county()[0]
        town = self._town(county)
        seq = self._n("project")
        budget = budget if budget is not None else self.money(2e7, 8e7, 10_000)
        tl = {k: self.day(v) for k, v in TIMELINES[state].items()}
        row = {
            "project_id": f"{self.as_of.year - 3}-{self.region(county)}-47-01-9{seq:05d}",
            "project_name": name or f"{county}{town}{PROJECT_KINDS[seq % len(PROJECT_KINDS)]}",
            "county": county, "department": f"{county}{town}人民政府", "category": category,
            "fund_year": None, "estimate": budget, "budget": budget, "total_investment": budget,
            "annual_plan": 0.0, "completed_ytd": 0.0, "completed_total": 0.0, "status": STATUS[state],
            "delay_reason": None,
        }
        for key, col in DATE_COLUMNS.items():
            row[col] = tl.get(key)
        if state == "operating":
            row["planned_start"] = tl["start"]
            row["completed_total"] = round(budget * 0.95, 2)
            row["fund_year"] = tl["start"].year
        elif state == "building":
            row["planned_start"] = tl["start"]
            row["annual_plan"] = round(budget * 0.3, 2)
            row["completed_ytd"] = round(budget * 0.3 * min(1.0, 1.05 * self.share), 2)
            row["completed_total"] = round(budget * 0.5, 2)
            row["fund_year"] = tl["start"].year
        else:
            row["annual_plan"] = round(budget * 0.2, 2)
            row["fund_year"] = self.as_of.year
        row.update(over)
        if "completed_total" in over:
            self._completed_given.add(row["project_id"])
        self.rows["projects"].append(row)
        self.timeline[row["project_id"]] = {"state": state, **tl}
        if state == "building":
            self.progress(row, self.as_of.strftime("%Y-%m"), 70.0)
        elif state == "operating":
            self.progress(row, tl["completion"].strftime("%Y-%m"), 100.0)
        return row

    def progress(self, project: dict, month: str, pct: float) -> None:
        self.rows["progress"].append({"project_id": project["project_id"], "month": month,
                                      "investment": round(project["budget"] * 0.02, 2), "physical_pct": pct})

    def fund(self, project: dict, level: str, date, amount: float) -> dict:
        row = {"fund_id": f"ZJ{self.region(project['county'])}9{self._n('fund'):06d}",
               "project_id": project["project_id"], "level": level, "date": pd.Timestamp(date),
               "amount": float(amount)}
        self.rows["funds"].append(row)
        return row

    def target(self, project: dict, indicator: str, target: float, actual: float, direction=None) -> str:
        self.rows["targets"].append({"project_id": project["project_id"], "indicator": indicator,
                                     "target": float(target), "actual": float(actual), "direction": direction})
        return f"{project['project_id']}|{indicator}"

    # ------------------------------------------------------------ procurement
    def tender(self, project: dict | None, kind: str = "works", method: str = "open", value: float | None = None,
               county: str | None = None, buyer: str | None = None, bids: list[float] | int = 4,
               ratio: float = 0.93, winner: str | None = None, bidders: list[str | None] | None = None,
               winner_index: int = 0, disqualified: tuple[int, ...] = (), **over) -> dict:
        """A tender with fresh bidders; ``bids`` is a count (uneven steps above the award) or explicit
        amounts; the bid at ``winner_index`` wins (its amount is the award).  ``bidders`` may name some
        bidders (None = fresh).  Dates follow the project's timeline."""
        county = county or (project["county"] if project else self.next_county()[0])
        if project is not None:
            tl = self.timeline[project["project_id"]]
            buyer = buyer or project["department"]
            notice, deadline, award = tl["notice"], tl["deadline"], tl["award"]
        else:
            buyer = buyer or f"{county}{self._town(county)}人民政府"
            notice, deadline, award = self.day(-300), self.day(-275), self.day(-268)
        value = value if value is not None else self.money(3e6, 9e6, 1000)
        award_amount = round(value * ratio, 2)
        amounts = [round(award_amount * s, 2) for s in BID_STEPS[:bids]] if isinstance(bids, int) else list(bids)
        named = list(bidders) if bidders is not None else []
        named += [None] * (len(amounts) - len(named))
        if winner is not None and amounts:
            named[winner_index] = winner
        ids = [b or self.supplier(county, kind=kind) for b in named]
        seq = self._n("tender")
        row = {
            "tender_id": f"ZB{self.region(county)}9{seq:06d}",
            "project_id": project["project_id"] if project else None, "county": county, "buyer": buyer,
            "title": (project["project_name"] if project else buyer) + KIND_TITLE[kind],
            "kind": kind, "method": method, "budget": value, "ceiling_price": value, "notice_date": notice,
            "bid_deadline": deadline, "award_date": award,
            "winner_id": ids[winner_index] if amounts else None,
            "award_amount": amounts[winner_index] if amounts else None,
        }
        row.update(over)
        self.rows["tenders"].append(row)
        for i, (b, a) in enumerate(zip(ids, amounts)):
            self.bid(row, b, a, disqualified=i in disqualified)
        return row

    def bid(self, tender: dict, bidder: str, amount: float, disqualified: bool = False, bond_account=None) -> dict:
        row = {"tender_id": tender["tender_id"], "bidder_id": bidder, "amount": float(amount),
               "disqualified": disqualified,
               "bond_account": bond_account or self.supplier_row(bidder)["bank_account"]}
        self.rows["bids"].append(row)
        return row

    def bids_of(self, tender: dict) -> list[dict]:
        return [b for b in self.rows["bids"] if b["tender_id"] == tender["tender_id"]]

    def contract(self, project: dict, tender: dict | None = None, amount: float | None = None,
                 supplier: str | None = None, sign=None, kind: str | None = None, **over) -> dict:
        tl = self.timeline[project["project_id"]]
        if tender is not None:
            amount = amount if amount is not None else tender["award_amount"]
            supplier = supplier or tender["winner_id"]
            kind = kind or tender["kind"]
        supplier = supplier or self.supplier(project["county"])
        row = {
            "contract_id": f"HT{self.region(project['county'])}9{self._n('contract'):06d}",
            "tender_id": tender["tender_id"] if tender is not None else None,
            "project_id": project["project_id"], "supplier_id": supplier,
            "sign_date": pd.Timestamp(sign) if sign is not None else tl["sign"], "amount": float(amount),
            "kind": kind or "works", "settlement_amount": None, "audited_settlement": None,
        }
        if tl["state"] == "operating":
            row["settlement_amount"] = row["audited_settlement"] = float(amount)
        row.update(over)
        self.rows["contracts"].append(row)
        return row

    def awarded(self, project: dict, kind: str = "works", value: float | None = None, **tender_over) -> tuple[dict, dict]:
        """An open, clean tender with its contract (the usual chain)."""
        t = self.tender(project, kind=kind, value=value, **tender_over)
        return t, self.contract(project, t)

    def change(self, contract: dict, date, delta: float, reason: str = "设计变更") -> None:
        self.rows["contract_changes"].append({"contract_id": contract["contract_id"], "date": pd.Timestamp(date),
                                              "amount_delta": float(delta), "reason": reason})

    def pay(self, contract: dict | None, amount: float, date=None, type: str = "progress", invoice="auto",
            payee: str | None = None, project: dict | None = None) -> dict:
        project_id = contract["project_id"] if contract is not None else project["project_id"]
        county = next(r["county"] for r in self.rows["projects"] if r["project_id"] == project_id)
        if date is None:
            date = pd.Timestamp(contract["sign_date"]) + pd.Timedelta(days=30)
        k = self._n("payment")
        if invoice == "auto":
            invoice = unique_numbers(np.array([PLANTED_INVOICE_BASE + k]), 8, 4_242_421)[0]
        row = {"payment_id": f"ZF{self.region(county)}9{k:07d}", "project_id": project_id,
               "contract_id": contract["contract_id"] if contract is not None else None,
               "payee_id": payee or contract["supplier_id"], "date": pd.Timestamp(date), "amount": float(amount),
               "invoice_no": invoice, "type": type}
        self.rows["payments"].append(row)
        return row

    def settle_fully(self, contract: dict, date=None) -> None:
        """Pay an operating project's contract in full: 30 % advance, progress, final (clean).
        Whole-yuan parts, so the payments add up to the settled value exactly in floating point."""
        a = contract["audited_settlement"] if contract["audited_settlement"] is not None else contract["amount"]
        if a != round(a):
            raise ValueError("settle_fully needs a whole-yuan settled value")
        sign = pd.Timestamp(contract["sign_date"])
        advance = float(round(a * 0.3))
        middle = float(round(a * 0.45))
        self.pay(contract, advance, sign + pd.Timedelta(days=20), "advance")
        self.pay(contract, middle, sign + pd.Timedelta(days=200), "progress")
        self.pay(contract, a - advance - middle, date or sign + pd.Timedelta(days=500), "final")

    # ------------------------------------------------------ subsidies, commitments
    def subsidy(self, county: str | None = None, enterprise: str | None = None, title: str = "智能化生产线技术改造项目",
                program: str = "工业企业技术改造专项资金", applied: float | None = None, approved: float | None = None,
                approval=None, disbursed="auto", account=None, **over) -> dict:
        county = county or self.next_county()[0]
        enterprise = enterprise or self.supplier(county, kind="enterprise")
        ent = self.supplier_row(enterprise)
        applied = applied if applied is not None else self.money(3e5, 3e6, 1000)
        approved = approved if approved is not None else round(applied * 0.8, 2)
        approval = pd.Timestamp(approval) if approval is not None else self.day(-200)
        disbursed = approval + pd.Timedelta(days=15) if isinstance(disbursed, str) else disbursed
        seq = self._n("subsidy")
        row = {
            "application_id": f"SB{approval.year}9{seq:05d}", "program": program, "fiscal_year": approval.year,
            "enterprise_id": enterprise, "enterprise_name": ent["name"], "project_title": title,
            "amount_applied": applied, "amount_approved": approved, "approval_date": approval,
            "disbursed_date": pd.Timestamp(disbursed) if disbursed is not None else None,
            "disbursed_amount": approved if disbursed is not None else None,
            "bank_account": account or ent["bank_account"], "county": county,
        }
        row.update(over)
        self.rows["subsidies"].append(row)
        return row

    def commitment(self, title: str, deadline, status: str, done_date=None, county: str | None = None,
                   unit: str | None = None) -> dict:
        county = county or self.next_county()[0]
        row = {"item_id": f"CN{self.region(county)}9{self._n('commitment'):04d}",
               "unit": unit or f"{county}发展和改革局", "title": title, "deadline": pd.Timestamp(deadline),
               "status": status, "done_date": pd.Timestamp(done_date) if done_date is not None else None,
               "county": county}
        self.rows["commitments"].append(row)
        return row

    # ------------------------------------------------------------------ output
    def frames(self) -> dict[str, pd.DataFrame]:
        self._completed_within_contracts()
        return {name: pd.DataFrame(rows) for name, rows in self.rows.items() if rows}

    def _completed_within_contracts(self) -> None:
        """A template's completed_total at most 1.08 x S: its contracts signed by as_of at their
        current value (changes by as_of) plus its payments by as_of on none of those contracts."""
        signed = {c["contract_id"]: c for c in self.rows["contracts"] if pd.Timestamp(c["sign_date"]) <= self.as_of}
        supported: dict[str, float] = defaultdict(float)
        for c in signed.values():
            supported[c["project_id"]] += c["amount"]
        for ch in self.rows["contract_changes"]:
            c = signed.get(ch["contract_id"])
            if c is not None and ch["date"] <= self.as_of:
                supported[c["project_id"]] += ch["amount_delta"]
        for pay in self.rows["payments"]:
            c = signed.get(pay["contract_id"])
            if pay["date"] <= self.as_of and (c is None or c["project_id"] != pay["project_id"]):
                supported[pay["project_id"]] += pay["amount"]
        with_contract = {c["project_id"] for c in signed.values()}
        for p in self.rows["projects"]:
            pid = p["project_id"]
            if pid in with_contract and pid not in self._completed_given and p["completed_total"] is not None:
                p["completed_total"] = min(p["completed_total"], float(np.floor(supported[pid] * 108) / 100))
