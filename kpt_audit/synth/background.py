"""Clean background data: realistic tables that trigger no check at all, by construction.

The money is generated backwards.  Payment amounts come first (their first
digits allocated per county, see ``amounts.py``); a contract's value is then
derived from what was paid on it, so every payment rule holds exactly:

* completed projects: audited settlement = paid / f, f in [0.985, 0.999]
  (COS04 paid <= settled; COS08 unpaid <= 1.5 % < 3 %; COS11 final payments
  only on audited contracts); a works contract's advance is at most 29 % of its
  amount as signed, a larger first payment is a progress payment (COS12);
* projects under construction: current value = paid / f with f at most 0.95 x
  the physical progress, so COS05's ratio stays below progress (no margin used);
* award = contract amount (PRO08), ceiling = award / [0.85, 0.92] (PRO05, PRO06),
  budget >= ceiling; bids = award x (1, 1+c1, 1+c2, 1+c3) with uneven steps
  (PRO09: no equal bids, no arithmetic or geometric run), 4 distinct valid
  bidders (PRO04, PRO14), bid period 21-35 days (PRO03), signing 2-25 days
  after award (PRO07);
* project budget >= contracts / 0.82 (COS02), budget <= estimate x 1.08 (COS01);
  allocations <= 1.3 x payments (EXE02 needs > 1/0.7 = 1.43) and below the budget (EXE08);
  completed_total <= 1.08 x the contracts' current value (EXE07); every central/provincial project
  has a performance target (PER04);
* every approval and permit precedes the start, every tender notice follows the
  design approval (PRC01, PRC02, PRC05); completion 0-60 days after plan
  (PER01), accepted, operating, final accounts within 80 days (PRC03, PRC04,
  PER02); under-construction projects finish after as_of and complete at least
  0.85 x the elapsed share of their annual plan (EXE03, EXE04);
* all tenders are open except at most one small non-open tender per project,
  noticed from 2018-06-01 (令第16号: no project-total rule) and below 0.85 of
  its threshold (PRO01, PRO02; PRO16's band is the top 10 %);
* PRO11: no buyer-year lets one supplier reach 45 % (repaired by moving the
  dominant contract to a project headquarters as buyer); PRO10: every supplier
  has its own representative, phone, address and account; PRO12: within a
  county either every bidder wins something or every tender has its own
  winner; PRO13: suppliers registered 1995-2008;
* subsidies: one application per enterprise, approved <= applied, disbursed
  within 30 days, own accounts (SUB01-05); commitments done on time or not due.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .names import (addresses, bank_accounts, company_names, id_numbers, person_names, phones, town_names,
                    unique_numbers, uscc)
from .amounts import allocate, amounts_with_digits
from .calendar import MISSING, day, month_index, month_text, share_of_year, to_dates, year_of, year_start

THRESHOLD = {"works": 4_000_000.0, "goods": 2_000_000.0, "services": 1_000_000.0}
ORDER_16_FROM = day("2018-06-01")  # 令第16号's thresholds; before it 令第3号's lower ones and its project total
KINDS = np.array(["works", "goods", "services"])
CATEGORIES = np.array(["central_budget", "provincial", "municipal_key", "government", "enterprise"])
CATEGORY_P = np.array([0.22, 0.15, 0.15, 0.40, 0.08])
# first fund level per category (the county adds its matching share)
FIRST_LEVEL = {"central_budget": "central", "provincial": "provincial", "municipal_key": "municipal",
               "government": "county", "enterprise": "self"}
STATES = np.array(["not_started", "building", "operating"])

# department -> (industry code, project name templates: {t} town, {u} second town, {c} county, {n} number)
DEPARTMENTS = {
    "交通运输局": ("48", ("{t}至{u}公路改建工程", "{t}跨河大桥建设工程", "{c}{t}农村公路提档升级工程")),
    "水利局": ("76", ("{t}河道综合治理工程", "{t}农村饮水安全巩固提升工程", "{t}水库除险加固工程")),
    "住房和城乡建设局": ("47", ("{t}老旧小区改造项目", "{c}城区雨污分流改造工程", "{t}保障性住房建设项目")),
    "教育局": ("83", ("{c}第{n}中学教学综合楼建设项目", "{t}中心小学扩建工程", "{t}公办幼儿园建设项目")),
    "卫生健康局": ("84", ("{c}人民医院门诊综合楼建设项目", "{t}卫生院改扩建工程", "{c}疾病预防控制中心业务楼项目")),
    "农业农村局": ("01", ("{t}高标准农田建设项目", "{t}农村人居环境整治项目", "{t}现代农业产业园基础设施项目")),
    "生态环境局": ("77", ("{t}污水处理厂建设工程", "{t}污水管网配套工程", "{t}河流生态修复工程")),
    "城市管理局": ("78", ("{t}生活垃圾中转站建设项目", "{c}城区道路绿化提升工程", "{t}公厕改造提升项目")),
}
ENTERPRISE_PROJECTS = ("年产{n}万吨新型建材生产线项目", "年产{n}万套汽车零部件项目", "{n}万平方米智能仓储物流园项目")


@dataclass
class CountyPlan:
    name: str
    region: int                  # 6-digit administrative code
    projects: int                # background projects
    law: np.ndarray              # first-digit law of the county's payments (9 probabilities)
    planted_digits: np.ndarray   # first digits already used by planted payments (9 counts)
    payments_exact: int | None = None   # total payments of the county (planted included)
    payments_min: int | None = None


def _u(rng, lo, hi, n):
    return rng.uniform(lo, hi, n)


def _i(rng, lo, hi, n):
    """Integers in [lo, hi] inclusive."""
    return rng.integers(lo, hi + 1, n)


def _cat(*parts) -> np.ndarray:
    out = np.asarray(parts[0]).astype(str)
    for p in parts[1:]:
        out = np.char.add(out, np.asarray(p).astype(str))
    return out


def _seq(values: np.ndarray, width: int) -> np.ndarray:
    return np.char.zfill(np.asarray(values).astype(str), width)


def generate_background(plans: list[CountyPlan], as_of, rng: np.random.Generator,
                        index_base: int = 0) -> dict[str, pd.DataFrame]:
    """``index_base``: added to the numbers that suppliers' names, phones and accounts are made from, so that
    blocks of one large dataset do not share them."""
    gen = _Background(plans, pd.Timestamp(as_of), rng, index_base)
    return gen.run()


class _Background:
    def __init__(self, plans, as_of, rng, index_base: int = 0):
        self.index_base = index_base
        self.plans = plans
        self.as_of = as_of
        self.t0 = day(as_of)
        self.rng = rng

    def run(self) -> dict[str, pd.DataFrame]:
        self._projects_skeleton()
        self._tenders_skeleton()
        self._payments()
        self._contract_values()
        self._buyers()
        self._suppliers_and_bids()
        self._project_money()
        return {
            "projects": self._projects_frame(),
            "funds": self._funds(),
            "tenders": self.tenders,
            "bids": self.bids,
            "suppliers": self.suppliers,
            "contracts": self.contracts,
            "contract_changes": self.changes,
            "payments": self.payments,
            "progress": self._progress(),
            "targets": self._targets(),
            "subsidies": self._subsidies(),
            "commitments": self._commitments(),
        }

    # ---------------------------------------------------------------- projects
    def _projects_skeleton(self):
        rng, t0 = self.rng, self.t0
        counts = np.array([p.projects for p in self.plans])
        n = int(counts.sum())
        county = np.repeat(np.arange(len(self.plans)), counts)
        category = CATEGORIES[rng.choice(len(CATEGORIES), n, p=CATEGORY_P)]
        state = STATES[rng.choice(3, n, p=[0.10, 0.45, 0.45])]
        # every county gets at least one building and one operating project, so it has payments
        first = np.r_[0, np.cumsum(counts)[:-1]]
        state[first] = "operating"
        second = first + (counts > 1)
        state[second[counts > 1]] = "building"
        category[first] = "central_budget"
        category[second[counts > 1]] = "government"
        started = state != "not_started"

        start = np.full(n, MISSING, dtype=np.int64)
        completion = np.full(n, MISSING, dtype=np.int64)
        b, o = state == "building", state == "operating"
        start[b] = t0 - _i(rng, 60, 1000, b.sum())
        completion[o] = t0 - _i(rng, 200, 900, o.sum())
        start[o] = completion[o] - _i(rng, 300, 700, o.sum())
        planned_start = np.where(started, start - _i(rng, 0, 30, n), t0 + _i(rng, 15, 200, n))
        planned_completion = np.where(o, completion + _i(rng, -60, 60, n),
                                      np.where(b, t0 + _i(rng, 60, 700, n), planned_start + _i(rng, 300, 700, n)))
        design = np.where(started, start - _i(rng, 100, 180, n), MISSING)
        fsr = np.where(started, design - _i(rng, 15, 60, n), t0 - _i(rng, 5, 15, n))
        approval = np.where(started, fsr - _i(rng, 15, 90, n), fsr - _i(rng, 15, 180, n))
        land = np.where(started, approval + _i(rng, 10, 60, n), MISSING)
        planning = np.where(started, land + _i(rng, 5, 30, n), MISSING)
        eia = np.where(started, approval + _i(rng, 5, 60, n), MISSING)
        permit = np.where(started, start - _i(rng, 1, 20, n), MISSING)
        acceptance = np.where(o, completion + _i(rng, 10, 40, n), MISSING)
        operation = np.where(o, acceptance + _i(rng, 0, 30, n), MISSING)
        final_accounts = np.where(o, completion + _i(rng, 20, 80, n), MISSING)
        fund_year = np.where(started, year_of(np.where(started, start, t0)), self.as_of.year)

        dept_names = np.array(list(DEPARTMENTS))
        dept = rng.integers(0, len(dept_names), n)
        template = rng.integers(0, 3, n)
        town_table = np.array([town_names(i, 30) for i in range(len(self.plans))])
        town_i, town_j = rng.integers(0, 30, n), rng.integers(0, 30, n)
        town_j = np.where(town_j == town_i, (town_j + 1) % 30, town_j)
        county_name = np.array([p.name for p in self.plans])[county]
        town1, town2 = town_table[county, town_i], town_table[county, town_j]
        name = np.empty(n, dtype=object)
        industry = np.empty(n, dtype=object)
        for d_i, (d_name, (code, templates)) in enumerate(DEPARTMENTS.items()):
            for t_i, tpl in enumerate(templates):
                m = (dept == d_i) & (template == t_i)
                if m.any():
                    name[m] = self._fill(tpl, county_name[m], town1[m], town2[m], rng.integers(2, 9, m.sum()))
                    industry[m] = code
        department = _cat(county_name, dept_names[dept])
        ent = category == "enterprise"
        if ent.any():
            ent_name = company_names(np.arange(ent.sum()) + 500_000 + self.index_base, county_name[ent],
                                           np.full(ent.sum(), "enterprise"))
            tpl = rng.integers(0, len(ENTERPRISE_PROJECTS), ent.sum())
            proj = np.empty(ent.sum(), dtype=object)
            for t_i, t in enumerate(ENTERPRISE_PROJECTS):
                m = tpl == t_i
                proj[m] = self._fill(t, county_name[ent][m], town1[ent][m], town2[ent][m],
                                     rng.integers(2, 30, m.sum()))
            name[ent] = _cat(np.char.replace(ent_name, "有限公司", ""), proj.astype(str))
            department[ent] = ent_name
            industry[ent] = "30"

        regions = np.array([p.region for p in self.plans])[county]
        seq = np.arange(n) + 1
        project_id = _cat(year_of(approval), "-", regions, "-", industry.astype(str), "-01-", _seq(seq, 6))
        self.p = dict(county=county, county_name=county_name, category=category, state=state, started=started,
                      start=start, completion=completion, planned_start=planned_start,
                      planned_completion=planned_completion, design=design, fsr=fsr, approval=approval,
                      land=land, planning=planning, eia=eia, permit=permit, acceptance=acceptance,
                      operation=operation, final_accounts=final_accounts, fund_year=fund_year,
                      department=department, name=name.astype(str), project_id=project_id, region=regions,
                      pct=np.where(b, _u(rng, 35, 90, n), np.where(o, 100.0, 0.0)))
        self.n_projects = n

    @staticmethod
    def _fill(tpl, county, t, u, num):
        parts = tpl.replace("{", "|{").replace("}", "}|").split("|")
        pieces = []
        for part in parts:
            pieces.append({"{c}": county, "{t}": t, "{u}": u, "{n}": num.astype(str)}.get(part, part))
        return _cat(*[np.broadcast_to(np.asarray(pc), county.shape) for pc in pieces])

    # ----------------------------------------------------------------- tenders
    def _tenders_skeleton(self):
        rng, p = self.rng, self.p
        with_tenders = p["started"] & (p["category"] != "enterprise")
        k = np.where(with_tenders, 4 + rng.binomial(5, 0.45, self.n_projects), 0)
        proj = np.repeat(np.arange(self.n_projects), k)
        m = len(proj)
        first_of_project = np.r_[True, proj[1:] != proj[:-1]] if m else np.zeros(0, bool)
        kind = KINDS[rng.choice(3, m, p=[0.45, 0.25, 0.30])]
        kind[first_of_project] = "works"
        notice = p["design"][proj] + _i(rng, 1, 30, m)
        deadline = notice + _i(rng, 21, 35, m)
        award = deadline + _i(rng, 2, 10, m)
        sign = award + _i(rng, 2, 25, m)
        self.t = dict(project=proj, kind=kind, notice=notice, deadline=deadline, award=award, sign=sign,
                      county=p["county"][proj], first=first_of_project)
        self.n_tenders = m

    # ---------------------------------------------------------------- payments
    def _payments(self):
        rng, p, t = self.rng, self.p, self.t
        m = self.n_tenders
        counts = 2 + rng.poisson(7.5, m)
        n_c = len(self.plans)
        for c, plan in enumerate(self.plans):
            mask = t["county"] == c
            k = int(mask.sum())
            planted = int(plan.planted_digits.sum())
            if plan.payments_exact is not None:
                extra = plan.payments_exact - planted - 2 * k
                if extra < 0 or k == 0:
                    raise ValueError(f"{plan.name}: cannot place exactly {plan.payments_exact} payments")
                counts[mask] = 2 + rng.multinomial(extra, np.full(k, 1 / k))
            elif plan.payments_min is not None and counts[mask].sum() + planted < plan.payments_min:
                if k == 0:
                    raise ValueError(f"{plan.name}: no contracts to carry payments")
                extra = plan.payments_min - planted - counts[mask].sum()
                counts[mask] += rng.multinomial(extra, np.full(k, 1 / k))
        contract = np.repeat(np.arange(m), counts)
        n = len(contract)
        county = t["county"][contract]
        amount = np.empty(n)
        for c in range(n_c):
            idx = np.flatnonzero(county == c)
            if len(idx) == 0:
                continue
            plan = self.plans[c]
            digit_counts = allocate(len(idx) + int(plan.planted_digits.sum()), plan.law, plan.planted_digits)
            digits = rng.permutation(np.repeat(np.arange(1, 10), digit_counts))
            amount[idx] = amounts_with_digits(digits, rng)
        proj = t["project"][contract]
        end = np.where(p["state"][proj] == "operating",
                       np.minimum(self.t0, p["completion"][proj] + 120), self.t0)
        lo = t["sign"][contract] + 1
        date = lo + np.floor(rng.uniform(0, 1, n) * (end - lo + 1)).astype(np.int64)
        order = np.lexsort((date, contract))
        contract, date, amount, proj, county = contract[order], date[order], amount[order], proj[order], county[order]
        first = np.r_[True, contract[1:] != contract[:-1]]
        last = np.r_[contract[1:] != contract[:-1], True]
        ptype = np.where(first, "advance", "progress").astype(object)
        ptype[last & (p["state"][proj] == "operating")] = "final"
        self.pay = dict(contract=contract, date=date, amount=amount, project=proj, county=county,
                        type=ptype.astype(str))
        self.paid_per_contract = np.bincount(contract, weights=amount, minlength=m)

    # ------------------------------------------------------- contract values
    def _contract_values(self):
        rng, p, t = self.rng, self.p, self.t
        m = self.n_tenders
        paid = self.paid_per_contract
        operating = p["state"][t["project"]] == "operating"
        pct = p["pct"][t["project"]]
        # completed: settled so that 98.5-99.9 % is paid; building: paid share below progress
        f = np.where(operating, _u(rng, 0.985, 0.999, m), pct / 100 * _u(rng, 0.45, 0.95, m))
        settled = np.ceil(paid / f * 100) / 100
        change_frac = np.where(rng.random(m) < 0.3, _u(rng, 0.01, 0.06, m), 0.0)
        change_frac = np.where(rng.random(m) < 0.2, -change_frac, change_frac)
        current = np.where(operating, np.round(settled * _u(rng, 0.97, 1.03, m), 2), settled)
        amount = np.round(current / (1 + change_frac), 2)
        delta = np.round(amount * change_frac, 2)
        current = amount + delta
        self.t.update(amount=amount, delta=delta, current=current,
                      audited=np.where(operating, settled, np.nan),
                      submitted=np.where(operating, np.round(settled * _u(rng, 1.0, 1.06, m), 2), np.nan))
        has_change = delta != 0
        lo = t["sign"][has_change] + 1
        hi = np.where(operating[has_change], np.minimum(self.t0, p["completion"][t["project"][has_change]]), self.t0)
        self.change_rows = dict(contract=np.flatnonzero(has_change),
                                date=lo + np.floor(rng.uniform(0, 1, len(lo)) * (hi - lo + 1)).astype(np.int64),
                                delta=delta[has_change])
        # COS12: a works contract's advance stays within 30 % of its amount as signed (财建〔2004〕369号
        # 第十二条); a larger first payment is booked as a progress payment (no draw: the stream is unchanged)
        pay = self.pay
        big_advance = ((pay["type"] == "advance") & (t["kind"][pay["contract"]] == "works")
                       & (pay["amount"] > 0.29 * amount[pay["contract"]]))
        pay["type"] = np.where(big_advance, "progress", pay["type"])

    # ------------------------------------------------------------------ buyers
    def _buyers(self):
        """Buyer per tender: the project's department, unless that lets one contract dominate its buyer-year."""
        p, t = self.p, self.t
        buyer = p["department"][t["project"]].astype(object)
        hq = _cat(p["county_name"], np.char.replace(np.char.replace(p["name"], "建设项目", ""), "项目", ""),
                  "建设指挥部")[t["project"]]
        year = year_of(t["sign"])
        value = t["amount"]
        for _ in range(50):
            key = pd.MultiIndex.from_arrays([buyer, year])
            codes, _uniq = pd.factorize(key)
            total = np.bincount(codes, weights=value)
            size = np.bincount(codes)
            group_max = np.zeros(len(total))
            np.maximum.at(group_max, codes, value)
            bad_group = (size >= 5) & (group_max >= 0.45 * total)
            offending = bad_group[codes] & (value == group_max[codes])
            if not offending.any():
                break
            # move one dominant contract per offending group
            first = pd.Series(np.flatnonzero(offending)).groupby(codes[offending]).first().to_numpy()
            buyer[first] = np.where(buyer[first] == hq[first], buyer[first] + "（二期）", hq[first])
        else:
            raise RuntimeError("could not spread buyer-year contract values")
        self.t["buyer"] = buyer.astype(str)
        self.t["year"] = year

    # --------------------------------------------------- suppliers and bids
    def _suppliers_and_bids(self):
        rng, t, p = self.rng, self.t, self.p
        m = self.n_tenders
        n_c = len(self.plans)
        winner = np.empty(m, dtype=np.int64)
        others = np.empty((m, 3), dtype=np.int64)
        pool_start, pool_size = [], []
        next_index = 0
        for c in range(n_c):
            idx = np.flatnonzero(t["county"] == c)
            order = idx[np.lexsort((t["sign"][idx], t["year"][idx], t["buyer"][idx]))]
            group_max = 0
            if len(idx):
                group_max = int(pd.Series(1, index=pd.MultiIndex.from_arrays(
                    [t["buyer"][idx], t["year"][idx]])).groupby(level=[0, 1]).size().max())
            size = max(12, -(-len(idx) // 4), group_max)
            rank = np.arange(len(order))
            winner[order] = next_index + rank % size
            step = rng.integers(1, (size - 1) // 3 + 1, len(order))
            for j in range(3):
                others[order, j] = next_index + (rank + (j + 1) * step) % size
            pool_start.append(next_index)
            pool_size.append(size)
            next_index += size
        n_sup = next_index
        sup_county = np.repeat(np.arange(n_c), pool_size)
        trade = KINDS[np.arange(n_sup) % 3]
        self.enterprise_start = n_sup
        n_ent = sum(max(3, p.projects // 4) for p in self.plans)
        ent_county = np.repeat(np.arange(n_c), [max(3, pl.projects // 4) for pl in self.plans])
        all_county = np.r_[sup_county, ent_county]
        all_trade = np.r_[trade, np.full(n_ent, "enterprise")]
        index = np.arange(n_sup + n_ent) + self.index_base
        region = np.array([pl.region for pl in self.plans])[all_county]
        cname = np.array([pl.name for pl in self.plans])[all_county]
        birth = to_dates(day("1960-01-01") + rng.integers(0, 9000, len(index)))
        supplier_id = uscc(index, region)
        self.suppliers = pd.DataFrame({
            "supplier_id": supplier_id,
            "name": company_names(index, cname, all_trade),
            "legal_rep": person_names(index),
            "phone": phones(index),
            "address": addresses(index, cname),
            "bank_account": bank_accounts(index),
            "registered_date": to_dates(day("1995-01-01") + rng.integers(0, 5000, len(index))),
            "id_number": id_numbers(index, region, birth),
        })
        self.ent_ids = supplier_id[n_sup:]
        self.ent_county = ent_county
        self.ent_accounts = self.suppliers["bank_account"].to_numpy()[n_sup:]
        self.ent_names = self.suppliers["name"].to_numpy()[n_sup:]

        # tender money from the contract
        award = t["amount"]
        ceiling = np.round(award / _u(rng, 0.85, 0.92, m), 2)
        budget = np.round(ceiling * _u(rng, 1.0, 1.05, m), 2)
        method = np.full(m, "open", dtype=object)
        # at most one small non-open procedure per project (PRO02 needs two)
        below = ((budget < 0.85 * np.vectorize(THRESHOLD.get)(t["kind"])) & (t["notice"] >= ORDER_16_FROM)
                 if m else np.zeros(0, bool))
        cand = np.flatnonzero(below & (rng.random(m) < 0.5))
        if len(cand):
            one = pd.Series(cand).groupby(t["project"][cand]).first().to_numpy()
            method[one] = np.array(["consultation", "inquiry", "negotiation"])[rng.integers(0, 3, len(one))]
        c1 = _u(rng, 0.010, 0.015, m)
        c2 = c1 + _u(rng, 0.020, 0.025, m)
        c3 = c2 + _u(rng, 0.010, 0.035, m)
        bid_amounts = np.round(award[:, None] * np.stack([np.ones(m), 1 + c1, 1 + c2, 1 + c3], axis=1), 2)
        bidder = np.concatenate([winner[:, None], others], axis=1)
        project_id = p["project_id"][t["project"]]
        region = p["region"][t["project"]]
        tender_id = _cat("ZB", region, _seq(np.arange(m) + 1, 7))
        self.tenders = pd.DataFrame({
            "tender_id": tender_id, "project_id": project_id,
            "county": p["county_name"][t["project"]], "buyer": t["buyer"],
            "title": _cat(p["name"][t["project"]], np.vectorize({"works": "施工", "goods": "设备采购",
                                                                  "services": "监理服务"}.get)(t["kind"])
                          if m else np.zeros(0, str)),
            "kind": t["kind"], "method": method.astype(str), "budget": budget, "ceiling_price": ceiling,
            "notice_date": to_dates(t["notice"]), "bid_deadline": to_dates(t["deadline"]),
            "award_date": to_dates(t["award"]), "winner_id": supplier_id[winner], "award_amount": award,
        })
        accounts = self.suppliers["bank_account"].to_numpy()
        self.bids = pd.DataFrame({
            "tender_id": np.repeat(tender_id, 4), "bidder_id": supplier_id[bidder.ravel()],
            "amount": bid_amounts.ravel(), "disqualified": np.zeros(4 * m, dtype=bool),
            "bond_account": accounts[bidder.ravel()],
        })
        contract_id = _cat("HT", region, _seq(np.arange(m) + 1, 7))
        self.contracts = pd.DataFrame({
            "contract_id": contract_id, "tender_id": tender_id, "project_id": project_id,
            "supplier_id": supplier_id[winner], "sign_date": to_dates(t["sign"]), "amount": t["amount"],
            "kind": t["kind"], "settlement_amount": t["submitted"], "audited_settlement": t["audited"],
        })
        ch = self.change_rows
        self.changes = pd.DataFrame({
            "contract_id": contract_id[ch["contract"]], "date": to_dates(ch["date"]),
            "amount_delta": ch["delta"],
            "reason": np.where(ch["delta"] > 0, "设计变更增加工程量", "核减未实施工程量"),
        })
        pay = self.pay
        n_pay = len(pay["contract"])
        self.payments = pd.DataFrame({
            "payment_id": _cat("ZF", p["region"][pay["project"]], _seq(np.arange(n_pay) + 1, 8)),
            "project_id": p["project_id"][pay["project"]], "contract_id": contract_id[pay["contract"]],
            "payee_id": supplier_id[winner[pay["contract"]]], "date": to_dates(pay["date"]),
            "amount": pay["amount"], "invoice_no": unique_numbers(np.arange(n_pay), 8, 4_242_421),
            "type": pay["type"],
        })
        self.contract_current = t["current"]

    # ------------------------------------------------------------ project money
    def _project_money(self):
        rng, p, t = self.rng, self.p, self.t
        n = self.n_projects
        contracts_total = np.bincount(t["project"], weights=t["current"], minlength=n)
        settled_total = np.bincount(t["project"], weights=np.where(np.isnan(t["audited"]), t["current"],
                                                                   t["audited"]), minlength=n)
        base = np.maximum(contracts_total, settled_total)
        no_contracts = base == 0
        base = np.where(no_contracts, np.round(10 ** _u(rng, 6.5, 8.3, n), -3), base)
        budget = np.round(base / _u(rng, 0.82, 0.95, n), -2)
        estimate = np.round(budget / _u(rng, 0.95, 1.08, n), -2)
        budget = np.minimum(budget, np.floor(estimate * 1.08))
        budget = np.maximum(budget, np.ceil(base))
        estimate = np.maximum(estimate, np.ceil(budget / 1.08))
        state = p["state"]
        o, b = state == "operating", state == "building"
        completed_total = np.where(o, np.round(budget * _u(rng, 0.9, 0.99, n), 2),
                                   np.where(b, np.round(budget * p["pct"] / 100 * _u(rng, 0.8, 1.0, n), 2), 0.0))
        # EXE07: completed investment within 1.08 x the contracts' current value (overstate_margin 0.1)
        completed_total = np.where(contracts_total > 0,
                                   np.minimum(completed_total, np.floor(contracts_total * 108) / 100), completed_total)
        this_year = b & (year_of(np.where(b, p["start"], self.t0)) == self.as_of.year)
        completed_ytd = np.where(b, np.where(this_year, completed_total,
                                             np.round(completed_total * _u(rng, 0.3, 0.6, n), 2)), 0.0)
        share = share_of_year(self.as_of)
        ratio = np.minimum(1.0, share * _u(rng, 0.85, 1.15, n))
        annual_plan = np.where(b, np.ceil(completed_ytd / ratio), 0.0)
        ns = state == "not_started"
        annual_plan = np.where(ns, np.round(budget * _u(rng, 0.1, 0.3, n), -2), annual_plan)
        self.p.update(budget=budget, estimate=estimate, completed_total=completed_total,
                      completed_ytd=completed_ytd, annual_plan=annual_plan)
        self.paid_per_project = np.bincount(self.pay["project"], weights=self.pay["amount"], minlength=n)

    def _projects_frame(self) -> pd.DataFrame:
        p = self.p
        status = np.vectorize({"not_started": "not_started", "building": "under_construction",
                               "operating": "in_operation"}.get)(p["state"])
        return pd.DataFrame({
            "project_id": p["project_id"], "project_name": p["name"], "county": p["county_name"],
            "department": p["department"], "category": p["category"],
            "fund_year": np.where(p["category"] == "enterprise", np.nan, p["fund_year"]),
            "estimate": p["estimate"], "budget": p["budget"], "total_investment": p["budget"],
            "annual_plan": p["annual_plan"], "completed_ytd": p["completed_ytd"],
            "completed_total": p["completed_total"],
            "planned_start": to_dates(p["planned_start"]), "actual_start": to_dates(p["start"]),
            "planned_completion": to_dates(p["planned_completion"]),
            "actual_completion": to_dates(p["completion"]), "status": status, "delay_reason": None,
            "approval_date": to_dates(p["approval"]), "fsr_approval_date": to_dates(p["fsr"]),
            "design_approval_date": to_dates(p["design"]), "land_approval_date": to_dates(p["land"]),
            "planning_permit_date": to_dates(p["planning"]), "eia_approval_date": to_dates(p["eia"]),
            "construction_permit_date": to_dates(p["permit"]), "acceptance_date": to_dates(p["acceptance"]),
            "final_accounts_date": to_dates(p["final_accounts"]), "operation_date": to_dates(p["operation"]),
        })

    # ------------------------------------------------------------------- funds
    def _funds(self) -> pd.DataFrame:
        rng, p = self.rng, self.p
        n = self.n_projects
        cat = p["category"]
        gov = cat != "enterprise"
        central_like = np.isin(cat, ["central_budget", "provincial"])
        started = p["started"]
        # started projects: allocations (first level + county match) in the start year, <= 1.3 x paid
        total = np.where(started, np.round(self.paid_per_project * _u(rng, 1.0, 1.3, n), -2),
                         np.round(p["budget"] * _u(rng, 0.1, 0.3, n), -2))
        total = np.minimum(total, np.floor(p["budget"] * 0.98 / 100) * 100)  # EXE08: never above the budget
        has_funds = gov & (started | central_like) & (total > 0)
        two = has_funds & (cat != "government") & started
        first_share = np.where(two, _u(rng, 0.5, 0.8, n), 1.0)
        rows_proj = np.r_[np.flatnonzero(has_funds), np.flatnonzero(two)]
        is_second = np.r_[np.zeros(has_funds.sum(), bool), np.ones(two.sum(), bool)]
        amount = np.where(is_second, np.round(total[rows_proj] * (1 - first_share[rows_proj]), 2),
                          np.round(total[rows_proj] * first_share[rows_proj], 2))
        level = np.where(is_second, "county", np.vectorize(FIRST_LEVEL.get)(cat[rows_proj])
                         if len(rows_proj) else np.zeros(0, str))
        year = p["fund_year"][rows_proj]
        lo = year_start(year)
        hi = np.minimum(year_start(year + 1) - 1, self.t0)
        # not-started projects: only this year's money, younger than idle_months
        lo = np.where(started[rows_proj], lo, np.maximum(lo, self.t0 - 300))
        date = lo + np.floor(rng.uniform(0, 1, len(rows_proj)) * (hi - lo + 1)).astype(np.int64)
        order = np.lexsort((is_second, rows_proj))
        rows_proj, amount, level, date = rows_proj[order], amount[order], level[order], date[order]
        return pd.DataFrame({
            "fund_id": _cat("ZJ", p["region"][rows_proj], _seq(np.arange(len(rows_proj)) + 1, 7)),
            "project_id": p["project_id"][rows_proj], "level": level, "date": to_dates(date), "amount": amount,
        })

    # ---------------------------------------------------------------- progress
    def _progress(self) -> pd.DataFrame:
        rng, p = self.rng, self.p
        started = np.flatnonzero(p["started"])
        o = p["state"][started] == "operating"
        end_month = np.where(o, month_index(np.where(o, p["completion"][started], 0)), month_index(self.t0))
        start_month = month_index(p["start"][started])
        first_month = np.maximum(start_month, end_month - (np.where(o, 5, 11)))
        k = end_month - first_month + 1
        proj = np.repeat(started, k)
        offset = np.arange(k.sum()) - np.repeat(np.cumsum(k) - k, k)
        month = np.repeat(first_month, k) + offset
        kk = np.repeat(k, k)
        final_pct = np.repeat(p["pct"][started], k)
        pct = np.round(final_pct * (1 - (kk - 1 - offset) / (kk + 2)), 1)
        invest = np.round(np.repeat(p["completed_total"][started] / (k + 3), k) * _u(rng, 0.7, 1.3, len(proj)), 2)
        return pd.DataFrame({"project_id": p["project_id"][proj], "month": month_text(month),
                             "investment": invest, "physical_pct": pct})

    # ----------------------------------------------------------------- targets
    def _targets(self) -> pd.DataFrame:
        rng, p = self.rng, self.p
        o = np.flatnonzero(p["state"] == "operating")
        chosen = o[rng.random(len(o)) < 0.6]
        n = len(chosen)
        target1 = np.round(10 ** _u(rng, 2, 4, n), 0)
        rows = [
            pd.DataFrame({"project_id": p["project_id"][chosen], "indicator": "设计建设规模完成率(%)",
                          "target": 100.0, "actual": np.round(_u(rng, 95, 100, n), 1),
                          "direction": "higher_better"}),
            pd.DataFrame({"project_id": p["project_id"][chosen], "indicator": "服务受益人口(人)",
                          "target": target1, "actual": np.round(target1 * _u(rng, 0.9, 1.2, n), 0),
                          "direction": "higher_better"}),
            pd.DataFrame({"project_id": p["project_id"][chosen], "indicator": "投资超概率(%)",
                          "target": 5.0, "actual": np.round(_u(rng, 0, 5.5, n), 1),
                          "direction": "lower_better"}),
        ]
        # PER04: every central/provincial project has a target (drawn without the rng: the rest stays as it was)
        funded = np.flatnonzero(np.isin(p["category"], ["central_budget", "provincial"]))
        rest = np.setdiff1d(funded, chosen)
        rows.append(pd.DataFrame({"project_id": p["project_id"][rest], "indicator": "投资超概率(%)",
                                  "target": 5.0, "actual": 0.0, "direction": "lower_better"}))
        return pd.concat(rows, ignore_index=True)

    # --------------------------------------------------------------- subsidies
    def _subsidies(self) -> pd.DataFrame:
        rng = self.rng
        n = len(self.ent_ids)
        programs = np.array(["工业企业技术改造专项资金", "科技创新扶持资金", "中小企业发展专项资金", "现代农业产业扶持资金"])
        titles = np.array(["智能化生产线技术改造项目", "研发中心建设项目", "数字化车间改造项目", "节能降耗技术改造项目",
                           "冷链仓储设施建设项目", "新产品产业化项目"])
        approval = self.t0 - _i(rng, 40, 1000, n)
        disbursed = approval + _i(rng, 5, 30, n)
        applied = np.round(10 ** _u(rng, 5.3, 6.7, n), -3)
        approved = np.round(applied * _u(rng, 0.6, 1.0, n), -3)
        county = np.array([p.name for p in self.plans])[self.ent_county]
        return pd.DataFrame({
            "application_id": _cat("SB", year_of(approval), _seq(np.arange(n) + 1, 6)),
            "program": programs[rng.integers(0, len(programs), n)], "fiscal_year": year_of(approval),
            "enterprise_id": self.ent_ids, "enterprise_name": self.ent_names,
            "project_title": _cat(np.char.replace(self.ent_names.astype(str), "有限公司", ""),
                                  titles[rng.integers(0, len(titles), n)]),
            "amount_applied": applied, "amount_approved": approved, "approval_date": to_dates(approval),
            "disbursed_date": to_dates(disbursed), "disbursed_amount": approved,
            "bank_account": self.ent_accounts, "county": county,
        })

    # ------------------------------------------------------------- commitments
    def _commitments(self) -> pd.DataFrame:
        rng = self.rng
        per = [max(4, pl.projects // 10) for pl in self.plans]
        county = np.repeat(np.arange(len(self.plans)), per)
        n = len(county)
        cname = np.array([p.name for p in self.plans])[county]
        units = _cat(cname, np.array(list(DEPARTMENTS))[rng.integers(0, len(DEPARTMENTS), n)])
        titles = np.array(["完成年度重点项目投资计划", "推进工程建设项目审批制度改革", "清理拖欠民营企业中小企业账款",
                           "完成农村生活污水治理任务", "实现政府采购项目全流程电子化", "完成老旧小区改造年度任务"])
        due = rng.random(n) < 0.6
        deadline = np.where(due, self.t0 - _i(rng, 5, 600, n), self.t0 + _i(rng, 10, 300, n))
        done = np.where(due, deadline - _i(rng, 0, 60, n), MISSING)
        return pd.DataFrame({
            "item_id": _cat("CN", np.array([p.region for p in self.plans])[county], _seq(np.arange(n) + 1, 5)),
            "unit": units, "title": titles[rng.integers(0, len(titles), n)], "deadline": to_dates(deadline),
            "status": np.where(due, "done", "in_progress"), "done_date": to_dates(done), "county": cname,
        })
