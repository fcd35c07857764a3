"""Reports with a register: each finding's verification, rectification and deadline; dismissed
findings apart and not counted; overdue flagged; the roll-up's rectification table and trend."""
from __future__ import annotations

import re

import pytest

from kpt_audit.outputs import write_check_outputs
from kpt_audit.pipeline import audit_params, run_front
from kpt_audit.privacy import Masker
from kpt_audit.register.edit import set_finding
from kpt_audit.register.record import record_front
from kpt_audit.report import county as kr
from kpt_audit.report import rollup as rr
from kpt_audit.report.slices import build_county_slice

from .test_three_months import A, write_data

pytestmark = pytest.mark.parametrize("backend", ["sqlite"])


def shown(show, *args) -> str:
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output

    InteractiveShell.instance()
    with capture_output() as captured:
        show(*args)
    return "\n".join(out.data.get("text/html", "") for out in captured.outputs)


@pytest.fixture
def month2(reg, tmp_path):
    data = write_data(tmp_path / "data", 2)
    first = run_front(data, audit_params(None, "2020-09-25"))
    record_front(reg, first, out_dir=tmp_path / "o1")
    ids = first.result.findings.set_index(["check_id", "entity_id"])["finding_id"]
    set_finding(reg, ids[("EXE01", "P001")], by="王", verification="属实", responsible_unit="县发改局",
                due_date="2020-10-31")
    set_finding(reg, ids[("EXE05", "P001")], by="王", verification="不属实", verification_note="已延期")
    second = run_front(data, audit_params(None, "2020-11-25"))
    record_front(reg, second, out_dir=tmp_path / "o2")
    return second, ids


def test_county_report_shows_states_and_deadlines_dismissed_apart_overdue_flagged(month2):
    front, ids = month2
    piece = build_county_slice(front.result, A, A, Masker(front.dataset.tables))
    page = shown(kr.show_report, piece)
    total = len(piece.findings)
    assert re.search(r"data-kpt-findings='(\d+)'", page).group(1) == str(total - 1)  # the dismissed one not counted
    assert "核实整改情况" in page and "data-kpt-overdue='1'" in page and "data-kpt-dismissed='1'" in page
    assert "核实结果" in page and "整改期限" in page and "县发改局" in page and "2020-10-31" in page
    assert "已延期" in page and "属实" in page and "待核实" in page and "逾期" in page


def test_rollup_gains_the_rectification_table_and_its_trend(month2, tmp_path):
    front, _ = month2
    write_check_outputs(front.result, tmp_path / "run")
    run = rr.load_run(tmp_path / "run")
    page = shown(rr.show_since_previous, run)
    assert "各县区整改情况" in page and "整改进展（历次运行）" in page
    assert "data-kpt-overdue='1'" in page
    assert (tmp_path / "run" / "findings.csv").read_text(encoding="utf-8-sig").splitlines()[0].endswith(
        "status,cause,verification,verification_note,responsible_unit,due_date,rectification,rectified_amount,"
        "rectification_note,accountability")


@pytest.mark.slow
def test_run_with_a_register_records_and_reports(reg, tmp_path):
    from kpt_audit.batch import run_batch
    from kpt_audit.errors import UsageError

    from .test_three_months import write_data

    data = write_data(tmp_path / "data", 1)
    params = audit_params(None, "2020-09-25")
    with pytest.raises(UsageError, match="--previous or --register"):
        run_batch(data, tmp_path / "x", params, previous=tmp_path, register=reg)
    done = run_batch(data, tmp_path / "run", params, counties=[A], jobs=1, register=reg)
    assert not done.failed
    header = (tmp_path / "run" / "findings.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.endswith(",status,cause,verification,verification_note,responsible_unit,due_date,rectification,"
                           "rectified_amount,rectification_note,accountability")
    page = next((tmp_path / "run" / "counties").glob("*.html")).read_text(encoding="utf-8")
    assert "核实整改情况" in page and "核实结果" in page
    assert "各县区整改情况" in (tmp_path / "run" / "index.html").read_text(encoding="utf-8")
