"""The Word drafts: findings and evidence sheets from a template an office can replace."""

import docx
import pytest

from kpt_audit.errors import ParamsError
from kpt_audit.load import load_dataset
from kpt_audit.checks import run_checks
from kpt_audit.params import load_params
from kpt_audit.privacy import Masker
from kpt_audit.report.drafts import EVIDENCE_SUFFIX, write_county_drafts
from kpt_audit.report.evidence import finding_evidence
from kpt_audit.report.slices import build_county_slice
from kpt_audit.report.word import DEFAULT_TEMPLATES, check_template, default_templates, template_paths

from .conftest import AS_OF, COUNTY_A, COUNTY_B


@pytest.fixture(scope="module")
def run(csv_dataset, params):
    ds = load_dataset(csv_dataset)
    return ds, run_checks(ds, params)


def _text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join(parts)


def test_findings_draft_names_amounts_with_their_meaning_and_totals_per_check(run, tmp_path):
    ds, result = run
    masker = Masker(ds.tables)
    piece = build_county_slice(result, COUNTY_A, COUNTY_A, masker)
    written = write_county_drafts(piece, tmp_path, "a", DEFAULT_TEMPLATES,
                                  finding_evidence(result.findings, ds, AS_OF), ds, masker)
    assert [p.name for p in written] == ["a.docx", "a" + EVIDENCE_SUFFIX]
    body = _text(docx.Document(tmp_path / "a.docx"))
    assert "甲县政府投资回头望审计发现" in body and "审计基准日：2020-09-25" in body
    assert "甲县污水处理厂（P001）" in body and "甲县道路改造（P002）" in body  # names with codes
    own = result.findings[result.findings["county"] == COUNTY_A]
    for f in own.itertuples():
        assert f.finding_no in body and f.detail in body
    # EXE02's idle funds: 150.00 万元 with its meaning; one total row per check, never a grand total
    assert "金额：150.00 万元（沉淀资金" in body
    table = docx.Document(tmp_path / "a.docx").tables[0]
    rows = [[c.text for c in r.cells] for r in table.rows]
    with_amount = own.dropna(subset=["amount"])
    assert rows[0] == ["检查项", "问题", "金额口径", "问题数", "金额（万元）"]
    assert {r[0]: r[4] for r in rows[1:]} == {c: f"{a / 10000:,.2f}" for c, a in
                                              with_amount.groupby("check_id")["amount"].sum().items()}


def test_evidence_sheets_quote_rows_and_leave_room_for_the_response(run, tmp_path):
    ds, result = run
    masker = Masker(ds.tables)
    piece = build_county_slice(result, COUNTY_A, COUNTY_A, masker)
    write_county_drafts(piece, tmp_path, "a", DEFAULT_TEMPLATES, finding_evidence(result.findings, ds, AS_OF),
                        ds, masker)
    sheet = docx.Document(tmp_path / ("a" + EVIDENCE_SUFFIX))
    body = _text(sheet)
    own = result.findings[result.findings["county"] == COUNTY_A]
    assert body.count("审计取证单") == len(own)  # one sheet per finding
    assert "contracts.csv · 第 2 行" in body and "合同编号：C1" in body  # COS04's contract, as in the file
    assert "payments.csv · 第 2 行" in body and "支付金额：700,000.00元" in body
    assert "被审计单位意见" in body and "签名" in body
    assert "13812345678" not in body  # masked like the HTML


def test_markup_in_names_is_escaped_and_the_file_deterministic(run, tmp_path):
    ds, result = run
    piece = build_county_slice(result, COUNTY_B, "b", Masker(ds.tables))
    first = write_county_drafts(piece, tmp_path / "1", "b", DEFAULT_TEMPLATES)[0]
    second = write_county_drafts(piece, tmp_path / "2", "b", DEFAULT_TEMPLATES)[0]
    assert first.read_bytes() == second.read_bytes()
    assert "乙/县<b>" in _text(docx.Document(first))  # shown as text, the document still opens


def test_an_office_names_its_own_templates_in_the_params_file(tmp_path):
    own = tmp_path / "模板" / "发现.docx"
    own.parent.mkdir()
    document = docx.Document(DEFAULT_TEMPLATES["findings"])
    document.sections[0].header.paragraphs[0].text = "某某市审计局"
    document.save(own)
    params = tmp_path / "office.yaml"
    params.write_text("word:\n  findings_template: 模板/发现.docx\n", encoding="utf-8")
    p = load_params(params, as_of=AS_OF)
    assert p.word_templates == {"findings": own}  # the evidence sheets keep the shipped template


@pytest.mark.parametrize("content, message", [
    (None, "does not exist"),
    (b"not a zip", "not a Word .docx file"),
    ("{{ county ", "template error"),
    ("{{ countyy }}", "uses countyy"),
])
def test_a_bad_template_is_refused_naming_it(tmp_path, content, message):
    path = tmp_path / "bad.docx"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif isinstance(content, str):
        document = docx.Document()
        document.add_paragraph(content)
        document.save(path)
    params = tmp_path / "p.yaml"
    params.write_text(f"word:\n  findings_template: {path}\n", encoding="utf-8")
    with pytest.raises(ParamsError, match=message) as err:
        load_params(params)
    assert "word.findings_template" in str(err.value) and str(params) in str(err.value)
    said = err.value.text("zh")  # the Chinese message names the same file and key, in Chinese
    assert "word.findings_template" in said and str(params) in said
    assert any("\u4e00" <= ch <= "\u9fff" for ch in said.replace(str(tmp_path), ""))


def test_unknown_word_key_and_shipped_templates_are_valid(tmp_path):
    for lang in ("zh", "en"):
        for kind, path in default_templates(lang).items():
            check_template(path, kind)
    with pytest.raises(ParamsError, match="word.letterhead"):
        template_paths({"letterhead": "x.docx"}, tmp_path / "p.yaml")


def test_an_english_report_gets_english_drafts(run, tmp_path):
    ds, result = run
    piece = build_county_slice(result, COUNTY_A, COUNTY_A, Masker(ds.tables))
    piece.meta["lang"] = "en"
    write_county_drafts(piece, tmp_path, "a", default_templates("en"), finding_evidence(result.findings, ds, AS_OF),
                        ds, Masker(ds.tables))
    findings_text = _text(docx.Document(tmp_path / "a.docx"))
    assert "Amounts at issue" in findings_text and "Severity: High" in findings_text
    sheets = _text(docx.Document(tmp_path / ("a" + EVIDENCE_SUFFIX)))
    assert "Evidence sheet" in sheets and "payments.csv · row 2" in sheets and "审计取证单" not in sheets
