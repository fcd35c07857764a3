"""Indicator results as rows of the findings schema (check ids ``OCP-R003`` …)."""
from __future__ import annotations

from functools import lru_cache

import pandas as pd

from kpt_audit.findings import FINDING_COLUMNS, empty_findings, finding_id, finding_no, sort_findings

ENTITY_TYPES = {"OCID": "ocid", "Buyer": "buyer", "ProcuringEntity": "procuring_entity", "Tenderer": "tenderer"}
SEVERITY = "medium"  # red flags call for a closer look, not conclusions

TITLES = {
    "R003": {"zh": "R003 投标期过短", "en": "R003 Short submission period"},
    "R018": {"zh": "R018 仅收到一份投标", "en": "R018 Single bid received"},
    "R024": {"zh": "R024 价格接近中标价", "en": "R024 Price close to winning bid"},
    "R025": {"zh": "R025 未中标投标过多", "en": "R025 Excessive unsuccessful bids"},
    "R028": {"zh": "R028 不同投标人报价相同", "en": "R028 Identical bid prices"},
    "R030": {"zh": "R030 逾期投标中标", "en": "R030 Late bid won"},
    "R035": {"zh": "R035 除中标人外全部被废标", "en": "R035 All except winning bid disqualified"},
    "R036": {"zh": "R036 最低价投标被废标", "en": "R036 Lowest bid disqualified"},
    "R038": {"zh": "R038 废标比例过高", "en": "R038 Excessive disqualified bids"},
    "R048": {"zh": "R048 供应品类过杂", "en": "R048 Heterogeneous supplier"},
    "R058": {"zh": "R058 次低价远高于中标价", "en": "R058 Heavily discounted bid"},
}

# {value} is the indicator's output; see docs/ocds_indicators.md for what each one means
DETAILS = {
    "R003": {"zh": "投标期短于阈值天数", "en": "submission period shorter than the threshold"},
    "R018": {"zh": "投标人数为 1", "en": "numberOfTenderers is 1"},
    "R024": {"zh": "次低有效报价比中标价仅高 {pct}", "en": "second-lowest valid bid only {pct} above the winning bid"},
    "R025": {"zh": "中标次数/有效投标次数 = {value:.4f}，为低离群值",
             "en": "won / valid bids = {value:.4f}, a low outlier"},
    "R028": {"zh": "与其他投标人报价完全相同", "en": "same price as another tenderer's bid"},
    "R030": {"zh": "截标后提交的有效投标中标", "en": "a valid bid dated after the deadline won"},
    "R035": {"zh": "{count} 个其他投标人被废标，仅中标人有效",
             "en": "{count} other tenderer(s) disqualified; only the winner valid"},
    "R036": {"zh": "最低报价被废标，另有有效报价", "en": "lowest submitted bid disqualified while valid bids exist"},
    "R038": {"zh": "废标比例 {pct}，为高离群值", "en": "{pct} of submitted bids disqualified, a high outlier"},
    "R048": {"zh": "供应 {count} 类品目，为高离群值", "en": "supplies {count} item classes, a high outlier"},
    "R058": {"zh": "次低有效报价比中标价高 {pct}", "en": "second-lowest valid bid {pct} above the winning bid"},
}
# Tenderer-group values of R024/R035/R058 are 0.0 markers: the tenderer took part in a flagged process
MARKER_DETAILS = {"zh": "参与被标记的采购过程", "en": "party to a flagged contracting process"}
MARKED = ("R024", "R035", "R058")


@lru_cache(maxsize=65536)  # many findings of one indicator share a value (R018 always 1)
def _detail(code: str, value: float, lang: str, marker: bool) -> str:
    if marker:
        return MARKER_DETAILS[lang]
    template = DETAILS[code][lang]
    return template.format(value=value, pct=f"{value:.1%}", count=int(value))


def _buyer_of(releases_meta) -> dict:
    """ocid -> buyer (name when given, else id) from a mapping or a frame with ``ocid`` and buyer columns."""
    if releases_meta is None:
        return {}
    if isinstance(releases_meta, pd.DataFrame):
        frame = releases_meta
        name = frame["buyer_name"] if "buyer_name" in frame else None
        buyer = frame["buyer_id"] if name is None else name.fillna(frame.get("buyer_id"))
        return dict(zip(frame["ocid"].tolist(), buyer.tolist()))
    out = {}
    for ocid, value in releases_meta.items():
        if isinstance(value, dict):
            value = value.get("buyer_name") or value.get("buyer_id")
        out[ocid] = value
    return out


def indicators_to_findings(result: dict, releases_meta=None, *, buyer_county: dict | None = None,
                           lang: str = "zh") -> pd.DataFrame:
    """One finding per (group, identifier, indicator) of ``result``.

    ``releases_meta`` gives each ocid's buyer (``{ocid: buyer}``, ``{ocid: {"buyer_id", "buyer_name"}}``
    or a frame with ``ocid``, ``buyer_id``[, ``buyer_name``]).  The county is ``buyer_county`` of
    the buyer when mapped, else the buyer itself; a tenderer belongs to no buyer, so its county is empty.
    """
    lang = lang if lang in ("zh", "en") else "zh"
    buyer_county = buyer_county or {}
    buyers = _buyer_of(releases_meta)
    # one (entity type, identifier, county, indicator, value) a finding, each column then made at once
    found = []
    for group, entity_type in ENTITY_TYPES.items():
        for key, values in result.get(group, {}).items():
            if group == "OCID":
                buyer = buyers.get(key)
            elif group in ("Buyer", "ProcuringEntity"):
                buyer = key
            else:
                buyer = None
            county = buyer_county.get(buyer, buyer) if buyer is not None else None
            markers = group == "Tenderer"
            found.extend((entity_type, key, county, code, value, markers and code in MARKED)
                         for code, value in values.items())
    if not found:
        return empty_findings()
    n = len(found)
    entity_types, keys, counties, codes, values, marked = (list(c) for c in zip(*found))
    check_ids = [f"OCP-{code}" for code in codes]
    ids = [finding_id(c, t, k) for c, t, k in zip(check_ids, entity_types, keys)]
    df = pd.DataFrame({
        "finding_id": ids, "finding_no": [finding_no(c, f) for c, f in zip(check_ids, ids)],
        "check_id": check_ids, "county": counties, "entity_type": entity_types, "entity_id": keys,
        "title": [TITLES[code][lang] for code in codes],
        "detail": [_detail(code, value, lang, m) for code, value, m in zip(codes, values, marked)],
        "basis": [f"OCP red flag {code} (cardinal-rs 0.0.8 methodology)" for code in codes],
        "area": ["procurement"] * n, "severity": [SEVERITY] * n, "project_id": [None] * n,
        "amount": [float("nan")] * n, "status": [""] * n, "cause": [""] * n}, columns=FINDING_COLUMNS)
    df["amount"] = df["amount"].astype("float64")
    return sort_findings(df)
