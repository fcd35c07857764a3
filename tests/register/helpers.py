"""Hand-made findings frames and data tables for the register tests."""
from __future__ import annotations

import json

import pandas as pd

from kpt_audit.findings import FINDING_COLUMNS, finding_id, finding_no


def finding(check="EXE01", entity="P1", county="甲县", amount=100_000.0, values=None, entity_type="project",
            project="P1") -> dict:
    fid = finding_id(check, entity_type, entity)
    return {"finding_id": fid, "finding_no": finding_no(check, fid), "check_id": check, "area": "execution",
            "severity": "high", "county": county, "project_id": project, "project_name": f"{project}项目",
            "entity_type": entity_type, "entity_id": entity, "entity_name": None, "amount": amount,
            "title": "标题", "detail": "明细", "basis": "依据", "status": "", "cause": "",
            "values": json.dumps(values if values is not None else {"amount": amount}, sort_keys=True)}


def frame(*rows: dict) -> pd.DataFrame:
    df = pd.DataFrame(list(rows), columns=FINDING_COLUMNS + ["values"])
    df["amount"] = df["amount"].astype("float64")
    return df


def tables(*project_ids: str, county="甲县") -> dict:
    return {"projects": pd.DataFrame({"project_id": list(project_ids), "county": [county] * len(project_ids)})}
