"""The canonical tables: one place that defines every column.

The loader maps headers with it, pandera schemas are built from it, the
synthetic generator writes it, and ``docs/data.md`` is generated from it, so
none of them can drift from ``shared/spec/data-model.md``.

Column kinds
------------
``id``      string key, leading zeros kept (``007`` stays ``007``)
``text``    free text
``amount``  money, yuan after loading (万元 headers/cells are converted)
``number``  a plain number that is not money (physical_pct, targets)
``int``     a whole number (years)
``date``    a calendar date (datetime64, no time part)
``month``   ``YYYY-MM`` text
``bool``    true/false (是/否 accepted)
``enum``    one of a fixed set of canonical values; Chinese values map onto them
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    meaning: str = ""
    # canonical value -> accepted spellings (Chinese and English variants)
    values: tuple[tuple[str, tuple[str, ...]], ...] = ()
    personal: bool = False  # masked in shared outputs

    @property
    def enum_values(self) -> tuple[str, ...]:
        """The values a ledger may hold (those only OCDS input may give, :data:`OCDS_ONLY`, left out)."""
        return tuple(v for v, _ in self.values if v not in OCDS_ONLY)

    @property
    def label_zh(self) -> str:
        """The header an auditor's ledger gives this column: its first accepted Chinese header."""
        return self.aliases[0] if self.aliases else self.name

    def value_zh(self, value):
        """A coded value as a ledger writes it (its first accepted spelling); other values unchanged."""
        return next((spellings[0] for v, spellings in self.values if v == value and spellings), value)


@dataclass(frozen=True)
class Table:
    name: str
    title_zh: str
    aliases: tuple[str, ...]  # names a file may carry instead of the canonical one
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    meaning: str = ""
    # (column, parent table, parent column): a broken link is a warning, the row is kept
    foreign_keys: tuple[tuple[str, str, str], ...] = ()
    # (earlier, later): a later date before an earlier one is a warning
    date_order: tuple[tuple[str, str], ...] = ()
    extra: dict = field(default_factory=dict)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


C = Column

CATEGORY = (
    ("central_budget", ("中央预算内", "中央预算内投资", "中央预算", "central")),
    ("provincial", ("省级", "省预算内", "省级预算内", "省预算内投资")),
    ("municipal_key", ("市级重点", "市重点", "市级重点项目")),
    ("government", ("其他政府投资", "政府投资")),
    ("enterprise", ("企业投资", "社会投资")),
)
STATUS = (
    ("not_started", ("未开工", "未开建", "前期", "not started")),
    ("under_construction", ("在建", "续建", "新开工", "施工中", "under construction")),
    ("completed", ("竣工", "已竣工", "完工", "已完工")),
    ("in_operation", ("投产", "已投产", "投入使用", "交付使用", "运营", "in operation")),
    ("suspended", ("停建", "停工", "缓建")),
)
LEVEL = (
    ("central", ("中央", "中央预算内", "中央级")),
    ("provincial", ("省级", "省", "省预算内")),
    ("municipal", ("市级", "市")),
    ("county", ("县级", "县区级", "县", "区级", "区")),
    ("self", ("自筹", "单位自筹", "企业自筹")),
)
KIND = (
    ("works", ("施工", "工程", "工程类", "工程施工")),
    ("goods", ("货物", "货物类")),
    ("services", ("服务", "服务类")),
    ("unknown", ("未知",)),
)
# values the OCDS mapping writes (a procurement category it could not map) that a ledger may not hold:
# data-model.md, tenders.kind "`unknown` allowed for OCDS input only" (a ledger's 未知 is an unknown value)
OCDS_ONLY = frozenset({"unknown"})
METHOD = (
    ("open", ("公开招标",)),
    ("invited", ("邀请招标",)),
    ("negotiation", ("竞争性谈判",)),
    ("consultation", ("竞争性磋商",)),
    ("inquiry", ("询价",)),
    ("single_source", ("单一来源", "单一来源采购")),
    ("direct", ("直接发包", "直接委托", "直接采购")),
)
PAYMENT_TYPE = (
    ("advance", ("预付款", "预付")),
    ("progress", ("进度款", "工程进度款")),
    ("final", ("结算款", "竣工结算款")),
    ("retention", ("质保金", "质量保证金")),
)
DIRECTION = (
    ("higher_better", ("越高越好", "正向", "higher")),
    ("lower_better", ("越低越好", "反向", "lower")),
)
SERVICE_TYPE = (
    ("survey", ("勘察", "勘查", "工程勘察")),
    ("design", ("设计", "工程设计")),
    ("supervision", ("监理", "工程监理")),
    ("other", ("其他", "其它", "其他服务")),
)
PAYEE_ROLE = (
    ("contractor", ("中标/施工单位", "施工单位", "中标单位", "承包人", "供应商")),
    ("wage_account", ("农民工工资专户", "农民工工资专用账户", "工资专户")),
    ("consortium", ("联合体成员", "联合体")),
    ("assignee", ("保理/债权受让人", "债权受让人", "保理", "保理公司")),
    ("court", ("法院扣划", "法院", "司法扣划")),
    ("other", ("其他", "其它")),
)
COMMITMENT_STATUS = (
    ("done", ("已完成", "完成", "办结")),
    ("in_progress", ("推进中", "进行中", "正在推进")),
    ("not_started", ("未启动", "未开始")),
)

PROJECTS = Table(
    "projects", "项目台账", ("项目台账", "项目清单", "项目", "project"),
    key=("project_id",),
    meaning="one row per project",
    columns=(
        C("project_id", "id", True, ("项目编码", "项目代码", "项目编号"), "unique key"),
        C("project_name", "text", True, ("项目名称",)),
        C("county", "text", True, ("县区", "所属县区", "县(市、区)", "区县"), "the unit a report is made for"),
        C("department", "text", False, ("项目单位", "责任单位", "建设单位"), "responsible unit"),
        C("category", "enum", False, ("项目类别",), "investment category", CATEGORY),
        C("fund_year", "int", False, ("资金下达年度", "计划下达年度"), "year the investment plan/funds were issued"),
        C("estimate", "amount", False, ("可研估算", "投资估算"), "feasibility-study estimate"),
        C("budget", "amount", False, ("初设概算", "批复概算", "概算"), "approved preliminary-design budget"),
        C("adjusted_budget", "amount", False, ("调整概算", "调整后概算"),
          "the budget after an approved 概算调整 (revision 2)"),
        C("total_investment", "amount", False, ("计划总投资", "总投资")),
        C("annual_plan", "amount", False, ("年度计划投资", "年度投资计划"), "this year's planned investment"),
        C("completed_ytd", "amount", False, ("年度完成投资", "本年完成投资"), "investment completed this year to the as-of date"),
        C("completed_total", "amount", False, ("累计完成投资",)),
        C("planned_start", "date", False, ("计划开工日期", "计划开工时间")),
        C("actual_start", "date", False, ("实际开工日期", "实际开工时间", "开工日期")),
        C("planned_completion", "date", False, ("计划竣工日期", "计划竣工时间")),
        C("actual_completion", "date", False, ("实际竣工日期", "实际竣工时间", "竣工日期")),
        C("status", "enum", False, ("项目状态", "建设状态"), "", STATUS),
        C("delay_reason", "text", False, ("未开工原因", "滞后原因"), "free text"),
        C("approval_date", "date", False, ("立项批复日期", "项目建议书批复", "立项日期")),
        C("fsr_approval_date", "date", False, ("可研批复日期", "可行性研究报告批复日期")),
        C("design_approval_date", "date", False, ("初设批复日期", "初步设计批复日期")),
        C("land_approval_date", "date", False, ("用地批复日期", "土地证日期", "用地预审日期")),
        C("planning_permit_date", "date", False, ("规划许可日期", "工程规划许可证")),
        C("eia_approval_date", "date", False, ("环评批复日期",)),
        C("construction_permit_date", "date", False, ("施工许可日期", "施工许可证")),
        C("acceptance_date", "date", False, ("竣工验收日期",)),
        C("final_accounts_date", "date", False, ("竣工决算日期", "决算编报日期"), "date the final accounts were compiled (编报)"),
        C("operation_date", "date", False, ("投产日期", "交付使用日期")),
    ),
    date_order=(
        ("approval_date", "actual_start"),
        ("actual_start", "actual_completion"),
        ("actual_completion", "operation_date"),
        ("acceptance_date", "operation_date"),
        ("planned_start", "planned_completion"),
    ),
)

FUNDS = Table(
    "funds", "资金下达", ("资金下达", "资金下达台账", "资金", "fund"),
    key=("fund_id",),
    meaning="one row per allocation of money to a project",
    columns=(
        C("fund_id", "id", True, ("文号", "资金编号", "下达文号")),
        C("project_id", "id", True, ("项目编码", "项目代码")),
        C("level", "enum", True, ("资金级次", "资金来源"), "", LEVEL),
        C("date", "date", True, ("下达日期", "下达时间")),
        C("amount", "amount", True, ("下达金额", "下达资金")),
    ),
    foreign_keys=(("project_id", "projects", "project_id"),),
)

TENDERS = Table(
    "tenders", "招标采购", ("招标采购", "招投标", "招标", "采购", "tender"),
    key=("tender_id",),
    meaning="one row per procurement procedure",
    columns=(
        C("tender_id", "id", True, ("招标编号", "采购编号", "项目招标编号")),
        C("project_id", "id", False, ("项目编码", "项目代码"), "empty for departmental purchases"),
        C("county", "text", True, ("县区", "所属县区")),
        C("buyer", "text", True, ("招标人", "采购人")),
        C("title", "text", False, ("项目名称", "采购项目名称", "标段名称")),
        C("kind", "enum", True, ("采购类别", "招标类别"), "", KIND),
        C("method", "enum", True, ("采购方式", "招标方式"), "", METHOD),
        C("budget", "amount", False, ("预算金额", "采购预算")),
        C("ceiling_price", "amount", False, ("招标控制价", "最高限价", "最高投标限价")),
        C("notice_date", "date", False, ("公告日期", "招标文件发出日期", "招标公告日期")),
        C("bid_deadline", "date", False, ("投标截止日期", "开标日期")),
        C("award_date", "date", False, ("中标通知日期", "成交日期", "中标日期")),
        C("winner_id", "id", False, ("中标人编码", "中标人代码"), "supplier_id of the winner"),
        C("award_amount", "amount", False, ("中标金额", "成交金额")),
        C("service_type", "enum", False, ("服务类别",), "for services (revision 2)", SERVICE_TYPE),
        C("item_code", "text", False, ("品目", "采购品目", "品目编码"),
          "government-procurement catalogue item 政府采购品目 (revision 2)"),
        C("exemption", "text", False, ("不招标理由", "依法可不招标情形"),
          "the lawful ground recorded for not tendering (revision 2)"),
        C("method_approval", "text", False, ("采购方式批准文件", "采购方式变更批复"),
          "the approval of a non-open method (revision 2)"),
    ),
    foreign_keys=(("project_id", "projects", "project_id"), ("winner_id", "suppliers", "supplier_id")),
    date_order=(("notice_date", "bid_deadline"), ("bid_deadline", "award_date"), ("notice_date", "award_date")),
)

BIDS = Table(
    "bids", "投标", ("投标", "投标记录", "投标报价", "bid"),
    key=("tender_id", "bidder_id"),
    meaning="one row per bid",
    columns=(
        C("tender_id", "id", True, ("招标编号", "采购编号")),
        C("bidder_id", "id", True, ("投标人编码", "投标人代码", "供应商编码")),
        C("amount", "amount", True, ("投标报价", "报价", "投标金额")),
        C("disqualified", "bool", False, ("是否废标", "废标")),
        C("bond_account", "text", False, ("保证金转出账户", "投标保证金账户"), "", (), True),
    ),
    foreign_keys=(("tender_id", "tenders", "tender_id"), ("bidder_id", "suppliers", "supplier_id")),
)

SUPPLIERS = Table(
    "suppliers", "供应商", ("供应商", "企业", "供应商名录", "企业名录", "supplier"),
    key=("supplier_id",),
    meaning="registry of suppliers and enterprises",
    columns=(
        C("supplier_id", "id", True, ("统一社会信用代码", "供应商编码", "企业编码")),
        C("name", "text", True, ("名称", "企业名称", "供应商名称", "单位名称")),
        C("legal_rep", "text", False, ("法定代表人",), "", (), True),
        C("phone", "text", False, ("联系电话", "电话"), "", (), True),
        C("address", "text", False, ("地址", "注册地址")),
        C("bank_account", "text", False, ("银行账号", "开户账号", "基本账户"), "", (), True),
        C("registered_date", "date", False, ("成立日期", "注册日期")),
        C("id_number", "text", False, ("法定代表人身份证号", "身份证号"), "personal data", (), True),
    ),
)

CONTRACTS = Table(
    "contracts", "合同", ("合同", "合同台账", "contract"),
    key=("contract_id",),
    columns=(
        C("contract_id", "id", True, ("合同编号", "合同编码")),
        C("tender_id", "id", False, ("招标编号", "采购编号"), "empty for direct contracts"),
        C("project_id", "id", True, ("项目编码", "项目代码")),
        C("supplier_id", "id", True, ("供应商编码", "乙方编码", "承包人编码")),
        C("sign_date", "date", True, ("签订日期", "合同签订日期")),
        C("amount", "amount", True, ("合同金额",)),
        C("kind", "enum", False, ("合同类别", "采购类别"), "", KIND),
        C("settlement_amount", "amount", False, ("结算金额",)),
        C("audited_settlement", "amount", False, ("审定金额", "审定结算金额")),
        C("service_type", "enum", False, ("服务类别",), "as for tenders (revision 2)", SERVICE_TYPE),
        C("exemption", "text", False, ("不招标理由",), "as for tenders (revision 2)"),
        C("submitted_settlement", "amount", False, ("送审金额", "报审金额"),
          "the contractor's settlement as submitted for review (revision 2)"),
    ),
    foreign_keys=(("project_id", "projects", "project_id"), ("tender_id", "tenders", "tender_id"),
                  ("supplier_id", "suppliers", "supplier_id")),
)

CONTRACT_CHANGES = Table(
    "contract_changes", "合同变更", ("合同变更", "变更签证", "签证变更", "合同变更签证", "contract_change"),
    key=(),
    columns=(
        C("contract_id", "id", True, ("合同编号", "合同编码")),
        C("date", "date", True, ("变更日期", "签证日期")),
        C("amount_delta", "amount", True, ("变更金额", "签证金额"), "may be negative"),
        C("reason", "text", False, ("变更原因", "变更事由")),
    ),
    foreign_keys=(("contract_id", "contracts", "contract_id"),),
)

PAYMENTS = Table(
    "payments", "资金支付", ("资金支付", "支付台账", "付款", "支付", "payment"),
    key=("payment_id",),
    columns=(
        C("payment_id", "id", True, ("支付编号", "付款编号", "凭证号")),
        C("project_id", "id", True, ("项目编码", "项目代码")),
        C("contract_id", "id", False, ("合同编号", "合同编码")),
        C("payee_id", "id", True, ("收款人编码", "收款单位编码", "收款方编码")),
        C("date", "date", True, ("支付日期", "付款日期")),
        C("amount", "amount", True, ("支付金额", "付款金额")),
        C("invoice_no", "id", False, ("发票号", "发票号码")),
        C("type", "enum", False, ("款项类型", "支付类型", "付款类型"), "", PAYMENT_TYPE),
        C("payee_role", "enum", False, ("收款人类型", "收款方类型"), "who was paid (revision 2)", PAYEE_ROLE),
    ),
    foreign_keys=(("project_id", "projects", "project_id"), ("contract_id", "contracts", "contract_id"),
                  ("payee_id", "suppliers", "supplier_id")),
)

PROGRESS = Table(
    "progress", "月度进度", ("月度进度", "进度", "形象进度", "progress"),
    key=("project_id", "month"),
    columns=(
        C("project_id", "id", True, ("项目编码", "项目代码")),
        C("month", "month", True, ("月份", "统计月份")),
        C("investment", "amount", False, ("当月完成投资", "本月完成投资")),
        C("physical_pct", "number", False, ("形象进度", "形象进度(%)", "工程形象进度")),
    ),
    foreign_keys=(("project_id", "projects", "project_id"),),
)

SUBSIDIES = Table(
    "subsidies", "专项资金", ("财政专项扶持资金", "专项扶持资金", "专项资金", "扶持资金", "subsidy"),
    key=("application_id",),
    columns=(
        C("application_id", "id", True, ("申报编号", "申请编号")),
        C("program", "text", True, ("专项名称", "资金项目")),
        C("fiscal_year", "int", True, ("年度", "资金年度")),
        C("enterprise_id", "id", True, ("企业编码", "统一社会信用代码")),
        C("enterprise_name", "text", False, ("企业名称", "申报单位")),
        C("project_title", "text", False, ("申报项目名称",)),
        C("amount_applied", "amount", False, ("申请金额", "申报金额")),
        C("amount_approved", "amount", True, ("核定金额", "批准金额", "扶持金额")),
        C("approval_date", "date", False, ("批准日期", "核定日期")),
        C("disbursed_date", "date", False, ("拨付日期",)),
        C("disbursed_amount", "amount", False, ("拨付金额",)),
        C("bank_account", "text", False, ("收款账号", "银行账号"), "", (), True),
        C("county", "text", False, ("县区", "所属县区")),
    ),
    date_order=(("approval_date", "disbursed_date"),),
)

TARGETS = Table(
    "targets", "绩效目标", ("绩效目标", "绩效", "target"),
    key=("project_id", "indicator"),
    columns=(
        C("project_id", "id", True, ("项目编码", "项目代码")),
        C("indicator", "text", True, ("指标名称", "绩效指标")),
        C("target", "number", True, ("目标值", "指标值")),
        C("actual", "number", True, ("实际值", "完成值")),
        C("direction", "enum", False, ("指标方向",), "", DIRECTION),
    ),
    foreign_keys=(("project_id", "projects", "project_id"),),
)

COMMITMENTS = Table(
    "commitments", "公开承诺", ("公开承诺", "承诺事项", "重点工作", "重点工作事项", "commitment"),
    key=("item_id",),
    columns=(
        C("item_id", "id", True, ("事项编号", "编号")),
        C("unit", "text", True, ("责任单位",)),
        C("title", "text", True, ("事项名称", "承诺事项", "工作事项")),
        C("deadline", "date", True, ("完成时限", "承诺完成时间", "截止日期")),
        C("status", "enum", False, ("完成状态", "进展情况"), "", COMMITMENT_STATUS),
        C("done_date", "date", False, ("完成日期", "实际完成日期")),
        C("county", "text", False, ("县区", "所属县区")),
    ),
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (PROJECTS, FUNDS, TENDERS, BIDS, SUPPLIERS, CONTRACTS, CONTRACT_CHANGES,
              PAYMENTS, PROGRESS, SUBSIDIES, TARGETS, COMMITMENTS)
}

# Personal data: masked in every shared output unless the user opts out.
PERSONAL_COLUMNS = frozenset(
    c.name for t in TABLES.values() for c in t.columns if c.personal
)
