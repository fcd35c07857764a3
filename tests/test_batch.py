"""The batch: failures stay local to their county, --previous statuses, --resume.

Runs real papermill notebooks on a small synthetic dataset, at most two
counties at a time, to keep the suite fast.
"""
import json
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from kpt_audit.batch import run_batch
from kpt_audit.params import load_params
from kpt_audit.report.runner import notebooks_dir
from kpt_audit.synth import write_synth

pytestmark = pytest.mark.xdist_group("batch")
PARAMS = load_params(as_of="2020-09-25")  # write_synth's date


@pytest.fixture(scope="module")
def small_data(tmp_path_factory):
    return write_synth(tmp_path_factory.mktemp("data") / "d", counties=4, projects=80, seed=3)


def counties_of(data: Path) -> list[str]:
    p = pd.read_csv(data / "projects.csv", dtype=str, encoding="utf-8-sig")
    return sorted(p["county"].unique())[:2]


def faulty_notebooks(tmp_path, county: str, fault: str) -> Path:
    """A copy of the notebooks whose county report raises or hangs for ``county``."""
    folder = tmp_path / "nb"
    shutil.copytree(notebooks_dir(), folder)
    nb = nbformat.read(folder / "county_report.ipynb", as_version=4)
    first = next(i for i, c in enumerate(nb.cells) if "parameters" in c.get("metadata", {}).get("tags", []))
    code = {"raise": f"if county == {county!r}:\n    raise RuntimeError('planted failure')",
            "hang": f"if county == {county!r}:\n    import time\n    time.sleep(600)"}[fault]
    nb.cells.insert(first + 2, nbformat.v4.new_code_cell(code))
    nbformat.write(nb, folder / "county_report.ipynb")
    return folder


def manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def test_a_failing_county_does_not_stop_the_others(tmp_path, small_data):
    bad, good = counties_of(small_data)
    out = tmp_path / "run"
    done = run_batch(small_data, out, PARAMS, counties=[bad, good], jobs=2,
                     notebooks=faulty_notebooks(tmp_path, bad, "raise"))
    assert done.failed == [bad]
    m = {c["county"]: c for c in manifest(out)["counties"]}
    assert m[bad]["status"] == "failed" and "planted failure" in m[bad]["error"]
    assert m[good]["status"] == "ok"
    assert (out / m[good]["html"]).is_file() and len(m[good]["html_sha256"]) == 64
    assert not (out / m[bad]["html"]).exists() and "html_sha256" not in m[bad]  # no report that looks complete
    executed = nbformat.read(out / m[bad]["notebook"], as_version=4)  # the audit trail keeps the error
    assert any(o.get("ename") == "RuntimeError" for c in executed.cells for o in c.get("outputs", []))
    index = (out / "index.html").read_text(encoding="utf-8")
    assert bad in index and "失败" in index
    assert not list(out.rglob("*.tmp*"))                 # nothing half-written left behind


def test_a_hanging_county_times_out(tmp_path, small_data, monkeypatch):
    from kpt_audit.report import runner

    given = {}
    real = runner.run_worker

    def recording(notebook, *args, **kwargs):  # the timeout each notebook was given
        given[Path(notebook).name] = args[-1]
        return real(notebook, *args, **kwargs)

    monkeypatch.setattr(runner, "run_worker", recording)
    slow, good = counties_of(small_data)
    out = tmp_path / "run"
    done = run_batch(small_data, out, PARAMS, counties=[slow, good], jobs=2, timeout=45,
                     notebooks=faulty_notebooks(tmp_path, slow, "hang"))
    assert done.failed == [slow]
    m = {c["county"]: c for c in manifest(out)["counties"]}
    assert m[slow]["status"] == "timeout" and m[good]["status"] == "ok"
    # --timeout is a county's: the roll-up over every county gets at least the default's time
    assert given["rollup.ipynb"] == runner.ROLLUP_TIMEOUT and (out / "index.html").exists()


def test_previous_run_statuses_and_resume(tmp_path, small_data):
    county = counties_of(small_data)[0]
    first = tmp_path / "first"
    assert run_batch(small_data, first, PARAMS, counties=[county], jobs=1).failed == []
    before = pd.read_csv(first / "findings.csv", dtype=str, encoding="utf-8-sig", keep_default_na=False)
    assert len(before) >= 2

    # next month: one finding's project was dropped from the data, the rest persist
    changed = tmp_path / "changed"
    shutil.copytree(small_data, changed)
    fixed = before[before["project_id"] != ""].iloc[0]
    projects = pd.read_csv(changed / "projects.csv", dtype=str, encoding="utf-8-sig", keep_default_na=False)
    projects = projects[projects["project_id"] != fixed["project_id"]]
    projects.to_csv(changed / "projects.csv", index=False, encoding="utf-8-sig")

    second = tmp_path / "second"
    assert run_batch(changed, second, PARAMS, counties=[county], jobs=1, previous=first).failed == []
    after = pd.read_csv(second / "findings.csv", dtype=str, encoding="utf-8-sig", keep_default_na=False)
    status = dict(zip(after["finding_id"], after["status"]))
    # not "rectified": absent now, its entity gone (本期未再发现，待核实)
    assert status[fixed["finding_id"]] == "not_found_again"
    assert dict(zip(after["finding_id"], after["cause"]))[fixed["finding_id"]] == "entity_missing"
    assert set(after["status"]) <= {"new", "persisting", "not_found_again"}
    assert "persisting" in set(after["status"])
    slug = manifest(second)["counties"][0]["slug"]
    html = (second / "counties" / f"{slug}.html").read_text(encoding="utf-8")
    assert fixed["entity_id"] in html                    # the finding not found again has its own section

    # --resume redoes nothing when nothing changed, and redoes a county whose report is missing
    assert run_batch(changed, second, PARAMS, counties=[county], jobs=1, previous=first, resume=True).failed == []
    assert manifest(second)["counties"][0].get("resumed") is True
    (second / "counties" / f"{slug}.html").unlink()
    assert run_batch(changed, second, PARAMS, counties=[county], jobs=1, previous=first, resume=True).failed == []
    assert not manifest(second)["counties"][0].get("resumed")
    assert (second / "counties" / f"{slug}.html").is_file()
    # ... and one whose page changed since it was written (cut short by a full disk, edited by hand)
    from kpt_audit.report.runner import CountyJob, _outputs_as_written

    entry = manifest(second)["counties"][0]
    page, notebook = second / "counties" / f"{slug}.html", second / "counties" / f"{slug}.ipynb"
    job = CountyJob(county, slug, second / "slices" / slug, notebook, page, entry["fingerprint"])
    assert _outputs_as_written(job, entry)
    page.write_bytes(page.read_bytes()[:5000])
    assert not _outputs_as_written(job, entry)
    assert _outputs_as_written(job, {k: v for k, v in entry.items() if k != "html_sha256"})  # an older manifest


def test_an_interrupted_run_keeps_what_it_finished_and_resume_does_the_rest(tmp_path, small_data, monkeypatch):
    from kpt_audit.report import runner

    first, second = counties_of(small_data)
    real = runner.run_county

    def interrupted(worker, notebook, out_ipynb, out_html, parameters, *args):
        if parameters["county"] == second:
            raise KeyboardInterrupt  # Ctrl-C, or the job killed, while the second county runs
        return real(worker, notebook, out_ipynb, out_html, parameters, *args)

    monkeypatch.setattr(runner, "run_county", interrupted)
    monkeypatch.setattr(runner._Noting, "EVERY_S", 3600.0)  # only the interruption itself writes the record
    out = tmp_path / "run"
    with pytest.raises(KeyboardInterrupt):
        run_batch(small_data, out, PARAMS, counties=[first, second], jobs=1)
    kept = {c["county"]: c for c in manifest(out)["counties"]}
    assert list(kept) == [first] and kept[first]["status"] == "ok"
    monkeypatch.setattr(runner, "run_county", real)
    assert run_batch(small_data, out, PARAMS, counties=[first, second], jobs=1, resume=True).failed == []
    done = {c["county"]: c for c in manifest(out)["counties"]}
    assert done[first].get("resumed") is True and not done[second].get("resumed") and done[second]["status"] == "ok"


def test_a_wrong_previous_folder_stops_before_loading(tmp_path, small_data):
    from kpt_audit.errors import UsageError

    with pytest.raises(UsageError, match="--previous"):
        run_batch(small_data, tmp_path / "run", PARAMS, previous=tmp_path / "nowhere")
    assert not (tmp_path / "run").exists()


@pytest.mark.parametrize("content", [b"", b"a,b\n1,2\n", bytes(range(256)) * 4])
def test_a_previous_findings_file_that_is_none_is_bad_data_naming_it(tmp_path, small_data, content):
    """An empty, foreign or binary findings.csv under --previous is an invalid input file (exit 1, named),
    not an internal error (KeyError, EmptyDataError, UnicodeDecodeError reached the user as exit 5)."""
    from kpt_audit.errors import BadDataError

    (tmp_path / "prev").mkdir()
    (tmp_path / "prev" / "findings.csv").write_bytes(content)
    with pytest.raises(BadDataError, match="--previous") as err:
        run_batch(small_data, tmp_path / "run", PARAMS, previous=tmp_path / "prev")
    assert "findings.csv" in str(err.value) and err.value.exit_code == 1
    assert not (tmp_path / "run").exists()


def test_bad_data_writes_nothing_not_even_the_out_folder(tmp_path):
    from kpt_audit.load import LoadError

    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "projects.csv").write_text("项目编码,项目名称\nP1,a\n", encoding="utf-8")
    with pytest.raises(LoadError):
        run_batch(tmp_path / "data", tmp_path / "run", PARAMS)
    assert not (tmp_path / "run").exists()


def test_the_command_exits_3_when_a_county_fails(tmp_path, small_data, capsys, monkeypatch):
    """The library returns the failed counties; only the command line turns them into exit 3."""
    import kpt_audit.batch as batch
    from kpt_audit.cli import main

    bad, good = counties_of(small_data)
    monkeypatch.setattr(batch, "render_reports", lambda *args, **kwargs: [bad])
    code = main(["run", str(small_data), "--out", str(tmp_path / "run"), "--as-of", "2020-09-25",
                 "--county", bad, "--county", good])
    assert code == 3
    err = capsys.readouterr().err
    assert err.startswith("审计基准日 2020-09-25 (来源: --as-of)") and f"部分县区的报告未生成（{bad}）" in err


def test_an_english_run_has_english_page_titles_and_languages(tmp_path, small_data):
    """--lang en is the reports' language: the pages' <title> and <html lang>, the roll-up's included."""
    county = counties_of(small_data)[0]
    out = tmp_path / "en"
    assert run_batch(small_data, out, load_params(as_of="2020-09-25", lang="en"), counties=[county],
                     jobs=1).failed == []
    index = (out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in index and "<title>Look-back audit: all counties</title>" in index
    page = (out / manifest(out)["counties"][0]["html"]).read_text(encoding="utf-8")
    assert '<html lang="en">' in page and f"<title>{county} look-back audit report</title>" in page
